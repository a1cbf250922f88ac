// fast-check generators of hostile requests for every entry point of the bot. Each case is
// plain data (printable, shrinkable); test/fuzz/properties.ts sends it and checks the answer.
//
// What the bot listens for is not listed here by hand: the Slack listeners are registered on
// a recorder (the same register functions the app calls), every subcommand comes from the
// subcommand table, the modals from their builders, the Teams commands from the help text.
import type { App } from "@slack/bolt";
import fc from "fast-check";
import { AUTHORIZATION_MATRIX } from "../../src/core/roles/authorization-matrix.js";
import { HOMECOMING_WISH_SURVEY, POST_EXIT_SURVEY } from "../../src/core/surveys/survey-definitions.js";
import { referralModal } from "../../src/platforms/slack/blocks/referral-modal.js";
import { registrationModal } from "../../src/platforms/slack/blocks/registration-modal.js";
import { HOMECOMING_WISH_CALLBACK, SURVEY_CALLBACK } from "../../src/platforms/slack/blocks/survey-modal.js";
import type { SlackDeps } from "../../src/platforms/slack/deps.js";
import { register as registerActions } from "../../src/platforms/slack/listeners/actions/index.js";
import { register as registerCommands } from "../../src/platforms/slack/listeners/commands/index.js";
import { register as registerEvents } from "../../src/platforms/slack/listeners/events/index.js";
import { register as registerViews } from "../../src/platforms/slack/listeners/views/index.js";
import { subcommands } from "../../src/platforms/slack/subcommands/index.js";

// ---- what the bot listens for ----

export interface Listened {
  actions: (string | RegExp)[];
  views: (string | RegExp)[];
  events: (string | RegExp)[];
  commands: (string | RegExp)[];
  other: string[];
}

/** Every constraint the Slack listeners register, read by registering them on a recorder. */
export function slackListeners(): Listened {
  const listened: Listened = { actions: [], views: [], events: [], commands: [], other: [] };
  const constraint = (c: unknown): string | RegExp => {
    if (typeof c === "string" || c instanceof RegExp) return c;
    const o = c as Record<string, unknown>;
    return (o.action_id ?? o.callback_id ?? o.type ?? JSON.stringify(c)) as string | RegExp;
  };
  const recorder = {
    action: (c: unknown) => listened.actions.push(constraint(c)),
    view: (c: unknown) => listened.views.push(constraint(c)),
    event: (c: unknown) => listened.events.push(constraint(c)),
    command: (c: unknown) => listened.commands.push(constraint(c)),
    options: (c: unknown) => listened.other.push(`options:${String(constraint(c))}`),
    shortcut: (c: unknown) => listened.other.push(`shortcut:${String(constraint(c))}`),
    message: () => listened.other.push("message"),
  };
  const deps = {} as SlackDeps;
  for (const register of [registerCommands, registerActions, registerViews, registerEvents]) {
    register(recorder as unknown as App, deps);
  }
  return listened;
}

const LISTENED = slackListeners();

/** A concrete id for each constraint (a regular expression gives the ids it matches). */
function idsOf(constraints: (string | RegExp)[]): fc.Arbitrary<string> {
  return fc.oneof(...constraints.map((c) => (typeof c === "string" ? fc.constant(c) : fc.stringMatching(c))));
}

// ---- hostile text ----

/** Live Slack mentions and links; none of them may reach Slack from user text. */
export const SLACK_MARKERS = [
  "<@UFUZZ1>",
  "<@UFUZZ1|fuzzlabel>",
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<http://fuzz.example|click>",
  "<https://fuzz.example>",
  "<mailto:fuzz@fuzz.example|mail>",
  "<#CFUZZ1>",
  "<!subteam^SFUZZ1>",
  "<!date^1392734382^{date}|x>",
  "@channel",
  "@here",
  "@everyone",
];
/** Markup Teams would render; none of it may reach Teams from user text. */
export const TEAMS_MARKERS = [
  "<b>fuzzbold</b>",
  '<img src="x" onerror="fuzz()">',
  "<script>fuzz()</script>",
  "<at>FUZZ</at>",
  "[fuzzlink](http://fuzz.example)",
  '<a href="http://fuzz.example">fuzz</a>',
];

