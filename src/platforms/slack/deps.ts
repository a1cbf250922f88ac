// What every Slack listener may use.
import type { TConfig } from "../../config.js";
import type { Db } from "../../core/db.js";
import type { Locale } from "../../i18n/index.js";
import type { Logger } from "../../logger.js";
import type { ActorResolver } from "./actor.js";

export interface SlackDeps {
  prisma: Db;
  logger: Logger;
  defaultLocale: Locale;
  defaultTimeZone: string;
  actors: ActorResolver;
  /** MEMBERSHIP_VERIFICATION and the re-application block (config.membership). */
  membership: TConfig["membership"];
}
