// A roster file HR sends in their personal chat with the bot. Teams delivers it
// as an attachment of contentType `application/vnd.microsoft.teams.file.download.info`
// whose content holds a download URL valid for a few minutes. The sender's role
// is checked before anything is fetched; the file is fetched at once (only from
// TEAMS_FILE_HOSTS, see fetch-teams-file.ts), parsed and previewed by the roster
// core, and answered with the preview card (Import / Cancel). Nothing reaches
// the roster before Import.
import { z } from "zod";
import type { Db } from "../../core/db.js";
import { AppError } from "../../core/errors.js";
import { requireRole } from "../../core/roles/require-role.js";
import { previewRosterImport } from "../../core/roster/preview-roster-import.js";
import type { TeamsActor } from "./actor.js";
import { requireAllowed } from "./authorize.js";
import type { Card } from "./cards/elements.js";
import { rosterPreviewCard } from "./cards/roster.js";
import type { TeamsDeps } from "./deps.js";
import { fetchTeamsFile, hostOf } from "./fetch-teams-file.js";

export const FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info";

/** The file types the roster core reads (by the name's extension or Teams' fileType). */
export const ROSTER_FILE_TYPES = ["csv", "tsv", "txt", "xlsx"] as const;

const ZFileAttachment = z.object({
  contentType: z.literal(FILE_DOWNLOAD_INFO),
  name: z.string().trim().min(1).max(255),
  content: z.object({
    downloadUrl: z.string().min(1).max(8000),
    uniqueId: z.string().max(200).optional(),
    fileType: z.string().max(20).optional(),
  }),
});
export type TFileAttachment = z.infer<typeof ZFileAttachment>;

/**
 * The first file attachment of an activity, or null when it has none. An attachment of the
 * file type whose content is not what Teams sends is refused (it cannot be downloaded).
 */
export function fileAttachmentOf(attachments: unknown): TFileAttachment | null {
  if (!Array.isArray(attachments)) return null;
  const raw = attachments.find(
    (a) => typeof a === "object" && a !== null && (a as { contentType?: unknown }).contentType === FILE_DOWNLOAD_INFO,
  );
  if (!raw) return null;
  const parsed = ZFileAttachment.safeParse(raw);
  if (!parsed.success)
    throw new AppError("validation", { reason: "attachment" }, { key: "teamsRoster.file.downloadFailed" });
  return parsed.data;
}

function fileTypeOf(file: TFileAttachment): string {
  const fromName = /\.([a-z0-9]{1,10})$/i.exec(file.name)?.[1];
  return (fromName ?? file.content.fileType ?? "").toLowerCase();
}

/** Handle an uploaded roster file: returns the preview card (or throws a localized AppError). */
export async function uploadRosterFile(options: {
  deps: TeamsDeps;
  actor: TeamsActor;
  file: TFileAttachment;
  /** The conversation's type: files are read in the personal chat only. */
  conversationType: string;
}): Promise<Card> {
  const { deps, actor, file } = options;
  // The role first: someone without it learns nothing, and nothing is downloaded.
  requireAllowed(actor, "teams.command.roster");
  await requireRole(deps.prisma, actor.personId, ["hr"]);
  if (options.conversationType !== "personal") {
    throw new AppError("validation", {}, { key: "teamsRoster.file.personalOnly" });
  }
  if (!(ROSTER_FILE_TYPES as readonly string[]).includes(fileTypeOf(file))) {
    throw new AppError("validation", { name: file.name.slice(0, 100) }, { key: "teamsRoster.file.badType" });
  }
  const roster = deps.config.roster;
  const host = hostOf(file.content.downloadUrl);
  const started = Date.now();
  let bytes: Uint8Array;
  try {
    bytes = await fetchTeamsFile({
      url: file.content.downloadUrl,
      hosts: roster?.fileHosts ?? [],
      maxBytes: roster?.maxBytes ?? 0,
    });
  } catch (err) {
    // Only the host: the URL's query string is a bearer token.
    deps.logger.info({ host, key: err instanceof AppError ? err.key : undefined }, "refused a roster file download");
    throw err;
  }
  deps.logger.info({ host, bytes: bytes.length, ms: Date.now() - started }, "downloaded a roster file");
  const preview = await previewRosterImport({
    prisma: deps.prisma,
    uploaderId: actor.personId,
    fileName: file.name,
    bytes,
    maxRows: roster?.maxRows ?? 0,
  });
  return rosterPreviewCard(actor.locale, preview);
}

/**
 * Who decided an import (Import or Cancel), from the audit log row the decision wrote in its
 * transaction: their display name, or null when it is not known (for "already imported by …").
 */
export async function rosterImportDecider(prisma: Db, importNumber: number): Promise<string | null> {
  const row = await prisma.rosterImport.findUnique({ where: { number: importNumber }, select: { id: true } });
  if (!row) return null;
  const entry = await prisma.auditLog.findFirst({
    where: { subjectType: "roster_import", subjectId: row.id, action: { in: ["roster.imported", "roster.cancelled"] } },
    orderBy: { at: "desc" },
    select: { actor: { select: { displayName: true } } },
  });
  return entry?.actor?.displayName ?? null;
}
