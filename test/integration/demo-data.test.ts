// `npm run seed:demo`: the demo data is what real use writes (members registered
// with consent and findable, postings announced with alerts queued, a homecoming
// day), and a second run adds nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchDirectory } from "../../src/core/members/search-directory.js";
import { listOpenPostings } from "../../src/core/postings/list-open-postings.js";
import { DEMO_TEAM_ID, seedDemo } from "../../src/sandbox/demo-data.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

describe.each(ENGINES)("demo data (%s)", (engine) => {
  let handle: EngineHandle;

  beforeAll(async () => {
    handle = await openEngine(engine);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("adds 30 registered alumni, jobs and gigs announced with alerts, and a homecoming day — once", async () => {
    const prisma = handle.db.prisma;
    const first = await seedDemo({ prisma, alumniChannelId: "C0DEMO0001" });
    expect(first).toMatchObject({ created: true, alumni: 30, postings: 4 });

    const members = await prisma.person.count({
      where: {
        profile: { isNot: null },
        consents: { some: { withdrawnAt: null } },
        status: "active",
        membership: "verified",
      },
    });
    expect(members).toBe(30);
    const jobs = await listOpenPostings({ prisma, kind: "job" });
    const gigs = await listOpenPostings({ prisma, kind: "gig" });
    expect(jobs.total).toBe(2);
    expect(gigs.total).toBe(2);
    const announcements = await prisma.outboxMessage.count({
      where: { kind: { in: ["slack.posting_announcement", "slack.event_announcement"] }, target: "C0DEMO0001" },
    });
    expect(announcements).toBe(5);
    expect(await prisma.outboxMessage.count({ where: { kind: "slack.job_alert" } })).toBeGreaterThan(0);
    const event = await prisma.event.findFirstOrThrow({ where: { kind: "homecoming_day" } });
    expect(event.startsAt.getTime()).toBeGreaterThan(Date.now());

    // The directory finds Japanese and Latin names the members chose to show.
    const viewer = await prisma.slackIdentity.findFirstOrThrow({
      where: { teamId: DEMO_TEAM_ID, userId: "UDEMO0003" },
    });
    const sato = await searchDirectory({ prisma, viewerId: viewer.personId, teamId: DEMO_TEAM_ID, words: ["佐藤"] });
    const emily = await searchDirectory({ prisma, viewerId: viewer.personId, teamId: DEMO_TEAM_ID, words: ["emily"] });
    expect(sato.entries.map((e) => e.displayName)).toContain("佐藤 健太");
    expect(emily.entries.map((e) => e.displayName)).toContain("Emily Carter");

    const counts = async () =>
      Promise.all([prisma.person.count(), prisma.posting.count(), prisma.event.count(), prisma.outboxMessage.count()]);
    const before = await counts();
    const second = await seedDemo({ prisma, alumniChannelId: "C0DEMO0001" });
    expect(second).toMatchObject({ created: false, alumni: 30, postings: 4, eventNumber: event.number });
    expect(await counts()).toEqual(before);
  }, 60_000);
});
