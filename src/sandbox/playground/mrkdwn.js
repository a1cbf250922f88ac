// Slack mrkdwn and the small markdown Teams shows, for the playground page.
// parseMrkdwn / parseSimpleMarkdown are pure (no DOM): they turn text into a token
// tree. renderMrkdwn / renderSimpleMarkdown build DOM from it with createElement and
// textContent only. simpleMarkdownToHtml is for the Adaptive Cards renderer's
// markdown hook, which must return HTML: every piece of text in it is escaped.

/** The shortcodes the page knows; unknown ones stay as text. */
export const EMOJI = {
  tada: "🎉",
  wave: "👋",
  calendar: "📆",
  date: "📅",
  spiral_calendar_pad: "🗓️",
  briefcase: "💼",
  white_check_mark: "✅",
  heavy_check_mark: "✔️",
  x: "❌",
  warning: "⚠️",
  bell: "🔔",
  no_bell: "🔕",
  sparkles: "✨",
  memo: "📝",
  busts_in_silhouette: "👥",
  bust_in_silhouette: "👤",
  handshake: "🤝",
  raised_hands: "🙌",
  clap: "👏",
  pray: "🙏",
  thumbsup: "👍",
  "+1": "👍",
  thumbsdown: "👎",
  "-1": "👎",
  eyes: "👀",
  rocket: "🚀",
  star: "⭐",
  fire: "🔥",
  heart: "❤️",
  smile: "😄",
  slightly_smiling_face: "🙂",
  information_source: "ℹ️",
  mag: "🔍",
  link: "🔗",
  lock: "🔒",
  pencil2: "✏️",
  email: "📧",
  envelope: "✉️",
  mega: "📣",
  loudspeaker: "📢",
  pushpin: "📌",
  round_pushpin: "📍",
  house: "🏠",
  office: "🏢",
  clock3: "🕒",
  hourglass: "⌛",
  no_entry_sign: "🚫",
  question: "❓",
  bulb: "💡",
  gift: "🎁",
  partying_face: "🥳",
  chart_with_upwards_trend: "📈",
  yen: "💴",
  moneybag: "💰",
  speech_balloon: "💬",
};

const ENTITY = { "&amp;": "&", "&lt;": "<", "&gt;": ">" };

/** Slack escapes exactly these three; nothing else is decoded. */
export function decodeEntities(text) {
  return text.replace(/&(amp|lt|gt);/g, (m) => ENTITY[m]);
}

/** Known :shortcodes: become their emoji (for plain_text objects with emoji: true). */
export function emojify(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (m, name) => (Object.hasOwn(EMOJI, name) ? EMOJI[name] : m));
}

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;
const WORD = /[A-Za-z0-9]/;

/** A URL the page may turn into a link: http, https or mailto only. */
export function isSafeUrl(url) {
  return typeof url === "string" && SAFE_LINK.test(url.trim()) && !/[\s"'<>`]/.test(url.trim());
}

function pushText(out, text) {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.type === "text") last.text += text;
  else out.push({ type: "text", text });
}

/** Index of the `>` closing a `<` at `start`, or -1. Control sequences never span lines. */
function controlEnd(s, start) {
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === ">") return i;
    if (s[i] === "<" || s[i] === "\n") return -1;
  }
  return -1;
}

function parseControl(inner) {
  const bar = inner.indexOf("|");
  const head = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? null : inner.slice(bar + 1);
  if (head.startsWith("@")) {
    return { type: "user", id: head.slice(1), label: label === null ? null : decodeEntities(label) };
  }
  if (head.startsWith("#")) {
    return { type: "channel", id: head.slice(1), name: label === null ? null : decodeEntities(label) };
  }
  if (head.startsWith("!")) {
    const command = head.slice(1);
    if (command === "here" || command === "channel" || command === "everyone") {
      return { type: "broadcast", name: command };
    }
    if (command.startsWith("date^")) {
      const [, unix, format = "", link] = command.split("^");
      const seconds = /^-?\d+$/.test(unix ?? "") ? Number(unix) : Number.NaN;
      return {
        type: "date",
        unix: seconds,
        format: decodeEntities(format),
        link: link && isSafeUrl(decodeEntities(link)) ? decodeEntities(link) : null,
        fallback: decodeEntities(label ?? ""),
      };
    }
    if (command.startsWith("subteam^")) {
      return { type: "text", text: decodeEntities(label ?? `@${command.slice(8)}`) };
    }
    return { type: "text", text: decodeEntities(label ?? `<${head}>`) };
  }
  const url = decodeEntities(head);
  const text = label === null || label === "" ? url : decodeEntities(label);
  if (isSafeUrl(url)) return { type: "link", url, text };
  // Not a link we open (javascript:, data:, relative…): its words only.
  return { type: "text", text };
}

