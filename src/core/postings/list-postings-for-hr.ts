// HR's working list: open and draft postings, newest first, with how many
// alumni said "Interested" and how many referrals came in for each.
import type { Posting } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { requireRole } from "../roles/require-role.js";

export const HR_POSTINGS_LIMIT = 50;

export type HrPosting = Posting & { interestCount: number; referralCount: number };

export async function listPostingsForHr(options: { prisma: Db; actorId: string }): Promise<HrPosting[]> {
  const { prisma, actorId } = options;
  await requireRole(prisma, actorId, ["hr"]);
  const rows = await prisma.posting.findMany({
    where: { status: { in: ["open", "draft"] } },
    orderBy: [{ createdAt: "desc" }, { number: "desc" }],
    take: HR_POSTINGS_LIMIT,
    include: { _count: { select: { interests: true, referrals: true } } },
  });
  return rows.map(({ _count, ...posting }) => ({
    ...posting,
    interestCount: _count.interests,
    referralCount: _count.referrals,
  }));
}
