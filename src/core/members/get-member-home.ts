// What a member's App Home shows: registration state, their referrals with
// status, their upcoming RSVPs, and how many openings are open.
import type { Db } from "../db.js";
import { openPostingWhere } from "../postings/list-open-postings.js";

export async function getMemberHome(options: { prisma: Db; personId: string | null; now?: Date }) {
  const { prisma, personId } = options;
  const now = options.now ?? new Date();
  const [jobs, gigs, events] = await Promise.all([
    prisma.posting.count({ where: { ...openPostingWhere(now), kind: "job" } }),
    prisma.posting.count({ where: { ...openPostingWhere(now), kind: "gig" } }),
    prisma.event.count({ where: { status: "scheduled", startsAt: { gt: now } } }),
  ]);
  if (!personId) return { openJobs: jobs, openGigs: gigs, upcomingEvents: events, referrals: [], rsvps: [] };
  const [referrals, rsvps] = await Promise.all([
    prisma.referral.findMany({
      where: { referrerId: personId },
      orderBy: { createdAt: "desc" },
      take: 10,
      select: {
        number: true,
        candidateName: true,
        status: true,
        updatedAt: true,
        posting: { select: { number: true, title: true } },
      },
    }),
    prisma.rsvp.findMany({
      where: { personId, event: { status: "scheduled", startsAt: { gt: now } } },
      orderBy: { event: { startsAt: "asc" } },
      take: 10,
      select: { response: true, event: { select: { number: true, title: true, startsAt: true, timeZone: true } } },
    }),
  ]);
  return { openJobs: jobs, openGigs: gigs, upcomingEvents: events, referrals, rsvps };
}

export type MemberHome = Awaited<ReturnType<typeof getMemberHome>>;
