// Sending fuzz cases to the running bot and checking the properties every answer must have:
// - no 5xx (501 for a Teams invoke the bot does not implement is fine), no error logged;
// - every Slack request answered within 3 s; one no listener takes answered at once with 200
//   and a warning in the log;
// - a refused request changes nothing: the row count of every table (bookkeeping aside) and
//   the outbox are what they were;
// - every refusal the user sees is a catalogue message (ja or en), never a stack, an internal
//   error or a program's words;
// - no user text reaches Slack as a live mention or link, nor Teams as markup.
import fc from "fast-check";
import { en } from "../../src/i18n/en.js";
import { ja } from "../../src/i18n/ja.js";
import { adaptiveCards } from "../support/fake-connector.js";
import type { TeamsActivity, TeamsUser } from "../support/teams-requests.js";
import {
  type ActionCase,
  blockActions,
  type EventCase,
  events,
  type InteractionCase,
  malformedSlackBodies,
  malformedTeamsBodies,
  otherInteractions,
  type RawCase,
  type SlashCase,
  slashCommands,
  type TeamsActivityCase,
  type TeamsActorKind,
  type TeamsCardCase,
  type TeamsCommandCase,
  teamsActivities,
  teamsCardActions,
  teamsCommands,
  type ViewCase,
  viewSubmissions,
} from "./generators.js";
import { BOOKKEEPING_TABLES, type FuzzBot } from "./harness.js";

/** What one request did. */
export interface Outcome {
  status: number;
  ms: number;
  /** The HTTP answer's body (a view submission's ack, an invoke's card). */
  answer: unknown;
  /** The request is one no listener takes (decided by the generator, not by the bot). */
  unhandled?: boolean;
  /** Slack: the request must be answered within 3 s. */
  slack?: boolean;
  /** Teams: an invoke (501 allowed). */
  invoke?: boolean;
}

export interface EntryPoint<T> {
  name: string;
  arbitrary: (bot: FuzzBot) => fc.Arbitrary<T>;
  send: (bot: FuzzBot, c: T) => Promise<Outcome>;
}

// ---- the catalogue, as patterns ----

const escapeRegExp = (s: string) => s.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&");
const TEMPLATES: { key: string; pattern: RegExp }[] = [ja, en].flatMap((catalogue) =>
  Object.entries(catalogue as Record<string, string>).map(([key, template]) => ({
    key,
    pattern: new RegExp(
      `^${template
        .split(/\{\w+\}/)
        .map(escapeRegExp)
        .join("[\\s\\S]*")}$`,
    ),
  })),
);
const INTERNAL_ERROR = TEMPLATES.filter((t) => t.key === "error.internal").map((t) => t.pattern);

/** The text as written, without the escapes and invisible guards the bot adds to user text. */
function asWritten(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&")
    .replaceAll(/[\u200b\u2060]/g, "")
    .replaceAll("\u00a0", " ")
    .trim();
}

/**
 * The catalogue key the text is (filled in), or for text made of several catalogue messages
 * on their own lines (a dialog's retry prompt and its question), the first one's key.
 */
export function catalogueKey(text: string): string | undefined {
  const plain = asWritten(text);
  const whole = TEMPLATES.find((t) => t.pattern.test(plain))?.key;
  if (whole) return whole;
  const lines = plain.split("\n");
  if (lines.length > 8) return undefined;
  for (let i = 1; i < lines.length; i++) {
    const head = catalogueKey(lines.slice(0, i).join("\n"));
    if (head && catalogueKey(lines.slice(i).join("\n"))) return head;
  }
  return undefined;
}

/** Words a program says and a person should never see (unless they typed them themselves). */
const PROGRAM_WORDS = [
  "Error:",
  "TypeError",
  "undefined",
  "[object",
  "NaN",
  "    at ",
  "prisma",
  "Prisma",
  "ECONNREFUSED",
  "stack",
];

/**
 * Live Slack syntax that only user text could have put there. A bare `<@U…>` is not on the
 * list: `block <@U…>` names a user, and the bot mentions the id it parsed in its answer to
 * the one who asked; a labelled `<@U…|label>` is never the bot's own.
 */
