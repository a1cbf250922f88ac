// The playground page: Slack (alumni workspace) and Teams side by side, talking to
// the sandbox server's JSON API (src/sandbox/playground-types.ts). Every click becomes
// a POST; the server signs it like Slack or Teams and sends it to the bot's real
// endpoints. The page polls the state and re-renders only what changed.
import { collectValues, renderBlocks, showErrors } from "./blockkit.js";
import { isSafeUrl, renderMrkdwn, renderSimpleMarkdown, simpleMarkdownToHtml } from "./mrkdwn.js";

/** Every string the page itself shows. */
const STRINGS = {
  ja: {
    pageTitle: "alumni-bridge プレイグラウンド",
    playground: "プレイグラウンド",
    language: "このページの表示",
    seed: "デモデータを追加",
    seeding: "追加中…",
    seedDone: "デモデータを追加しました：アルムナイ {members} 人・募集 {postings} 件・イベント {events} 件",
    seedAlready: "デモデータは追加済みです",
    seeded: "デモデータあり",
    timeLabel: "時刻",
    timeRun: "この時刻でスケジューラを実行",
    timeRunning: "実行中…",
    timeQuick: "現在時刻から",
    plus1h: "+1 時間",
    plus1d: "+1 日",
    plus7d: "+7 日",
    plus90d: "+90 日",
    timeReleased: "送信待ちのメッセージを {count} 件送信しました",
    timeNothing: "この時刻までに予定されたものはありません",
    timeBadInput: "日時を入力してください",
    lastAsOf: "前回の実行：{time} 時点",
    connLost: "サーバーに接続できません。再試行しています…",
    slackSub: "アルムナイ ワークスペース",
    persona: "ペルソナ",
    channels: "チャンネル",
    apps: "アプリ",
    home: "ホーム",
    messages: "メッセージ",
    onlyYou: "あなただけに表示されています",
    edited: "(編集済み)",
    appBadge: "アプリ",
    send: "送信",
    slackPlaceholder: "{name} へのメッセージ（例：/alumni help）",
    slashHint: "ここでボットに届くのはスラッシュコマンドだけです。例：/alumni help",
    noMessages: "まだメッセージはありません。下の欄に /alumni help と入力してみましょう。",
    homeLoading: "ホームを読み込んでいます…",
    homeEmpty: "ボットはまだホームを表示していません。",
    optional: "（任意）",
    selectPlaceholder: "選択してください",
    unsupportedBlock: "未対応のブロック：{type}",
    moreOptions: "その他のオプション",
    datepicker: "日付を選択",
    timepicker: "時刻を選択",
    confirmTitle: "よろしいですか？",
    confirmOk: "はい",
    cancel: "キャンセル",
    close: "閉じる",
    submit: "送信",
    dismiss: "閉じる",
    teamsChat: "チャット",
    teamsPlaceholder: "新しいメッセージを入力（例：help）",
    attach: "ファイルを送る（退職者名簿の CSV など）",
    demoRoster: "デモ名簿を送る（SmartHR 形式・Shift_JIS）",
    fileTooBig: "512 KB までのファイルを選んでください。",
    roleAdmin: "人事管理者",
    roleCm: "コミュニティマネージャー",
    teamsEmpty: "ボットとのチャットはまだありません。help と送ってみましょう。",
    newMessages: "新着メッセージ ↓",
    cardError: "このカードを表示できませんでした",
    rendererMissing: "Adaptive Cards のレンダラーを読み込めませんでした",
    networkError: "サーバーに接続できませんでした",
    quick: "よく使うコマンド",
    you: "あなた",
  },
  en: {
    pageTitle: "alumni-bridge playground",
    playground: "playground",
    language: "Show this page in",
    seed: "Add demo data",
    seeding: "Adding…",
    seedDone: "Added demo data: {members} alumni, {postings} postings, {events} events",
    seedAlready: "The demo data is already there",
    seeded: "Demo data added",
    timeLabel: "Time",
    timeRun: "Run scheduler as of…",
    timeRunning: "Running…",
    timeQuick: "From now",
    plus1h: "+1 h",
    plus1d: "+1 d",
    plus7d: "+7 d",
    plus90d: "+90 d",
    timeReleased: "Released {count} queued message(s)",
    timeNothing: "Nothing was due by then",
    timeBadInput: "Enter a date and time",
    lastAsOf: "Last run as of {time}",
    connLost: "Can't reach the server. Retrying…",
    slackSub: "alumni workspace",
    persona: "Persona",
    channels: "Channels",
    apps: "Apps",
    home: "Home",
    messages: "Messages",
    onlyYou: "Only visible to you",
    edited: "(edited)",
    appBadge: "APP",
    send: "Send",
    slackPlaceholder: "Message {name} (e.g. /alumni help)",
    slashHint: "Only slash commands reach the bot here. Try /alumni help",
    noMessages: "No messages yet. Type /alumni help below.",
    homeLoading: "Loading Home…",
    homeEmpty: "The bot has not published a Home view yet.",
    optional: "(optional)",
    selectPlaceholder: "Select an option",
    unsupportedBlock: "unsupported block: {type}",
    moreOptions: "More options",
    datepicker: "Select a date",
    timepicker: "Select a time",
    confirmTitle: "Are you sure?",
    confirmOk: "Yes",
    cancel: "Cancel",
    close: "Close",
    submit: "Submit",
    dismiss: "Dismiss",
    teamsChat: "Chat",
    teamsPlaceholder: "Type a message (e.g. help)",
    attach: "Send a file (a leavers roster CSV, say)",
    demoRoster: "Send the demo roster (SmartHR style, Shift_JIS)",
    fileTooBig: "Choose a file of at most 512 KB.",
    roleAdmin: "HR admin",
    roleCm: "Community manager",
    teamsEmpty: "No chat with the bot yet. Send help to start.",
    newMessages: "New messages ↓",
    cardError: "Could not render this card",
    rendererMissing: "The Adaptive Cards renderer did not load",
    networkError: "Could not reach the server",
    quick: "Quick commands",
    you: "You",
  },
};

