// The first half of an import: an hr (or admin) uploads a leavers file; it is parsed and
// compared with the roster by employee number (new, updated, unchanged = every column equal,
// rejected lines with their reasons), and kept as a RosterImport in status `previewed` with its
// parsed rows, so that Import applies exactly what the card showed, after the file's download
// URL has expired. Nothing is written to roster_entries here. A fatal problem with the file
// throws before anything is stored.
import { createHash } from "node:crypto";
import type { Db } from "../db.js";
import { requireRole } from "../roles/require-role.js";
import { parseRosterFile, type RosterRow } from "./parse-roster-file.js";
import { COMPARED_SELECT, sameAsStored } from "./roster-entry-view.js";
import { type RosterCounts, type RosterPreview, rosterPreviewOf, type TRosterSummary } from "./roster-import-view.js";

export type { RosterPreview } from "./roster-import-view.js";

/** Employee numbers looked up per query (well under PostgreSQL's bind-parameter limit). */
const LOOKUP_CHUNK = 5_000;

export async function previewRosterImport(options: {
  prisma: Db;
  uploaderId: string;
  fileName: string;
  bytes: Uint8Array;
  maxRows: number;
  /** Largest file accepted (config.roster.maxBytes); the downloader enforces it too. */
  maxBytes?: number;
}): Promise<RosterPreview> {
  const { prisma, uploaderId, bytes, maxRows } = options;
  await requireRole(prisma, uploaderId, ["hr"]);
  const fileName = options.fileName.trim().slice(0, 255) || "roster.csv";
  const parsed = await parseRosterFile({
    bytes,
    fileName,
    maxRows,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
  const counts = await compareWithRoster(prisma, parsed.rows);
  const summary: TRosterSummary = {
    encoding: parsed.encoding,
    format: parsed.format,
    columns: parsed.columns,
    counts: { ...counts, rejected: parsed.rejected.length },
    rejected: parsed.rejected,
  };
  const created = await prisma.rosterImport.create({
    data: {
      uploaderId,
      fileName,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      status: "previewed",
      summary: summary as never,
      rows: parsed.rows as never,
    },
    select: { number: true, fileName: true, status: true, summary: true },
  });
  return rosterPreviewOf(created);
}

async function compareWithRoster(prisma: Db, rows: RosterRow[]): Promise<Omit<RosterCounts, "rejected">> {
  const counts = { new: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < rows.length; i += LOOKUP_CHUNK) {
    const chunk = rows.slice(i, i + LOOKUP_CHUNK);
    const stored = await prisma.rosterEntry.findMany({
      where: { employeeNumber: { in: chunk.map((r) => r.employeeNumber) } },
      select: COMPARED_SELECT,
    });
    const byNumber = new Map(stored.map((s) => [s.employeeNumber, s]));
    for (const row of chunk) {
      const existing = byNumber.get(row.employeeNumber);
      if (!existing) counts.new += 1;
      else if (sameAsStored(row, existing)) counts.unchanged += 1;
      else counts.updated += 1;
    }
  }
  return counts;
}
