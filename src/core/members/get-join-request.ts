// A join request as HR sees it (the Teams card, rendered at send time): what the
// person entered in the join form, where it stands, and the closest roster rows.
import type { Db, Tx } from "../db.js";
import { closestRosterCandidates, type RosterCandidate } from "./find-roster-match.js";

export interface JoinRequestView {
  number: number;
  status: "pending" | "approved" | "rejected";
  /** The person's display name now (null once erased). */
  displayName: string | null;
  personalEmail: string | null;
  employeeNumber: string | null;
  familyName: string | null;
  createdAt: Date;
  /** Who decided: their display name (null while pending, or if they left no name). */
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

export async function getJoinRequest(options: {
  prisma: Db | Tx;
  requestNumber: number;
}): Promise<(JoinRequestView & { candidates: RosterCandidate[] }) | null> {
  const view = await readJoinRequest(options.prisma, { number: options.requestNumber });
  if (!view) return null;
  // Only a request still waiting needs candidates; a decided card just says who decided.
  const candidates =
    view.status === "pending"
      ? await closestRosterCandidates({
          prisma: options.prisma,
          personalEmail: view.personalEmail,
          employeeNumber: view.employeeNumber,
          familyName: view.familyName,
        })
      : [];
  return { ...view, candidates };
}

/** One join request by number or id, as JoinRequestView (plus its ids), or null. */
export async function readJoinRequest(
  prisma: Db | Tx,
  where: { number: number } | { id: string },
): Promise<(JoinRequestView & { id: string; personId: string }) | null> {
  const row = await prisma.joinRequest.findUnique({
    where,
    include: {
      person: { select: { displayName: true } },
      decidedBy: { select: { displayName: true } },
    },
  });
  if (!row) return null;
  return {
    id: row.id,
    personId: row.personId,
    number: row.number,
    status: row.status,
    displayName: row.person.displayName,
    personalEmail: row.personalEmail,
    employeeNumber: row.employeeNumber,
    familyName: row.familyName,
    createdAt: row.createdAt,
    decidedBy: row.decidedBy?.displayName ?? null,
    decidedAt: row.decidedAt,
    reason: row.reason,
  };
}
