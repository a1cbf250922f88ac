// Verified membership in Slack, end to end (MEMBERSHIP_VERIFICATION=roster, the default):
// someone on HR's roster joins through the modal and is verified at once; a stranger is
// pending, told so, and HR's queue gets the request; while pending, the directory, postings
// and the buttons of old announcements are refused and change nothing; HR's approval
// opens them, and the decision is DM'd in the person's language.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideJoinRequest } from "../../src/core/members/decide-join-request.js";
import { rosterKeys } from "../../src/core/roster/match-keys.js";
import { renderSlackOutbox } from "../../src/delivery/render-slack.js";
import { t } from "../../src/i18n/index.js";
import type { ResponseUrlPost } from "../support/fake-slack.js";
import { catalogueTables, type RunQuery, rowCountsOf } from "../support/row-counts.js";
import { type SlackHarness, seedEvent, seedPosting, startSlackHarness, TEAM_ID } from "../support/slack-harness.js";
import { checkboxes, email, number, plainText, staticSelect } from "../support/slack-requests.js";

let h: SlackHarness;
let hrId: string;
let tables: string[];
const NOT_COUNTED = new Set(["processed_deliveries", "bot_state", "_prisma_migrations"]);
const query: RunQuery = (sql) => h.db.prisma.$queryRawUnsafe(sql);

beforeAll(async () => {
  h = await startSlackHarness({ MEMBERSHIP_VERIFICATION: "roster", JOIN_REJECTIONS_BEFORE_BLOCK: "2" });
  tables = await catalogueTables(query, NOT_COUNTED);
  const hr = await h.db.prisma.person.create({ data: { displayName: "人事 花子", membership: "verified" } });
  await h.db.prisma.roleGrant.create({ data: { personId: hr.id, role: "hr" } });
  hrId = hr.id;
  await h.db.prisma.teamsConversationRef.create({
    data: {
      conversationId: "19:hr-queue@thread.tacv2",
      conversationType: "channel",
      serviceUrl: "http://127.0.0.1:9/teams/",
      reference: {},
      notifyHere: true,
    },
  });
  const row = { personalEmail: "yamada.private@example.com", familyName: "山田", familyNameKana: "ヤマダ" };
  await h.db.prisma.rosterEntry.create({
    data: { employeeNumber: "S1001", givenName: "太郎", ...row, ...rosterKeys(row) },
  });
});
afterAll(async () => {
  await h?.stop();
});

const text = (post: ResponseUrlPost) => JSON.stringify(post.body.blocks ?? post.body.text ?? post.body);

async function command(userId: string, commandText: string): Promise<ResponseUrlPost> {
  const id = randomUUID();
  expect((await h.slack.command(userId, commandText, { responseUrlId: id })).status).toBe(200);
  return h.fake.waitForResponsePost((p) => p.id === id);
}

async function click(userId: string, actionId: string, value: string): Promise<ResponseUrlPost> {
  const id = randomUUID();
  const res = await h.slack.blockAction(userId, { actionId, value }, { channelId: "C0ALUMNI01", responseUrlId: id });
  expect(res.status).toBe(200);
  return h.fake.waitForResponsePost((p) => p.id === id);
}

/** Open the join modal with /alumni join and submit it; returns the modal that opened and the HTTP answer. */
async function join(
  userId: string,
  form: { email: string; employeeNumber?: string; familyName?: string; locale?: "ja" | "en" },
) {
  const triggerId = `${randomUUID()}.trigger`;
  await h.slack.command(userId, "join", { triggerId });
  const opened = await h.fake.waitFor("views.open", (c) => c.args.trigger_id === triggerId);
  const view = opened.args.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string }[] };
  const res = await h.slack.viewSubmission(userId, {
    callbackId: view.callback_id,
    privateMetadata: view.private_metadata,
    values: {
      displayName: { displayName: plainText(`Person ${userId}`) },
      email: { email: email(form.email) },
      employeeNumber: { employeeNumber: plainText(form.employeeNumber ?? null) },
      familyName: { familyName: plainText(form.familyName ?? null) },
      department: { department: plainText(null) },
      joinedYear: { joinedYear: number(null) },
      leftYear: { leftYear: number(null) },
      leftOn: { leftOn: { type: "datepicker", selected_date: null } },
      currentEmployer: { currentEmployer: plainText(null) },
      title: { title: plainText(null) },
      skills: { skills: plainText(null) },
      interests: { interests: checkboxes(["job_alerts"]) },
      directoryFields: { directoryFields: checkboxes(["display_name"]) },
      hrFields: { hrFields: checkboxes([]) },
      locale: { locale: staticSelect(form.locale ?? "ja") },
      consent: { consent: checkboxes(["agree"]) },
    },
  });
  return { view, res };
}

