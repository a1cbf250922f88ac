// Inbound deduplication, shared by both platforms. A delivery (Slack event_id,
// trigger_id; Teams activity id) is claimed before it is processed and marked
// done after. A redelivery of a done or in-flight delivery is skipped; one whose
// first attempt crashed (claimed long ago, never done) may be processed again,
// which is safe because every core operation is idempotent on its own.
import type { Db } from "../core/db.js";
import { type Platform, Prisma } from "../generated/prisma/client.js";

export const STALE_CLAIM_SECONDS = 60;

/**
 * Claim a delivery; false when it is a redelivery to skip. With `final`, the
 * claim is recorded as done at once (one write instead of two) — for requests
 * the platform never redelivers after they were acknowledged, where there is no
 * crashed first attempt to take over.
 */
export async function claimDelivery(
  prisma: Db,
  platform: Platform,
  key: string,
  options: { final?: boolean } = {},
): Promise<boolean> {
  const rows = await prisma.$queryRaw<{ key: string }[]>(claimStatement(platform, key, options));
  return rows.length === 1;
}

/** claimDelivery's statement (one row when claimed), for a caller that folds it into one of its own. */
export function claimStatement(platform: Platform, key: string, options: { final?: boolean } = {}): Prisma.Sql {
  const response = options.final ? '{"done":true}' : null;
  return Prisma.sql`
    INSERT INTO processed_deliveries (key, platform, response, received_at)
    VALUES (${key}, ${platform}::"Platform", ${response}::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET received_at = now()
      WHERE processed_deliveries.response IS NULL
        AND processed_deliveries.received_at < now() - make_interval(secs => ${STALE_CLAIM_SECONDS})
    RETURNING key`;
}

export async function completeDelivery(prisma: Db, key: string): Promise<void> {
  await prisma.processedDelivery.updateMany({ where: { key }, data: { response: { done: true } } });
}

/** Processing failed: forget the claim so the platform's retry is processed. */
export async function releaseDelivery(prisma: Db, key: string): Promise<void> {
  await prisma.processedDelivery.deleteMany({ where: { key, response: { equals: Prisma.DbNull } } });
}
