// An admin takes the hr or cm role away (the grant stays, marked revoked, so
// history shows who had it). Admin itself comes from configuration and cannot
// be revoked here, so no admin can lock themselves out.
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { activePeopleByEmail } from "./find-by-email.js";
import { requireRole } from "./require-role.js";
import { type GrantableRole, parseRoleChange, type RoleTarget } from "./role-target.js";

export async function revokeRole(options: {
  prisma: Db;
  actorId: string;
  role: GrantableRole;
  target: RoleTarget;
  now?: Date;
}): Promise<{ personId: string; changed: boolean }> {
  const { prisma, actorId } = options;
  const { role, target } = parseRoleChange({ role: options.role, target: options.target });
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    await requireRole(tx, actorId, ["admin"]);
    const grant =
      "personId" in target
        ? await tx.roleGrant.findUnique({ where: { personId_role: { personId: target.personId, role } } })
        : await tx.roleGrant.findFirst({
            where: { role, revokedAt: null, personId: { in: await activePeopleByEmail(tx, target.email) } },
            orderBy: { grantedAt: "asc" },
          });
    if (!grant) {
      if ("personId" in target) {
        const person = await tx.person.findUnique({ where: { id: target.personId }, select: { status: true } });
        if (person?.status === "active") return { personId: target.personId, changed: false };
      }
      throw new AppError("not_found", {}, { key: "role.personNotFound" });
    }
    if (grant.revokedAt !== null) return { personId: grant.personId, changed: false };
    await tx.roleGrant.update({ where: { id: grant.id }, data: { revokedAt: now } });
    await tx.auditLog.create({
      data: { actorId, action: "role.revoked", subjectType: "person", subjectId: grant.personId, details: { role } },
    });
    return { personId: grant.personId, changed: true };
  });
}