/** Where the closing `marker` for an opening one at `start` is, skipping <…> and `…`; -1 when none. */
function closingMarker(s, start, marker) {
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i];
    if (c === "\n") return -1;
    if (c === "<") {
      const end = controlEnd(s, i);
      if (end !== -1) i = end;
      continue;
    }
    if (c === "`" && marker !== "`") {
      const end = s.indexOf("`", i + 1);
      if (end !== -1) i = end;
      continue;
    }
    if (c === marker && i > start + 1 && !/\s/.test(s[i - 1]) && (i + 1 === s.length || !WORD.test(s[i + 1]))) {
      return i;
    }
  }
  return -1;
}

const STYLE = { "*": "bold", _: "italic", "~": "strike" };

/** Inline tokens of one line (no newlines inside). */
function parseInline(s) {
  const out = [];
  let buf = "";
  const flush = () => {
    pushText(out, decodeEntities(buf));
    buf = "";
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "<") {
      const end = controlEnd(s, i);
      if (end > i + 1) {
        flush();
        const token = parseControl(s.slice(i + 1, end));
        if (token.type === "text") pushText(out, token.text);
        else out.push(token);
        i = end;
        continue;
      }
    } else if (c === "`") {
      const end = s.indexOf("`", i + 1);
      if (end > i + 1) {
        flush();
        out.push({ type: "code", text: decodeEntities(s.slice(i + 1, end)) });
        i = end;
        continue;
      }
    } else if (c === "*" || c === "_" || c === "~") {
      const opens = (i === 0 || !WORD.test(s[i - 1])) && i + 1 < s.length && !/\s/.test(s[i + 1]) && s[i + 1] !== c;
      const end = opens ? closingMarker(s, i, c) : -1;
      if (end !== -1) {
        flush();
        out.push({ type: STYLE[c], children: parseInline(s.slice(i + 1, end)) });
        i = end;
        continue;
      }
    } else if (c === ":") {
      const m = /^:([a-z0-9_+-]+):/.exec(s.slice(i));
      if (m && Object.hasOwn(EMOJI, m[1])) {
        flush();
        out.push({ type: "emoji", name: m[1], text: EMOJI[m[1]] });
        i += m[0].length - 1;
        continue;
      }
    }
    buf += c;
  }
  flush();
  return out;
}

const QUOTE = /^(?:>|&gt;) ?/;

/** Lines → inline tokens with breaks, `> ` lines grouped into quotes. */
function parseLines(text, out) {
  const lines = text.split("\n");
  let quote = null;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const q = QUOTE.exec(line);
    if (q) {
      if (!quote) {
        quote = { type: "quote", children: [] };
        out.push(quote);
      } else {
        quote.children.push({ type: "br" });
      }
      quote.children.push(...parseInline(line.slice(q[0].length)));
      continue;
    }
    // A quote ends its own line; a plain line after it starts without a break.
    if (n > 0 && !quote) out.push({ type: "br" });
    quote = null;
    out.push(...parseInline(line));
  }
}

/**
 * Slack mrkdwn → token tree: a list of
 * text {text} | br | bold/italic/strike/quote {children} | code/pre {text} | link {url, text} |
 * user {id, label} | channel {id, name} | broadcast {name} | date {unix, format, link, fallback} |
 * emoji {name, text}. Text values are already decoded (&amp; &lt; &gt; only).
 */
export function parseMrkdwn(text) {
  const source = typeof text === "string" ? text : "";
  const out = [];
  let rest = source;
  for (;;) {
    const start = rest.indexOf("```");
    const end = start === -1 ? -1 : rest.indexOf("```", start + 3);
    if (end === -1) break;
    if (start > 0) parseLines(rest.slice(0, start).replace(/\n$/, ""), out);
    out.push({ type: "pre", text: decodeEntities(rest.slice(start + 3, end).replace(/^\n/, "")) });
    rest = rest.slice(end + 3).replace(/^\n/, "");
  }
  if (rest) parseLines(rest, out);
  return out;
}

function pad(n) {
  return String(n).padStart(2, "0");
}

/**
 * `<!date^…>`'s format with the page's language. Tokens: {date_num} {date} {date_short}
 * {date_long} {date_pretty} {date_short_pretty} {date_long_pretty} {time} {time_secs} {ago}.
 * Returns null when the time is not a number (the caller shows the fallback).
 */
