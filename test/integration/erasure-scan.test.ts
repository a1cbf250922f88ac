// Erasure leaves nothing: a member gives the bot every kind of personal data through the
// real Slack flow (profile, visibility, interests, an interest, a referral with notes, an
// RSVP, survey answers with free text, a homecoming wish, audit entries, messages queued
// and sent, an export), HR works it in Teams, then `/alumni delete`. Afterwards a scan of
// every text, varchar, json and jsonb column (and arrays of them) of every table - read
// from the database catalogue, so a new table or column is covered without touching this
// test - finds none of the member's ids, names, emails or words.
//
// What may remain, by design (none of it is the member's text, and no text column names them):
// - people: the tombstone row (status 'erased', erased_at) whose uuid id keeps counts right;
//   uuid columns (rsvps.person_id, interests.person_id, audit_log.actor_id, ...) still point
//   at it: they are not text, and the tombstone says nothing about anyone.
// - referrals: the candidate's own name and contact (the candidate's data, which HR is
//   processing with the candidate's consent), the status and the posting.
// - survey_responses: the invitation (survey, event, times), unlinked (person_id null, a dedupe
//   key that no longer names them); every answer is deleted.
// - outbox_messages: the rows themselves (status, kind, times) with payload {"erased":true},
//   target/rate key/idempotency key no longer naming the member.
// - audit_log: the entries (action, time) with details cleared; subject_id no longer names them.
// - join_requests: none; what the member typed to join (and HR's reason) is deleted with them.
//
// One table is exempt, by name and with its reason (ERASURE_EXEMPT_TABLES): roster_entries, HR's
// leavers roster. The member's row there is the company's own employment record, not alumni data:
// erasure unlinks it (person_id = null) and leaves it, HR can delete it, and a row nobody is
// linked to is pruned after ROSTER_RETENTION_DAYS. The scan still reads it and reports what it
// holds separately, so the exemption is visible and asserted; every other table fails the scan.
//
// Teams: a Slack alumnus never has a Teams identity (a Teams account links only to a person an
// admin made by email, with no Slack identity; joining in Slack makes a person of its own), so
// this flow meets none; eraseMember still clears Teams identities and their ids the same way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/core/db.js";
import { planEventReminders } from "../../src/core/events/plan-event-reminders.js";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { decideJoinRequest } from "../../src/core/members/decide-join-request.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { applyRosterImport } from "../../src/core/roster/decide-roster-import.js";
import { previewRosterImport } from "../../src/core/roster/preview-roster-import.js";
import { planExitSurveys } from "../../src/core/surveys/plan-exit-surveys.js";
import { planHomecomingWishes } from "../../src/core/surveys/plan-homecoming-wishes.js";
import { ALUMNI_CHANNEL, type BotHarness, SLACK_TEAM_ID, startBotHarness } from "../support/bot-harness.js";
import { eventually } from "../support/slack-harness.js";
import { checkboxes, email, number, plainText, radio, staticSelect } from "../support/slack-requests.js";
import { personalConversationId, type TeamsUser, teamsUser } from "../support/teams-requests.js";

const DAY = 86_400_000;

/** A value found where it should not be. */
interface Leak {
  table: string;
  column: string;
  needle: string;
  value: string;
}

interface ScanResult {
  tables: number;
  columns: number;
  /** Found in a table that is not exempt: erasure missed it. */
  leaks: Leak[];
  /** Found in an exempt table (ERASURE_EXEMPT_TABLES): kept by design, reported so tests can assert it. */
  exempted: Leak[];
}

/**
 * Tables allowed to keep a member's data after erasure, each with the reason. An exemption is a
 * decision made here, by name, never by accident: every other table (including any new one) fails.
 */
const ERASURE_EXEMPT_TABLES: Readonly<Record<string, string>> = {
  roster_entries:
    "HR's leavers roster: the company's own employment record of the person, not alumni data. " +
    "Erasure unlinks the member (person_id = null) and leaves the row; HR deletes rows (`roster delete`), " +
    "and rows nobody is linked to are pruned after ROSTER_RETENTION_DAYS.",
};

