// Upcoming scheduled events with RSVP counts and the viewer's own answer.
import type { Event, RsvpResponse } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";

export interface UpcomingEvent {
  event: Event;
  counts: Record<RsvpResponse, number>;
  mine: RsvpResponse | null;
}

export async function listUpcomingEvents(options: {
  prisma: Db;
  viewerId: string | null;
  now?: Date;
  limit?: number;
}): Promise<UpcomingEvent[]> {
  const now = options.now ?? new Date();
  const events = await options.prisma.event.findMany({
    where: { status: "scheduled", startsAt: { gt: now } },
    orderBy: [{ startsAt: "asc" }, { number: "asc" }],
    take: options.limit ?? 10,
  });
  if (events.length === 0) return [];
  const ids = events.map((e) => e.id);
  // One statement: every event's counts per answer, and which answer is the viewer's.
  const groups = await options.prisma.$queryRaw<
    { event_id: string; response: RsvpResponse; n: number; mine: boolean }[]
  >`
    SELECT event_id, response::text AS response, count(*)::int AS n,
           coalesce(bool_or(person_id = ${options.viewerId}::uuid), false) AS mine
    FROM rsvps WHERE event_id = ANY(${ids}::uuid[])
    GROUP BY event_id, response`;
  return events.map((event) => {
    const counts: Record<RsvpResponse, number> = { going: 0, maybe: 0, not_going: 0 };
    let mine: RsvpResponse | null = null;
    for (const g of groups) {
      if (g.event_id !== event.id) continue;
      counts[g.response] = g.n;
      if (g.mine) mine = g.response;
    }
    return { event, counts, mine };
  });
}
