// HR edits a posting: every field is replaced and the version goes up. An
// announced posting's message in the alumni channel is edited to match (an
// outbox row per version). Editing a draft with "publish" on publishes it.
// A card showing an older version must not overwrite a newer edit.
import { z } from "zod";
import type { Posting } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { requireRole } from "../roles/require-role.js";
import { parseInput } from "../validation.js";
import { parsePostingInput, postingColumns } from "./posting-input.js";
import { lockPosting, queueAnnouncement, queueAnnouncementUpdate } from "./posting-messages.js";

const ZExpectedVersion = z.object({ expectedVersion: z.number().int().min(1).optional() });

export async function updatePosting(options: {
  prisma: Db;
  actorId: string;
  postingNumber: number;
  input: unknown;
  alumniChannelId: string | null;
  /** YYYY-MM-DD in the actor's time zone. */
  today: string;
  /** The version the actor's card showed. */
  expectedVersion?: number;
  now?: Date;
}): Promise<{ posting: Posting; published: boolean }> {
  const { prisma, actorId } = options;
  const input = parsePostingInput(options.input, { today: options.today });
  const { expectedVersion } = parseInput(ZExpectedVersion, { expectedVersion: options.expectedVersion });
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    await requireRole(tx, actorId, ["hr"]);
    const before = await lockPosting(tx, options.postingNumber);
    if (expectedVersion !== undefined && expectedVersion !== before.version) {
      throw new AppError("conflict", { number: before.number }, { key: "posting.stale" });
    }
    const publishing = before.status === "draft" && input.publish;
    const version = before.version + 1;
    const posting = await tx.posting.update({
      where: { id: before.id },
      data: {
        ...postingColumns(input),
        version,
        ...(publishing ? { status: "open" as const, publishedAt: now } : {}),
      },
    });
    if (publishing) await queueAnnouncement(tx, posting.id, options.alumniChannelId);
    else if (posting.status !== "draft") await queueAnnouncementUpdate(tx, posting.id, version);
    await tx.auditLog.create({
      data: {
        actorId,
        action: "posting.updated",
        subjectType: "posting",
        subjectId: posting.id,
        details: { number: posting.number, version, published: publishing },
      },
    });
    return { posting, published: publishing };
  });
}
