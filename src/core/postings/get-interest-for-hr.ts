// An "Interested" as HR sees it: the posting and only what the member allowed HR to see.
import type { Db, Tx } from "../db.js";
import { hrViewOfPerson } from "../members/visible-profile.js";

export async function getInterestForHr(options: { prisma: Db | Tx; interestId: string }) {
  const interest = await options.prisma.interest.findUnique({
    where: { id: options.interestId },
    include: { posting: { select: { number: true, title: true, kind: true } } },
  });
  if (!interest) return null;
  return { interest, posting: interest.posting, member: await hrViewOfPerson(options.prisma, interest.personId) };
}

export type InterestForHr = NonNullable<Awaited<ReturnType<typeof getInterestForHr>>>;