const nasty = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "\u0007\u001b[31m",
  "\u202e\u202d",
  "\ud83d\ude00\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67",
  "\ud800",
  "null",
  "undefined",
  "NaN",
  "-1",
  "0",
  "1e309",
  "99999999999999999999",
  "1.5",
  "0x10",
  "__proto__",
  "constructor",
  "toString",
  "{}",
  "[]",
  '{"__proto__":{"polluted":1}}',
  "' OR 1=1 --",
  "%s%n",
  "$" + "{7*7}",
  "../../etc/passwd",
  "a\nb\r\nc",
  "全角　スペース",
  "ｊｏｂｓ",
);

/** Arbitrary text a user could type, with markup and mentions mixed in. */
export const userText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 3, arbitrary: nasty },
  { weight: 4, arbitrary: fc.constantFrom(...SLACK_MARKERS, ...TEAMS_MARKERS) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 10 }),
        fc.constantFrom(...SLACK_MARKERS, ...TEAMS_MARKERS),
        fc.string({ maxLength: 10 }),
      )
      .map(([a, m, b]) => `${a}${m}${b}`),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 6000 }).map((n) => "長".repeat(n)) },
);

/** A number-like token: the world's real numbers (posting/event), neighbours, or nonsense. */
const numberish = (real: number[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...real.map(String)),
    fc.integer({ min: -3, max: 1000 }).map(String),
    fc.constantFrom("#1", "１", "1.0", "01", "2147483648", "9007199254740993", "-0", "1,2"),
    userText,
  );

// ---- Slack ----

export type SlackActorKind = "member" | "stranger";
const slackActor = fc.record({
  kind: fc.constantFrom<SlackActorKind>("member", "member", "stranger"),
  index: fc.nat(3),
});

export interface SlashCase {
  actor: { kind: SlackActorKind; index: number };
  text: string;
}

export function slashCommands(world: { postingNumbers: number[]; eventNumbers: number[] }): fc.Arbitrary<SlashCase> {
  const names = Object.keys(subcommands);
  const head = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.constantFrom(...names).map((n) => n.toUpperCase()) },
    { weight: 1, arbitrary: userText },
  );
  const arg = fc.oneof(
    userText,
    numberish([...world.postingNumbers, ...world.eventNumbers]),
    fc.constantFrom("ja", "en", "fr"),
  );
  return fc.record({
    actor: slackActor,
    text: fc
      .tuple(fc.constantFrom("", " ", "  \t"), head, fc.array(arg, { maxLength: 4 }), fc.constantFrom(" ", "  ", "\n"))
      .map(([lead, h, args, sep]) => `${lead}${[h, ...args].join(sep)}`),
  });
}

export interface ActionCase {
  actor: { kind: SlackActorKind; index: number };
  actionId: string;
  known: boolean;
  value: string | undefined;
  elementType: string;
  container: "message" | "ephemeral" | "view";
}