const SLACK_LIVE = [
  /<@UFUZZ1\|/,
  /<!channel/,
  /<!here/,
  /<!everyone/,
  /<https?:\/\/fuzz\.example/,
  /<mailto:fuzz/,
  /<#CFUZZ/,
  /<!subteam/,
  /<!date\^1392734382/,
  /@(channel|here|everyone)\b/,
];
/** Markup Teams renders in a message; in a card, markdown links and mentions. */
const TEAMS_MESSAGE_MARKUP = [
  /<b>fuzzbold/,
  /<img /,
  /<script>/,
  /<at>FUZZ/,
  /<a href="http:\/\/fuzz/,
  /\]\(http:\/\/fuzz\.example\)/,
];
const TEAMS_CARD_MARKUP = [/\]\(http:\/\/fuzz\.example\)/, /<at>FUZZ/];

// ---- collecting what the bot said ----

interface Said {
  /** Slack mrkdwn (parsed for mentions and links) and every other text the user sees. */
  mrkdwn: string[];
  plain: string[];
  /** Texts that are refusals (":warning:" replies, modal errors, Teams warnings and error blocks). */
  refusals: string[];
  /** Teams message texts (rendered as markup) and card texts. */
  teamsMessages: string[];
  teamsCardTexts: string[];
}

function walkBlocks(value: unknown, said: Said): void {
  if (Array.isArray(value)) {
    for (const v of value) walkBlocks(v, said);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const o = value as Record<string, unknown>;
  if (typeof o.text === "string" && (o.type === "mrkdwn" || o.type === "plain_text")) {
    (o.type === "mrkdwn" ? said.mrkdwn : said.plain).push(o.text);
  }
  for (const [k, v] of Object.entries(o)) if (k !== "text" || typeof v !== "string") walkBlocks(v, said);
}

function slackSaid(bot: FuzzBot, answer: unknown): Said {
  const said: Said = { mrkdwn: [], plain: [], refusals: [], teamsMessages: [], teamsCardTexts: [] };
  const messages: Record<string, unknown>[] = [
    ...bot.fakeSlack.responsePosts.map((p) => p.body),
    ...bot.fakeSlack.calls.filter((c) => /^(chat|views)\./.test(c.method)).map((c) => c.args),
  ];
  for (const m of messages) {
    if (typeof m.text === "string") {
      said.mrkdwn.push(m.text);
      if (m.text.startsWith(":warning:")) said.refusals.push(m.text.replace(/^:warning:\s*/, ""));
    }
    walkBlocks(m.blocks, said);
    const view = typeof m.view === "string" ? safeJson(m.view) : m.view;
    walkBlocks(view, said);
  }
  const ack = answer as { response_action?: string; errors?: Record<string, string> } | undefined;
  if (ack?.response_action === "errors" && ack.errors) said.refusals.push(...Object.values(ack.errors));
  return said;
}

function teamsSaid(bot: FuzzBot, answer: unknown): Said {
  const said: Said = { mrkdwn: [], plain: [], refusals: [], teamsMessages: [], teamsCardTexts: [] };
  const cards: unknown[] = [];
  for (const a of [...bot.connector.sent(), ...bot.connector.updates]) {
    if (typeof a.text === "string") {
      said.teamsMessages.push(a.text);
      if (a.text.startsWith("⚠️")) said.refusals.push(a.text.replace(/^⚠️\s*/, ""));
    }
    cards.push(...adaptiveCards(a));
  }
  const invoke = answer as { type?: string; value?: unknown } | undefined;
  if (invoke?.type === "application/vnd.microsoft.card.adaptive") cards.push(invoke.value);
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== "object" || v === null) return;
    const o = v as Record<string, unknown>;
    if (o.type === "TextBlock" && typeof o.text === "string") {
      said.teamsCardTexts.push(o.text);
      if (o.color === "Attention") said.refusals.push(o.text);
    }
    for (const x of Object.values(o)) walk(x);
  };
  walk(cards);
  return said;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ---- one case ----

export interface CaseResult {
  problems: string[];
  refused: boolean;
}

