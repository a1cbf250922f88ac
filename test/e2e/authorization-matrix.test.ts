// The authorization matrix (src/core/roles/authorization-matrix.ts), played
// against the running bot: for every operation and persona, a real signed Slack
// request or Teams activity. An allowed cell must not get a refusal; a refused
// cell must get exactly the matrix's localized refusal and change no row of any
// table (the inbound de-duplication ledger and the Teams dialog state aside).
// Personas are set up once per platform; a fresh one is made where an allowed
// cell changes who the person is (joining, erasing) and for each Teams first contact.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockMember } from "../../src/core/members/block-member.js";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { eraseMember } from "../../src/core/members/erase-member.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { createReferral } from "../../src/core/referrals/create-referral.js";
import {
  AUTHORIZATION_MATRIX,
  type Operation,
  PERSONAS,
  type Persona,
} from "../../src/core/roles/authorization-matrix.js";
import { grantRole } from "../../src/core/roles/grant-role.js";
import { revokeRole } from "../../src/core/roles/revoke-role.js";
import { type MessageKey, t } from "../../src/i18n/index.js";
import {
  ALUMNI_CHANNEL,
  type BotHarness,
  SIGNING_SECRET,
  SLACK_TEAM_ID,
  startBotHarness,
} from "../support/bot-harness.js";
import { adaptiveCards } from "../support/fake-connector.js";
import { catalogueTables, type RunQuery, rowCountsOf } from "../support/row-counts.js";
import {
  checkboxes,
  email,
  number,
  plainText,
  SlackRequester,
  type SlackSent,
  staticSelect,
  triggerId,
} from "../support/slack-requests.js";
import {
  personalConversationId,
  type TeamsActivityOptions,
  type TeamsUser,
  teamsUser,
} from "../support/teams-requests.js";

const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const OTHER_TENANT = "0d2a2b9e-1c44-4a5f-9d67-3b1f0c8e7a11";
const OTHER_TEAM = "T0STRANGER";
/** Bookkeeping, not effects: the inbound de-duplication ledger and the Teams dialog state. */
const NOT_COUNTED = new Set(["processed_deliveries", "bot_state", "_prisma_migrations"]);
/** A Teams user's first message records them (person, identity, conversation): nothing else. */
const FIRST_CONTACT = { people: 1, teams_conversation_refs: 1, teams_identities: 1 };
const REFUSALS: MessageKey[] = [
  "slack.stranger",
  "member.joinFirst",
  "member.notRegistered",
  "membership.notVerified",
  "error.forbidden",
  "teams.otherTenant",
];

const admin = teamsUser("Admin Aoki");
let h: BotHarness;
let strangerSlack: SlackRequester;
let tables: string[];
let adminId: string;
let blockerId: string;
const seeds = { openPosting: 0, postingToEdit: 0, draftPosting: 0, event: 0, eventToMove: 0, referral: 0 };
let seq = 0;

