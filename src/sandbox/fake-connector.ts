// A local stand-in for the Bot Connector service (Teams' `serviceUrl`), for tests of the Teams bot.
//
// The bot answers every inbound activity by calling the `serviceUrl` the activity carried, so
// activities built with `serviceUrl: fake.url` make CloudAdapter talk to this server. The paths are
// the ones botframework-connector's ConversationsClient uses (v3/...), with the conversation id
// percent-encoded (Teams ids contain ':' '@' ';'); every request is recorded, decoded. Answers
// mirror the real service: send/reply → 201 {id}, update → 200 {id}, delete → 200, create
// conversation → 201 {id, activityId?, serviceUrl}, member lookups → TeamsChannelAccount or 404
// MemberNotFoundInConversation, anything else → 404 (recorded too).
//
// Note: the real client (azure core-rest-pipeline) retries 429/503 answers by itself, honouring
// Retry-After; a `failNext(..., 429, { "Retry-After": "0" })` is usually invisible to the bot.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { admit, type EnforcedLimit, type EnforcedWindow } from "./enforced-limits.js";
import { type ListenOptions, limitOf, listen, notify, readBody, type Waiter } from "./fake-server.js";

/** A request the fake received, as it understood it. */
export interface ConnectorCall {
  method: string;
  /** The path as requested (still percent-encoded), without the query string. */
  path: string;
  query: Record<string, string>;
  /** Decoded conversation id from the path, when the path has one. */
  conversationId?: string;
  /** Decoded activity id from the path (reply, update, delete). */
  activityId?: string;
  /** Decoded member id from the path (member lookup). */
  memberId?: string;
  /** Parsed JSON body (undefined when there was none; the raw text when it was not JSON). */
  body: unknown;
  authorization?: string;
  /** What the fake answered. */
  status: number;
  at: number;
}