/** Run one case and return every property it breaks. */
export async function checkCase<T>(bot: FuzzBot, entry: EntryPoint<T>, c: T): Promise<CaseResult> {
  bot.fakeSlack.reset();
  bot.connector.reset();
  bot.clearLogs();
  const before = await bot.rowCounts();
  let outcome: Outcome;
  try {
    outcome = await entry.send(bot, c);
  } catch (err) {
    return {
      problems: [`the request failed: ${(err as Error).message} ${String((err as Error).cause ?? "")}`],
      refused: false,
    };
  }
  await bot.settle();
  const after = await bot.rowCounts();
  const problems: string[] = [];
  const input = JSON.stringify(c).toLowerCase();

  const fiveHundredOk = outcome.invoke && outcome.status === 501;
  if (outcome.status >= 500 && !fiveHundredOk) problems.push(`answered ${outcome.status}`);
  if (outcome.slack && outcome.ms >= 3000) problems.push(`answered after ${outcome.ms} ms (Slack waits 3 s)`);
  if (outcome.unhandled) {
    if (outcome.status !== 200) problems.push(`an unhandled request was answered ${outcome.status}, not 200`);
    if (outcome.ms >= 1000) problems.push(`an unhandled request was answered after ${outcome.ms} ms, not at once`);
    if (!bot.logs.some((l) => l.level === 40 && /no listener handles/.test(l.msg))) {
      problems.push("an unhandled request left no warning in the log");
    }
  }
  for (const l of bot.logs.filter((l) => l.level >= 50)) {
    problems.push(`logged an error: ${l.msg} ${JSON.stringify(l.err ?? "").slice(0, 300)}`);
  }

  const said = entry.name.startsWith("teams") ? teamsSaid(bot, outcome.answer) : slackSaid(bot, outcome.answer);
  const everything = [...said.mrkdwn, ...said.plain, ...said.teamsMessages, ...said.teamsCardTexts];
  for (const text of everything) {
    if (INTERNAL_ERROR.some((p) => p.test(asWritten(text))))
      problems.push(`showed an internal error: ${text.slice(0, 200)}`);
    for (const word of PROGRAM_WORDS) {
      if (text.includes(word) && !input.includes(word.toLowerCase()))
        problems.push(`showed "${word}": ${text.slice(0, 200)}`);
    }
  }
  for (const text of said.mrkdwn) {
    for (const live of SLACK_LIVE)
      if (live.test(text)) problems.push(`Slack mrkdwn carries ${live}: ${text.slice(0, 200)}`);
  }
  for (const text of said.teamsMessages) {
    for (const m of TEAMS_MESSAGE_MARKUP)
      if (m.test(text)) problems.push(`a Teams message carries ${m}: ${text.slice(0, 200)}`);
  }
  for (const text of said.teamsCardTexts) {
    for (const m of TEAMS_CARD_MARKUP)
      if (m.test(text)) problems.push(`a Teams card carries ${m}: ${text.slice(0, 200)}`);
  }
  for (const text of said.refusals) {
    if (!catalogueKey(text)) problems.push(`a refusal is not a catalogue message: ${text.slice(0, 200)}`);
  }

  const refused = outcome.status >= 400 || Boolean(outcome.unhandled) || said.refusals.length > 0;
  if (refused) {
    for (const [table, n] of Object.entries(after)) {
      if (BOOKKEEPING_TABLES.has(table)) continue;
      if (before[table] !== n) problems.push(`a refused request changed ${table}: ${before[table]} → ${n} rows`);
    }
  }
  return { problems, refused };
}

// ---- entry points ----

function slackUser(bot: FuzzBot, actor: { kind: string; index: number }): string {
  const { members, strangers } = bot.world;
  return actor.kind === "member"
    ? (members[actor.index % members.length]?.userId as string)
    : (strangers[actor.index % strangers.length] as string);
}

function teamsUserOf(bot: FuzzBot, kind: TeamsActorKind): TeamsUser {
  return bot.world.teams[kind];
}

function teamsConversation(bot: FuzzBot, user: TeamsUser, kind: "personal" | "channel" | "groupChat") {
  return kind === "personal"
    ? bot.teams.personal(user)
    : kind === "channel"
      ? bot.teams.channel()
      : bot.teams.groupChat("fuzz");
}

async function timed<R extends { status: number; json?: unknown }>(
  send: () => Promise<R>,
  extra: Partial<Outcome> = {},
): Promise<Outcome> {
  const start = performance.now();
  const res = await send();
  return { status: res.status, ms: Math.round(performance.now() - start), answer: res.json, ...extra };
}

