// Japanese messages for roster (spread into ja.ts). Every key needs its English twin in en-roster.ts.
export const rosterJa = {
  "roster.fatal.empty": "ファイルが空です。",
  "roster.fatal.tooLarge": "ファイルが大きすぎます ({maxMb} MB まで)。ファイルを分けてアップロードしてください。",
  "roster.fatal.unsupportedFormat":
    "このファイル形式には対応していません。CSV (UTF-8 または Shift_JIS) か Excel (.xlsx) で保存してください。",
  "roster.fatal.badXlsx": "Excel ファイル (.xlsx) を読み込めませんでした。CSV で保存し直してお試しください。",
  "roster.fatal.undecodable":
    "ファイルの文字コードを判別できませんでした。UTF-8 または Shift_JIS の CSV で保存し直してください。",
  "roster.fatal.malformedCsv": 'CSV の {line} 行目付近で引用符 (") が閉じていません。ファイルを確認してください。',
  "roster.fatal.noHeader":
    "先頭の行に見出しが見つかりません。社員番号・姓・退職日の列が必要です (例: SmartHR の「社員番号」「姓」「退職年月日」、または Employee Number, Last Name, Termination Date)。",
  "roster.fatal.noRows": "見出しの下にデータ行がありません。",
  "roster.fatal.tooManyRows": "行数が多すぎます ({max} 行まで)。ファイルを分けてアップロードしてください。",

  "roster.rejected.missingEmployeeNumber": "社員番号が空です。",
  "roster.rejected.missingFamilyName": "姓 (漢字またはカナ) が空です。",
  "roster.rejected.missingLeaveDate": "退職日が空です。",
  "roster.rejected.badDate":
    "「{column}」の日付「{value}」を読めません (例: 2023-03-31, 2023/3/31, 令和5年3月31日, R5.3.31)。",
  "roster.rejected.leftBeforeJoined": "退職日 ({leftOn}) が入社日 ({joinedOn}) より前です。",
  "roster.rejected.badRehire": "再雇用可否「{value}」を読めません (可 / 不可 / ○ / × / はい / いいえ)。",
  "roster.rejected.badEmail": "「{column}」のメールアドレス「{value}」が正しくありません。",
  "roster.rejected.tooLong": "「{column}」が長すぎます ({max} 文字まで)。",
  "roster.rejected.duplicateEmployeeNumber":
    "社員番号 {employeeNumber} がファイル内で重複しています (ほかに {lines} 行目)。どちらも取り込みません。",

  "roster.importNotFound": "名簿の取り込み #{number} が見つかりません。",
  "roster.form.familyNameRequired": "姓 (漢字またはカナ) を入力してください。",
  "roster.form.badDate": "日付を読めません (例: 2023-03-31, 令和5年3月31日)。",
  "roster.form.leftBeforeJoined": "退職日が入社日より前になっています。",
  "roster.form.badRehire": "再雇用可否は 可 / 不可 で指定してください。",
  // Field names in a combined validation message (core/errors.ts reads field.<name>).
  "field.employeeNumber": "社員番号",
  "field.familyName": "姓",
  "field.givenName": "名",
  "field.familyNameKana": "姓 (カナ)",
  "field.givenNameKana": "名 (カナ)",
  "field.personalEmail": "個人のメールアドレス",
  "field.joinedOn": "入社日",
  "field.rehireEligible": "再雇用可否",
} as const;
