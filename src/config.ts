// The one schema of the environment. Parsed once at start (src/main.ts); every
// other module receives the typed result. Variable names are public interface.
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Empty strings (common in .env files) count as "not set". */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());

function withDefault<T extends z.ZodType>(schema: T, fallback: z.input<T>) {
  return z.preprocess((v) => blankToUndefined(v) ?? fallback, schema);
}

/** One duration such as `7d`, `90d`, `1h`, `30m`, `45s`, `2w` → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})\s*([smhdw])$/.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] as keyof typeof DURATION_UNITS_MS;
  return amount > 0 ? amount * DURATION_UNITS_MS[unit] : undefined;
}

/** One rate window: at most `limit` uses in any `windowMs` span (sliding). */
export type Window = { limit: number; windowMs: number };

/** A whole number in [min, max]; `unit` names what it counts in the message. */
function wholeNumber(min: number, max: number, unit?: string) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, unit ? `must be a whole number of ${unit}` : "must be a whole number")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/**
 * A comma list of rates `<count>/<duration>` (e.g. `7/1s,8/2s,60/30s,1800/1h`; `20/s`
 * means `20/1s`), every one enforced, returned shortest window first. `off` = no limit.
 */
const rateList = z.string().transform((text, ctx): Window[] => {
  if (text.trim().toLowerCase() === "off") return [];
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const windows: Window[] = [];
  for (const part of parts) {
    const match = /^(\d{1,7})\s*\/\s*(\d*)\s*([smhdw])$/.exec(part);
    const limit = Number(match?.[1] ?? 0);
    const windowMs = match ? parseDuration(`${match[2] || "1"}${match[3]}`) : undefined;
    if (!match || limit < 1 || windowMs === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `"${part}" is not a rate; use <count>/<duration> with a positive count and s, m, h, d or w (e.g. 7/1s,60/30s), or off`,
      });
      return z.NEVER;
    }
    if (windows.some((w) => w.windowMs === windowMs)) {
      ctx.addIssue({ code: "custom", message: `"${part}" repeats a window already given a limit` });
      return z.NEVER;
    }
    windows.push({ limit, windowMs });
  }
  if (windows.length === 0) {
    ctx.addIssue({ code: "custom", message: "lists no rate; use e.g. 1/1s, or off for no limit" });
    return z.NEVER;
  }
  return windows.sort((a, b) => a.windowMs - b.windowMs);
});

/** A comma list of durations, returned largest first, without repeats. */
const durationList = z.string().transform((text, ctx) => {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const values: number[] = [];
  for (const part of parts) {
    const ms = parseDuration(part);
    if (ms === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `"${part}" is not a duration; use a positive number with s, m, h, d or w (e.g. 7d,1d,1h)`,
      });
      return z.NEVER;
    }
    if (!values.includes(ms)) values.push(ms);
  }
  return values.sort((a, b) => b - a);
});

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: "not an IANA time zone (e.g. Asia/Tokyo)" },
);

/** Microsoft's public-cloud defaults (botframework-connector's AuthenticationConstants). */
export const BOT_FRAMEWORK_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration";
export const MICROSOFT_LOGIN_URL_DEFAULT = "https://login.microsoftonline.com/";