const SLACK_QUICK = [
  "/alumni help",
  "/alumni join",
  "/alumni profile",
  "/alumni jobs",
  "/alumni gigs",
  "/alumni events",
  "/alumni mydata",
];
const TEAMS_QUICK = {
  admin: ["help", "post job", "post gig", "postings", "returners", "roster", "broadcast", "roles", "failed deliveries"],
  cm: ["help", "schedule event", "events", "broadcast"],
};
const POLL_MS = 700;
/** After a persona switch on the DM: the new persona's DM, once the state names it. */
const DM_PENDING = "\u0000dm";
const API = "/playground/api";

const app = {
  locale: "ja",
  personas: null,
  slackUser: "",
  teamsPersona: "",
  version: null,
  state: null,
  /** { kind: "conv", id } or { kind: "home" } */
  slackSel: { kind: "conv", id: "" },
  sigs: { sidebar: "", conv: "", convId: "", home: "", modal: "", modalErrors: "", teams: "", asOf: "" },
  homeRequested: false,
  /** Whether each conversation follows new messages (false once the user scrolls up). */
  stick: { slack: true, teams: true },
};

function t(key, params) {
  const table = STRINGS[app.locale] ?? STRINGS.en;
  const text = table[key] ?? STRINGS.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** A page string that follows the language switch. */
function tr(node, key, params) {
  node.dataset.i18n = key;
  if (params) node.dataset.i18nParams = JSON.stringify(params);
  else delete node.dataset.i18nParams;
  node.textContent = t(key, params);
  return node;
}

function applyStrings() {
  document.documentElement.lang = app.locale;
  document.title = t("pageTitle");
  for (const node of document.querySelectorAll("[data-i18n]")) {
    const params = node.dataset.i18nParams ? JSON.parse(node.dataset.i18nParams) : undefined;
    node.textContent = t(node.dataset.i18n, params);
  }
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    const params = node.dataset.i18nParams ? JSON.parse(node.dataset.i18nParams) : undefined;
    node.placeholder = t(node.dataset.i18nPlaceholder, params);
  }
  for (const node of document.querySelectorAll("[data-i18n-aria-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
  }
  for (const node of document.querySelectorAll("[data-i18n-title]")) {
    node.setAttribute("title", t(node.dataset.i18nTitle));
  }
  for (const node of document.querySelectorAll("time[data-at]")) formatTimeNode(node);
  renderTimeResult();
}

const timeFormats = new Map();
function formatTimeNode(node) {
  const at = Number(node.dataset.at);
  const lang = app.locale === "ja" ? "ja-JP" : "en-US";
  const key = `${lang}|${node.dataset.style ?? "short"}`;
  let format = timeFormats.get(key);
  if (!format) {
    format =
      node.dataset.style === "full"
        ? new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" })
        : new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit" });
    timeFormats.set(key, format);
  }
  node.textContent = format.format(new Date(at));
  node.dateTime = new Date(at).toISOString();
  node.title = new Date(at).toLocaleString(lang);
}

function timeNode(at, style = "short") {
  const node = el("time", "time");
  node.dataset.at = String(at);
  node.dataset.style = style;
  formatTimeNode(node);
  return node;
}

// --- API.

class ApiFailure extends Error {}

function toast(pane, message) {
  const host = $(`${pane}-toasts`);
  const box = el("div", "toast");
  box.setAttribute("role", "alert");
  box.dataset.testid = `${pane}-toast`;
  box.append(el("span", "toast-text", message));
  const dismiss = tr(el("button", "toast-dismiss"), "dismiss");
  dismiss.type = "button";
  dismiss.addEventListener("click", () => box.remove());
  box.append(dismiss);
  host.append(box);
  setTimeout(() => box.remove(), 15_000);
}

async function post(path, body, pane) {
  let response;
  try {
    response = await fetch(`${API}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...body, locale: app.locale }),
    });
  } catch {
    toast(pane, t("networkError"));
    throw new ApiFailure("network");
  }
  let json = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  refreshSoon();
  if (!response.ok || !json || json.ok === false) {
    const message = json?.error ?? `${response.status} ${response.statusText}`;
    toast(pane, message);
    throw new ApiFailure(message);
  }
  return json;
}

/** Run a POST, ignoring the failure it already showed. */
async function quietly(promise) {
  try {
    return await promise;
  } catch (error) {
    if (!(error instanceof ApiFailure)) console.error(error);
    return null;
  }
}

// --- Sync.

let polling = false;
let pollAgain = false;
let pollTimer = 0;

function refreshSoon() {
  if (polling) {
    pollAgain = true;
    return;
  }
  clearTimeout(pollTimer);
  pollTimer = setTimeout(poll, 0);
}

async function poll() {
  clearTimeout(pollTimer);
  if (polling) {
    pollAgain = true;
    return;
  }
  polling = true;
  pollAgain = false;
  const key = `${app.slackUser}|${app.teamsPersona}`;
  try {
    const params = new URLSearchParams({ slack: app.slackUser, teams: app.teamsPersona });
    if (app.version !== null) params.set("since", String(app.version));
    const response = await fetch(`${API}/state?${params}`, { cache: "no-store" });
    $("conn").hidden = true;
    if (key !== `${app.slackUser}|${app.teamsPersona}`) pollAgain = true;
    else if (response.status === 200) {
      const state = await response.json();
      if (key === `${app.slackUser}|${app.teamsPersona}`) {
        app.version = state.version ?? null;
        app.state = state;
        render();
      } else pollAgain = true;
    } else if (response.status !== 204) {
      throw new Error(`state: ${response.status}`);
    }
  } catch (error) {
    console.warn(error);
    $("conn").hidden = false;
  } finally {
    polling = false;
    pollTimer = setTimeout(poll, pollAgain ? 0 : POLL_MS);
  }
}

function render() {
  const state = app.state;
  if (!state) return;
  renderTop(state);
  renderSlack(state.slack);
  renderTeams(state.teams);
}

function rerenderAll() {
  app.sigs.sidebar = "";
  app.sigs.conv = "";
  app.sigs.home = "";
  app.sigs.asOf = "";
  render();
}

// --- Top bar.

function pad(n) {
  return String(n).padStart(2, "0");
}

function localInputValue(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function renderTop(state) {
  const seed = $("seed-demo");
  if (!seed.classList.contains("is-busy")) seed.disabled = state.demoSeeded === true;
  if (state.demoSeeded && !$("seed-result").textContent) tr($("seed-result"), "seeded");
  if (state.asOf !== app.sigs.asOf) {
    app.sigs.asOf = state.asOf;
    const last = $("time-last");
    last.replaceChildren();
    if (state.asOf) {
      // The time sits inside the sentence: split the sentence where {time} goes.
      const [before = "", after = ""] = t("lastAsOf", { time: "\u0000" }).split("\u0000");
      last.append(before, timeNode(Date.parse(state.asOf), "full"), after);
    }
  }
}

function summarizeTime(result) {
  const parts = [];
  parts.push(result.released > 0 ? t("timeReleased", { count: result.released }) : t("timeNothing"));
  for (const job of result.jobs ?? []) {
    if (!job.ok) {
      parts.push(`${job.job}: ✖ ${job.error ?? "error"}`);
      continue;
    }
    const figures = Object.entries(job.result ?? {}).filter(
      ([, v]) => (typeof v === "number" && v !== 0) || (typeof v === "string" && v) || v === true,
    );
    if (figures.length) parts.push(`${job.job}: ${figures.map(([k, v]) => `${k} ${v}`).join(", ")}`);
  }
  return parts;
}

function setupTop() {
  const locale = $("locale");
  locale.value = app.locale;
  locale.addEventListener("change", () => {
    app.locale = locale.value === "en" ? "en" : "ja";
    applyStrings();
    rerenderAll();
    renderPersonaOptions();
    updateComposerPlaceholder();
  });

  const seed = $("seed-demo");
  seed.addEventListener("click", async () => {
    seed.disabled = true;
    seed.classList.add("is-busy");
    seed.setAttribute("aria-busy", "true");
    const result = await quietly(post("seed", {}, "top"));
    seed.classList.remove("is-busy");
    seed.removeAttribute("aria-busy");
    if (result) {
      tr($("seed-result"), result.created ? "seedDone" : "seedAlready", {
        members: result.members,
        postings: result.postings,
        events: result.events,
      });
      seed.disabled = true;
    } else seed.disabled = app.state?.demoSeeded === true;
  });

  const asOf = $("time-asof");
  asOf.value = localInputValue(new Date(Date.now() + 86_400_000));
  for (const button of document.querySelectorAll("[data-plus]")) {
    button.addEventListener("click", () => {
      asOf.value = localInputValue(new Date(Date.now() + Number(button.dataset.plus)));
      asOf.focus();
    });
  }
  const run = $("time-run");
  run.addEventListener("click", async () => {
    const out = $("time-result");
    const when = new Date(asOf.value);
    if (!asOf.value || Number.isNaN(when.getTime())) {
      app.timeResult = null;
      tr(out, "timeBadInput");
      return;
    }
    run.disabled = true;
    run.classList.add("is-busy");
    run.setAttribute("aria-busy", "true");
    const result = await quietly(post("time", { asOf: when.toISOString() }, "top"));
    run.disabled = false;
    run.classList.remove("is-busy");
    run.removeAttribute("aria-busy");
    if (!result) return;
    app.timeResult = result;
    renderTimeResult();
  });
}

/** The last scheduler run's summary, in the page's current language. */
function renderTimeResult() {
  const out = $("time-result");
  if (!app.timeResult || !out) return;
  out.replaceChildren();
  delete out.dataset.i18n;
  summarizeTime(app.timeResult).forEach((line, n) => {
    out.append(el("span", n === 0 ? "time-main" : "time-job", line));
  });
}

// --- Slack.

function slackConversations() {
  return app.state?.slack?.conversations ?? [];
}

function currentConversation() {
  if (app.slackSel.kind !== "conv") return null;
  return slackConversations().find((c) => c.id === app.slackSel.id) ?? null;
}

function userName(id) {
  return app.personas?.slack.find((p) => p.id === id)?.name;
}

function channelName(id) {
  return (
    slackConversations().find((c) => c.id === id)?.name ??
    (app.personas?.alumniChannel.id === id ? app.personas.alumniChannel.name : undefined)
  );
}

function mrkdwnCtx() {
  return { locale: app.locale, userName, channelName };
}

function blockCtx(viewKey, onAction) {
  return { t, mrkdwn: mrkdwnCtx(), viewKey, onAction, dialogHost: $("slack-pane") };
}

function conversationLabel(conv) {
  return conv.kind === "channel" ? `# ${conv.name}` : conv.name;
}

function selectConversation(id) {
  app.slackSel = { kind: "conv", id };
  app.stick.slack = true;
  app.sigs.conv = "";
  renderSlack(app.state?.slack);
  updateComposerPlaceholder();
  $("slack-composer").focus();
}

function openHome() {
  const wasHome = app.slackSel.kind === "home";
  app.slackSel = { kind: "home" };
  if (!wasHome) requestHome();
  renderSlack(app.state?.slack);
  updateComposerPlaceholder();
}

function requestHome() {
  app.homeRequested = true;
  app.sigs.home = "";
  quietly(post("slack/home", { user: app.slackUser }, "slack"));
}

function renderSidebar() {
  const conversations = slackConversations();
  const channels = conversations.filter((c) => c.kind === "channel");
  if (!channels.length && app.personas) {
    channels.push({ id: app.personas.alumniChannel.id, kind: "channel", name: app.personas.alumniChannel.name });
  }
  const dms = conversations.filter((c) => c.kind === "dm");
  const sig = JSON.stringify([channels.map((c) => [c.id, c.name]), dms.map((c) => [c.id, c.name]), app.slackSel]);
  if (sig === app.sigs.sidebar) return;
  app.sigs.sidebar = sig;
  const item = (testid, label, selected, onClick, icon) => {
    const li = el("li");
    const button = el("button", `side-item${selected ? " is-selected" : ""}`);
    button.type = "button";
    button.dataset.testid = testid;
    if (selected) button.setAttribute("aria-current", "page");
    if (icon) button.append(el("span", "side-icon", icon));
    button.append(typeof label === "string" ? el("span", "side-label", label) : label);
    button.addEventListener("click", onClick);
    li.append(button);
    return li;
  };
  $("slack-channels").replaceChildren(
    ...channels.map((c) =>
      item(`slack-conv-${c.id}`, conversationLabel(c), app.slackSel.kind === "conv" && app.slackSel.id === c.id, () =>
        selectConversation(c.id),
      ),
    ),
  );
  const apps = [];
  for (const c of dms) {
    apps.push(
      item(
        `slack-conv-${c.id}`,
        c.name,
        app.slackSel.kind === "conv" && app.slackSel.id === c.id,
        () => selectConversation(c.id),
        "🤖",
      ),
    );
  }
  apps.push(item("slack-home-tab", tr(el("span", "side-label"), "home"), app.slackSel.kind === "home", openHome, "🏠"));
  $("slack-apps").replaceChildren(...apps);
}

function renderConvHead(conv) {
  const head = $("slack-conv-head");
  head.replaceChildren();
  if (app.slackSel.kind === "home" || conv?.kind === "dm") {
    const dm = slackConversations().find((c) => c.kind === "dm");
    head.append(el("h3", "conv-title", dm?.name ?? "alumni-bridge"));
    const tabs = el("div", "conv-tabs");
    const tab = (key, selected, onClick) => {
      const button = tr(el("button", `conv-tab${selected ? " is-selected" : ""}`), key);
      button.type = "button";
      if (selected) button.setAttribute("aria-current", "page");
      button.addEventListener("click", onClick);
      return button;
    };
    tabs.append(
      tab("home", app.slackSel.kind === "home", openHome),
      tab("messages", app.slackSel.kind === "conv", () => dm && selectConversation(dm.id)),
    );
    head.append(tabs);
  } else {
    head.append(el("h3", "conv-title", conv ? conversationLabel(conv) : ""));
  }
}

function isAtBottom(node) {
  return node.scrollHeight - node.scrollTop - node.clientHeight < 48;
}

function scrollToBottom(node) {
  node.scrollTop = node.scrollHeight;
}

function initials(name) {
  const text = (name ?? "?").trim();
  return text ? Array.from(text)[0].toUpperCase() : "?";
}

function hue(name) {
  let h = 0;
  for (const ch of String(name)) h = (h * 31 + ch.codePointAt(0)) % 360;
  return h;
}

function avatar(name, bot) {
  const node = el("div", `avatar${bot ? " avatar-bot" : ""}`, bot ? "ab" : initials(name));
  node.setAttribute("aria-hidden", "true");
  if (!bot) node.style.backgroundColor = `hsl(${hue(name)} 45% 38%)`;
  return node;
}

function renderSlackMessage(conv, message, compact) {
  const node = el("div", `msg${compact ? " msg-compact" : ""}${message.ephemeral ? " msg-ephemeral" : ""}`);
  node.dataset.testid = "slack-message";
  node.dataset.ephemeral = message.ephemeral ? "true" : "false";
  node.dataset.id = message.id;
  node.dataset.from = message.from;
  const gutter = el("div", "msg-gutter");
  if (compact) gutter.append(timeNode(message.at));
  else gutter.append(avatar(message.author, message.from === "bot"));
  const body = el("div", "msg-body");
  if (message.ephemeral) {
    const badge = el("div", "ephemeral-badge");
    badge.append(el("span", "", "👁 "), tr(el("span"), "onlyYou"));
    body.append(badge);
  }
  if (!compact) {
    const head = el("div", "msg-head");
    head.append(el("span", "msg-author", message.author));
    if (message.from === "bot") head.append(tr(el("span", "app-badge"), "appBadge"));
    head.append(timeNode(message.at));
    body.append(head);
  }
  const content = el("div", "msg-content");
  const onAction = (detail) =>
    quietly(post("slack/action", { user: app.slackUser, channel: conv.id, messageId: message.id, ...detail }, "slack"));
  if (Array.isArray(message.blocks) && message.blocks.length) {
    content.append(renderBlocks(message.blocks, blockCtx(`${conv.id}/${message.id}`, onAction)));
  } else {
    const text = el("div", "msg-text");
    text.append(renderMrkdwn(message.text ?? "", mrkdwnCtx()));
    content.append(text);
  }
  for (const file of message.files ?? []) {
    const link = el("a", "msg-file");
    link.href = `/playground/api/files?id=${encodeURIComponent(file.id)}`;
    link.download = file.name;
    link.dataset.testid = "slack-file";
    link.append(el("span", "msg-file-icon", "📄"), el("span", "msg-file-title", file.title));
    link.append(el("span", "msg-file-meta", `${file.name} · ${Math.max(1, Math.round(file.size / 1024))} KB`));
    content.append(link);
  }
  if (message.edited) content.append(tr(el("span", "edited"), "edited"));
  body.append(content);
  node.append(gutter, body);
  return node;
}

const messageSigs = new WeakMap();

function renderMessages(conv) {
  const list = $("slack-messages");
  const switched = app.sigs.convId !== (conv?.id ?? "");
  const sig = JSON.stringify([conv?.id, conv?.messages, app.locale]);
  if (!switched && sig === app.sigs.conv) return;
  const wasAtBottom = switched || app.stick.slack;
  app.sigs.conv = sig;
  app.sigs.convId = conv?.id ?? "";
  if (!conv || conv.messages.length === 0) {
    list.replaceChildren(tr(el("div", "empty"), "noMessages"));
    return;
  }
  const existing = new Map();
  for (const child of list.children) if (child.dataset.id) existing.set(child.dataset.id, child);
  const nodes = [];
  let previous = null;
  for (const message of conv.messages) {
    const compact =
      previous !== null &&
      previous.author === message.author &&
      previous.from === message.from &&
      previous.ephemeral === message.ephemeral &&
      message.at - previous.at < 5 * 60_000;
    const messageSig = JSON.stringify([message, compact, app.locale]);
    const old = existing.get(message.id);
    nodes.push(old && messageSigs.get(old) === messageSig ? old : renderSlackMessage(conv, message, compact));
    messageSigs.set(nodes[nodes.length - 1], messageSig);
    previous = message;
  }
  placeItems(list, nodes, wasAtBottom, "slack-new");
}

/** Put the rendered items in the list (only if they changed), keeping the reader's place. */
function placeItems(list, nodes, wasAtBottom, newButtonId) {
  const same = nodes.length === list.children.length && nodes.every((n, i) => list.children[i] === n);
  if (!same) {
    const top = list.scrollTop;
    list.replaceChildren(...nodes);
    list.scrollTop = top;
  }
  if (wasAtBottom) {
    scrollToBottom(list);
    $(newButtonId).hidden = true;
  } else if (!same) $(newButtonId).hidden = false;
}

function renderHome(home) {
  const host = $("slack-home");
  const sig = JSON.stringify([home, app.locale]);
  if (sig === app.sigs.home) return;
  app.sigs.home = sig;
  if (!home) {
    host.replaceChildren(tr(el("div", "empty"), app.homeRequested ? "homeLoading" : "homeEmpty"));
    return;
  }
  const onAction = (detail) =>
    quietly(post("slack/action", { user: app.slackUser, viewId: home.id, ...detail }, "slack"));
  host.replaceChildren(renderBlocks(home.blocks, blockCtx(`home/${home.id}`, onAction)));
}

function renderSlack(slack) {
  if (!slack) return;
  if (app.slackSel.kind === "conv" && !slackConversations().some((c) => c.id === app.slackSel.id)) {
    const conversations = slackConversations();
    const fallback =
      (app.slackSel.id === DM_PENDING ? conversations.find((c) => c.kind === "dm") : undefined) ??
      conversations.find((c) => c.id === app.personas?.alumniChannel.id) ??
      conversations[0];
    if (fallback) app.slackSel = { kind: "conv", id: fallback.id };
  }
  renderSidebar();
  const conv = currentConversation();
  updateComposerPlaceholder();
  const home = app.slackSel.kind === "home";
  $("slack-messages").hidden = home;
  $("slack-home").hidden = !home;
  $("slack-composer-form").hidden = home;
  if (home) $("slack-new").hidden = true;
  renderConvHead(conv);
  if (home) renderHome(slack.home);
  else renderMessages(conv);
  renderModal(slack.modal);
}

function updateComposerPlaceholder() {
  const conv = currentConversation();
  const composer = $("slack-composer");
  const name = conv ? conversationLabel(conv).replace("# ", "#") : "";
  composer.dataset.i18nPlaceholder = "slackPlaceholder";
  composer.dataset.i18nParams = JSON.stringify({ name });
  composer.placeholder = t("slackPlaceholder", { name });
}

// --- Slack modal.

const modal = { view: null, sig: "", root: null, form: null };

function modalSig(view) {
  return JSON.stringify([view.id, view.hash ?? null, view.title, view.submit, view.close, view.blocks]);
}

function closeModalDom() {
  modal.root?.remove();
  modal.root = null;
  modal.form = null;
  modal.view = null;
  modal.sig = "";
  app.sigs.modalErrors = "";
}

function renderModal(view) {
  if (!view) {
    if (modal.root) {
      closeModalDom();
      $("slack-composer").focus();
    }
    return;
  }
  const sig = modalSig(view);
  if (sig === modal.sig && modal.root) {
    modal.view = view;
    applyModalErrors(view.errors);
    return;
  }
  modal.root?.remove();
  modal.view = view;
  modal.sig = sig;
  app.sigs.modalErrors = "";

  const backdrop = el("div", "modal-backdrop");
  const dialog = el("div", "modal");
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-modal", "true");
  dialog.dataset.testid = "slack-modal";
  dialog.dataset.viewId = view.id;
  const titleId = `modal-title-${view.id}`;
  dialog.setAttribute("aria-labelledby", titleId);
  const head = el("div", "modal-head");
  const title = el("h2", "modal-title", view.title?.text ?? "");
  title.id = titleId;
  head.append(el("span", "modal-app", "ab"), title);
  const form = el("form", "modal-body");
  form.noValidate = true;
  const onAction = (detail) =>
    quietly(
      post("slack/action", { user: app.slackUser, viewId: view.id, values: collectValues(form), ...detail }, "slack"),
    );
  form.append(renderBlocks(view.blocks, blockCtx(`view/${view.id}`, onAction)));
  const foot = el("div", "modal-foot");
  const close = el("button", "bk-button modal-close");
  close.type = "button";
  close.dataset.testid = "slack-modal-close";
  if (view.close?.text) close.textContent = view.close.text;
  else tr(close, "close");
  close.addEventListener("click", () => closeModal(close));
  foot.append(close);
  if (view.submit?.text) {
    const submit = el("button", "bk-button bk-primary modal-submit", view.submit.text);
    submit.type = "submit";
    submit.dataset.testid = "slack-modal-submit";
    submit.setAttribute("form", `modal-form-${view.id}`);
    foot.append(submit);
  }
  form.id = `modal-form-${view.id}`;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitModal();
  });
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Tab") trapFocus(dialog, event);
  });
  dialog.append(head, form, foot);
  backdrop.append(dialog);
  $("slack-modal-host").append(backdrop);
  modal.root = backdrop;
  modal.form = form;
  applyModalErrors(view.errors);
  const first = form.querySelector("input, textarea, select, button");
  (first ?? close).focus({ preventScroll: true });
}

