// The approval queue in Teams, end to end: a join the roster could not verify queues a
// join-request card to HR's `notify here` channel (sent by the dispatcher through the fake
// Bot Connector); HR approves or rejects from the card. Two HR people clicking at once give
// one decision; a stale click and someone without hr change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { rosterKeys } from "../../src/core/roster/match-keys.js";
import { type BotHarness, startBotHarness } from "../support/bot-harness.js";
import { adaptiveCards } from "../support/fake-connector.js";
import { type TeamsUser, teamsUser } from "../support/teams-requests.js";

let h: BotHarness;
const admin = teamsUser("Admin Aoki");
let hr: TeamsUser;
let hr2: TeamsUser;
let outsider: TeamsUser;
let channelId = "";
let entryId = "";

beforeAll(async () => {
  h = await startBotHarness({ admins: [admin], env: { SLACK_CHANNEL_RATE: "off", TEAMS_CONVERSATION_RATE: "off" } });
  hr = h.teamsPerson("Hana HR", "hana.hr@corp.example");
  hr2 = h.teamsPerson("Jun HR", "jun.hr@corp.example");
  outsider = h.teamsPerson("Olivia Outsider");
  await h.teams.message(admin, "grant hr hana.hr@corp.example");
  await h.teams.message(admin, "grant hr jun.hr@corp.example");
  // First contact links each to the role granted by email (and writes its own audit row).
  await h.teams.message(hr, "help");
  await h.teams.message(hr2, "help");
  const channel = h.teams.channel();
  channelId = channel.id.split(";")[0] as string;
  const res = await h.teams.message(hr, "notify here", { conversation: channel });
  expect(res.status).toBe(200);
  const row = {
    employeeNumber: "E3001",
    familyName: "田中",
    givenName: "一郎",
    familyNameKana: "タナカ",
    givenNameKana: "イチロウ",
    personalEmail: "ichiro.tanaka@example.com",
    department: "営業部",
  };
  entryId = (
    await h.db.prisma.rosterEntry.create({
      data: { ...row, leftOn: new Date("2023-03-31T00:00:00Z"), ...rosterKeys(row) },
    })
  ).id;
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

async function join(userId: string, entered: { email: string; employeeNumber?: string; familyName?: string }) {
  return registerMember({
    prisma: h.db.prisma,
    user: { teamId: "T0ALUMNI1", userId },
    input: { displayName: "[Ichiro](https://evil.example) Tanaka", email: entered.email, locale: "ja" },
    consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    verification: {
      mode: "roster",
      personalEmail: entered.email,
      employeeNumber: entered.employeeNumber ?? null,
      familyName: entered.familyName ?? null,
      rejectionsBeforeBlock: 3,
      reapplyBlockDays: 30,
    },
  });
}

async function invoke(user: TeamsUser, data: Record<string, unknown>, locale = "ja-JP") {
  const res = await h.teams.invoke(user, { verb: String(data.verb), data }, { locale });
  expect(res.status).toBe(200);
  return JSON.stringify((res.json as { value: unknown }).value);
}

async function personIdOf(user: TeamsUser): Promise<string> {
  const identity = await h.db.prisma.teamsIdentity.findFirstOrThrow({
    where: { aadObjectId: user.aadObjectId.toLowerCase() },
  });
  return identity.personId;
}

describe("Teams: HR decides join requests", () => {
  let requestNumber = 0;

  it("an unmatched join sends HR a card with what the person entered and the closest roster rows", async () => {
    // The employee number is on the roster, the family name typed does not match it: pending.
    const result = await join("UJOINER01", {
      email: "ichiro.private@example.com",
      employeeNumber: "E3001",
      familyName: "田仲",
    });
    expect(result.membership).toBe("pending");
    requestNumber = result.joinRequestNumber as number;
    expect(requestNumber).toBeGreaterThan(0);
    await drain();
    const sent = await h.connector.waitForActivity(
      (a) => a.conversationId === channelId && JSON.stringify(adaptiveCards(a)).includes("joinRequest.approve"),
    );
    const card = JSON.stringify(adaptiveCards(sent));
    expect(card).toContain(`参加申請 #${requestNumber}`);
    expect(card).toContain("ichiro.private@example.com");
    expect(card).toContain("E3001");
    expect(card).toContain("田仲");
    // The roster candidate, and the choice to link it on approval.
    expect(card).toContain("田中");
    expect(card).toContain('"id":"rosterEntryId"');
    expect(card).toContain(entryId);
    expect(card).toContain('"id":"reason"');
    expect(card).toContain('"verb":"joinRequest.reject"');
    // The person's words are shown, never as a link.
    expect(card).not.toContain("](https://evil.example)");
  });

  it("someone without hr cannot decide; nothing changes", async () => {
    const audits = await h.db.prisma.auditLog.count();
    const json = await invoke(outsider, { verb: "joinRequest.approve", requestNumber, rosterEntryId: entryId });
    expect(json).toContain("権限がありません");
    const request = await h.db.prisma.joinRequest.findUniqueOrThrow({ where: { number: requestNumber } });
    expect(request.status).toBe("pending");
    expect(await h.db.prisma.auditLog.count()).toBe(audits);
  });

  it("two HR people clicking at once (approve and reject) give one decision; the card says who made it", async () => {
    const audits = await h.db.prisma.auditLog.count();
    const [approved, rejected] = await Promise.all([
      invoke(hr, { verb: "joinRequest.approve", requestNumber, rosterEntryId: entryId, reason: "" }),
      invoke(hr2, { verb: "joinRequest.reject", requestNumber, reason: "Not on our records" }, "en-US"),
    ]);
    const request = await h.db.prisma.joinRequest.findUniqueOrThrow({ where: { number: requestNumber } });
    expect(["approved", "rejected"]).toContain(request.status);
    const hrWon = request.status === "approved";
    expect(request.decidedById).toBe(await personIdOf(hrWon ? hr : hr2));
    // The winner's card shows the decision; the loser's says it was already decided, by the winner.
    if (hrWon) {
      expect(approved).toContain("Hana HRが承認しました");
      expect(rejected).toContain("already decided by Hana HR");
    } else {
      expect(rejected).toContain("Rejected by Jun HR");
      expect(approved).toContain("すでにJun HRが判断しています");
    }
    for (const card of [approved, rejected]) expect(card).not.toContain('"verb":"joinRequest.approve"');
    expect(await h.db.prisma.auditLog.count()).toBe(audits + 1);
    expect(
      await h.db.prisma.auditLog.count({
        where: { action: { in: ["join_request.approved", "join_request.rejected"] } },
      }),
    ).toBe(1);
    expect(
      await h.db.prisma.outboxMessage.count({ where: { payload: { path: ["type"], equals: "member.joinDecision" } } }),
    ).toBe(1);
    const person = await h.db.prisma.person.findUniqueOrThrow({ where: { id: request.personId } });
    expect(person.membership).toBe(hrWon ? "verified" : "rejected");
    const entry = await h.db.prisma.rosterEntry.findUniqueOrThrow({ where: { id: entryId } });
    expect(entry.personId).toBe(hrWon ? request.personId : null);
  });

  it("a stale click later changes nothing and says who decided", async () => {
    const before = await h.db.prisma.joinRequest.findUniqueOrThrow({ where: { number: requestNumber } });
    const audits = await h.db.prisma.auditLog.count();
    const json = await invoke(hr, { verb: "joinRequest.reject", requestNumber, reason: "late" });
    expect(json).toMatch(/すでに(Hana HR|Jun HR)が判断しています/);
    const after = await h.db.prisma.joinRequest.findUniqueOrThrow({ where: { number: requestNumber } });
    expect(after).toEqual(before);
    expect(await h.db.prisma.auditLog.count()).toBe(audits);
  });

  it("a card delivered after the decision arrives decided, without buttons", async () => {
    const { renderTeamsOutbox } = await import("../../src/platforms/teams/render-outbox.js");
    const request = await h.db.prisma.joinRequest.findUniqueOrThrow({ where: { number: requestNumber } });
    const card = JSON.stringify(
      await renderTeamsOutbox({
        prisma: h.db.prisma,
        payload: { type: "hr.joinRequest", joinRequestId: request.id },
        locale: "en",
        timeZone: "Asia/Tokyo",
      }),
    );
    expect(card).toContain(`Join request #${requestNumber}`);
    expect(card).toMatch(/Approved|Rejected/);
    expect(card).not.toContain("joinRequest.approve");
    expect(card).not.toContain("rosterEntryId");
  });
});
