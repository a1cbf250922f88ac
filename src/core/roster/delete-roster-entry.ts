// `roster delete <employee number>`: HR deletes a roster row (the company's own record; APPI lets
// the person ask for it). A member linked to the row stays a member; the row is simply gone.
import type { Db } from "../db.js";
import { requireRole } from "../roles/require-role.js";
import { employeeNumberKey } from "./match-keys.js";

export async function deleteRosterEntry(options: {
  prisma: Db;
  actorId: string;
  employeeNumber: string;
}): Promise<{ deleted: boolean }> {
  const { prisma, actorId } = options;
  const employeeNumber = employeeNumberKey(options.employeeNumber);
  return prisma.$transaction(async (tx) => {
    await requireRole(tx, actorId, ["hr"]);
    if (!employeeNumber) return { deleted: false };
    const gone = await tx.rosterEntry.deleteMany({ where: { employeeNumber } });
    if (gone.count === 0) return { deleted: false };
    await tx.auditLog.create({
      data: {
        actorId,
        action: "roster.entry_deleted",
        subjectType: "roster_entry",
        subjectId: null,
        details: { employeeNumber },
      },
    });
    return { deleted: true };
  });
}
