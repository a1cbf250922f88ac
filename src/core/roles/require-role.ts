// Roles are checked on the server for every operation that needs one, whatever
// the platform showed the user. Admins may do everything hr and cm may do.
import type { Role } from "../../generated/prisma/client.js";
import type { Db, Tx } from "../db.js";
import { AppError } from "../errors.js";

export async function rolesOf(prisma: Db | Tx, personId: string): Promise<Role[]> {
  const grants = await prisma.roleGrant.findMany({
    where: { personId, revokedAt: null, person: { status: "active" } },
    select: { role: true },
  });
  return grants.map((g) => g.role);
}

export async function requireRole(prisma: Db | Tx, personId: string, allowed: Role[]): Promise<Role[]> {
  const roles = await rolesOf(prisma, personId);
  if (!roles.some((r) => r === "admin" || allowed.includes(r))) throw new AppError("forbidden");
  return roles;
}
