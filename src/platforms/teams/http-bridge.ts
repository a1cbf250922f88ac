// botbuilder's CloudAdapter expects express/restify-style request and response
// objects; our server is plain node:http. This reads the JSON body (with a size
// limit) and wraps the response.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Activity, CloudAdapter, type Request, type Response, type TurnContext } from "botbuilder";
import { type AuthenticateRequestResult, AuthenticationError } from "botframework-connector";
import { discardRest, MAX_BODY_BYTES } from "../../http/body-limit.js";

export { MAX_BODY_BYTES };

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The raw body, up to `limit` bytes. A larger one (by its Content-Length, or as it arrives) is
 * refused with 413 and the rest dropped as it comes (see discardRest), so the client gets the
 * 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new BodyError(413, "request body too large");
    if (Number(req.headers["content-length"] ?? 0) > limit) {
      discardRest(req);
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error?: BodyError) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      if (error) {
        if (error.status === 413) discardRest(req);
        reject(error);
      } else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = () => finish(new BodyError(400, "request body could not be read"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const raw = await readBody(req, limit);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new BodyError(400, "request body is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new BodyError(400, "request body is not a JSON object");
  }
  return parsed as Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Longest id or service URL kept (a conversation reference stores both; Teams' are far shorter). */
const MAX_ID_LENGTH = 1000;

function isServiceUrl(value: unknown): boolean {
  if (typeof value !== "string" || value.length > MAX_ID_LENGTH) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * The activity, if it has what every Bot Framework channel sends and the bot relies on
 * (a type, a serviceUrl to answer at, the conversation, sender and recipient ids) with the
 * types it expects for the optional fields it reads; else a BodyError (400). The adapter
 * and the bot would otherwise fail on it with a 500, or answer into the void.
 */
export function validateActivity(body: Record<string, unknown>): Record<string, unknown> {
  const refuse = (what: string): never => {
    throw new BodyError(400, `not a Bot Framework activity: ${what}`);
  };
  if (typeof body.type !== "string" || body.type === "") refuse("no type");
  if (typeof body.channelId !== "string" || body.channelId === "") refuse("no channelId");
  if (!isServiceUrl(body.serviceUrl)) refuse("no http(s) serviceUrl");
  for (const account of ["conversation", "from", "recipient"] as const) {
    const value = body[account];
    if (!isObject(value) || typeof value.id !== "string" || value.id === "") refuse(`no ${account}.id`);
    else if (value.id.length > MAX_ID_LENGTH) refuse(`${account}.id is too long`);
  }
  for (const field of ["id", "text", "locale", "name", "replyToId", "channelId", "action", "textFormat"]) {
    // JSON null is as good as absent (botbuilder reads `text ?? ""` in some places, `text.replace` in others).
    if (body[field] === null) delete body[field];
    else if (body[field] !== undefined && typeof body[field] !== "string") refuse(`${field} is not a string`);
  }
  if (body.type === "invoke") {
    // botbuilder's invoke handlers read fields of `value` without checking it is an object.
    if (!isObject(body.value)) refuse("an invoke without a value object");
    if (body.name === "adaptiveCard/action" && isObject(body.value) && !isObject(body.value.action)) {
      refuse("an Action.Execute invoke without its action");
    }
  }
  for (const field of ["entities", "attachments", "membersAdded", "membersRemoved"]) {
    const value = body[field];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every(isObject)) refuse(`${field} is not a list of objects`);
  }
  const mentions = Array.isArray(body.entities) ? body.entities.filter((e) => isObject(e) && e.type === "mention") : [];
  if (!mentions.every((m) => isObject(m.mentioned) && typeof m.mentioned.id === "string")) {
    refuse("a mention that names no one");
  }
  if (body.channelData !== undefined && body.channelData !== null && !isObject(body.channelData)) {
    refuse("channelData is not an object");
  }
  return body;
}

export function toBotRequest(req: IncomingMessage, body: Record<string, unknown>): Request {
  return { body, headers: req.headers as Request["headers"], method: req.method ?? "POST" };
}

export function toBotResponse(res: ServerResponse): Response {
  let status = 200;
  let payload: unknown;
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
      return this;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return this;
    },
    send(body: unknown) {
      payload = body;
      return this;
    },
    end() {
      if (res.writableEnded) return this;
      if (payload === undefined) {
        res.writeHead(status);
        res.end();
      } else {
        const text = typeof payload === "string" ? payload : JSON.stringify(payload);
        res.writeHead(status, {
          "content-type": typeof payload === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(text),
        });
        res.end(text);
      }
      return this;
    },
  };
}

/** botbuilder's validateAndFixActivity: the timestamps as Dates, their text kept alongside. */
function fixActivity(body: Record<string, unknown>): Activity {
  for (const [field, raw] of [
    ["timestamp", "rawTimestamp"],
    ["expiration", "rawExpiration"],
    ["localTimestamp", "rawLocalTimestamp"],
  ] as const) {
    const value = body[field];
    if (typeof value === "string") {
      body[raw] = value;
      body[field] = new Date(value);
    }
  }
  return body as unknown as Activity;
}

/** CloudAdapter, with a way in that skips what our HTTP route has done already (see processPosted). */
export class TeamsCloudAdapter extends CloudAdapter {
  /**
   * What CloudAdapter.process does for a POST whose body is an activity (validateActivity has
   * checked it), without rebuilding its zod schemas for every request: run the turn and answer
   * with the invoke response, 200, or 401/500 when the adapter throws. `authentication` is the
   * Authorization header, or the result of checking it already (the token is not checked twice).
   */
  async processPosted(
    authentication: string | AuthenticateRequestResult,
    body: Record<string, unknown>,
    res: Response,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const end = (status: number, payload?: unknown) => {
      res.status(status);
      if (payload) res.send(payload);
      res.end();
    };
    try {
      const activity = fixActivity(body);
      const invokeResponse =
        typeof authentication === "string"
          ? await this.processActivity(authentication, activity, logic)
          : await this.processActivity(authentication, activity, logic);
      end(invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (err) {
      // As CloudAdapter.process.
      console.error(err);
      end(err instanceof AuthenticationError ? 401 : 500, (err as Error).message ?? err);
    }
  }
}
