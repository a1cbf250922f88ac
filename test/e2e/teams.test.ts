// HR and community managers in Teams, end to end: Activities shaped like
// Teams' posted to /api/messages over real HTTP, replies going to a fake Bot
// Connector, the real CloudAdapter, bot, dialogs and database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { createReferral } from "../../src/core/referrals/create-referral.js";
import { renderSlackOutbox } from "../../src/delivery/render-slack.js";
import { renderTeamsOutbox } from "../../src/platforms/teams/render-outbox.js";
import { ALUMNI_CHANNEL, type BotHarness, startBotHarness } from "../support/bot-harness.js";
import { adaptiveCards, type SentActivity } from "../support/fake-connector.js";
import { mentionUser, personalConversationId, type TeamsUser, teamsUser } from "../support/teams-requests.js";

let h: BotHarness;

function nextDecember5At19Tokyo(now = new Date()): string {
  const thisYear = Date.UTC(now.getUTCFullYear(), 11, 5, 10, 0, 0);
  const at = thisYear - now.getTime() > 5 * 60_000 ? thisYear : Date.UTC(now.getUTCFullYear() + 1, 11, 5, 10, 0, 0);
  return new Date(at).toISOString();
}
const admin = teamsUser("Admin Aoki");
let hr: TeamsUser;
let cm: TeamsUser;
let outsider: TeamsUser;

beforeAll(async () => {
  h = await startBotHarness({ admins: [admin] });
  hr = h.teamsPerson("Hana HR", "hana.hr@corp.example");
  cm = h.teamsPerson("Kenta CM", "kenta.cm@corp.example");
  outsider = h.teamsPerson("Olivia Outsider");
});
afterAll(async () => {
  await h?.stop();
});

/** Send a message and return what the bot sent back in that conversation during the turn. */
async function say(user: TeamsUser, text: string, opts: Parameters<BotHarness["teams"]["message"]>[2] = {}) {
  const conversationId = opts.conversation?.id ?? personalConversationId(user);
  const before = h.connector.sent(conversationId).length;
  const res = await h.teams.message(user, text, opts);
  expect(res.status).toBe(200);
  return h.connector.sent(conversationId).slice(before);
}

function textOf(replies: SentActivity[]): string {
  return replies.map((r) => `${r.text ?? ""}${JSON.stringify(adaptiveCards(r))}`).join("\n");
}

async function invoke(user: TeamsUser, data: Record<string, unknown>, opts: { locale?: string } = {}) {
  const res = await h.teams.invoke(user, { verb: String(data.verb), data }, opts);
  expect(res.status).toBe(200);
  const body = res.json as { statusCode: number; type: string; value: Record<string, unknown> };
  expect(body.type).toBe("application/vnd.microsoft.card.adaptive");
  return { card: body.value, json: JSON.stringify(body.value) };
}

const validJob = {
  title: "Staff Engineer",
  description: "Build the alumni platform.",
  location: "Tokyo",
  workStyle: "hybrid",
  employmentType: "full_time",
  skills: "TypeScript, PostgreSQL",
  compensation: "",
  howToApply: "Reply in Slack",
  closesOn: "",
  publish: "true",
};

