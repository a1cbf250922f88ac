// The playground page and its JSON API (sandbox mode only). The page never
// touches the database or the bot's internals: each POST here is turned into
// the request Slack or Teams would send — signed, shaped and posted over HTTP to
// the bot's own endpoints — and the page sees the bot's answers through the
// fakes (src/sandbox/slack-world.ts, teams-world.ts).
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { z } from "zod";
import type { RunningApp } from "../app.js";
import type { TConfig } from "../config.js";
import { type RouteHandler, sendJson } from "../http/server.js";
import { type Locale, t } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { projectRoot } from "../paths.js";
import { BodyError, readJsonBody } from "../platforms/teams/http-bridge.js";
import { DEMO_HR_EMAIL, seedDemo } from "./demo-data.js";
import type { FakeConnector } from "./fake-connector.js";
import type { FakeFileHost } from "./fake-file-host.js";
import type { FakeSlack } from "./fake-slack.js";
import {
  SANDBOX_BOT_NAME,
  type SandboxTeamsPersona,
  SLACK_PERSONAS,
  TEAMS_PERSONAS,
  teamsConversationOf,
} from "./personas.js";
import type { PersonasResponse, SlackView, StateResponse } from "./playground-types.js";
import { type SlackRequester, triggerId } from "./slack-requests.js";
import { SlackWorld, type SlackWorldSnapshot } from "./slack-world.js";
import type { TeamsRequester } from "./teams-requests.js";
import { TeamsWorld, type TeamsWorldSnapshot } from "./teams-world.js";

const PAGE_DIR = join(projectRoot, "src", "sandbox", "playground");
const DEMO_DIR = join(projectRoot, "src", "sandbox", "demo");
const DEMO_ROSTER_NAME = "smarthr-leavers.csv";
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  "/": { file: join(PAGE_DIR, "index.html"), type: "text/html; charset=utf-8" },
  "/playground/style.css": { file: join(PAGE_DIR, "style.css"), type: "text/css; charset=utf-8" },
  "/playground/app.js": { file: join(PAGE_DIR, "app.js"), type: "text/javascript; charset=utf-8" },
  "/playground/blockkit.js": { file: join(PAGE_DIR, "blockkit.js"), type: "text/javascript; charset=utf-8" },
  "/playground/mrkdwn.js": { file: join(PAGE_DIR, "mrkdwn.js"), type: "text/javascript; charset=utf-8" },
  "/playground/vendor/adaptivecards.min.js": {
    file: join(projectRoot, "node_modules", "adaptivecards", "dist", "adaptivecards.min.js"),
    type: "text/javascript; charset=utf-8",
  },
};

/** Scripts and styles from this server only; the renderers build the DOM (no eval, no inline scripts). */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const MAX_ASOF_AHEAD_MS = 400 * 86_400_000;

const ZLocale = z.enum(["ja", "en"]).catch("ja");
const ZValues = z.record(z.string(), z.record(z.string(), z.unknown()));
const ZSlackCommand = z.object({ user: z.string(), channel: z.string(), text: z.string().max(4000), locale: ZLocale });
const ZSlackAction = z.object({
  user: z.string(),
  locale: ZLocale,
  channel: z.string().optional(),
  messageId: z.string().optional(),
  viewId: z.string().optional(),
  actionId: z.string().min(1).max(255),
  blockId: z.string().max(255).optional(),
  value: z.string().max(2000).optional(),
  type: z.string().max(50).optional(),
  selectedOption: z.object({ value: z.string(), text: z.string().optional() }).optional(),
  values: ZValues.optional(),
});
const ZSlackSubmit = z.object({ user: z.string(), viewId: z.string(), values: ZValues, locale: ZLocale });
const ZSlackClose = z.object({ user: z.string(), viewId: z.string(), locale: ZLocale });
const ZSlackHome = z.object({ user: z.string(), locale: ZLocale });
const ZTeamsMessage = z.object({ persona: z.string(), text: z.string().max(5000), locale: ZLocale });
/** A file a Teams persona sends the bot (base64; the page keeps it under 512 KiB). */
const ZTeamsFile = z.object({
  persona: z.string(),
  name: z.string().trim().min(1).max(200),
  base64: z.base64().max(700_000),
  locale: ZLocale,
});
const ZTeamsDemoRoster = z.object({ persona: z.string(), locale: ZLocale });
const ZTeamsSubmit = z.object({
  persona: z.string(),
  activityId: z.string(),
  kind: z.enum(["submit", "execute"]),
  verb: z.string().max(200).optional(),
  data: z.record(z.string(), z.unknown()),
  locale: ZLocale,
});
const ZTime = z.object({ asOf: z.iso.datetime({ offset: true }), locale: ZLocale });
const ZLocaleOnly = z.object({ locale: ZLocale });

