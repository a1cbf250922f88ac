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
  const [groups, mine] = await Promise.all([
    options.prisma.rsvp.groupBy({
      by: ["eventId", "response"],
      where: { eventId: { in: ids } },
      _count: { _all: true },
    }),
    options.viewerId
      ? options.prisma.rsvp.findMany({ where: { eventId: { in: ids }, personId: options.viewerId } })
      : Promise.resolve([]),
  ]);
  return events.map((event) => {
    const counts: Record<RsvpResponse, number> = { going: 0, maybe: 0, not_going: 0 };
    for (const g of groups) if (g.eventId === event.id) counts[g.response] = g._count._all;
    return { event, counts, mine: mine.find((r) => r.eventId === event.id)?.response ?? null };
  });
}