async function postTeamsRaw(bot: FuzzBot, body: string, contentType: string) {
  const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
  const res = await fetch(bot.teamsUrl, { method: "POST", headers, body });
  const text = await res.text();
  return { status: res.status, json: safeJson(text) };
}

export const slackCommandEntry: EntryPoint<SlashCase> = {
  name: "slack.command",
  arbitrary: (bot) => slashCommands(bot.world),
  send: (bot, c) => timed(() => bot.slack.command(slackUser(bot, c.actor), c.text), { slack: true }),
};

export const slackActionEntry: EntryPoint<ActionCase> = {
  name: "slack.block_actions",
  arbitrary: (bot) => blockActions(bot.world),
  send: (bot, c) =>
    timed(
      () =>
        bot.slack.blockAction(
          slackUser(bot, c.actor),
          {
            actionId: c.actionId,
            type: c.elementType,
            ...(c.elementType === "static_select" && c.value !== undefined
              ? { selectedOption: { value: c.value } }
              : c.value !== undefined
                ? { value: c.value }
                : {}),
          },
          c.container === "view"
            ? { view: { id: "VFUZZHOME", type: "home", callback_id: "", private_metadata: "" } }
            : { isEphemeral: c.container === "ephemeral" },
        ),
      { slack: true, unhandled: !c.known },
    ),
};

export const slackViewEntry: EntryPoint<ViewCase> = {
  name: "slack.view_submission",
  arbitrary: (bot) => viewSubmissions(bot.world),
  send: (bot, c) =>
    timed(
      () =>
        bot.slack.viewSubmission(slackUser(bot, c.actor), {
          callbackId: c.callbackId,
          privateMetadata: c.privateMetadata,
          values: c.values as Record<string, Record<string, unknown>>,
        }),
      { slack: true, unhandled: !c.known },
    ),
};

export const slackEventEntry: EntryPoint<EventCase> = {
  name: "slack.events",
  arbitrary: () => events(),
  send: (bot, c) => timed(() => bot.slack.event(c.event), { slack: true, unhandled: !c.known }),
};

export const slackInteractionEntry: EntryPoint<InteractionCase> = {
  name: "slack.other_interactions",
  arbitrary: () => otherInteractions(),
  send: (bot, c) =>
    timed(
      () =>
        bot.slack.post(
          new URLSearchParams({ payload: JSON.stringify(c.payload) }).toString(),
          "application/x-www-form-urlencoded",
        ),
      { slack: true, unhandled: true },
    ),
};

export const slackMalformedEntry: EntryPoint<RawCase> = {
  name: "slack.malformed",
  arbitrary: () => malformedSlackBodies(),
  send: (bot, c) => timed(() => bot.slack.post(c.body, c.contentType), { slack: true }),
};

export const teamsCommandEntry: EntryPoint<TeamsCommandCase> = {
  name: "teams.command",
  arbitrary: (bot) => teamsCommands(bot.world),
  send: (bot, c) => {
    const user = teamsUserOf(bot, c.actor);
    return timed(() =>
      bot.teams.message(user, c.text, { locale: c.locale, conversation: teamsConversation(bot, user, c.conversation) }),
    );
  },
};

export const teamsCardEntry: EntryPoint<TeamsCardCase> = {
  name: "teams.card_action",
  arbitrary: (bot) => teamsCardActions(bot.world),
  send: (bot, c) => {
    const user = teamsUserOf(bot, c.actor);
    const data = { ...c.data, verb: c.verb };
    if (c.via === "submit") return timed(() => bot.teams.submit(user, data, { locale: c.locale }));
    return timed(() => bot.teams.invoke(user, { verb: c.verb as string, data }, { locale: c.locale }), {
      invoke: true,
    });
  },
};

export const teamsActivityEntry: EntryPoint<TeamsActivityCase> = {
  name: "teams.activity",
  arbitrary: () => teamsActivities(),
  send: (bot, c) => {
    const user = teamsUserOf(bot, c.actor);
    const base = bot.teams.buildMessage(user, "", {
      locale: c.locale,
      conversation: teamsConversation(bot, user, c.conversation),
    });
    const activity: TeamsActivity = { ...base, ...c.extra, type: c.type };
    if (c.name !== undefined) activity.name = c.name;
    return timed(() => bot.teams.post(activity), { invoke: c.type === "invoke" });
  },
};

