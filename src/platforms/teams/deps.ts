// What every Teams handler may use.
import type { TConfig } from "../../config.js";
import type { Db } from "../../core/db.js";
import type { Logger } from "../../logger.js";

export interface TeamsDeps {
  prisma: Db;
  logger: Logger;
  config: Pick<TConfig, "defaultLocale" | "defaultTimeZone" | "adminAadObjectIds"> & {
    slack: Pick<TConfig["slack"], "alumniChannelId">;
    /** tenantId: the one tenant whose users the bot serves, when set. */
    teams?: Pick<TConfig["teams"], "tenantId">;
    /** Roster uploads: allowed file hosts and limits (absent: every upload is refused). */
    roster?: Pick<TConfig["roster"], "fileHosts" | "maxBytes" | "maxRows">;
    /** Join decisions: the re-apply block a rejection's DM mentions (absent: not mentioned). */
    membership?: Pick<TConfig["membership"], "rejectionsBeforeBlock" | "reapplyBlockDays">;
  };
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}
