// Scheduler job (APPI: keep personal data no longer than needed): roster rows of people who never
// joined the alumni community are deleted ROSTER_RETENTION_DAYS after they were imported. Rows
// linked to a member stay. Deleted in bounded batches, oldest first through the created_at index,
// so one tick never holds a long lock; the count goes to the audit log.
import type { Db } from "../db.js";

const BATCH = 5_000;
/** At most this many batches per tick; the rest waits for the next tick. */
const MAX_BATCHES = 20;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function pruneRoster(options: {
  prisma: Db;
  retentionDays: number;
  now?: Date;
}): Promise<{ deleted: number }> {
  const { prisma, retentionDays } = options;
  const cutoff = new Date((options.now ?? new Date()).getTime() - retentionDays * DAY_MS);
  let deleted = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const count = await prisma.$executeRaw`
      DELETE FROM roster_entries
      WHERE id IN (
        SELECT id FROM roster_entries
        WHERE person_id IS NULL AND created_at < ${cutoff}
        ORDER BY created_at
        LIMIT ${BATCH}
      )
      AND person_id IS NULL`;
    deleted += count;
    if (count < BATCH) break;
  }
  if (deleted > 0) {
    await prisma.auditLog.create({
      data: { action: "roster.pruned", subjectType: "roster_entry", details: { deleted, retentionDays } },
    });
  }
  return { deleted };
}
