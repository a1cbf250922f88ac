// HR's leavers roster feeds the product (issue 14), on both engines: the roster's leave
// date drives the 3- and 6-month surveys (the date a member entered is only the fallback),
// 再雇用不可 keeps someone out of `returners`, department and leave year from the roster
// choose broadcast recipients (verified members only), and none of it is shown to other
// alumni. Erasure unlinks the member from HR's row and leaves the row; the member's own
// export includes it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBroadcast } from "../../src/core/broadcasts/create-broadcast.js";
import { countSegment } from "../../src/core/broadcasts/segment.js";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { eraseMember } from "../../src/core/members/erase-member.js";
import { exportMemberData } from "../../src/core/members/export-member-data.js";
import { listReturners } from "../../src/core/members/list-returners.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { searchDirectory } from "../../src/core/members/search-directory.js";
import { rosterKeys } from "../../src/core/roster/match-keys.js";
import { pruneRoster } from "../../src/core/roster/prune-roster.js";
import { planExitSurveys } from "../../src/core/surveys/plan-exit-surveys.js";
import type { Database } from "../../src/db/database.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

const TEAM = "T0FEEDS01";
const DAY = 86_400_000;
const SURVEY_OFFSETS = [90 * DAY, 180 * DAY];

/** The calendar day (UTC midnight) `ms` falls on, as a @db.Date column holds it. */
const dayOf = (ms: number) => new Date(Date.parse(new Date(ms).toISOString().slice(0, 10)));