/**
 * Every text-like column of every table in the public schema, from the catalogue: text,
 * varchar, char, json, jsonb and arrays of those. Each value is compared case-insensitively.
 */
async function scanForPersonalData(prisma: Db, needles: readonly string[]): Promise<ScanResult> {
  const columns = await prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT c.table_name, c.column_name
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
           OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar', '_bpchar', '_json', '_jsonb')))
    ORDER BY c.table_name, c.ordinal_position`;
  const byTable = new Map<string, string[]>();
  for (const c of columns) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
  const lowered = needles.map((n) => [n, n.toLowerCase()] as const);
  const leaks: Leak[] = [];
  const exempted: Leak[] = [];
  for (const [table, cols] of byTable) {
    const found = Object.hasOwn(ERASURE_EXEMPT_TABLES, table) ? exempted : leaks;
    const select = cols.map((c, i) => `"${c.replaceAll('"', '""')}"::text AS c${i}`).join(", ");
    const rows = await prisma.$queryRawUnsafe<Record<string, string | null>[]>(
      `SELECT ${select} FROM "${table.replaceAll('"', '""')}"`,
    );
    for (const row of rows) {
      cols.forEach((column, i) => {
        const value = row[`c${i}`];
        if (value === null || value === undefined) return;
        const text = value.toLowerCase();
        for (const [needle, low] of lowered) {
          if (text.includes(low)) found.push({ table, column, needle, value: value.slice(0, 300) });
        }
      });
    }
  }
  return { tables: byTable.size, columns: columns.length, leaks, exempted };
}

let h: BotHarness;
const admin = teamsUser("Admin Aoki");
let hr: TeamsUser;

beforeAll(async () => {
  // Joins are matched against HR's roster, as by default, so erasure meets a linked roster row.
  h = await startBotHarness({
    admins: [admin],
    env: { SLACK_CHANNEL_RATE: "off", TEAMS_CONVERSATION_RATE: "off", MEMBERSHIP_VERIFICATION: "roster" },
  });
  hr = h.teamsPerson("Hana HR", "hana.hr@corp.example");
  expect((await h.teams.message(admin, "grant hr hana.hr@corp.example")).status).toBe(200);
  expect((await h.teams.message(hr, "help")).status).toBe(200);
});
afterAll(async () => {
  await h?.stop();
});

/** Run the dispatcher until nothing more is due. */
async function drain(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const report = await h.app.dispatcher.tick();
    if (report.claimed === 0) return;
  }
}

/** Slack's answer through the response_url of a command or click. */
async function answered(send: (responseUrlId: string) => Promise<{ status: number }>): Promise<string> {
  const id = crypto.randomUUID();
  expect((await send(id)).status).toBe(200);
  const post = await h.fakeSlack.waitForResponsePost((p) => p.id === id);
  return JSON.stringify(post.body);
}

/** The modal the bot opened last with this callback id (or private metadata mentioning it). */
async function openedModal(match: (view: { callback_id?: string; private_metadata?: string }) => boolean) {
  const call = await h.fakeSlack.waitFor("views.open", (c) => match(c.args.view as never));
  h.fakeSlack.calls.splice(h.fakeSlack.calls.indexOf(call), 1);
  return call.args.view as { callback_id: string; private_metadata: string };
}

interface Member {
  userId: string;
  personId: string;
  /** Everything that names them or that they wrote. */
  needles: string[];
}