/** An https:// URL without query or fragment; `message` says what it is for. */
function httpsUrl(message: string) {
  return z
    .url({ protocol: /^https$/, error: message })
    .refine((u) => !/[?#]/.test(u), { message: `${message} (no query or fragment)` });
}

const port = z
  .string()
  .regex(/^\d+$/, "must be a whole number between 0 and 65535")
  .transform(Number)
  .pipe(z.number().max(65535, "must be a whole number between 0 and 65535"));

/** A comma list of host names or host:port, with `*.` wildcards (TEAMS_FILE_HOSTS). */
const hostList = z.string().transform((text, ctx): string[] => {
  const hosts = [
    ...new Set(
      text
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  for (const host of hosts) {
    if (!/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/.test(host)) {
      ctx.addIssue({ code: "custom", message: `"${host}" is not a host name, host:port or *.domain` });
      return z.NEVER;
    }
  }
  return hosts;
});

export const ZEnv = z.object({
  NODE_ENV: withDefault(z.enum(["development", "production", "test"]), "development"),
  PORT: withDefault(port, "3000"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL")
      .optional(),
  ),
  DATA_DIR: withDefault(z.string().trim().min(1), "./data"),
  LOG_LEVEL: withDefault(z.enum(LOG_LEVELS), "info"),
  DEFAULT_LOCALE: withDefault(z.enum(["ja", "en"]), "ja"),
  DEFAULT_TIMEZONE: withDefault(timeZone, "Asia/Tokyo"),
  /**
   * Sandbox mode: in-process fakes of Slack and the Bot Connector and the playground page
   * at /. "auto" = on when neither Slack nor Teams credentials are set (never in production).
   */
  SANDBOX: withDefault(z.enum(["auto", "true", "false"]), "auto"),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^xox[bp]-/, "must be a Slack bot token (xoxb-...)")
      .optional(),
  ),
  SLACK_API_URL: withDefault(
    z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).transform((u) => (u.endsWith("/") ? u : `${u}/`)),
    "https://slack.com/api/",
  ),
  SLACK_ALUMNI_CHANNEL_ID: optionalString.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, "must be a Slack channel id such as C0123456789")
      .optional(),
  ),
  /**
   * Run Slack commands, clicks and events (after their ack) on a worker thread, so
   * their work never delays the next ack: "auto" = on with PostgreSQL (the embedded
   * PGlite database lives in the main thread, so there it is off).
   */
  SLACK_WORKER_THREAD: withDefault(z.enum(["auto", "on", "off"]), "auto"),
  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TENANT_ID: optionalString,
  MICROSOFT_APP_TYPE: withDefault(z.enum(["SingleTenant", "MultiTenant", "UserAssignedMSI"]), "SingleTenant"),
  /**
   * Where the keys that sign Teams' (Bot Framework's) tokens to the bot are published:
   * OpenID metadata whose jwks_uri lists them. Default Bot Framework's own.
   */
  MICROSOFT_OPENID_METADATA_URL: withDefault(
    httpsUrl(
      "must be an https:// URL of Bot Framework-style OpenID metadata (default https://login.botframework.com/v1/.well-known/openidconfiguration); the bot loads the keys that sign Teams' tokens from it",
    ),
    BOT_FRAMEWORK_OPENID_METADATA_URL,
  ),
  /**
   * The Entra ID login URL the bot gets its own token from, to answer Teams. The tenant
   * (SingleTenant) or botframework.com (MultiTenant) is appended, as Microsoft's SDK does.
   */
  MICROSOFT_LOGIN_URL: withDefault(
    httpsUrl(
      "must be an https:// URL of an Entra ID login endpoint without the tenant (default https://login.microsoftonline.com/); MSAL refuses http:// authorities",
    ).transform((u) => (u.endsWith("/") ? u : `${u}/`)),
    MICROSOFT_LOGIN_URL_DEFAULT,
  ),
  ADMIN_AAD_OBJECT_IDS: withDefault(
    z.string().transform((text, ctx) => {
      const ids = [
        ...new Set(
          text
            .split(",")
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean),
        ),
      ];
      for (const id of ids) {
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
          ctx.addIssue({ code: "custom", message: `"${id}" is not an Entra ID object id (a GUID)` });
          return z.NEVER;
        }
      }
      return ids;
    }),
    "",
  ),
  REMINDER_OFFSETS: withDefault(durationList, "7d,1d,1h"),
  SURVEY_OFFSETS: withDefault(durationList, "90d,180d"),
  SCHEDULER_INTERVAL_SECONDS: withDefault(wholeNumber(1, 3600, "seconds"), "10"),
  // Delivery rate limits. Defaults follow the platforms' published limits; see
  // src/delivery/rate-limiter.ts for the sources.
  SLACK_CHANNEL_RATE: withDefault(rateList, "1/1s,3/3s"),
  SLACK_DM_RATE: withDefault(rateList, "20/1s"),
  SLACK_WORKSPACE_RATE: withDefault(rateList, "50/1s"),
  TEAMS_CONVERSATION_RATE: withDefault(rateList, "7/1s,8/2s,60/30s,1800/1h"),
  TEAMS_APP_RATE: withDefault(rateList, "30/1s"),
  DISPATCH_BATCH_SIZE: withDefault(wholeNumber(1, 1000), "50"),
  DISPATCH_CONCURRENCY: withDefault(wholeNumber(1, 100), "8"),
  DISPATCH_LEASE_SECONDS: withDefault(wholeNumber(5, 3600, "seconds"), "60"),
  DELIVERY_MAX_ATTEMPTS: withDefault(wholeNumber(1, 50), "8"),
  /**
   * Who may join the closed community: "roster" = verified at once when the join form matches
   * HR's leavers roster, else HR approves; "approval" = HR approves every join; "off" = anyone
   * who joins is a member (the behaviour before verification existed).
   */
  MEMBERSHIP_VERIFICATION: withDefault(z.enum(["roster", "approval", "off"]), "roster"),
  /** Rejections after which a person may not apply again for JOIN_REAPPLY_BLOCK_DAYS. */
  JOIN_REJECTIONS_BEFORE_BLOCK: withDefault(wholeNumber(1, 100), "3"),
  JOIN_REAPPLY_BLOCK_DAYS: withDefault(wholeNumber(1, 3650, "days"), "30"),
  /** Roster rows of people who never joined are deleted this many days after they were imported. */
  ROSTER_RETENTION_DAYS: withDefault(wholeNumber(1, 36500, "days"), "730"),
  /**
   * Hosts a roster file uploaded in Teams may be downloaded from: comma list of host names or
   * host:port, with wildcards such as *.sharepoint.com. The download never follows a redirect
   * to another host.
   */
  TEAMS_FILE_HOSTS: withDefault(
    hostList,
    "*.sharepoint.com,*.sharepoint-df.com,*.files.1drv.com,*.1drv.com,onedrive.live.com",
  ),
  /** Largest roster file accepted (bytes) and most rows in one. */
  ROSTER_MAX_BYTES: withDefault(wholeNumber(1024, 200 * 1024 * 1024, "bytes"), String(20 * 1024 * 1024)),
  ROSTER_MAX_ROWS: withDefault(wholeNumber(1, 1_000_000, "rows"), "100000"),
});