beforeAll(async () => {
  h = await startBotHarness({ admins: [admin], env: { MICROSOFT_APP_TENANT_ID: TENANT_ID } });
  strangerSlack = new SlackRequester({
    url: `${h.app.url}/slack/events`,
    signingSecret: SIGNING_SECRET,
    teamId: OTHER_TEAM,
    fakeSlack: h.fakeSlack,
  });
  const prisma = h.db.prisma;
  tables = await catalogueTables(query, NOT_COUNTED);
  await h.teams.message(admin, "help");
  adminId = await teamsPersonId(admin);
  blockerId = await registerSlack("UBLOCKER01");
  const posting = (title: string, status: "open" | "draft") =>
    prisma.posting.create({
      data: {
        kind: "job",
        status,
        title,
        description: "Build it.",
        publishedAt: status === "open" ? new Date() : null,
      },
    });
  const event = (title: string) =>
    prisma.event.create({
      data: {
        kind: "homecoming_day",
        title,
        startsAt: new Date(Date.now() + 14 * 86_400_000),
        timeZone: "Asia/Tokyo",
        place: "Tokyo HQ",
      },
    });
  seeds.openPosting = (await posting("Staff Engineer", "open")).number;
  seeds.postingToEdit = (await posting("Designer", "open")).number;
  seeds.draftPosting = (await posting("Draft role", "draft")).number;
  seeds.event = (await event("Homecoming")).number;
  seeds.eventToMove = (await event("Meetup")).number;
  seeds.referral = (
    await createReferral({
      prisma,
      referrerId: blockerId,
      postingNumber: seeds.openPosting,
      input: { candidateName: "Kai Candidate", candidateContact: "kai@example.com", candidateConsented: true },
    })
  ).number;
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const query: RunQuery = (sql) => h.db.prisma.$queryRawUnsafe(sql);

const rowCounts = () => rowCountsOf(query, tables);

function changes(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const diff: Record<string, number> = {};
  for (const name of Object.keys(after).sort()) {
    const n = after[name] ?? 0;
    if (n !== before[name]) diff[name] = n - (before[name] ?? 0);
  }
  return diff;
}

/** A registered member: verified (as MEMBERSHIP_VERIFICATION=off would), or pending HR's approval. */
async function registerSlack(userId: string, membership: "verified" | "pending" = "verified"): Promise<string> {
  const { member } = await registerMember({
    prisma: h.db.prisma,
    user: { teamId: SLACK_TEAM_ID, userId },
    input: { displayName: `Member ${userId}`, email: `${userId.toLowerCase()}@example.com`, locale: "ja" },
    consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    verification: {
      mode: membership === "pending" ? "approval" : "off",
      rejectionsBeforeBlock: 3,
      reapplyBlockDays: 30,
    },
  });
  expect(member.membership).toBe(membership);
  return member.personId;
}

async function teamsPersonId(user: TeamsUser): Promise<string> {
  const identity = await h.db.prisma.teamsIdentity.findUniqueOrThrow({
    where: { tenantId_aadObjectId: { tenantId: TENANT_ID, aadObjectId: user.aadObjectId.toLowerCase() } },
  });
  return identity.personId;
}

// ---- Slack ----

interface SlackPersona {
  userId: string;
  slack: SlackRequester;
}

/** A fresh Slack user who is `persona` (set up through the core, as the bot itself would). */
async function slackPersona(persona: Persona): Promise<SlackPersona> {
  seq += 1;
  const userId = `UAZ${String(seq).padStart(6, "0")}`;
  if (persona === "stranger") return { userId, slack: strangerSlack };
  if (persona === "unregistered") return { userId, slack: h.slack };
  const personId = await registerSlack(userId, persona === "pending" ? "pending" : "verified");
  if (persona === "blocked") {
    await blockMember({ prisma: h.db.prisma, blockerId, target: { teamId: SLACK_TEAM_ID, userId } });
  } else if (persona === "erased") {
    await eraseMember({ prisma: h.db.prisma, personId });
  } else if (persona === "hr" || persona === "cm" || persona === "admin") {
    await h.db.prisma.roleGrant.create({ data: { personId, role: persona } });
  }
  return { userId, slack: h.slack };
}

type Ids = { responseUrlId: string; triggerId: string };

function registrationValues(name: string, mail: string, withConsent: boolean) {
  return {
    displayName: { displayName: plainText(name) },
    email: { email: email(mail) },
    department: { department: plainText(null) },
    joinedYear: { joinedYear: number(null) },
    leftYear: { leftYear: number(null) },
    leftOn: { leftOn: { type: "datepicker", selected_date: null } },
    currentEmployer: { currentEmployer: plainText(null) },
    title: { title: plainText(null) },
    skills: { skills: plainText(null) },
    interests: { interests: checkboxes([]) },
    directoryFields: { directoryFields: checkboxes([]) },
    hrFields: { hrFields: checkboxes([]) },
    locale: { locale: staticSelect("ja") },
    ...(withConsent ? { consent: { consent: checkboxes(["agree"]) } } : {}),
  };
}

const command = (text: string) => (p: SlackPersona, ids: Ids) => p.slack.command(p.userId, text, ids);
const button =
  (actionId: string, value: () => string = () => "") =>
  (p: SlackPersona, ids: Ids) =>
    p.slack.blockAction(p.userId, { actionId, value: value() }, { ...ids, channelId: ALUMNI_CHANNEL });
const modal =
  (callbackId: string, metadata: () => object, values: (p: SlackPersona) => Record<string, Record<string, unknown>>) =>
  (p: SlackPersona) =>
    p.slack.viewSubmission(p.userId, { callbackId, privateMetadata: JSON.stringify(metadata()), values: values(p) });

const SLACK_REQUESTS: Record<string, (p: SlackPersona, ids: Ids) => Promise<SlackSent>> = {
  "slack.command.help": command("help"),
  "slack.command.join": command("join"),
  "slack.command.profile": command("profile"),
  "slack.command.find": command("find Member"),
  "slack.command.jobs": command("jobs"),
  "slack.command.gigs": command("gigs"),
  "slack.command.refer": command("refer"),
  "slack.command.events": command("events"),
  "slack.command.block": command("block <@UTARGET001>"),
  "slack.command.unblock": command("unblock <@UTARGET001>"),
  "slack.command.lang": command("lang ja"),
  "slack.command.mydata": command("mydata"),
  "slack.command.delete": command("delete"),
  "slack.action.open_join": button("open_join"),
  "slack.action.open_profile": button("open_profile"),
  "slack.action.open_refer": button("open_refer"),
  "slack.action.posting_refer": button("posting_refer", () => String(seeds.openPosting)),
  "slack.action.posting_interested": button("posting_interested", () => String(seeds.openPosting)),
  "slack.action.event_rsvp": button("event_rsvp_going", () => String(seeds.event)),
  "slack.action.postings_page": button("postings_page", () => JSON.stringify({ k: "job", w: [], p: 0 })),
  "slack.action.directory_page": button("directory_page", () => JSON.stringify({ w: ["Member"], p: 0 })),
  "slack.action.home_list": button("home_list", () => "jobs"),
  "slack.action.delete_confirm": button("delete_confirm"),
  "slack.action.delete_cancel": button("delete_cancel"),
  // A survey the person was not sent: allowed personas get past the matrix to the survey's own check.
  "slack.action.open_survey": button("open_survey", () => randomUUID()),
  "slack.action.open_homecoming_wish": button("open_homecoming_wish", () => randomUUID()),
  "slack.view.register": modal(
    "alumni_register",
    () => ({ mode: "register", locale: "ja", consentVersion: CONSENT_VERSION }),
    (p) => registrationValues(`New ${p.userId}`, `${p.userId.toLowerCase()}@example.org`, true),
  ),
  "slack.view.profile": modal(
    "alumni_register",
    () => ({ mode: "edit", locale: "ja" }),
    (p) => registrationValues(`Edited ${p.userId}`, `${p.userId.toLowerCase()}@example.org`, false),
  ),
  "slack.view.refer": modal(
    "alumni_refer",
    () => ({ locale: "ja", posting: null }),
    () => ({
      candidateName: { candidateName: plainText("Kai Candidate") },
      candidateContact: { candidateContact: plainText("kai@example.com") },
      candidateConsented: { candidateConsented: checkboxes(["yes"]) },
    }),
  ),
  "slack.view.survey": modal(
    "alumni_survey",
    () => ({ locale: "ja", surveyResponseId: randomUUID(), questions: [] }),
    () => ({}),
  ),
  "slack.view.homecoming_wish": modal(
    "alumni_homecoming_wish",
    () => ({ locale: "ja", surveyResponseId: randomUUID(), questions: [] }),
    () => ({}),
  ),
};

/** What the person saw: the response_url answer, the modal that opened, or (modal submissions) the ack. */
async function slackAnswer(op: Operation, p: SlackPersona): Promise<string> {
  const send = SLACK_REQUESTS[op.id];
  if (!send) throw new Error(`no Slack request for ${op.id}`);
  const ids = { responseUrlId: randomUUID(), triggerId: triggerId() };
  const res = await send(p, ids);
  expect(res.status, op.id).toBe(200);
  if (op.kind === "view") return res.text || "(accepted)";
  const post = h.fakeSlack
    .waitForResponsePost((x) => x.id === ids.responseUrlId, 5000)
    .then((x) => JSON.stringify(x.body));
  const opened = h.fakeSlack
    .waitFor("views.open", (c) => c.args.trigger_id === ids.triggerId, 5000)
    .then((c) => `views.open ${JSON.stringify(c.args.view)}`);
  return Promise.any([post, opened]);
}

// ---- Teams ----

interface TeamsPersona {
  user: TeamsUser;
  opts: TeamsActivityOptions;
}

async function say(user: TeamsUser, text: string, opts: TeamsActivityOptions = {}): Promise<string> {
  const conversationId = opts.conversation?.id ?? personalConversationId(user);
  const before = h.connector.sent(conversationId).length;
  const res = await h.teams.message(user, text, opts);
  expect(res.status).toBe(200);
  return h.connector
    .sent(conversationId)
    .slice(before)
    .map((a) => `${a.text ?? ""}${JSON.stringify(adaptiveCards(a))}`)
    .join("\n");
}

/** A fresh Teams user who is `persona` (the admin is the one from ADMIN_AAD_OBJECT_IDS). */
async function teamsPersona(persona: Persona): Promise<TeamsPersona> {
  if (persona === "admin") return { user: admin, opts: {} };
  seq += 1;
  const user = h.teamsPerson(`Person ${seq}`);
  if (persona === "stranger") {
    return { user, opts: { conversation: { ...h.teams.personal(user), tenantId: OTHER_TENANT } } };
  }
  if (persona === "unregistered") return { user, opts: {} };
  await say(user, "help");
  const prisma = h.db.prisma;
  const target = { personId: await teamsPersonId(user) };
  // Teams has no sign-up: someone not verified in Slack is, in Teams, a known user with no role.
  if (persona === "member" || persona === "pending") return { user, opts: {} };
  await grantRole({ prisma, actorId: adminId, role: persona === "cm" ? "cm" : "hr", target });
  if (persona === "blocked") await revokeRole({ prisma, actorId: adminId, role: "hr", target });
  if (persona === "erased") {
    await eraseMember({ prisma, personId: target.personId });
    await say(user, "help");
  }
  return { user, opts: {} };
}

const nextYear = new Date().getUTCFullYear() + 1;
const job = {
  kind: "job",
  title: "Staff Engineer",
  description: "Build the alumni platform.",
  location: "Tokyo",
  workStyle: "hybrid",
  employmentType: "full_time",
  skills: "TypeScript",
  compensation: "",
  howToApply: "Reply in Slack",
  closesOn: "",
  publish: "false",
};

const TEAMS_COMMANDS: Record<string, () => string> = {
  "teams.command.help": () => "help",
  "teams.command.roles": () => "roles",
  "teams.command.grant": () => `grant hr pending.${randomUUID().slice(0, 8)}@corp.example`,
  "teams.command.revoke": () => "revoke hr nobody@corp.example",
  "teams.command.post": () => "post job Staff Engineer",
  "teams.command.postings": () => "postings",
  "teams.command.close": () => `close ${seeds.openPosting}`,
  "teams.command.returners": () => "returners",
  "teams.command.notify": () => "notify here",
  "teams.command.schedule_event": () => "schedule event",
  "teams.command.events": () => "events",
  "teams.command.cancel_event": () => `cancel event ${seeds.event}`,
  "teams.command.move_event": () => `move event ${seeds.eventToMove} ${nextYear}-12-05 19:00`,
  "teams.command.survey_results": () => "survey results",
  "teams.command.failed_deliveries": () => "failed deliveries",
  "teams.command.broadcast": () => "broadcast",
  "teams.command.roster": () => "roster",
};

const TEAMS_CARDS: Record<string, () => Record<string, unknown>> = {
  "teams.card.posting.create": () => ({ ...job, formId: randomUUID() }),
  "teams.card.posting.update": () => ({ ...job, number: seeds.postingToEdit }),
  "teams.card.posting.edit": () => ({ number: seeds.postingToEdit }),
  "teams.card.posting.show": () => ({ number: seeds.postingToEdit }),
  "teams.card.posting.close": () => ({ number: seeds.openPosting }),
  "teams.card.posting.publish": () => ({ number: seeds.draftPosting }),
  "teams.card.referral.status": () => ({ number: seeds.referral, status: "contacted" }),
  "teams.card.referral.reward": () => ({ number: seeds.referral, rewardState: "eligible" }),
  "teams.card.broadcast.form": () => ({}),
  "teams.card.broadcast.preview": () => ({ segmentKind: "all", message: "Hello alumni" }),
  "teams.card.broadcast.send": () => ({ formId: randomUUID(), segmentKind: "all", message: "Hello alumni" }),
  "teams.card.delivery.retry": () => ({ all: true }),
  "teams.card.returners.page": () => ({ page: 0 }),
  // Numbers nobody has: an allowed persona gets past the matrix to the operation's own "not found".
  "teams.card.roster.import": () => ({ importNumber: 999_999 }),
  "teams.card.roster.cancel": () => ({ importNumber: 999_999 }),
  "teams.card.roster.form": () => ({}),
  "teams.card.roster.add": () => ({ formId: randomUUID(), employeeNumber: "" }),
  "teams.card.joinRequest.approve": () => ({ requestNumber: 999_999 }),
  "teams.card.joinRequest.reject": () => ({ requestNumber: 999_999, reason: "" }),
};

async function teamsAnswer(op: Operation, p: TeamsPersona): Promise<string> {
  if (op.kind === "command") {
    const text = TEAMS_COMMANDS[op.id];
    if (!text) throw new Error(`no Teams command for ${op.id}`);
    return say(p.user, text(), p.opts);
  }
  const data = TEAMS_CARDS[op.id];
  if (!data) throw new Error(`no Teams card data for ${op.id}`);
  const res = await h.teams.invoke(p.user, { verb: op.name, data: { verb: op.name, ...data() } }, p.opts);
  expect(res.status, op.id).toBe(200);
  return JSON.stringify((res.json as { value?: unknown }).value);
}

// ---- the cells ----

/** Operations whose allowed cells change who the person is (a newcomer joins; a member erases their data). */
const FRESH = new Set(["slack.view.register", "slack.action.delete_confirm"]);
const personas = new Map<string, Promise<unknown>>();
function shared<T>(key: string, make: () => Promise<T>): Promise<T> {
  if (!personas.has(key)) personas.set(key, make());
  return personas.get(key) as Promise<T>;
}

/** Plays one operation for every persona; returns the cells that disagree with the matrix. */
async function play(op: Operation): Promise<string[]> {
  const wrong: string[] = [];
  for (const persona of PERSONAS) {
    const outcome = op.outcomes[persona];
    let answer: string;
    let counted: Record<string, number> = {};
    if (op.platform === "slack") {
      const p = FRESH.has(op.id)
        ? await slackPersona(persona)
        : await shared(`slack:${persona}`, () => slackPersona(persona));
      if (!outcome.allowed) counted = await rowCounts();
      answer = await slackAnswer(op, p);
    } else {
      // Every first contact is a new user; the others are set up once.
      const p =
        persona === "unregistered"
          ? await teamsPersona(persona)
          : await shared(`teams:${persona}`, () => teamsPersona(persona));
      if (!outcome.allowed) counted = await rowCounts();
      answer = await teamsAnswer(op, p);
      // A started dialog would take the admin's next message: end it.
      if (op.id === "teams.command.schedule_event" && outcome.allowed) await say(p.user, "cancel", p.opts);
    }
    const cell = `${op.id} × ${persona}`;
    if (outcome.allowed) {
      const refusal = REFUSALS.find((key) => answer.includes(t("ja", key)));
      if (refusal) wrong.push(`${cell}: allowed, but refused with ${refusal}: ${answer.slice(0, 200)}`);
      continue;
    }
    if (!answer.includes(t("ja", outcome.key))) {
      wrong.push(`${cell}: expected the refusal ${outcome.key}, got: ${answer.slice(0, 300)}`);
    }
    const expected = op.platform === "teams" && persona === "unregistered" ? FIRST_CONTACT : {};
    const changed = changes(counted, await rowCounts());
    if (JSON.stringify(changed) !== JSON.stringify(expected)) {
      wrong.push(`${cell}: refused, but rows changed: ${JSON.stringify(changed)}`);
    }
  }
  return wrong;
}

describe("the authorization matrix covers every entry point", () => {
  it("has a request for every operation, and an operation for every request", () => {
    const slack = AUTHORIZATION_MATRIX.filter((op) => op.platform === "slack").map((op) => op.id);
    const teams = AUTHORIZATION_MATRIX.filter((op) => op.platform === "teams");
    expect(Object.keys(SLACK_REQUESTS).sort()).toEqual([...slack].sort());
    expect(Object.keys(TEAMS_COMMANDS).sort()).toEqual(
      teams
        .filter((op) => op.kind === "command")
        .map((op) => op.id)
        .sort(),
    );
    expect(Object.keys(TEAMS_CARDS).sort()).toEqual(
      teams
        .filter((op) => op.kind === "card")
        .map((op) => op.id)
        .sort(),
    );
  });
});

describe.each(["slack", "teams"] as const)(
  "%s: every operation x every persona, against the running bot",
  (platform) => {
    const ops = AUTHORIZATION_MATRIX.filter((op) => op.platform === platform);
    it.each(ops.map((op) => [op.id, op] as const))("%s", async (_id, op) => {
      expect(await play(op)).toEqual([]);
    });
  },
);

describe("beyond the matrix's rows", () => {
  it("publishes no App Home to someone of another workspace", async () => {
    await strangerSlack.event({ type: "app_home_opened", user: "UAZSTRHOME", channel: "DAZSTRHOME", tab: "home" });
    await h.slack.event({ type: "app_home_opened", user: "UAZOWNHOME", channel: "DAZOWNHOME", tab: "home" });
    await h.fakeSlack.waitFor("views.publish", (c) => c.args.user_id === "UAZOWNHOME");
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fakeSlack.callsTo("views.publish").filter((c) => c.args.user_id === "UAZSTRHOME")).toEqual([]);
  });
});
