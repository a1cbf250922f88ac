// The core talks to the database through Prisma only; a transaction client and
// the root client share these types.
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** True for a unique-constraint violation (Prisma P2002), e.g. a duplicate idempotency key. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}

/**
 * A request that must apply once (a card submitted twice, a redelivered activity):
 * the first call runs `fn` and stores its JSON result under `key`, in the same
 * transaction as the change; later calls with the key return the stored result
 * without running `fn`. A concurrent duplicate loses on the primary key and is
 * retried, then sees the winner's result.
 */
export async function applyOnce<T>(
  prisma: Db,
  key: string,
  fn: (tx: Tx) => Promise<T>,
  platform: "slack" | "teams" = "teams",
): Promise<{ result: T; duplicate: boolean }> {
  const stored = async (): Promise<{ result: T; duplicate: true } | null> => {
    const row = await prisma.processedDelivery.findUnique({ where: { key } });
    return row ? { result: (row.response as { result: T } | null)?.result as T, duplicate: true } : null;
  };
  const previous = await stored();
  if (previous) return previous;
  try {
    const result = await prisma.$transaction(async (tx) => {
      const value = await fn(tx);
      await tx.processedDelivery.create({
        data: { key, platform, response: { result: value ?? null } as never },
      });
      return value;
    });
    return { result, duplicate: false };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const winner = await stored();
    if (!winner) throw err;
    return winner;
  }
}