export function blockActions(world: { postingNumbers: number[]; eventNumbers: number[] }): fc.Arbitrary<ActionCase> {
  const value = fc.oneof(
    userText,
    numberish([...world.postingNumbers, ...world.eventNumbers]),
    fc.constantFrom("jobs", "gigs", "events", "mydata", "profile"),
    fc
      .record({
        k: fc.constantFrom("job", "gig", "x"),
        w: fc.array(userText, { maxLength: 6 }),
        p: fc.integer({ min: -2, max: 50 }),
      })
      .map((v) => JSON.stringify(v)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.uuid(),
    fc.constant(undefined),
  );
  return fc
    .record({
      actor: slackActor,
      id: fc.oneof(
        { weight: 5, arbitrary: idsOf(LISTENED.actions).map((id) => ({ actionId: id, known: true })) },
        {
          weight: 1,
          arbitrary: fc
            .oneof(
              fc.constantFrom("old_button", "event_rsvp_", "event_rsvp_yes", "OPEN_JOIN"),
              fc.string({ maxLength: 30 }),
            )
            .map((id) => ({ actionId: id, known: false })),
        },
      ),
      value,
      elementType: fc.constantFrom("button", "button", "static_select", "overflow", "datepicker", "users_select"),
      container: fc.constantFrom<ActionCase["container"]>("message", "message", "ephemeral", "view"),
    })
    .map(({ id, ...rest }) => ({
      ...rest,
      // Bolt matches on the exact id; an unknown one that happens to equal a known id is known.
      actionId: id.actionId,
      known:
        id.known || LISTENED.actions.some((c) => (typeof c === "string" ? c === id.actionId : c.test(id.actionId))),
    }));
}

/** One input of a modal: its block id (= action id) and element type. */
interface Field {
  blockId: string;
  type: string;
  options?: string[];
}

function fieldsOf(view: Record<string, unknown>): Field[] {
  const blocks = (view.blocks as Record<string, unknown>[]) ?? [];
  return blocks
    .filter((b) => b.type === "input")
    .map((b) => {
      const element = b.element as Record<string, unknown>;
      const options = (element.options as { value: string }[] | undefined)?.map((o) => o.value);
      return { blockId: b.block_id as string, type: element.type as string, ...(options ? { options } : {}) };
    });
}

interface ModalTemplate {
  callbackId: string;
  fields: Field[];
  metadata: fc.Arbitrary<string>;
}

function modalTemplates(world: { postingNumbers: number[] }): ModalTemplate[] {
  // The join form as the fuzz bot shows it (MEMBERSHIP_VERIFICATION=roster): with the matching fields.
  const register = registrationModal({
    mode: "register",
    locale: "ja",
    prefill: { locale: "ja" },
    verification: true,
  }) as Record<string, unknown>;
  const refer = referralModal("en", { number: world.postingNumbers[0] ?? 1, title: "x" }) as Record<string, unknown>;
  const surveyFields = (def: typeof POST_EXIT_SURVEY): Field[] =>
    def.questions.map((q) => ({
      blockId: q.key,
      type: q.type === "choice" ? "radio_buttons" : "plain_text_input",
      ...(q.options ? { options: q.options } : {}),
    }));
  const anyMetadata = fc.oneof(
    fc.constant(""),
    userText,
    fc.jsonValue().map((v) => JSON.stringify(v)),
  );
  return [
    {
      callbackId: register.callback_id as string,
      fields: fieldsOf(register),
      metadata: fc.oneof(
        fc.constant(register.private_metadata as string),
        fc
          .record({
            mode: fc.constantFrom("register", "edit", "other"),
            locale: fc.constantFrom("ja", "en", "xx"),
            consentVersion: fc.oneof(
              fc.constant(JSON.parse(register.private_metadata as string).consentVersion),
              userText,
            ),
          })
          .map((m) => JSON.stringify(m)),
        anyMetadata,
      ),
    },
    {
      callbackId: refer.callback_id as string,
      fields: fieldsOf(refer),
      metadata: fc.oneof(
        fc.constant(refer.private_metadata as string),
        fc
          .record({
            locale: fc.constantFrom("ja", "en"),
            posting: fc.oneof(fc.constantFrom(...world.postingNumbers), fc.integer(), fc.constant(null), userText),
          })
          .map((m) => JSON.stringify(m)),
        anyMetadata,
      ),
    },
    ...[
      [SURVEY_CALLBACK, POST_EXIT_SURVEY],
      [HOMECOMING_WISH_CALLBACK, HOMECOMING_WISH_SURVEY],
    ].map(([callbackId, def]) => ({
      callbackId: callbackId as string,
      fields: surveyFields(def as typeof POST_EXIT_SURVEY),
      metadata: fc.oneof(
        fc
          .record({
            locale: fc.constantFrom("ja", "en"),
            surveyResponseId: fc.oneof(fc.uuid(), userText),
            questions: fc.oneof(
              fc.constant((def as typeof POST_EXIT_SURVEY).questions.map((q) => q.key)),
              fc.jsonValue(),
            ),
          })
          .map((m) => JSON.stringify(m)),
        anyMetadata,
      ),
    })),
  ];
}

/** A state value for an element of the given type: well formed with arbitrary content, or malformed. */
function elementValue(field: Field): fc.Arbitrary<unknown> {
  const opt = (v: string) => ({ text: { type: "plain_text", text: v }, value: v });
  const choice = fc.oneof(fc.constantFrom(...(field.options ?? ["x"])), userText);
  const wellFormed: fc.Arbitrary<unknown> = (() => {
    switch (field.type) {
      case "checkboxes":
      case "multi_static_select":
        return fc.array(choice, { maxLength: 6 }).map((vs) => ({ type: field.type, selected_options: vs.map(opt) }));
      case "static_select":
      case "radio_buttons":
        return fc.option(choice).map((v) => ({ type: field.type, selected_option: v === null ? null : opt(v) }));
      case "datepicker":
        return fc
          .oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
            userText,
            fc.constant(null),
          )
          .map((v) => ({ type: field.type, selected_date: v }));
      case "number_input":
        return fc
          .oneof(
            fc.integer({ min: -100000, max: 100000 }).map(String),
            fc.constantFrom("1990", "2024", "3000", "1e3"),
            userText,
            fc.constant(null),
          )
          .map((v) => ({ type: field.type, value: v }));
      case "email_text_input":
        return fc
          .oneof(fc.emailAddress(), userText, fc.constant(null), fc.constantFrom("a@b", "<a@b.c>", "x@fuzz.example"))
          .map((v) => ({ type: field.type, value: v }));
      default:
        return fc.oneof(userText, fc.constant(null)).map((v) => ({ type: field.type, value: v }));
    }
  })();
  return fc.oneof(
    { weight: 6, arbitrary: wellFormed },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        null,
        {},
        { value: 5 },
        { selected_options: null },
        { selected_options: [null] },
        { selected_options: "x" },
        { selected_option: "x" },
        { selected_option: { value: null } },
        { value: ["a"] },
        { value: { a: 1 } },
      ),
    },
  );
}

