// Who holds which role (admins only): every grant not revoked, admins first,
// then hr, then community managers, each by name. "pending" people were
// granted by email and have not talked to the bot in Teams yet.
import type { Role } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { requireRole } from "./require-role.js";

export interface RoleHolder {
  personId: string;
  role: Role;
  displayName: string | null;
  email: string | null;
  grantedAt: Date;
  pending: boolean;
}

const ROLE_ORDER: Record<Role, number> = { admin: 0, hr: 1, cm: 2 };

export async function listRoles(options: { prisma: Db; actorId: string }): Promise<RoleHolder[]> {
  const { prisma, actorId } = options;
  await requireRole(prisma, actorId, ["admin"]);
  const grants = await prisma.roleGrant.findMany({
    where: { revokedAt: null, person: { status: "active" } },
    select: {
      role: true,
      grantedAt: true,
      person: {
        select: {
          id: true,
          displayName: true,
          email: true,
          _count: { select: { teamsIdentities: true, slackIdentities: true } },
        },
      },
    },
  });
  const collator = new Intl.Collator("ja");
  return grants
    .map((g) => ({
      personId: g.person.id,
      role: g.role,
      displayName: g.person.displayName,
      email: g.person.email,
      grantedAt: g.grantedAt,
      pending: g.person._count.teamsIdentities === 0 && g.person._count.slackIdentities === 0,
    }))
    .sort(
      (a, b) =>
        ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
        collator.compare(a.displayName ?? a.email ?? "", b.displayName ?? b.email ?? "") ||
        a.personId.localeCompare(b.personId),
    );
}
