// What every Slack listener may use.
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
}