export interface ViewCase {
  actor: { kind: SlackActorKind; index: number };
  callbackId: string;
  known: boolean;
  privateMetadata: string;
  values: unknown;
}

export function viewSubmissions(world: { postingNumbers: number[] }): fc.Arbitrary<ViewCase> {
  const templates = modalTemplates(world);
  const known = fc.constantFrom(...templates).chain((tpl) =>
    fc.record({
      actor: slackActor,
      callbackId: fc.constant(tpl.callbackId),
      known: fc.constant(true),
      privateMetadata: tpl.metadata,
      values: fc.oneof(
        {
          weight: 8,
          arbitrary: fc
            .tuple(...tpl.fields.map((f) => fc.option(elementValue(f), { freq: 5 })))
            .map((vals) =>
              Object.fromEntries(
                tpl.fields.flatMap((f, i) => (vals[i] === null ? [] : [[f.blockId, { [f.blockId]: vals[i] }]])),
              ),
            ),
        },
        { weight: 1, arbitrary: fc.constantFrom(null, [], "x", { a: null }, { a: { b: null } }, { a: [] }) },
        {
          weight: 1,
          arbitrary: fc.dictionary(
            fc.string({ maxLength: 12 }),
            fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue(), { maxKeys: 2 }),
            { maxKeys: 3 },
          ),
        },
      ),
    }),
  );
  const unknown = fc.record({
    actor: slackActor,
    callbackId: fc.oneof(fc.constantFrom("alumni_register_v0", "old_modal", ""), fc.string({ maxLength: 30 })),
    known: fc.constant(false),
    privateMetadata: fc.string({ maxLength: 30 }),
    values: fc.constant({}),
  });
  return fc.oneof({ weight: 5, arbitrary: known }, { weight: 1, arbitrary: unknown }).map((c) => ({
    ...c,
    known: LISTENED.views.some((v) => (typeof v === "string" ? v === c.callbackId : v.test(c.callbackId))),
  }));
}

export interface EventCase {
  event: Record<string, unknown>;
  known: boolean;
}

