// A posting by its public number ("#12"), as alumni see it: open ones only.
import { z } from "zod";
import type { Posting } from "../../generated/prisma/client.js";
import type { Db, Tx } from "../db.js";
import { AppError, fieldError } from "../errors.js";
import { openPostingWhere } from "./list-open-postings.js";

export const ZPostingNumber = z.coerce.number().int().min(1).max(2_147_483_647);

export function parsePostingNumber(raw: unknown): number {
  const text = typeof raw === "string" ? raw.trim().replace(/^#/, "") : raw;
  const parsed = ZPostingNumber.safeParse(text);
  if (!parsed.success || (typeof text === "string" && !/^\d+$/.test(text))) {
    throw fieldError("posting", "posting.badNumber", { value: String(raw).slice(0, 20) });
  }
  return parsed.data;
}

export async function findOpenPosting(options: { prisma: Db | Tx; number: number; now?: Date }): Promise<Posting> {
  const posting = await options.prisma.posting.findFirst({
    where: { number: options.number, ...openPostingWhere(options.now ?? new Date()) },
  });
  if (!posting) throw new AppError("not_found", { number: options.number }, { key: "posting.notFound" });
  return posting;
}
