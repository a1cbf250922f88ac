// HR creates a job or side gig, as a draft or published at once. A published
// posting is announced in the alumni channel through the outbox, in the same
// transaction. The same request submitted twice (double click, redelivered
// activity) creates one posting.
import type { Posting } from "../../generated/prisma/client.js";
import { applyOnce, type Db } from "../db.js";
import { AppError } from "../errors.js";
import { requireRole } from "../roles/require-role.js";
import { parsePostingInput, postingColumns } from "./posting-input.js";
import { queueAnnouncement } from "./posting-messages.js";

export async function createPosting(options: {
  prisma: Db;
  actorId: string;
  input: unknown;
  /** TeamsConversationRef id of the conversation it was created in (interest and referral cards go there). */
  originConversationRefId: string | null;
  /** The Slack channel for announcements; null announces nowhere. */
  alumniChannelId: string | null;
  /** Identity of the submission (e.g. the Teams activity id); the same key creates one posting. */
  requestKey: string;
  /** YYYY-MM-DD in the actor's time zone. */
  today: string;
  now?: Date;
}): Promise<{ posting: Posting; duplicate: boolean }> {
  const { prisma, actorId } = options;
  const input = parsePostingInput(options.input, { today: options.today });
  if (!options.requestKey) throw new TypeError("createPosting needs a requestKey");
  const now = options.now ?? new Date();

  const { result, duplicate } = await applyOnce(prisma, `posting.create:${options.requestKey}`, async (tx) => {
    await requireRole(tx, actorId, ["hr"]);
    const posting = await tx.posting.create({
      data: {
        ...postingColumns(input),
        status: input.publish ? "open" : "draft",
        publishedAt: input.publish ? now : null,
        createdById: actorId,
        originConversationId: options.originConversationRefId,
      },
      select: { id: true, number: true },
    });
    const announced = input.publish ? await queueAnnouncement(tx, posting.id, options.alumniChannelId) : false;
    await tx.auditLog.create({
      data: {
        actorId,
        action: "posting.created",
        subjectType: "posting",
        subjectId: posting.id,
        details: { number: posting.number, kind: input.kind, published: input.publish, announced },
      },
    });
    return { postingId: posting.id };
  });

  // A repeated request gets the first one's posting, but only for someone who may see it.
  if (duplicate) await requireRole(prisma, actorId, ["hr"]);
  const posting = await prisma.posting.findUnique({ where: { id: result.postingId } });
  if (!posting) throw new AppError("internal", { ref: "posting.create" });
  return { posting, duplicate };
}
