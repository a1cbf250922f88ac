// Japanese messages for teams-roster (spread into ja.ts). Every key needs its English twin in en-teams-roster.ts.
export const teamsRosterJa = {
  // help (helpCard builds these two keys from the command's name)
  "teams.help.usage.roster": "roster [検索語] | roster add | roster delete <社員番号>",
  "teams.help.roster":
    "退職者名簿の件数と検索、1人ずつの登録（add）と削除（delete）。名簿ファイル（CSV・XLSX）はボットとの個人チャットに送ると取り込めます",

  // file upload
  "teamsRoster.file.personalOnly":
    "名簿ファイルはボットとの個人チャットに送ってください（チャネルやグループチャットのファイルは読み込みません）。",
  "teamsRoster.file.badType":
    "「{name}」は読み込める形式ではありません。CSV・タブ区切り（UTF-8、Shift_JIS または UTF-16）か XLSX のファイルを送ってください。何も保存していません。",
  "teamsRoster.file.hostNotAllowed":
    "ファイルの取得元（{host}）が許可されていないため、ダウンロードしませんでした（TEAMS_FILE_HOSTS）。何も保存していません。",
  "teamsRoster.file.redirectNotAllowed":
    "ファイルの取得元が、許可されていないホスト（{host}）へ転送しようとしたため、ダウンロードを中止しました。何も保存していません。",
  "teamsRoster.file.tooManyRedirects":
    "ファイルの取得元の転送が多すぎるため、ダウンロードを中止しました。何も保存していません。",
  "teamsRoster.file.tooBig": "ファイルが大きすぎます（上限 {max}）。何も保存していません。",
  "teamsRoster.file.downloadFailed":
    "ファイルをダウンロードできませんでした（{reason}）。ダウンロード用のリンクは数分で期限が切れます。もう一度送ってください。何も保存していません。",

  // preview and decision
  "teamsRoster.preview.title": "名簿の取り込み #{number}",
  "teamsRoster.preview.intro":
    "まだ何も保存していません。内容を確認して「取り込む」を押すと、ファイル全体を一度に反映します。",
  "teamsRoster.preview.file": "ファイル",
  "teamsRoster.preview.encoding": "文字コード",
  "teamsRoster.preview.new": "新規",
  "teamsRoster.preview.updated": "更新",
  "teamsRoster.preview.unchanged": "変更なし",
  "teamsRoster.preview.rejected": "取り込めない行",
  "teamsRoster.preview.rejectedTitle": "取り込めない行（{count} 行。この行は反映されません）",
  "teamsRoster.preview.rejectedLine": "{line} 行目: {reason}",
  "teamsRoster.preview.rejectedMore": "ほか {count} 行",
  "teamsRoster.preview.import": "取り込む",
  "teamsRoster.preview.cancel": "取り消す",
  "teamsRoster.status.previewed": "確認待ち",
  "teamsRoster.status.imported": "取り込み済み",
  "teamsRoster.status.cancelled": "取り消し済み",
  "teamsRoster.imported": "名簿に取り込みました（新規 {new}、更新 {updated}）。",
  "teamsRoster.cancelled": "取り込みを取り消しました。名簿は変わっていません。",
  "teamsRoster.alreadyImported": "この取り込みはすでに{by}が取り込み済みです。変更はありません。",
  "teamsRoster.alreadyCancelled": "この取り込みはすでに{by}が取り消しています。変更はありません。",
  "teamsRoster.someone": "ほかの担当者",

  // roster command
  "teamsRoster.personalOnly":
    "名簿の検索・登録・削除は、ボットとの個人チャットで行ってください（名簿は人事の記録です。チャネルには人事以外の人もいます）。",
  "teamsRoster.summary.title": "退職者名簿",
  "teamsRoster.summary.total": "登録数",
  "teamsRoster.summary.joined": "アルムナイとして参加済み",
  "teamsRoster.summary.notJoined": "未参加",
  "teamsRoster.summary.rehireIneligible": "再雇用不可",
  "teamsRoster.summary.lastImport": "最後の取り込み",
  "teamsRoster.summary.lastImportValue": "#{number} {fileName}（{at}）",
  "teamsRoster.summary.empty":
    "名簿はまだ空です。名簿ファイル（CSV・XLSX）をこのチャットに送るか、roster add で1人ずつ登録できます。",
  "teamsRoster.summary.hint":
    "roster <氏名・社員番号など> で検索、roster add で1人登録、roster delete <社員番号> で削除できます。名簿は人事の記録です。アルムナイには表示されません。",
  "teamsRoster.search.title": "名簿の検索「{query}」（{count} 件）",
  "teamsRoster.search.none": "該当する行はありません。",
  "teamsRoster.search.more": "最初の {count} 件を表示しています。語を足して絞り込んでください。",
  "teamsRoster.joined.yes": "参加済み",
  "teamsRoster.joined.no": "未参加",
  "teamsRoster.rehire.yes": "可",
  "teamsRoster.rehire.no": "不可",
  "teamsRoster.delete.usage": "使い方: roster delete <社員番号>",
  "teamsRoster.delete.done": "社員番号 {number} の行を名簿から削除しました（監査ログに記録しました）。",
  "teamsRoster.delete.notFound": "社員番号 {number} の行は名簿にありません。",

  // one-leaver form
  "teamsRoster.add.title": "退職者を1人登録",
  "teamsRoster.add.intro": "社員番号が同じ行があれば、その行を更新します。",
  "teamsRoster.add.submit": "登録する",
  "teamsRoster.add.created": "名簿に登録しました。",
  "teamsRoster.add.updated": "同じ社員番号の行を更新しました。",
  "teamsRoster.add.another": "続けて登録",
  "teamsRoster.field.employeeNumber": "社員番号",
  "teamsRoster.field.familyName": "姓",
  "teamsRoster.field.givenName": "名",
  "teamsRoster.field.familyNameKana": "姓（ヨミガナ）",
  "teamsRoster.field.givenNameKana": "名（ヨミガナ）",
  "teamsRoster.field.name": "氏名",
  "teamsRoster.field.nameKana": "ヨミガナ",
  "teamsRoster.field.personalEmail": "個人のメールアドレス",
  "teamsRoster.field.department": "部署",
  "teamsRoster.field.joinedOn": "入社日",
  "teamsRoster.field.leftOn": "退職日",
  "teamsRoster.field.rehireEligible": "再雇用可",
  "teamsRoster.field.joined": "参加",

  // join requests
  "joinRequest.card.title": "参加申請 #{number}",
  "joinRequest.card.intro":
    "名簿との照合で確認できなかった参加申請です。本人が入力した内容と名簿の近い候補を確かめて、承認か却下を選んでください。",
  "joinRequest.field.displayName": "表示名",
  "joinRequest.field.personalEmail": "個人のメールアドレス",
  "joinRequest.field.employeeNumber": "社員番号",
  "joinRequest.field.familyName": "姓",
  "joinRequest.field.requestedAt": "申請日時",
  "joinRequest.field.status": "状態",
  "joinRequest.field.decidedBy": "判断した人",
  "joinRequest.field.decidedAt": "判断日時",
  "joinRequest.field.reason": "理由",
  "joinRequest.entered": "本人が入力した内容",
  "joinRequest.candidates.title": "名簿の近い候補",
  "joinRequest.candidates.none": "名簿に近い候補はありません。",
  "joinRequest.candidates.why": "一致: {why}",
  "joinRequest.why.email": "個人メール",
  "joinRequest.why.employee_number": "社員番号",
  "joinRequest.why.name": "姓",
  "joinRequest.link.label": "承認するとき、名簿のこの行と結び付ける",
  "joinRequest.link.none": "結び付けない",
  "joinRequest.reason.label": "理由（任意。却下のときは本人に伝えます）",
  "joinRequest.approve": "承認",
  "joinRequest.reject": "却下",
  "joinRequest.status.pending": "確認待ち",
  "joinRequest.status.approved": "承認済み",
  "joinRequest.status.rejected": "却下",
  "joinRequest.decided.approved": "{by}が承認しました。本人に伝えます。",
  "joinRequest.decided.rejected": "{by}が却下しました。本人に伝えます。",
  "joinRequest.alreadyDecided": "この申請はすでに{by}が判断しています（{status}）。変更はありません。",
  "joinRequest.notFound": "参加申請 #{number} は見つかりません（本人がデータを削除した可能性があります）。",
  "joinRequest.someone": "ほかの担当者",
} as const;
