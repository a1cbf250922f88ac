// An admin sends a dead letter (or all of them) again: back to pending, with a
// fresh set of attempts. Its idempotency key is unchanged, so it is still one message.
import { z } from "zod";
import type { Db } from "../db.js";
import { requireRole } from "../roles/require-role.js";
import { parseInput } from "../validation.js";

const ZRetry = z.union([z.object({ id: z.uuid() }), z.object({ all: z.literal(true) })]);

export async function retryDelivery(options: {
  prisma: Db;
  actorId: string;
  target: { id: string } | { all: true };
}): Promise<{ retried: number }> {
  const target = parseInput(ZRetry, options.target);
  const { prisma, actorId } = options;
  return prisma.$transaction(async (tx) => {
    await requireRole(tx, actorId, ["admin"]);
    const result = await tx.outboxMessage.updateMany({
      where: { status: "dead", ...("id" in target ? { id: target.id } : {}) },
      data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), leaseOwner: null, leaseExpiresAt: null },
    });
    await tx.auditLog.create({
      data: {
        actorId,
        action: "delivery.retried",
        subjectType: "outbox",
        subjectId: "id" in target ? target.id : null,
        details: { count: result.count },
      },
    });
    return { retried: result.count };
  });
}