export function formatSlackDate(unix, format, locale, now = Date.now(), timeZone = undefined) {
  if (!Number.isFinite(unix)) return null;
  const date = new Date(unix * 1000);
  if (Number.isNaN(date.getTime())) return null;
  const lang = locale === "ja" ? "ja-JP" : "en-US";
  const fmt = (options) => new Intl.DateTimeFormat(lang, { timeZone, ...options }).format(date);
  const dayKey = (d) => new Intl.DateTimeFormat("en-CA", { timeZone, dateStyle: "short" }).format(d);
  const pretty = (style) => {
    const rel = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    const key = dayKey(date);
    for (const offset of [-1, 0, 1]) {
      if (dayKey(new Date(now + offset * 86_400_000)) === key) {
        const word = rel.format(offset, "day");
        return lang === "en-US" ? word.charAt(0).toUpperCase() + word.slice(1) : word;
      }
    }
    return fmt({ dateStyle: style });
  };
  const ago = () => {
    const rel = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    const seconds = Math.round((date.getTime() - now) / 1000);
    const units = [
      ["year", 31_536_000],
      ["month", 2_592_000],
      ["day", 86_400],
      ["hour", 3600],
      ["minute", 60],
    ];
    for (const [unit, size] of units)
      if (Math.abs(seconds) >= size) return rel.format(Math.round(seconds / size), unit);
    return rel.format(seconds, "second");
  };
  const parts = {
    date_num: () => {
      const [y, m, d] = dayKey(date).split("-");
      return `${y}-${pad(m)}-${pad(d)}`;
    },
    date: () => fmt({ dateStyle: "long" }),
    date_short: () => fmt({ dateStyle: "medium" }),
    date_long: () => fmt({ dateStyle: "full" }),
    date_pretty: () => pretty("long"),
    date_short_pretty: () => pretty("medium"),
    date_long_pretty: () => pretty("full"),
    time: () => fmt({ timeStyle: "short" }),
    time_secs: () => fmt({ timeStyle: "medium" }),
    ago,
  };
  return format.replace(/\{([a-z_]+)\}/g, (m, name) => (Object.hasOwn(parts, name) ? parts[name]() : m));
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function link(url, text) {
  const a = el("a", "mrkdwn-link", text);
  a.href = url;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}

function renderTokens(tokens, ctx, parent) {
  for (const token of tokens) {
    switch (token.type) {
      case "text":
        parent.append(document.createTextNode(token.text));
        break;
      case "br":
        parent.append(el("br"));
        break;
      case "bold":
      case "italic":
      case "strike":
      case "quote": {
        const tag = { bold: "strong", italic: "em", strike: "s", quote: "blockquote" }[token.type];
        const node = el(tag, token.type === "quote" ? "mrkdwn-quote" : "");
        renderTokens(token.children, ctx, node);
        parent.append(node);
        break;
      }
      case "code":
        parent.append(el("code", "mrkdwn-code", token.text));
        break;
      case "pre":
        parent.append(el("pre", "mrkdwn-pre", token.text));
        break;
      case "link":
        parent.append(link(token.url, token.text));
        break;
      case "user": {
        const name = token.label || ctx.userName?.(token.id) || token.id;
        parent.append(el("span", "mrkdwn-mention", `@${name}`));
        break;
      }
      case "channel": {
        const name = token.name || ctx.channelName?.(token.id) || token.id;
        parent.append(el("span", "mrkdwn-mention", `#${name}`));
        break;
      }
      case "broadcast":
        parent.append(el("span", "mrkdwn-mention mrkdwn-broadcast", `@${token.name}`));
        break;
      case "date": {
        let shown = null;
        try {
          shown = formatSlackDate(token.unix, token.format, ctx.locale, ctx.now ?? Date.now(), ctx.timeZone);
        } catch {
          shown = null;
        }
        const text = shown ?? token.fallback;
        if (token.link) parent.append(link(token.link, text));
        else {
          const span = el("time", "mrkdwn-date", text);
          if (Number.isFinite(token.unix)) span.dateTime = new Date(token.unix * 1000).toISOString();
          if (token.fallback) span.title = token.fallback;
          parent.append(span);
        }
        break;
      }
      case "emoji": {
        const span = el("span", "emoji", token.text);
        span.title = `:${token.name}:`;
        parent.append(span);
        break;
      }
      default:
        break;
    }
  }
}

/**
 * Slack mrkdwn → a DocumentFragment. ctx: { locale, userName(id), channelName(id), now, timeZone }.
 */
export function renderMrkdwn(text, ctx = {}) {
  const fragment = document.createDocumentFragment();
  renderTokens(parseMrkdwn(text), ctx, fragment);
  return fragment;
}

// --- The small markdown Teams shows: **bold**, _italic_ / *italic*, line breaks,
// "- " / "* " / "1. " lists, [label](https://…) links.

const HTML_ENTITY = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": "\u00a0" };

/** Teams renders HTML entities in messages and markdown; the page shows their characters. */
function decodeHtmlEntities(text) {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (m) => HTML_ENTITY[m]);
}

