// The core talks to the database through Prisma only; a transaction client and
// the root client share these types.
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** True for a unique-constraint violation (Prisma P2002), e.g. a duplicate idempotency key. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}
