// The bench's database handles and the app-level fixtures made through the
// app's own core functions (postings, events), so what the bot reads and sends
// is what a real HR user would have created.
import { randomUUID } from "node:crypto";
import { scheduleEvent } from "../src/core/events/schedule-event.js";
import { createPosting } from "../src/core/postings/create-posting.js";
import { type Database, openDatabase } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import type { Posting } from "../src/generated/prisma/client.js";
import { migrationsDir } from "../src/paths.js";

export const ALUMNI_CHANNEL = "C0ALUMNI01";

/** A migrated PostgreSQL database at `url`, through the app's migrator. */
export async function openMigrated(url: string): Promise<Database> {
  const db = await openDatabase({ engine: "postgres", url });
  await applyMigrations({ db, migrationsDir });
  return db;
}

export async function createJob(
  db: Database,
  hrId: string,
  options: { title?: string; skills?: string[]; announceIn?: string | null } = {},
): Promise<Posting> {
  const today = new Date().toISOString().slice(0, 10);
  const { posting } = await createPosting({
    prisma: db.prisma,
    actorId: hrId,
    input: {
      kind: "job",
      title: options.title ?? "バックエンドエンジニア (TypeScript)",
      description: "決済基盤の開発をお願いします。リモート可。",
      location: "東京",
      workStyle: "hybrid",
      employmentType: "full_time",
      skills: options.skills ?? ["TypeScript", "PostgreSQL"],
      publish: true,
    },
    originConversationRefId: null,
    alumniChannelId: options.announceIn === undefined ? ALUMNI_CHANNEL : options.announceIn,
    requestKey: randomUUID(),
    today,
  });
  return posting;
}

export async function createHomecoming(db: Database, cmId: string, startsAt: Date) {
  const { event } = await scheduleEvent({
    prisma: db.prisma,
    actorId: cmId,
    input: {
      title: "ホームカミングデー 2027",
      kind: "homecoming_day",
      startsAt: startsAt.toISOString(),
      timeZone: "Asia/Tokyo",
      endsAt: null,
      place: "本社 20F",
      url: null,
      capacity: null,
      description: "懐かしい仲間と会いましょう",
    },
    originConversationRefId: null,
    alumniChannelId: null,
    requestKey: randomUUID(),
  });
  return event;
}
