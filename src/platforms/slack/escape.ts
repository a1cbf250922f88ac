// User text in Slack messages. Slack's mrkdwn treats <...> as links and special
// mentions (<!channel>, <@U123>, <https://evil|bank>), so &, < and > are escaped
// as Slack documents. Text objects carrying user text are also `verbatim`, so
// Slack does not turn a typed "@channel" or URL into a mention or link, and the
// words channel/here/everyone after "@" get a word joiner as a last guard.
export function escapeMrkdwn(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll(/@(channel|here|everyone)\b/gi, "@\u2060$1");
}

/** Plain-text objects are never parsed for links or mentions; only lengths matter. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
