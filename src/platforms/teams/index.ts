// The Teams side: botbuilder's CloudAdapter at POST /api/messages on our shared
// server. With MICROSOFT_APP_ID set, every request must carry a valid Bot
// Framework JWT (checked before the adapter, see auth.ts: any failure is a 401 and
// one log line), and the bot's replies carry its own Entra ID token. Without one
// the bot runs in sandbox mode, which accepts unauthenticated requests and says so
// loudly; production refuses to start that way (see config.ts).
import { type CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import type { AuthenticateRequestResult } from "botframework-connector";
import type { TConfig } from "../../config.js";
import type { Db } from "../../core/db.js";
import { type HttpServer, sendJson } from "../../http/server.js";
import { t } from "../../i18n/index.js";
import type { Logger } from "../../logger.js";
import { localeOf } from "./actor.js";
import { createTeamsAuthentication, outboundAuthority, TeamsAuthRefused } from "./auth.js";
import { AlumniTeamsBot } from "./bot.js";
import { CachingBotFrameworkAuthentication } from "./connector-cache.js";
import { BodyError, readJsonBody, TeamsCloudAdapter, toBotResponse, validateActivity } from "./http-bridge.js";

export const TEAMS_MESSAGES_PATH = "/api/messages";

export interface TeamsPlatform {
  adapter: CloudAdapter;
  bot: AlumniTeamsBot;
  sandbox: boolean;
  /** After the server closed: mark the last turns' deliveries done before the database closes. */
  stop(): Promise<void>;
}

export function mountTeams(options: { config: TConfig; prisma: Db; logger: Logger; http: HttpServer }): TeamsPlatform {
  const { config, prisma, http } = options;
  const logger = options.logger.child({ platform: "teams" });
  const { appId, appType } = config.teams;
  const sandbox = !appId;
  const auth = sandbox ? undefined : createTeamsAuthentication(config.teams, logger);
  // Connector clients reused across turns (see connector-cache.ts).
  const botFrameworkAuthentication = new CachingBotFrameworkAuthentication(
    auth?.botFrameworkAuthentication ?? new ConfigurationBotFrameworkAuthentication({}),
  );
  const adapter = new TeamsCloudAdapter(botFrameworkAuthentication);
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error }, "unhandled error in a Teams turn");
    const locale = localeOf(context, config.defaultLocale);
    await context.sendActivity(t(locale, "error.internal", { ref: "teams" })).catch(() => undefined);
  };
  const bot = new AlumniTeamsBot({ prisma, logger, config });

  http.route("POST", TEAMS_MESSAGES_PATH, async (req, res) => {
    // No token at all: refused here, in our log. (The adapter would print the stack of its
    // AuthenticationError to stderr for every such probe; forged tokens still go to it.)
    if (!sandbox && !/^Bearer \S+$/i.test(req.headers.authorization ?? "")) {
      logger.info({ userAgent: req.headers["user-agent"] }, "refused a Teams request without a Bot Framework token");
      req.resume();
      sendJson(res, 401, { error: "unauthorized" });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = await readJsonBody(req);
    } catch (err) {
      const status = err instanceof BodyError ? err.status : 400;
      sendJson(res, status, { error: (err as Error).message });
      return;
    }
    // Authentication first: a caller without a valid token learns nothing about what the
    // bot would make of its body (401, not 400).
    // Sandbox: the adapter accepts the empty header (auth disabled) as CloudAdapter.process would.
    let authentication: AuthenticateRequestResult | string = req.headers.authorization ?? "";
    if (auth) {
      try {
        authentication = botFrameworkAuthentication.cachingResult(
          await auth.authenticate(req.headers.authorization ?? "", body),
        );
      } catch (err) {
        if (!(err instanceof TeamsAuthRefused)) throw err;
        // Our misconfiguration (keys unreachable) is an error; a bad token is someone else's.
        logger[err.reason === "keys_unavailable" ? "error" : "warn"](
          { reason: err.reason, detail: err.message, userAgent: req.headers["user-agent"] },
          "refused a Teams request: its Bot Framework token is not valid",
        );
        sendJson(res, 401, { error: "unauthorized" });
        return;
      }
    }
    try {
      body = validateActivity(body);
    } catch (err) {
      const status = err instanceof BodyError ? err.status : 400;
      sendJson(res, status, { error: (err as Error).message });
      return;
    }
    await adapter.processPosted(authentication, body, toBotResponse(res), (context) => bot.run(context));
  });
  if (sandbox) {
    logger.warn(
      "Teams SANDBOX MODE: MICROSOFT_APP_ID is not set, so /api/messages accepts requests WITHOUT authentication. Use this only on your own machine; set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID for anything else.",
    );
  } else {
    logger.info(
      {
        path: TEAMS_MESSAGES_PATH,
        appType,
        openIdMetadataUrl: config.teams.openIdMetadataUrl,
        authority: appType === "UserAssignedMSI" ? undefined : outboundAuthority(config.teams),
      },
      "Teams is on; every request must carry a valid Bot Framework token",
    );
  }
  return { adapter, bot, sandbox, stop: () => bot.completions.flush() };
}
