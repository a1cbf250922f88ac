// The core operations on both engines: raw SQL (directory search, row locks,
// enum casts) must behave the same on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { setRsvp } from "../../src/core/events/set-rsvp.js";
import { blockMember } from "../../src/core/members/block-member.js";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { eraseMember } from "../../src/core/members/erase-member.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { searchDirectory } from "../../src/core/members/search-directory.js";
import { expressInterest } from "../../src/core/postings/express-interest.js";
import { changeReferralStatus } from "../../src/core/referrals/change-referral-status.js";
import { createReferral } from "../../src/core/referrals/create-referral.js";
import type { Database } from "../../src/db/database.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

const TEAM = "T0CORE001";

describe.each(ENGINES)("core operations on %s", (engine) => {
  let handle: EngineHandle;
  let db: Database;
  const join = (userId: string, input: Record<string, unknown>) =>
    registerMember({
      prisma: db.prisma,
      user: { teamId: TEAM, userId },
      input: { locale: "ja", ...input },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    }).then((r) => r.member);

  beforeAll(async () => {
    handle = await openEngine(engine);
    db = handle.db;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("searches Japanese and Latin text in allowed fields only, with LIKE wildcards taken literally", async () => {
    const viewer = await join("UVIEW", { displayName: "Viewer", email: "v@example.com" });
    await join("UJA01", {
      displayName: "山田 太郎",
      email: "taro@example.com",
      skills: "機械学習, Python",
      department: "研究開発部",
      joinedYear: 2012,
      leftYear: 2020,
      directoryFields: ["display_name", "skills", "department", "years"],
    });
    await join("UEN01", {
      displayName: "Jane 100% Doe",
      email: "jane@example.com",
      currentEmployer: "Globex",
      directoryFields: ["display_name"],
    });
    const names = async (words: string[]) =>
      (await searchDirectory({ prisma: db.prisma, viewerId: viewer.personId, teamId: TEAM, words })).entries.map(
        (e) => e.displayName ?? "?",
      );
    expect(await names(["山田"])).toEqual(["山田 太郎"]);
    expect(await names(["機械"])).toEqual(["山田 太郎"]);
    expect(await names(["研究", "python"])).toEqual(["山田 太郎"]);
    expect(await names(["2012"])).toEqual(["山田 太郎"]);
    expect(await names(["201"])).toEqual([]);
    expect(await names(["jane"])).toEqual(["Jane 100% Doe"]);
    expect(await names(["100%"])).toEqual(["Jane 100% Doe"]);
    expect(await names(["%"])).toEqual(["Jane 100% Doe"]);
    expect(await names(["_"])).toEqual([]);
    expect(await names(["Globex"])).toEqual([]);
  });

  it("blocks hide both ways; registering twice keeps one member and one consent", async () => {
    const a = await join("UBLK1", {
      displayName: "Block A",
      email: "a@example.com",
      directoryFields: ["display_name"],
    });
    const b = await join("UBLK2", {
      displayName: "Block B",
      email: "b@example.com",
      directoryFields: ["display_name"],
    });
    await blockMember({ prisma: db.prisma, blockerId: a.personId, target: { teamId: TEAM, userId: "UBLK2" } });
    const search = (viewerId: string, word: string) =>
      searchDirectory({ prisma: db.prisma, viewerId, teamId: TEAM, words: [word] }).then((r) => r.entries.length);
    expect(await search(a.personId, "Block B")).toBe(0);
    expect(await search(b.personId, "Block A")).toBe(0);
    await join("UBLK1", { displayName: "Block A", email: "a@example.com" });
    expect(await db.prisma.consent.count({ where: { personId: a.personId } })).toBe(1);
    expect(await db.prisma.slackIdentity.count({ where: { userId: "UBLK1" } })).toBe(1);
  });

  it("interest is idempotent under concurrency: one row, one outbox message", async () => {
    const m = await join("UINT1", { displayName: "Int", email: "int@example.com" });
    const conv = await db.prisma.teamsConversationRef.create({
      data: {
        conversationId: `19:${engine}@thread`,
        conversationType: "channel",
        serviceUrl: "http://x/",
        reference: {},
      },
    });
    const posting = await db.prisma.posting.create({
      data: { kind: "job", status: "open", title: "Job", description: "d", originConversationId: conv.id },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        expressInterest({ prisma: db.prisma, personId: m.personId, postingNumber: posting.number }),
      ),
    );
    const created = results.filter((r) => r.status === "fulfilled" && r.value.created).length;
    expect(created).toBe(1);
    expect(await db.prisma.interest.count({ where: { postingId: posting.id } })).toBe(1);
    expect(await db.prisma.outboxMessage.count({ where: { subjectId: posting.id, kind: "hr.interest" } })).toBe(1);
  });

  it("capacity holds under concurrent RSVPs", async () => {
    const event = await db.prisma.event.create({
      data: {
        kind: "meetup",
        title: "Small",
        startsAt: new Date(Date.now() + 86_400_000),
        timeZone: "Asia/Tokyo",
        capacity: 2,
      },
    });
    const people = await Promise.all(
      ["UR1", "UR2", "UR3", "UR4"].map((u) => join(u, { displayName: u, email: `${u.toLowerCase()}@example.com` })),
    );
    await Promise.allSettled(
      people.map((p) =>
        setRsvp({ prisma: db.prisma, personId: p.personId, eventNumber: event.number, response: "going" }),
      ),
    );
    expect(await db.prisma.rsvp.count({ where: { eventId: event.id, response: "going" } })).toBe(2);
  });

  it("referral status changes are hr-only, recorded, and DM the referrer through the outbox", async () => {
    const referrer = await join("UREF1", { displayName: "Referrer", email: "ref@example.com" });
    const hr = await db.prisma.person.create({ data: { displayName: "HR", roles: { create: { role: "hr" } } } });
    const { number } = await createReferral({
      prisma: db.prisma,
      referrerId: referrer.personId,
      postingNumber: null,
      input: { candidateName: "Cand", candidateContact: "c@example.com", candidateConsented: true },
    });
    await expect(
      changeReferralStatus({
        prisma: db.prisma,
        actorId: referrer.personId,
        change: { referralNumber: number, status: "contacted" },
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const first = await changeReferralStatus({
      prisma: db.prisma,
      actorId: hr.id,
      change: { referralNumber: number, status: "contacted", expectedStatus: "received" },
    });
    expect(first).toMatchObject({ changed: true, status: "contacted" });
    // A second click on the same (now stale) card changes nothing.
    await expect(
      changeReferralStatus({
        prisma: db.prisma,
        actorId: hr.id,
        change: { referralNumber: number, status: "contacted", expectedStatus: "received" },
      }),
    ).rejects.toBeInstanceOf(AppError);
    await expect(
      changeReferralStatus({
        prisma: db.prisma,
        actorId: hr.id,
        change: { referralNumber: number, rewardState: "eligible" },
      }),
    ).rejects.toMatchObject({ code: "validation" });
    const referral = await db.prisma.referral.findUniqueOrThrow({ where: { number }, include: { history: true } });
    expect(referral.history.map((h) => h.toStatus).sort()).toEqual(["contacted", "received"]);
    const dms = await db.prisma.outboxMessage.findMany({
      where: { subjectId: referral.id, kind: "slack.referral_status" },
    });
    expect(dms).toHaveLength(1);
    expect(dms[0]).toMatchObject({
      platform: "slack",
      operation: "dm",
      target: "UREF1",
      recipientId: referrer.personId,
    });

    // Once the referrer erased themselves, HR can still work the referral, but nobody is DMed.
    await eraseMember({ prisma: db.prisma, personId: referrer.personId });
    await changeReferralStatus({
      prisma: db.prisma,
      actorId: hr.id,
      change: { referralNumber: number, status: "interviewing" },
    });
    expect(
      await db.prisma.outboxMessage.count({ where: { subjectId: referral.id, kind: "slack.referral_status" } }),
    ).toBe(1);
  });
});
