// The scheduled jobs on both engines: every scheduled send is one outbox row per
// (kind, subject, recipient, slot), however often and on however many replicas
// the jobs run; catch-up after downtime; surveys answered, validated and
// summarised anonymously; the weekly digest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWeeklyDigest } from "../../src/core/digest/build-weekly-digest.js";
import { latestDigestSlot } from "../../src/core/digest/digest-week.js";
import { planWeeklyDigest } from "../../src/core/digest/plan-weekly-digest.js";
import { AppError } from "../../src/core/errors.js";
import { planEventReminders } from "../../src/core/events/plan-event-reminders.js";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { planExitSurveys } from "../../src/core/surveys/plan-exit-surveys.js";
import { planHomecomingWishes } from "../../src/core/surveys/plan-homecoming-wishes.js";
import { submitSurveyAnswers } from "../../src/core/surveys/submit-survey-answers.js";
import { summarizeSurveyResults } from "../../src/core/surveys/summarize-survey-results.js";
import type { Database } from "../../src/db/database.js";
import type { EventKind, RsvpResponse } from "../../src/generated/prisma/client.js";
import { createLogger } from "../../src/logger.js";
import { cronExpression, type Scheduler, startScheduler } from "../../src/scheduler/scheduler.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

const TEAM = "T0SCHED01";
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const OFFSETS = [7 * DAY, DAY, HOUR];
const SURVEY_OFFSETS = [90 * DAY, 180 * DAY];
const CONFIG = {
  reminderOffsetsMs: OFFSETS,
  surveyOffsetsMs: SURVEY_OFFSETS,
  schedulerIntervalSeconds: 10,
  defaultTimeZone: "Asia/Tokyo",
};
const HORIZON = CONFIG.schedulerIntervalSeconds * 1000;
const logger = createLogger({ level: "silent" });