function parseSimpleInline(s) {
  const out = [];
  let buf = "";
  const flush = () => {
    pushText(out, decodeHtmlEntities(buf));
    buf = "";
  };
  for (let i = 0; i < s.length; i++) {
    const rest = s.slice(i);
    let m = /^\*\*(?=\S)(.+?)\*\*/.exec(rest);
    if (m && !/\s$/.test(m[1])) {
      flush();
      out.push({ type: "bold", children: parseSimpleInline(m[1]) });
      i += m[0].length - 1;
      continue;
    }
    m = /^([_*])(?=\S)(.+?)\1(?![A-Za-z0-9])/.exec(rest);
    if (m && !/\s$/.test(m[2]) && (i === 0 || !WORD.test(s[i - 1]))) {
      flush();
      out.push({ type: "italic", children: parseSimpleInline(m[2]) });
      i += m[0].length - 1;
      continue;
    }
    m = /^\[([^\]\n]+)\]\(([^()\s]+)\)/.exec(rest);
    if (m) {
      flush();
      const url = decodeHtmlEntities(m[2]);
      const label = decodeHtmlEntities(m[1]);
      if (/^https?:\/\//i.test(url) && isSafeUrl(url)) out.push({ type: "link", url, text: label });
      else pushText(out, label);
      i += m[0].length - 1;
      continue;
    }
    buf += s[i];
  }
  flush();
  return out;
}

/**
 * Teams' markdown subset → tokens: paragraphs of inline tokens and lists.
 * Block tokens: line {children} | list {ordered, items: [children]}.
 */
export function parseSimpleMarkdown(text) {
  const source = (typeof text === "string" ? text : "").replace(/\r\n?/g, "\n");
  const out = [];
  let list = null;
  for (const line of source.split("\n")) {
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = bullet ? null : /^\s*\d+\.\s+(.*)$/.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      const ordered = Boolean(numbered);
      if (!list || list.ordered !== ordered) {
        list = { type: "list", ordered, items: [] };
        out.push(list);
      }
      list.items.push(parseSimpleInline(item[1]));
      continue;
    }
    list = null;
    out.push({ type: "line", children: parseSimpleInline(line) });
  }
  return out;
}

function renderSimpleInline(tokens, parent) {
  for (const token of tokens) {
    if (token.type === "text") parent.append(document.createTextNode(token.text));
    else if (token.type === "link") parent.append(link(token.url, token.text));
    else {
      const node = el(token.type === "bold" ? "strong" : "em");
      renderSimpleInline(token.children, node);
      parent.append(node);
    }
  }
}

/** Teams markdown → a DocumentFragment (DOM only, no HTML parsing). */
export function renderSimpleMarkdown(text) {
  const fragment = document.createDocumentFragment();
  const blocks = parseSimpleMarkdown(text);
  blocks.forEach((block, index) => {
    if (block.type === "list") {
      const list = el(block.ordered ? "ol" : "ul", "md-list");
      for (const item of block.items) {
        const li = el("li");
        renderSimpleInline(item, li);
        list.append(li);
      }
      fragment.append(list);
    } else {
      renderSimpleInline(block.children, fragment);
      const next = blocks[index + 1];
      if (next && next.type === "line") fragment.append(el("br"));
    }
  });
  return fragment;
}

/** HTML-escape for text and attribute values. */
export function escapeHtml(text) {
  return String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function simpleInlineHtml(tokens) {
  return tokens
    .map((token) => {
      if (token.type === "text") return escapeHtml(token.text);
      if (token.type === "link") {
        return `<a href="${escapeHtml(token.url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(token.text)}</a>`;
      }
      const tag = token.type === "bold" ? "strong" : "em";
      return `<${tag}>${simpleInlineHtml(token.children)}</${tag}>`;
    })
    .join("");
}

/**
 * Teams markdown → HTML for the Adaptive Cards renderer's onProcessMarkdown hook.
 * Every text is escaped; the only tags are the ones added here.
 */
export function simpleMarkdownToHtml(text) {
  const blocks = parseSimpleMarkdown(text);
  return blocks
    .map((block, index) => {
      if (block.type === "list") {
        const tag = block.ordered ? "ol" : "ul";
        return `<${tag}>${block.items.map((item) => `<li>${simpleInlineHtml(item)}</li>`).join("")}</${tag}>`;
      }
      const next = blocks[index + 1];
      return simpleInlineHtml(block.children) + (next && next.type === "line" ? "<br>" : "");
    })
    .join("");
}
