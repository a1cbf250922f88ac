// A local stand-in for the Slack Web API, for end-to-end tests of the Bolt app.
//
// Point a WebClient (or Bolt's `clientOptions.slackApiUrl`) at `apiUrl`. @slack/web-api 8 POSTs
// `/api/<method>` as application/x-www-form-urlencoded, JSON-encoding every non-scalar argument
// (`blocks`, `view`, `files`, ...); the token travels in `Authorization: Bearer`. `files.uploadV2`
// is a client-side helper: files.getUploadURLExternal, then a multipart POST of the bytes (field
// `body`, filename "Untitled") to the returned upload_url, then files.completeUploadExternal.
// Bolt's `respond()` POSTs JSON to the payload's response_url; `responseUrl()` hands out URLs here.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { admit, type EnforcedLimit, type EnforcedWindow } from "./enforced-limits.js";
import { type ListenOptions, limitOf, listen, notify, readBody, type Waiter } from "./fake-server.js";

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  at: number;
  /** Set when the fake answered this call with an error (failNext, unknown method, bad arguments). */
  error?: string;
  /** The JSON the fake answered with. */
  result?: Record<string, unknown>;
}

export interface FakeSlackUser {
  id: string;
  name?: string;
  real_name?: string;
  email?: string;
  locale?: string;
  tz?: string;
  deleted?: boolean;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}

export interface FakeSlackUpload {
  fileId: string;
  filename?: string;
  title?: string;
  content: string;
  channelId?: string;
  initialComment?: string;
}

export interface FakeSlackRateLimits {
  channel?: EnforcedWindow[];
  workspace?: EnforcedWindow[];
}

/** The calls Slack counts as posting messages (its "special" per-channel tier). */
const POSTING_METHODS = new Set(["chat.postMessage", "chat.update", "chat.delete"]);

/** Custom answer for a method: return the JSON body (`ok` defaults to true). */
export type FakeSlackHandler = (args: Record<string, unknown>, call: SlackCall) => Record<string, unknown>;

