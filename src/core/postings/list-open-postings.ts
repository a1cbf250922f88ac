// Open jobs or side gigs, newest first, paged; optional words narrow the list.
import { z } from "zod";
import type { Posting, PostingKind, Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { parseInput, zLine } from "../validation.js";

export const POSTINGS_PAGE_SIZE = 5;

const ZQuery = z.object({
  kind: z.enum(["job", "gig"]),
  // zLine: NFC, trimmed, 1..50 characters, no control characters (PostgreSQL refuses a NUL byte).
  words: z.array(zLine(50)).max(5),
  page: z.number().int().min(0).max(1000),
});

/** Open and not past its closing date (the date is inclusive, in UTC). */
export function openPostingWhere(now: Date): Prisma.PostingWhereInput {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return { status: "open", OR: [{ closesOn: null }, { closesOn: { gte: today } }] };
}

export async function listOpenPostings(options: {
  prisma: Db;
  kind: PostingKind;
  words?: string[];
  page?: number;
  now?: Date;
}): Promise<{ postings: Posting[]; hasMore: boolean; page: number; total: number }> {
  const { kind, words, page } = parseInput(ZQuery, {
    kind: options.kind,
    words: options.words ?? [],
    page: options.page ?? 0,
  });
  const where: Prisma.PostingWhereInput = {
    ...openPostingWhere(options.now ?? new Date()),
    kind,
    AND: words.map((word) => ({
      OR: [
        { title: { contains: word, mode: "insensitive" as const } },
        { description: { contains: word, mode: "insensitive" as const } },
        { location: { contains: word, mode: "insensitive" as const } },
        { skills: { has: word } },
      ],
    })),
  };
  const skip = page * POSTINGS_PAGE_SIZE;
  const rows = await options.prisma.posting.findMany({
    where,
    orderBy: [{ publishedAt: { sort: "desc", nulls: "last" } }, { number: "desc" }],
    skip,
    take: POSTINGS_PAGE_SIZE + 1,
  });
  // The last page says how many there are (skipped + found); only before it (or past the end) is a count needed.
  const last = rows.length <= POSTINGS_PAGE_SIZE && (rows.length > 0 || skip === 0);
  const total = last ? skip + rows.length : await options.prisma.posting.count({ where });
  return { postings: rows.slice(0, POSTINGS_PAGE_SIZE), hasMore: rows.length > POSTINGS_PAGE_SIZE, page, total };
}
