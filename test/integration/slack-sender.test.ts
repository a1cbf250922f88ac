// The Slack sender on PGlite against the fake Slack Web API: every Slack payload
// rendered at send time in ja and en (escaping, buttons present or not), posts
// returning where they landed, updates editing the announcement's message, and
// Slack's failures mapped to the dispatcher's failure kinds without client retries.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { eraseMember } from "../../src/core/members/erase-member.js";
import { registerMember } from "../../src/core/members/register-member.js";
import type { Database } from "../../src/db/database.js";
import type { TOutboxPayload } from "../../src/delivery/messages.js";
import { formatDuration } from "../../src/delivery/render-slack.js";
import { DeliveryError, type SendOutcome } from "../../src/delivery/sender.js";
import { ANNOUNCEMENT_PURPOSE, createSlackDeliveryClient, SlackSender } from "../../src/delivery/slack-sender.js";
import type { OutboxOperation, Posting, RsvpResponse } from "../../src/generated/prisma/client.js";
import type { Locale } from "../../src/i18n/index.js";
import { type FakeSlack, type SlackCall, startFakeSlack } from "../support/fake-slack.js";
import { openMigratedPglite } from "../support/pglite.js";

const TEAM = "T0ALUMNI1";
const CHANNEL = "C0ALUMNI1";
const DAY = 86_400_000;
const EVIL = "<!channel> & <https://evil.example|bank>";

type Block = { type: string; elements?: Record<string, unknown>[] } & Record<string, unknown>;
type Button = { action_id: string; value?: string; text: { text: string }; style?: string };

/** Every `text` string anywhere in a call's blocks, in order. */
function textsOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) textsOf(v, out);
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "text" && typeof v === "string") out.push(v);
      else textsOf(v, out);
    }
  }
  return out;
}
const allText = (call: SlackCall) => textsOf(call.args.blocks).join("\n");
const buttonsOf = (call: SlackCall): Button[] =>
  (call.args.blocks as Block[])
    .filter((b) => b.type === "actions")
    .flatMap((b) => (b.elements ?? []) as unknown as Button[]);
const actionIds = (call: SlackCall) => buttonsOf(call).map((b) => b.action_id);