function profileValues(p: {
  displayName: string;
  email: string;
  department: string;
  employer: string;
  title: string;
  skills: string;
  leftOn: string;
}) {
  const all = (values: string[]) => checkboxes(values);
  return {
    displayName: { displayName: plainText(p.displayName) },
    email: { email: email(p.email) },
    department: { department: plainText(p.department) },
    joinedYear: { joinedYear: number(2012) },
    leftYear: { leftYear: number(Number(p.leftOn.slice(0, 4))) },
    leftOn: { leftOn: { type: "datepicker", selected_date: p.leftOn } },
    currentEmployer: { currentEmployer: plainText(p.employer) },
    title: { title: plainText(p.title) },
    skills: { skills: plainText(p.skills) },
    interests: { interests: all(["job_alerts", "gig_alerts", "event_alerts", "open_to_return", "happy_to_refer"]) },
    directoryFields: {
      directoryFields: all([
        "display_name",
        "email",
        "department",
        "years",
        "employer",
        "title",
        "skills",
        "interests",
      ]),
    },
    hrFields: {
      hrFields: all(["display_name", "email", "department", "years", "employer", "title", "skills", "interests"]),
    },
    locale: { locale: staticSelect("en") },
    consent: { consent: checkboxes(["agree"]) },
  };
}

/** A member's profile: every word carries their tag, so the scan can look for each. */
function wordsOf(tag: string) {
  return {
    displayName: `${tag}first ${tag}wort 花子`,
    email: `${tag.toLowerCase()}.private@example.net`,
    department: `${tag}dept Research`,
    employer: `${tag}corp KK`,
    title: `${tag}title Lead`,
    skills: `${tag}skill, Rust`,
    leftOn: new Date(Date.now() - 90 * DAY).toISOString().slice(0, 10),
  };
}

/**
 * HR imports a leavers file (as the Teams upload does: preview, then Import) in which the person
 * `tag` names has a row with their personal email: joining matches it. Returns their row.
 */
async function importRosterWith(tag: string, employeeNumber: string) {
  const words = wordsOf(tag);
  const prisma = h.db.prisma;
  const hrId = (await prisma.teamsIdentity.findFirstOrThrow({ where: { aadObjectId: hr.aadObjectId } })).personId;
  const csv = [
    "社員番号,姓,名,個人メールアドレス,メールアドレス,部署,入社年月日,退職年月日,退職区分,再雇用可否",
    `${employeeNumber},${tag}wort,${tag}first,${words.email},${tag.toLowerCase()}.work@corp.example,${words.department},2012-04-01,${words.leftOn},自己都合,可`,
    `ZQ-9999,佐藤,次郎,jiro.sato@example.org,jiro.sato@corp.example,営業部,2015-04-01,2024-03-31,自己都合,可`,
  ].join("\r\n");
  const preview = await previewRosterImport({
    prisma,
    uploaderId: hrId,
    fileName: "leavers.csv",
    bytes: new TextEncoder().encode(`\uFEFF${csv}\r\n`),
    maxRows: 100,
  });
  expect(preview.counts).toMatchObject({ new: 2, rejected: 0 });
  expect((await applyRosterImport({ prisma, actorId: hrId, importNumber: preview.importNumber })).outcome).toBe(
    "imported",
  );
  return prisma.rosterEntry.findUniqueOrThrow({ where: { employeeNumber } });
}

/** Join through the modal, with every profile field filled in and shown to everyone. */
async function joinWithEverything(userId: string, tag: string): Promise<Member> {
  const words = wordsOf(tag);
  h.fakeSlack.addUser({
    id: userId,
    real_name: words.displayName,
    email: words.email,
    locale: "en-US",
    tz: "Europe/Berlin",
  });
  await h.slack.command(userId, "join");
  const view = await openedModal((v) => (v.private_metadata ?? "").includes('"register"'));
  const res = await h.slack.viewSubmission(userId, {
    callbackId: view.callback_id,
    privateMetadata: view.private_metadata,
    values: profileValues(words),
  });
  expect(res.status).toBe(200);
  const identity = await eventually(() =>
    h.db.prisma.slackIdentity.findFirst({
      where: { teamId: SLACK_TEAM_ID, userId, person: { profile: { isNot: null } } },
    }),
  );
  return {
    userId,
    personId: identity.personId,
    needles: [
      identity.personId,
      userId,
      `${tag}first`,
      `${tag}wort`,
      words.email,
      words.department,
      words.employer,
      words.title,
      `${tag}skill`,
    ],
  };
}

