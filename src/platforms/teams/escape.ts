// User text shown to HR in Teams. Adaptive Card TextBlocks render a markdown
// subset, so a member's "[Click](https://evil)" must not become a link; plain
// messages may render HTML, so &, < and > are escaped there too.
export function cardText(text: string): string {
  return text
    .replaceAll("](", "]\u200b(")
    .replaceAll(/^(\s*)([-*+]|\d+\.)\s/gm, "$1$2\u00a0")
    .replaceAll("<at>", "<\u200bat>");
}

export function messageText(text: string): string {
  return cardText(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