/** Escape closes the modal, from inside the Slack pane (or when focus was lost to the page). */
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented || !modal.root) return;
  const target = event.target;
  if (!(target === document.body || $("slack-pane").contains(target))) return;
  if ($("slack-pane").querySelector(".bk-confirm")) return;
  const close = modal.root.querySelector("[data-testid=slack-modal-close]");
  if (!close || close.disabled) return;
  event.preventDefault();
  closeModal(close);
});

function trapFocus(container, event) {
  const focusable = Array.from(
    container.querySelectorAll("button:not([disabled]), input:not([disabled]), textarea, select, a[href]"),
  ).filter((n) => n.offsetParent !== null);
  if (!focusable.length) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

function applyModalErrors(errors) {
  if (!modal.form || errors === undefined) return;
  const sig = JSON.stringify(errors ?? {});
  if (sig === app.sigs.modalErrors) return;
  app.sigs.modalErrors = sig;
  return showErrors(modal.form, errors ?? {}, "server");
}

async function closeModal(button) {
  const view = modal.view;
  if (!view) return;
  button.disabled = true;
  button.classList.add("is-busy");
  const result = await quietly(post("slack/close", { user: app.slackUser, viewId: view.id }, "slack"));
  button.disabled = false;
  button.classList.remove("is-busy");
  if (result && modal.view?.id === view.id) {
    if ("modal" in result) renderModal(result.modal ?? null);
    else closeModalDom();
  }
}

async function submitModal() {
  const view = modal.view;
  const form = modal.form;
  if (!view || !form) return;
  const submit = modal.root.querySelector("[data-testid=slack-modal-submit]");
  if (submit?.disabled) return;
  // Slack's own client would refuse an empty required input before sending; the page
  // sends everything, so what the bot itself answers (ack errors) is what you see.
  const values = collectValues(form);
  if (submit) {
    submit.disabled = true;
    submit.classList.add("is-busy");
    submit.setAttribute("aria-busy", "true");
  }
  const result = await quietly(post("slack/submit", { user: app.slackUser, viewId: view.id, values }, "slack"));
  if (submit) {
    submit.disabled = false;
    submit.classList.remove("is-busy");
    submit.removeAttribute("aria-busy");
    if (submit.isConnected && (document.activeElement === document.body || !document.activeElement)) submit.focus();
  }
  if (!result || modal.view?.id !== view.id) return;
  const ack = result.ack ?? {};
  if (ack.response_action === "errors") {
    app.sigs.modalErrors = JSON.stringify(ack.errors ?? {});
    const first = showErrors(form, ack.errors ?? {}, "server");
    renderModal(result.modal ?? null);
    first?.focus();
  } else {
    showErrors(form, {}, "server");
    renderModal(result.modal ?? null);
  }
}

// --- Slack composer.

function setupSlack() {
  const composer = $("slack-composer");
  const hint = $("slack-hint");
  const form = $("slack-composer-form");
  const send = async () => {
    const text = composer.value.trim();
    if (!text) return;
    if (!text.startsWith("/")) {
      tr(hint, "slashHint");
      hint.hidden = false;
      return;
    }
    const conv = currentConversation();
    if (!conv) return;
    hint.hidden = true;
    composer.value = "";
    app.stick.slack = true;
    const button = $("slack-send");
    button.classList.add("is-busy");
    const result = await quietly(post("slack/command", { user: app.slackUser, channel: conv.id, text }, "slack"));
    button.classList.remove("is-busy");
    if (!result && !composer.value) composer.value = text;
  };
  sendOnEnter(form, composer, send);
  composer.addEventListener("input", () => {
    if (!hint.hidden && (composer.value.startsWith("/") || !composer.value)) hint.hidden = true;
  });
  const chips = $("slack-chips");
  for (const command of SLACK_QUICK) {
    const chip = el("button", "chip", command);
    chip.type = "button";
    chip.addEventListener("click", () => {
      composer.value = command;
      hint.hidden = true;
      composer.focus();
    });
    chips.append(chip);
  }
  $("slack-persona").addEventListener("change", (event) => {
    app.slackUser = event.target.value;
    switchedPersona();
    if (app.slackSel.kind === "home") requestHome();
    else app.homeRequested = false;
  });
  followBottom("slack", "slack-messages", "slack-new");
}

/** The form's submit and Enter (not Shift+Enter, not while an IME is composing) send. */
function sendOnEnter(form, composer, send) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });
  composer.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
}

