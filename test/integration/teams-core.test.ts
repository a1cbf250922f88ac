// The Teams side of the core on both engines: postings, broadcasts, returners,
// roles and conversation references, with role checks, outbox rows and
// idempotency under concurrency.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBroadcast } from "../../src/core/broadcasts/create-broadcast.js";
import { countSegment } from "../../src/core/broadcasts/segment.js";
import { saveConversationRef } from "../../src/core/conversations/save-conversation-ref.js";
import { setNotifyHere } from "../../src/core/conversations/set-notify-here.js";
import { AppError } from "../../src/core/errors.js";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { eraseMember } from "../../src/core/members/erase-member.js";
import { listReturners } from "../../src/core/members/list-returners.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { closePosting } from "../../src/core/postings/close-posting.js";
import { createPosting } from "../../src/core/postings/create-posting.js";
import { expressInterest } from "../../src/core/postings/express-interest.js";
import { listPostingsForHr } from "../../src/core/postings/list-postings-for-hr.js";
import { publishPosting } from "../../src/core/postings/publish-posting.js";
import { updatePosting } from "../../src/core/postings/update-posting.js";
import { createReferral } from "../../src/core/referrals/create-referral.js";
import { grantRole } from "../../src/core/roles/grant-role.js";
import { listRoles } from "../../src/core/roles/list-roles.js";
import { resolveTeamsPerson } from "../../src/core/roles/resolve-teams-person.js";
import { revokeRole } from "../../src/core/roles/revoke-role.js";
import type { Database } from "../../src/db/database.js";
import type { Role } from "../../src/generated/prisma/client.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

const TEAM = "T0TEAMS01";
const TENANT = "tenant-0001";
const CHANNEL = "C0ALUMNI1";
const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
const nextMonth = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);

const job = (over: Record<string, unknown> = {}) => ({
  kind: "job",
  title: "Backend engineer",
  description: "Build the platform.\nTypeScript and PostgreSQL.",
  location: "東京",
  workStyle: "hybrid",
  employmentType: "full_time",
  skills: "TypeScript, PostgreSQL",
  compensation: "",
  howToApply: "",
  closesOn: nextMonth,
  publish: "true",
  ...over,
});