describe("Teams: authentication and roles", () => {
  it("refuses a request without a valid Bot Framework JWT when an app id is configured (401)", async () => {
    const secured = await startBotHarness({
      env: {
        MICROSOFT_APP_ID: "00000000-0000-0000-0000-00000000b0de",
        MICROSOFT_APP_PASSWORD: "not-a-real-secret",
        MICROSOFT_APP_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      },
    });
    try {
      const user = teamsUser("Mallory");
      const none = await secured.teams.message(user, "help");
      expect(none.status).toBe(401);
      const basic = await secured.teams.message(user, "help", { authorization: "Basic bWFsbG9yeTpwdw==" });
      expect(basic.status).toBe(401);
      const forged = await secured.teams.message(user, "help", { authorization: "Bearer not.a.jwt" });
      expect(forged.status).toBe(401);
      expect(secured.connector.sent()).toHaveLength(0);
      expect(await secured.db.prisma.teamsConversationRef.count()).toBe(0);
    } finally {
      await secured.stop();
    }
  });

  it("bootstraps admins from ADMIN_AAD_OBJECT_IDS; help shows only what the sender's role allows", async () => {
    const adminHelp = textOf(await say(admin, "help"));
    expect(adminHelp).toContain("grant hr|cm");
    expect(adminHelp).toContain("post job");
    const plain = textOf(await say(outsider, "help"));
    expect(plain).not.toContain("grant hr|cm");
    expect(plain).not.toContain("post job");
    expect(plain).toContain("権限");
  });

  it("refuses hr and admin commands to someone without the role, changing nothing", async () => {
    for (const command of [
      "post job Sneaky",
      "postings",
      "grant hr x@example.com",
      "schedule event",
      "broadcast",
      "returners",
    ]) {
      expect(textOf(await say(outsider, command)), command).toContain("権限がありません");
    }
    expect(await h.db.prisma.roleGrant.count({ where: { role: { in: ["hr", "cm"] } } })).toBe(0);
  });

  it("an admin grants hr by email (linked on first contact) and cm by @mention; roles lists them", async () => {
    expect(textOf(await say(admin, "grant hr hana.hr@corp.example"))).toContain("初めてボットに話しかけたとき");
    const mention = mentionUser(cm);
    expect(textOf(await say(admin, `grant cm ${mention.text}`, { mentions: [mention] }))).toContain(
      "権限を付与しました",
    );
    expect(textOf(await say(hr, "help"))).toContain("post job");
    expect(textOf(await say(cm, "help"))).toContain("schedule event");
    const roles = textOf(await say(admin, "roles"));
    expect(roles).toContain("hana.hr@corp.example");
    expect(roles).toContain("Kenta CM");
    expect(textOf(await say(hr, "grant hr someone@example.com"))).toContain("権限がありません");
  });
});

