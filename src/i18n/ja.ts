// Japanese messages: the reference catalogue. Every key here must exist in en.ts
// (the type `Messages` makes a missing translation a compile error).
export const ja = {
  "error.internal": "問題が発生しました。時間をおいて、もう一度お試しください。(参照ID: {ref})",
  "error.validation": "入力内容を確認してください: {details}",
  "error.forbidden": "この操作を行う権限がありません。",
  "error.not_found": "{thing} が見つかりません。",
  "error.conflict": "他の操作と重なりました。もう一度お試しください。",
  "error.rate_limited": "操作が多すぎます。{seconds} 秒ほど待ってからお試しください。",
} as const;

export type MessageKey = keyof typeof ja;