/** The AppError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a failure");
}

describe.each(ENGINES)("teams core operations on %s", (engine) => {
  let handle: EngineHandle;
  let db: Database;
  let hrId: string;
  let cmId: string;
  let adminId: string;
  let seq = 0;
  const key = (what: string) => `${what}-${engine}-${++seq}`;

  const person = async (roles: Role[], name = roles.join("+")) =>
    (
      await db.prisma.person.create({
        data: { displayName: name, roles: { create: roles.map((role) => ({ role })) } },
        select: { id: true },
      })
    ).id;
  const join = (userId: string, input: Record<string, unknown>) =>
    registerMember({
      prisma: db.prisma,
      user: { teamId: TEAM, userId },
      input: { locale: "ja", displayName: userId, email: `${userId.toLowerCase()}@example.com`, ...input },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    }).then((r) => r.member);
  const create = (input: Record<string, unknown>, requestKey = key("req"), actorId = hrId) =>
    createPosting({
      prisma: db.prisma,
      actorId,
      input,
      originConversationRefId: null,
      alumniChannelId: CHANNEL,
      requestKey,
      today,
    });
  const rowsFor = (postingId: string) =>
    db.prisma.outboxMessage.findMany({ where: { subjectId: postingId }, orderBy: { createdAt: "asc" } });

  beforeAll(async () => {
    handle = await openEngine(engine);
    db = handle.db;
    hrId = await person(["hr"]);
    cmId = await person(["cm"]);
    adminId = await person(["admin"]);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("refuses postings to anyone but hr (and admin), broadcasts to anyone but hr and cm", async () => {
    const alumnus = await join("UROLE1", {});
    expect((await failure(create(job(), key("r"), alumnus.personId))).code).toBe("forbidden");
    expect((await failure(create(job(), key("r"), cmId))).code).toBe("forbidden");
    const byAdmin = await create(job(), key("r"), adminId);
    expect(byAdmin.posting.status).toBe("open");

    const send = (actorId: string) =>
      createBroadcast({
        prisma: db.prisma,
        actorId,
        segment: { kind: "all" },
        message: "こんにちは",
        requestKey: key("b"),
        senderName: null,
      });
    expect((await failure(send(alumnus.personId))).code).toBe("forbidden");
    expect((await send(cmId)).recipients).toBeGreaterThan(0);
    expect(
      (await failure(countSegment({ prisma: db.prisma, actorId: alumnus.personId, segment: { kind: "all" } }))).code,
    ).toBe("forbidden");
    expect((await failure(listPostingsForHr({ prisma: db.prisma, actorId: cmId }))).code).toBe("forbidden");
    expect((await failure(listReturners({ prisma: db.prisma, actorId: cmId }))).code).toBe("forbidden");
  });

  it("publishes at once with one announcement; the same request twice, or five at once, makes one posting", async () => {
    const requestKey = key("once");
    const first = await create(job(), requestKey);
    expect(first.duplicate).toBe(false);
    expect(first.posting).toMatchObject({ status: "open", kind: "job", workStyle: "hybrid", version: 1 });
    expect(first.posting.publishedAt).toBeInstanceOf(Date);
    expect(first.posting.skills).toEqual(["TypeScript", "PostgreSQL"]);
    expect(first.posting.compensation).toBeNull();
    const rows = await rowsFor(first.posting.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      platform: "slack",
      operation: "post",
      target: CHANNEL,
      idempotencyKey: `posting:${first.posting.id}:announce`,
      subjectType: "posting",
      rateKey: `slack:channel:${CHANNEL}`,
      payload: { type: "slack.posting_announcement", postingId: first.posting.id },
    });

    const again = await create(job({ title: "Changed on resubmit" }), requestKey);
    expect(again.duplicate).toBe(true);
    expect(again.posting.id).toBe(first.posting.id);
    expect(again.posting.title).toBe("Backend engineer");

    const concurrentKey = key("race");
    const title = `Race ${concurrentKey}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => create(job({ title }), concurrentKey)));
    expect(new Set(results.map((r) => r.posting.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await db.prisma.posting.count({ where: { title } })).toBe(1);
    expect(await db.prisma.outboxMessage.count({ where: { subjectId: results[0]?.posting.id } })).toBe(1);
    expect(
      await db.prisma.auditLog.count({ where: { action: "posting.created", subjectId: results[0]?.posting.id } }),
    ).toBe(1);
  });

  it("a draft is announced when published, once; a closed posting cannot be published", async () => {
    const { posting } = await create(job({ publish: false, title: "Draft first" }));
    expect(posting.status).toBe("draft");
    expect(await rowsFor(posting.id)).toHaveLength(0);

    const published = await publishPosting({
      prisma: db.prisma,
      actorId: hrId,
      postingNumber: posting.number,
      alumniChannelId: CHANNEL,
    });
    expect(published.changed).toBe(true);
    expect(published.posting.status).toBe("open");
    expect((await rowsFor(posting.id)).map((r) => r.kind)).toEqual(["slack.posting_announcement"]);
    const twice = await publishPosting({
      prisma: db.prisma,
      actorId: hrId,
      postingNumber: posting.number,
      alumniChannelId: CHANNEL,
    });
    expect(twice.changed).toBe(false);
    expect(await rowsFor(posting.id)).toHaveLength(1);

    await closePosting({ prisma: db.prisma, actorId: hrId, postingNumber: posting.number, alumniChannelId: CHANNEL });
    const closed = await failure(
      publishPosting({ prisma: db.prisma, actorId: hrId, postingNumber: posting.number, alumniChannelId: CHANNEL }),
    );
    expect(closed).toMatchObject({ code: "conflict", key: "posting.closed" });
    const missing = await failure(
      publishPosting({ prisma: db.prisma, actorId: hrId, postingNumber: 999_999, alumniChannelId: CHANNEL }),
    );
    expect(missing).toMatchObject({ code: "not_found", key: "posting.missing" });
    expect(
      (
        await failure(
          publishPosting({ prisma: db.prisma, actorId: cmId, postingNumber: posting.number, alumniChannelId: CHANNEL }),
        )
      ).code,
    ).toBe("forbidden");
  });

  it("reports every invalid field under its own name", async () => {
    const err = await failure(
      create(
        job({
          kind: "gig",
          title: "  ",
          employmentType: "full_time",
          closesOn: yesterday,
          description: "x".repeat(4001),
        }),
      ),
    );
    expect(err.code).toBe("validation");
    expect(err.fields).toMatchObject({
      title: { key: "validation.required" },
      closesOn: { key: "posting.closesInPast" },
      employmentType: { key: "posting.badEmploymentType" },
      description: { key: "validation.tooLong", params: { max: 4000 } },
    });
    const more = await failure(
      create(job({ closesOn: "2026-02-30", workStyle: "moon", description: undefined, publish: "maybe" })),
    );
    expect(Object.keys(more.fields).sort()).toEqual(["closesOn", "description", "publish", "workStyle"]);
    expect(more.fields.description?.key).toBe("validation.required");
    // Strings from Adaptive Cards: "" is "not given", "false" is false; today is still open.
    const ok = await create(job({ kind: "gig", employmentType: "", workStyle: "", publish: "false", closesOn: today }));
    expect(ok.posting).toMatchObject({ status: "draft", employmentType: null, workStyle: null, kind: "gig" });
    expect(ok.posting.closesOn?.toISOString().slice(0, 10)).toBe(today);
    // A card may leave out every optional field.
    const minimal = await create({ kind: "gig", title: "Minimal", description: "d" });
    expect(minimal.posting).toMatchObject({ status: "draft", skills: [], closesOn: null, location: null });
    // Nothing was written by the refused attempts.
    expect(await db.prisma.posting.count({ where: { description: "x".repeat(4001) } })).toBe(0);
  });

  it("close and edit update the announcement with the new version; a stale edit is refused", async () => {
    const { posting } = await create(job({ title: "To edit" }));
    const edited = await updatePosting({
      prisma: db.prisma,
      actorId: hrId,
      postingNumber: posting.number,
      input: job({ title: "Edited", publish: false }),
      alumniChannelId: CHANNEL,
      today,
      expectedVersion: 1,
    });
    expect(edited.posting).toMatchObject({ title: "Edited", version: 2, status: "open" });
    const stale = await failure(
      updatePosting({
        prisma: db.prisma,
        actorId: hrId,
        postingNumber: posting.number,
        input: job({ title: "Lost update" }),
        alumniChannelId: CHANNEL,
        today,
        expectedVersion: 1,
      }),
    );
    expect(stale).toMatchObject({ code: "conflict", key: "posting.stale" });

    const closed = await closePosting({
      prisma: db.prisma,
      actorId: hrId,
      postingNumber: posting.number,
      alumniChannelId: CHANNEL,
    });
    expect(closed.changed).toBe(true);
    expect(closed.posting).toMatchObject({ status: "closed", version: 3 });
    expect(closed.posting.closedAt).toBeInstanceOf(Date);
    const again = await closePosting({
      prisma: db.prisma,
      actorId: hrId,
      postingNumber: posting.number,
      alumniChannelId: CHANNEL,
    });
    expect(again.changed).toBe(false);

    const rows = await rowsFor(posting.id);
    const announce = rows.find((r) => r.operation === "post");
    const updates = rows.filter((r) => r.operation === "update");
    expect(updates.map((r) => r.idempotencyKey)).toEqual([
      `posting:${posting.id}:update:v2`,
      `posting:${posting.id}:update:v3`,
    ]);
    expect(updates[1]).toMatchObject({
      target: CHANNEL,
      payload: { type: "slack.posting_update", postingId: posting.id, version: 3 },
      dependsOnId: announce?.id,
    });

    // A draft that was never announced: closing it queues nothing; editing with publish announces it.
    const draft = await create(job({ title: "Quiet draft", publish: false }));
    const published = await updatePosting({
      prisma: db.prisma,
      actorId: hrId,
      postingNumber: draft.posting.number,
      input: job({ title: "Now public", publish: "true" }),
      alumniChannelId: CHANNEL,
      today,
    });
    expect(published).toMatchObject({ published: true, posting: { status: "open", version: 2 } });
    expect((await rowsFor(draft.posting.id)).map((r) => r.kind)).toEqual(["slack.posting_announcement"]);
    const other = await create(job({ title: "Never public", publish: false }));
    await closePosting({
      prisma: db.prisma,
      actorId: hrId,
      postingNumber: other.posting.number,
      alumniChannelId: CHANNEL,
    });
    expect(await rowsFor(other.posting.id)).toHaveLength(0);
  });

  it("lists open and draft postings for hr with interest and referral counts", async () => {
    const counted = await create(job({ title: "Counted" }));
    const draft = await create(job({ title: "Listed draft", publish: false }));
    const gone = await create(job({ title: "Closed one" }));
    await closePosting({ prisma: db.prisma, actorId: hrId, postingNumber: gone.posting.number, alumniChannelId: null });
    const a = await join("UCNT1", {});
    const b = await join("UCNT2", {});
    for (const m of [a, b]) {
      await expressInterest({ prisma: db.prisma, personId: m.personId, postingNumber: counted.posting.number });
    }
    await createReferral({
      prisma: db.prisma,
      referrerId: a.personId,
      postingNumber: counted.posting.number,
      input: { candidateName: "Cand", candidateContact: "c@example.com", candidateConsented: true },
    });
    const list = await listPostingsForHr({ prisma: db.prisma, actorId: hrId });
    expect(list.find((p) => p.id === counted.posting.id)).toMatchObject({ interestCount: 2, referralCount: 1 });
    expect(list.find((p) => p.id === draft.posting.id)).toMatchObject({ interestCount: 0, referralCount: 0 });
    expect(list.some((p) => p.id === gone.posting.id)).toBe(false);
    expect(list.every((p) => p.status === "open" || p.status === "draft")).toBe(true);
    const times = list.map((p) => p.createdAt.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it("shows hr only the fields each returner shares with hr", async () => {
    const named = await join("URET1", {
      displayName: "戻りたい 花子",
      email: "hanako@example.com",
      department: "営業部",
      title: "Manager",
      skills: "営業",
      interests: ["open_to_return"],
      hrFields: ["display_name", "department"],
      directoryFields: ["email", "skills"],
    });
    const anonymous = await join("URET2", {
      email: "secret@example.com",
      currentEmployer: "Globex",
      joinedYear: 2010,
      leftYear: 2018,
      interests: ["open_to_return"],
      hrFields: ["employer", "years"],
    });
    await join("URET3", { interests: ["job_alerts"], hrFields: ["display_name"] });
    const { entries, hasMore, total } = await listReturners({ prisma: db.prisma, actorId: hrId });
    expect(hasMore).toBe(false);
    expect(total).toBe(2);
    expect(entries).toHaveLength(2);
    expect(entries.find((e) => e.personId === named.personId)).toEqual({
      personId: named.personId,
      slackUserId: "URET1",
      shown: ["display_name", "department"],
      displayName: "戻りたい 花子",
      department: "営業部",
    });
    expect(entries.find((e) => e.personId === anonymous.personId)).toEqual({
      personId: anonymous.personId,
      slackUserId: null,
      shown: ["employer", "years"],
      employer: "Globex",
      joinedYear: 2010,
      leftYear: 2018,
    });
    await eraseMember({ prisma: db.prisma, personId: named.personId });
    expect((await listReturners({ prisma: db.prisma, actorId: hrId })).total).toBe(1);
  });

  it("counts each kind of segment and broadcasts to it once, skipping erased members", async () => {
    const count = (segment: unknown) => countSegment({ prisma: db.prisma, actorId: cmId, segment });
    const kinds = ["all", "job_alerts", "gig_alerts", "open_to_return"] as const;
    const before = Object.fromEntries(await Promise.all(kinds.map(async (k) => [k, await count({ kind: k })])));
    const dept = `Dept_${engine}%`;
    const s1 = await join("USEG1", { department: dept, leftYear: 2019, interests: ["job_alerts"] });
    const s2 = await join("USEG2", {
      department: ` ${dept.toUpperCase()} `,
      leftYear: 2019,
      interests: ["gig_alerts", "open_to_return"],
    });
    const s3 = await join("USEG3", { department: "other", leftYear: 2020, interests: ["job_alerts", "gig_alerts"] });
    // Not registered (a block target without profile): never counted.
    await db.prisma.person.create({ data: { slackIdentities: { create: { teamId: TEAM, userId: "UNOREG" } } } });

    const after = Object.fromEntries(await Promise.all(kinds.map(async (k) => [k, await count({ kind: k })])));
    expect(after.all - before.all).toBe(3);
    expect(after.job_alerts - before.job_alerts).toBe(2);
    expect(after.gig_alerts - before.gig_alerts).toBe(2);
    expect(after.open_to_return - before.open_to_return).toBe(1);
    expect(await count({ kind: "left_year", value: "2019" })).toBe(2);
    expect(await count({ kind: "left_year", value: 2020 })).toBeGreaterThanOrEqual(1);
    expect(await count({ kind: "department", value: dept.toLowerCase() })).toBe(2);
    expect(await count({ kind: "department", value: `Dept_${engine}` })).toBe(0);
    expect(await count({ kind: "department", value: "Dept%" })).toBe(0);
    expect(await failure(count({ kind: "left_year", value: "nineteen" }))).toMatchObject({
      code: "validation",
      fields: { segment: { key: "validation.year" } },
    });
    expect((await failure(count({ kind: "department" }))).fields.segment?.key).toBe("validation.required");
    expect((await failure(count({ kind: "everyone" }))).code).toBe("validation");

    await eraseMember({ prisma: db.prisma, personId: s1.personId });
    const requestKey = key("bc");
    const segment = { kind: "left_year", value: 2019 };
    const sent = await createBroadcast({
      prisma: db.prisma,
      actorId: hrId,
      segment,
      message: "ホームカミングデーのお知らせです。\nぜひご参加ください。",
      requestKey,
      senderName: "人事部 山田",
    });
    expect(sent).toMatchObject({ recipients: 1, duplicate: false });
    const rows = await db.prisma.outboxMessage.findMany({ where: { subjectId: sent.broadcastId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      platform: "slack",
      operation: "dm",
      target: "USEG2",
      recipientId: s2.personId,
      idempotencyKey: `broadcast:${sent.broadcastId}:${s2.personId}`,
      rateKey: `slack:${TEAM}:dm`,
      payload: {
        type: "slack.broadcast",
        broadcastId: sent.broadcastId,
        text: "ホームカミングデーのお知らせです。\nぜひご参加ください。",
        senderName: "人事部 山田",
      },
    });
    const again = await createBroadcast({
      prisma: db.prisma,
      actorId: hrId,
      segment,
      message: "something else",
      requestKey,
      senderName: null,
    });
    expect(again).toEqual({ broadcastId: sent.broadcastId, recipients: 1, duplicate: true });
    expect(await db.prisma.outboxMessage.count({ where: { subjectId: sent.broadcastId } })).toBe(1);
    const audit = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: "broadcast.created", subjectId: sent.broadcastId },
    });
    expect(audit.details).toEqual({ segment: { kind: "left_year", value: 2019 }, recipients: 1 });

    const all = await createBroadcast({
      prisma: db.prisma,
      actorId: cmId,
      segment: { kind: "all" },
      message: "全員へ",
      requestKey: key("bc-all"),
      senderName: null,
    });
    const targets = await db.prisma.outboxMessage.findMany({
      where: { subjectId: all.broadcastId },
      select: { recipientId: true },
    });
    expect(targets).toHaveLength(all.recipients);
    expect(targets.map((t) => t.recipientId)).toEqual(expect.arrayContaining([s2.personId, s3.personId]));
    expect(targets.map((t) => t.recipientId)).not.toContain(s1.personId);
    const tooLong = await failure(
      createBroadcast({
        prisma: db.prisma,
        actorId: hrId,
        segment: { kind: "all" },
        message: "x".repeat(3001),
        requestKey: key("bc-long"),
        senderName: null,
      }),
    );
    expect(tooLong.fields.message?.key).toBe("validation.tooLong");
  });

  it("resolves Teams users: bootstrap admin, link to a pending grant by email, one person under concurrency", async () => {
    const resolve = (aadObjectId: string, extra: Partial<Parameters<typeof resolveTeamsPerson>[0]> = {}) =>
      resolveTeamsPerson({
        prisma: db.prisma,
        tenantId: TENANT,
        aadObjectId,
        teamsUserId: `29:${aadObjectId}`,
        name: "Teams User",
        email: null,
        adminAadObjectIds: ["AAAA-ADMIN"],
        ...extra,
      });
    const boss = await resolve("aaaa-admin");
    expect(boss).toMatchObject({ created: true, roles: ["admin"] });
    const bossAgain = await resolve("AAAA-ADMIN", { name: "Renamed", teamsUserId: "29:new" });
    expect(bossAgain).toMatchObject({ personId: boss.personId, created: false, roles: ["admin"] });
    expect(await db.prisma.roleGrant.count({ where: { personId: boss.personId } })).toBe(1);
    const identity = await db.prisma.teamsIdentity.findFirstOrThrow({ where: { personId: boss.personId } });
    expect(identity).toMatchObject({ aadObjectId: "aaaa-admin", teamsUserId: "29:new" });
    expect((await db.prisma.person.findUniqueOrThrow({ where: { id: boss.personId } })).displayName).toBe("Renamed");

    const granted = await grantRole({
      prisma: db.prisma,
      actorId: boss.personId,
      role: "hr",
      target: { email: "Sato_Hr@Example.com" },
    });
    expect(granted).toMatchObject({ changed: true, pending: true });
    // "_" is literal: a look-alike address is not linked.
    const lookalike = await resolve("bbbb-lookalike", { email: "satoXhr@example.com" });
    expect(lookalike).toMatchObject({ created: true, roles: [] });
    const sato = await resolve("bbbb-sato", { email: "sato_hr@example.com", name: "佐藤" });
    expect(sato).toMatchObject({ personId: granted.personId, created: false, linked: true, roles: ["hr"] });

    const racers = await Promise.all(
      Array.from({ length: 5 }, () => resolve("cccc-race", { email: "race@example.com" })),
    );
    expect(new Set(racers.map((r) => r.personId)).size).toBe(1);
    expect(racers.filter((r) => r.created)).toHaveLength(1);
    expect(await db.prisma.teamsIdentity.count({ where: { aadObjectId: "cccc-race" } })).toBe(1);
    expect(await db.prisma.person.count({ where: { email: "race@example.com" } })).toBe(1);
  });

  it("lets only admins grant, revoke and list roles", async () => {
    const target = await resolveTeamsPerson({
      prisma: db.prisma,
      tenantId: TENANT,
      aadObjectId: "dddd-target",
      teamsUserId: "29:dddd",
      name: "Target",
      email: "target@example.com",
      adminAadObjectIds: [],
    });
    for (const actorId of [hrId, cmId, target.personId]) {
      expect(
        (await failure(grantRole({ prisma: db.prisma, actorId, role: "cm", target: { personId: target.personId } })))
          .code,
      ).toBe("forbidden");
      expect(
        (await failure(revokeRole({ prisma: db.prisma, actorId, role: "hr", target: { personId: hrId } }))).code,
      ).toBe("forbidden");
      expect((await failure(listRoles({ prisma: db.prisma, actorId }))).code).toBe("forbidden");
    }
    const byEmail = await grantRole({
      prisma: db.prisma,
      actorId: adminId,
      role: "cm",
      target: { email: "TARGET@example.com" },
    });
    expect(byEmail).toEqual({ personId: target.personId, changed: true, pending: false });
    expect(
      await grantRole({ prisma: db.prisma, actorId: adminId, role: "cm", target: { personId: target.personId } }),
    ).toMatchObject({ changed: false });
    const pending = await grantRole({
      prisma: db.prisma,
      actorId: adminId,
      role: "hr",
      target: { email: "newcomer@example.com" },
    });
    const pendingAgain = await grantRole({
      prisma: db.prisma,
      actorId: adminId,
      role: "cm",
      target: { email: "newcomer@example.com" },
    });
    expect(pendingAgain.personId).toBe(pending.personId);
    expect(
      (await failure(grantRole({ prisma: db.prisma, actorId: adminId, role: "cm", target: { email: "not an email" } })))
        .fields.email?.key,
    ).toBe("validation.email");
    expect(
      (
        await failure(
          grantRole({ prisma: db.prisma, actorId: adminId, role: "admin" as "hr", target: { personId: hrId } }),
        )
      ).code,
    ).toBe("validation");

    const roles = await listRoles({ prisma: db.prisma, actorId: adminId });
    expect(roles.find((r) => r.personId === target.personId)).toMatchObject({
      role: "cm",
      displayName: "Target",
      email: "target@example.com",
      pending: false,
    });
    expect(roles.filter((r) => r.personId === pending.personId).map((r) => [r.role, r.pending])).toEqual([
      ["hr", true],
      ["cm", true],
    ]);
    const order = { admin: 0, hr: 1, cm: 2 };
    const ranks = roles.map((r) => order[r.role]);
    expect([...ranks].sort()).toEqual(ranks);

    expect(
      await revokeRole({ prisma: db.prisma, actorId: adminId, role: "cm", target: { email: "target@example.com" } }),
    ).toEqual({ personId: target.personId, changed: true });
    expect(
      await revokeRole({ prisma: db.prisma, actorId: adminId, role: "cm", target: { personId: target.personId } }),
    ).toEqual({ personId: target.personId, changed: false });
    expect(
      (
        await failure(
          revokeRole({ prisma: db.prisma, actorId: adminId, role: "hr", target: { email: "nobody@example.com" } }),
        )
      ).key,
    ).toBe("role.personNotFound");
    const after = await listRoles({ prisma: db.prisma, actorId: adminId });
    expect(after.some((r) => r.personId === target.personId)).toBe(false);
    // The revoked role no longer opens anything; granting again restores it.
    expect(
      (await failure(countSegment({ prisma: db.prisma, actorId: target.personId, segment: { kind: "all" } }))).code,
    ).toBe("forbidden");
    await grantRole({ prisma: db.prisma, actorId: adminId, role: "cm", target: { personId: target.personId } });
    expect(
      await countSegment({ prisma: db.prisma, actorId: target.personId, segment: { kind: "all" } }),
    ).toBeGreaterThan(0);
  });

  it("saves conversation references and lets hr choose where notifications go", async () => {
    const conversationId = `19:notify-${engine}@thread.tacv2`;
    const save = (serviceUrl: string) =>
      saveConversationRef({
        prisma: db.prisma,
        conversationId,
        tenantId: TENANT,
        conversationType: "channel",
        serviceUrl,
        reference: { conversation: { id: conversationId }, serviceUrl },
      });
    const ids = await Promise.all([save("https://smba.example/a/"), save("https://smba.example/a/")]);
    expect(new Set(ids).size).toBe(1);
    const id = await save("https://smba.example/b/");
    expect(id).toBe(ids[0]);
    const ref = await db.prisma.teamsConversationRef.findUniqueOrThrow({ where: { id } });
    expect(ref).toMatchObject({ serviceUrl: "https://smba.example/b/", notifyHere: false, personId: null });

    expect((await failure(setNotifyHere({ prisma: db.prisma, actorId: cmId, conversationId, on: true }))).code).toBe(
      "forbidden",
    );
    expect(await setNotifyHere({ prisma: db.prisma, actorId: hrId, conversationId, on: true })).toEqual({
      changed: true,
    });
    expect(await setNotifyHere({ prisma: db.prisma, actorId: adminId, conversationId, on: true })).toEqual({
      changed: false,
    });
    expect(
      await failure(setNotifyHere({ prisma: db.prisma, actorId: hrId, conversationId: "19:unknown", on: true })),
    ).toMatchObject({ code: "not_found", key: "conversation.unknown" });
  });
});
