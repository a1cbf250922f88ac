// An admin gives someone the hr or cm role, by person or by email. An email
// nobody in Teams has yet makes a "pending" person (email only) that the
// person's first Teams message links to (resolve-teams-person.ts).
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { pendingPeopleByEmail, teamsPeopleByEmail } from "./find-by-email.js";
import { requireRole } from "./require-role.js";
import { type GrantableRole, parseRoleChange, type RoleTarget } from "./role-target.js";

export async function grantRole(options: {
  prisma: Db;
  actorId: string;
  role: GrantableRole;
  target: RoleTarget;
  now?: Date;
}): Promise<{ personId: string; changed: boolean; pending: boolean }> {
  const { prisma, actorId } = options;
  const { role, target } = parseRoleChange({ role: options.role, target: options.target });
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    await requireRole(tx, actorId, ["admin"]);
    let personId: string;
    let pending = false;
    if ("personId" in target) {
      const person = await tx.person.findUnique({ where: { id: target.personId }, select: { status: true } });
      if (person?.status !== "active") throw new AppError("not_found", {}, { key: "role.personNotFound" });
      personId = target.personId;
    } else {
      const known = (await teamsPeopleByEmail(tx, target.email))[0];
      const waiting = known ? undefined : (await pendingPeopleByEmail(tx, target.email, false))[0];
      pending = !known;
      personId =
        known ?? waiting ?? (await tx.person.create({ data: { email: target.email }, select: { id: true } })).id;
    }
    const existing = await tx.roleGrant.findUnique({
      where: { personId_role: { personId, role } },
      select: { revokedAt: true },
    });
    if (existing && existing.revokedAt === null) return { personId, changed: false, pending };
    await tx.roleGrant.upsert({
      where: { personId_role: { personId, role } },
      create: { personId, role, grantedById: actorId, grantedAt: now },
      update: { revokedAt: null, grantedById: actorId, grantedAt: now },
    });
    await tx.auditLog.create({
      data: { actorId, action: "role.granted", subjectType: "person", subjectId: personId, details: { role, pending } },
    });
    return { personId, changed: true, pending };
  });
}
