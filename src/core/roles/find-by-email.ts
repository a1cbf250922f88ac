// People found by email for role grants. Emails compare case-insensitively and
// literally (no LIKE: "_" is common in addresses and must not match any letter).
import type { Tx } from "../db.js";

/** Active people with a Teams identity and this email, oldest first. */
export async function teamsPeopleByEmail(tx: Tx, email: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT p.id FROM people p
    WHERE p.status = 'active' AND lower(p.email) = lower(${email})
      AND EXISTS (SELECT 1 FROM teams_identities ti WHERE ti.person_id = p.id)
    ORDER BY p.created_at, p.id`;
  return rows.map((r) => r.id);
}

/**
 * "Pending" people with this email: made by an admin's grant before the person
 * ever talked to the bot, with no Slack or Teams identity yet, oldest first.
 * With `withRole`, only those holding a role that is not revoked.
 */
export async function pendingPeopleByEmail(tx: Tx, email: string, withRole: boolean): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT p.id FROM people p
    WHERE p.status = 'active' AND lower(p.email) = lower(${email})
      AND NOT EXISTS (SELECT 1 FROM slack_identities si WHERE si.person_id = p.id)
      AND NOT EXISTS (SELECT 1 FROM teams_identities ti WHERE ti.person_id = p.id)
      AND (NOT ${withRole}::boolean OR EXISTS (SELECT 1 FROM role_grants g WHERE g.person_id = p.id AND g.revoked_at IS NULL))
    ORDER BY p.created_at, p.id`;
  return rows.map((r) => r.id);
}

/** Active people with this email, whatever identities they have, oldest first. */
export async function activePeopleByEmail(tx: Tx, email: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT p.id FROM people p
    WHERE p.status = 'active' AND lower(p.email) = lower(${email})
    ORDER BY p.created_at, p.id`;
  return rows.map((r) => r.id);
}
