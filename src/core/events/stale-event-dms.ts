// Shared by the jobs that DM the members who answered an event (reminders,
// homecoming wishes): who still gets them, and withdrawing queued DMs that no
// longer apply — the member now answers "not going", or the event was
// cancelled or has begun. A DM withdrawn because of the answer comes back if
// the member answers going/maybe again before it was due.
import type { OutboxKind } from "../../delivery/messages.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { Tx } from "../db.js";

/** lastError of rows withdrawn here; only NOT_GOING rows are ever revived. */
export const WITHDRAWN = {
  notGoing: "withdrawn: not going",
  cancelled: "withdrawn: event cancelled",
  started: "withdrawn: event started",
} as const;

export interface EventDmRecipient {
  personId: string;
  teamId: string;
  userId: string;
}

/** Prisma `select` for an event's RSVPs that still want DMs: going/maybe, active, verified, with a Slack identity. */
export const answeredRsvpsSelect = {
  where: {
    response: { in: ["going", "maybe"] },
    person: { status: "active", membership: "verified", slackIdentities: { some: {} } },
  },
  orderBy: [{ createdAt: "asc" }, { personId: "asc" }],
  select: {
    personId: true,
    person: {
      select: { slackIdentities: { select: { teamId: true, userId: true }, orderBy: { createdAt: "asc" }, take: 1 } },
    },
  },
} satisfies Prisma.Event$rsvpsArgs;

export function recipientsOf(
  rsvps: { personId: string; person: { slackIdentities: { teamId: string; userId: string }[] } }[],
): EventDmRecipient[] {
  const out: EventDmRecipient[] = [];
  for (const { personId, person } of rsvps) {
    const identity = person.slackIdentities[0];
    if (identity) out.push({ personId, teamId: identity.teamId, userId: identity.userId });
  }
  return out;
}

/**
 * Cancel pending DMs of `kind` (subject: the event, recipient: the member) that no
 * longer apply. One UPDATE: this runs on every scheduler tick in every replica,
 * over every queued reminder (tens of thousands before a big event).
 */
export async function withdrawStaleEventDms(tx: Tx, kind: OutboxKind, now: Date): Promise<number> {
  return tx.$executeRaw`
    UPDATE outbox_messages o
    SET status = 'cancelled', last_error = s.reason, updated_at = now()
    FROM (
      SELECT p.id,
             CASE
               WHEN e.id IS NULL OR e.status = 'cancelled' THEN ${WITHDRAWN.cancelled}
               WHEN e.starts_at <= ${now} THEN ${WITHDRAWN.started}
               WHEN r.response IS NULL OR r.response NOT IN ('going', 'maybe') THEN ${WITHDRAWN.notGoing}
             END AS reason
      FROM outbox_messages p
      LEFT JOIN events e ON e.id = p.subject_id
      LEFT JOIN rsvps r ON r.event_id = p.subject_id AND r.person_id = p.recipient_id
      WHERE p.kind = ${kind} AND p.status = 'pending' AND p.subject_type = 'event'
        AND p.subject_id IS NOT NULL AND p.recipient_id IS NOT NULL
    ) s
    -- Still pending: a row the dispatcher has claimed meanwhile is left to its renderer.
    WHERE o.id = s.id AND s.reason IS NOT NULL AND o.status = 'pending'`;
}

/** Bring back DMs withdrawn only because of a "not going" answer, when they are wanted again and not yet due. */
export async function reviveWithdrawnDms(tx: Tx, keys: string[], now: Date): Promise<number> {
  if (keys.length === 0) return 0;
  const result = await tx.outboxMessage.updateMany({
    where: {
      idempotencyKey: { in: keys },
      status: "cancelled",
      lastError: WITHDRAWN.notGoing,
      attempts: 0,
      notBefore: { gt: now },
    },
    data: { status: "pending", lastError: null },
  });
  return result.count;
}
