// Community managers' event operations on both engines: roles, the
// announcement and cancellation messages in the outbox, double submissions,
// and the RSVP counts they see.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { cancelEvent } from "../../src/core/events/cancel-event.js";
import { listEventsForCm } from "../../src/core/events/list-events-for-cm.js";
import { scheduleEvent } from "../../src/core/events/schedule-event.js";
import { setRsvp } from "../../src/core/events/set-rsvp.js";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { eraseMember } from "../../src/core/members/erase-member.js";
import { registerMember } from "../../src/core/members/register-member.js";
import type { Database } from "../../src/db/database.js";
import type { Role } from "../../src/generated/prisma/client.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

const TEAM = "T0EVENTS1";
const CHANNEL = "C0ALUMNI1";
const DAY = 86_400_000;

/** The field problems of a validation AppError thrown by `promise`. */
async function fieldsOf(promise: Promise<unknown>): Promise<Record<string, string>> {
  const err = await promise.then(
    () => {
      throw new Error("expected a validation error");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe("validation");
  return Object.fromEntries(Object.entries((err as AppError).fields).map(([f, p]) => [f, p.key]));
}

describe.each(ENGINES)("event operations on %s", (engine) => {
  let handle: EngineHandle;
  let db: Database;
  let cm: string;
  let admin: string;
  let hr: string;
  let requests = 0;

  const person = (name: string, roles: Role[]) =>
    db.prisma.person
      .create({ data: { displayName: name, roles: { create: roles.map((role) => ({ role })) } } })
      .then((p) => p.id);
  const join = (userId: string) =>
    registerMember({
      prisma: db.prisma,
      user: { teamId: TEAM, userId },
      input: { locale: "ja", displayName: userId, email: `${userId.toLowerCase()}@example.com` },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    }).then((r) => r.member.personId);
  const input = (overrides: Record<string, unknown> = {}) => ({
    title: "ホームカミングデー 2026",
    kind: "homecoming_day",
    startsAt: new Date(Date.now() + 10 * DAY),
    timeZone: "Asia/Tokyo",
    place: "本社 20F カフェテリア",
    description: "OB・OG の皆さま、ぜひお越しください。",
    ...overrides,
  });
  const schedule = (actorId: string, overrides: Record<string, unknown> = {}, requestKey?: string) =>
    scheduleEvent({
      prisma: db.prisma,
      actorId,
      input: input(overrides),
      originConversationRefId: null,
      alumniChannelId: CHANNEL,
      requestKey: requestKey ?? `req-${engine}-${++requests}`,
    });

  beforeAll(async () => {
    handle = await openEngine(engine);
    db = handle.db;
    cm = await person("CM", ["cm"]);
    admin = await person("Admin", ["admin"]);
    hr = await person("HR", ["hr"]);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("only community managers and admins schedule, cancel and list events", async () => {
    const alumnus = await join("UROLE1");
    for (const actorId of [alumnus, hr]) {
      await expect(schedule(actorId, { title: "Forbidden" })).rejects.toMatchObject({ code: "forbidden" });
      await expect(listEventsForCm({ prisma: db.prisma, actorId })).rejects.toMatchObject({ code: "forbidden" });
    }
    expect(await db.prisma.event.count({ where: { title: "Forbidden" } })).toBe(0);

    const { event } = await schedule(admin, { title: "By admin" });
    expect(event.createdById).toBe(admin);
    for (const actorId of [alumnus, hr]) {
      await expect(
        cancelEvent({ prisma: db.prisma, actorId, eventNumber: event.number, alumniChannelId: CHANNEL }),
      ).rejects.toMatchObject({ code: "forbidden" });
    }
    // A revoked role no longer counts.
    const formerCm = await person("Former CM", ["cm"]);
    await db.prisma.roleGrant.updateMany({ where: { personId: formerCm }, data: { revokedAt: new Date() } });
    await expect(schedule(formerCm)).rejects.toMatchObject({ code: "forbidden" });
    const cancelled = await cancelEvent({
      prisma: db.prisma,
      actorId: admin,
      eventNumber: event.number,
      alumniChannelId: CHANNEL,
    });
    expect(cancelled.changed).toBe(true);
  });

  it("scheduling stores the event and queues its announcement and an audit entry", async () => {
    const startsAt = new Date(Date.now() + 14 * DAY);
    const conv = await db.prisma.teamsConversationRef.create({
      data: {
        conversationId: `19:cm-${engine}@thread`,
        conversationType: "channel",
        serviceUrl: "http://x/",
        reference: {},
      },
    });
    const { event, duplicate } = await scheduleEvent({
      prisma: db.prisma,
      actorId: cm,
      input: input({
        startsAt,
        capacity: "３０",
        url: " https://example.com/join ",
        endsAt: new Date(startsAt.getTime() + 3 * 3_600_000),
      }),
      originConversationRefId: conv.id,
      alumniChannelId: CHANNEL,
      requestKey: `announce-${engine}`,
    });
    expect(duplicate).toBe(false);
    expect(event).toMatchObject({
      status: "scheduled",
      kind: "homecoming_day",
      title: "ホームカミングデー 2026",
      startsAt,
      timeZone: "Asia/Tokyo",
      place: "本社 20F カフェテリア",
      url: "https://example.com/join",
      capacity: 30,
      version: 1,
      createdById: cm,
      originConversationId: conv.id,
    });
    const rows = await db.prisma.outboxMessage.findMany({ where: { subjectId: event.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      idempotencyKey: `event:${event.id}:announce`,
      platform: "slack",
      operation: "post",
      kind: "slack.event_announcement",
      target: CHANNEL,
      subjectType: "event",
      rateKey: `slack:channel:${CHANNEL}`,
      payload: { type: "slack.event_announcement", eventId: event.id },
      status: "pending",
    });
    const audit = await db.prisma.auditLog.findMany({ where: { subjectId: event.id } });
    expect(audit).toEqual([expect.objectContaining({ actorId: cm, action: "event.scheduled", subjectType: "event" })]);

    // Without an alumni channel, nothing is announced.
    const quiet = await scheduleEvent({
      prisma: db.prisma,
      actorId: cm,
      input: input({ title: "Quiet" }),
      originConversationRefId: null,
      alumniChannelId: null,
      requestKey: `quiet-${engine}`,
    });
    expect(await db.prisma.outboxMessage.count({ where: { subjectId: quiet.event.id } })).toBe(0);
  });

  it("a confirmation submitted twice, or five times at once, creates one event and one announcement", async () => {
    const first = await schedule(cm, { title: "Twice" }, `twice-${engine}`);
    const second = await schedule(cm, { title: "Twice" }, `twice-${engine}`);
    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, event: { id: first.event.id } });
    expect(second.event.startsAt).toBeInstanceOf(Date);
    expect(await db.prisma.event.count({ where: { title: "Twice" } })).toBe(1);

    const results = await Promise.all(
      Array.from({ length: 5 }, () => schedule(cm, { title: "Concurrent" }, `concurrent-${engine}`)),
    );
    expect(new Set(results.map((r) => r.event.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const events = await db.prisma.event.findMany({ where: { title: "Concurrent" } });
    expect(events).toHaveLength(1);
    expect(
      await db.prisma.outboxMessage.count({
        where: { subjectId: (events[0] as { id: string }).id, kind: "slack.event_announcement" },
      }),
    ).toBe(1);
    expect(await db.prisma.auditLog.count({ where: { subjectId: (events[0] as { id: string }).id } })).toBe(1);
  });

  it("refuses invalid events field by field", async () => {
    expect(await fieldsOf(schedule(cm, { kind: "online", place: null }))).toEqual({ url: "event.needUrl" });
    expect(await fieldsOf(schedule(cm, { kind: "meetup", place: "  " }))).toEqual({ place: "event.needPlace" });
    expect(await fieldsOf(schedule(cm, { url: "javascript:alert(1)" }))).toEqual({ url: "validation.url" });
    expect(await fieldsOf(schedule(cm, { url: "ftp://example.com/x" }))).toEqual({ url: "validation.url" });
    expect(await fieldsOf(schedule(cm, { url: `https://example.com/${"a".repeat(500)}` }))).toEqual({
      url: "validation.tooLong",
    });
    expect(await fieldsOf(schedule(cm, { title: "   ", timeZone: "Tokyo/Japan", capacity: "0" }))).toEqual({
      title: "validation.required",
      timeZone: "validation.timeZone",
      capacity: "validation.tooSmall",
    });
    expect(await fieldsOf(schedule(cm, { capacity: 100_001 }))).toEqual({ capacity: "validation.tooLarge" });
    expect(await fieldsOf(schedule(cm, { capacity: "many" }))).toEqual({ capacity: "validation.invalid" });
    expect(await fieldsOf(schedule(cm, { kind: "party" }))).toEqual({ kind: "validation.invalid" });
    expect(await fieldsOf(schedule(cm, { title: "x".repeat(121) }))).toEqual({ title: "validation.tooLong" });
    expect(await fieldsOf(schedule(cm, { startsAt: "next week" }))).toEqual({ startsAt: "validation.invalid" });
    const startsAt = new Date(Date.now() + 5 * DAY);
    expect(await fieldsOf(schedule(cm, { startsAt, endsAt: startsAt }))).toEqual({ endsAt: "event.endBeforeStart" });
    expect(await fieldsOf(schedule(cm, { startsAt: new Date(Date.now() + 60_000) }))).toEqual({
      startsAt: "event.pastDate",
    });
    expect(await fieldsOf(schedule(cm, { startsAt: new Date(Date.now() + 800 * DAY) }))).toEqual({
      startsAt: "event.tooFar",
    });
    // Accepted forms: an ISO string (dialog state kept as JSON), online with a URL only, capacity as text.
    const { event } = await schedule(cm, {
      kind: "online",
      place: "",
      url: "https://teams.example.com/meet/1",
      startsAt: startsAt.toISOString(),
      capacity: "",
      timeZone: "america/new_york",
    });
    expect(event).toMatchObject({
      kind: "online",
      place: null,
      capacity: null,
      startsAt,
      timeZone: "America/New_York",
    });
  });

  it("cancelling edits the announcement and DMs each member who answered, once", async () => {
    const { event } = await schedule(cm, { title: "To cancel" });
    const [going, maybe, notGoing, erased] = await Promise.all(["UC1", "UC2", "UC3", "UC4"].map(join));
    const answers: [string | undefined, string][] = [
      [going, "going"],
      [maybe, "maybe"],
      [notGoing, "not_going"],
      [erased, "going"],
    ];
    for (const [personId, response] of answers) {
      await setRsvp({ prisma: db.prisma, personId: personId as string, eventNumber: event.number, response });
    }
    await eraseMember({ prisma: db.prisma, personId: erased as string });

    const result = await cancelEvent({
      prisma: db.prisma,
      actorId: cm,
      eventNumber: event.number,
      alumniChannelId: CHANNEL,
    });
    expect(result).toMatchObject({ changed: true, notified: 3, event: { status: "cancelled", version: 2 } });
    expect(result.event.cancelledAt).toBeInstanceOf(Date);

    // RSVPs queue their own (batched) edits of the counts; the cancellation queues one more.
    const counts = await db.prisma.outboxMessage.findMany({
      where: { subjectId: event.id, idempotencyKey: { contains: ":counts:" } },
    });
    expect(counts.length).toBeGreaterThanOrEqual(1);
    expect(counts.every((c) => c.operation === "update" && c.dependsOnId !== null)).toBe(true);
    const update = await db.prisma.outboxMessage.findMany({
      where: { subjectId: event.id, operation: "update", idempotencyKey: { contains: ":update:" } },
    });
    expect(update).toEqual([
      expect.objectContaining({
        idempotencyKey: `event:${event.id}:update:v2`,
        platform: "slack",
        target: CHANNEL,
        rateKey: `slack:channel:${CHANNEL}`,
        payload: { type: "slack.event_update", eventId: event.id, version: 2 },
      }),
    ]);
    const dms = await db.prisma.outboxMessage.findMany({
      where: { subjectId: event.id, operation: "dm" },
      orderBy: { target: "asc" },
    });
    expect(dms.map((d) => [d.target, d.recipientId])).toEqual([
      ["UC1", going],
      ["UC2", maybe],
      ["UC3", notGoing],
    ]);
    for (const dm of dms) {
      expect(dm).toMatchObject({
        idempotencyKey: `event:${event.id}:cancelled:${dm.recipientId}`,
        platform: "slack",
        kind: "slack.event_cancelled",
        rateKey: `slack:${TEAM}:dm`,
        subjectType: "event",
        payload: { type: "slack.event_cancelled", eventId: event.id },
      });
    }
    const before = await db.prisma.outboxMessage.count({ where: { subjectId: event.id } });
    expect(before).toBe(5 + counts.length); // announcement, update, three DMs, and the RSVP count edits

    const again = await cancelEvent({
      prisma: db.prisma,
      actorId: cm,
      eventNumber: event.number,
      alumniChannelId: CHANNEL,
    });
    expect(again).toMatchObject({
      changed: false,
      notified: 0,
      event: { id: event.id, status: "cancelled", version: 2 },
    });
    expect(await db.prisma.outboxMessage.count({ where: { subjectId: event.id } })).toBe(before);
    expect(await db.prisma.auditLog.count({ where: { subjectId: event.id, action: "event.cancelled" } })).toBe(1);

    // RSVPs to a cancelled event are refused.
    await expect(
      setRsvp({ prisma: db.prisma, personId: going as string, eventNumber: event.number, response: "maybe" }),
    ).rejects.toMatchObject({ key: "event.cancelled" });
  });

  it("cancelling refuses past and unknown events", async () => {
    const past = await db.prisma.event.create({
      data: { kind: "meetup", title: "Past", startsAt: new Date(Date.now() - DAY), timeZone: "Asia/Tokyo", place: "x" },
    });
    const cancel = (eventNumber: number) =>
      cancelEvent({ prisma: db.prisma, actorId: cm, eventNumber, alumniChannelId: CHANNEL });
    await expect(cancel(past.number)).rejects.toMatchObject({ code: "conflict", key: "event.past" });
    await expect(cancel(999_999)).rejects.toMatchObject({ code: "not_found", key: "event.notFound" });
    await expect(cancel(0)).rejects.toMatchObject({ code: "validation" });
    // Without an alumni channel, only the DMs are queued.
    const { event } = await schedule(cm, { title: "Quiet cancel" });
    await setRsvp({ prisma: db.prisma, personId: await join("UQ1"), eventNumber: event.number, response: "going" });
    const result = await cancelEvent({
      prisma: db.prisma,
      actorId: cm,
      eventNumber: event.number,
      alumniChannelId: null,
    });
    expect(result.notified).toBe(1);
    expect(
      await db.prisma.outboxMessage.count({
        where: { subjectId: event.id, operation: "update", idempotencyKey: { contains: ":update:" } },
      }),
    ).toBe(0);
  });

  it("lists upcoming scheduled events with RSVP counts and capacity", async () => {
    const soon = new Date(Date.now() + 2 * DAY);
    const { event } = await schedule(cm, { title: "Counted", capacity: 10, startsAt: soon });
    const { event: cancelled } = await schedule(cm, { title: "Cancelled", startsAt: soon });
    await cancelEvent({ prisma: db.prisma, actorId: cm, eventNumber: cancelled.number, alumniChannelId: CHANNEL });
    const people = await Promise.all(["UL1", "UL2", "UL3", "UL4"].map(join));
    const responses = ["going", "going", "maybe", "not_going"];
    await Promise.all(
      people.map((personId, i) =>
        setRsvp({ prisma: db.prisma, personId, eventNumber: event.number, response: responses[i] }),
      ),
    );

    const list = await listEventsForCm({ prisma: db.prisma, actorId: cm });
    const counted = list.find((e) => e.event.id === event.id);
    expect(counted).toMatchObject({ counts: { going: 2, maybe: 1, not_going: 1 }, capacity: 10 });
    expect(list.some((e) => e.event.id === cancelled.id)).toBe(false);
    expect(list.every((e) => e.event.status === "scheduled" && e.event.startsAt.getTime() > Date.now())).toBe(true);
    const starts = list.map((e) => e.event.startsAt.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // An admin sees the same; the list ends after 50.
    expect((await listEventsForCm({ prisma: db.prisma, actorId: admin })).length).toBe(list.length);
    expect(list.length).toBeLessThanOrEqual(50);
    // Nothing is listed once it has started.
    expect(
      (await listEventsForCm({ prisma: db.prisma, actorId: cm, now: new Date(soon.getTime() + 1) })).some(
        (e) => e.event.id === event.id,
      ),
    ).toBe(false);
  });
});