describe("SlackSender", () => {
  let db: Database;
  let fake: FakeSlack;
  const senders = {} as Record<Locale, SlackSender>;
  const members = {} as Record<Locale, { personId: string; userId: string }>;
  const others: string[] = [];
  /** What the fake answered chat.postMessage with, in order. */
  const given: { channel: string; ts: string }[] = [];
  let seq = 0;

  const join = async (userId: string, locale: Locale) => {
    const r = await registerMember({
      prisma: db.prisma,
      user: { teamId: TEAM, userId },
      input: { locale, displayName: userId, email: `${userId.toLowerCase()}@example.com` },
      consent: { accepted: true, version: CONSENT_VERSION, locale },
    });
    return r.member.personId;
  };

  const outbox = (options: {
    operation: OutboxOperation;
    target: string;
    payload: TOutboxPayload;
    recipientId?: string;
    subjectType?: string;
    subjectId?: string;
  }) =>
    db.prisma.outboxMessage.create({
      data: {
        idempotencyKey: `test:${++seq}`,
        platform: "slack",
        operation: options.operation,
        kind: options.payload.type,
        target: options.target,
        recipientId: options.recipientId ?? null,
        subjectType: options.subjectType ?? null,
        subjectId: options.subjectId ?? null,
        payload: options.payload,
        rateKey: `slack:${options.target}`,
      },
    });

  const dmTo = (locale: Locale, payload: TOutboxPayload) =>
    outbox({ operation: "dm", target: members[locale].userId, recipientId: members[locale].personId, payload });

  /** Send and return the outcome and the one Slack call it made. */
  const sendOne = async (sender: SlackSender, row: Awaited<ReturnType<typeof outbox>>) => {
    fake.reset();
    const outcome = await sender.send(row);
    expect(fake.calls).toHaveLength(1);
    return { outcome, call: fake.calls[0] as SlackCall };
  };

  const failure = async (promise: Promise<SendOutcome>): Promise<DeliveryError> => {
    const err = await promise.then(
      () => {
        throw new Error("expected a DeliveryError");
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryError);
    return err as DeliveryError;
  };

  const posting = (data: Partial<Posting> = {}) =>
    db.prisma.posting.create({
      data: {
        kind: "job",
        status: "open",
        title: `Backend engineer ${EVIL}`,
        description: "Payments platform, TypeScript and PostgreSQL.",
        location: "Tokyo",
        skills: ["TypeScript"],
        publishedAt: new Date(),
        ...data,
      },
    });

  const event = async (rsvps: RsvpResponse[] = [], data: { status?: "cancelled"; title?: string } = {}) => {
    const created = await db.prisma.event.create({
      data: {
        kind: "homecoming_day",
        title: data.title ?? "ホームカミングデー 2026",
        startsAt: new Date(Date.now() + 10 * DAY),
        timeZone: "Asia/Tokyo",
        place: "本社 20F",
        capacity: 80,
        ...(data.status ? { status: data.status, cancelledAt: new Date() } : {}),
      },
    });
    for (const [i, response] of rsvps.entries()) {
      await db.prisma.rsvp.create({ data: { eventId: created.id, personId: others[i] as string, response } });
    }
    return created;
  };

  const surveyResponse = async (personId: string, eventId: string | null = null) => {
    const survey = await db.prisma.survey.upsert({
      where: { key: "post_exit_90d" },
      create: { key: "post_exit_90d", kind: "post_exit", questions: [] },
      update: {},
    });
    return db.prisma.surveyResponse.create({
      data: { surveyId: survey.id, personId, eventId, dedupeKey: `survey:${++seq}`, dueAt: new Date() },
    });
  };

  beforeAll(async () => {
    db = await openMigratedPglite();
    fake = await startFakeSlack({ teamId: TEAM });
    // The default answer, but remembering what was handed out.
    let n = 0;
    fake.handle("chat.postMessage", (args) => {
      const channel = String(args.channel);
      const answer = {
        channel: /^[UW]/.test(channel) ? `D${channel}` : channel,
        ts: `1800000000.${String(++n).padStart(6, "0")}`,
      };
      given.push(answer);
      return { ...answer, message: { text: args.text, ts: answer.ts } };
    });
    const client = createSlackDeliveryClient({ token: "xoxb-delivery", apiUrl: fake.apiUrl });
    senders.ja = new SlackSender({ prisma: db.prisma, client, defaultLocale: "ja" });
    senders.en = new SlackSender({ prisma: db.prisma, client, defaultLocale: "en" });
    members.ja = { personId: await join("U0JAPANESE", "ja"), userId: "U0JAPANESE" };
    members.en = { personId: await join("U0ENGLISH1", "en"), userId: "U0ENGLISH1" };
    for (const id of ["U0OTHER001", "U0OTHER002", "U0OTHER003"]) others.push(await join(id, "ja"));
  });
  afterAll(async () => {
    await fake?.close();
    await db?.close();
  });
  beforeEach(() => fake.reset());

  describe.each([
    {
      locale: "ja" as const,
      newJob: "新しい求人",
      closed: "募集終了",
      updated: "更新",
      newEvent: "イベントのお知らせ",
      counts: "参加 2 ・ 未定 1 ・ 定員 80",
      cancelled: "中止",
      cancelledDm: "は中止になりました",
      referral: ["R", "山田 花子", "選考中", "Backend engineer"],
      from: "人事部 佐藤 より",
      alert: "お知らせ設定に合う新しい募集",
      reminder: "1日後に始まります",
      going: "✓ 参加",
      yourAnswer: "あなたの回答: 参加",
      wish: "会いたい人はいますか",
      wishButton: "会いたい人を伝える",
      survey: "退職後アンケート",
      surveyButton: "アンケートに回答する",
    },
    {
      locale: "en" as const,
      newJob: "New job",
      closed: "Closed",
      updated: "Updated",
      newEvent: "New event",
      counts: "Going 2 · Maybe 1 · Capacity 80",
      cancelled: "Cancelled",
      cancelledDm: "has been cancelled",
      referral: ["R", "山田 花子", "Interviewing", "Backend engineer"],
      from: "From 人事部 佐藤",
      alert: "A new posting matches your alerts",
      reminder: "starts in 1 day",
      going: "✓ Going",
      yourAnswer: "Going",
      wish: "anyone you would like to see",
      wishButton: "Tell us who",
      survey: "post-exit survey",
      surveyButton: "Answer the survey",
    },
  ])("in $locale", (L) => {
    const sender = () => senders[L.locale];

    it("announces a posting in the channel with Interested and Refer, title escaped", async () => {
      const p = await posting();
      const row = await outbox({
        operation: "post",
        target: CHANNEL,
        subjectType: "posting",
        subjectId: p.id,
        payload: { type: "slack.posting_announcement", postingId: p.id },
      });
      const { outcome, call } = await sendOne(sender(), row);
      expect(call.method).toBe("chat.postMessage");
      expect(call.args).toMatchObject({ channel: CHANNEL, unfurl_links: "false", unfurl_media: "false" });
      const text = allText(call);
      expect(text).toContain(L.newJob);
      expect(text).toContain(`#${p.number} Backend engineer &lt;!channel&gt; &amp; &lt;https://evil.example|bank&gt;`);
      expect(JSON.stringify(call.args)).not.toContain("<!channel>");
      expect(JSON.stringify(call.args)).not.toContain("<https://evil");
      expect(actionIds(call)).toEqual(["posting_interested", "posting_refer"]);
      expect(buttonsOf(call)[0]?.value).toBe(String(p.number));
      // Where the fake said it landed.
      const landed = given.at(-1);
      expect(landed?.channel).toBe(CHANNEL);
      expect(outcome).toEqual({
        status: "sent",
        ref: { platform: "slack", slackChannel: CHANNEL, slackTs: landed?.ts },
      });
    });

    it("edits the announcement: closed without buttons, edited with them", async () => {
      const p = await posting({ status: "closed", closedAt: new Date(), version: 2 });
      const announcedTs = `1700000000.${String(p.number).padStart(6, "0")}`;
      await db.prisma.platformMessageRef.create({
        data: {
          platform: "slack",
          subjectType: "posting",
          subjectId: p.id,
          purpose: ANNOUNCEMENT_PURPOSE,
          slackChannel: "C0ANNOUNCE",
          slackTs: announcedTs,
        },
      });
      const update = () =>
        outbox({
          operation: "update",
          target: CHANNEL,
          subjectType: "posting",
          subjectId: p.id,
          payload: { type: "slack.posting_update", postingId: p.id, version: 2 },
        });
      const closed = await sendOne(sender(), await update());
      expect(closed.outcome).toEqual({ status: "sent" });
      expect(closed.call.method).toBe("chat.update");
      expect(closed.call.args).toMatchObject({ channel: "C0ANNOUNCE", ts: announcedTs });
      expect(allText(closed.call)).toContain(L.closed);
      expect(allText(closed.call)).toContain("&lt;!channel&gt;");
      expect(actionIds(closed.call)).not.toContain("posting_interested");
      expect(actionIds(closed.call)).toEqual([]);

      await db.prisma.posting.update({ where: { id: p.id }, data: { status: "open", closedAt: null, version: 3 } });
      const edited = await sendOne(sender(), await update());
      expect(edited.call.args).toMatchObject({ channel: "C0ANNOUNCE", ts: announcedTs });
      expect(allText(edited.call)).toContain(L.updated);
      expect(allText(edited.call)).not.toContain(L.closed);
      expect(actionIds(edited.call)).toEqual(["posting_interested", "posting_refer"]);
    });

    it("announces an event with its current counts and RSVP buttons; a cancelled one without", async () => {
      const e = await event(["going", "going", "maybe"]);
      const { call } = await sendOne(
        sender(),
        await outbox({
          operation: "post",
          target: CHANNEL,
          subjectType: "event",
          subjectId: e.id,
          payload: { type: "slack.event_announcement", eventId: e.id },
        }),
      );
      expect(allText(call)).toContain(L.newEvent);
      expect(allText(call)).toContain(L.counts);
      expect(actionIds(call)).toEqual(["event_rsvp_going", "event_rsvp_maybe", "event_rsvp_not_going"]);
      expect(buttonsOf(call).some((b) => b.text.text.startsWith("✓"))).toBe(false);

      await db.prisma.event.update({ where: { id: e.id }, data: { status: "cancelled", version: 2 } });
      await db.prisma.platformMessageRef.create({
        data: {
          platform: "slack",
          subjectType: "event",
          subjectId: e.id,
          purpose: ANNOUNCEMENT_PURPOSE,
          slackChannel: CHANNEL,
          slackTs: given.at(-1)?.ts as string,
        },
      });
      const updated = await sendOne(
        sender(),
        await outbox({
          operation: "update",
          target: CHANNEL,
          subjectType: "event",
          subjectId: e.id,
          payload: { type: "slack.event_update", eventId: e.id, version: 2 },
        }),
      );
      expect(updated.call.method).toBe("chat.update");
      expect(updated.call.args.ts).toBe(given.at(-1)?.ts);
      expect(allText(updated.call)).toContain(L.cancelled);
      expect(actionIds(updated.call).filter((id) => id.startsWith("event_rsvp_"))).toEqual([]);
    });

    it("DMs that an event was cancelled", async () => {
      const e = await event([], { status: "cancelled", title: `Meetup ${EVIL}` });
      const { outcome, call } = await sendOne(
        sender(),
        await dmTo(L.locale, { type: "slack.event_cancelled", eventId: e.id }),
      );
      expect(call.args.channel).toBe(members[L.locale].userId);
      expect(outcome).toMatchObject({ status: "sent", ref: { slackChannel: `D${members[L.locale].userId}` } });
      expect(allText(call)).toContain(L.cancelledDm);
      expect(String(call.args.text)).toContain("&lt;!channel&gt;");
      expect(JSON.stringify(call.args)).not.toContain("<!channel>");
      expect(actionIds(call)).toEqual([]);
    });

    it("DMs a referral's new status to the referrer", async () => {
      const p = await posting();
      const referral = await db.prisma.referral.create({
        data: {
          postingId: p.id,
          referrerId: members[L.locale].personId,
          candidateName: "山田 花子",
          candidateConsented: true,
          status: "interviewing",
        },
      });
      const change = await db.prisma.referralStatusChange.create({
        data: { referralId: referral.id, fromStatus: "received", toStatus: "interviewing" },
      });
      const { call } = await sendOne(
        sender(),
        await dmTo(L.locale, { type: "slack.referral_status", referralId: referral.id, changeId: change.id }),
      );
      const text = allText(call);
      expect(text).toContain(`R${referral.number}`);
      for (const piece of L.referral) expect(text).toContain(piece);
      expect(text).toContain(`#${p.number}`);
      expect(text).not.toContain("<!channel>");
    });

    it("DMs a broadcast, escaped, with its sender", async () => {
      const { call } = await sendOne(
        sender(),
        await dmTo(L.locale, {
          type: "slack.broadcast",
          broadcastId: "b-1",
          text: `Homecoming news ${EVIL} @here`,
          senderName: "人事部 佐藤",
        }),
      );
      expect(allText(call)).toContain("Homecoming news &lt;!channel&gt; &amp; &lt;https://evil.example|bank&gt;");
      expect(allText(call)).toContain("@\u2060here");
      expect(allText(call)).toContain(L.from);
      expect(JSON.stringify(call.args)).not.toContain("<!channel>");
    });

    it("DMs a job alert with the posting and its buttons", async () => {
      const p = await posting({ kind: "gig", title: "Data analysis (side gig)" });
      const { call } = await sendOne(sender(), await dmTo(L.locale, { type: "slack.job_alert", postingId: p.id }));
      expect(allText(call)).toContain(L.alert);
      expect(allText(call)).toContain(`#${p.number} Data analysis (side gig)`);
      expect(actionIds(call)).toEqual(["posting_interested", "posting_refer"]);
    });

    it("DMs an event reminder with the member's own answer", async () => {
      const e = await event(["maybe"]);
      await db.prisma.rsvp.create({ data: { eventId: e.id, personId: members[L.locale].personId, response: "going" } });
      const { call } = await sendOne(
        sender(),
        await dmTo(L.locale, { type: "slack.event_reminder", eventId: e.id, offsetMs: DAY }),
      );
      expect(allText(call)).toContain(L.reminder);
      expect(allText(call)).toContain(L.yourAnswer);
      const going = buttonsOf(call).find((b) => b.action_id === "event_rsvp_going");
      expect(going).toMatchObject({ style: "primary", value: String(e.number) });
      expect(going?.text.text).toBe(L.going);
      expect(buttonsOf(call).filter((b) => b.style === "primary")).toHaveLength(1);
    });

    it("DMs the homecoming wish question with its button", async () => {
      const e = await event();
      const response = await surveyResponse(members[L.locale].personId, e.id);
      const { call } = await sendOne(
        sender(),
        await dmTo(L.locale, { type: "slack.homecoming_wish", eventId: e.id, surveyResponseId: response.id }),
      );
      expect(allText(call)).toContain(L.wish);
      expect(buttonsOf(call)).toEqual([
        expect.objectContaining({
          action_id: "open_homecoming_wish",
          value: response.id,
          text: expect.objectContaining({ text: L.wishButton }),
        }),
      ]);
    });

    it("DMs a survey invitation with its button", async () => {
      const response = await surveyResponse(members[L.locale].personId);
      const { call } = await sendOne(
        sender(),
        await dmTo(L.locale, { type: "slack.survey_invite", surveyResponseId: response.id }),
      );
      expect(allText(call)).toContain(L.survey);
      expect(buttonsOf(call)).toEqual([
        expect.objectContaining({
          action_id: "open_survey",
          value: response.id,
          text: expect.objectContaining({ text: L.surveyButton }),
        }),
      ]);
    });
  });

  it("formats reminder offsets in days and hours", () => {
    expect(formatDuration("ja", 7 * DAY)).toBe("7日");
    expect(formatDuration("en", 7 * DAY)).toBe("7 days");
    expect(formatDuration("ja", DAY + 12 * 3_600_000)).toBe("1日12時間");
    expect(formatDuration("en", 2 * 3_600_000)).toBe("2 hours");
    expect(formatDuration("en", 30 * 60_000)).toBe("30 minutes");
  });

  it("skips what no longer exists or is already done", async () => {
    const p = await posting({ status: "closed" });
    const alert = await dmTo("ja", { type: "slack.job_alert", postingId: p.id });
    expect(await senders.ja.send(alert)).toMatchObject({ status: "skipped" });
    const response = await surveyResponse(members.ja.personId);
    await db.prisma.surveyResponse.update({ where: { id: response.id }, data: { submittedAt: new Date() } });
    const invite = await dmTo("ja", { type: "slack.survey_invite", surveyResponseId: response.id });
    expect(await senders.ja.send(invite)).toMatchObject({ status: "skipped" });
    const gone = await outbox({
      operation: "post",
      target: CHANNEL,
      payload: { type: "slack.event_announcement", eventId: "00000000-0000-4000-8000-000000000000" },
    });
    expect(await senders.ja.send(gone)).toMatchObject({ status: "skipped" });
    expect(fake.calls).toEqual([]);
  });

  it("skips a DM to a member erased after it was queued", async () => {
    const personId = await join("U0ERASED01", "en");
    const row = await outbox({
      operation: "dm",
      target: "U0ERASED01",
      recipientId: personId,
      payload: { type: "slack.broadcast", broadcastId: "b-2", text: "hello", senderName: null },
    });
    await eraseMember({ prisma: db.prisma, personId });
    const erasedRow = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(await senders.en.send(erasedRow)).toMatchObject({ status: "skipped" });
    // Even the row as it was queued (before erasure emptied it).
    expect(await senders.en.send(row)).toMatchObject({ status: "skipped" });
    expect(fake.calls).toEqual([]);
  });

  it("retries an update whose announcement is not sent yet (transient), without calling Slack", async () => {
    const p = await posting({ version: 2 });
    const row = await outbox({
      operation: "update",
      target: CHANNEL,
      subjectType: "posting",
      subjectId: p.id,
      payload: { type: "slack.posting_update", postingId: p.id, version: 2 },
    });
    const err = await failure(senders.ja.send(row));
    expect(err.kind).toBe("transient");
    expect(fake.calls).toEqual([]);
  });

  it("reports a 429 as rate_limited with Retry-After, and the client does not retry", async () => {
    const p = await posting();
    const row = await outbox({
      operation: "post",
      target: CHANNEL,
      subjectType: "posting",
      subjectId: p.id,
      payload: { type: "slack.posting_announcement", postingId: p.id },
    });
    fake.failNext("chat.postMessage", "ratelimited", 1, 7);
    const started = Date.now();
    const err = await failure(senders.ja.send(row));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.kind).toBe("rate_limited");
    expect(err.retryAfterMs).toBe(7_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("maps Slack's errors: channel_not_found and message_not_found permanent, fatal_error and network transient", async () => {
    const p = await posting({ version: 2 });
    const post = await outbox({
      operation: "post",
      target: "C0NOWHERE",
      payload: { type: "slack.posting_announcement", postingId: p.id },
    });
    fake.failNext("chat.postMessage", "channel_not_found");
    expect((await failure(senders.ja.send(post))).kind).toBe("permanent");
    fake.failNext("chat.postMessage", "fatal_error");
    expect((await failure(senders.ja.send(post))).kind).toBe("transient");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);

    await db.prisma.platformMessageRef.create({
      data: {
        platform: "slack",
        subjectType: "posting",
        subjectId: p.id,
        purpose: ANNOUNCEMENT_PURPOSE,
        slackChannel: CHANNEL,
        slackTs: "1700000000.000999",
      },
    });
    const update = await outbox({
      operation: "update",
      target: CHANNEL,
      subjectType: "posting",
      subjectId: p.id,
      payload: { type: "slack.posting_update", postingId: p.id, version: 2 },
    });
    fake.failNext("chat.update", "message_not_found");
    expect((await failure(senders.ja.send(update))).kind).toBe("permanent");

    const offline = new SlackSender({
      prisma: db.prisma,
      client: createSlackDeliveryClient({ token: "xoxb-delivery", apiUrl: "http://127.0.0.1:9/api/" }),
      defaultLocale: "ja",
    });
    expect((await failure(offline.send(post))).kind).toBe("transient");
  });
});
