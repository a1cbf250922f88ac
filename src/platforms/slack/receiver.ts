// A Bolt receiver mounted on our one HTTP server at /slack/events (commands,
// interactivity and events on one Request URL). Signature and timestamp checks
// are Bolt's own (HTTPModuleFunctions); what we add is deduplication of Slack's
// redeliveries, stored in the database so it holds across replicas and restarts.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type App, HTTPResponseAck, HTTPModuleFunctions as http, type Logger, type Receiver } from "@slack/bolt";
import type { Db } from "../../core/db.js";
import { claimDelivery, completeDelivery, releaseDelivery } from "../../http/deliveries.js";

/** The identity of one delivery: equal for Slack's retries of it, different for a new request. */
export function deliveryKey(body: Record<string, unknown>): string | undefined {
  if (body.type === "event_callback" && typeof body.event_id === "string") return `slack:event:${body.event_id}`;
  if (typeof body.command === "string" && typeof body.trigger_id === "string") {
    return `slack:command:${body.trigger_id}`;
  }
  if (typeof body.type === "string" && typeof body.trigger_id === "string") {
    return `slack:${body.type}:${body.trigger_id}`;
  }
  return undefined;
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
  deps: { prisma: Db; logger: Logger },
  request: OffloadedRequest,
): Promise<void> {
  const { prisma, logger } = deps;
  const { body, retryNum, retryReason } = request;
  const key = deliveryKey(body);
  // Slack redelivers only Events API callbacks that were not acknowledged in time. An acknowledged
  // command or click is never sent again, so its claim is written as done in the same statement.
  const final = body.type !== "event_callback";
  try {
    if (key && !(await claimDelivery(prisma, "slack", key, { final }))) {
      logger.info(`skipped a redelivered Slack request (${key}, retry ${retryNum ?? 0})`);
      return;
    }
    try {
      await app.processEvent({
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
    },
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** The route handler for POST /slack/events. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { logger, prisma } = this.options;
    let buffered: Awaited<ReturnType<typeof http.parseAndVerifyHTTPRequest>>;
    try {
      buffered = await http.parseAndVerifyHTTPRequest(
        {
          enabled: true,
          signingSecret: this.options.signingSecret,
          ...(this.options.nowMilliseconds ? { nowMilliseconds: this.options.nowMilliseconds } : {}),
        },
        req,
      );
    } catch (err) {
      if (http.isRawBodyError(err) && (err.type === "entity.too.large" || err.statusCode === 413)) {
        http.buildNoBodyResponse(res, 413);
        return;
      }
      logger.warn(`rejected a Slack request: ${(err as Error).message}`);
      http.buildNoBodyResponse(res, 401);
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = http.parseHTTPRequestBody(buffered);
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
      if (this.app) await processAcknowledged(this.app, { prisma, logger }, message);
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
    try {
      await this.app?.processEvent({
        body,
        ack: ack.bind(),
        ...(retryNum !== undefined ? { retryNum } : {}),
        ...(retryReason !== undefined ? { retryReason } : {}),
      });
      if (key) await completeDelivery(prisma, key);
    } catch (error) {
      if (key) await releaseDelivery(prisma, key).catch(() => undefined);
      const acknowledged = await http.defaultProcessEventErrorHandler({
        error: error as Error,
        logger,
        request: req,
        response: res,
        storedResponse: undefined,
      });
      if (acknowledged) ack.ack();
    }
  };
}