export function events(): fc.Arbitrary<EventCase> {
  const knownTypes = LISTENED.events.filter((e): e is string => typeof e === "string");
  const user = fc.oneof(
    fc.constantFrom("UFZMEMBER1", "UFZMEMBER2", "UFZSTRANGER1", "USLACKBOT", ""),
    fc.string({ maxLength: 12 }),
  );
  const common = {
    user: fc.option(user, { nil: undefined }),
    channel: fc.option(fc.constantFrom("C0ALUMNI01", "DFZ1", "G123"), { nil: undefined }),
    tab: fc.option(fc.constantFrom("home", "messages", "about", "x"), { nil: undefined }),
    text: fc.option(userText, { nil: undefined }),
    subtype: fc.option(
      fc.constantFrom("bot_message", "message_changed", "message_deleted", "channel_join", "file_share", "weird"),
      {
        nil: undefined,
      },
    ),
    ts: fc.option(fc.constantFrom("1700000000.000100", "x"), { nil: undefined }),
  };
  const type = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...knownTypes) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        "message",
        "app_mention",
        "member_joined_channel",
        "team_join",
        "user_change",
        "app_uninstalled",
        "tokens_revoked",
        "reaction_added",
        "link_shared",
        "function_executed",
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  );
  return fc.record({ type, ...common }).map((e) => {
    const event = Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));
    return { event, known: knownTypes.includes(e.type) };
  });
}

/** Interactivity payloads of kinds no listener takes: shortcuts, options loads, old formats. */
export interface InteractionCase {
  payload: Record<string, unknown>;
}

export function otherInteractions(): fc.Arbitrary<InteractionCase> {
  const user = { id: "UFZMEMBER1", team_id: "T0ALUMNI1" };
  const team = { id: "T0ALUMNI1", domain: "alumni-test" };
  return fc
    .record({
      type: fc.constantFrom(
        "shortcut",
        "message_action",
        "block_suggestion",
        "dialog_submission",
        "interactive_message",
        "view_closed",
        "workflow_step_edit",
        "mystery",
      ),
      callback_id: fc.oneof(fc.constantFrom("alumni_shortcut", "old"), fc.string({ maxLength: 20 })),
      action_id: fc.string({ maxLength: 20 }),
      value: userText,
      trigger: fc.boolean(),
    })
    .map((c) => ({
      payload: {
        type: c.type,
        callback_id: c.callback_id,
        action_id: c.action_id,
        block_id: "b",
        value: c.value,
        user,
        team,
        api_app_id: "A0ALUMNI1",
        token: "fake-verification-token",
        ...(c.trigger ? { trigger_id: `${Date.now()}.1.${Math.random().toString(16).slice(2)}` } : {}),
        ...(c.type === "view_closed"
          ? { view: { id: "VOLD", callback_id: c.callback_id, state: { values: {} } } }
          : {}),
        ...(c.type === "interactive_message" ? { actions: [{ name: "x", type: "button", value: c.value }] } : {}),
      },
    }));
}

/** Bodies that are broken on purpose, correctly signed so they reach parsing. */
export interface RawCase {
  body: string;
  contentType: string;
  note: string;
}

