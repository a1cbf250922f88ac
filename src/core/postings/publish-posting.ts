// HR publishes a draft: it opens and is announced in the alumni channel.
// Publishing an open posting again changes nothing; a closed one cannot reopen.
import type { Posting } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { requireRole } from "../roles/require-role.js";
import { lockPosting, queueAnnouncement } from "./posting-messages.js";

export async function publishPosting(options: {
  prisma: Db;
  actorId: string;
  postingNumber: number;
  alumniChannelId: string | null;
  now?: Date;
}): Promise<{ changed: boolean; posting: Posting }> {
  const { prisma, actorId } = options;
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    await requireRole(tx, actorId, ["hr"]);
    const posting = await lockPosting(tx, options.postingNumber);
    if (posting.status === "open") return { changed: false, posting };
    if (posting.status === "closed") {
      throw new AppError("conflict", { number: posting.number }, { key: "posting.closed" });
    }
    const published = await tx.posting.update({
      where: { id: posting.id },
      data: { status: "open", publishedAt: now },
    });
    const announced = await queueAnnouncement(tx, posting.id, options.alumniChannelId);
    await tx.auditLog.create({
      data: {
        actorId,
        action: "posting.published",
        subjectType: "posting",
        subjectId: posting.id,
        details: { number: posting.number, announced },
      },
    });
    return { changed: true, posting: published };
  });
}
