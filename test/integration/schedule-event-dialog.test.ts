// The schedule-event dialog on its own, with botbuilder-testing's DialogTestClient
// and a real database: each answer is validated and re-asked until it is right.
import type { Activity, TurnContext } from "botbuilder";
import { DialogTestClient } from "botbuilder-testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createLogger } from "../../src/logger.js";
import type { TeamsDeps } from "../../src/platforms/teams/deps.js";
import { ScheduleEventDialog } from "../../src/platforms/teams/dialogs/schedule-event.js";
import { openMigratedPglite } from "../support/pglite.js";

let db: Database;
let cmId: string;
let deps: TeamsDeps;

beforeAll(async () => {
  db = await openMigratedPglite();
  cmId = (await db.prisma.person.create({ data: { displayName: "CM", roles: { create: { role: "cm" } } } })).id;
  deps = {
    prisma: db.prisma,
    logger: createLogger({ level: "silent" }),
    config: {
      defaultLocale: "ja",
      defaultTimeZone: "Asia/Tokyo",
      adminAadObjectIds: [],
      slack: { alumniChannelId: "C0ALUMNI01" },
    },
  };
});
afterAll(async () => {
  await db.close();
});

function client(locale: string, actorId = cmId) {
  const setLocale = {
    async onTurn(context: TurnContext, next: () => Promise<void>) {
      context.activity.locale = locale;
      await next();
    },
  };
  return new DialogTestClient("msteams", new ScheduleEventDialog(deps), { actorId, conversationRefId: null }, [
    setLocale,
  ]);
}

/** Send one answer and collect every reply of the turn. */
async function answer(c: DialogTestClient, text: string): Promise<string> {
  const replies: string[] = [];
  let reply = (await c.sendActivity(text)) as Partial<Activity> | undefined;
  while (reply) {
    replies.push(reply.text ?? "");
    reply = c.getNextReply() as Partial<Activity> | undefined;
  }
  return replies.join("\n");
}

describe("schedule event dialog (DialogTestClient)", () => {
  it("re-asks a wrong date and a wrong capacity, accepts 12月5日 19時, and stores the event on yes", async () => {
    const c = client("ja-JP");
    expect(await answer(c, "schedule event")).toContain("イベント名");
    expect(await answer(c, "x".repeat(121))).toContain("120 文字以内");
    expect(await answer(c, "秋のホームカミングデー")).toContain("種類");
    expect(await answer(c, "ホームカミングデー")).toContain("開始日時");
    const wrong = await answer(c, "13月40日 19時");
    expect(wrong).toContain("⚠️");
    expect(wrong).toContain("開始日時");
    expect(await answer(c, "12月5日")).toContain("⚠️");
    expect(await answer(c, "12月5日 19時")).toContain("場所");
    expect(await answer(c, "https://example.com/live")).toContain("定員");
    expect(await answer(c, "0")).toContain("⚠️");
    expect(await answer(c, "なし")).toContain("説明");
    const summary = await answer(c, "年に一度の再会の日です。");
    expect(summary).toContain("秋のホームカミングデー");
    expect(summary).toContain("制限なし");
    expect(await answer(c, "たぶん")).toContain("「はい」か「いいえ」");
    expect(await answer(c, "はい")).toContain("登録しました");
    const event = await db.prisma.event.findFirstOrThrow({ where: { title: "秋のホームカミングデー" } });
    expect(event).toMatchObject({
      kind: "homecoming_day",
      url: "https://example.com/live",
      place: null,
      capacity: null,
    });
    expect(event.description).toBe("年に一度の再会の日です。");
    expect(
      await db.prisma.outboxMessage.count({ where: { subjectId: event.id, kind: "slack.event_announcement" } }),
    ).toBe(1);
  });

  it("an online event needs a URL; answering no saves nothing", async () => {
    const c = client("en-US");
    await answer(c, "schedule event");
    await answer(c, "Online coffee");
    expect(await answer(c, "online")).toContain("When does it start?");
    expect(await answer(c, "2099-01-01 10:00")).toContain("⚠️");
    expect(await answer(c, "tomorrow 7pm")).toContain("URL");
    expect(await answer(c, "Room 4")).toContain("needs a URL");
    await answer(c, "https://meet.example.com/x");
    await answer(c, "20");
    await answer(c, "none");
    expect(await answer(c, "no")).toContain("Not scheduled");
    expect(await db.prisma.event.count({ where: { title: "Online coffee" } })).toBe(0);
  });

  it("someone who lost the cm role before confirming is refused at the end", async () => {
    const other = (await db.prisma.person.create({ data: { displayName: "Ex CM", roles: { create: { role: "cm" } } } }))
      .id;
    const c = client("en-US", other);
    for (const text of ["schedule event", "Meetup", "2", "tomorrow 19:00", "Shibuya", "none", "none"])
      await answer(c, text);
    await db.prisma.roleGrant.updateMany({ where: { personId: other }, data: { revokedAt: new Date() } });
    expect(await answer(c, "yes")).toContain("not allowed");
    expect(await db.prisma.event.count({ where: { title: "Meetup" } })).toBe(0);
  });
});
