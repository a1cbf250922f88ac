// HR moves a referral along (received → contacted → interviewing → hired /
// declined) or sets its reward flag. Each change is recorded with who made it,
// and the referrer gets a Slack DM about it (an outbox row in the same
// transaction). Only hr and admin may do this, checked here on the server.
import { z } from "zod";
import { enqueueOutbox } from "../../delivery/outbox.js";
import type { ReferralStatus, RewardState } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { requireRole } from "../roles/require-role.js";
import { parseInput, zOptionalText } from "../validation.js";

const ZChange = z.object({
  referralNumber: z.number().int().min(1),
  status: z.enum(["received", "contacted", "interviewing", "hired", "declined"]).optional(),
  rewardState: z.enum(["none", "eligible", "paid"]).optional(),
  note: zOptionalText(500),
  /** The status the actor saw on the card; a stale card must not overwrite a newer change. */
  expectedStatus: z.enum(["received", "contacted", "interviewing", "hired", "declined"]).optional(),
});

export interface ReferralChangeResult {
  changed: boolean;
  number: number;
  status: ReferralStatus;
  rewardState: RewardState;
}

export async function changeReferralStatus(options: {
  prisma: Db;
  actorId: string;
  change: z.input<typeof ZChange>;
}): Promise<ReferralChangeResult> {
  const change = parseInput(ZChange, options.change);
  const { prisma, actorId } = options;
  return prisma.$transaction(async (tx) => {
    await requireRole(tx, actorId, ["hr"]);
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM referrals WHERE number = ${change.referralNumber} FOR UPDATE`;
    const referral = locked[0] ? await tx.referral.findUnique({ where: { id: locked[0].id } }) : null;
    if (!referral) throw new AppError("not_found", { number: change.referralNumber }, { key: "referral.notFound" });
    if (change.expectedStatus && change.expectedStatus !== referral.status) {
      throw new AppError("conflict", {}, { key: "referral.stale" });
    }
    const status = change.status ?? referral.status;
    const rewardState = change.rewardState ?? referral.rewardState;
    if (rewardState !== "none" && status !== "hired") {
      throw new AppError("validation", {}, { fields: { rewardState: { key: "referral.rewardNeedsHire" } } });
    }
    const result = { number: referral.number, status, rewardState };
    if (status === referral.status && rewardState === referral.rewardState) return { changed: false, ...result };

    await tx.referral.update({ where: { id: referral.id }, data: { status, rewardState } });
    const history = await tx.referralStatusChange.create({
      data: {
        referralId: referral.id,
        fromStatus: referral.status,
        toStatus: status,
        rewardState: rewardState === referral.rewardState ? null : rewardState,
        changedById: actorId,
        note: change.note,
      },
      select: { id: true },
    });
    await tx.auditLog.create({
      data: {
        actorId,
        action: "referral.status_changed",
        subjectType: "referral",
        subjectId: referral.id,
        details: { from: referral.status, to: status, rewardState },
      },
    });
    // Tell the referrer, if they are still a member with a Slack identity.
    if (referral.referrerId && status !== referral.status) {
      const identity = await tx.slackIdentity.findFirst({
        where: { personId: referral.referrerId, person: { status: "active" } },
        select: { userId: true, teamId: true },
      });
      if (identity) {
        await enqueueOutbox(tx, [
          {
            idempotencyKey: `referral:${referral.id}:status:${history.id}`,
            platform: "slack",
            operation: "dm",
            target: identity.userId,
            recipientId: referral.referrerId,
            subjectType: "referral",
            subjectId: referral.id,
            rateKey: `slack:${identity.teamId}:dm`,
            payload: { type: "slack.referral_status", referralId: referral.id, changeId: history.id },
          },
        ]);
      }
    }
    return { changed: true, ...result };
  });
}
