// The bridge end to end, in one process: HR publishes in Teams → the dispatcher
// announces in Slack; an alumnus says Interested in Slack → HR gets a card in
// Teams; HR closes the posting → the Slack announcement is edited in place; a
// Teams conversation that refuses the bot → dead letter → admins retry it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { ALUMNI_CHANNEL, type BotHarness, startBotHarness } from "../support/bot-harness.js";
import { adaptiveCards } from "../support/fake-connector.js";
import { personalConversationId, type TeamsUser, teamsUser } from "../support/teams-requests.js";

let h: BotHarness;
const admin = teamsUser("Admin Aoki");
let hr: TeamsUser;

beforeAll(async () => {
  h = await startBotHarness({ admins: [admin], env: { SLACK_CHANNEL_RATE: "off", TEAMS_CONVERSATION_RATE: "off" } });
  hr = h.teamsPerson("Hana HR", "hana.hr@corp.example");
  await h.teams.message(admin, "grant hr hana.hr@corp.example");
  await h.teams.message(hr, "help");
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

describe("bridge: Teams ⇄ Slack through the outbox", () => {
  let postingNumber = 0;

  it("a job HR publishes in Teams is announced in the Slack alumni channel, with its ref stored", async () => {
    const member = (userId: string, input: Record<string, unknown>) =>
      registerMember({
        prisma: h.db.prisma,
        user: { teamId: "T0ALUMNI1", userId },
        input: { displayName: userId, email: `${userId.toLowerCase()}@example.com`, locale: "en", ...input },
        consent: { accepted: true, version: CONSENT_VERSION, locale: "en" },
      });
    await member("UALERTGO1", { interests: ["job_alerts"], skills: "go, SQL" });
    await member("UALERTANY", { interests: ["job_alerts"] });
    await member("UALERTCOB", { interests: ["job_alerts"], skills: "COBOL" });
    await member("UALERTGIG", { interests: ["gig_alerts"], skills: "Go" });
    const res = await h.teams.invoke(hr, {
      verb: "posting.create",
      data: {
        verb: "posting.create",
        kind: "job",
        formId: "bridge-form-1",
        title: "Platform Engineer <!channel>",
        description: "Keep the bridge up.",
        workStyle: "remote",
        employmentType: "full_time",
        skills: "Go",
        publish: "true",
      },
    });
    expect(res.status).toBe(200);
    await drain();
    const post = await h.fakeSlack.waitFor("chat.postMessage", (c) => c.args.channel === ALUMNI_CHANNEL);
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain("Platform Engineer &lt;!channel&gt;");
    expect(blocks).not.toContain("<!channel>");
    expect(blocks).toContain("posting_interested");
    const posting = await h.db.prisma.posting.findFirstOrThrow({
      where: { title: { startsWith: "Platform Engineer" } },
    });
    postingNumber = posting.number;
    const ref = await h.db.prisma.platformMessageRef.findFirstOrThrow({
      where: { subjectId: posting.id, purpose: "announcement" },
    });
    expect(ref.slackChannel).toBe(ALUMNI_CHANNEL);
    expect((await h.db.prisma.outboxMessage.findFirstOrThrow({ where: { subjectId: posting.id } })).status).toBe(
      "sent",
    );
  });

  it("an alumnus's Interested reaches HR as a card in the conversation the posting came from", async () => {
    await registerMember({
      prisma: h.db.prisma,
      user: { teamId: "T0ALUMNI1", userId: "UBRIDGE01" },
      input: { displayName: "Bridget", email: "bridget@example.com", locale: "ja", hrFields: ["display_name"] },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    });
    const res = await h.slack.blockAction(
      "UBRIDGE01",
      { actionId: "posting_interested", value: String(postingNumber) },
      { channelId: ALUMNI_CHANNEL },
    );
    expect(res.status).toBe(200);
    const conversationId = personalConversationId(hr);
    for (let i = 0; i < 100 && (await h.db.prisma.outboxMessage.count({ where: { kind: "hr.interest" } })) === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const before = h.connector.sent(conversationId).length;
    await drain();
    const cards = h.connector
      .sent(conversationId)
      .slice(before)
      .flatMap((a) => adaptiveCards(a));
    const json = JSON.stringify(cards);
    expect(json).toContain("Bridget");
    expect(json).not.toContain("bridget@example.com");
    const row = await h.db.prisma.outboxMessage.findFirstOrThrow({ where: { kind: "hr.interest" } });
    expect(row.status).toBe("sent");
    expect(await h.db.prisma.platformMessageRef.count({ where: { outboxMessageId: row.id, platform: "teams" } })).toBe(
      1,
    );
  });

  it("closing the posting in Teams edits the original Slack announcement (chat.update on its ts)", async () => {
    const posting = await h.db.prisma.posting.findUniqueOrThrow({ where: { number: postingNumber } });
    const ref = await h.db.prisma.platformMessageRef.findFirstOrThrow({
      where: { subjectId: posting.id, purpose: "announcement" },
    });
    await h.teams.message(hr, `close ${postingNumber}`);
    await drain();
    const update = await h.fakeSlack.waitFor("chat.update", (c) => c.args.ts === ref.slackTs);
    expect(update.args.channel).toBe(ALUMNI_CHANNEL);
    const blocks = JSON.stringify(update.args.blocks);
    expect(blocks).toContain("募集終了");
    expect(blocks).not.toContain("posting_interested");
  });

  it("a conversation that refuses the bot dead-letters the card; admins list and retry it from Teams", async () => {
    const ghost = "19:removed-bot@thread.tacv2";
    await h.db.prisma.teamsConversationRef.create({
      data: {
        conversationId: ghost,
        conversationType: "channel",
        serviceUrl: h.connector.url,
        reference: {
          conversation: { id: ghost },
          serviceUrl: h.connector.url,
          channelId: "msteams",
          bot: { id: "28:alumni-bridge-bot" },
        },
        notifyHere: true,
      },
    });
    // botbuilder's client retries a few times itself before giving up: refuse every try.
    for (let i = 0; i < 20; i++) h.connector.failNext("POST", /removed-bot/, 403);
    const referral = await h.db.prisma.referral.create({
      data: { candidateName: "Nobody", candidateContact: "n@example.com", candidateConsented: true },
    });
    await h.db.prisma.outboxMessage.create({
      data: {
        idempotencyKey: `referral:${referral.id}:hr:${ghost}`,
        platform: "teams",
        operation: "post",
        kind: "hr.referral",
        target: ghost,
        subjectType: "referral",
        subjectId: referral.id,
        rateKey: `teams:conversation:${ghost}`,
        payload: { type: "hr.referral", referralId: referral.id, postingId: null },
      },
    });
    await drain();
    const row = await h.db.prisma.outboxMessage.findFirstOrThrow({ where: { target: ghost } });
    expect(row.status).toBe("dead");
    expect(row.lastError).toContain("403");
    h.connector.reset(); // the bot is back in that channel
    const list = await h.teams.message(admin, "failed deliveries");
    expect(list.status).toBe(200);
    const listing = JSON.stringify(h.connector.sent(personalConversationId(admin)).at(-1));
    expect(listing).toContain("hr.referral");
    expect(listing).toContain("delivery.retry");
    const hrTry = await h.teams.invoke(hr, { verb: "delivery.retry", data: { verb: "delivery.retry", id: row.id } });
    expect(JSON.stringify(hrTry.json)).toContain("権限がありません");
    const retry = await h.teams.invoke(admin, { verb: "delivery.retry", data: { verb: "delivery.retry", id: row.id } });
    expect(JSON.stringify(retry.json)).toContain("1 件");
    await drain();
    expect((await h.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("sent");
  });

  it("RSVP counts on an event's Slack announcement are kept current (batched edits)", async () => {
    const { scheduleEvent } = await import("../../src/core/events/schedule-event.js");
    const cmId = (await h.db.prisma.person.create({ data: { displayName: "CM", roles: { create: { role: "cm" } } } }))
      .id;
    const { event } = await scheduleEvent({
      prisma: h.db.prisma,
      actorId: cmId,
      input: {
        title: "Bridge homecoming",
        kind: "homecoming_day",
        startsAt: new Date(Date.now() + 10 * 86_400_000),
        timeZone: "Asia/Tokyo",
        place: "Tokyo",
        capacity: 30,
      },
      originConversationRefId: null,
      alumniChannelId: ALUMNI_CHANNEL,
      requestKey: "bridge-event",
    });
    await drain();
    const ref = await h.db.prisma.platformMessageRef.findFirstOrThrow({
      where: { subjectId: event.id, purpose: "announcement" },
    });
    const res = await h.slack.blockAction(
      "UBRIDGE01",
      { actionId: "event_rsvp_going", value: String(event.number) },
      { channelId: ALUMNI_CHANNEL },
    );
    expect(res.status).toBe(200);
    let row = null;
    for (let i = 0; i < 100 && !row; i++) {
      row = await h.db.prisma.outboxMessage.findFirst({
        where: { subjectId: event.id, idempotencyKey: { contains: ":counts:" } },
      });
      if (!row) await new Promise((r) => setTimeout(r, 20));
    }
    expect(row?.notBefore.getTime()).toBeGreaterThan(Date.now() - 1000);
    // Do not wait for the batch window in a test: make it due now.
    await h.db.prisma.outboxMessage.updateMany({
      where: { id: row?.id },
      data: { notBefore: new Date(), nextAttemptAt: new Date() },
    });
    await drain();
    const update = await h.fakeSlack.waitFor("chat.update", (c) => c.args.ts === ref.slackTs);
    expect(JSON.stringify(update.args.blocks)).toContain("参加 1");
  });

  it("erasure cancels what is still queued for that member: nothing reaches them afterwards", async () => {
    const { eraseMember } = await import("../../src/core/members/erase-member.js");
    const { member } = await registerMember({
      prisma: h.db.prisma,
      user: { teamId: "T0ALUMNI1", userId: "UERASED01" },
      input: { displayName: "Gone Soon", email: "gone@example.com", locale: "ja" },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    });
    const queued = await h.db.prisma.outboxMessage.create({
      data: {
        idempotencyKey: `broadcast:erase-test:${member.personId}`,
        platform: "slack",
        operation: "dm",
        kind: "slack.broadcast",
        target: "UERASED01",
        recipientId: member.personId,
        rateKey: "slack:T0ALUMNI1:dm",
        payload: { type: "slack.broadcast", broadcastId: "erase-test", text: "Hello", senderName: null },
      },
    });
    await eraseMember({ prisma: h.db.prisma, personId: member.personId });
    await drain();
    expect(h.fakeSlack.callsTo("chat.postMessage").filter((c) => c.args.channel === "UERASED01")).toHaveLength(0);
    const row = await h.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row.status).toBe("cancelled");
    // Its key no longer names the member (see test/integration/erasure-scan.test.ts).
    expect(row.idempotencyKey).toBe(`erased:${queued.id}`);
  });

  it("/healthz reports the dispatcher's lag and dead letters", async () => {
    const res = await fetch(`${h.app.url}/healthz`);
    const body = (await res.json()) as { dispatcher: { lagSeconds: number; due: number; dead: number } };
    expect(res.status).toBe(200);
    expect(body.dispatcher).toMatchObject({ due: 0, dead: 0 });
    expect(typeof body.dispatcher.lagSeconds).toBe("number");
  });
});
