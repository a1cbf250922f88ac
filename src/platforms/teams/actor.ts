// Who sent this Teams activity: the person behind the Entra object id (created
// on first contact, admins bootstrapped from ADMIN_AAD_OBJECT_IDS), their roles
// (read fresh every turn: a revoked role stops working at once) and language.
import { TeamsInfo, type TurnContext } from "botbuilder";
import type { Db } from "../../core/db.js";
import { AppError } from "../../core/errors.js";
import { rolesOf } from "../../core/roles/require-role.js";
import { resolveTeamsPerson } from "../../core/roles/resolve-teams-person.js";
import type { Role } from "../../generated/prisma/client.js";
import { type Locale, localeFromTag } from "../../i18n/index.js";
import type { Logger } from "../../logger.js";
import type { LoadedIdentity } from "./turn-load.js";

export interface TeamsActor {
  personId: string;
  roles: Role[];
  locale: Locale;
  name: string | null;
  aadObjectId: string;
  tenantId: string;
}

export function tenantOf(context: TurnContext): string {
  const activity = context.activity;
  const channelTenant = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return activity.conversation?.tenantId ?? channelTenant ?? "";
}

export function localeOf(context: TurnContext, fallback: Locale): Locale {
  const activity = context.activity;
  const clientInfo = activity.entities?.find((e) => e.type === "clientInfo") as { locale?: string } | undefined;
  return localeFromTag(activity.locale) ?? localeFromTag(clientInfo?.locale) ?? fallback;
}

export function hasRole(actor: TeamsActor, ...roles: Role[]): boolean {
  return actor.roles.includes("admin") || actor.roles.some((r) => roles.includes(r));
}

export async function resolveActor(options: {
  context: TurnContext;
  prisma: Db;
  adminAadObjectIds: readonly string[];
  defaultLocale: Locale;
  logger: Logger;
  /** MICROSOFT_APP_TENANT_ID: when set, users of any other tenant are refused, and nothing is stored about them. */
  homeTenantId?: string | null | undefined;
  /** The identity (with fresh roles) this turn already read (see turn-load.ts); undefined: read it here. */
  preloaded?: LoadedIdentity | null | undefined;
}): Promise<TeamsActor | null> {
  const { context, prisma } = options;
  const from = context.activity.from;
  const aadObjectId = from?.aadObjectId?.toLowerCase();
  const tenantId = tenantOf(context);
  const locale = localeOf(context, options.defaultLocale);
  if (options.homeTenantId && tenantId.toLowerCase() !== options.homeTenantId.toLowerCase()) {
    throw new AppError("forbidden", {}, { key: "teams.otherTenant" });
  }
  if (!aadObjectId || !tenantId) return null;

  const known =
    options.preloaded !== undefined
      ? options.preloaded
      : await prisma.teamsIdentity
          .findUnique({
            where: { tenantId_aadObjectId: { tenantId, aadObjectId } },
            select: { personId: true, person: { select: { status: true } } },
          })
          .then((row) => row && { personId: row.personId, active: row.person.status === "active", roles: undefined });
  const base = { locale, name: from.name ?? null, aadObjectId, tenantId };
  if (known?.active) {
    const roles = known.roles ?? (await rolesOf(prisma, known.personId));
    // A bootstrap admin is (re)granted on the slow path below only when the grant is missing.
    if (!options.adminAadObjectIds.includes(aadObjectId) || roles.includes("admin")) {
      return { personId: known.personId, roles, ...base };
    }
  }
  // First contact: ask Teams for the email, so a role granted by email finds its holder.
  let email: string | null = null;
  if (!known) {
    try {
      const member = await TeamsInfo.getMember(context, from.id);
      email = member.email ?? member.userPrincipalName ?? null;
    } catch (err) {
      options.logger.warn({ err }, "could not look up the Teams member; continuing without an email");
    }
  }
  const person = await resolveTeamsPerson({
    prisma,
    tenantId,
    aadObjectId,
    teamsUserId: from.id,
    name: from.name ?? null,
    email,
    adminAadObjectIds: options.adminAadObjectIds,
  });
  return { personId: person.personId, roles: person.roles, ...base };
}
