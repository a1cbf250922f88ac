// A Bolt receiver mounted on our one HTTP server at /slack/events (commands,
// interactivity and events on one Request URL). Signature and timestamp checks
// are Bolt's own (HTTPModuleFunctions); what we add is deduplication of Slack's
// redeliveries, stored in the database so it holds across replicas and restarts.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type AllMiddlewareArgs,
  type App,
  HTTPResponseAck,
  HTTPModuleFunctions as http,
  type Logger,
  type Receiver,
} from "@slack/bolt";
import type { Db } from "../../core/db.js";
import { discardRest, MAX_BODY_BYTES } from "../../http/body-limit.js";
import { claimDelivery, completeDelivery, releaseDelivery } from "../../http/deliveries.js";
import { type ActorResolver, PREFETCHED_MEMBER, type PrefetchedMember } from "./actor.js";

/** Keys longer than this (only a forged request has such ids) are stored as a hash: an index row has a size limit. */
const MAX_KEY_LENGTH = 200;

/** The identity of one delivery: equal for Slack's retries of it, different for a new request. */
export function deliveryKey(body: Record<string, unknown>): string | undefined {
  const key = rawDeliveryKey(body);
  if (key === undefined || key.length <= MAX_KEY_LENGTH) return key;
  return `slack:sha256:${createHash("sha256").update(key).digest("hex")}`;
}