/** A list that follows its newest item unless the user scrolled up; the "new messages" button returns. */
function followBottom(pane, listId, newButtonId) {
  $(listId).addEventListener("scroll", () => {
    app.stick[pane] = isAtBottom($(listId));
    if (app.stick[pane]) $(newButtonId).hidden = true;
  });
  $(newButtonId).addEventListener("click", () => {
    scrollToBottom($(listId));
    $(newButtonId).hidden = true;
  });
}

function switchedPersona() {
  app.version = null;
  app.sigs.sidebar = "";
  app.sigs.conv = "";
  app.sigs.home = "";
  app.sigs.teams = "";
  closeModalDom();
  if (app.slackSel.kind === "conv") {
    const kind = currentConversation()?.kind;
    if (kind === "dm") app.slackSel = { kind: "conv", id: DM_PENDING };
  }
  refreshSoon();
}

// --- Teams.

/** Teams' text colours, on white and on the grey "emphasis" background alike. */
const TEXT_COLORS = {
  default: { default: "#242424", subtle: "#616161" },
  accent: { default: "#4F52B2", subtle: "#5B5FC7" },
  good: { default: "#0E7A0B", subtle: "#0E7A0B" },
  warning: { default: "#8A5A00", subtle: "#8A5A00" },
  attention: { default: "#C4314B", subtle: "#C4314B" },
};

