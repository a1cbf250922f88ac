// Every Teams command and card verb is allowed or refused by the one
// authorization matrix (src/core/roles/authorization-matrix.ts) from the roles
// read fresh this turn, before its handler runs; the core operation checks the
// role again in its own transaction.
import type { TurnContext } from "botbuilder";
import { AppError } from "../../core/errors.js";
import { AUTHORIZATION_MATRIX, outcomeFor, type Persona } from "../../core/roles/authorization-matrix.js";
import type { TeamsActor } from "./actor.js";
import { tenantOf } from "./actor.js";

const TEAMS_OPERATIONS = new Set(AUTHORIZATION_MATRIX.filter((op) => op.platform === "teams").map((op) => op.id));

/** With MICROSOFT_APP_TENANT_ID set, a user of any other tenant is a stranger. */
export function isForeignTenant(context: TurnContext, homeTenantId: string | undefined | null): boolean {
  if (!homeTenantId) return false;
  return tenantOf(context).toLowerCase() !== homeTenantId.toLowerCase();
}

export function teamsPersonas(actor: Pick<TeamsActor, "roles">): Persona[] {
  return actor.roles.length ? [...actor.roles] : ["member"];
}

/** The matrix's operation for a typed command (its first one or two words), or null for an unknown one. */
export function commandOperation(head: string, second: string): string | null {
  const name = ["", "ヘルプ"].includes(head)
    ? "help"
    : ["schedule", "cancel", "move"].includes(head) && second === "event"
      ? `${head}_event`
      : head === "survey" && second === "results"
        ? "survey_results"
        : head === "failed" && second === "deliveries"
          ? "failed_deliveries"
          : head;
  const id = `teams.command.${name}`;
  return TEAMS_OPERATIONS.has(id) ? id : null;
}

/** Throws the matrix's refusal unless the actor may run the operation; unknown operations pass (their handler refuses). */
export function requireAllowed(actor: Pick<TeamsActor, "roles">, operationId: string | null): void {
  if (!operationId || !TEAMS_OPERATIONS.has(operationId)) return;
  const outcome = outcomeFor(operationId, teamsPersonas(actor));
  if (!outcome.allowed) throw new AppError("forbidden", {}, { key: outcome.key });
}
