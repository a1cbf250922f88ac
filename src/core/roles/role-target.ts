// Who an admin means when granting or revoking a role: a person by id, or an
// email (a Teams user, or someone who has not talked to the bot yet).
import { z } from "zod";
import { parseInput, zEmail } from "../validation.js";

export const GRANTABLE_ROLES = ["hr", "cm"] as const;
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

export type RoleTarget = { personId: string } | { email: string };

const ZRoleChange = z.object({
  role: z.enum(GRANTABLE_ROLES),
  target: z.union([z.object({ personId: z.uuid() }).strict(), z.object({ email: zEmail }).strict()]),
});

export function parseRoleChange(input: { role: unknown; target: unknown }): {
  role: GrantableRole;
  target: RoleTarget;
} {
  const target = input.target as Partial<Record<"personId" | "email", unknown>> | null | undefined;
  // Report a bad email under "email", so the form shows it under its input.
  if (target && typeof target === "object" && "email" in target) {
    const { role, email } = parseInput(z.object({ role: ZRoleChange.shape.role, email: zEmail }), {
      role: input.role,
      email: target.email,
    });
    return { role, target: { email: email.toLowerCase() } };
  }
  return parseInput(ZRoleChange, input);
}