async function erase(member: Member): Promise<void> {
  expect(await answered((id) => h.slack.command(member.userId, "delete", { responseUrlId: id }))).toContain(
    "delete_confirm",
  );
  const done = await answered((id) =>
    h.slack.blockAction(member.userId, { actionId: "delete_confirm", value: "erase" }, { responseUrlId: id }),
  );
  expect(done).toContain("erased");
  expect((await h.db.prisma.person.findUniqueOrThrow({ where: { id: member.personId } })).status).toBe("erased");
}

function describeLeaks(leaks: Leak[]): string[] {
  return leaks.map((l) => `${l.table}.${l.column} has "${l.needle}": ${l.value}`);
}

describe("erasure leaves nothing", () => {
  it("after /alumni delete, no text or JSON column of any table names the member or holds their words", async () => {
    // HR publishes a job from Teams (its conversation gets the interest and referral cards).
    const created = await h.teams.invoke(hr, {
      verb: "posting.create",
      data: {
        verb: "posting.create",
        kind: "job",
        formId: "erasure-form-1",
        title: "Staff Engineer",
        description: "Keep the bridge up.",
        workStyle: "remote",
        employmentType: "full_time",
        skills: "Rust",
        publish: "true",
      },
    });
    expect(created.status).toBe(200);
    const posting = await h.db.prisma.posting.findFirstOrThrow({ where: { title: "Staff Engineer" } });
    const hrConversation = await h.db.prisma.teamsConversationRef.findUniqueOrThrow({
      where: { conversationId: personalConversationId(hr) },
    });
    // A homecoming day in 6 days (wishes are asked a week before), scheduled from HR's chat.
    const event = await h.db.prisma.event.create({
      data: {
        kind: "homecoming_day",
        title: "Homecoming 2026",
        startsAt: new Date(Date.now() + 6 * DAY),
        timeZone: "Asia/Tokyo",
        place: "Tokyo HQ",
        originConversationId: hrConversation.id,
      },
    });
    await drain();

    // HR's roster has them: joining verifies them and links the row.
    const rosterRow = await importRosterWith("Zyxq", "ZQ-0001");
    const member = await joinWithEverything("UZQERASE7", "Zyxq");
    expect(await h.db.prisma.rosterEntry.findUniqueOrThrow({ where: { id: rosterRow.id } })).toMatchObject({
      personId: member.personId,
    });
    expect((await h.db.prisma.person.findUniqueOrThrow({ where: { id: member.personId } })).membership).toBe(
      "verified",
    );
    member.needles.push("ZQ-0001");
    // Someone else, whom the member blocks and who blocks the member.
    const { member: other } = await registerMember({
      prisma: h.db.prisma,
      user: { teamId: SLACK_TEAM_ID, userId: "UOTHER0001" },
      input: { displayName: "Other Person", email: "other@example.com", locale: "en" },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "en" },
    });
    expect(
      await answered((id) => h.slack.command(member.userId, "block <@UOTHER0001>", { responseUrlId: id })),
    ).toContain("UOTHER0001");
    expect(
      await answered((id) => h.slack.command("UOTHER0001", `block <@${member.userId}>`, { responseUrlId: id })),
    ).toContain(member.userId);

    // Edit the profile once (an audit entry), with the same words.
    await h.slack.command(member.userId, "join");
    const edit = await openedModal((v) => (v.private_metadata ?? "").includes('"edit"'));
    expect(
      (
        await h.slack.viewSubmission(member.userId, {
          callbackId: edit.callback_id,
          privateMetadata: edit.private_metadata,
          values: profileValues(wordsOf("Zyxq")),
        })
      ).status,
    ).toBe(200);

    // Interested, a referral with their own words, an RSVP.
    await answered((id) =>
      h.slack.blockAction(
        member.userId,
        { actionId: "posting_interested", value: String(posting.number) },
        { channelId: ALUMNI_CHANNEL, responseUrlId: id },
      ),
    );
    await h.slack.command(member.userId, `refer ${posting.number}`);
    const refer = await openedModal((v) => v.callback_id === "alumni_refer");
    const referred = await h.slack.viewSubmission(member.userId, {
      callbackId: refer.callback_id,
      privateMetadata: refer.private_metadata,
      values: {
        candidateName: { candidateName: plainText("Kenji Candidate") },
        candidateContact: { candidateContact: plainText("kenji.candidate@example.org") },
        relationship: { relationship: plainText("Zyxqrelation my old teammate") },
        note: { note: plainText("Zyxqnote please call after six") },
        candidateConsented: { candidateConsented: checkboxes(["yes"]) },
      },
    });
    expect(referred.status).toBe(200);
    await eventually(() => h.db.prisma.referral.findFirst({ where: { referrerId: member.personId } }));
    await answered((id) =>
      h.slack.blockAction(
        member.userId,
        { actionId: "event_rsvp_going", value: String(event.number) },
        { channelId: ALUMNI_CHANNEL, responseUrlId: id },
      ),
    );
    member.needles.push("Zyxqrelation", "Zyxqnote");

    // The scheduler's work for them: a post-exit survey, a homecoming wish, reminders.
    const now = new Date();
    await planExitSurveys({ prisma: h.db.prisma, now, offsetsMs: [90 * DAY], horizonMs: DAY });
    await planHomecomingWishes({ prisma: h.db.prisma, now, horizonMs: DAY });
    await planEventReminders({ prisma: h.db.prisma, now, offsetsMs: [DAY, 7 * DAY], horizonMs: DAY });
    await drain();
    const responses = await h.db.prisma.surveyResponse.findMany({
      where: { personId: member.personId },
      include: { survey: true },
    });
    expect(responses.map((r) => r.survey.key).sort()).toEqual(["homecoming_wish", "post_exit"]);
    for (const response of responses) {
      const wish = response.survey.key === "homecoming_wish";
      await h.slack.blockAction(
        member.userId,
        { actionId: wish ? "open_homecoming_wish" : "open_survey", value: response.id },
        { channelId: `D${member.userId}` },
      );
      const view = await openedModal((v) => v.callback_id === (wish ? "alumni_homecoming_wish" : "alumni_survey"));
      const res = await h.slack.viewSubmission(member.userId, {
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: wish
          ? { who: { who: plainText("Zyxqwish my old boss Tanaka") } }
          : {
              satisfaction: { satisfaction: radio("4") },
              would_return: { would_return: radio("yes") },
              comment: { comment: plainText("Zyxqcomment the canteen was great") },
            },
      });
      expect(res.status).toBe(200);
    }
    member.needles.push("Zyxqwish", "Zyxqcomment");
    await eventually(
      async () => (await h.db.prisma.surveyAnswer.count({ where: { response: { personId: member.personId } } })) === 4,
    );

    // HR works the referral in Teams: a status DM to the member is queued and sent.
    const referral = await h.db.prisma.referral.findFirstOrThrow({ where: { referrerId: member.personId } });
    const status = await h.teams.invoke(hr, {
      verb: "referral.status",
      data: { verb: "referral.status", number: referral.number, status: "contacted", expected: "received" },
    });
    expect(status.status).toBe(200);
    // A gig published now: a job alert DM to the member (they asked for alerts).
    const gig = await h.teams.invoke(hr, {
      verb: "posting.create",
      data: {
        verb: "posting.create",
        kind: "gig",
        formId: "erasure-form-2",
        title: "Weekend Rust review",
        description: "Review a crate.",
        workStyle: "remote",
        employmentType: "contract",
        skills: "Rust",
        publish: "true",
      },
    });
    expect(gig.status).toBe(200);
    await eventually(() =>
      h.db.prisma.outboxMessage.findFirst({ where: { kind: "slack.job_alert", recipientId: member.personId } }),
    );
    // The export, and the cards and DMs go out.
    await answered((id) => h.slack.command(member.userId, "mydata", { responseUrlId: id }));
    await drain();

    // Before: the scan finds them (it can fail).
    const before = await scanForPersonalData(h.db.prisma, member.needles);
    const found = new Set([...before.leaks, ...before.exempted].map((l) => l.needle));
    expect([...member.needles].filter((n) => !found.has(n))).toEqual([]);

    await erase(member);
    // Later jobs must not bring anything back.
    await planExitSurveys({ prisma: h.db.prisma, now, offsetsMs: [90 * DAY], horizonMs: DAY });
    await planHomecomingWishes({ prisma: h.db.prisma, now, horizonMs: DAY });
    await planEventReminders({ prisma: h.db.prisma, now, offsetsMs: [DAY, 7 * DAY], horizonMs: DAY });
    await drain();

    const after = await scanForPersonalData(h.db.prisma, member.needles);
    console.info(`erasure scan: ${after.columns} text/JSON columns in ${after.tables} tables`);
    expect(describeLeaks(after.leaks)).toEqual([]);
    expect(after.tables).toBeGreaterThanOrEqual(20);
    // The one exemption, HR's roster row: still there (the company's employment record), no longer
    // linked to the member, and holding HR's data only - none of the member's ids or words.
    expect([...new Set(after.exempted.map((l) => l.table))]).toEqual(["roster_entries"]);
    expect(after.exempted.map((l) => l.needle)).toEqual(expect.arrayContaining(["ZQ-0001", wordsOf("Zyxq").email]));
    for (const own of [member.personId, member.userId, "Zyxqtitle", "Zyxqskill", "Zyxqcomment", "Zyxqnote"]) {
      expect(after.exempted.map((l) => l.needle)).not.toContain(own);
    }
    expect(await h.db.prisma.rosterEntry.findUniqueOrThrow({ where: { id: rosterRow.id } })).toMatchObject({
      personId: null,
      employeeNumber: "ZQ-0001",
    });

    // Aggregates remain: the interest, the RSVP, the referral (anonymous), the choice answers.
    expect(await h.db.prisma.interest.count({ where: { postingId: posting.id } })).toBe(1);
    expect(await h.db.prisma.rsvp.count({ where: { eventId: event.id, response: "going" } })).toBe(1);
    expect(await h.db.prisma.referral.findUniqueOrThrow({ where: { id: referral.id } })).toMatchObject({
      candidateName: "Kenji Candidate",
      relationship: null,
      note: null,
      status: "contacted",
    });
    // The other member still exists and is untouched.
    expect((await h.db.prisma.person.findUniqueOrThrow({ where: { id: other.personId } })).displayName).toBe(
      "Other Person",
    );
  });

  it("fails when a new column or table keeps personal data that erasure misses (proved with throwaway ones)", async () => {
    const member = await joinWithEverything("UZQPROBE1", "Probq");
    const prisma = h.db.prisma;
    await prisma.$executeRawUnsafe(`ALTER TABLE people ADD COLUMN scan_probe_nickname text`);
    await prisma.$executeRawUnsafe(`CREATE TABLE scan_probe_notes (id serial PRIMARY KEY, body jsonb, tags text[])`);
    // Next to the exempt roster, but not exempt: an import's summary naming the member is a leak.
    const probeImport = crypto.randomUUID();
    try {
      const mail = member.needles.find((n) => n.includes("@")) as string;
      await prisma.$executeRawUnsafe(
        `UPDATE people SET scan_probe_nickname = email WHERE id = $1::uuid`,
        member.personId,
      );
      await prisma.$executeRawUnsafe(
        `INSERT INTO scan_probe_notes (body, tags) VALUES (jsonb_build_object('who', $1::text), ARRAY[$2::text])`,
        mail,
        member.userId,
      );
      await prisma.$executeRawUnsafe(
        `INSERT INTO roster_imports (id, file_name, sha256, status, summary)
         VALUES ($1::uuid, 'probe.csv', 'probe', 'previewed', jsonb_build_object('who', $2::text))`,
        probeImport,
        mail,
      );
      await erase(member);
      const after = await scanForPersonalData(prisma, member.needles);
      expect(describeLeaks(after.leaks).sort()).toEqual(
        [
          `people.scan_probe_nickname has "${mail}": ${mail}`,
          `scan_probe_notes.body has "${mail}": {"who": "${mail}"}`,
          `scan_probe_notes.tags has "${member.userId}": {${member.userId}}`,
          `roster_imports.summary has "${mail}": {"who": "${mail}"}`,
        ].sort(),
      );
      // Not on the roster: nothing of them in the exempt table either.
      expect(after.exempted).toEqual([]);
    } finally {
      await prisma.$executeRawUnsafe(`DELETE FROM roster_imports WHERE id = $1::uuid`, probeImport);
      await prisma.$executeRawUnsafe(`ALTER TABLE people DROP COLUMN scan_probe_nickname`);
      await prisma.$executeRawUnsafe(`DROP TABLE scan_probe_notes`);
    }
    // Without the throwaway column and table, nothing is left of this member either.
    expect(describeLeaks((await scanForPersonalData(prisma, member.needles)).leaks)).toEqual([]);
  });

  it("erases a member waiting for HR: their join requests, HR's reason, the cards and DMs about them", async () => {
    const prisma = h.db.prisma;
    // HR's join-request cards go to this conversation.
    expect((await h.teams.message(hr, "notify here")).status).toBe(200);
    const hrId = (await prisma.teamsIdentity.findFirstOrThrow({ where: { aadObjectId: hr.aadObjectId } })).personId;
    const userId = "UQVXWPEND";
    h.fakeSlack.addUser({ id: userId, real_name: "Qvxwfirst Qvxwfamily", email: "qvxw.profile@example.net" });
    const verification = {
      mode: "roster" as const,
      personalEmail: "qvxw.home@example.org",
      employeeNumber: "QV-4711",
      familyName: "Qvxwfamily",
      rejectionsBeforeBlock: 3,
      reapplyBlockDays: 30,
    };
    const apply = () =>
      registerMember({
        prisma,
        user: { teamId: SLACK_TEAM_ID, userId },
        input: { displayName: "Qvxwfirst Qvxwfamily", email: "qvxw.profile@example.net", locale: "en" },
        consent: { accepted: true, version: CONSENT_VERSION, locale: "en" },
        verification,
      });
    const first = await apply();
    expect(first.membership).toBe("pending");
    const personId = first.member.personId;
    // HR rejects with a reason that names them; they apply again.
    await decideJoinRequest({
      prisma,
      actorId: hrId,
      requestNumber: first.joinRequestNumber as number,
      decision: "reject",
      reason: "Qvxwreason we could not find Qvxwfamily on the roster",
    });
    const second = await apply();
    expect(second).toMatchObject({ membership: "pending", requested: true });
    await drain();
    const needles = [
      personId,
      userId,
      "Qvxwfirst",
      "Qvxwfamily",
      "qvxw.home@example.org",
      "qvxw.profile@example.net",
      "QV-4711",
      "Qvxwreason",
    ];
    expect(await prisma.joinRequest.count({ where: { personId } })).toBe(2);
    const cards = await prisma.outboxMessage.findMany({ where: { kind: "hr.joinRequest" } });
    expect(cards.length).toBeGreaterThanOrEqual(2);
    const before = await scanForPersonalData(prisma, needles);
    const found = new Set(before.leaks.map((l) => l.needle));
    expect(needles.filter((n) => !found.has(n))).toEqual([]);
    expect(before.leaks.some((l) => l.table === "join_requests")).toBe(true);

    await erase({ userId, personId, needles });
    const after = await scanForPersonalData(prisma, needles);
    expect(describeLeaks(after.leaks)).toEqual([]);
    expect(after.exempted).toEqual([]);
    expect(await prisma.joinRequest.count({ where: { personId } })).toBe(0);
    // HR's cards about their requests no longer say which request (nor whose) it was.
    const requestIds = [...new Set(cards.map((c) => c.subjectId))];
    for (const card of await prisma.outboxMessage.findMany({ where: { subjectId: { in: requestIds as string[] } } })) {
      expect(card.payload).toEqual({ erased: true });
    }
  });
});
