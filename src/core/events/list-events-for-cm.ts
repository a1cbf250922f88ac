// The community manager's view: the next upcoming scheduled events with how
// many answered going / maybe / not going, against the capacity.
import type { Event, RsvpResponse } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { requireRole } from "../roles/require-role.js";
import { listUpcomingEvents } from "./list-upcoming-events.js";

export const CM_EVENT_LIST_LIMIT = 50;

export interface CmEventSummary {
  event: Event;
  counts: Record<RsvpResponse, number>;
  capacity: number | null;
}

export async function listEventsForCm(options: { prisma: Db; actorId: string; now?: Date }): Promise<CmEventSummary[]> {
  const { prisma, actorId } = options;
  await requireRole(prisma, actorId, ["cm"]);
  const upcoming = await listUpcomingEvents({
    prisma,
    viewerId: null,
    now: options.now ?? new Date(),
    limit: CM_EVENT_LIST_LIMIT,
  });
  return upcoming.map(({ event, counts }) => ({ event, counts, capacity: event.capacity }));
}