const HOST_CONFIG = {
  fontFamily: '"Segoe UI", system-ui, -apple-system, "Hiragino Sans", "Noto Sans JP", "Yu Gothic", sans-serif',
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: "#E0E0E0" },
  fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 22 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  lineHeights: { small: 16, default: 20, medium: 22, large: 24, extraLarge: 28 },
  imageSizes: { small: 40, medium: 80, large: 160 },
  containerStyles: {
    default: {
      backgroundColor: "#FFFFFF",
      foregroundColors: {
        ...TEXT_COLORS,
        dark: { default: "#242424", subtle: "#424242" },
        light: { default: "#FFFFFF", subtle: "#F5F5F5" },
      },
    },
    emphasis: {
      backgroundColor: "#F5F5F5",
      foregroundColors: TEXT_COLORS,
    },
    accent: { backgroundColor: "#E8EBFA" },
    good: { backgroundColor: "#E7F2DA" },
    attention: { backgroundColor: "#FCF4F6" },
    warning: { backgroundColor: "#FBF6D9" },
  },
  actions: {
    maxActions: 6,
    spacing: "default",
    buttonSpacing: 8,
    showCard: { actionMode: "inline", inlineTopMargin: 12, style: "emphasis" },
    actionsOrientation: "horizontal",
    actionAlignment: "left",
    iconPlacement: "leftOfTitle",
    allowTitleToWrap: true,
  },
  adaptiveCard: { allowCustomStyle: false },
  factSet: {
    title: { color: "default", size: "default", isSubtle: false, weight: "bolder", wrap: true, maxWidth: 150 },
    value: { color: "default", size: "default", isSubtle: false, weight: "default", wrap: true },
    spacing: 8,
  },
  inputs: {
    label: {
      inputSpacing: "small",
      requiredInputs: { weight: "bolder", suffix: " *", suffixColor: "attention" },
      optionalInputs: { weight: "bolder" },
    },
    errorMessage: { size: "small", color: "attention", weight: "bolder" },
  },
};