export function malformedSlackBodies(): fc.Arbitrary<RawCase> {
  const ct = fc.constantFrom(
    "application/x-www-form-urlencoded",
    "application/json",
    "text/plain",
    "application/xml",
    "multipart/form-data",
    "",
  );
  return fc.oneof(
    fc.constantFrom<RawCase>(
      { body: "", contentType: "application/json", note: "empty" },
      { body: "", contentType: "application/x-www-form-urlencoded", note: "empty form" },
      { body: "payload=null", contentType: "application/x-www-form-urlencoded", note: "payload null" },
      { body: "payload=", contentType: "application/x-www-form-urlencoded", note: "payload empty" },
      { body: "payload=%5B%5D", contentType: "application/x-www-form-urlencoded", note: "payload array" },
      { body: "payload=1", contentType: "application/x-www-form-urlencoded", note: "payload number" },
      { body: "payload=%7B%7D", contentType: "application/x-www-form-urlencoded", note: "payload {}" },
      { body: "payload=a&payload=b", contentType: "application/x-www-form-urlencoded", note: "payload twice" },
      { body: "null", contentType: "application/json", note: "json null" },
      { body: "[]", contentType: "application/json", note: "json array" },
      { body: "{}", contentType: "application/json", note: "json {}" },
      { body: '"str"', contentType: "application/json", note: "json string" },
      { body: "{", contentType: "application/json", note: "invalid json" },
      { body: '{"type":"event_callback"}', contentType: "application/json", note: "callback without event" },
      {
        body: '{"type":"event_callback","event":null,"event_id":"Ev1"}',
        contentType: "application/json",
        note: "null event",
      },
      {
        body: '{"type":"event_callback","event":"x","event_id":{}}',
        contentType: "application/json",
        note: "string event",
      },
      { body: '{"type":"block_actions","actions":null}', contentType: "application/json", note: "null actions" },
      {
        body: '{"type":"block_actions","actions":[],"user":{"id":"U1"}}',
        contentType: "application/json",
        note: "no actions",
      },
      { body: '{"type":"view_submission","view":null}', contentType: "application/json", note: "null view" },
      {
        body: '{"type":"view_submission","view":{"callback_id":"alumni_register"}}',
        contentType: "application/json",
        note: "view without user",
      },
      { body: '{"command":"/alumni"}', contentType: "application/json", note: "command without user" },
      {
        body: "command=%2Falumni&text=help",
        contentType: "application/x-www-form-urlencoded",
        note: "command without user",
      },
      {
        body: "command=%2Fother&text=help&user_id=U1&team_id=T0ALUMNI1",
        contentType: "application/x-www-form-urlencoded",
        note: "unknown command",
      },
      { body: '{"type":"url_verification"}', contentType: "application/json", note: "challenge without challenge" },
      {
        body: '{"type":"app_rate_limited","minute_rate_limited":1}',
        contentType: "application/json",
        note: "rate limited",
      },
      { body: "ssl_check=1&token=x", contentType: "application/x-www-form-urlencoded", note: "ssl check" },
      {
        body: `{"type":"event_callback","event_id":"${"E".repeat(5000)}","event":{"type":"app_home_opened","user":"U1"}}`,
        contentType: "application/json",
        note: "huge event id",
      },
      {
        body: `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", trigger_id: "t".repeat(5000), user: { id: "U1" }, actions: [{ action_id: "x" }] }))}`,
        contentType: "application/x-www-form-urlencoded",
        note: "huge trigger id",
      },
      { body: `{"a":"${"x".repeat(1024 * 1024)}"}`, contentType: "application/json", note: "over 1 MB" },
      {
        body: `payload=${"%7B".repeat(10000)}`,
        contentType: "application/x-www-form-urlencoded",
        note: "deep nesting",
      },
    ),
    fc.record({ body: fc.string({ maxLength: 200 }), contentType: ct, note: fc.constant("random text") }),
    fc.record({
      body: fc.jsonValue().map((v) => JSON.stringify(v)),
      contentType: ct,
      note: fc.constant("random json"),
    }),
    fc.record({
      body: fc.jsonValue().map((v) => `payload=${encodeURIComponent(JSON.stringify(v))}`),
      contentType: fc.constant("application/x-www-form-urlencoded"),
      note: fc.constant("random payload"),
    }),
  );
}

// ---- Teams ----

export type TeamsActorKind = "admin" | "hr" | "cm" | "outsider" | "stranger";
const teamsActor = fc.constantFrom<TeamsActorKind>("admin", "hr", "cm", "outsider", "stranger");
const teamsLocale = fc.constantFrom("ja-JP", "en-US", "fr-FR", "", "xx");
const conversationKind = fc.constantFrom<"personal" | "channel" | "groupChat">(
  "personal",
  "personal",
  "channel",
  "groupChat",
);

/** Every Teams command and card verb, from the authorization matrix (a unit test keeps it complete). */
const TEAMS_OPERATIONS = AUTHORIZATION_MATRIX.filter((o) => o.platform === "teams");
export const TEAMS_COMMANDS = TEAMS_OPERATIONS.filter((o) => o.kind === "command").map((o) => o.name);
export const TEAMS_VERBS = TEAMS_OPERATIONS.filter((o) => o.kind === "card").map((o) => o.name);
/** Second words some commands take (grant hr, post job, notify here, ...), and some they do not. */
const SECOND_WORDS = ["hr", "cm", "admin", "job", "gig", "here", "off", "event", "results", "deliveries", "ヘルプ"];

