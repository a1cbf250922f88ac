// Japanese messages for membership (spread into ja.ts). Every key needs its English twin in en-membership.ts.
export const membershipJa = {
  "membership.verifyHeader": "在籍の確認",
  "membership.verifyIntro":
    "このコミュニティは元社員の方だけが参加できます。入力いただいた内容を人事の退職者名簿と照合します。一致しない場合は人事が確認し、結果をこのアプリからDMでお知らせします。",
  "membership.field.personalEmail": "個人のメールアドレス（在籍記録との照合に使います）",
  "membership.field.personalEmailHint":
    "会社のメールアドレスではなく、退職時に人事へ届け出た個人のメールアドレスを入力してください。",
  "membership.field.employeeNumber": "社員番号（わかれば）",
  "membership.field.employeeNumberHint": "メールアドレスで照合できないときに、在籍時の姓と合わせて使います。",
  "membership.field.familyName": "在籍時の姓（漢字またはカナ）",
  "membership.field.familyNameHint": "社員番号を入力した場合は必須です。旧姓で在籍していた方は旧姓を入力してください。",
  "membership.familyNameNeeded": "社員番号で照合するには、在籍時の姓も入力してください。",
  "membership.verifiedWelcome":
    "人事の在籍記録と一致しました。ようこそ！ 求人は `/alumni jobs`、イベントは `/alumni events`、名簿は `/alumni find` でご覧いただけます。",
  "membership.pendingReply":
    "ご登録ありがとうございます。在籍記録と自動では一致しなかったため、人事が参加申請（#{number}）を確認します。結果はこのアプリからDMでお知らせします。確認が済むまで、名簿・求人・副業・イベントはご利用いただけません。プロフィールの編集、データの書き出し（`/alumni mydata`）と削除（`/alumni delete`）はいつでもできます。",
  "membership.pendingAlready":
    "参加申請（#{number}）は人事が確認中です。結果はこのアプリからDMでお知らせします。プロフィールを保存しました。",
  "membership.reapplyBlocked": "参加申請が繰り返し見送られたため、{date} まで再申請できません。",
  "membership.notVerified":
    "この機能は、在籍が確認された方だけがご利用いただけます。参加申請中の方には、人事の確認結果をDMでお知らせします。申請が見送られた方は `/alumni join` から再申請できます。",
  "membership.requestNotFound": "参加申請 #{number} は見つかりません。",
  "membership.home.pending":
    "参加申請（#{number}）を人事が確認中です。結果はDMでお知らせします。それまで、名簿・求人・イベントはご利用いただけません。",
  "membership.home.pendingNoNumber":
    "在籍の確認がまだ済んでいません。確認が済むまで、名簿・求人・イベントはご利用いただけません。",
  "membership.home.rejected": "参加申請は見送られました。`/alumni join` から再申請できます。",
  "membership.decision.approvedTitle": "参加申請が承認されました",
  "membership.decision.approved":
    "人事が在籍を確認しました。ようこそ！ これからは次のことができます。\n• `/alumni jobs` と `/alumni gigs` で求人・副業を見る\n• `/alumni events` でイベントに出欠を答える\n• `/alumni find` で名簿を検索する\n• `/alumni refer` で知人を紹介する",
  "membership.decision.rejectedTitle": "参加申請は見送られました",
  "membership.decision.rejected": "参加申請（#{number}）は、人事の確認の結果、見送られました。",
  "membership.decision.reason": "人事からの理由: {reason}",
  "membership.decision.reapply": "入力内容を見直して、`/alumni join` からもう一度申請できます。",
  "membership.decision.reapplyFrom": "{date} 以降に `/alumni join` からもう一度申請できます。",
} as const;