describe("Teams: HR posts openings", () => {
  let formId = "";
  it("post job with a title and description lines answers with the same card pre-filled", async () => {
    const replies = await say(hr, "post job Staff Engineer\nBuild the alumni platform.\nTypeScript welcome.");
    const [card] = adaptiveCards(replies[0] as SentActivity);
    const json = JSON.stringify(card);
    expect(json).toContain('"value":"Staff Engineer"');
    expect(json).toContain("Build the alumni platform.\\nTypeScript welcome.");
    const action = ((card?.actions ?? []) as { verb: string; data: { formId: string; kind: string } }[])[0];
    expect(action?.verb).toBe("posting.create");
    expect(action?.data.kind).toBe("job");
    formId = action?.data.formId ?? "";
    expect(formId).not.toBe("");
  });

  it("an invalid card comes back with errors on the card, and nothing is stored", async () => {
    const { json } = await invoke(hr, {
      verb: "posting.create",
      kind: "job",
      formId,
      ...validJob,
      title: "",
      workStyle: "sometimes",
    });
    expect(json).toContain("赤字の項目を確認してください");
    expect(json).toContain("入力してください");
    expect(json).toContain('"color":"Attention"');
    expect(json).toContain("Build the alumni platform.");
    expect(await h.db.prisma.posting.count()).toBe(0);
    expect(await h.db.prisma.outboxMessage.count({ where: { kind: "slack.posting_announcement" } })).toBe(0);
  });

  it("a valid card (Action.Execute) stores the posting with its conversation and queues the Slack announcement", async () => {
    const { json } = await invoke(hr, { verb: "posting.create", kind: "job", formId, ...validJob });
    expect(json).toContain("アルムナイのチャンネルに公開しました");
    expect(json).toContain("posting.close");
    expect(json).toContain("posting.edit");
    const posting = await h.db.prisma.posting.findFirstOrThrow({ include: { originConversation: true } });
    expect(posting).toMatchObject({
      title: "Staff Engineer",
      status: "open",
      kind: "job",
      skills: ["TypeScript", "PostgreSQL"],
    });
    expect(posting.originConversation?.conversationId).toBe(personalConversationId(hr));
    const rows = await h.db.prisma.outboxMessage.findMany({ where: { kind: "slack.posting_announcement" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ platform: "slack", target: ALUMNI_CHANNEL, subjectId: posting.id });
  });

  it("the same card submitted again (Action.Submit) applies once", async () => {
    const replies = await (async () => {
      const conversationId = personalConversationId(hr);
      const before = h.connector.sent(conversationId).length;
      const res = await h.teams.submit(hr, { verb: "posting.create", kind: "job", formId, ...validJob });
      expect(res.status).toBe(200);
      return h.connector.sent(conversationId).slice(before);
    })();
    expect(textOf(replies)).toContain("すでに送信済み");
    expect(await h.db.prisma.posting.count()).toBe(1);
    expect(await h.db.prisma.outboxMessage.count({ where: { kind: "slack.posting_announcement" } })).toBe(1);
  });

  it("a redelivered message activity is answered once", async () => {
    const activity = h.teams.buildMessage(hr, "postings");
    const conversationId = personalConversationId(hr);
    const before = h.connector.sent(conversationId).length;
    expect((await h.teams.post(activity)).status).toBe(200);
    expect((await h.teams.post(activity)).status).toBe(200);
    const replies = h.connector.sent(conversationId).slice(before);
    expect(replies).toHaveLength(1);
    expect(textOf(replies)).toContain("興味あり 0 件");
  });

  it("a redelivery long after the answer is still not answered again (the delivery is marked done)", async () => {
    const activity = h.teams.buildMessage(hr, "help");
    const conversationId = personalConversationId(hr);
    const before = h.connector.sent(conversationId).length;
    expect((await h.teams.post(activity)).status).toBe(200);
    const key = `teams:activity:${(activity.conversation as { id: string }).id}:${activity.id}`;
    // Marked done with the next turn's statement, or within a moment when none comes.
    await expect
      .poll(async () => (await h.db.prisma.processedDelivery.findUnique({ where: { key } }))?.response, {
        timeout: 5000,
      })
      .toEqual({ done: true });
    await h.db.prisma.$executeRaw`
      UPDATE processed_deliveries SET received_at = now() - interval '2 minutes' WHERE key = ${key}`;
    expect((await h.teams.post(activity)).status).toBe(200);
    expect(h.connector.sent(conversationId).slice(before)).toHaveLength(1);
  });

  it("writes a conversation's reference when something in it changed, not on every message", async () => {
    const conversationId = personalConversationId(hr);
    const stored = () => h.db.prisma.teamsConversationRef.findUniqueOrThrow({ where: { conversationId } });
    await say(hr, "help");
    const first = await stored();
    await say(hr, "help");
    expect((await stored()).updatedAt).toEqual(first.updatedAt);
    await say(hr, "help", { locale: "en-US" });
    const changed = await stored();
    expect(changed.updatedAt.getTime()).toBeGreaterThan(first.updatedAt.getTime());
    expect((changed.reference as { locale?: string }).locale).toBe("en-US");
    expect(changed.id).toBe(first.id);
  });

  it("close <id> closes it and queues the update of the Slack announcement; bad ids are refused", async () => {
    const posting = await h.db.prisma.posting.findFirstOrThrow();
    expect(textOf(await say(hr, "close abc"))).toContain("番号が正しくありません");
    expect(textOf(await say(hr, `close ${posting.number}`))).toContain("募集を終了しました");
    expect((await h.db.prisma.posting.findFirstOrThrow()).status).toBe("closed");
    expect(
      await h.db.prisma.outboxMessage.count({ where: { kind: "slack.posting_update", subjectId: posting.id } }),
    ).toBe(1);
    expect(textOf(await say(hr, `close ${posting.number}`))).toContain("すでに募集を終了");
  });
});

describe("Teams: referrals, returners, broadcasts", () => {
  let referralNumber = 0;
  beforeAll(async () => {
    const { member } = await registerMember({
      prisma: h.db.prisma,
      user: { teamId: "T0ALUMNI1", userId: "UREFERRER" },
      input: {
        displayName: "Rika Referrer",
        email: "rika@example.com",
        locale: "ja",
        currentEmployer: "Secret Corp",
        interests: ["open_to_return"],
        hrFields: ["display_name", "skills"],
        skills: "Design",
      },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    });
    const posting = await h.db.prisma.posting.create({
      data: { kind: "job", status: "open", title: "Designer", description: "d", publishedAt: new Date() },
    });
    referralNumber = (
      await createReferral({
        prisma: h.db.prisma,
        referrerId: member.personId,
        postingNumber: posting.number,
        input: { candidateName: "Kai Candidate", candidateContact: "kai@example.com", candidateConsented: true },
      })
    ).number;
  });

  it("a status change records who made it, updates the card and queues a DM to the referrer; a stale second click changes nothing", async () => {
    const data = { verb: "referral.status", number: referralNumber, status: "contacted", expected: "received" };
    const first = await invoke(hr, data);
    expect(first.json).toContain("連絡済み");
    expect(first.json).toContain("Kai Candidate");
    expect(first.json).toContain("Rika Referrer");
    expect(first.json).not.toContain("Secret Corp");
    expect(first.json).toContain("referral.status");
    const second = await invoke(hr, data);
    expect(second.json).toContain("他の担当者がすでに更新");
    const referral = await h.db.prisma.referral.findUniqueOrThrow({
      where: { number: referralNumber },
      include: { history: true },
    });
    expect(referral.status).toBe("contacted");
    const hrPerson = await h.db.prisma.teamsIdentity.findFirstOrThrow({
      where: { aadObjectId: hr.aadObjectId.toLowerCase() },
    });
    expect(referral.history.find((c) => c.toStatus === "contacted")?.changedById).toBe(hrPerson.personId);
    expect(
      await h.db.prisma.outboxMessage.count({ where: { kind: "slack.referral_status", subjectId: referral.id } }),
    ).toBe(1);
  });

  it("interest and referral cards for HR render at send time with only what the member allowed", async () => {
    const referral = await h.db.prisma.referral.findUniqueOrThrow({ where: { number: referralNumber } });
    // The posting came from no Teams conversation and nobody said "notify here" yet: nothing was queued.
    expect(await h.db.prisma.outboxMessage.count({ where: { kind: "hr.referral", subjectId: referral.id } })).toBe(0);
    const payload = { type: "hr.referral", referralId: referral.id, postingId: referral.postingId };
    const card = JSON.stringify(
      await renderTeamsOutbox({ prisma: h.db.prisma, payload, locale: "ja", timeZone: "Asia/Tokyo" }),
    );
    expect(card).toContain("Kai Candidate");
    expect(card).toContain("Rika Referrer");
    expect(card).not.toContain("Secret Corp");
    expect(card).not.toContain("rika@example.com");
    expect(card).toContain("referral.status");
    const member = await h.db.prisma.slackIdentity.findFirstOrThrow({ where: { userId: "UREFERRER" } });
    const posting = await h.db.prisma.posting.findFirstOrThrow({ where: { title: "Designer" } });
    const interest = await h.db.prisma.interest.create({ data: { postingId: posting.id, personId: member.personId } });
    const interestCard = JSON.stringify(
      await renderTeamsOutbox({
        prisma: h.db.prisma,
        payload: { type: "hr.interest", interestId: interest.id, postingId: posting.id, personId: member.personId },
        locale: "en",
        timeZone: "Asia/Tokyo",
      }),
    );
    expect(interestCard).toContain("Someone is interested");
    expect(interestCard).toContain("Designer");
    expect(interestCard).toContain("Design");
    expect(interestCard).not.toContain("Secret Corp");
  });

  it("someone without hr cannot act on a referral card", async () => {
    const { json } = await invoke(outsider, {
      verb: "referral.status",
      number: referralNumber,
      status: "hired",
      expected: "contacted",
    });
    expect(json).toContain("権限がありません");
    expect((await h.db.prisma.referral.findUniqueOrThrow({ where: { number: referralNumber } })).status).toBe(
      "contacted",
    );
  });

  it("returners shows only what each alumnus allowed HR to see", async () => {
    const json = textOf(await say(hr, "returners"));
    expect(json).toContain("Rika Referrer");
    expect(json).toContain("Design");
    expect(json).not.toContain("rika@example.com");
    expect(json).not.toContain("Secret Corp");
  });

  it("broadcast: the card shows the audience size, asks to confirm, then queues one DM per member once", async () => {
    const form = textOf(await say(cm, "broadcast"));
    expect(form).toContain("broadcast.preview");
    const empty = await invoke(cm, { verb: "broadcast.preview", segmentKind: "all", segmentValue: "", message: "" });
    expect(empty.json).toContain("入力してください");
    const preview = await invoke(cm, {
      verb: "broadcast.preview",
      segmentKind: "open_to_return",
      segmentValue: "",
      message: "Homecoming <!channel> soon",
    });
    expect(preview.json).toContain("1 名");
    const send = (preview.card.actions as { verb: string; data: Record<string, unknown> }[]).find(
      (a) => a.verb === "broadcast.send",
    );
    expect(send).toBeDefined();
    const done = await invoke(cm, send?.data ?? {});
    expect(done.json).toContain("1 名");
    await invoke(cm, send?.data ?? {});
    const rows = await h.db.prisma.outboxMessage.findMany({ where: { kind: "slack.broadcast" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ target: "UREFERRER", operation: "dm" });
  });
});

describe("Teams: community managers schedule events through a dialog", () => {
  it("walks the whole dialog, re-asking until each answer is right, in Japanese date forms", async () => {
    expect(textOf(await say(cm, "schedule event"))).toContain("イベント名を入力してください");
    expect(textOf(await say(cm, "Homecoming Day 2026"))).toContain("種類を選んでください");
    expect(textOf(await say(cm, "バーベキュー"))).toContain("1〜3 の番号");
    expect(textOf(await say(cm, "1"))).toContain("開始日時を入力してください");
    expect(textOf(await say(cm, "2020-01-01 19:00"))).toContain("5 分以上先");
    expect(textOf(await say(cm, "そのうち"))).toContain("⚠️");
    expect(textOf(await say(cm, "12月5日 19時"))).toContain("場所");
    expect(textOf(await say(cm, "東京本社 3F"))).toContain("定員");
    expect(textOf(await say(cm, "たくさん"))).toContain("⚠️");
    expect(textOf(await say(cm, "５０"))).toContain("説明");
    const summary = textOf(await say(cm, "なし"));
    expect(summary).toContain("Homecoming Day 2026");
    expect(summary).toContain("東京本社 3F");
    expect(summary).toContain("はい / いいえ");
    expect(await h.db.prisma.event.count()).toBe(0);
    expect(textOf(await say(cm, "はい"))).toContain("を登録しました");
    const event = await h.db.prisma.event.findFirstOrThrow();
    expect(event).toMatchObject({
      title: "Homecoming Day 2026",
      kind: "homecoming_day",
      place: "東京本社 3F",
      capacity: 50,
    });
    // 12月5日 19時 in Asia/Tokyo: the next 5 December from today.
    expect(event.startsAt.toISOString()).toBe(nextDecember5At19Tokyo());
    expect(
      await h.db.prisma.outboxMessage.count({ where: { kind: "slack.event_announcement", subjectId: event.id } }),
    ).toBe(1);
    // The dialog has ended: another "はい" is just an unknown command.
    expect(textOf(await say(cm, "はい"))).toContain("というコマンドはありません");
  });

  it("cancel at any step stops without saving; English works too", async () => {
    expect(textOf(await say(cm, "schedule event", { locale: "en-US" }))).toContain("What is it called?");
    expect(textOf(await say(cm, "Autumn meetup", { locale: "en-US" }))).toContain("What kind of event?");
    expect(textOf(await say(cm, "cancel", { locale: "en-US" }))).toContain("Nothing was saved");
    expect(await h.db.prisma.event.count()).toBe(1);
  });

  it("events lists RSVP counts; cancel event notifies everyone who answered", async () => {
    const event = await h.db.prisma.event.findFirstOrThrow();
    const person = await h.db.prisma.slackIdentity.findFirstOrThrow({ where: { userId: "UREFERRER" } });
    await h.db.prisma.rsvp.create({ data: { eventId: event.id, personId: person.personId, response: "going" } });
    expect(textOf(await say(cm, "events"))).toContain("参加 1");
    // Moving it: the announcement is edited, the member is told, waiting reminders move too.
    const reminderKey = `reminder:${event.id}:${person.personId}:3600000`;
    await h.db.prisma.outboxMessage.create({
      data: {
        idempotencyKey: reminderKey,
        platform: "slack",
        operation: "dm",
        kind: "slack.event_reminder",
        target: "UREFERRER",
        recipientId: person.personId,
        subjectType: "event",
        subjectId: event.id,
        rateKey: "slack:T0ALUMNI1:dm",
        notBefore: new Date(event.startsAt.getTime() - 3_600_000),
        payload: { type: "slack.event_reminder", eventId: event.id, offsetMs: 3_600_000 },
      },
    });
    expect(textOf(await say(cm, `move event ${event.number}`))).toContain("move event 12");
    expect(textOf(await say(cm, `move event ${event.number} そのうち`))).toContain("⚠️");
    expect(textOf(await say(hr, `move event ${event.number} 2099-01-01 10:00`))).toContain("権限がありません");
    const year = new Date(event.startsAt.getTime() + 9 * 3_600_000).getUTCFullYear();
    const moved = textOf(await say(cm, `move event ${event.number} ${year}年12月12日 18時`));
    expect(moved).toContain("1 名");
    const after = await h.db.prisma.event.findUniqueOrThrow({ where: { id: event.id } });
    expect(after.startsAt.getTime() - event.startsAt.getTime()).toBe(7 * 86_400_000 - 3_600_000);
    const changed = await h.db.prisma.outboxMessage.findFirstOrThrow({
      where: { subjectId: event.id, kind: "slack.event_changed" },
    });
    expect(changed).toMatchObject({ target: "UREFERRER", operation: "dm" });
    const dm = JSON.stringify(await renderSlackOutbox({ prisma: h.db.prisma, row: changed }));
    expect(dm).toContain("日時が変更されました");
    expect(dm).toContain("event_rsvp_going");
    const reminder = await h.db.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: reminderKey } });
    expect(reminder.notBefore.getTime()).toBe(after.startsAt.getTime() - 3_600_000);
    expect(textOf(await say(hr, `cancel event ${event.number}`))).toContain("権限がありません");
    expect(textOf(await say(cm, `cancel event ${event.number}`))).toContain("1 名");
    expect((await h.db.prisma.event.findFirstOrThrow()).status).toBe("cancelled");
    expect(
      await h.db.prisma.outboxMessage.count({ where: { kind: "slack.event_cancelled", subjectId: event.id } }),
    ).toBe(1);
  });
});

