// Verified membership in the core, on both engines: matching a join form against HR's
// roster, the approval queue (one pending request, HR told in every `notify here`
// conversation), HR's decision (one decision when two HR people click at once), re-applying
// after a rejection and its block, and who fan-outs and the directory leave out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countSegment } from "../../src/core/broadcasts/segment.js";
import { AppError } from "../../src/core/errors.js";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { decideJoinRequest } from "../../src/core/members/decide-join-request.js";
import { eraseMember } from "../../src/core/members/erase-member.js";
import { closestRosterCandidates } from "../../src/core/members/find-roster-match.js";
import { getJoinRequest } from "../../src/core/members/get-join-request.js";
import { registerMember, type VerificationMode } from "../../src/core/members/register-member.js";
import { searchDirectory } from "../../src/core/members/search-directory.js";
import { queueJobAlerts } from "../../src/core/postings/queue-job-alerts.js";
import { employeeNumberKey, rosterKeys } from "../../src/core/roster/match-keys.js";
import type { Database } from "../../src/db/database.js";
import { renderSlackOutbox } from "../../src/delivery/render-slack.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

const TEAM = "T0MEMBER1";
let seq = 0;

describe.each(ENGINES)("verified membership on %s", (engine) => {
  let handle: EngineHandle;
  let db: Database;
  let hrId: string;
  let hr2Id: string;

  const policy = { rejectionsBeforeBlock: 2, reapplyBlockDays: 30 };

  const join = (
    userId: string,
    form: { email: string; employeeNumber?: string | null; familyName?: string | null; name?: string },
    mode: VerificationMode = "roster",
    now?: Date,
  ) =>
    registerMember({
      prisma: db.prisma,
      user: { teamId: TEAM, userId },
      input: {
        displayName: form.name ?? `Person ${userId}`,
        email: form.email,
        locale: "ja",
        directoryFields: ["display_name"],
        interests: ["job_alerts"],
      },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
      verification: {
        mode,
        personalEmail: form.email,
        employeeNumber: form.employeeNumber ?? null,
        familyName: form.familyName ?? null,
        ...policy,
      },
      ...(now ? { now } : {}),
    });

  const leaver = async (row: {
    employeeNumber: string;
    familyName: string;
    familyNameKana?: string;
    personalEmail?: string | null;
  }) =>
    db.prisma.rosterEntry.create({
      data: {
        employeeNumber: employeeNumberKey(row.employeeNumber) as string,
        familyName: row.familyName,
        givenName: "太郎",
        familyNameKana: row.familyNameKana ?? null,
        personalEmail: row.personalEmail ?? null,
        department: "営業部",
        leftOn: new Date("2024-03-31T00:00:00Z"),
        ...rosterKeys(row),
      },
    });

  const person = (personId: string) =>
    db.prisma.person.findUniqueOrThrow({ where: { id: personId }, select: { membership: true } });
  const fresh = () => `UMEM${String(++seq).padStart(5, "0")}`;
  const hrPerson = async (name: string) => {
    const p = await db.prisma.person.create({ data: { displayName: name, membership: "verified" } });
    await db.prisma.roleGrant.create({ data: { personId: p.id, role: "hr" } });
    return p.id;
  };

  beforeAll(async () => {
    handle = await openEngine(engine);
    db = handle.db;
    hrId = await hrPerson("HR Hanako");
    hr2Id = await hrPerson("HR Jiro");
    for (const id of ["19:hr-channel-1@thread.tacv2", "19:hr-channel-2@thread.tacv2"]) {
      await db.prisma.teamsConversationRef.create({
        data: {
          conversationId: id,
          conversationType: "channel",
          serviceUrl: "https://smba.example",
          reference: {},
          notifyHere: true,
        },
      });
    }
  });
  afterAll(async () => {
    await handle?.close();
  });

  describe("matching at join", () => {
    it("verifies by personal email whatever its case and width, and links the roster row", async () => {
      const row = await leaver({
        employeeNumber: "E1001",
        familyName: "佐藤",
        personalEmail: "Sato.Ichiro@Example.com",
      });
      const r = await join(fresh(), { email: "ｓａｔｏ．ＩＣＨＩＲＯ＠example.com" });
      expect(r.membership).toBe("verified");
      expect(r.matchedBy).toBe("email");
      expect(r.joinRequestNumber).toBeNull();
      expect(r.member.email).toBe("sato.ICHIRO@example.com");
      const linked = await db.prisma.rosterEntry.findUniqueOrThrow({ where: { id: row.id } });
      expect(linked.personId).toBe(r.member.personId);
      const audit = await db.prisma.auditLog.findFirstOrThrow({
        where: { action: "membership.verified", subjectId: r.member.personId },
      });
      expect(audit.details).toMatchObject({ rule: "email", rosterEntryId: row.id });
      expect(await db.prisma.joinRequest.count({ where: { personId: r.member.personId } })).toBe(0);
    });

    it("verifies by employee number with the family name in kana (width and kana normalised)", async () => {
      await leaver({ employeeNumber: "A0123", familyName: "髙橋", familyNameKana: "タカハシ" });
      const r = await join(fresh(), {
        email: "someone.else@example.net",
        employeeNumber: "ａ０１２３",
        familyName: "たかはし",
      });
      expect(r.membership).toBe("verified");
      expect(r.matchedBy).toBe("employee_number_and_name");
    });

    it("verifies by employee number with the common form of a variant kanji (髙 = 高)", async () => {
      await leaver({ employeeNumber: "A0124", familyName: "髙木" });
      const r = await join(fresh(), { email: "x124@example.net", employeeNumber: "A0124", familyName: "高木" });
      expect(r.matchedBy).toBe("employee_number_and_name");
    });

    it("leaves a right number with a wrong name pending, and HR is told in every notify-here conversation", async () => {
      await leaver({ employeeNumber: "B0200", familyName: "鈴木", familyNameKana: "スズキ" });
      const before = await db.prisma.outboxMessage.count({ where: { kind: "hr.joinRequest" } });
      const r = await join(fresh(), { email: "suzuki@example.net", employeeNumber: "B0200", familyName: "田中" });
      expect(r.membership).toBe("pending");
      expect(r.matchedBy).toBeNull();
      expect(r.requested).toBe(true);
      expect(r.hrNotified).toBe(2);
      const requests = await db.prisma.joinRequest.findMany({ where: { personId: r.member.personId } });
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({
        status: "pending",
        personalEmail: "suzuki@example.net",
        employeeNumber: "B0200",
        familyName: "田中",
      });
      const rows = await db.prisma.outboxMessage.findMany({
        where: { kind: "hr.joinRequest", subjectId: requests[0]?.id },
        orderBy: { target: "asc" },
      });
      expect(rows.map((o) => o.idempotencyKey)).toEqual([
        `join-request:${requests[0]?.id}:hr:19:hr-channel-1@thread.tacv2`,
        `join-request:${requests[0]?.id}:hr:19:hr-channel-2@thread.tacv2`,
      ]);
      expect(await db.prisma.outboxMessage.count({ where: { kind: "hr.joinRequest" } })).toBe(before + 2);

      // HR's card shows the closest roster rows: the number matches, the name does not.
      const view = await getJoinRequest({ prisma: db.prisma, requestNumber: r.joinRequestNumber as number });
      expect(view?.candidates[0]).toMatchObject({ employeeNumber: "B0200", why: ["employee_number"] });
    });

    it("with no notify-here conversation, sends the join request to the personal chats of hr and admin people only", async () => {
      const personal = async (personId: string, conversationId: string) =>
        db.prisma.teamsConversationRef.create({
          data: {
            conversationId,
            conversationType: "personal",
            serviceUrl: "https://smba.example",
            reference: {},
            personId,
          },
        });
      const cm = await db.prisma.person.create({ data: { displayName: "CM Saburo", membership: "verified" } });
      await db.prisma.roleGrant.create({ data: { personId: cm.id, role: "cm" } });
      await personal(hrId, "a:hr-hanako-personal");
      await personal(cm.id, "a:cm-saburo-personal");
      await db.prisma.teamsConversationRef.updateMany({ where: { notifyHere: true }, data: { notifyHere: false } });
      try {
        const r = await join(fresh(), { email: "nobody-on-the-roster@example.net" });
        expect(r.membership).toBe("pending");
        expect(r.hrNotified).toBe(1);
        const request = await db.prisma.joinRequest.findFirstOrThrow({ where: { personId: r.member.personId } });
        const rows = await db.prisma.outboxMessage.findMany({
          where: { kind: "hr.joinRequest", subjectId: request.id },
        });
        expect(rows.map((o) => o.target)).toEqual(["a:hr-hanako-personal"]);
      } finally {
        await db.prisma.teamsConversationRef.updateMany({
          where: { conversationId: { in: ["19:hr-channel-1@thread.tacv2", "19:hr-channel-2@thread.tacv2"] } },
          data: { notifyHere: true },
        });
      }
    });

    it("asks for the family name when an employee number is given, and writes nothing", async () => {
      const userId = fresh();
      const people = await db.prisma.person.count();
      const err = await join(userId, { email: "nf@example.net", employeeNumber: "C0300" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).fields.familyName?.key).toBe("membership.familyNameNeeded");
      expect(await db.prisma.person.count()).toBe(people);
    });

    it("never matches a roster row already linked to someone else", async () => {
      await leaver({ employeeNumber: "D0400", familyName: "伊藤", personalEmail: "ito@example.com" });
      expect((await join(fresh(), { email: "ito@example.com" })).membership).toBe("verified");
      const second = await join(fresh(), { email: "ITO@example.com", employeeNumber: "D0400", familyName: "伊藤" });
      expect(second.membership).toBe("pending");
      expect(second.matchedBy).toBeNull();
    });

    it("does not match again when a verified member saves the join form again", async () => {
      await leaver({ employeeNumber: "E0500", familyName: "渡辺", personalEmail: "watanabe@example.com" });
      await leaver({ employeeNumber: "E0501", familyName: "中村", personalEmail: "nakamura@example.com" });
      const userId = fresh();
      const first = await join(userId, { email: "watanabe@example.com" });
      const again = await join(userId, { email: "nakamura@example.com" });
      expect(again.membership).toBe("verified");
      expect(again.matchedBy).toBeNull();
      const rows = await db.prisma.rosterEntry.findMany({ where: { personId: first.member.personId } });
      expect(rows.map((r) => r.employeeNumber)).toEqual(["E0500"]);
      expect(await db.prisma.joinRequest.count({ where: { personId: first.member.personId } })).toBe(0);
    });

    it("keeps one pending request when a pending person submits again", async () => {
      const userId = fresh();
      const first = await join(userId, { email: "stranger@example.org" });
      const again = await join(userId, { email: "stranger@example.org" });
      expect(again.membership).toBe("pending");
      expect(again.requested).toBe(false);
      expect(again.joinRequestNumber).toBe(first.joinRequestNumber);
      expect(await db.prisma.joinRequest.count({ where: { personId: first.member.personId } })).toBe(1);
    });

    it("approval mode queues even a roster match; off mode verifies at once", async () => {
      await leaver({ employeeNumber: "F0600", familyName: "小林", personalEmail: "kobayashi@example.com" });
      const approval = await join(fresh(), { email: "kobayashi@example.com" }, "approval");
      expect(approval.membership).toBe("pending");
      const off = await join(fresh(), { email: "nobody@example.org" }, "off");
      expect(off.membership).toBe("verified");
      expect(await db.prisma.joinRequest.count({ where: { personId: off.member.personId } })).toBe(0);
    });
  });

  describe("HR's decision", () => {
    it("approves once: the member is verified, linked, audited and DM'd; a second click is told who decided", async () => {
      const row = await leaver({ employeeNumber: "G0700", familyName: "加藤" });
      const r = await join(fresh(), { email: "kato.private@example.org", name: "加藤 花子" });
      const number = r.joinRequestNumber as number;
      const candidates = await closestRosterCandidates({
        prisma: db.prisma,
        personalEmail: null,
        employeeNumber: null,
        familyName: "かとう",
      });
      expect(candidates).toEqual([]); // kana was not stored for this row: only what HR wrote matches
      const decided = await decideJoinRequest({
        prisma: db.prisma,
        actorId: hrId,
        requestNumber: number,
        decision: "approve",
        rosterEntryId: row.id,
      });
      expect(decided.outcome).toBe("decided");
      expect(decided.request).toMatchObject({ status: "approved", decidedBy: "HR Hanako", displayName: "加藤 花子" });
      expect((await person(r.member.personId)).membership).toBe("verified");
      expect((await db.prisma.rosterEntry.findUniqueOrThrow({ where: { id: row.id } })).personId).toBe(
        r.member.personId,
      );
      const dm = await db.prisma.outboxMessage.findMany({
        where: { kind: "member.joinDecision", recipientId: r.member.personId },
      });
      expect(dm).toHaveLength(1);
      const message = await renderSlackOutbox({ prisma: db.prisma, row: dm[0] as never });
      expect(message?.text).toContain("承認");

      const stale = await decideJoinRequest({
        prisma: db.prisma,
        actorId: hr2Id,
        requestNumber: number,
        decision: "reject",
      });
      expect(stale.outcome).toBe("already_decided");
      expect(stale.request).toMatchObject({ status: "approved", decidedBy: "HR Hanako" });
      expect((await person(r.member.personId)).membership).toBe("verified");
      expect(await db.prisma.auditLog.count({ where: { subjectId: dm[0]?.subjectId as string } })).toBe(2); // created + approved
    });

    it("refuses anyone without the hr role, and writes nothing", async () => {
      const r = await join(fresh(), { email: "norole@example.org" });
      const member = (await join(fresh(), { email: "m@example.org" }, "off")).member.personId;
      await expect(
        decideJoinRequest({
          prisma: db.prisma,
          actorId: member,
          requestNumber: r.joinRequestNumber as number,
          decision: "approve",
        }),
      ).rejects.toMatchObject({ code: "forbidden" });
      expect((await person(r.member.personId)).membership).toBe("pending");
    });

    it("gives one decision when two HR people click approve and reject at the same moment", async () => {
      const r = await join(fresh(), { email: "race@example.org" });
      const number = r.joinRequestNumber as number;
      const results = await Promise.all([
        decideJoinRequest({ prisma: db.prisma, actorId: hrId, requestNumber: number, decision: "approve" }),
        decideJoinRequest({
          prisma: db.prisma,
          actorId: hr2Id,
          requestNumber: number,
          decision: "reject",
          reason: "不明",
        }),
      ]);
      expect(results.map((x) => x.outcome).sort()).toEqual(["already_decided", "decided"]);
      const winner = results.find((x) => x.outcome === "decided");
      const loser = results.find((x) => x.outcome === "already_decided");
      expect(loser?.request.status).toBe(winner?.request.status);
      expect(loser?.request.decidedBy).toBe(winner?.request.decidedBy);
      const request = await db.prisma.joinRequest.findUniqueOrThrow({ where: { number } });
      expect(
        await db.prisma.outboxMessage.count({ where: { kind: "member.joinDecision", subjectId: request.id } }),
      ).toBe(1);
      expect(
        await db.prisma.auditLog.count({
          where: { subjectId: request.id, action: { in: ["join_request.approved", "join_request.rejected"] } },
        }),
      ).toBe(1);
      expect((await person(r.member.personId)).membership).toBe(
        winner?.request.status === "approved" ? "verified" : "rejected",
      );
    });

    it("reject → apply again → reject → blocked until the block has passed", async () => {
      const userId = fresh();
      const t0 = new Date();
      const first = await join(userId, { email: "again@example.org" });
      const rejected = await decideJoinRequest({
        prisma: db.prisma,
        actorId: hrId,
        requestNumber: first.joinRequestNumber as number,
        decision: "reject",
        reason: "在籍記録が見つかりません <@U123>",
        policy,
      });
      expect((await person(first.member.personId)).membership).toBe("rejected");
      const dmRow = await db.prisma.outboxMessage.findFirstOrThrow({
        where: { kind: "member.joinDecision", recipientId: first.member.personId },
      });
      const dm = await renderSlackOutbox({ prisma: db.prisma, row: dmRow });
      const shown = JSON.stringify(dm?.blocks);
      expect(shown).toContain("在籍記録が見つかりません &lt;@U123&gt;");
      expect(shown).toContain("/alumni join");
      expect(rejected.request.reason).toBe("在籍記録が見つかりません <@U123>");

      const second = await join(userId, { email: "again@example.org" });
      expect(second.membership).toBe("pending");
      expect(second.requested).toBe(true);
      expect(second.joinRequestNumber).not.toBe(first.joinRequestNumber);
      await decideJoinRequest({
        prisma: db.prisma,
        actorId: hrId,
        requestNumber: second.joinRequestNumber as number,
        decision: "reject",
        policy,
      });
      const lastRow = await db.prisma.outboxMessage.findFirstOrThrow({
        where: { kind: "member.joinDecision", recipientId: first.member.personId },
        orderBy: { createdAt: "desc" },
      });
      expect((lastRow.payload as { reapplyFrom?: string }).reapplyFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);

      const requests = await db.prisma.joinRequest.count({ where: { personId: first.member.personId } });
      const blocked = await join(userId, { email: "again@example.org", name: "Changed" }).catch((e: unknown) => e);
      expect(blocked).toBeInstanceOf(AppError);
      expect((blocked as AppError).key).toBe("membership.reapplyBlocked");
      expect(String((blocked as AppError).params.date)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(await db.prisma.joinRequest.count({ where: { personId: first.member.personId } })).toBe(requests);
      expect((await db.prisma.person.findUniqueOrThrow({ where: { id: first.member.personId } })).displayName).not.toBe(
        "Changed",
      );

      const later = new Date(t0.getTime() + 31 * 86_400_000);
      const third = await join(userId, { email: "again@example.org" }, "roster", later);
      expect(third.membership).toBe("pending");
      expect(third.requested).toBe(true);
    });
  });

  describe("what a pending member does not get", () => {
    it("is not listed in the directory, gets no job alert and is in no broadcast segment", async () => {
      const viewer = (await join(fresh(), { email: "viewer@example.org" }, "off")).member;
      const verified = (await join(fresh(), { email: "shown@example.org", name: "Verified Vera" }, "off")).member;
      const pending = (await join(fresh(), { email: "hidden@example.org", name: "Pending Pete" })).member;
      expect(pending.membership).toBe("pending");
      const names = (
        await searchDirectory({ prisma: db.prisma, viewerId: viewer.personId, teamId: TEAM, words: ["Pe"] })
      ).entries.map((e) => e.displayName);
      expect(names).not.toContain("Pending Pete");
      const vera = await searchDirectory({
        prisma: db.prisma,
        viewerId: viewer.personId,
        teamId: TEAM,
        words: ["Vera"],
      });
      expect(vera.entries.map((e) => e.displayName)).toEqual(["Verified Vera"]);

      const posting = await db.prisma.posting.create({
        data: { kind: "job", status: "open", title: "Engineer", description: "Build", publishedAt: new Date() },
      });
      await db.prisma.$transaction((tx) => queueJobAlerts(tx, posting.id));
      const alerted = await db.prisma.outboxMessage.findMany({
        where: { kind: "slack.job_alert", subjectId: posting.id },
        select: { recipientId: true },
      });
      const recipients = alerted.map((a) => a.recipientId);
      expect(recipients).toContain(verified.personId);
      expect(recipients).not.toContain(pending.personId);

      const everyone = await countSegment({ prisma: db.prisma, actorId: hrId, segment: { kind: "all" } });
      const verifiedMembers = await db.prisma.person.count({
        where: { membership: "verified", status: "active", slackIdentities: { some: {} }, profile: { isNot: null } },
      });
      expect(everyone).toBe(verifiedMembers);
    });

    it("erasing a pending member deletes their join requests and what they typed", async () => {
      const r = await join(fresh(), { email: "erase.me@example.org", employeeNumber: "Z9999", familyName: "消去" });
      expect(r.membership).toBe("pending");
      await eraseMember({ prisma: db.prisma, personId: r.member.personId });
      const left = await db.prisma.$queryRawUnsafe<unknown[]>(
        `SELECT 1 FROM join_requests WHERE person_id = $1::uuid OR personal_email = 'erase.me@example.org' OR family_name = '消去'`,
        r.member.personId,
      );
      expect(left).toEqual([]);
      expect(await getJoinRequest({ prisma: db.prisma, requestNumber: r.joinRequestNumber as number })).toBeNull();
      await expect(
        decideJoinRequest({
          prisma: db.prisma,
          actorId: hrId,
          requestNumber: r.joinRequestNumber as number,
          decision: "approve",
        }),
      ).rejects.toMatchObject({ code: "not_found" });
    });
  });
});