function rawDeliveryKey(body: Record<string, unknown>): string | undefined {
  if (body.type === "event_callback" && typeof body.event_id === "string") return `slack:event:${body.event_id}`;
  if (typeof body.command === "string" && typeof body.trigger_id === "string") {
    return `slack:command:${body.trigger_id}`;
  }
  if (typeof body.type === "string" && typeof body.trigger_id === "string") {
    return `slack:${body.type}:${body.trigger_id}`;
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === "string" && v !== "";

/**
 * What makes a body no request Slack sends, for the kinds Bolt dispatches (classified as
 * Bolt's getTypeAndConversation does); undefined when it has the fields the listeners and
 * Bolt itself read. Bolt would throw on an `event` that is not an object, and a command or
 * interaction without its user cannot be answered.
 */
export function requestProblem(body: Record<string, unknown>): string | undefined {
  if (body.event !== undefined) {
    const event = body.event;
    if (!isObject(event) || typeof event.type !== "string") return "an event without a type";
    if (event.item !== undefined && !isObject(event.item)) return "an event item that is not an object";
    if (event.channel !== undefined && typeof event.channel !== "string" && !isObject(event.channel)) {
      return "an event channel that is neither an id nor an object";
    }
    return undefined;
  }
  if (body.command !== undefined) {
    if (typeof body.command !== "string" || !isId(body.user_id) || !isId(body.team_id)) {
      return "a command without its user or team";
    }
    return undefined;
  }
  const dispatched =
    body.name !== undefined ||
    body.actions !== undefined ||
    ["block_suggestion", "dialog_submission", "shortcut", "message_action", "view_submission", "view_closed"].includes(
      body.type as string,
    );
  if (!dispatched) return undefined;
  if (!isObject(body.user) || !isId(body.user.id)) return "an interaction without its user";
  if (body.actions !== undefined && (!Array.isArray(body.actions) || !body.actions.every(isObject))) {
    return "actions that are not a list of objects";
  }
  if (body.channel !== undefined && body.channel !== null && !isObject(body.channel))
    return "a channel that is not an object";
  if ((body.type === "view_submission" || body.type === "view_closed") && !isObject(body.view))
    return "a view that is not an object";
  return undefined;
}

/**
 * Whether some listener took a request. Bolt runs every listener whose constraints match and
 * does nothing (no ack either) when none does; each listener is registered behind
 * `markHandled` (see createSlackApp), which records the match in the request's context.
 */
const DISPATCH = "alumniDispatch";

interface Dispatch {
  handled: boolean;
}

/** Listener middleware, placed right after a listener's constraints: this request has a listener. */
export async function markHandled({ context, next }: AllMiddlewareArgs): Promise<void> {
  const dispatch = context[DISPATCH] as Dispatch | undefined;
  if (dispatch) dispatch.handled = true;
  await next();
}

/** What to say in the log about a request no listener took: its kind and ids, clipped, never user text. */
export function describeRequest(body: Record<string, unknown>): Record<string, string> {
  const clip = (v: unknown) => (typeof v === "string" ? v.slice(0, 80) : typeof v);
  const out: Record<string, string> = { type: clip(body.type) };
  if (body.command !== undefined) out.command = clip(body.command);
  const actions = body.actions;
  if (Array.isArray(actions)) {
    out.actionId = clip((actions[0] as Record<string, unknown> | undefined)?.action_id);
  }
  const view = body.view as Record<string, unknown> | undefined;
  if (view && typeof view === "object") out.callbackId = clip(view.callback_id);
  if (body.callback_id !== undefined) out.callbackId = clip(body.callback_id);
  if (body.action_id !== undefined) out.actionId = clip(body.action_id);
  const event = body.event as Record<string, unknown> | undefined;
  if (event && typeof event === "object") {
    out.event = clip(event.type);
    if (event.subtype !== undefined) out.subtype = clip(event.subtype);
  }
  return out;
}

/**
 * Run the listeners for a request; resolves to whether any listener took it. A request no
 * listener takes is logged at warn (a modal opened by an older version, an action or event
 * the app no longer handles), so the caller can acknowledge it at once.
 */
async function dispatch(app: App, logger: Logger, event: Parameters<App["processEvent"]>[0]): Promise<boolean> {
  const state: Dispatch = { handled: false };
  try {
    await app.processEvent({ ...event, customProperties: { ...event.customProperties, [DISPATCH]: state } });
  } catch (error) {
    // Bolt refused the request before any listener saw it (e.g. a function_executed event
    // without its execution id, for an app that defines no functions): not a failure of ours.
    if (state.handled) throw error;
    logger.warn(`Bolt refused a Slack request: ${(error as Error)?.message ?? error}`);
  }
  if (!state.handled) {
    logger.warn(`no listener handles this Slack request; acknowledged: ${JSON.stringify(describeRequest(event.body))}`);
  }
  return state.handled;
}

/**
 * Requests whose acknowledgement carries nothing: slash commands, button clicks
 * and Events API callbacks. These are answered 200 the moment their signature
 * checks out, before the database is touched, so the ack's latency is the
 * signature check's; the work (and the dedupe claim) follows. Modal submissions
 * (whose ack may carry `response_action: errors`) and option loads wait for
 * their listener as usual.
 */
export function acksAtOnce(body: Record<string, unknown>): boolean {
  return typeof body.command === "string" || body.type === "block_actions" || body.type === "event_callback";
}

/** An acknowledged request, as handed to whoever processes it. */
export interface OffloadedRequest {
  body: Record<string, unknown>;
  retryNum?: number;
  retryReason?: string;
}

/**
 * Process a request that was already acknowledged (see acksAtOnce): claim it
 * against redeliveries, run the listeners with an ack() that has nothing left to
 * do, mark it done. Used by the receiver and by the Slack worker thread.
 */
export async function processAcknowledged(
  app: App,
  deps: { prisma: Db; logger: Logger; actors?: ActorResolver },
  request: OffloadedRequest,
): Promise<void> {
  const { prisma, logger } = deps;
  const { body, retryNum, retryReason } = request;
  const key = deliveryKey(body);
  // Slack redelivers only Events API callbacks that were not acknowledged in time. An acknowledged
  // command or click is never sent again, so its claim is written as done in the same statement.
  const final = body.type !== "event_callback";
  try {
    let claimed = true;
    let prefetched: PrefetchedMember | undefined;
    if (key) {
      // A command's or click's sender is read in the claim's statement (one round trip); the listener uses it.
      const user = final && deps.actors ? requestUser(body) : undefined;
      const both = user && (await deps.actors?.claimAndFindMember(key, { final }, user));
      if (both) {
        claimed = both.claimed;
        prefetched = both.prefetched;
      } else {
        claimed = await claimDelivery(prisma, "slack", key, { final });
      }
    }
    if (!claimed) {
      logger.info(`skipped a redelivered Slack request (${key}, retry ${retryNum ?? 0})`);
      return;
    }
    try {
      await dispatch(app, logger, {
        ...(prefetched ? { customProperties: { [PREFETCHED_MEMBER]: prefetched } } : {}),
        body,
        ack: async (response?: unknown) => {
          if (response !== undefined) logger.warn("an ack() body was dropped: this request was acknowledged at once");
        },
        ...(retryNum !== undefined ? { retryNum } : {}),
        ...(retryReason !== undefined ? { retryReason } : {}),
      });
      if (key && !final) await completeDelivery(prisma, key);
    } catch (error) {
      if (key && !final) await releaseDelivery(prisma, key).catch(() => undefined);
      throw error;
    }
  } catch (error) {
    logger.error(`a Slack request failed after it was acknowledged: ${(error as Error)?.message ?? error}`);
  }
}

/** Who sent a command or a click (as the listeners read it), when the body says. */
function requestUser(body: Record<string, unknown>): { teamId: string; userId: string } | undefined {
  if (typeof body.command === "string") {
    return isId(body.user_id) && isId(body.team_id) ? { teamId: body.team_id, userId: body.user_id } : undefined;
  }
  if (body.type !== "block_actions" || !isObject(body.user) || !isId(body.user.id)) return undefined;
  const team = isObject(body.team) ? body.team.id : undefined;
  const teamId = (body.user.team_id as string | undefined) ?? (team as string | undefined) ?? "";
  return typeof teamId === "string" ? { teamId, userId: body.user.id } : undefined;
}

/** Requests received here whose processing (which may go on after the ack) has not finished. */
const inFlight = new Set<Promise<void>>();

/**
 * Resolves when every Slack request this process's receivers have taken so far is fully
 * processed, including the work after an early ack (tests wait on it for the effects).
 */
export async function slackRequestsSettled(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

export class SharedServerReceiver implements Receiver {
  private app: App | undefined;

  constructor(
    private readonly options: {
      signingSecret: string;
      logger: Logger;
      prisma: Db;
      /** For tests of signature handling only; production always verifies. */
      nowMilliseconds?: () => number;
      /**
       * Hand an acknowledged request to other hands (the Slack worker thread);
       * false when it cannot take it, and it is processed here.
       */
      offload?: (request: OffloadedRequest) => boolean;
      /** The listeners' ActorResolver: a request's sender is then read with its claim. */
      actors?: ActorResolver;
    },
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** The route handler for POST /slack/events. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const work = this.receive(req, res);
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  };

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger, prisma } = this.options;
    let buffered: Awaited<ReturnType<typeof http.parseAndVerifyHTTPRequest>>;
    try {
      buffered = await http.parseAndVerifyHTTPRequest(
        {
          enabled: true,
          signingSecret: this.options.signingSecret,
          bodyLimit: MAX_BODY_BYTES,
          ...(this.options.nowMilliseconds ? { nowMilliseconds: this.options.nowMilliseconds } : {}),
        },
        req,
      );
    } catch (err) {
      if (http.isRawBodyError(err) && (err.type === "entity.too.large" || err.statusCode === 413)) {
        // Over MAX_BODY_BYTES (Slack's own payloads are far smaller).
        discardRest(req);
        http.buildNoBodyResponse(res, 413);
        return;
      }
      logger.warn(`rejected a Slack request: ${(err as Error).message}`);
      http.buildNoBodyResponse(res, 401);
      return;
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = http.parseHTTPRequestBody(buffered);
      // `payload=null`, `[]`, `1`: valid JSON, but no request Slack sends.
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new Error("the body is not a JSON object");
      }
      body = parsed as Record<string, unknown>;
      const problem = requestProblem(body);
      if (problem) throw new Error(problem);
    } catch (err) {
      logger.warn(`malformed Slack request body: ${(err as Error).message}`);
      http.buildNoBodyResponse(res, 400);
      return;
    }
    if (body.ssl_check === "1") {
      http.buildSSLCheckResponse(res);
      return;
    }
    if (body.type === "url_verification") {
      http.buildUrlVerificationResponse(res, body);
      return;
    }

    const early = acksAtOnce(body);
    const retryNum = http.extractRetryNumFromHTTPRequest(req);
    const retryReason = http.extractRetryReasonFromHTTPRequest(req);
    if (early) {
      http.buildNoBodyResponse(res, 200);
      // Acknowledged: the work may run elsewhere (the Slack worker thread), or here.
      const message: OffloadedRequest = {
        body,
        ...(retryNum !== undefined ? { retryNum } : {}),
        ...(retryReason !== undefined ? { retryReason } : {}),
      };
      if (this.options.offload?.(message)) return;
      if (this.app) await processAcknowledged(this.app, { prisma, logger, actors: this.options.actors }, message);
      return;
    }

    const key = deliveryKey(body);
    if (key && !(await claimDelivery(prisma, "slack", key))) {
      logger.info(`skipped a redelivered Slack request (${key}, retry ${retryNum ?? 0})`);
      http.buildNoBodyResponse(res, 200);
      return;
    }
    const ack = new HTTPResponseAck({
      logger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    const respond = ack.bind();
    let acknowledged = false;
    try {
      if (this.app) {
        await dispatch(this.app, logger, {
          body,
          ack: async (response?: unknown) => {
            acknowledged = true;
            if (res.headersSent) {
              // Bolt answered 404 when the 3 s were up; writing again would throw ERR_HTTP_HEADERS_SENT.
              ack.ack();
              logger.warn(
                `a Slack request was acknowledged after Slack's 3 s; its late ack() is dropped: ${JSON.stringify(describeRequest(body))}`,
              );
              return;
            }
            await respond(response as never);
          },
          ...(retryNum !== undefined ? { retryNum } : {}),
          ...(retryReason !== undefined ? { retryReason } : {}),
        });
      }
      // No listener took it (or one returned without acknowledging): 200 now, not Bolt's 404 after 3 s.
      if (!acknowledged && !res.headersSent) {
        acknowledged = true;
        await respond();
      }
      if (key) await completeDelivery(prisma, key);
    } catch (error) {
      if (key) await releaseDelivery(prisma, key).catch(() => undefined);
      const handled = await http.defaultProcessEventErrorHandler({
        error: error as Error,
        logger,
        request: req,
        response: res,
        storedResponse: undefined,
      });
      if (handled) ack.ack();
    }
  }
}
