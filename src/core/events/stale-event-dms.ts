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

/** Prisma `select` for an event's RSVPs that still want DMs: going/maybe, active, with a Slack identity. */
export const answeredRsvpsSelect = {
  where: {
    response: { in: ["going", "maybe"] },
    person: { status: "active", slackIdentities: { some: {} } },
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

/** Cancel pending DMs of `kind` (subject: the event, recipient: the member) that no longer apply. */
export async function withdrawStaleEventDms(tx: Tx, kind: OutboxKind, now: Date): Promise<number> {
  const pending = await tx.outboxMessage.findMany({
    where: { kind, status: "pending", subjectType: "event", subjectId: { not: null }, recipientId: { not: null } },
    select: { id: true, subjectId: true, recipientId: true },
  });
  if (pending.length === 0) return 0;
  const eventIds = [...new Set(pending.map((p) => p.subjectId as string))];
  const personIds = [...new Set(pending.map((p) => p.recipientId as string))];
  const [events, rsvps] = await Promise.all([
    tx.event.findMany({ where: { id: { in: eventIds } }, select: { id: true, status: true, startsAt: true } }),
    tx.rsvp.findMany({
      where: { eventId: { in: eventIds }, personId: { in: personIds } },
      select: { eventId: true, personId: true, response: true },
    }),
  ]);
  const eventById = new Map(events.map((e) => [e.id, e]));
  const answer = new Map(rsvps.map((r) => [`${r.eventId}:${r.personId}`, r.response]));
  const byReason = new Map<string, string[]>();
  for (const row of pending) {
    const event = eventById.get(row.subjectId as string);
    let reason: string | null = null;
    if (!event || event.status === "cancelled") reason = WITHDRAWN.cancelled;
    else if (event.startsAt <= now) reason = WITHDRAWN.started;
    else {
      const response = answer.get(`${row.subjectId}:${row.recipientId}`);
      if (response !== "going" && response !== "maybe") reason = WITHDRAWN.notGoing;
    }
    if (reason) byReason.set(reason, [...(byReason.get(reason) ?? []), row.id]);
  }
  let cancelled = 0;
  for (const [reason, ids] of byReason) {
    const result = await tx.outboxMessage.updateMany({
      // Still pending: a row the dispatcher has claimed meanwhile is left to its renderer.
      where: { id: { in: ids }, status: "pending" },
      data: { status: "cancelled", lastError: reason },
    });
    cancelled += result.count;
  }
  return cancelled;
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
