// When a posting is published, members whose alerts match hear about it by DM:
// job alerts for jobs, side-gig alerts for gigs, and — when both the posting and
// the member list skills — only if at least one skill is shared (case-insensitive).
import { enqueueOutbox } from "../../delivery/outbox.js";
import type { Tx } from "../db.js";

const CHUNK = 1000;

export async function queueJobAlerts(tx: Tx, postingId: string): Promise<number> {
  const posting = await tx.posting.findUnique({
    where: { id: postingId },
    select: { id: true, kind: true, status: true, skills: true },
  });
  if (!posting || posting.status !== "open") return 0;
  const skills = posting.skills.map((s) => s.toLowerCase());
  const alertColumn = posting.kind === "job" ? "job_alerts" : "gig_alerts";
  const members = await tx.$queryRawUnsafe<{ person_id: string; team_id: string; user_id: string }[]>(
    `SELECT DISTINCT ON (p.id) p.id AS person_id, si.team_id, si.user_id
     FROM profiles pr
     JOIN people p ON p.id = pr.person_id AND p.status = 'active'
     JOIN slack_identities si ON si.person_id = p.id
     WHERE pr.${alertColumn}
       AND EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.withdrawn_at IS NULL)
       AND (cardinality($1::text[]) = 0 OR cardinality(pr.skills) = 0
            OR EXISTS (SELECT 1 FROM unnest(pr.skills) s WHERE lower(s) = ANY($1::text[])))
     ORDER BY p.id, si.created_at`,
    skills,
  );
  let queued = 0;
  for (let i = 0; i < members.length; i += CHUNK) {
    queued += await enqueueOutbox(
      tx,
      members.slice(i, i + CHUNK).map((m) => ({
        idempotencyKey: `job_alert:${posting.id}:${m.person_id}`,
        platform: "slack" as const,
        operation: "dm" as const,
        target: m.user_id,
        recipientId: m.person_id,
        subjectType: "posting",
        subjectId: posting.id,
        rateKey: `slack:${m.team_id}:dm`,
        payload: { type: "slack.job_alert" as const, postingId: posting.id },
      })),
    );
  }
  return queued;
}