describe("Teams: conversations", () => {
  it("stores the reference of every conversation the bot sees, including when it is added to a team", async () => {
    const channelId = "19:hr-channel@thread.tacv2";
    const channel = h.teams.channel({ channelId });
    await h.teams.conversationUpdate([{ id: "28:alumni-bridge-bot", name: "alumni-bridge" }], {
      conversation: channel,
    });
    const ref = await h.db.prisma.teamsConversationRef.findUnique({ where: { conversationId: channelId } });
    expect(ref?.serviceUrl).toBe(h.connector.url);
    expect(ref?.conversationType).toBe("channel");
    expect(textOf(h.connector.sent(channelId))).toContain("alumni-bridge です");
    // In a channel the bot answers @mentions; notify here needs hr.
    expect(textOf(await say(outsider, "notify here", { conversation: channel }))).toContain("権限がありません");
    expect(textOf(await say(hr, "notify here", { conversation: channel }))).toContain("受け取ります");
    // Stored for the channel itself, not the thread the command was written in.
    expect(
      (await h.db.prisma.teamsConversationRef.findUnique({ where: { conversationId: channelId } }))?.notifyHere,
    ).toBe(true);
    expect(await h.db.prisma.teamsConversationRef.count({ where: { conversationId: { contains: "messageid" } } })).toBe(
      0,
    );
  });
});