let hostConfig = null;

function setupAdaptiveCards() {
  const AC = globalThis.AdaptiveCards;
  if (!AC) return false;
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = simpleMarkdownToHtml(text);
    result.didProcess = true;
  };
  hostConfig = new AC.HostConfig(HOST_CONFIG);
  return true;
}

function teamsPersona() {
  return app.personas?.teams.find((p) => p.key === app.teamsPersona) ?? null;
}

async function onCardAction(item, action, wrapper) {
  const AC = globalThis.AdaptiveCards;
  if (action instanceof AC.OpenUrlAction) {
    if (isSafeUrl(action.url) && /^https?:/i.test(action.url)) window.open(action.url, "_blank", "noopener,noreferrer");
    return;
  }
  let kind;
  if (action instanceof AC.ExecuteAction) kind = "execute";
  else if (action instanceof AC.SubmitAction) kind = "submit";
  else return;
  // The renderer has already checked required inputs before calling us; check again
  // so nothing invalid is ever sent (this shows the renderer's own messages).
  if (typeof action.validateInputs === "function" && action.validateInputs().length > 0) return;
  const raw = action.data;
  const data =
    raw && typeof raw === "object" && !Array.isArray(raw) ? { ...raw } : raw === undefined ? {} : { value: raw };
  const body = { persona: app.teamsPersona, activityId: item.id, kind, data };
  if (kind === "execute") body.verb = action.verb;
  wrapper.classList.add("is-busy");
  wrapper.setAttribute("aria-busy", "true");
  const buttons = Array.from(wrapper.querySelectorAll("button"));
  for (const b of buttons) b.disabled = true;
  await quietly(post("teams/submit", body, "teams"));
  wrapper.classList.remove("is-busy");
  wrapper.removeAttribute("aria-busy");
  for (const b of buttons) b.disabled = false;
}

