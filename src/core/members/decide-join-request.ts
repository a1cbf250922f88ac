// HR approves or rejects a join request (the Teams card's buttons). One decision per
// request: the update only takes a request still pending, so two HR people clicking at
// once (or a click on a card already decided) give one decision; the other click is told
// who decided. Approving verifies the member (and, if HR picked one, links the roster row
// still unlinked); rejecting marks them rejected with HR's reason, which is told to them.
// The audit entry and the person's Slack DM are written in the same transaction.
import { z } from "zod";
import { enqueueOutbox } from "../../delivery/outbox.js";
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { requireRole } from "../roles/require-role.js";
import { parseInput, zOptionalText } from "../validation.js";
import { type JoinRequestView, readJoinRequest } from "./get-join-request.js";
import { joinBlockedUntil } from "./register-member.js";

export type { JoinRequestView } from "./get-join-request.js";

const ZDecision = z.object({
  requestNumber: z.number().int().positive().max(2_147_483_647),
  decision: z.enum(["approve", "reject"]),
  reason: zOptionalText(500),
  rosterEntryId: z.uuid().nullish(),
});

export async function decideJoinRequest(options: {
  prisma: Db;
  actorId: string;
  requestNumber: number;
  decision: "approve" | "reject";
  reason?: string | null;
  rosterEntryId?: string | null;
  /**
   * config.membership: after a rejection, the DM says from when the person may apply again.
   * Omitted: the DM says they may apply again (a blocked re-application is refused with its date).
   */
  policy?: { rejectionsBeforeBlock: number; reapplyBlockDays: number };
}): Promise<{ outcome: "decided" | "already_decided"; request: JoinRequestView }> {
  const { prisma, actorId } = options;
  const input = parseInput(ZDecision, {
    requestNumber: options.requestNumber,
    decision: options.decision,
    reason: options.reason ?? null,
    rosterEntryId: options.rosterEntryId ?? null,
  });
  await requireRole(prisma, actorId, ["hr"]);
  const status = input.decision === "approve" ? "approved" : "rejected";
  // An approval carries no reason (nothing to tell but the welcome).
  const reason = status === "rejected" ? input.reason : null;

  return prisma.$transaction(async (tx) => {
    // Row-locked: a concurrent decision waits here, then finds the request no longer pending.
    const decided = await tx.$queryRaw<{ id: string; person_id: string }[]>`
      UPDATE join_requests SET status = ${status}::"JoinRequestStatus", decided_by_id = ${actorId}::uuid,
             decided_at = now(), reason = ${reason}
      WHERE number = ${input.requestNumber} AND status = 'pending'
      RETURNING id, person_id`;
    const row = decided[0];
    if (!row) {
      const request = await readJoinRequest(tx, { number: input.requestNumber });
      if (!request) {
        throw new AppError("not_found", { number: input.requestNumber }, { key: "membership.requestNotFound" });
      }
      return { outcome: "already_decided" as const, request: publicView(request) };
    }
    const personId = row.person_id;
    let rosterEntryId: string | null = null;
    if (status === "approved") {
      await tx.$executeRaw`
        UPDATE people SET membership_status = 'verified', updated_at = now()
        WHERE id = ${personId}::uuid AND status = 'active'`;
      if (input.rosterEntryId) {
        const linked = await tx.$executeRaw`
          UPDATE roster_entries SET person_id = ${personId}::uuid, updated_at = now()
          WHERE id = ${input.rosterEntryId}::uuid AND person_id IS NULL
            AND NOT EXISTS (SELECT 1 FROM roster_entries WHERE person_id = ${personId}::uuid)`;
        if (linked === 1) rosterEntryId = input.rosterEntryId;
      }
    } else {
      // A member verified meanwhile (MEMBERSHIP_VERIFICATION switched to off) stays verified.
      await tx.$executeRaw`
        UPDATE people SET membership_status = 'rejected', updated_at = now()
        WHERE id = ${personId}::uuid AND status = 'active' AND membership_status <> 'verified'`;
    }
    await tx.auditLog.create({
      data: {
        actorId,
        action: status === "approved" ? "join_request.approved" : "join_request.rejected",
        subjectType: "join_request",
        subjectId: row.id,
        details: {
          number: input.requestNumber,
          personId,
          ...(rosterEntryId ? { rosterEntryId } : {}),
          ...(status === "rejected" ? { withReason: reason !== null } : {}),
        },
      },
    });
    let reapplyFrom: string | null = null;
    if (status === "rejected" && options.policy) {
      const until = await joinBlockedUntil(tx, personId, options.policy);
      // The first whole day they may (the block ends during the day before).
      reapplyFrom = until ? new Date(until.getTime() + 86_400_000).toISOString().slice(0, 10) : null;
    }
    const identity = await tx.slackIdentity.findFirst({
      where: { personId, person: { status: "active" } },
      orderBy: { createdAt: "asc" },
      select: { teamId: true, userId: true },
    });
    if (identity) {
      await enqueueOutbox(tx, [
        {
          idempotencyKey: `join-decision:${row.id}`,
          platform: "slack",
          operation: "dm",
          target: identity.userId,
          recipientId: personId,
          subjectType: "join_request",
          subjectId: row.id,
          rateKey: `slack:${identity.teamId}:dm`,
          payload: { type: "member.joinDecision", joinRequestId: row.id, reapplyFrom },
        },
      ]);
    }
    const request = await readJoinRequest(tx, { id: row.id });
    if (!request) throw new AppError("internal", { ref: "join-request" });
    return { outcome: "decided" as const, request: publicView(request) };
  });
}

function publicView(request: JoinRequestView & { id: string; personId: string }): JoinRequestView {
  const { id: _id, personId: _personId, ...view } = request;
  return view;
}
