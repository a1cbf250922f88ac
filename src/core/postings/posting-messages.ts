// The alumni channel's view of a posting: one announcement when it is published,
// then an edit of that announcement for every later change (each a separate
// outbox row, sent only after the announcement itself).
import { enqueueAnnouncementEdit, enqueueOutbox } from "../../delivery/outbox.js";
import type { Posting } from "../../generated/prisma/client.js";
import type { Tx } from "../db.js";
import { AppError } from "../errors.js";
import { queueJobAlerts } from "./queue-job-alerts.js";

export const announceKey = (postingId: string) => `posting:${postingId}:announce`;

/** Queue the announcement in the alumni channel (once per posting); false when there is no channel. */
export async function queueAnnouncement(tx: Tx, postingId: string, alumniChannelId: string | null): Promise<boolean> {
  // Members whose alerts match get a DM whether or not there is an alumni channel.
  await queueJobAlerts(tx, postingId);
  if (!alumniChannelId) return false;
  await enqueueOutbox(tx, [
    {
      platform: "slack",
      operation: "post",
      target: alumniChannelId,
      idempotencyKey: announceKey(postingId),
      subjectType: "posting",
      subjectId: postingId,
      rateKey: `slack:channel:${alumniChannelId}`,
      payload: { type: "slack.posting_announcement", postingId },
    },
  ]);
  return true;
}

/**
 * Queue an edit of the announcement to show `version`, in the channel it was
 * announced in. Nothing when the posting was never announced.
 */
export async function queueAnnouncementUpdate(tx: Tx, postingId: string, version: number): Promise<boolean> {
  return enqueueAnnouncementEdit(tx, {
    announceKey: announceKey(postingId),
    idempotencyKey: `posting:${postingId}:update:v${version}`,
    subjectType: "posting",
    subjectId: postingId,
    payload: { type: "slack.posting_update", postingId, version },
  });
}

/** The posting with this number, locked for the rest of the transaction. */
export async function lockPosting(tx: Tx, postingNumber: number): Promise<Posting> {
  const locked = Number.isInteger(postingNumber)
    ? await tx.$queryRaw<{ id: string }[]>`SELECT id FROM postings WHERE number = ${postingNumber} FOR UPDATE`
    : [];
  const posting = locked[0] ? await tx.posting.findUnique({ where: { id: locked[0].id } }) : null;
  if (!posting) throw new AppError("not_found", { number: postingNumber }, { key: "posting.missing" });
  return posting;
}
