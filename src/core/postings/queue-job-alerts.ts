// When a posting is published, members whose alerts match hear about it by DM:
// job alerts for jobs, side-gig alerts for gigs, and — when both the posting and
// the member list skills — only if at least one skill is shared (case-insensitive).
// Only verified members (MEMBERSHIP_VERIFICATION) hear of postings.
import { ZOutboxPayload } from "../../delivery/messages.js";
import type { Tx } from "../db.js";

/**
 * One INSERT … SELECT, inside the caller's transaction: publishing to 10,000
 * matching members writes 10,000 outbox rows in a fraction of a second (row by
 * row through the client it took seconds and could outlive the transaction).
 * Same rows enqueueOutbox would write: idempotency key per (posting, person), so
 * publishing twice queues once.
 */
export async function queueJobAlerts(tx: Tx, postingId: string): Promise<number> {
  const posting = await tx.posting.findUnique({
    where: { id: postingId },
    select: { id: true, kind: true, status: true, skills: true },
  });
  if (posting?.status !== "open") return 0;
  const skills = posting.skills.map((s) => s.toLowerCase());
  const alertColumn = posting.kind === "job" ? "job_alerts" : "gig_alerts";
  const payload = ZOutboxPayload.parse({ type: "slack.job_alert", postingId: posting.id });
  return tx.$executeRawUnsafe(
    `INSERT INTO outbox_messages (id, idempotency_key, platform, operation, kind, target, recipient_id, subject_type,
                                  subject_id, payload, rate_key, not_before, next_attempt_at, created_at, updated_at)
     SELECT gen_random_uuid(), 'job_alert:' || $2 || ':' || m.person_id, 'slack', 'dm', 'slack.job_alert', m.user_id,
            m.person_id, 'posting', $2::uuid, $3::jsonb, 'slack:' || m.team_id || ':dm', now(), now(), now(), now()
     FROM (
       SELECT DISTINCT ON (p.id) p.id AS person_id, si.team_id, si.user_id
       FROM profiles pr
       JOIN people p ON p.id = pr.person_id AND p.status = 'active' AND p.membership_status = 'verified'
       JOIN slack_identities si ON si.person_id = p.id
       WHERE pr.${alertColumn}
         AND EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.withdrawn_at IS NULL)
         AND (cardinality($1::text[]) = 0 OR cardinality(pr.skills) = 0
              OR EXISTS (SELECT 1 FROM unnest(pr.skills) s WHERE lower(s) = ANY($1::text[])))
       ORDER BY p.id, si.created_at
     ) m
     ON CONFLICT (idempotency_key) DO NOTHING`,
    skills,
    posting.id,
    JSON.stringify(payload),
  );
}
