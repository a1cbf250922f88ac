// HR's list of members open to returning (カムバック採用). Each entry shows only
// the fields that member chose to share with HR, and their Slack user (for a
// mention) only when they share their name.
//
// Only verified members are candidates, and HR's roster has a say: a member whose
// linked roster row says 再雇用不可 (rehire_eligible = false) is not listed, whatever
// they chose. They stay a member with everything else; only this list leaves them out.
// A row that does not say (null), or no linked row, keeps today's rule.
import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import type { ProfileField } from "../../generated/prisma/enums.js";
import type { Db } from "../db.js";
import { requireRole } from "../roles/require-role.js";
import { parseInput } from "../validation.js";
import type { DirectoryEntry } from "./search-directory.js";
import { visibleProfile } from "./visible-profile.js";

export const RETURNERS_PAGE_SIZE = 20;

/** The same shape as a directory entry, filtered by the member's HR fields instead. */
export type ReturnerEntry = DirectoryEntry;

const ZPage = z.object({ page: z.number().int().min(0).max(1000) });

export async function listReturners(options: {
  prisma: Db;
  actorId: string;
  page?: number;
}): Promise<{ entries: ReturnerEntry[]; hasMore: boolean; page: number; total: number }> {
  const { prisma, actorId } = options;
  const { page } = parseInput(ZPage, { page: options.page ?? 0 });
  await requireRole(prisma, actorId, ["hr"]);
  const where: Prisma.ProfileWhereInput = {
    openToReturn: true,
    person: {
      status: "active",
      membership: "verified",
      consents: { some: { withdrawnAt: null } },
      // Spelled out: SQL's NOT over a null rehire_eligible would drop the "not stated" rows too.
      OR: [
        { rosterEntry: { is: null } },
        { rosterEntry: { is: { rehireEligible: true } } },
        { rosterEntry: { is: { rehireEligible: null } } },
      ],
    },
  };
  const [rows, total] = await Promise.all([
    prisma.profile.findMany({
      where,
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      skip: page * RETURNERS_PAGE_SIZE,
      take: RETURNERS_PAGE_SIZE + 1,
      include: {
        person: {
          select: {
            id: true,
            displayName: true,
            email: true,
            slackIdentities: { select: { userId: true }, orderBy: { createdAt: "asc" }, take: 1 },
          },
        },
      },
    }),
    prisma.profile.count({ where }),
  ]);
  const entries = rows.slice(0, RETURNERS_PAGE_SIZE).map(
    (row): ReturnerEntry =>
      visibleProfile(
        {
          personId: row.person.id,
          slackUserId: row.person.slackIdentities[0]?.userId ?? null,
          displayName: row.person.displayName,
          email: row.person.email,
          department: row.department,
          joinedYear: row.joinedYear,
          leftYear: row.leftYear,
          currentEmployer: row.currentEmployer,
          title: row.title,
          skills: row.skills,
          jobAlerts: row.jobAlerts,
          gigAlerts: row.gigAlerts,
          eventAlerts: row.eventAlerts,
          openToReturn: row.openToReturn,
          happyToRefer: row.happyToRefer,
        },
        row.hrFields as ProfileField[],
      ),
  );
  return { entries, hasMore: rows.length > RETURNERS_PAGE_SIZE, page, total };
}