/** A well-formed message with one field replaced by arbitrary JSON. */
export interface TeamsMutationCase {
  field: string;
  value: unknown;
}

export const teamsMalformedEntry: EntryPoint<RawCase | TeamsMutationCase> = {
  name: "teams.malformed",
  arbitrary: () =>
    fc.oneof(
      malformedTeamsBodies(),
      fc.record({
        field: fc.constantFrom(
          "type",
          "id",
          "from",
          "conversation",
          "recipient",
          "serviceUrl",
          "text",
          "entities",
          "attachments",
          "value",
          "locale",
          "channelData",
          "membersAdded",
          "name",
          "replyToId",
          "channelId",
          "timestamp",
        ),
        value: fc.oneof(
          fc.jsonValue(),
          fc.constantFrom(null, "", {}, [], [null], { id: 1 }, { id: "" }, "x".repeat(3000)),
        ),
      }),
    ),
  send: (bot, c) => {
    if ("body" in c) return timed(() => postTeamsRaw(bot, c.body, c.contentType));
    const activity = bot.teams.buildMessage(bot.world.teams.hr, "help") as Record<string, unknown>;
    activity[c.field] = c.value;
    return timed(() => postTeamsRaw(bot, JSON.stringify(activity), "application/json"), {
      invoke: activity.type === "invoke",
    });
  },
};

// biome-ignore lint/suspicious/noExplicitAny: a list of entry points of different case types
export const ENTRY_POINTS: EntryPoint<any>[] = [
  slackCommandEntry,
  slackActionEntry,
  slackViewEntry,
  slackEventEntry,
  slackInteractionEntry,
  slackMalformedEntry,
  teamsCommandEntry,
  teamsCardEntry,
  teamsActivityEntry,
  teamsMalformedEntry,
];

// ---- a run ----

export interface Failure {
  entry: string;
  seed: number;
  path: string;
  case: unknown;
  problems: string[];
}

export interface RunReport {
  entry: string;
  seed: number;
  runs: number;
  refused: number;
  ms: number;
  failures: Failure[];
}

/**
 * Run `numRuns` cases of one entry point with a seed; every failing case is kept (with the
 * seed and path that replay it: FUZZ_SEED=<seed> FUZZ_PATH=<path>), not only the first.
 */
export async function runEntryPoint<T>(
  bot: FuzzBot,
  entry: EntryPoint<T>,
  options: { seed: number; numRuns: number; path?: string; maxFailures?: number; progressEvery?: number },
): Promise<RunReport> {
  const report: RunReport = { entry: entry.name, seed: options.seed, runs: 0, refused: 0, ms: 0, failures: [] };
  const start = performance.now();
  const first = options.path ? Number(options.path.split(":")[0]) : 0;
  await fc.assert(
    fc.asyncProperty(entry.arbitrary(bot), async (c) => {
      const index = first + report.runs;
      report.runs += 1;
      if (report.runs % 250 === 0) await bot.restoreWorld();
      if (options.progressEvery && report.runs % options.progressEvery === 0) {
        const seconds = Math.round((performance.now() - start) / 1000);
        console.log(`fuzz ${entry.name}: ${report.runs} cases, ${report.failures.length} failing, ${seconds} s`);
      }
      const result = await checkCase(bot, entry, c);
      if (result.refused) report.refused += 1;
      if (result.problems.length > 0 && report.failures.length < (options.maxFailures ?? 50)) {
        report.failures.push({
          entry: entry.name,
          seed: options.seed,
          path: String(index),
          case: c,
          problems: result.problems,
        });
      }
      return true;
    }),
    { seed: options.seed, numRuns: options.numRuns, ...(options.path ? { path: options.path } : {}) },
  );
  report.ms = Math.round(performance.now() - start);
  return report;
}

export function formatFailures(failures: Failure[]): string {
  return failures
    .map(
      (f) =>
        `${f.entry} FUZZ_SEED=${f.seed} FUZZ_PATH=${f.path}\n  case: ${JSON.stringify(f.case).slice(0, 600)}\n  ${f.problems.join("\n  ")}`,
    )
    .join("\n");
}

export function seedFromEnv(): number {
  const raw = process.env.FUZZ_SEED;
  if (raw !== undefined && raw !== "") {
    const seed = Number(raw);
    if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not ${raw}`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