/** Each test lives in its own stretch of time, so jobs run by one test never reach into another's. */
let era = 0;
function nextBase(): number {
  era += 1;
  return Date.parse("2031-01-01T00:00:00Z") + era * 60 * DAY;
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => {
      throw new Error("expected an AppError");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

function fieldKeys(err: AppError): Record<string, string> {
  return Object.fromEntries(Object.entries(err.fields).map(([f, p]) => [f, p.key]));
}

describe("cron expression", () => {
  it("ticks about every SCHEDULER_INTERVAL_SECONDS, rounded to a step that divides the minute or hour", () => {
    expect(cronExpression(10)).toBe("*/10 * * * * *");
    expect(cronExpression(1)).toBe("* * * * * *");
    expect(cronExpression(7)).toBe("*/6 * * * * *");
    expect(cronExpression(60)).toBe("0 * * * * *");
    expect(cronExpression(90)).toBe("0 * * * * *");
    expect(cronExpression(600)).toBe("0 */10 * * * *");
    expect(cronExpression(3600)).toBe("0 0 * * * *");
  });

  it("digest slots are Mondays 09:00 in the zone, covering the week before", () => {
    // 2031-01-06 is a Monday; 09:00 in Tokyo is 00:00 UTC.
    expect(latestDigestSlot(new Date("2031-01-06T00:00:00Z"), "Asia/Tokyo")).toEqual({
      postAt: new Date("2031-01-06T00:00:00Z"),
      weekStart: "2030-12-30",
    });
    expect(latestDigestSlot(new Date("2031-01-05T23:59:59Z"), "Asia/Tokyo").weekStart).toBe("2030-12-23");
    expect(latestDigestSlot(new Date("2031-01-12T14:59:59Z"), "Asia/Tokyo").weekStart).toBe("2030-12-30");
  });
});

describe.each(ENGINES)("scheduled jobs on %s", (engine) => {
  let handle: EngineHandle;
  let db: Database;
  let users = 0;
  const schedulers: Scheduler[] = [];

  const join = async (options: { leftOn?: Date; name?: string } = {}) => {
    users += 1;
    const userId = `USCH${engine === "pglite" ? "P" : "G"}${String(users).padStart(4, "0")}`;
    const { member } = await registerMember({
      prisma: db.prisma,
      user: { teamId: TEAM, userId },
      input: {
        locale: "ja",
        displayName: options.name ?? `Member ${userId}`,
        email: `${userId.toLowerCase()}@example.com`,
      },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    });
    if (options.leftOn) {
      await db.prisma.profile.update({ where: { personId: member.personId }, data: { leftOn: options.leftOn } });
    }
    return { personId: member.personId, userId };
  };
  const event = (data: { startsAt: number; createdAt: number; kind?: EventKind; conversationRefId?: string }) =>
    db.prisma.event.create({
      data: {
        kind: data.kind ?? "meetup",
        title: "Alumni night",
        startsAt: new Date(data.startsAt),
        createdAt: new Date(data.createdAt),
        timeZone: "Asia/Tokyo",
        originConversationId: data.conversationRefId ?? null,
      },
    });
  const rsvp = (eventId: string, personId: string, response: RsvpResponse) =>
    db.prisma.rsvp.upsert({
      where: { eventId_personId: { eventId, personId } },
      create: { eventId, personId, response },
      update: { response },
    });
  const conversation = (conversationId: string, notifyHere: boolean) =>
    db.prisma.teamsConversationRef.create({
      data: {
        conversationId,
        conversationType: "channel",
        serviceUrl: "http://127.0.0.1:9/teams/",
        reference: { conversation: { id: conversationId } },
        notifyHere,
      },
    });
  const scheduler = () => {
    const s = startScheduler({ prisma: db.prisma, config: CONFIG, logger, schedule: false });
    schedulers.push(s);
    return s;
  };
  const outbox = (where: Record<string, unknown>) =>
    db.prisma.outboxMessage.findMany({ where, orderBy: { idempotencyKey: "asc" } });

  beforeAll(async () => {
    handle = await openEngine(engine);
    db = handle.db;
  });
  afterAll(async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    await handle?.close();
  });

  it("queues each reminder once per (event, person, offset), even from concurrent runs on two replicas", async () => {
    const base = nextBase();
    const startsAt = base + 10 * DAY;
    const ev = await event({ startsAt, createdAt: base });
    const going = await join();
    const maybe = await join();
    const notGoing = await join();
    const noSlack = await db.prisma.person.create({ data: { displayName: "Teams only" } });
    await rsvp(ev.id, going.personId, "going");
    await rsvp(ev.id, maybe.personId, "maybe");
    await rsvp(ev.id, notGoing.personId, "not_going");
    await rsvp(ev.id, noSlack.id, "going");

    const [a, b] = [scheduler(), scheduler()];
    const weekBefore = new Date(startsAt - 7 * DAY);
    const reports = await Promise.all([a.runOnce(weekBefore), b.runOnce(weekBefore), a.runOnce(weekBefore)]);
    expect(reports.every((r) => r.ok)).toBe(true);
    let rows = await outbox({ subjectId: ev.id, kind: "slack.event_reminder" });
    expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(
      [going, maybe].map((p) => `reminder:${ev.id}:${p.personId}:${7 * DAY}`).sort(),
    );
    const first = rows.find((r) => r.recipientId === going.personId);
    expect(first).toMatchObject({
      platform: "slack",
      operation: "dm",
      target: going.userId,
      subjectType: "event",
      rateKey: `slack:${TEAM}:dm`,
      notBefore: weekBefore,
      status: "pending",
      payload: { type: "slack.event_reminder", eventId: ev.id, offsetMs: 7 * DAY },
    });

    // Just before the 1-day reminder is due: queued one tick ahead, held until its time.
    const dayBefore = new Date(startsAt - DAY - 5_000);
    const direct = await Promise.all(
      [1, 2, 3].map(() =>
        planEventReminders({ prisma: db.prisma, now: dayBefore, offsetsMs: OFFSETS, horizonMs: HORIZON }),
      ),
    );
    expect(direct.reduce((n, r) => n + r.created, 0)).toBe(2);
    rows = await outbox({ subjectId: ev.id, kind: "slack.event_reminder" });
    expect(rows).toHaveLength(4);
    expect(rows.filter((r) => (r.payload as { offsetMs: number }).offsetMs === DAY).map((r) => r.notBefore)).toEqual([
      new Date(startsAt - DAY),
      new Date(startsAt - DAY),
    ]);
  });

  it("skips offsets already past when the event was created, and sends only the nearest of several due", async () => {
    const base = nextBase();
    const startsAt = base + 2 * DAY;
    const ev = await event({ startsAt, createdAt: base });
    const m = await join();
    await rsvp(ev.id, m.personId, "going");
    const s = scheduler();
    await s.runOnce(new Date(base + MIN));
    expect(await outbox({ subjectId: ev.id })).toHaveLength(0);
    await s.runOnce(new Date(startsAt - DAY));
    await s.runOnce(new Date(startsAt - HOUR));
    const offsets = (await outbox({ subjectId: ev.id })).map((r) => (r.payload as { offsetMs: number }).offsetMs);
    expect(offsets.sort((x, y) => x - y)).toEqual([HOUR, DAY]);

    // Created a day ahead, first looked at 30 minutes before the start: only the 1-hour reminder.
    const late = await event({ startsAt: startsAt + 3 * DAY, createdAt: startsAt });
    await rsvp(late.id, m.personId, "maybe");
    await s.runOnce(new Date(startsAt + 3 * DAY - 30 * MIN));
    const lateRows = await outbox({ subjectId: late.id });
    expect(lateRows.map((r) => (r.payload as { offsetMs: number }).offsetMs)).toEqual([HOUR]);
  });

  it("withdraws pending reminders for members now not going (and brings them back), and for cancelled events", async () => {
    const base = nextBase();
    const startsAt = base + 20 * DAY;
    const ev = await event({ startsAt, createdAt: base });
    const stays = await join();
    const leaves = await join();
    await rsvp(ev.id, stays.personId, "going");
    await rsvp(ev.id, leaves.personId, "going");
    const s = scheduler();
    // Half a tick before the 7-day reminder is due: queued ahead, held until then.
    await s.runOnce(new Date(startsAt - 7 * DAY - HORIZON / 2));
    expect(await outbox({ subjectId: ev.id, status: "pending" })).toHaveLength(2);

    await rsvp(ev.id, leaves.personId, "not_going");
    const report = await s.runOnce(new Date(startsAt - 7 * DAY - HORIZON / 4));
    expect(report.jobs.find((j) => j.job === "event_reminders")?.result).toMatchObject({ cancelled: 1, created: 0 });
    const [left] = await outbox({ subjectId: ev.id, recipientId: leaves.personId });
    expect(left).toMatchObject({ status: "cancelled", lastError: "withdrawn: not going" });
    expect(await outbox({ subjectId: ev.id, recipientId: stays.personId, status: "pending" })).toHaveLength(1);

    // Changing their mind again before it was due brings the same row back.
    await rsvp(ev.id, leaves.personId, "maybe");
    await s.runOnce(new Date(startsAt - 7 * DAY - HORIZON / 8));
    expect(await outbox({ subjectId: ev.id, status: "pending" })).toHaveLength(2);

    await db.prisma.event.update({ where: { id: ev.id }, data: { status: "cancelled", cancelledAt: new Date(base) } });
    await s.runOnce(new Date(startsAt - 6 * DAY));
    const after = await outbox({ subjectId: ev.id, kind: "slack.event_reminder" });
    expect(after.map((r) => [r.status, r.lastError])).toEqual([
      ["cancelled", "withdrawn: event cancelled"],
      ["cancelled", "withdrawn: event cancelled"],
    ]);
  });

  it("asks for homecoming wishes one week ahead, for homecoming days only", async () => {
    const base = nextBase();
    const startsAt = base + 30 * DAY;
    const homecoming = await event({ startsAt, createdAt: base, kind: "homecoming_day" });
    const meetup = await event({ startsAt, createdAt: base, kind: "meetup" });
    const m = await join();
    const no = await join();
    for (const ev of [homecoming, meetup]) await rsvp(ev.id, m.personId, "going");
    await rsvp(homecoming.id, no.personId, "not_going");

    const s = scheduler();
    await s.runOnce(new Date(startsAt - 8 * DAY));
    expect(await outbox({ kind: "slack.homecoming_wish", subjectId: homecoming.id })).toHaveLength(0);

    const weekBefore = new Date(startsAt - 7 * DAY);
    await Promise.all([
      s.runOnce(weekBefore),
      planHomecomingWishes({ prisma: db.prisma, now: weekBefore, horizonMs: HORIZON }),
      planHomecomingWishes({ prisma: db.prisma, now: weekBefore, horizonMs: HORIZON }),
    ]);
    const responses = await db.prisma.surveyResponse.findMany({
      where: { eventId: { in: [homecoming.id, meetup.id] } },
      include: { survey: true },
    });
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      personId: m.personId,
      eventId: homecoming.id,
      dedupeKey: `homecoming_wish:${homecoming.id}:${m.personId}`,
      dueAt: weekBefore,
      survey: { key: "homecoming_wish", kind: "homecoming_wish", questions: [{ key: "who", type: "text" }] },
    });
    const rows = await outbox({ kind: "slack.homecoming_wish" });
    expect(rows.filter((r) => r.subjectId === meetup.id)).toHaveLength(0);
    const mine = rows.filter((r) => r.subjectId === homecoming.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      idempotencyKey: `homecoming_wish:${homecoming.id}:${m.personId}`,
      target: m.userId,
      notBefore: weekBefore,
      payload: { type: "slack.homecoming_wish", eventId: homecoming.id, surveyResponseId: responses[0]?.id },
    });
  });

  it("answering a homecoming wish queues one batched Teams card per event and day", async () => {
    const base = nextBase();
    const startsAt = base + 30 * DAY;
    const conv = await conversation(`19:cm-${engine}-wishes@thread.tacv2`, false);
    const homecoming = await event({ startsAt, createdAt: base, kind: "homecoming_day", conversationRefId: conv.id });
    const [a, b] = [await join(), await join()];
    for (const p of [a, b]) await rsvp(homecoming.id, p.personId, "going");
    const weekBefore = new Date(startsAt - 7 * DAY);
    await planHomecomingWishes({ prisma: db.prisma, now: weekBefore, horizonMs: HORIZON });
    const responseOf = async (personId: string) =>
      (await db.prisma.surveyResponse.findFirstOrThrow({ where: { eventId: homecoming.id, personId } })).id;

    const answeredAt = new Date(weekBefore.getTime() + HOUR);
    await submitSurveyAnswers({
      prisma: db.prisma,
      personId: a.personId,
      surveyResponseId: await responseOf(a.personId),
      answers: { who: "元上司の田中さん" },
      now: answeredAt,
    });
    await submitSurveyAnswers({
      prisma: db.prisma,
      personId: b.personId,
      surveyResponseId: await responseOf(b.personId),
      answers: { who: "同期のみんな" },
      now: new Date(answeredAt.getTime() + 2 * HOUR),
    });
    let cards = await outbox({ kind: "teams.homecoming_wishes", subjectId: homecoming.id });
    expect(cards).toHaveLength(1);
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(answeredAt);
    expect(cards[0]).toMatchObject({
      idempotencyKey: `homecoming_wishes:${homecoming.id}:${day}`,
      platform: "teams",
      operation: "post",
      target: conv.conversationId,
      notBefore: new Date(answeredAt.getTime() + 10 * MIN),
      payload: { type: "teams.homecoming_wishes", eventId: homecoming.id },
    });
    await submitSurveyAnswers({
      prisma: db.prisma,
      personId: a.personId,
      surveyResponseId: await responseOf(a.personId),
      answers: { who: "元上司の田中さんと佐藤さん" },
      now: new Date(answeredAt.getTime() + DAY),
    });
    cards = await outbox({ kind: "teams.homecoming_wishes", subjectId: homecoming.id });
    expect(cards).toHaveLength(2);
    expect(await db.prisma.surveyAnswer.count({ where: { response: { eventId: homecoming.id } } })).toBe(2);
  });

  it("invites to post-exit surveys at leftOn + 90 days, not leavers older than the window", async () => {
    const base = nextBase();
    const now = new Date(base);
    const recent = await join({ leftOn: new Date(base - 91 * DAY) });
    const old = await join({ leftOn: new Date(base - 120 * DAY) });
    const withdrawn = await join({ leftOn: new Date(base - 91 * DAY) });
    await db.prisma.consent.updateMany({ where: { personId: withdrawn.personId }, data: { withdrawnAt: now } });
    const s = scheduler();
    await Promise.all([s.runOnce(now), scheduler().runOnce(now)]);
    await planExitSurveys({ prisma: db.prisma, now, offsetsMs: SURVEY_OFFSETS, horizonMs: HORIZON });

    const responses = await db.prisma.surveyResponse.findMany({
      where: { personId: { in: [recent.personId, old.personId, withdrawn.personId] } },
      include: { survey: true },
    });
    expect(responses).toHaveLength(1);
    const response = responses[0];
    expect(response).toMatchObject({
      personId: recent.personId,
      dedupeKey: `post_exit:${recent.personId}:${90 * DAY}`,
      survey: { key: "post_exit", kind: "post_exit" },
    });
    const dueAt = new Date(Date.parse(new Date(base - 91 * DAY).toISOString().slice(0, 10)) + 90 * DAY);
    expect(response?.dueAt).toEqual(dueAt);
    const rows = await outbox({ kind: "slack.survey_invite", recipientId: { in: [recent.personId, old.personId] } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      idempotencyKey: `survey:${response?.id}`,
      target: recent.userId,
      subjectType: "survey_response",
      subjectId: response?.id,
      notBefore: dueAt,
      payload: { type: "slack.survey_invite", surveyResponseId: response?.id },
    });
  });

  it("validates survey answers against the survey's questions, for its owner only; answering again replaces", async () => {
    const base = nextBase();
    const owner = await join({ leftOn: new Date(base - 90 * DAY) });
    const other = await join();
    await planExitSurveys({ prisma: db.prisma, now: new Date(base), offsetsMs: SURVEY_OFFSETS, horizonMs: HORIZON });
    const { id } = await db.prisma.surveyResponse.findFirstOrThrow({ where: { personId: owner.personId } });
    const submit = (personId: string, answers: Record<string, string>, surveyResponseId = id) =>
      submitSurveyAnswers({ prisma: db.prisma, personId, surveyResponseId, answers });

    const invalid = await errorOf(
      submit(owner.personId, { satisfaction: "6", comment: "あ".repeat(1001), bogus: "x" } as Record<string, string>),
    );
    expect(invalid.code).toBe("validation");
    expect(fieldKeys(invalid)).toEqual({
      satisfaction: "survey.invalidChoice",
      would_return: "validation.required",
      comment: "validation.tooLong",
      bogus: "survey.unknownQuestion",
    });
    expect(invalid.fields.comment?.params).toEqual({ max: 1000 });
    expect((await errorOf(submit(other.personId, { satisfaction: "5", would_return: "yes" }))).code).toBe("forbidden");
    expect((await errorOf(submit(owner.personId, { satisfaction: "5" }, "not-a-uuid"))).code).toBe("not_found");
    expect(
      (await errorOf(submit(owner.personId, { satisfaction: "5" }, "00000000-0000-4000-8000-000000000000"))).code,
    ).toBe("not_found");
    expect(await db.prisma.surveyAnswer.count({ where: { responseId: id } })).toBe(0);

    const first = await submit(owner.personId, { satisfaction: "4", would_return: "maybe", comment: "  ありがとう  " });
    expect(first).toMatchObject({ resubmitted: false, answered: 3, kind: "post_exit" });
    const again = await Promise.all([
      submit(owner.personId, { satisfaction: "5", would_return: "yes", comment: "" }),
      submit(owner.personId, { satisfaction: "5", would_return: "yes" }),
    ]);
    expect(again.map((r) => r.resubmitted)).toEqual([true, true]);
    const answers = await db.prisma.surveyAnswer.findMany({
      where: { responseId: id },
      orderBy: { questionKey: "asc" },
    });
    expect(answers.map((a) => [a.questionKey, a.value])).toEqual([
      ["satisfaction", "5"],
      ["would_return", "yes"],
    ]);
    expect((await db.prisma.surveyResponse.findUniqueOrThrow({ where: { id } })).submittedAt).not.toBeNull();
  });

  it("summarises survey results for hr only: counts and anonymous comments", async () => {
    const base = nextBase();
    const names = ["Summary Alice", "Summary Bob", "Summary Carol"];
    const members = [];
    for (const name of names) members.push(await join({ leftOn: new Date(base - 90 * DAY), name }));
    await planExitSurveys({ prisma: db.prisma, now: new Date(base), offsetsMs: SURVEY_OFFSETS, horizonMs: HORIZON });
    const answers: Record<string, string>[] = [
      { satisfaction: "5", would_return: "yes", comment: "Great team" },
      { satisfaction: "3", would_return: "yes" },
    ];
    for (const [i, a] of answers.entries()) {
      const member = members[i];
      if (!member) continue;
      const r = await db.prisma.surveyResponse.findFirstOrThrow({ where: { personId: member.personId } });
      await submitSurveyAnswers({
        prisma: db.prisma,
        personId: member.personId,
        surveyResponseId: r.id,
        answers: a,
        now: new Date(base + i * MIN),
      });
    }
    const hr = await db.prisma.person.create({ data: { displayName: "HR", roles: { create: { role: "hr" } } } });
    const cm = await db.prisma.person.create({ data: { displayName: "CM", roles: { create: { role: "cm" } } } });
    expect((await errorOf(summarizeSurveyResults({ prisma: db.prisma, actorId: cm.id }))).code).toBe("forbidden");
    expect(
      (await errorOf(summarizeSurveyResults({ prisma: db.prisma, actorId: members[0]?.personId ?? "" }))).code,
    ).toBe("forbidden");

    const summary = await summarizeSurveyResults({ prisma: db.prisma, actorId: hr.id });
    const ninety = summary.find((s) => s.surveyKey === "post_exit" && s.offsetDays === 90);
    // Earlier tests in this file added invitations and answers of their own; count what this one added.
    expect(ninety).toBeDefined();
    expect(ninety?.invited).toBeGreaterThanOrEqual(3);
    expect(ninety?.answered).toBeGreaterThanOrEqual(2);
    expect(Object.keys(ninety?.choices ?? {})).toEqual(["satisfaction", "would_return"]);
    expect(Object.keys(ninety?.choices.satisfaction ?? {})).toEqual(["1", "2", "3", "4", "5"]);
    expect(ninety?.choices.would_return?.yes).toBeGreaterThanOrEqual(2);
    expect(ninety?.comments[0]).toEqual({ question: "comment", text: "Great team" });
    const json = JSON.stringify(summary);
    for (const m of members) expect(json).not.toContain(m.personId);
    for (const name of names) expect(json).not.toContain(name);
    expect(json).not.toContain(TEAM);
  });

  it("queues the weekly digest once per week per notify-here conversation", async () => {
    const tag = `${engine}-digest`;
    const here = [await conversation(`19:hr-a-${tag}@thread.tacv2`, true), await conversation(`19:hr-b-${tag}`, true)];
    const quiet = await conversation(`19:quiet-${tag}@thread.tacv2`, false);
    const targets = [...here, quiet].map((c) => c.conversationId);
    const mine = () => outbox({ kind: "teams.weekly_digest", target: { in: targets } });
    const base = nextBase();
    // The first Monday 09:00 (Tokyo) at or after base.
    let monday = base;
    while (new Date(monday).getUTCDay() !== 1) monday += DAY;

    const s = scheduler();
    const justAfter = new Date(monday + MIN);
    await Promise.all([
      s.runOnce(justAfter),
      scheduler().runOnce(justAfter),
      planWeeklyDigest({ prisma: db.prisma, now: justAfter, horizonMs: HORIZON, timeZone: "Asia/Tokyo" }),
    ]);
    let rows = await mine();
    const weekStart = new Date(monday - 7 * DAY).toISOString().slice(0, 10);
    expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(
      here.map((c) => `digest:${weekStart}:${c.conversationId}`).sort(),
    );
    expect(rows[0]).toMatchObject({
      platform: "teams",
      operation: "post",
      notBefore: new Date(monday),
      payload: { type: "teams.weekly_digest", weekStart },
    });
    await s.runOnce(new Date(monday + 3 * DAY));
    expect(await mine()).toHaveLength(2);
    // One tick before next Monday 09:00: queued ahead, held until then.
    await s.runOnce(new Date(monday + 7 * DAY - HORIZON / 2));
    rows = await mine();
    expect(rows).toHaveLength(4);
    const next = rows.filter((r) => (r.payload as { weekStart: string }).weekStart !== weekStart);
    expect(next.map((r) => r.notBefore)).toEqual([new Date(monday + 7 * DAY), new Date(monday + 7 * DAY)]);

    const digest = await buildWeeklyDigest({ prisma: db.prisma, weekStart, timeZone: "Asia/Tokyo" });
    expect(digest).toMatchObject({
      weekStart,
      from: new Date(monday - 7 * DAY - 9 * HOUR),
      to: new Date(monday - 9 * HOUR),
      referrals: { total: 0 },
      rsvps: { total: 0, byResponse: { going: 0, maybe: 0, not_going: 0 } },
    });
  });

  it("counts the week's activity in the digest, with no personal data", async () => {
    const m = await join({ name: "Digest Person" });
    const posting = await db.prisma.posting.create({
      data: { kind: "job", status: "open", title: "Job", description: "d", publishedAt: new Date() },
    });
    await db.prisma.interest.create({ data: { postingId: posting.id, personId: m.personId } });
    await db.prisma.referral.create({
      data: { referrerId: m.personId, candidateName: "Cand", candidateConsented: true, status: "contacted" },
    });
    // This week (Monday to Sunday in Tokyo), which contains what was just created.
    const tokyo = new Date(Date.now() + 9 * HOUR);
    const today = Date.UTC(tokyo.getUTCFullYear(), tokyo.getUTCMonth(), tokyo.getUTCDate());
    const weekStart = new Date(today - ((tokyo.getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
    const digest = await buildWeeklyDigest({ prisma: db.prisma, weekStart, timeZone: "Asia/Tokyo" });
    expect(digest.newMembers).toBeGreaterThanOrEqual(1);
    expect(digest.interests).toBeGreaterThanOrEqual(1);
    expect(digest.postingsPublished).toBeGreaterThanOrEqual(1);
    expect(digest.referrals.byStatus.contacted).toBeGreaterThanOrEqual(1);
    const json = JSON.stringify(digest);
    expect(json).not.toContain("Digest Person");
    expect(json).not.toContain(m.personId);
    expect(json).not.toContain("Cand");
  });

  it("catches up after downtime: a tick three days later queues everything that fell due meanwhile", async () => {
    // Down from Sunday 09:00 to Wednesday 09:00 (Tokyo): Monday's digest slot is missed too.
    let downAt = nextBase();
    while (new Date(downAt).getUTCDay() !== 0) downAt += DAY;
    const upAt = downAt + 3 * DAY;
    const conv = await conversation(`19:hr-${engine}-catchup@thread.tacv2`, true);
    // Due during the downtime: a 7-day reminder, a 90-day survey and a Monday digest.
    const ev = await event({ startsAt: downAt + 8 * DAY, createdAt: downAt - 10 * DAY });
    const goer = await join();
    await rsvp(ev.id, goer.personId, "going");
    const leaverDay = new Date(new Date(downAt - 89 * DAY).toISOString().slice(0, 10));
    const leaver = await join({ leftOn: leaverDay });

    const s = scheduler();
    await s.runOnce(new Date(downAt));
    const digestRows = () => outbox({ kind: "teams.weekly_digest", target: conv.conversationId });
    const digestsBefore = (await digestRows()).length;
    expect(await outbox({ subjectId: ev.id })).toHaveLength(0);
    expect(await db.prisma.surveyResponse.count({ where: { personId: leaver.personId } })).toBe(0);

    // The bot is down for three days, then comes back with one tick.
    const report = await s.runOnce(new Date(upAt));
    expect(report.ok).toBe(true);
    const reminders = await outbox({ subjectId: ev.id });
    expect(reminders.map((r) => [(r.payload as { offsetMs: number }).offsetMs, r.notBefore])).toEqual([
      [7 * DAY, new Date(downAt + DAY)],
    ]);
    const surveys = await db.prisma.surveyResponse.findMany({ where: { personId: leaver.personId } });
    expect(surveys.map((r) => r.dedupeKey)).toEqual([`post_exit:${leaver.personId}:${90 * DAY}`]);
    expect(await outbox({ kind: "slack.survey_invite", recipientId: leaver.personId })).toHaveLength(1);
    const digests = await digestRows();
    expect(digests).toHaveLength(digestsBefore + 1);
    const missed = digests.find((r) => r.notBefore.getTime() === downAt + DAY);
    expect(missed?.payload).toEqual({
      type: "teams.weekly_digest",
      weekStart: new Date(downAt - 6 * DAY).toISOString().slice(0, 10),
    });

    const cursors = await db.prisma.schedulerCursor.findMany({ orderBy: { job: "asc" } });
    expect(cursors.map((c) => c.job)).toEqual([
      "event_reminders",
      "exit_surveys",
      "homecoming_wishes",
      "prune_deliveries",
      "prune_roster",
      "weekly_digest",
    ]);
    for (const c of cursors) expect(c.lastRunAt.getTime()).toBeGreaterThanOrEqual(upAt);
  });

  it("the cron task runs a tick at start, and stop() waits for it", async () => {
    const fixed = new Date(nextBase());
    const s = startScheduler({
      prisma: db.prisma,
      config: { ...CONFIG, schedulerIntervalSeconds: 1 },
      logger,
      now: () => fixed,
    });
    await s.stop();
    const cursor = await db.prisma.schedulerCursor.findUniqueOrThrow({ where: { job: "weekly_digest" } });
    expect(cursor.lastRunAt.getTime()).toBeGreaterThanOrEqual(fixed.getTime());
    await expect(s.runOnce()).rejects.toThrow(/stopped/);
  });
});
