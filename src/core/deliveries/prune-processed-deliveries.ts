// The inbound dedupe table (processed_deliveries: one row per Slack request and Teams
// activity, written by src/http/deliveries.ts and the Teams turn) only has to remember a
// delivery for as long as a platform may send it again: Slack retries within minutes, Teams
// redelivers within minutes. Without pruning it grows by one row per request forever (126,000
// rows in the 10-minute soak). The scheduler deletes rows older than the retention, in
// bounded batches so one tick never holds a long lock or a long transaction.
import type { Db } from "../db.js";

/** How long a delivery is remembered: far beyond any platform's retries (Slack: 3 within about 5 minutes). */
export const PROCESSED_DELIVERY_RETENTION_MS = 24 * 60 * 60 * 1000;
const BATCH = 5_000;
/** At most this many batches per tick; the rest waits for the next tick. */
const MAX_BATCHES = 10;

export async function pruneProcessedDeliveries(options: {
  prisma: Pick<Db, "$executeRaw">;
  now: Date;
  retentionMs?: number;
}): Promise<{ pruned: number }> {
  const cutoff = new Date(options.now.getTime() - (options.retentionMs ?? PROCESSED_DELIVERY_RETENTION_MS));
  let pruned = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    // Oldest first through the received_at index; an unfinished claim that old is long stale too.
    const deleted = await options.prisma.$executeRaw`
      DELETE FROM processed_deliveries
      WHERE key IN (
        SELECT key FROM processed_deliveries WHERE received_at < ${cutoff} ORDER BY received_at LIMIT ${BATCH}
      )`;
    pruned += deleted;
    if (deleted < BATCH) break;
  }
  return { pruned };
}
