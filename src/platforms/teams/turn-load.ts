// Everything a Teams turn reads before it runs, in one statement (one round trip
// instead of five): the redelivery claim (the same INSERT as claimDelivery in
// src/http/deliveries.ts), the sender's identity with their roles read fresh,
// the dialog state of this user in this conversation, and whether the stored
// conversation reference already says what this activity says (then it is not
// written again).

import type { Db } from "../../core/db.js";
import { Prisma, type Role } from "../../generated/prisma/client.js";
import { claimStatement } from "../../http/deliveries.js";

export interface LoadedIdentity {
  personId: string;
  /** The person's status is active (roles count only then). */
  active: boolean;
  roles: Role[];
}

export interface LoadedTurn {
  /** The claim was taken (always true without a claim key). */
  claimed: boolean;
  /** The identity of (tenant, object id): null when unknown; undefined when not looked up. */
  identity: LoadedIdentity | null | undefined;
  /** The stored dialog state row: null when none; undefined when not looked up. */
  state: { value: Record<string, unknown>; eTag: string } | null | undefined;
  /** The stored conversation reference: its id and whether it equals the one given; null when none. */
  conversation: { id: string; same: boolean } | null | undefined;
}

export interface TurnLoadRequest {
  /** processed_deliveries key to claim, or null. */
  claimKey: string | null;
  /** Keys of earlier turns that are done (see Completions): marked done in the same statement. */
  completed: readonly string[];
  /** Sender's tenant and (lower-case) Entra object id, or null to skip the identity. */
  identity: { tenantId: string; aadObjectId: string } | null;
  /** bot_state key of the dialog state, or null to skip it. */
  stateKey: string | null;
  /** The conversation reference the turn would store, or null to skip it. */
  conversation: {
    conversationId: string;
    tenantId: string | null;
    conversationType: string;
    serviceUrl: string;
    reference: object;
    /** Compare the references without their activityId (the last activity seen). */
    ignoreActivityId: boolean;
  } | null;
}

interface Row {
  claimed: number;
  identity: LoadedIdentity | null;
  state: { value: Record<string, unknown>; eTag: string } | null;
  conversation: { id: string; same: boolean } | null;
}

export async function loadTurn(prisma: Db, request: TurnLoadRequest): Promise<LoadedTurn> {
  const { claimKey, completed, identity, stateKey, conversation } = request;
  const referenceJson = conversation ? JSON.stringify(conversation.reference) : null;
  // claimDelivery's own statement; without a key, nothing to claim.
  const claim = claimKey ? claimStatement("teams", claimKey) : Prisma.sql`SELECT NULL::text AS key WHERE false`;
  const rows = await prisma.$queryRaw<Row[]>`
    WITH claim AS (${claim}),
    done AS (
      UPDATE processed_deliveries SET response = '{"done":true}'::jsonb
      WHERE key = ANY(${completed}::text[]) AND response IS NULL
    )
    SELECT
      (SELECT count(*)::int FROM claim) AS claimed,
      (SELECT json_build_object(
          'personId', ti.person_id,
          'active', p.status = 'active',
          'roles', COALESCE(
            (SELECT json_agg(rg.role) FROM role_grants rg WHERE rg.person_id = ti.person_id AND rg.revoked_at IS NULL),
            '[]'::json))
        FROM teams_identities ti JOIN people p ON p.id = ti.person_id
        WHERE ti.tenant_id = ${identity?.tenantId ?? null}::text
          AND ti.aad_object_id = ${identity?.aadObjectId ?? null}::text) AS identity,
      (SELECT json_build_object('value', b.value, 'eTag', b.e_tag)
        FROM bot_state b WHERE b.key = ${stateKey}::text) AS state,
      (SELECT json_build_object(
          'id', r.id,
          'same', r.tenant_id IS NOT DISTINCT FROM ${conversation?.tenantId ?? null}::text
            AND r.conversation_type = ${conversation?.conversationType ?? null}::text
            AND r.service_url = ${conversation?.serviceUrl ?? null}::text
            AND CASE WHEN ${conversation?.ignoreActivityId ?? false}::boolean
              THEN (r.reference - 'activityId') = (${referenceJson}::jsonb - 'activityId')
              ELSE r.reference = ${referenceJson}::jsonb END)
        FROM teams_conversation_refs r WHERE r.conversation_id = ${conversation?.conversationId ?? null}::text) AS conversation`;
  const row = rows[0] as Row;
  return {
    claimed: claimKey === null || row.claimed === 1,
    identity: identity ? row.identity : undefined,
    state: stateKey ? row.state : undefined,
    conversation: conversation ? row.conversation : undefined,
  };
}

/** Most keys kept waiting to be marked done (more only while the database refuses the writes). */
const MAX_PENDING = 10_000;

/**
 * Deliveries whose turn is over, to be marked done (completeDelivery's UPDATE) in the next
 * turn's loadTurn statement, or by one UPDATE for all of them after `delayMs` when no turn
 * comes: one round trip less per turn. Until then the claim reads as in flight, which skips a
 * redelivery just the same; only a crash in that moment leaves it to be taken over after
 * STALE_CLAIM_SECONDS, as a crash before the old per-turn UPDATE did.
 */
export class Completions {
  private keys: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly prisma: Db,
    private readonly onError: (err: unknown) => void,
    private readonly delayMs = 200,
  ) {}

  add(key: string): void {
    this.keys.push(key);
    if (this.keys.length > MAX_PENDING) this.keys.splice(0, this.keys.length - MAX_PENDING);
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
    this.timer.unref?.();
  }

  /** The pending keys, except `except` (a statement must not claim and complete one row). */
  take(except: string | null): string[] {
    const taken = except === null ? this.keys : this.keys.filter((k) => k !== except);
    this.keys = except === null ? [] : this.keys.filter((k) => k === except);
    if (this.keys.length === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    return taken;
  }

  /** Keys taken for a statement that failed: pending again. */
  restore(keys: readonly string[]): void {
    for (const key of keys) this.add(key);
  }

  /** Mark every pending key done now (the timer, and before the database closes). */
  async flush(): Promise<void> {
    await this.flushing;
    const keys = this.take(null);
    if (keys.length === 0) return;
    this.flushing = this.prisma.$executeRaw`
      UPDATE processed_deliveries SET response = '{"done":true}'::jsonb
      WHERE key = ANY(${keys}::text[]) AND response IS NULL`.then(
      () => undefined,
      (err) => {
        this.restore(keys);
        this.onError(err);
      },
    );
    await this.flushing;
  }
}