export interface FakeSlack {
  /** Base for WebClient `slackApiUrl`, e.g. http://127.0.0.1:PORT/api/ (with trailing slash) */
  readonly apiUrl: string;
  /** http://127.0.0.1:PORT (no trailing slash) */
  readonly baseUrl: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Resolves with the first call (existing or future) to `method` matching predicate; rejects after timeoutMs (default 5000) with a message listing the methods called so far. */
  waitFor(method: string, predicate?: (c: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  /** A response_url the app may POST to; posts are recorded in responsePosts. */
  responseUrl(id?: string): string;
  readonly responsePosts: ResponseUrlPost[];
  waitForResponsePost(predicate?: (p: ResponseUrlPost) => boolean, timeoutMs?: number): Promise<ResponseUrlPost>;
  addUser(user: FakeSlackUser): void;
  /**
   * Make the next call(s) to `method` answer {ok:false,error} (or HTTP 429 with Retry-After:
   * retryAfterSec, default 1, when error==='ratelimited').
   */
  failNext(method: string, error: string, times?: number, retryAfterSec?: number): void;
  /** Answer `method` only after `ms` (0 to stop), like a slow Slack. */
  setDelay(method: string, ms: number): void;
  /** Replace (or add) the answer for a method. Failures queued by failNext still come first. */
  handle(method: string, handler: FakeSlackHandler): void;
  /** Uploaded files (files.uploadV2 flow): filename, title, content as utf8 string, channel_id, initial_comment. */
  readonly uploads: FakeSlackUpload[];
  /**
   * Enforce Slack's message-posting limits (chat.postMessage, chat.update, chat.delete): per
   * channel (a DM counts as the channel of its user) and across the workspace. A call beyond
   * them gets HTTP 429 with Retry-After (whole seconds) and is not delivered. [] or undefined: none.
   */
  setRateLimits(limits: FakeSlackRateLimits): void;
  /** How many calls were answered 429 by the enforced limits. */
  readonly rateLimited: number;
  /** Clears calls, posts, uploads, queued failures and waiters' history (keeps users and custom handlers). */
  reset(): void;
  close(): Promise<void>;
}

/** Form fields that are free text even when they happen to look like JSON. */
const TEXT_FIELDS = new Set([
  "text",
  "markdown_text",
  "initial_comment",
  "title",
  "alt_text",
  "private_metadata",
  "external_id",
  "filename",
  "content",
  "query",
  "name",
  "purpose",
  "topic",
  "value",
]);

interface Failure {
  error: string;
  retryAfterSec: number;
}

interface PendingUpload {
  fileId: string;
  filename?: string;
  length?: number;
}

function decodeFormValue(key: string, value: string): unknown {
  if (TEXT_FIELDS.has(key)) return value;
  const t = value.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

function formToArgs(params: URLSearchParams): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of params) args[key] = decodeFormValue(key, value);
  return args;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(text);
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? v : String(v);
}

function truthy(v: unknown): boolean {
  return v === true || v === "true" || v === "1" || v === 1;
}

function randomId(prefix: string, len = 10): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = randomBytes(len);
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export interface FakeSlackOptions extends ListenOptions {
  teamId?: string;
  botUserId?: string;
  rateLimits?: FakeSlackRateLimits;
  /**
   * Message timestamps start after this moment (epoch ms; default a fixed one, for tests).
   * The sandbox passes the start time, so messages of an earlier run are never reused.
   */
  tsStartMs?: number;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? "T0ALUMNI1";
  const botUserId = options.botUserId ?? "U0BOTUSER";
  const botId = "B0BOTAPP1";
  const appId = "A0ALUMNI1";
  const teamDomain = "alumni-test";

  const calls: SlackCall[] = [];
  const responsePosts: ResponseUrlPost[] = [];
  const uploads: FakeSlackUpload[] = [];
  const users = new Map<string, FakeSlackUser>();
  const failures = new Map<string, Failure[]>();
  const handlers = new Map<string, FakeSlackHandler>();
  const delays = new Map<string, number>();
  const pendingUploads = new Map<string, PendingUpload>();
  const viewHashes = new Map<string, string>();
  let callWaiters: Waiter<SlackCall>[] = [];
  let postWaiters: Waiter<ResponseUrlPost>[] = [];
  let tsCounter = 0;
  const tsStartMicros = (options.tsStartMs ?? 1_700_000_000_000) * 1000;
  let channelLimit: EnforcedLimit | undefined;
  let workspaceLimit: EnforcedLimit | undefined;
  let rateLimited = 0;
  const setRateLimits = (limits: FakeSlackRateLimits): void => {
    channelLimit = limitOf(limits.channel);
    workspaceLimit = limitOf(limits.workspace);
  };
  setRateLimits(options.rateLimits ?? {});
  let responseUrlCounter = 0;

  const nextTs = (): string => {
    tsCounter += 1;
    const micros = tsStartMicros + tsCounter * 100; // < 2^53, exact
    const sec = Math.floor(micros / 1_000_000);
    return `${sec}.${String(micros % 1_000_000).padStart(6, "0")}`;
  };
  const newHash = (): string => `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString("hex")}`;
  const dmFor = (channel: string): string => (/^[UW]/.test(channel) ? `D${channel}` : channel);

  const messageFor = (args: Record<string, unknown>, ts: string): Record<string, unknown> => {
    const message: Record<string, unknown> = {
      type: "message",
      user: botUserId,
      bot_id: botId,
      app_id: appId,
      team: teamId,
      text: str(args.text) ?? "",
      ts,
    };
    if (args.blocks !== undefined) message.blocks = args.blocks;
    if (args.attachments !== undefined) message.attachments = args.attachments;
    if (args.thread_ts !== undefined) message.thread_ts = str(args.thread_ts);
    if (args.metadata !== undefined) message.metadata = args.metadata;
    return message;
  };

  const hasContent = (args: Record<string, unknown>): boolean =>
    [args.text, args.markdown_text, args.blocks, args.attachments].some(
      (v) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0),
    );

  const viewResult = (view: Record<string, unknown>, id: string, type?: string): Record<string, unknown> => {
    const hash = newHash();
    viewHashes.set(id, hash);
    return {
      id,
      team_id: teamId,
      type: type ?? view.type ?? "modal",
      blocks: [],
      private_metadata: "",
      callback_id: "",
      state: { values: {} },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: id,
      app_id: appId,
      external_id: "",
      app_installed_team_id: teamId,
      bot_id: botId,
      ...view,
      hash,
    };
  };