function renderCard(item, json) {
  const wrapper = el("div", "teams-card");
  wrapper.dataset.testid = "teams-card";
  const AC = globalThis.AdaptiveCards;
  if (!AC || !hostConfig) {
    wrapper.append(tr(el("div", "card-error"), "rendererMissing"));
    return wrapper;
  }
  try {
    const card = new AC.AdaptiveCard();
    card.hostConfig = hostConfig;
    card.parse(json);
    card.onExecuteAction = (action) => {
      onCardAction(item, action, wrapper);
    };
    const rendered = card.render();
    if (rendered) wrapper.append(rendered);
    else wrapper.append(tr(el("div", "card-error"), "cardError"));
  } catch (error) {
    console.error("card render failed", json, error);
    wrapper.append(tr(el("div", "card-error"), "cardError"));
  }
  return wrapper;
}

function renderTeamsText(item) {
  const node = el("div", "teams-text");
  const text = item.text ?? "";
  const format = (item.textFormat ?? "markdown").toLowerCase();
  if (format === "plain") node.textContent = text;
  else if (format === "xml")
    node.append(renderSimpleMarkdown(text.replace(/<br\s*\/?>/gi, "\n").replace(/<[^>]*>/g, "")));
  else node.append(renderSimpleMarkdown(text));
  return node;
}

