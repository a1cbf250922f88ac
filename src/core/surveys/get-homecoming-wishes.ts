// What the community managers' card about a homecoming day shows: the wishes
// collected so far ("who would you like to see there?"), without who wished
// them. Used by the Teams renderer of `teams.homecoming_wishes`.
import type { Db } from "../db.js";

export interface HomecomingWishes {
  event: { id: string; number: number; title: string; startsAt: Date; timeZone: string; status: string };
  /** Invitations sent so far. */
  invited: number;
  /** Wishes, newest first. */
  wishes: string[];
}

export async function getHomecomingWishes(options: {
  prisma: Db;
  eventId: string;
  limit?: number;
}): Promise<HomecomingWishes | null> {
  const { prisma, eventId } = options;
  const event = await prisma.event.findUnique({
    where: { id: eventId },
    select: { id: true, number: true, title: true, startsAt: true, timeZone: true, status: true },
  });
  if (!event) return null;
  const [invited, answered] = await Promise.all([
    prisma.surveyResponse.count({ where: { eventId, survey: { kind: "homecoming_wish" } } }),
    prisma.surveyResponse.findMany({
      where: { eventId, survey: { kind: "homecoming_wish" }, submittedAt: { not: null } },
      orderBy: { submittedAt: "desc" },
      take: options.limit ?? 50,
      select: { answers: { where: { questionKey: "who" }, select: { value: true } } },
    }),
  ]);
  return { event, invited, wishes: answered.flatMap((r) => r.answers.map((a) => a.value)) };
}