export interface TeamsCommandCase {
  actor: TeamsActorKind;
  text: string;
  locale: string;
  conversation: "personal" | "channel" | "groupChat";
}

export function teamsCommands(world: {
  postingNumbers: number[];
  eventNumbers: number[];
}): fc.Arbitrary<TeamsCommandCase> {
  const arg = fc.oneof(
    userText,
    numberish([...world.postingNumbers, ...world.eventNumbers]),
    fc.constantFrom(
      "hr@corp.example",
      "cm@corp.example",
      "nobody@corp.example",
      "<at>Fuzz HR</at>",
      "tomorrow 10:00",
      "2030-01-01 25:99",
      "来週の金曜 19時",
    ),
  );
  return fc.record({
    actor: teamsActor,
    text: fc
      .tuple(
        fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TEAMS_COMMANDS) }, { weight: 1, arbitrary: userText }),
        fc.option(fc.constantFrom(...SECOND_WORDS), { freq: 2 }),
        fc.array(arg, { maxLength: 3 }),
      )
      .map(([head, second, args]) => [head, ...(second === null ? [] : [second]), ...args].join(" ")),
    locale: teamsLocale,
    conversation: conversationKind,
  });
}

export interface TeamsCardCase {
  actor: TeamsActorKind;
  verb: unknown;
  data: Record<string, unknown>;
  locale: string;
  via: "invoke" | "submit";
}

export function teamsCardActions(world: { postingNumbers: number[] }): fc.Arbitrary<TeamsCardCase> {
  const field = fc.oneof(
    userText,
    numberish(world.postingNumbers),
    fc.constantFrom(
      true,
      false,
      null,
      0,
      -1,
      1e20,
      "true",
      "false",
      "all",
      "job",
      "gig",
      "hybrid",
      "full_time",
      "2030-12-31",
      "hired",
      "rejected",
    ),
    fc.jsonValue(),
  );
  const keys = fc.constantFrom(
    "formId",
    "number",
    "posting",
    "id",
    "title",
    "description",
    "location",
    "workStyle",
    "employmentType",
    "skills",
    "compensation",
    "howToApply",
    "closesOn",
    "publish",
    "kind",
    "status",
    "referral",
    "reward",
    "segmentKind",
    "segmentValue",
    "message",
    "all",
    "page",
    "__proto__",
    "constructor",
  );
  return fc.record({
    actor: teamsActor,
    verb: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...TEAMS_VERBS) },
      {
        weight: 1,
        arbitrary: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("posting", "posting.delete", "")),
      },
      { weight: 1, arbitrary: fc.constantFrom(null, 1, true, {}, []) },
    ),
    data: fc.dictionary(keys, field, { maxKeys: 8 }),
    locale: teamsLocale,
    via: fc.constantFrom<"invoke" | "submit">("invoke", "invoke", "submit"),
  });
}

export interface TeamsActivityCase {
  actor: TeamsActorKind;
  type: string;
  name: string | undefined;
  extra: Record<string, unknown>;
  locale: string;
  conversation: "personal" | "channel" | "groupChat";
}

