// HR closes a posting (open or still a draft). Its announcement in the alumni
// channel is edited to show it closed. Closing twice changes nothing.
import type { Posting } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { requireRole } from "../roles/require-role.js";
import { lockPosting, queueAnnouncementUpdate } from "./posting-messages.js";

export async function closePosting(options: {
  prisma: Db;
  actorId: string;
  postingNumber: number;
  /** Unused: the edit goes to the channel the posting was announced in. Kept for a uniform call. */
  alumniChannelId?: string | null;
  now?: Date;
}): Promise<{ changed: boolean; posting: Posting }> {
  const { prisma, actorId } = options;
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    await requireRole(tx, actorId, ["hr"]);
    const before = await lockPosting(tx, options.postingNumber);
    if (before.status === "closed") return { changed: false, posting: before };
    const version = before.version + 1;
    const posting = await tx.posting.update({
      where: { id: before.id },
      data: { status: "closed", closedAt: now, version },
    });
    await queueAnnouncementUpdate(tx, posting.id, version);
    await tx.auditLog.create({
      data: {
        actorId,
        action: "posting.closed",
        subjectType: "posting",
        subjectId: posting.id,
        details: { number: posting.number, version, from: before.status },
      },
    });
    return { changed: true, posting };
  });
}