function renderTeamsItem(item) {
  const mine = item.from === "user";
  const node = el("div", `teams-item ${mine ? "teams-mine" : "teams-bot"}`);
  node.dataset.testid = "teams-item";
  node.dataset.id = item.id;
  node.dataset.from = item.from;
  if (!mine) node.append(avatar(item.author, true));
  const column = el("div", "teams-column");
  const head = el("div", "teams-meta");
  if (!mine) head.append(el("span", "teams-author", item.author));
  head.append(timeNode(item.at));
  if (item.edited) head.append(tr(el("span", "edited"), "edited"));
  column.append(head);
  if (item.text) {
    const bubble = el("div", "teams-bubble");
    bubble.append(renderTeamsText(item));
    column.append(bubble);
  }
  for (const card of item.cards ?? []) column.append(renderCard(item, card));
  node.append(column);
  return node;
}

const itemSigs = new WeakMap();

function renderTeams(teams) {
  if (!teams) return;
  const list = $("teams-items");
  const items = teams.items ?? [];
  const sig = JSON.stringify([teams.persona, items]);
  if (sig === app.sigs.teams) return;
  const switched = !app.sigs.teams || JSON.parse(app.sigs.teams)[0] !== teams.persona;
  const wasAtBottom = switched || app.stick.teams;
  app.sigs.teams = sig;
  if (!items.length) {
    list.replaceChildren(tr(el("div", "empty"), "teamsEmpty"));
    return;
  }
  const existing = new Map();
  for (const child of list.children) if (child.dataset.id) existing.set(child.dataset.id, child);
  const nodes = items.map((item) => {
    const itemSig = JSON.stringify(item);
    const old = existing.get(item.id);
    const node = old && itemSigs.get(old) === itemSig ? old : renderTeamsItem(item);
    itemSigs.set(node, itemSig);
    return node;
  });
  placeItems(list, nodes, wasAtBottom, "teams-new");
}

function renderTeamsChips() {
  const chips = $("teams-chips");
  const role = teamsPersona()?.role ?? "admin";
  const commands = (TEAMS_QUICK[role] ?? TEAMS_QUICK.admin).map((command) => {
    const chip = el("button", "chip", command);
    chip.type = "button";
    chip.addEventListener("click", () => {
      $("teams-composer").value = command;
      $("teams-composer").focus();
    });
    return chip;
  });
  // HR's leavers roster: the SmartHR-style Shift_JIS export that ships with the demo data.
  const demo = tr(el("button", "chip chip-file"), "demoRoster");
  demo.type = "button";
  demo.dataset.testid = "teams-demo-roster";
  demo.addEventListener("click", async () => {
    app.stick.teams = true;
    demo.disabled = true;
    await quietly(post("teams/demo-roster", { persona: app.teamsPersona }, "teams"));
    demo.disabled = false;
  });
  chips.replaceChildren(...commands, ...(role === "admin" ? [demo] : []));
}

/** Send a file the person picked, as a Teams file attachment (read here, hosted by the sandbox). */
async function sendTeamsFile(file) {
  if (file.size > 512 * 1024) {
    toast("teams", t("fileTooBig"));
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  app.stick.teams = true;
  await quietly(post("teams/file", { persona: app.teamsPersona, name: file.name, base64: btoa(binary) }, "teams"));
}

function setupTeams() {
  const composer = $("teams-composer");
  const send = async () => {
    const text = composer.value.trim();
    if (!text) return;
    composer.value = "";
    app.stick.teams = true;
    const button = $("teams-send");
    button.classList.add("is-busy");
    const result = await quietly(post("teams/message", { persona: app.teamsPersona, text }, "teams"));
    button.classList.remove("is-busy");
    if (!result && !composer.value) composer.value = text;
  };
  sendOnEnter($("teams-composer-form"), composer, send);
  const picker = $("teams-file");
  $("teams-attach").addEventListener("click", () => picker.click());
  picker.addEventListener("change", async () => {
    const [file] = picker.files ?? [];
    picker.value = "";
    if (file) await sendTeamsFile(file);
  });
  $("teams-persona").addEventListener("change", (event) => {
    app.teamsPersona = event.target.value;
    renderTeamsChips();
    switchedPersona();
  });
  followBottom("teams", "teams-items", "teams-new");
}

// --- Start.

function renderPersonaOptions() {
  const slack = $("slack-persona");
  slack.replaceChildren(
    ...app.personas.slack.map((p) => {
      const option = el("option", "", p.name);
      option.value = p.id;
      return option;
    }),
  );
  slack.value = app.slackUser;
  const teams = $("teams-persona");
  teams.replaceChildren(
    ...app.personas.teams.map((p) => {
      // The names say the role already ("… (HR admin)"); the role adds it only when they do not.
      const role = t(p.role === "cm" ? "roleCm" : "roleAdmin");
      const label = /\(.+\)\s*$/.test(p.name) ? p.name : `${p.name} — ${role}`;
      const option = el("option", "", label);
      option.value = p.key;
      return option;
    }),
  );
  teams.value = app.teamsPersona;
}

async function start() {
  applyStrings();
  setupAdaptiveCards();
  setupTop();
  setupSlack();
  setupTeams();
  for (;;) {
    try {
      const response = await fetch(`${API}/personas`, { cache: "no-store" });
      if (!response.ok) throw new Error(`personas: ${response.status}`);
      app.personas = await response.json();
      break;
    } catch (error) {
      console.warn(error);
      $("conn").hidden = false;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
  }
  $("conn").hidden = true;
  app.locale = app.personas.locale === "en" ? "en" : "ja";
  $("locale").value = app.locale;
  app.slackUser = app.personas.slack[0]?.id ?? "";
  app.teamsPersona = app.personas.teams[0]?.key ?? "";
  app.slackSel = { kind: "conv", id: app.personas.alumniChannel.id };
  renderPersonaOptions();
  renderTeamsChips();
  applyStrings();
  updateComposerPlaceholder();
  if (!globalThis.AdaptiveCards) toast("teams", t("rendererMissing"));
  poll();
}

start();