/** A refusal the page shows as is (already localized). */
class PlaygroundError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function localeTag(locale: Locale): string {
  return locale === "ja" ? "ja-JP" : "en-US";
}

export function mountPlayground(options: {
  app: RunningApp;
  config: TConfig;
  logger: Logger;
  fakeSlack: FakeSlack;
  connector: FakeConnector;
  fileHost: FakeFileHost;
  slack: SlackRequester;
  teams: TeamsRequester;
  /** Keep what the page shows in this file across restarts (none: in memory only). */
  stateFile?: string;
}): { start(): Promise<void>; stop(): Promise<void> } {
  const { app, config, fakeSlack, connector, fileHost, slack, teams } = options;
  const logger = options.logger.child({ component: "playground" });
  const http = app.http;
  const alumniChannel = config.slack.alumniChannelId as string;
  const slackNames = new Map(SLACK_PERSONAS.map((p) => [p.id, p.name]));
  const slackWorld = new SlackWorld(fakeSlack, {
    alumniChannel,
    botName: SANDBOX_BOT_NAME,
    userName: (id) => slackNames.get(id) ?? id,
  });
  const teamsWorld = new TeamsWorld(connector, {
    botName: SANDBOX_BOT_NAME,
    conversationOfUser: (userId) => {
      const persona = TEAMS_PERSONAS.find((p) => p.user.id === userId);
      return persona ? teamsConversationOf(persona) : undefined;
    },
  });
  let localChanges = 0;
  let asOf: string | null = null;
  /** Known true once seen; until then asked of the database on each full state. */
  let demoSeeded = false;
  /** Changes whenever anything on the page may have changed. */
  const totalVersion = () => slackWorld.version + teamsWorld.version + localChanges;

  const slackPersona = (id: string, locale: Locale) => {
    const persona = SLACK_PERSONAS.find((p) => p.id === id);
    if (!persona) throw new PlaygroundError(400, t(locale, "playground.unknownPersona"));
    return persona;
  };
  const teamsPersona = (key: string, locale: Locale): SandboxTeamsPersona => {
    const persona = TEAMS_PERSONAS.find((p) => p.key === key);
    if (!persona) throw new PlaygroundError(400, t(locale, "playground.unknownPersona"));
    return persona;
  };
  /** The conversations a persona can type in: the alumni channel and their DM with the app. */
  const slackConversation = (user: string, channel: string, locale: Locale): string => {
    if (channel === alumniChannel || channel === `D${user}`) return channel;
    throw new PlaygroundError(400, t(locale, "playground.unknownConversation"));
  };
  /** The bot's HTTP answer; anything but 200 is shown to the user as the bot being unreachable. */
  const expectOk = (result: { status: number; text: string }, locale: Locale): void => {
    if (result.status < 200 || result.status > 202) {
      logger.warn({ status: result.status, body: result.text.slice(0, 500) }, "the bot refused a playground request");
      throw new PlaygroundError(502, t(locale, "playground.botRefused", { status: result.status }));
    }
  };

  /**
   * Every playground route answers only requests addressed to this machine by name: a web
   * page elsewhere that rebinds its own host name to 127.0.0.1 (DNS rebinding) is refused,
   * since its requests carry its own Host.
   */
  const route = (method: string, path: string, handler: RouteHandler) => {
    http.route(method, path, async (req, res) => {
      const host = (req.headers.host ?? "").toLowerCase().replace(/:\d+$/, "");
      if (host !== "localhost" && host !== "127.0.0.1" && host !== "[::1]") {
        sendJson(res, 403, { ok: false, error: "the playground answers only on localhost" });
        return;
      }
      await handler(req, res);
    });
  };

  const serveStatic = (path: string) => async (_req: IncomingMessage, res: ServerResponse) => {
    const entry = STATIC_FILES[path] as { file: string; type: string };
    const body = await readFile(entry.file);
    res.writeHead(200, {
      "content-type": entry.type,
      "content-length": body.length,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      "content-security-policy": CONTENT_SECURITY_POLICY,
      "referrer-policy": "no-referrer",
    });
    res.end(body);
  };
  for (const path of Object.keys(STATIC_FILES)) route("GET", path, serveStatic(path));

  /** A JSON POST from the page itself: same origin, JSON body (so other sites cannot post here). */
  const api = <T extends z.ZodType>(
    path: string,
    schema: T,
    handler: (input: z.output<T>) => Promise<Record<string, unknown>>,
  ) => {
    route("POST", `/playground/api/${path}`, async (req, res) => {
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host}`) {
        sendJson(res, 403, { ok: false, error: "cross-origin requests are refused" });
        return;
      }
      if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) {
        sendJson(res, 415, { ok: false, error: "send application/json" });
        return;
      }
      let raw: Record<string, unknown>;
      try {
        raw = await readJsonBody(req);
      } catch (err) {
        sendJson(res, err instanceof BodyError ? err.status : 400, { ok: false, error: (err as Error).message });
        return;
      }
      const locale = ZLocaleOnly.safeParse(raw).data?.locale ?? config.defaultLocale;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        sendJson(res, 400, { ok: false, error: t(locale, "playground.badRequest") });
        return;
      }
      try {
        sendJson(res, 200, { ok: true, ...(await handler(parsed.data)) });
        localChanges++;
      } catch (err) {
        if (err instanceof PlaygroundError) {
          sendJson(res, err.status, { ok: false, error: err.message });
          return;
        }
        logger.error({ err, path }, "playground request failed");
        sendJson(res, 500, { ok: false, error: t(locale, "playground.failed") });
      }
    });
  };

  route("GET", "/playground/api/personas", async (_req, res) => {
    const body: PersonasResponse = {
      slack: SLACK_PERSONAS.map(({ id, name, locale }) => ({ id, name, locale })),
      teams: TEAMS_PERSONAS.map(({ key, name, role }) => ({ key, name, role })),
      alumniChannel: { id: alumniChannel, name: "alumni" },
      locale: config.defaultLocale,
    };
    sendJson(res, 200, body);
  });

  route("GET", "/playground/api/state", async (req, res) => {
    const query = new URL(req.url ?? "/", "http://localhost").searchParams;
    const slackIndex = Math.max(
      0,
      SLACK_PERSONAS.findIndex((p) => p.id === query.get("slack")),
    );
    const teamsIndex = Math.max(
      0,
      TEAMS_PERSONAS.findIndex((p) => p.key === query.get("teams")),
    );
    const slackUser = SLACK_PERSONAS[slackIndex]?.id as string;
    const teamsUser = TEAMS_PERSONAS[teamsIndex] as SandboxTeamsPersona;
    // The personas are part of the version: a switch always gets a full answer.
    const version = totalVersion() * 100 + slackIndex * 10 + teamsIndex;
    if (query.get("since") === String(version)) {
      res.writeHead(204, { "cache-control": "no-store" });
      res.end();
      return;
    }
    demoSeeded ||= (await app.db.prisma.person.count({ where: { email: DEMO_HR_EMAIL, status: "active" } })) > 0;
    const conversationId = teamsConversationOf(teamsUser);
    const body: StateResponse = {
      version,
      slack: { user: slackUser, ...slackWorld.snapshot(slackUser) },
      teams: { persona: teamsUser.key, conversationId, items: teamsWorld.snapshot(conversationId) },
      asOf,
      demoSeeded,
    };
    sendJson(res, 200, body);
  });

  /** A file the bot shared (e.g. the member's data export), as a download. */
  route("GET", "/playground/api/files", async (req, res) => {
    const id = new URL(req.url ?? "/", "http://localhost").searchParams.get("id");
    const upload = fakeSlack.uploads.find((u) => u.fileId === id);
    if (!upload) {
      sendJson(res, 404, { ok: false, error: "not_found" });
      return;
    }
    const name = (upload.filename ?? "file").replaceAll(/[^\w.-]+/g, "_");
    const body = Buffer.from(upload.content, "utf8");
    res.writeHead(200, {
      "content-type": name.endsWith(".json") ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
      "content-length": body.length,
      "content-disposition": `attachment; filename="${name}"`,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    });
    res.end(body);
  });

  api("slack/command", ZSlackCommand, async ({ user, channel, text, locale }) => {
    slackPersona(user, locale);
    const conversation = slackConversation(user, channel, locale);
    const match = /^\s*(\/\S+)\s*([\s\S]*)$/.exec(text);
    if (match?.[1] !== "/alumni") {
      throw new PlaygroundError(400, t(locale, "playground.onlyAlumniCommand"));
    }
    slackWorld.echo(user, conversation, text.trim());
    const result = await slack.command(user, (match[2] ?? "").trim(), {
      channelId: conversation,
      triggerId: slackWorld.newTrigger(user, triggerId()),
      responseUrlId: slackWorld.newResponseTarget({ user, conversation }),
    });
    expectOk(result, locale);
    return {};
  });

  api("slack/action", ZSlackAction, async (input) => {
    const { user, locale } = input;
    slackPersona(user, locale);
    const action = {
      actionId: input.actionId,
      ...(input.blockId ? { blockId: input.blockId } : {}),
      ...(input.value !== undefined ? { value: input.value } : {}),
      ...(input.type ? { type: input.type } : {}),
      ...(input.selectedOption ? { selectedOption: input.selectedOption } : {}),
    };
    const trigger = slackWorld.newTrigger(user, triggerId());
    let result: { status: number; text: string };
    if (input.viewId) {
      const view = slackWorld.view(user, input.viewId);
      if (!view) throw new PlaygroundError(404, t(locale, "playground.viewGone"));
      const { errors: _errors, ...shown } = view;
      result = await slack.blockAction(user, action, {
        view: { ...shown, state: { values: input.values ?? {} } },
        triggerId: trigger,
      });
    } else {
      const conversation = slackConversation(user, input.channel ?? "", locale);
      const message = input.messageId ? slackWorld.message(conversation, input.messageId) : undefined;
      if (!message) throw new PlaygroundError(404, t(locale, "playground.messageGone"));
      result = await slack.blockAction(user, action, {
        channelId: conversation,
        messageTs: message.ephemeral ? `${Math.floor(message.at / 1000)}.000000` : message.id,
        isEphemeral: message.ephemeral,
        message: {
          type: "message",
          ts: message.id,
          user: fakeSlack.botUserId,
          bot_id: fakeSlack.botId,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks } : {}),
        },
        triggerId: trigger,
        responseUrlId: slackWorld.newResponseTarget({ user, conversation, source: message.id }),
      });
    }
    expectOk(result, locale);
    return {};
  });

  api("slack/submit", ZSlackSubmit, async ({ user, viewId, values, locale }) => {
    slackPersona(user, locale);
    const view = slackWorld.view(user, viewId);
    if (!view || slackWorld.topModal(user)?.id !== viewId) {
      throw new PlaygroundError(404, t(locale, "playground.viewGone"));
    }
    const result = await slack.viewSubmission(user, {
      id: viewId,
      callbackId: view.callback_id ?? "",
      privateMetadata: view.private_metadata ?? "",
      values,
      blocks: view.blocks,
      ...(view.title ? { title: view.title } : {}),
      ...(typeof view.hash === "string" ? { hash: view.hash } : {}),
      triggerId: slackWorld.newTrigger(user, triggerId()),
    });
    expectOk(result, locale);
    const ack = typeof result.json === "object" && result.json !== null ? (result.json as Record<string, unknown>) : {};
    slackWorld.applySubmissionAck(user, viewId, ack);
    const modal: SlackView | null = slackWorld.topModal(user);
    return { ack, modal };
  });

  api("slack/close", ZSlackClose, async ({ user, viewId, locale }) => {
    slackPersona(user, locale);
    const view = slackWorld.view(user, viewId);
    if (!view) return {};
    slackWorld.close(user, viewId);
    if (view.notify_on_close === true) {
      const { errors: _errors, ...shown } = view;
      expectOk(await slack.viewClosed(user, shown), locale);
    }
    return {};
  });

  api("slack/home", ZSlackHome, async ({ user, locale }) => {
    slackPersona(user, locale);
    const result = await slack.event({ type: "app_home_opened", user, channel: `D${user}`, tab: "home" });
    expectOk(result, locale);
    return {};
  });

  api("teams/message", ZTeamsMessage, async ({ persona: key, text, locale }) => {
    const persona = teamsPersona(key, locale);
    if (text.trim() === "") throw new PlaygroundError(400, t(locale, "playground.emptyMessage"));
    const activity = teams.buildMessage(persona.user, text, { locale: localeTag(locale) });
    teamsWorld.addUserMessage(teamsConversationOf(persona), { id: activity.id, author: persona.user.name, text });
    expectOk(await teams.post(activity), locale);
    return {};
  });

  /** The persona sends a file in their chat with the bot: hosted like Teams' own, then the attachment is sent. */
  const sendTeamsFile = async (key: string, name: string, bytes: Uint8Array, locale: Locale) => {
    const persona = teamsPersona(key, locale);
    const file = fileHost.hostFile(name, bytes);
    const activity = teams.buildFileMessage(persona.user, file, { locale: localeTag(locale) });
    teamsWorld.addUserMessage(teamsConversationOf(persona), {
      id: activity.id,
      author: persona.user.name,
      text: `📎 ${name}`,
    });
    expectOk(await teams.post(activity), locale);
    return {};
  };

  api("teams/file", ZTeamsFile, ({ persona, name, base64, locale }) =>
    sendTeamsFile(persona, name, Buffer.from(base64, "base64"), locale),
  );

  /** The SmartHR-style leavers export in Shift_JIS that ships with the demo data (src/sandbox/demo). */
  api("teams/demo-roster", ZTeamsDemoRoster, async ({ persona, locale }) =>
    sendTeamsFile(persona, DEMO_ROSTER_NAME, await readFile(join(DEMO_DIR, DEMO_ROSTER_NAME)), locale),
  );

  api("teams/submit", ZTeamsSubmit, async ({ persona: key, activityId, kind, verb, data, locale }) => {
    const persona = teamsPersona(key, locale);
    const conversationId = teamsConversationOf(persona);
    if (!teamsWorld.item(conversationId, activityId)) {
      throw new PlaygroundError(404, t(locale, "playground.messageGone"));
    }
    const opts = { locale: localeTag(locale), replyToId: activityId };
    if (kind === "submit") {
      expectOk(await teams.submit(persona.user, data, opts), locale);
      return {};
    }
    const result = await teams.invoke(persona.user, { verb: verb ?? String(data.verb ?? ""), data }, opts);
    expectOk(result, locale);
    const answer = result.json as { type?: string; value?: unknown } | undefined;
    if (answer?.type === "application/vnd.microsoft.card.adaptive" && typeof answer.value === "object") {
      teamsWorld.replaceCard(conversationId, activityId, answer.value as Record<string, unknown>);
    }
    return { card: answer?.value ?? null };
  });

  api("seed", ZLocaleOnly, async () => {
    const summary = await seedDemo({ prisma: app.db.prisma, alumniChannelId: alumniChannel });
    demoSeeded = true;
    return {
      created: summary.created,
      members: summary.alumni,
      postings: summary.postings,
      events: summary.eventNumber === null ? 0 : 1,
    };
  });

  api("time", ZTime, async ({ asOf: text, locale }) => {
    const at = new Date(text);
    const now = Date.now();
    if (at.getTime() < now - 60_000 || at.getTime() > now + MAX_ASOF_AHEAD_MS) {
      throw new PlaygroundError(400, t(locale, "playground.badAsOf"));
    }
    if (!app.scheduler) throw new PlaygroundError(400, t(locale, "playground.failed"));
    const report = await app.scheduler.runOnce(at);
    // What the run queued for moments up to `at` goes out now, as if that time had come.
    const released = await app.db.prisma.outboxMessage.updateMany({
      where: { status: "pending", attempts: 0, notBefore: { gt: new Date(), lte: at } },
      data: { notBefore: new Date(), nextAttemptAt: new Date() },
    });
    asOf = at.toISOString();
    logger.info({ asOf, released: released.count }, "ran the scheduler as of a later moment");
    return {
      asOf,
      jobs: report.jobs.map((j) => ({ job: j.job, ok: j.ok, ...(j.result ? { result: j.result } : {}) })),
      released: released.count,
    };
  });

  // What the page shows is kept in a file next to the embedded database, so a restarted
  // sandbox shows the same conversations (the fakes' ids never repeat across runs).
  const stateFile = options.stateFile;
  let savedVersion = -1;
  const save = async (): Promise<void> => {
    if (!stateFile || totalVersion() === savedVersion) return;
    const version = totalVersion();
    const body = JSON.stringify({ format: 1, slack: slackWorld.save(), teams: teamsWorld.save(), asOf });
    await mkdir(dirname(stateFile), { recursive: true });
    await writeFile(`${stateFile}.tmp`, body);
    await rename(`${stateFile}.tmp`, stateFile);
    savedVersion = version;
  };
  let saver: NodeJS.Timeout | undefined;

  return {
    async start() {
      if (stateFile) {
        try {
          const saved = JSON.parse(await readFile(stateFile, "utf8")) as {
            format?: number;
            slack: SlackWorldSnapshot;
            teams: TeamsWorldSnapshot;
            asOf?: string | null;
          };
          if (saved.format === 1) {
            slackWorld.restore(saved.slack);
            teamsWorld.restore(saved.teams);
            asOf = saved.asOf ?? null;
            logger.info({ stateFile }, "the playground shows the conversations of the last run");
          }
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
            logger.warn({ err, stateFile }, "could not read the playground's saved conversations; starting empty");
          }
        }
        saver = setInterval(() => {
          save().catch((err: unknown) => logger.warn({ err }, "could not save the playground's conversations"));
        }, 2_000);
        saver.unref();
      }
      await installTeamsApp();
    },
    async stop() {
      clearInterval(saver);
      await save().catch((err: unknown) => logger.warn({ err }, "could not save the playground's conversations"));
    },
  };

  /** Teams tells a bot when a user installs it: each persona's chat starts with the welcome. */
  async function installTeamsApp(): Promise<void> {
    for (const persona of TEAMS_PERSONAS) {
      if (teamsWorld.snapshot(teamsConversationOf(persona)).length > 0) continue;
      const result = await teams.conversationUpdate([teams.bot], {
        from: persona.user,
        conversation: teams.personal(persona.user),
      });
      if (result.status !== 200) throw new Error(`the bot refused the sandbox install (${result.status})`);
    }
  }
}