/** Activity types and invoke names, with odd fields: conversation updates, reactions, invokes. */
export function teamsActivities(): fc.Arbitrary<TeamsActivityCase> {
  const member = fc.record({
    id: fc.oneof(fc.constant("28:alumni-bridge-bot"), fc.string({ maxLength: 12 })),
    name: fc.option(userText, { nil: undefined }),
  });
  return fc.record({
    actor: teamsActor,
    type: fc.oneof(
      fc.constantFrom(
        "message",
        "conversationUpdate",
        "installationUpdate",
        "messageReaction",
        "messageUpdate",
        "messageDelete",
        "event",
        "typing",
        "endOfConversation",
        "invoke",
        "deleteUserData",
        "contactRelationUpdate",
        "trace",
        "handoff",
      ),
      fc.string({ minLength: 1, maxLength: 20 }),
    ),
    name: fc.option(
      fc.oneof(
        fc.constantFrom(
          "adaptiveCard/action",
          "composeExtension/query",
          "composeExtension/submitAction",
          "task/fetch",
          "task/submit",
          "signin/verifyState",
          "signin/tokenExchange",
          "fileConsent/invoke",
          "actionableMessage/executeAction",
          "tab/fetch",
          "config/fetch",
          "message/submitAction",
          "healthCheck",
          "application/search",
        ),
        fc.string({ maxLength: 20 }),
      ),
      { nil: undefined },
    ),
    extra: fc.record(
      {
        text: fc.option(userText, { nil: null }),
        value: fc.jsonValue(),
        action: fc.constantFrom("add", "remove", "x"),
        membersAdded: fc.array(member, { maxLength: 3 }),
        membersRemoved: fc.array(member, { maxLength: 2 }),
        reactionsAdded: fc.array(fc.record({ type: fc.constantFrom("like", "heart", "x") }), { maxLength: 2 }),
        channelData: fc.record(
          { eventType: fc.constantFrom("teamMemberAdded", "channelCreated", "teamRenamed", "x") },
          { requiredKeys: [] },
        ),
        replyToId: fc.string({ maxLength: 20 }),
        attachments: fc.oneof(
          fc.array(teamsFileAttachment, { maxLength: 2 }),
          fc.constantFrom(null, "x", {}, [null], [1]),
        ),
      },
      { requiredKeys: [] },
    ),
    locale: teamsLocale,
    conversation: conversationKind,
  });
}

/**
 * A file sent to the bot (a leavers roster upload), as Teams would attach it, with hostile
 * download URLs: hosts not in TEAMS_FILE_HOSTS, other schemes, credentials in the URL, a listed
 * host that cannot be reached (offline), broken shapes.
 */
const teamsFileAttachment = fc.record(
  {
    contentType: fc.constantFrom(
      "application/vnd.microsoft.teams.file.download.info",
      "application/vnd.microsoft.teams.file.download.info",
      "application/vnd.microsoft.card.adaptive",
      "text/html",
      "image/*",
      "",
    ),
    name: fc.oneof(
      fc.constantFrom("roster.csv", "leavers.xlsx", "../../etc/passwd", "名簿.csv", "a.exe", ""),
      userText,
    ),
    content: fc.oneof(
      fc.record(
        {
          downloadUrl: fc.oneof(
            fc.constantFrom(
              "https://evil.example/roster.csv",
              "http://169.254.169.254/latest/meta-data/",
              "file:///etc/passwd",
              "javascript:alert(1)",
              "https://contoso.sharepoint.com.evil.example/roster.csv",
              "https://user:pass@contoso.sharepoint.com/roster.csv",
              "https://contoso.sharepoint.com/sites/hr/roster.csv?tempauth=x",
              "http://contoso.sharepoint.com/roster.csv",
              "not a url",
              "",
            ),
            fc.webUrl(),
            fc.jsonValue(),
          ),
          uniqueId: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.jsonValue()),
          fileType: fc.oneof(fc.constantFrom("csv", "xlsx", "exe", ""), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
);

export function malformedTeamsBodies(): fc.Arbitrary<RawCase> {
  const ct = fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "",
  );
  return fc.oneof(
    fc.constantFrom<RawCase>(
      { body: "", contentType: "application/json", note: "empty" },
      { body: "{}", contentType: "application/json", note: "json {}" },
      { body: "null", contentType: "application/json", note: "json null" },
      { body: "[]", contentType: "application/json", note: "json array" },
      { body: "{", contentType: "application/json", note: "invalid json" },
      { body: '{"type":"message"}', contentType: "application/json", note: "message without anything" },
      { body: '{"type":"invoke","name":"adaptiveCard/action"}', contentType: "application/json", note: "bare invoke" },
      { body: `{"a":"${"x".repeat(1024 * 1024)}"}`, contentType: "application/json", note: "over 1 MB" },
      { body: "{}", contentType: "text/plain", note: "wrong content type" },
    ),
    fc.record({ body: fc.string({ maxLength: 200 }), contentType: ct, note: fc.constant("random text") }),
    fc.record({
      body: fc.jsonValue().map((v) => JSON.stringify(v)),
      contentType: ct,
      note: fc.constant("random json"),
    }),
  );
}