/** The JSON of an Activity as the bot posted it (only the commonly inspected fields are typed). */
export interface ConnectorActivity {
  type?: string;
  id?: string;
  text?: string;
  textFormat?: string;
  summary?: string;
  locale?: string;
  replyToId?: string;
  attachmentLayout?: string;
  attachments?: { contentType: string; content?: unknown; contentUrl?: string; name?: string }[];
  entities?: Record<string, unknown>[];
  channelData?: Record<string, unknown>;
  conversation?: { id: string; [key: string]: unknown };
  from?: { id: string; name?: string; [key: string]: unknown };
  recipient?: { id: string; name?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** An activity the bot sent (POST), as the body it posted plus where it landed. */
export type SentActivity = ConnectorActivity & {
  /** The id the fake assigned and answered with (overrides any `id` the bot put in the body). */
  id: string;
  /** Decoded conversation id from the path. */
  conversationId: string;
  /** For replies (POST .../activities/{activityId}): the activity replied to. */
  inReplyTo?: string;
};

/** An update (PUT) of an activity: the new body, `id` being the activity id from the path. */
export type UpdatedActivity = ConnectorActivity & { id: string; conversationId: string };

export interface DeletedActivity {
  conversationId: string;
  activityId: string;
}

/** POST /v3/conversations, as received and answered. */
export interface CreatedConversation {
  id: string;
  activityId?: string;
  /** The ConversationParameters the bot posted. */
  parameters: Record<string, unknown>;
}

/** A Teams user the member endpoints know. Missing fields are derived from the name. */
export interface FakeTeamsMember {
  /** "29:..." */
  id: string;
  name: string;
  aadObjectId: string;
  email?: string;
  userPrincipalName?: string;
  givenName?: string;
  surname?: string;
  tenantId?: string;
  userRole?: "user" | "guest" | "bot";
}

/** The TeamsChannelAccount JSON the member endpoints answer with. */
export interface TeamsChannelAccountJson {
  id: string;
  name: string;
  aadObjectId: string;
  email: string;
  userPrincipalName: string;
  givenName: string;
  surname: string;
  tenantId: string;
  userRole: string;
}

export interface FakeConnector {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:PORT/ — use as the activities' serviceUrl. */
  readonly url: string;
  readonly tenantId: string;
  /** Every request, oldest first. */
  readonly calls: ConnectorCall[];
  /** Activities POSTed (send, reply, and the initial activity of a created conversation), newest last. */
  sent(conversationId?: string): SentActivity[];
  /** Activities sent after the first `count` (for readers that keep their place). */
  sentAfter(count: number): SentActivity[];
  /**
   * Resolves with the first sent activity (already there or still to come) matching predicate;
   * rejects after timeoutMs with a message listing what arrived.
   */
  waitForActivity(predicate?: (a: SentActivity) => boolean, timeoutMs?: number): Promise<SentActivity>;
  /** PUTs (updateActivity), oldest first. */
  readonly updates: UpdatedActivity[];
  /** Resolves with the first update matching predicate (like waitForActivity). */
  waitForUpdate(predicate?: (a: UpdatedActivity) => boolean, timeoutMs?: number): Promise<UpdatedActivity>;
  readonly deletes: DeletedActivity[];
  readonly conversationsCreated: CreatedConversation[];
  /** Make a user known to the member endpoints (GET .../members[/{id}], pagedmembers), in every conversation. */
  addMember(member: FakeTeamsMember): TeamsChannelAccountJson;
  /**
   * Answer the next request matching method and path (a RegExp or string tested against the
   * decoded path, e.g. /\/activities$/) with `status`, `headers` and an error body. Queue several
   * by calling it several times.
   */
  failNext(
    method: string,
    path: RegExp | string,
    status: number,
    headers?: Record<string, string>,
    body?: unknown,
  ): void;
  /**
   * Enforce Teams' bot limits on sending and updating activities: per conversation (e.g.
   * 7/1s, 8/2s, 60/30s, 1800/1h) and per app (30/1s). A request beyond them gets HTTP 429 with
   * Retry-After and is not delivered. Undefined or []: none.
   */
  setRateLimits(limits: FakeConnectorRateLimits): void;
  /** How many requests were answered 429 by the enforced limits. */
  readonly rateLimited: number;
  /** Clears calls, activities, updates, deletes, created conversations and queued failures (keeps members). */
  reset(): void;
  close(): Promise<void>;
}

interface Failure {
  method: string;
  path: RegExp | string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

function describeActivity(a: SentActivity): string {
  const cards = (a.attachments ?? []).map((x) => x.contentType).join(",");
  const text =
    typeof a.text === "string" ? JSON.stringify(a.text.length > 80 ? `${a.text.slice(0, 80)}…` : a.text) : "";
  return `  [${a.conversationId}] ${a.type ?? "?"} ${text}${cards ? ` attachments=${cards}` : ""}`;
}

export interface FakeConnectorRateLimits {
  conversation?: EnforcedWindow[];
  app?: EnforcedWindow[];
}

export interface FakeConnectorOptions extends ListenOptions {
  tenantId?: string;
  /** Activity ids (epoch ms, as Teams') start after this moment; default a fixed one, for tests. */
  idStartMs?: number;
  rateLimits?: FakeConnectorRateLimits;
  /**
   * Require a bot token, as the real service does: a request whose Authorization header this
   * refuses is answered 401 (and recorded). Default: every request is accepted (sandbox).
   */
  authorize?: (authorization: string | undefined) => boolean;
}

export async function startFakeConnector(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
  const tenantId = options.tenantId ?? "7d1c5b9e-3f4a-4c2b-9e8d-1a2b3c4d5e6f";
  const calls: ConnectorCall[] = [];
  const sentActivities: SentActivity[] = [];
  const updates: UpdatedActivity[] = [];
  const deletes: DeletedActivity[] = [];
  const conversationsCreated: CreatedConversation[] = [];
  const members = new Map<string, TeamsChannelAccountJson>();
  let failures: Failure[] = [];
  let sentWaiters: Waiter<SentActivity>[] = [];
  let updateWaiters: Waiter<UpdatedActivity>[] = [];
  let activityCounter = 0;
  let conversationLimit: EnforcedLimit | undefined;
  let appLimit: EnforcedLimit | undefined;
  let rateLimited = 0;
  const setRateLimits = (limits: FakeConnectorRateLimits): void => {
    conversationLimit = limitOf(limits.conversation);
    appLimit = limitOf(limits.app);
  };
  setRateLimits(options.rateLimits ?? {});

  // Teams message ids are epoch milliseconds; keep them unique and increasing.
  const newActivityId = (): string => {
    activityCounter += 1;
    return String((options.idStartMs ?? 1_700_000_000_000) + activityCounter);
  };

  const recordSent = (a: SentActivity): void => {
    sentActivities.push(a);
    sentWaiters = notify(sentWaiters, a);
  };

  const findMember = (memberId: string): TeamsChannelAccountJson | undefined => {
    const byId = members.get(memberId);
    if (byId) return byId;
    // The service also accepts the Entra object id (and the UPN) as the member id.
    for (const m of members.values()) {
      if (m.aadObjectId === memberId || m.userPrincipalName.toLowerCase() === memberId.toLowerCase()) return m;
    }
    return undefined;
  };

  const asActivity = (body: unknown): ConnectorActivity =>
    typeof body === "object" && body !== null && !Array.isArray(body) ? (body as ConnectorActivity) : {};

  const route = (call: ConnectorCall, segments: string[]): Answer => {
    const { method } = call;
    if (segments[0] !== "v3" || segments[1] !== "conversations") {
      return { status: 404, body: errorBody("NotFound", `No route for ${method} ${call.path}`) };
    }
    const rest = segments.slice(2);

    // POST /v3/conversations
    if (rest.length === 0) {
      if (method !== "POST") return { status: 404, body: errorBody("NotFound", `${method} ${call.path}`) };
      const parameters = asActivity(call.body) as Record<string, unknown>;
      const memberList = Array.isArray(parameters.members) ? (parameters.members as { id?: string }[]) : [];
      if (memberList.length === 0 || typeof memberList[0]?.id !== "string") {
        return { status: 400, body: errorBody("BadArgument", "Conversation parameters need members") };
      }
      // Teams answers a 1:1 creation with the existing personal chat: the same id for the same pair.
      const key = memberList
        .map((m) => m.id)
        .sort()
        .join(",");
      const id = `a:new-${createHash("sha256").update(key).digest("base64url").slice(0, 24)}`;
      const created: CreatedConversation = { id, parameters };
      const activity = parameters.activity;
      if (typeof activity === "object" && activity !== null) {
        created.activityId = newActivityId();
        recordSent({ ...asActivity(activity), id: created.activityId, conversationId: id });
      }
      conversationsCreated.push(created);
      call.conversationId = id;
      const answer: Record<string, unknown> = { id, serviceUrl: url };
      if (created.activityId) answer.activityId = created.activityId;
      return { status: 201, body: answer };
    }

    const conversationId = rest[0] as string;
    call.conversationId = conversationId;
    const [, collection, itemId, ...more] = rest;

    if (collection === "activities" && more.length === 0) {
      if (itemId !== undefined) call.activityId = itemId;
      if (method === "POST" && itemId === undefined) {
        const id = newActivityId();
        recordSent({ ...asActivity(call.body), id, conversationId });
        return { status: 201, body: { id } };
      }
      if (method === "POST" && itemId !== undefined && itemId !== "history") {
        const id = newActivityId();
        recordSent({ ...asActivity(call.body), id, conversationId, inReplyTo: itemId });
        return { status: 201, body: { id } };
      }
      if (method === "PUT" && itemId !== undefined) {
        const updated: UpdatedActivity = { ...asActivity(call.body), id: itemId, conversationId };
        updates.push(updated);
        updateWaiters = notify(updateWaiters, updated);
        return { status: 200, body: { id: itemId } };
      }
      if (method === "DELETE" && itemId !== undefined) {
        deletes.push({ conversationId, activityId: itemId });
        return { status: 200 };
      }
    }

    if (collection === "members" && method === "GET" && more.length === 0) {
      if (itemId === undefined) return { status: 200, body: [...members.values()] };
      call.memberId = itemId;
      const m = findMember(itemId);
      if (!m) {
        return {
          status: 404,
          body: errorBody("MemberNotFoundInConversation", `The member ${itemId} is not in conversation.`),
        };
      }
      return { status: 200, body: m };
    }

    if (collection === "pagedmembers" && method === "GET" && itemId === undefined) {
      const all = [...members.values()];
      const pageSize = Math.max(1, Math.min(500, Number(call.query.pageSize) || 200));
      const start = Number(call.query.continuationToken ?? "0") || 0;
      const page = all.slice(start, start + pageSize);
      const body: Record<string, unknown> = { members: page };
      if (start + pageSize < all.length) body.continuationToken = String(start + pageSize);
      return { status: 200, body };
    }

    return { status: 404, body: errorBody("NotFound", `No route for ${method} ${call.path}`) };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // The moment the request arrived (before its body is read), as the service would count it.
    const arrivedAt = Date.now();
    const raw = await readBody(req);
    const parsed = new URL(req.url ?? "/", "http://127.0.0.1");
    const segments = parsed.pathname.split("/").filter(Boolean).map(decodeSegment);
    const method = (req.method ?? "GET").toUpperCase();
    const call: ConnectorCall = {
      method,
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      body: parseBody(raw),
      status: 0,
      at: arrivedAt,
    };
    const authorization = req.headers.authorization;
    if (authorization !== undefined) call.authorization = authorization;
    calls.push(call);

    const decodedPath = `/${segments.join("/")}`;
    const failIndex = failures.findIndex(
      (f) =>
        f.method === method && (typeof f.path === "string" ? decodedPath.includes(f.path) : f.path.test(decodedPath)),
    );
    let answer: Answer;
    if (options.authorize && !options.authorize(authorization)) {
      answer = { status: 401, body: { message: "Authorization has been denied for this request." } };
    } else if (failIndex >= 0) {
      const [f] = failures.splice(failIndex, 1) as [Failure];
      answer = { status: f.status, body: f.body, headers: f.headers };
      // Still note the ids, so tests can see what was attempted.
      if (segments[0] === "v3" && segments[1] === "conversations" && segments[2] !== undefined) {
        call.conversationId = segments[2];
        if (segments[3] === "activities" && segments[4] !== undefined) call.activityId = segments[4];
      }
    } else if (
      (method === "POST" || method === "PUT") &&
      segments[0] === "v3" &&
      segments[1] === "conversations" &&
      segments[3] === "activities" &&
      (conversationLimit || appLimit)
    ) {
      const waitMs = admit(
        [
          [conversationLimit, segments[2] ?? ""],
          [appLimit, "app"],
        ],
        arrivedAt,
      );
      if (waitMs > 0) {
        rateLimited++;
        call.conversationId = segments[2] as string;
        answer = {
          status: 429,
          headers: { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))) },
          body: errorBody("TooManyRequests", "Too many requests"),
        };
      } else answer = route(call, segments);
    } else {
      try {
        answer = route(call, segments);
      } catch (err) {
        answer = { status: 500, body: errorBody("ServiceError", (err as Error).message) };
      }
    }
    call.status = answer.status;
    if (answer.body === undefined) {
      res.writeHead(answer.status, answer.headers ?? {});
      res.end();
      return;
    }
    res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", ...answer.headers });
    res.end(JSON.stringify(answer.body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify(errorBody("ServiceError", String(err))));
    });
  });
  const port = await listen(server, options);
  const url = `http://127.0.0.1:${port}/`;

  const waitFor = <T>(
    existing: T[],
    register: (w: Waiter<T>) => void,
    unregister: (timer: NodeJS.Timeout) => void,
    predicate: (x: T) => boolean,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> => {
    const found = existing.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        unregister(timer);
        reject(new Error(describe()));
      }, timeoutMs);
      register({ match: predicate, resolve, reject, timer });
    });
  };

  const describeArrivals = (what: string, timeoutMs: number): string => {
    const lines = sentActivities.map(describeActivity);
    const other = calls
      .filter((c) => !(c.method === "POST" && c.path.includes("/activities")))
      .map((c) => `  ${c.method} ${c.path} → ${c.status}`);
    return [
      `No ${what} matched within ${timeoutMs} ms.`,
      `Activities sent (${lines.length}):`,
      ...(lines.length ? lines : ["  (none)"]),
      ...(other.length ? ["Other requests:", ...other] : []),
    ].join("\n");
  };

  return {
    url,
    tenantId,
    calls,
    sent(conversationId?: string) {
      return conversationId === undefined
        ? [...sentActivities]
        : sentActivities.filter((a) => a.conversationId === conversationId);
    },
    sentAfter(count: number) {
      return sentActivities.slice(count);
    },
    waitForActivity(predicate = () => true, timeoutMs = 5000) {
      return waitFor(
        sentActivities,
        (w) => sentWaiters.push(w),
        (t) => {
          sentWaiters = sentWaiters.filter((w) => w.timer !== t);
        },
        predicate,
        timeoutMs,
        () => describeArrivals("activity", timeoutMs),
      );
    },
    updates,
    waitForUpdate(predicate = () => true, timeoutMs = 5000) {
      return waitFor(
        updates,
        (w) => updateWaiters.push(w),
        (t) => {
          updateWaiters = updateWaiters.filter((w) => w.timer !== t);
        },
        predicate,
        timeoutMs,
        () =>
          `${describeArrivals("update", timeoutMs)}\nUpdates (${updates.length}):\n${updates
            .map((u) => `  [${u.conversationId}] ${u.id} ${u.type ?? "?"}`)
            .join("\n")}`,
      );
    },
    deletes,
    conversationsCreated,
    addMember(m) {
      const [given = m.name, ...others] = m.name.split(/\s+/);
      const email =
        m.email ??
        `${
          m.name
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, ".")
            .replace(/^\.|\.$/g, "") || "user"
        }@example.com`;
      const account: TeamsChannelAccountJson = {
        id: m.id,
        name: m.name,
        aadObjectId: m.aadObjectId,
        email,
        userPrincipalName: m.userPrincipalName ?? email,
        givenName: m.givenName ?? given,
        surname: m.surname ?? others.join(" "),
        tenantId: m.tenantId ?? tenantId,
        userRole: m.userRole ?? "user",
      };
      members.set(m.id, account);
      return account;
    },
    failNext(method, path, status, headers = {}, body) {
      const code = status === 429 ? "TooManyRequests" : status >= 500 ? "ServiceError" : "BadArgument";
      failures.push({
        method: method.toUpperCase(),
        path,
        status,
        headers,
        body: body ?? errorBody(code, `Injected ${status} by the fake connector`),
      });
    },
    setRateLimits,
    get rateLimited() {
      return rateLimited;
    },
    reset() {
      calls.length = 0;
      sentActivities.length = 0;
      updates.length = 0;
      deletes.length = 0;
      conversationsCreated.length = 0;
      failures = [];
    },
    close() {
      for (const w of [...sentWaiters, ...updateWaiters]) {
        clearTimeout(w.timer);
        w.reject(new Error("The fake connector was closed while waiting"));
      }
      sentWaiters = [];
      updateWaiters = [];
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/** The Adaptive Card contents among an activity's attachments. */
export function adaptiveCards(activity: ConnectorActivity): Record<string, unknown>[] {
  return (activity.attachments ?? [])
    .filter((a) => a.contentType === "application/vnd.microsoft.card.adaptive")
    .map((a) => a.content as Record<string, unknown>);
}

/** A random id in the shape Teams uses for users ("29:1" + base64-ish). */
export function fakeTeamsUserId(): string {
  return `29:1${randomBytes(24).toString("base64url")}`;
}