export const ZConfig = ZEnv.superRefine((c, ctx) => {
  if (c.SLACK_WORKER_THREAD === "on" && !c.DATABASE_URL) {
    ctx.addIssue({
      code: "custom",
      path: ["SLACK_WORKER_THREAD"],
      message: "needs DATABASE_URL (the embedded database cannot be shared with a worker thread); use auto or off",
    });
  }
  if (Boolean(c.SLACK_BOT_TOKEN) !== Boolean(c.SLACK_SIGNING_SECRET)) {
    const missing = c.SLACK_BOT_TOKEN ? "SLACK_SIGNING_SECRET" : "SLACK_BOT_TOKEN";
    ctx.addIssue({
      code: "custom",
      path: [missing],
      message: "is required when the other Slack credential is set (set both, or neither for sandbox mode)",
    });
  }
  if (c.SANDBOX === "true" && c.NODE_ENV === "production") {
    ctx.addIssue({
      code: "custom",
      path: ["SANDBOX"],
      message: "cannot be true when NODE_ENV=production (the sandbox accepts unauthenticated requests)",
    });
  }
  if (c.NODE_ENV === "production" && !c.MICROSOFT_APP_ID) {
    ctx.addIssue({
      code: "custom",
      path: ["MICROSOFT_APP_ID"],
      message:
        "is required when NODE_ENV=production: without it /api/messages would accept unauthenticated requests (sandbox mode is for development only)",
    });
  }
  if (c.MICROSOFT_APP_ID) {
    if (c.MICROSOFT_APP_TYPE !== "UserAssignedMSI" && !c.MICROSOFT_APP_PASSWORD) {
      ctx.addIssue({
        code: "custom",
        path: ["MICROSOFT_APP_PASSWORD"],
        message: "is required when MICROSOFT_APP_ID is set",
      });
    }
    if (c.MICROSOFT_APP_TYPE !== "MultiTenant" && !c.MICROSOFT_APP_TENANT_ID) {
      ctx.addIssue({
        code: "custom",
        path: ["MICROSOFT_APP_TENANT_ID"],
        message: `is required when MICROSOFT_APP_TYPE is ${c.MICROSOFT_APP_TYPE}`,
      });
    }
  }
}).transform((c) => ({
  nodeEnv: c.NODE_ENV,
  port: c.PORT,
  databaseUrl: c.DATABASE_URL,
  dataDir: c.DATA_DIR,
  logLevel: c.LOG_LEVEL,
  defaultLocale: c.DEFAULT_LOCALE,
  defaultTimeZone: c.DEFAULT_TIMEZONE,
  sandbox:
    c.SANDBOX === "true" ||
    (c.SANDBOX === "auto" && c.NODE_ENV !== "production" && !c.SLACK_BOT_TOKEN && !c.MICROSOFT_APP_ID),
  slack: {
    signingSecret: c.SLACK_SIGNING_SECRET,
    botToken: c.SLACK_BOT_TOKEN,
    apiUrl: c.SLACK_API_URL,
    alumniChannelId: c.SLACK_ALUMNI_CHANNEL_ID,
    workerThread: c.SLACK_WORKER_THREAD === "on" || (c.SLACK_WORKER_THREAD === "auto" && c.DATABASE_URL !== undefined),
  },
  teams: {
    appId: c.MICROSOFT_APP_ID,
    appPassword: c.MICROSOFT_APP_PASSWORD,
    tenantId: c.MICROSOFT_APP_TENANT_ID,
    appType: c.MICROSOFT_APP_TYPE,
    openIdMetadataUrl: c.MICROSOFT_OPENID_METADATA_URL,
    loginUrl: c.MICROSOFT_LOGIN_URL,
  },
  adminAadObjectIds: c.ADMIN_AAD_OBJECT_IDS,
  membership: {
    verification: c.MEMBERSHIP_VERIFICATION,
    rejectionsBeforeBlock: c.JOIN_REJECTIONS_BEFORE_BLOCK,
    reapplyBlockDays: c.JOIN_REAPPLY_BLOCK_DAYS,
  },
  roster: {
    retentionDays: c.ROSTER_RETENTION_DAYS,
    fileHosts: c.TEAMS_FILE_HOSTS,
    maxBytes: c.ROSTER_MAX_BYTES,
    maxRows: c.ROSTER_MAX_ROWS,
  },
  reminderOffsetsMs: c.REMINDER_OFFSETS,
  surveyOffsetsMs: c.SURVEY_OFFSETS,
  schedulerIntervalSeconds: c.SCHEDULER_INTERVAL_SECONDS,
  delivery: {
    slackChannel: c.SLACK_CHANNEL_RATE,
    slackDm: c.SLACK_DM_RATE,
    slackWorkspace: c.SLACK_WORKSPACE_RATE,
    teamsConversation: c.TEAMS_CONVERSATION_RATE,
    teamsApp: c.TEAMS_APP_RATE,
    batchSize: c.DISPATCH_BATCH_SIZE,
    concurrency: c.DISPATCH_CONCURRENCY,
    leaseSeconds: c.DISPATCH_LEASE_SECONDS,
    maxAttempts: c.DELIVERY_MAX_ATTEMPTS,
  },
}));

export type TConfig = z.output<typeof ZConfig>;
export type TDeliveryConfig = TConfig["delivery"];

/** Thrown by loadConfig; `message` names every offending variable. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}\nSee .env.example for every variable and its default.`,
    );
    this.name = "ConfigError";
  }
}

const SECRET_VARIABLES = new Set(["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "MICROSOFT_APP_PASSWORD", "DATABASE_URL"]);

/** Parse the environment once. Throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TConfig {
  const input = Object.fromEntries(Object.keys(ZEnv.shape).map((key) => [key, env[key]]));
  const result = ZConfig.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? "environment");
    const raw = env[variable];
    const shown = raw !== undefined && !SECRET_VARIABLES.has(variable) ? ` (got "${raw}")` : "";
    return { variable, message: `${issue.message}${shown}` };
  });
  throw new ConfigError(problems);
}
