// Dead letters, for admins: what could not be delivered after every attempt.
import type { Db } from "../db.js";
import { requireRole } from "../roles/require-role.js";

export const FAILED_DELIVERIES_LIMIT = 20;

export async function listFailedDeliveries(options: { prisma: Db; actorId: string }) {
  const { prisma, actorId } = options;
  await requireRole(prisma, actorId, ["admin"]);
  const [rows, total] = await Promise.all([
    prisma.outboxMessage.findMany({
      where: { status: "dead" },
      orderBy: { updatedAt: "desc" },
      take: FAILED_DELIVERIES_LIMIT,
      select: { id: true, kind: true, platform: true, target: true, attempts: true, lastError: true, updatedAt: true },
    }),
    prisma.outboxMessage.count({ where: { status: "dead" } }),
  ]);
  return { rows, total };
}

export type FailedDeliveries = Awaited<ReturnType<typeof listFailedDeliveries>>;
