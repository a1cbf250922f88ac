// Who is this Teams user to us? Found by their Entra object id; on first contact
// either linked to a person an admin already granted a role by email, or
// created. Object ids listed in the configuration are admins (bootstrap).
// Two first messages at once still make one person: the loser of the unique
// (tenant, object id) race reads the winner's row.
import type { Role } from "../../generated/prisma/client.js";
import { type Db, isUniqueViolation, type Tx } from "../db.js";
import { pendingPeopleByEmail } from "./find-by-email.js";
import { rolesOf } from "./require-role.js";

export interface TeamsPerson {
  personId: string;
  roles: Role[];
  /** A new person was made. */
  created: boolean;
  /** Linked to a person an admin had granted a role by email. */
  linked: boolean;
}

export async function resolveTeamsPerson(options: {
  prisma: Db;
  tenantId: string;
  aadObjectId: string;
  teamsUserId: string;
  name: string | null;
  email: string | null;
  adminAadObjectIds: readonly string[];
}): Promise<TeamsPerson> {
  const { prisma, tenantId } = options;
  const aadObjectId = options.aadObjectId.trim().toLowerCase();
  if (!tenantId || !aadObjectId) throw new TypeError("resolveTeamsPerson needs a tenant and an object id");
  const name = options.name?.normalize("NFC").trim() || null;
  const email = options.email?.trim() || null;
  const isAdmin = options.adminAadObjectIds.some((id) => id.trim().toLowerCase() === aadObjectId);

  const attempt = () =>
    prisma.$transaction(async (tx): Promise<TeamsPerson> => {
      let created = false;
      let linked = false;
      const identity = await tx.teamsIdentity.findUnique({
        where: { tenantId_aadObjectId: { tenantId, aadObjectId } },
        select: { id: true, teamsUserId: true, person: { select: { id: true, displayName: true } } },
      });
      let personId: string;
      if (identity) {
        personId = identity.person.id;
        if (identity.teamsUserId !== options.teamsUserId) {
          await tx.teamsIdentity.update({ where: { id: identity.id }, data: { teamsUserId: options.teamsUserId } });
        }
        if (name && identity.person.displayName !== name) {
          await tx.person.update({ where: { id: personId }, data: { displayName: name } });
        }
      } else {
        const pending = email ? (await pendingPeopleByEmail(tx, email, true))[0] : undefined;
        if (pending) {
          personId = pending;
          linked = true;
          await tx.person.update({
            where: { id: personId },
            data: {
              ...(name ? { displayName: name } : {}),
              teamsIdentities: { create: { tenantId, aadObjectId, teamsUserId: options.teamsUserId } },
            },
          });
          await audit(tx, personId, "person.teams_linked");
        } else {
          const person = await tx.person.create({
            data: {
              displayName: name,
              email,
              teamsIdentities: { create: { tenantId, aadObjectId, teamsUserId: options.teamsUserId } },
            },
            select: { id: true },
          });
          personId = person.id;
          created = true;
        }
      }
      if (isAdmin) await ensureAdmin(tx, personId);
      const roles = await rolesOf(tx, personId);
      return { personId, roles: [...new Set(roles)].sort(), created, linked };
    });

  try {
    return await attempt();
  } catch (err) {
    // A concurrent first contact made the identity (or the admin grant) first: read it now.
    if (!isUniqueViolation(err)) throw err;
    return attempt();
  }
}

async function ensureAdmin(tx: Tx, personId: string): Promise<void> {
  const grant = await tx.roleGrant.findUnique({
    where: { personId_role: { personId, role: "admin" } },
    select: { revokedAt: true },
  });
  if (grant && grant.revokedAt === null) return;
  if (grant) {
    await tx.roleGrant.update({ where: { personId_role: { personId, role: "admin" } }, data: { revokedAt: null } });
  } else {
    await tx.roleGrant.create({ data: { personId, role: "admin" } });
  }
  await audit(tx, personId, "role.admin_bootstrapped");
}

function audit(tx: Tx, personId: string, action: string) {
  return tx.auditLog.create({ data: { actorId: null, action, subjectType: "person", subjectId: personId } });
}
