// "Interested": recorded once per member and posting, and HR hears about it in
// Teams (one outbox row per HR conversation, written in the same transaction).
import { randomUUID } from "node:crypto";
import { enqueueOutbox } from "../../delivery/outbox.js";
import type { Db } from "../db.js";
import { AppError } from "../errors.js";

interface InterestRow {
  posting_id: string;
  title: string;
  number: number;
  /** The Teams conversation the posting was created in, if any. */
  origin: string | null;
  /** Set when this call recorded the interest; null when it was recorded before. */
  interest_id: string | null;
  /** When the interest is new and the posting has no conversation: every `notify here` conversation (hrConversationsFor). */
  notify_here: string[] | null;
}

export async function expressInterest(options: {
  prisma: Db;
  personId: string;
  postingNumber: number;
  now?: Date;
}): Promise<{ created: boolean; postingTitle: string; postingNumber: number }> {
  const { prisma, personId } = options;
  const now = options.now ?? new Date();
  // Open and not past its closing date (inclusive, in UTC), as openPostingWhere says.
  const today = now.toISOString().slice(0, 10);
  // Most clicks repeat one already recorded (double clicks, the same button again): one read
  // answers those, without a transaction. A new interest is written below, with HR's messages.
  const [seen] = await prisma.$queryRaw<{ title: string; number: number; interested: boolean }[]>`
    SELECT p.title, p.number,
           EXISTS (SELECT 1 FROM interests i WHERE i.posting_id = p.id AND i.person_id = ${personId}::uuid) AS interested
    FROM postings p
    WHERE p.number = ${options.postingNumber} AND p.status = 'open'
      AND (p.closes_on IS NULL OR p.closes_on >= ${today}::date)`;
  if (!seen) throw new AppError("not_found", { number: options.postingNumber }, { key: "posting.notFound" });
  if (seen.interested) return { created: false, postingTitle: seen.title, postingNumber: seen.number };
  return prisma.$transaction(async (tx) => {
    // One statement: the open posting (with the conversation it came from) and the interest, inserted unless it exists.
    const rows = await tx.$queryRaw<InterestRow[]>`
      WITH posting AS (
        SELECT p.id, p.title, p.number, c.conversation_id AS origin
        FROM postings p LEFT JOIN teams_conversation_refs c ON c.id = p.origin_conversation_id
        WHERE p.number = ${options.postingNumber} AND p.status = 'open'
          AND (p.closes_on IS NULL OR p.closes_on >= ${today}::date)
      ), inserted AS (
        INSERT INTO interests (id, posting_id, person_id)
        SELECT ${randomUUID()}::uuid, posting.id, ${personId}::uuid FROM posting
        ON CONFLICT (posting_id, person_id) DO NOTHING
        RETURNING id
      )
      SELECT posting.id AS posting_id, posting.title, posting.number, posting.origin, inserted.id AS interest_id,
             CASE WHEN inserted.id IS NOT NULL AND posting.origin IS NULL THEN ARRAY(
               SELECT r.conversation_id FROM teams_conversation_refs r WHERE r.notify_here ORDER BY r.created_at
             ) END AS notify_here
      FROM posting LEFT JOIN inserted ON true`;
    const posting = rows[0];
    if (!posting) throw new AppError("not_found", { number: options.postingNumber }, { key: "posting.notFound" });
    const interestId = posting.interest_id;
    if (interestId) {
      // As hrConversationsFor says: the posting's own conversation, else every `notify here` one (oldest first).
      const conversations = posting.origin ? [posting.origin] : (posting.notify_here ?? []);
      await enqueueOutbox(
        tx,
        conversations.map((conversationId) => ({
          idempotencyKey: `interest:${interestId}:hr:${conversationId}`,
          platform: "teams" as const,
          operation: "post" as const,
          target: conversationId,
          subjectType: "posting",
          subjectId: posting.posting_id,
          rateKey: `teams:conversation:${conversationId}`,
          payload: {
            type: "hr.interest" as const,
            interestId,
            postingId: posting.posting_id,
            personId,
          },
        })),
      );
    }
    return { created: interestId !== null, postingTitle: posting.title, postingNumber: posting.number };
  });
}