/** The DM the bot sent the user after the join form (the confirmation). */
async function confirmation(userId: string): Promise<string> {
  const call = await h.fake.waitFor("chat.postMessage", (c) => c.args.channel === userId);
  h.fake.calls.splice(h.fake.calls.indexOf(call), 1);
  return String(call.args.text);
}

async function personOf(userId: string) {
  const identity = await h.db.prisma.slackIdentity.findUniqueOrThrow({
    where: { teamId_userId: { teamId: TEAM_ID, userId } },
    include: { person: true },
  });
  return identity.person;
}

describe("Slack: joining is verified", () => {
  it("asks for the personal email, employee number and family name in the join modal", async () => {
    const triggerId = `${randomUUID()}.trigger`;
    await h.slack.command("UVIEWFORM", "join", { triggerId });
    const opened = await h.fake.waitFor("views.open", (c) => c.args.trigger_id === triggerId);
    const shown = JSON.stringify(opened.args.view);
    expect(shown).toContain(t("ja", "membership.field.personalEmail"));
    const ids = (opened.args.view as { blocks: { block_id?: string }[] }).blocks.map((b) => b.block_id);
    expect(ids).toEqual(expect.arrayContaining(["email", "employeeNumber", "familyName"]));
  });

  it("verifies someone on the roster at once (employee number + family name in kana)", async () => {
    const { res } = await join("UROSTER01", {
      email: "other@example.org",
      employeeNumber: "s1001",
      familyName: "やまだ",
    });
    expect(res.status).toBe(200);
    expect(await confirmation("UROSTER01")).toBe(t("ja", "membership.verifiedWelcome"));
    expect((await personOf("UROSTER01")).membership).toBe("verified");
    expect(text(await command("UROSTER01", "jobs"))).not.toContain(t("ja", "membership.notVerified"));
  });

  it("shows a localized error in the modal for a number without a family name, and stores nothing", async () => {
    const before = await rowCountsOf(query, tables);
    const { res } = await join("UNONAME01", { email: "noname@example.org", employeeNumber: "S9999" });
    expect(JSON.parse(res.text)).toEqual({
      response_action: "errors",
      errors: { familyName: t("ja", "membership.familyNameNeeded") },
    });
    expect(await rowCountsOf(query, tables)).toEqual(before);
  });

  it("keeps a stranger pending: told so, HR queued, refused the community, old buttons change nothing; HR approves", async () => {
    const posting = await seedPosting(h.db, { title: "Staff Engineer", conversationId: null });
    const event = await seedEvent(h.db, { title: "Homecoming" });
    const { res } = await join("USTRANGE1", { email: "stranger@example.org", locale: "en" });
    expect(res.status).toBe(200);
    const person = await personOf("USTRANGE1");
    expect(person.membership).toBe("pending");
    const request = await h.db.prisma.joinRequest.findFirstOrThrow({ where: { personId: person.id } });
    expect(await confirmation("USTRANGE1")).toBe(t("en", "membership.pendingReply", { number: request.number }));
    const queued = await h.db.prisma.outboxMessage.findMany({
      where: { kind: "hr.joinRequest", subjectId: request.id },
    });
    expect(queued.map((o) => o.target)).toEqual(["19:hr-queue@thread.tacv2"]);

    // Refused, with nothing written: the directory, postings, and buttons of announcements sent before.
    const refusal = t("en", "membership.notVerified");
    const before = await rowCountsOf(query, tables);
    expect(text(await command("USTRANGE1", "find Person"))).toContain(refusal);
    expect(text(await command("USTRANGE1", "jobs"))).toContain(refusal);
    expect(text(await command("USTRANGE1", "events"))).toContain(refusal);
    expect(text(await click("USTRANGE1", "event_rsvp_going", String(event.number)))).toContain(refusal);
    expect(text(await click("USTRANGE1", "posting_interested", String(posting.number)))).toContain(refusal);
    expect(await rowCountsOf(query, tables)).toEqual(before);
    expect(await h.db.prisma.rsvp.count({ where: { personId: person.id } })).toBe(0);
    expect(await h.db.prisma.interest.count({ where: { personId: person.id } })).toBe(0);

    // What they keep: help and their own data.
    expect(text(await command("USTRANGE1", "help"))).not.toContain(refusal);
    expect(text(await command("USTRANGE1", "mydata"))).not.toContain(refusal);

    // App Home says where they stand.
    await h.slack.event({ type: "app_home_opened", user: "USTRANGE1", channel: "DUSTRANGE1", tab: "home" });
    const home = await h.fake.waitFor("views.publish", (c) => c.args.user_id === "USTRANGE1");
    expect(JSON.stringify(home.args.view)).toContain(t("en", "membership.home.pending", { number: request.number }));
    expect(JSON.stringify(home.args.view)).not.toContain("home_list");

    // HR approves in Teams: the DM is in English and the old button now works.
    const decided = await decideJoinRequest({
      prisma: h.db.prisma,
      actorId: hrId,
      requestNumber: request.number,
      decision: "approve",
    });
    expect(decided.outcome).toBe("decided");
    const dm = await h.db.prisma.outboxMessage.findFirstOrThrow({
      where: { kind: "member.joinDecision", recipientId: person.id },
    });
    expect(dm.target).toBe("USTRANGE1");
    const message = await renderSlackOutbox({ prisma: h.db.prisma, row: dm });
    expect(message?.text).toBe(t("en", "membership.decision.approvedTitle"));
    expect(text(await click("USTRANGE1", "event_rsvp_going", String(event.number)))).not.toContain(refusal);
    expect(await h.db.prisma.rsvp.count({ where: { personId: person.id } })).toBe(1);
  });

  it("lets a rejected person apply again with /alumni join (a new request), until rejected twice", async () => {
    await join("UREAPPLY1", { email: "reapply@example.org" });
    await confirmation("UREAPPLY1");
    const person = await personOf("UREAPPLY1");
    const first = await h.db.prisma.joinRequest.findFirstOrThrow({ where: { personId: person.id } });
    await decideJoinRequest({ prisma: h.db.prisma, actorId: hrId, requestNumber: first.number, decision: "reject" });
    expect((await personOf("UREAPPLY1")).membership).toBe("rejected");
    expect(text(await command("UREAPPLY1", "jobs"))).toContain(t("ja", "membership.notVerified"));
    const { view, res } = await join("UREAPPLY1", { email: "reapply@example.org" });
    expect(view.private_metadata).toContain('"register"');
    expect(res.status).toBe(200);
    const requests = await h.db.prisma.joinRequest.findMany({
      where: { personId: person.id },
      orderBy: { number: "asc" },
    });
    expect(requests.map((r) => r.status)).toEqual(["rejected", "pending"]);
    expect((await personOf("UREAPPLY1")).membership).toBe("pending");

    // Rejected a second time (JOIN_REJECTIONS_BEFORE_BLOCK=2): /alumni join says until when, and opens nothing.
    await decideJoinRequest({
      prisma: h.db.prisma,
      actorId: hrId,
      requestNumber: requests[1]?.number as number,
      decision: "reject",
      reason: "記録が見つかりません",
      policy: { rejectionsBeforeBlock: 2, reapplyBlockDays: 30 },
    });
    const dm = await h.db.prisma.outboxMessage.findFirstOrThrow({
      where: { kind: "member.joinDecision", subjectId: requests[1]?.id },
    });
    const dmText = JSON.stringify((await renderSlackOutbox({ prisma: h.db.prisma, row: dm }))?.blocks);
    expect(dmText).toContain("記録が見つかりません");
    expect(dmText).toMatch(/\d{4}-\d{2}-\d{2} 以降に/);
    const opened = h.fake.callsTo("views.open").length;
    const refused = text(await command("UREAPPLY1", "join"));
    expect(refused).toMatch(/\d{4}-\d{2}-\d{2} まで再申請できません/);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.callsTo("views.open").length).toBe(opened);
    expect(await h.db.prisma.joinRequest.count({ where: { personId: person.id } })).toBe(2);
  });
});