  const defaultHandlers: Record<string, FakeSlackHandler> = {
    "auth.test": () => ({
      url: `https://${teamDomain}.slack.com/`,
      team: "Alumni Test",
      user: "alumni-bot",
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),
    "chat.postMessage": (args) => {
      const channel = str(args.channel);
      if (!channel) return { ok: false, error: "channel_not_found" };
      if (!hasContent(args)) return { ok: false, error: "no_text" };
      const ts = nextTs();
      return { channel: dmFor(channel), ts, message: messageFor(args, ts) };
    },
    "chat.postEphemeral": (args) => {
      if (!str(args.channel)) return { ok: false, error: "channel_not_found" };
      if (!str(args.user)) return { ok: false, error: "user_not_found" };
      if (!hasContent(args)) return { ok: false, error: "no_text" };
      return { message_ts: nextTs() };
    },
    "chat.update": (args) => {
      const channel = str(args.channel);
      const ts = str(args.ts);
      if (!channel) return { ok: false, error: "channel_not_found" };
      if (!ts) return { ok: false, error: "message_not_found" };
      return { channel, ts, text: str(args.text) ?? "", message: messageFor(args, ts) };
    },
    "chat.delete": (args) => {
      const channel = str(args.channel);
      const ts = str(args.ts);
      if (!channel) return { ok: false, error: "channel_not_found" };
      if (!ts) return { ok: false, error: "message_not_found" };
      return { channel, ts };
    },
    "views.open": (args) => {
      if (typeof args.view !== "object" || args.view === null) return { ok: false, error: "invalid_arguments" };
      if (!str(args.trigger_id) && !str(args.interactivity_pointer)) return { ok: false, error: "invalid_arguments" };
      return { view: viewResult(args.view as Record<string, unknown>, randomId("V")) };
    },
    "views.push": (args) => {
      if (typeof args.view !== "object" || args.view === null) return { ok: false, error: "invalid_arguments" };
      if (!str(args.trigger_id) && !str(args.interactivity_pointer)) return { ok: false, error: "invalid_arguments" };
      return { view: viewResult(args.view as Record<string, unknown>, randomId("V")) };
    },
    "views.update": (args) => {
      if (typeof args.view !== "object" || args.view === null) return { ok: false, error: "invalid_arguments" };
      const viewId = str(args.view_id);
      if (!viewId && !str(args.external_id)) return { ok: false, error: "invalid_arguments" };
      const hash = str(args.hash);
      if (viewId && hash && viewHashes.has(viewId) && viewHashes.get(viewId) !== hash) {
        return { ok: false, error: "hash_conflict" };
      }
      return { view: viewResult(args.view as Record<string, unknown>, viewId ?? randomId("V")) };
    },
    "views.publish": (args) => {
      if (typeof args.view !== "object" || args.view === null) return { ok: false, error: "invalid_arguments" };
      if (!str(args.user_id)) return { ok: false, error: "invalid_arguments" };
      return { view: viewResult(args.view as Record<string, unknown>, randomId("V"), "home") };
    },
    "users.info": (args) => {
      const id = str(args.user);
      const u = id ? users.get(id) : undefined;
      if (!u) return { ok: false, error: "user_not_found" };
      const name = u.name ?? u.id.toLowerCase();
      const user: Record<string, unknown> = {
        id: u.id,
        team_id: teamId,
        name,
        deleted: u.deleted ?? false,
        real_name: u.real_name ?? name,
        tz: u.tz ?? "Asia/Tokyo",
        is_bot: false,
        is_app_user: false,
        profile: {
          real_name: u.real_name ?? name,
          display_name: name,
          ...(u.email !== undefined ? { email: u.email } : {}),
          team: teamId,
        },
      };
      // Like Slack: locale only when asked for.
      if (truthy(args.include_locale)) user.locale = u.locale ?? "en-US";
      return { user };
    },
    "conversations.open": (args) => {
      const ids = (str(args.users) ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const channel = str(args.channel);
      if (ids.length === 0 && !channel) return { ok: false, error: "users_list_not_supplied" };
      const id = channel ?? (ids.length === 1 ? `D${ids[0]}` : `G${ids.join("").slice(0, 10)}`);
      return { channel: { id } };
    },
    "files.getUploadURLExternal": (args) => {
      const filename = str(args.filename);
      const length = Number(args.length);
      if (!filename || !Number.isFinite(length) || length <= 0) return { ok: false, error: "invalid_arguments" };
      const fileId = randomId("F");
      pendingUploads.set(fileId, { fileId, filename, length });
      return { upload_url: `${baseUrl}/upload/${fileId}`, file_id: fileId };
    },
    "files.completeUploadExternal": (args) => {
      const files = args.files;
      if (!Array.isArray(files) || files.length === 0) return { ok: false, error: "invalid_arguments" };
      const out: Record<string, unknown>[] = [];
      for (const f of files as { id?: string; title?: string }[]) {
        const upload = uploads.find((u) => u.fileId === f.id);
        if (!upload) return { ok: false, error: "file_not_found" };
        upload.title = f.title ?? upload.filename;
        if (args.channel_id !== undefined) upload.channelId = str(args.channel_id);
        else if (args.channels !== undefined) upload.channelId = str(args.channels);
        if (args.initial_comment !== undefined) upload.initialComment = str(args.initial_comment);
        out.push({ id: upload.fileId, title: upload.title, name: upload.filename, size: upload.content.length });
      }
      return { files: out };
    },
  };

  const waitFor = <T>(
    existing: T[],
    register: (w: Waiter<T>) => void,
    predicate: (x: T) => boolean,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> => {
    const found = existing.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        callWaiters = callWaiters.filter((w) => w.timer !== timer);
        postWaiters = postWaiters.filter((w) => w.timer !== timer);
        reject(new Error(describe()));
      }, timeoutMs);
      register({ match: predicate, resolve, reject, timer });
    });
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    // The moment the request arrived (before its body is read), as Slack would count it.
    const arrivedAt = Date.now();
    const raw = await readBody(req);
    const contentType = (req.headers["content-type"] ?? "").toLowerCase();
    let args: Record<string, unknown> = {};
    if (req.method === "GET") {
      args = formToArgs(new URL(req.url ?? "/", baseUrl).searchParams);
    } else if (contentType.startsWith("application/json")) {
      args = raw.length > 0 ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
    } else if (contentType.startsWith("multipart/form-data")) {
      const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
      for (const [key, value] of form) {
        args[key] = typeof value === "string" ? decodeFormValue(key, value) : await value.text();
      }
    } else {
      args = formToArgs(new URLSearchParams(raw.toString("utf8")));
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith("Bearer ") ? auth.slice("Bearer ".length) : str(args.token);
    const call: SlackCall = { method, args, at: arrivedAt };
    if (token !== undefined) call.token = token;

    let status = 200;
    let headers: Record<string, string> = {};
    let body: Record<string, unknown>;
    const queue = failures.get(method);
    const failure = queue?.shift();
    if (queue && queue.length === 0) failures.delete(method);
    const waitMs =
      failure || !POSTING_METHODS.has(method)
        ? 0
        : admit(
            [
              [channelLimit, str(args.channel) ?? ""],
              [workspaceLimit, "workspace"],
            ],
            arrivedAt,
          );
    if (failure) {
      body = { ok: false, error: failure.error };
      if (failure.error === "ratelimited") {
        status = 429;
        headers = { "retry-after": String(failure.retryAfterSec) };
      }
    } else if (waitMs > 0) {
      rateLimited++;
      body = { ok: false, error: "ratelimited" };
      status = 429;
      headers = { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))) };
    } else {
      const handler = handlers.get(method) ?? defaultHandlers[method];
      if (!handler) {
        body = { ok: false, error: "unknown_method" };
      } else {
        try {
          body = { ok: true, ...handler(args, call) };
        } catch (e) {
          body = { ok: false, error: "fatal_error", detail: e instanceof Error ? e.message : String(e) };
        }
      }
    }
    if (body.ok === false) call.error = str(body.error) ?? "unknown_error";
    call.result = body;
    // A slow Slack: the call counts as made (recorded) before the answer arrives.
    const delay = delays.get(method);
    calls.push(call);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    callWaiters = notify(callWaiters, call);
    sendJson(res, status, body, headers);
  };

  const handleUpload = async (req: IncomingMessage, res: ServerResponse, fileId: string): Promise<void> => {
    const raw = await readBody(req);
    const pending = pendingUploads.get(fileId);
    if (!pending) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("file not found");
      return;
    }
    const contentType = (req.headers["content-type"] ?? "").toLowerCase();
    let content = raw.toString("utf8");
    if (contentType.startsWith("multipart/form-data")) {
      const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
      // web-api 8 sends the bytes as field `body`; accept `file`/`filename` too (other clients).
      let blob: Blob | undefined;
      for (const key of ["body", "file", "filename"]) {
        const v = form.get(key);
        if (v !== null && typeof v !== "string") {
          blob = v;
          break;
        }
      }
      if (!blob) {
        for (const [, v] of form) {
          if (typeof v !== "string") {
            blob = v;
            break;
          }
        }
      }
      content = blob ? await blob.text() : "";
    }
    pendingUploads.delete(fileId);
    const upload: FakeSlackUpload = { fileId, content };
    if (pending.filename !== undefined) upload.filename = pending.filename;
    uploads.push(upload);
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`OK - ${Buffer.byteLength(content)}`);
  };

  const handleResponseUrl = async (req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const raw = (await readBody(req)).toString("utf8");
    const contentType = (req.headers["content-type"] ?? "").toLowerCase();
    let body: Record<string, unknown>;
    try {
      if (contentType.startsWith("application/json")) body = JSON.parse(raw) as Record<string, unknown>;
      else {
        const args = formToArgs(new URLSearchParams(raw));
        body =
          typeof args.payload === "object" && args.payload !== null ? (args.payload as Record<string, unknown>) : args;
      }
    } catch {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("invalid_payload");
      return;
    }
    const post: ResponseUrlPost = { id, body };
    responsePosts.push(post);
    postWaiters = notify(postWaiters, post);
    sendJson(res, 200, { ok: true });
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const route = async (): Promise<void> => {
      let m = /^\/api\/([A-Za-z0-9_.]+)$/.exec(path);
      if (m?.[1]) return handleApi(req, res, m[1]);
      m = /^\/upload\/([^/]+)$/.exec(path);
      if (m?.[1] && req.method === "POST") return handleUpload(req, res, decodeURIComponent(m[1]));
      m = /^\/response\/([^/]+)$/.exec(path);
      if (m?.[1] && req.method === "POST") return handleResponseUrl(req, res, decodeURIComponent(m[1]));
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    };
    route().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: "fake_slack_error", detail: String(e) });
      else res.end();
    });
  });

  const port = await listen(server, options);
  const baseUrl = `http://127.0.0.1:${port}`;

  const fake: FakeSlack = {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    teamId,
    botUserId,
    botId,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor: (method, predicate = () => true, timeoutMs = 5000) =>
      waitFor(
        calls,
        (w) => callWaiters.push(w),
        (c) => c.method === method && predicate(c),
        timeoutMs,
        () =>
          `fake Slack: no matching call to ${method} within ${timeoutMs} ms; methods called so far: ${
            calls.length > 0 ? calls.map((c) => (c.error ? `${c.method}(${c.error})` : c.method)).join(", ") : "(none)"
          }`,
      ),
    responseUrl: (id) => {
      responseUrlCounter += 1;
      return `${baseUrl}/response/${encodeURIComponent(id ?? `R${responseUrlCounter}`)}`;
    },
    responsePosts,
    waitForResponsePost: (predicate = () => true, timeoutMs = 5000) =>
      waitFor(
        responsePosts,
        (w) => postWaiters.push(w),
        predicate,
        timeoutMs,
        () =>
          `fake Slack: no matching response_url post within ${timeoutMs} ms; posts so far: ${
            responsePosts.length > 0 ? responsePosts.map((p) => JSON.stringify(p.body)).join(", ") : "(none)"
          }; methods called: ${calls.map((c) => c.method).join(", ") || "(none)"}`,
      ),
    addUser: (user) => {
      users.set(user.id, { ...user });
    },
    setDelay: (method, ms) => {
      if (ms > 0) delays.set(method, ms);
      else delays.delete(method);
    },
    failNext: (method, error, times = 1, retryAfterSec = 1) => {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push({ error, retryAfterSec });
      failures.set(method, queue);
    },
    handle: (method, handler) => {
      handlers.set(method, handler);
    },
    uploads,
    setRateLimits,
    get rateLimited() {
      return rateLimited;
    },
    reset: () => {
      calls.length = 0;
      responsePosts.length = 0;
      uploads.length = 0;
      failures.clear();
      pendingUploads.clear();
    },
    close: async () => {
      for (const w of [...callWaiters, ...postWaiters]) {
        clearTimeout(w.timer);
        w.reject(new Error("fake Slack closed"));
      }
      callWaiters = [];
      postWaiters = [];
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
  return fake;
}