describe.each(ENGINES)("the roster feeds the product on %s", (engine) => {
  let handle: EngineHandle;
  let db: Database;
  let hrId: string;
  let seq = 0;
  const tag = engine === "pglite" ? "P" : "G";

  /** A member as the join flow leaves them, verified unless told otherwise. */
  const join = async (
    input: Record<string, unknown> = {},
    options: { membership?: "pending" | "verified" | "rejected" } = {},
  ) => {
    seq += 1;
    const userId = `UFD${tag}${String(seq).padStart(4, "0")}`;
    const { member } = await registerMember({
      prisma: db.prisma,
      user: { teamId: TEAM, userId },
      input: { locale: "ja", displayName: `Member ${userId}`, email: `${userId.toLowerCase()}@example.com`, ...input },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    });
    await db.prisma.person.update({
      where: { id: member.personId },
      data: { membership: options.membership ?? "verified" },
    });
    return { personId: member.personId, userId };
  };
  /** HR's roster row, linked to `personId` (or to nobody). */
  const rosterRow = (
    personId: string | null,
    data: {
      familyName?: string;
      personalEmail?: string;
      department?: string | null;
      leftOn?: Date | null;
      rehireEligible?: boolean | null;
      leaveReason?: string | null;
    } = {},
  ) => {
    seq += 1;
    return db.prisma.rosterEntry.create({
      data: {
        employeeNumber: `E${tag}${String(seq).padStart(5, "0")}`,
        familyName: data.familyName ?? "山田",
        givenName: "花子",
        familyNameKana: "ヤマダ",
        givenNameKana: "ハナコ",
        personalEmail: data.personalEmail ?? null,
        workEmail: `w${seq}@corp.example`,
        department: data.department ?? null,
        joinedOn: dayOf(Date.UTC(2012, 3, 1)),
        leftOn: data.leftOn ?? null,
        leaveReason: data.leaveReason ?? null,
        rehireEligible: data.rehireEligible ?? null,
        ...rosterKeys({ personalEmail: data.personalEmail, familyName: data.familyName ?? "山田" }),
        personId,
      },
    });
  };

  beforeAll(async () => {
    handle = await openEngine(engine);
    db = handle.db;
    hrId = (
      await db.prisma.person.create({
        data: { displayName: "HR", roles: { create: { role: "hr" } } },
        select: { id: true },
      })
    ).id;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("dates the 3- and 6-month surveys from the roster's leave date; the date a member entered is only the fallback", async () => {
    const base = Date.UTC(2026, 5, 15, 3, 0, 0);
    const now = new Date(base);
    // The roster says they left 91 days ago; they entered a date 200 days ago: 3-month survey from the roster.
    const rosterDated = await join({
      leftOn: dayOf(base - 200 * DAY)
        .toISOString()
        .slice(0, 10),
    });
    await rosterRow(rosterDated.personId, { leftOn: dayOf(base - 91 * DAY) });
    // The roster says 300 days ago; they entered 91 days ago: the roster wins, no survey is due.
    const rosterOverrides = await join({
      leftOn: dayOf(base - 91 * DAY)
        .toISOString()
        .slice(0, 10),
    });
    await rosterRow(rosterOverrides.personId, { leftOn: dayOf(base - 300 * DAY) });
    // A linked row without a leave date, and no linked row: the date they entered counts.
    const rowWithoutDate = await join({
      leftOn: dayOf(base - 91 * DAY)
        .toISOString()
        .slice(0, 10),
    });
    await rosterRow(rowWithoutDate.personId, { leftOn: null });
    const notOnRoster = await join({
      leftOn: dayOf(base - 91 * DAY)
        .toISOString()
        .slice(0, 10),
    });
    // Only the roster knows the date: the 6-month survey, from it.
    const onlyRoster = await join({});
    await rosterRow(onlyRoster.personId, { leftOn: dayOf(base - 181 * DAY) });
    // A roster row nobody is linked to with a date due today surveys nobody.
    await rosterRow(null, { leftOn: dayOf(base - 91 * DAY) });
    // Not verified (waiting for HR): not surveyed, whatever either date says.
    const pending = await join(
      {
        leftOn: dayOf(base - 91 * DAY)
          .toISOString()
          .slice(0, 10),
      },
      { membership: "pending" },
    );
    await rosterRow(pending.personId, { leftOn: dayOf(base - 91 * DAY) });

    const plan = () => planExitSurveys({ prisma: db.prisma, now, offsetsMs: SURVEY_OFFSETS, horizonMs: DAY });
    const first = await plan();
    const people = [rosterDated, rosterOverrides, rowWithoutDate, notOnRoster, onlyRoster, pending];
    const responses = await db.prisma.surveyResponse.findMany({
      where: { personId: { in: people.map((p) => p.personId) } },
      orderBy: { dedupeKey: "asc" },
    });
    const expected = [
      { who: rosterDated, offset: 90, leftOn: base - 91 * DAY },
      { who: rowWithoutDate, offset: 90, leftOn: base - 91 * DAY },
      { who: notOnRoster, offset: 90, leftOn: base - 91 * DAY },
      { who: onlyRoster, offset: 180, leftOn: base - 181 * DAY },
    ];
    expect(
      responses
        .map((r) => ({ dedupeKey: r.dedupeKey, dueAt: r.dueAt }))
        .sort((a, b) => (a.dedupeKey < b.dedupeKey ? -1 : 1)),
    ).toEqual(
      expected
        .map((e) => ({
          dedupeKey: `post_exit:${e.who.personId}:${e.offset * DAY}`,
          dueAt: new Date(dayOf(e.leftOn).getTime() + e.offset * DAY),
        }))
        .sort((a, b) => (a.dedupeKey < b.dedupeKey ? -1 : 1)),
    );
    expect(first).toEqual({ created: 4, queued: 4 });
    const invites = await db.prisma.outboxMessage.findMany({
      where: { kind: "slack.survey_invite", recipientId: { in: people.map((p) => p.personId) } },
    });
    expect(invites.map((i) => i.target).sort()).toEqual(expected.map((e) => e.who.userId).sort());
    const rosterInvite = invites.find((i) => i.recipientId === rosterDated.personId);
    expect(rosterInvite?.notBefore).toEqual(new Date(dayOf(base - 91 * DAY).getTime() + 90 * DAY));

    // HR corrects the roster later: the survey already planned is not planned again.
    await db.prisma.rosterEntry.update({
      where: { personId: rosterDated.personId },
      data: { leftOn: dayOf(base - 92 * DAY) },
    });
    expect(await plan()).toEqual({ created: 0, queued: 0 });
  });

  it("leaves members whose roster row says 再雇用不可 out of returners; they stay members", async () => {
    const open = (name: string) =>
      join({ displayName: name, interests: ["open_to_return"], hrFields: ["display_name"] });
    const ineligible = await open(`再雇用不可 ${tag}`);
    await rosterRow(ineligible.personId, { rehireEligible: false });
    const eligible = await open(`再雇用可 ${tag}`);
    await rosterRow(eligible.personId, { rehireEligible: true });
    const unstated = await open(`記載なし ${tag}`);
    await rosterRow(unstated.personId, { rehireEligible: null });
    const notOnRoster = await open(`名簿なし ${tag}`);
    // An unlinked 不可 row keeps nobody out (and must not empty the list).
    await rosterRow(null, { rehireEligible: false });
    const pending = await open(`承認待ち ${tag}`);
    await db.prisma.person.update({ where: { id: pending.personId }, data: { membership: "pending" } });

    const listed = await listReturners({ prisma: db.prisma, actorId: hrId });
    const ids = listed.entries.map((e) => e.personId);
    expect(ids).toEqual(expect.arrayContaining([eligible.personId, unstated.personId, notOnRoster.personId]));
    expect(ids).not.toContain(ineligible.personId);
    expect(ids).not.toContain(pending.personId);
    expect(listed.total).toBe(3);
    // Still a member: in broadcasts to everyone, with their profile as it was.
    const person = await db.prisma.person.findUniqueOrThrow({
      where: { id: ineligible.personId },
      include: { profile: true },
    });
    expect(person).toMatchObject({ status: "active", membership: "verified", profile: { openToReturn: true } });
    expect(await countSegment({ prisma: db.prisma, actorId: hrId, segment: { kind: "open_to_return" } })).toBe(4);

    // HR changes the row to 可: listed again.
    await db.prisma.rosterEntry.update({ where: { personId: ineligible.personId }, data: { rehireEligible: true } });
    expect((await listReturners({ prisma: db.prisma, actorId: hrId })).entries.map((e) => e.personId)).toContain(
      ineligible.personId,
    );
    // Clean up for the next tests' counts.
    for (const p of [ineligible, eligible, unstated, notOnRoster, pending]) {
      await eraseMember({ prisma: db.prisma, personId: p.personId });
    }
  });

  it("targets broadcasts by the roster's department and leave year, verified members only, without showing them", async () => {
    const dept = `営業${tag}部`;
    // The roster decides for a linked member, whatever they entered.
    const rosterSales = await join({
      department: "Engineering",
      leftYear: 2021,
      directoryFields: ["display_name", "department", "years"],
    });
    await rosterRow(rosterSales.personId, { department: ` ${dept} `, leftOn: dayOf(Date.UTC(2023, 2, 31)) });
    // Not on the roster: what they entered counts.
    const selfSales = await join({ department: dept, leftYear: 2023 });
    // Linked, but the row has no department or date: what they entered counts.
    const blankRow = await join({ department: dept, leftYear: 2023 });
    await rosterRow(blankRow.personId, { department: null, leftOn: null });
    // They entered the department and year, but the roster says otherwise: not in the segment.
    const rosterElsewhere = await join({ department: dept, leftYear: 2023 });
    await rosterRow(rosterElsewhere.personId, { department: "開発部", leftOn: dayOf(Date.UTC(2020, 8, 30)) });
    // On the roster in the department, but waiting for HR: never a recipient.
    const pending = await join({ department: dept, leftYear: 2023 }, { membership: "pending" });
    await rosterRow(pending.personId, { department: dept, leftOn: dayOf(Date.UTC(2023, 5, 1)) });
    const rejected = await join({ department: dept, leftYear: 2023 }, { membership: "rejected" });
    // A roster row nobody joined with: nobody to send to.
    await rosterRow(null, { department: dept, leftOn: dayOf(Date.UTC(2023, 1, 1)) });

    const count = (segment: unknown) => countSegment({ prisma: db.prisma, actorId: hrId, segment });
    const expected = [rosterSales, selfSales, blankRow].map((m) => m.personId).sort();
    expect(await count({ kind: "department", value: dept })).toBe(3);
    expect(await count({ kind: "department", value: "Engineering" })).toBe(0);
    expect(await count({ kind: "department", value: "開発部" })).toBe(1);
    expect(await count({ kind: "left_year", value: "2023" })).toBe(3);
    expect(await count({ kind: "left_year", value: 2021 })).toBe(0);
    expect(await count({ kind: "left_year", value: 2020 })).toBe(1);

    const sent = await createBroadcast({
      prisma: db.prisma,
      actorId: hrId,
      segment: { kind: "department", value: dept },
      message: "営業部OB・OG会のお知らせ",
      requestKey: `feeds-${engine}-dept`,
      senderName: null,
    });
    expect(sent.recipients).toBe(3);
    const rows = await db.prisma.outboxMessage.findMany({ where: { subjectId: sent.broadcastId } });
    expect(rows.map((r) => r.recipientId).sort()).toEqual(expected);
    expect(rows.map((r) => r.recipientId)).not.toContain(pending.personId);
    expect(rows.map((r) => r.recipientId)).not.toContain(rejected.personId);
    // Each DM carries HR's text only: no list of recipients, nothing from the roster.
    for (const row of rows) {
      expect(row.payload).toEqual({
        type: "slack.broadcast",
        broadcastId: sent.broadcastId,
        text: "営業部OB・OG会のお知らせ",
        senderName: null,
      });
    }
    const byYear = await createBroadcast({
      prisma: db.prisma,
      actorId: hrId,
      segment: { kind: "left_year", value: 2023 },
      message: "2023年退職の皆さまへ",
      requestKey: `feeds-${engine}-year`,
      senderName: null,
    });
    expect(
      (await db.prisma.outboxMessage.findMany({ where: { subjectId: byYear.broadcastId } }))
        .map((r) => r.recipientId)
        .sort(),
    ).toEqual(expected);

    // Other alumni see what the member chose to show (their own department and year), never
    // the roster's: not in the directory entry, not findable by it.
    const viewer = await join({});
    const found = await searchDirectory({
      prisma: db.prisma,
      viewerId: viewer.personId,
      teamId: TEAM,
      words: [rosterSales.userId],
    });
    expect(found.entries.map((e) => e.personId)).toEqual([rosterSales.personId]);
    expect(found.entries[0]).toMatchObject({ department: "Engineering", leftYear: 2021 });
    expect(JSON.stringify(found.entries)).not.toContain(dept);
    const byDept = await searchDirectory({ prisma: db.prisma, viewerId: viewer.personId, teamId: TEAM, words: [dept] });
    expect(byDept.entries.map((e) => e.personId)).not.toContain(rosterSales.personId);
  });

  it("exports the member's own roster row and join requests; erasure unlinks the row, keeps it and deletes the requests", async () => {
    const member = await join({ leftOn: "2024-03-31" });
    const entry = await rosterRow(member.personId, {
      familyName: "髙橋",
      personalEmail: "takahashi.private@example.net",
      department: "経理部",
      leftOn: dayOf(Date.UTC(2024, 2, 31)),
      leaveReason: "自己都合",
      rehireEligible: true,
    });
    const request = await db.prisma.joinRequest.create({
      data: {
        personId: member.personId,
        status: "approved",
        personalEmail: "takahashi.private@example.net",
        employeeNumber: entry.employeeNumber,
        familyName: "高橋",
        decidedById: hrId,
        decidedAt: new Date(),
      },
    });
    const other = await join({});
    const othersRow = await rosterRow(other.personId, { familyName: "佐藤", department: "人事部" });

    const data = await exportMemberData({ prisma: db.prisma, personId: member.personId });
    expect(data.rosterRecord).toEqual({
      employeeNumber: entry.employeeNumber,
      familyName: "髙橋",
      givenName: "花子",
      familyNameKana: "ヤマダ",
      givenNameKana: "ハナコ",
      workEmail: entry.workEmail,
      personalEmail: "takahashi.private@example.net",
      department: "経理部",
      joinedOn: "2012-04-01",
      leftOn: "2024-03-31",
      leaveReason: "自己都合",
      rehireEligible: true,
      updatedAt: entry.updatedAt,
    });
    expect(data.joinRequests).toEqual([
      {
        number: request.number,
        status: "approved",
        personalEmail: "takahashi.private@example.net",
        employeeNumber: entry.employeeNumber,
        familyName: "高橋",
        reason: null,
        createdAt: request.createdAt,
        decidedAt: request.decidedAt,
      },
    ]);
    // Nobody else's row, and not who in HR decided.
    expect(JSON.stringify(data)).not.toContain("人事部");
    expect(JSON.stringify(data)).not.toContain(hrId);
    expect((await exportMemberData({ prisma: db.prisma, personId: other.personId })).joinRequests).toEqual([]);

    await eraseMember({ prisma: db.prisma, personId: member.personId });
    const kept = await db.prisma.rosterEntry.findUniqueOrThrow({ where: { id: entry.id } });
    expect(kept).toMatchObject({ personId: null, familyName: "髙橋", department: "経理部" });
    expect(await db.prisma.joinRequest.count({ where: { personId: member.personId } })).toBe(0);
    expect(await db.prisma.rosterEntry.findUniqueOrThrow({ where: { id: othersRow.id } })).toMatchObject({
      personId: other.personId,
    });
    // Unlinked, the row is one nobody joined with: the retention job deletes it in time; a
    // member's linked row stays.
    await pruneRoster({ prisma: db.prisma, retentionDays: 730, now: new Date(Date.now() + 731 * DAY) });
    expect(await db.prisma.rosterEntry.findUnique({ where: { id: entry.id } })).toBeNull();
    expect(await db.prisma.rosterEntry.findUnique({ where: { id: othersRow.id } })).not.toBeNull();
  });
});
