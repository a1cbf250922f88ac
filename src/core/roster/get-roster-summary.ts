// The `roster` command's counts for HR: how many leavers the roster holds, how many of them have
// joined the alumni community, how many may not be rehired, and the last applied import.
import type { Db } from "../db.js";

export async function getRosterSummary(options: { prisma: Db }): Promise<{
  total: number;
  joined: number;
  notJoined: number;
  rehireIneligible: number;
  lastImport: { number: number; fileName: string; at: Date } | null;
}> {
  const { prisma } = options;
  const [total, joined, rehireIneligible, last] = await Promise.all([
    prisma.rosterEntry.count(),
    prisma.rosterEntry.count({ where: { personId: { not: null } } }),
    prisma.rosterEntry.count({ where: { rehireEligible: false } }),
    prisma.rosterImport.findFirst({
      where: { status: "imported" },
      orderBy: [{ decidedAt: "desc" }, { number: "desc" }],
      select: { number: true, fileName: true, decidedAt: true, createdAt: true },
    }),
  ]);
  return {
    total,
    joined,
    notJoined: total - joined,
    rehireIneligible,
    lastImport: last ? { number: last.number, fileName: last.fileName, at: last.decidedAt ?? last.createdAt } : null,
  };
}
