// A referral as HR sees it: the candidate (who agreed to be introduced), the
// posting, the status, and of the referrer only what they allowed HR to see.
import type { Db, Tx } from "../db.js";
import { hrViewOfPerson } from "../members/visible-profile.js";

export async function getReferralForHr(options: { prisma: Db | Tx; referralId?: string; number?: number }) {
  const { prisma } = options;
  const referral = await prisma.referral.findFirst({
    where: options.referralId ? { id: options.referralId } : { number: options.number ?? -1 },
    include: { posting: { select: { number: true, title: true, kind: true } } },
  });
  if (!referral) return null;
  const referrer = await hrViewOfPerson(prisma, referral.referrerId);
  return { referral, referrer };
}

export type ReferralForHr = NonNullable<Awaited<ReturnType<typeof getReferralForHr>>>;
