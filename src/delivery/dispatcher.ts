// The dispatcher: claims due outbox rows with a lease (PostgreSQL `FOR UPDATE
// SKIP LOCKED`, so replicas never claim the same row), sends them through the
// platform senders at the rate the limiter allows, records where each message
// landed, and marks it sent. Failures back off exponentially with jitter; a
// platform 429 pauses the row's rate key (in memory and in the database, for the
// other replicas) for Retry-After; after the last attempt a row is dead-lettered.
// A replica that dies mid-send leaves leased rows behind; once the lease expires
// they are claimable again (at-least-once, with the lease making a second send
// only possible when a send outlives its lease).
import { randomUUID } from "node:crypto";
import type { Db } from "../core/db.js";
import type { OutboxMessage, Platform } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { Reservation } from "./rate-limiter.js";
import { nextAttemptDelayMs } from "./retry-policy.js";
import { ANNOUNCEMENT_PURPOSE, DeliveryError, type MessageRef, type Sender } from "./sender.js";

/** The rate limiter as the dispatcher uses it (RateLimiter implements it). */
export interface DispatchLimiter {
  reserve(
    rateKey: string,
    platform: Platform,
  ): { ok: true; reservation: Reservation } | { ok: false; retryInMs: number };
  confirmOrWait(reservation: Reservation): number;
  release(reservation: Reservation): void;
  pause(rateKey: string, untilMs: number): void;
  throttled(rateKey: string, platform: Platform): void;
  isPaused(rateKey: string, platform?: Platform): boolean;
}

/** A claimed row and the rate-limit use reserved for it. */
interface Claimed {
  row: OutboxMessage;
  reservation: Reservation;
}

/** The shortest rest when rows are due but the limiter holds them back. */
const MIN_REST_MS = 5;

export interface DispatcherOptions {
  prisma: Db;
  logger: Logger;
  senders: Partial<Record<Platform, Sender>>;
  limiter: DispatchLimiter;
  owner?: string;
  batchSize?: number;
  concurrency?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** How long to wait when nothing is due. */
  idleMs?: number;
  /** Told each delivery's outcome (for metrics); the dispatcher itself knows no metrics library. */
  metrics?: { onOutcome(platform: Platform, outcome: DeliveryOutcome): void };
}

/** A delivery's outcome as metrics name it. */
export type DeliveryOutcome = "sent" | "skipped" | "retried" | "rate_limited" | "dead";

type TickOutcome = "sent" | "skipped" | "retried" | "rateLimited" | "dead";

export interface TickReport {
  claimed: number;
  sent: number;
  skipped: number;
  retried: number;
  rateLimited: number;
  dead: number;
}

/** Messages edited later (announcements) and Teams cards keep their platform address. */
function keepsRef(row: OutboxMessage): boolean {
  return row.platform === "teams" || row.kind.endsWith("_announcement");
}

/** Where announcements' refs are stored, so updates can find the message to edit. */
export function refPurpose(kind: string): string {
  return kind.endsWith("_announcement") ? ANNOUNCEMENT_PURPOSE : kind;
}

export class Dispatcher {
  readonly owner: string;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly idleMs: number;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly options: DispatcherOptions) {
    this.owner = options.owner ?? `dispatcher-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.batchSize = options.batchSize ?? 50;
    this.concurrency = options.concurrency ?? 8;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.idleMs = options.idleMs ?? 250;
  }

  private get platforms(): Platform[] {
    return (Object.keys(this.options.senders) as Platform[]).filter((p) => this.options.senders[p]);
  }

  /**
   * Claim up to `max` due rows the limiter lets through now, each with its
   * reserved use. `retryInMs`: when rows were due but the limiter held them all
   * back, how soon one may go (null when nothing was due).
   */
  async claim(max = this.batchSize): Promise<{ claimed: Claimed[]; retryInMs: number | null }> {
    const { limiter } = this.options;
    const platforms = this.platforms;
    if (platforms.length === 0) return { claimed: [], retryInMs: null };
    const reserved = new Map<string, Reservation>();
    let retryInMs: number | null = null;
    try {
      const rows = await this.claimRows(platforms, max, reserved, (ms) => {
        retryInMs = retryInMs === null ? ms : Math.min(retryInMs, ms);
      });
      const claimed: Claimed[] = [];
      for (const row of rows) {
        const reservation = reserved.get(row.id);
        if (!reservation) continue;
        reserved.delete(row.id);
        claimed.push({ row, reservation });
      }
      return { claimed, retryInMs: claimed.length > 0 ? null : retryInMs };
    } finally {
      // Reserved but not claimed (or the transaction failed): give the uses back.
      for (const reservation of reserved.values()) limiter.release(reservation);
    }
  }

  /**
   * Two statements, no transaction: read due candidates (no locks), reserve a
   * rate-limit use for those the limiter lets through, then claim exactly those
   * in one UPDATE whose row locks skip what another replica is claiming at the
   * same moment (and re-checks that each row is still claimable). Only the rows
   * claimed are locked and written — not every candidate looked at.
   */
  private async claimRows(
    platforms: Platform[],
    max: number,
    reserved: Map<string, Reservation>,
    refused: (retryInMs: number) => void,
  ): Promise<OutboxMessage[]> {
    const { prisma, limiter } = this.options;
    // Due rows, oldest first, and rows whose lease expired (their sender died): each half walks its
    // own index in order and stops at the limit, however many thousands are due (one ORDER BY over
    // an OR would sort them all on every claim).
    const candidates = await prisma.$queryRaw<{ id: string; rate_key: string; platform: Platform }[]>`
      WITH due AS (
        SELECT o.id, o.rate_key, o.platform, o.next_attempt_at AS at
        FROM outbox_messages o
        WHERE o.status = 'pending' AND o.next_attempt_at <= now() AND o.not_before <= now()
          AND o.platform::text = ANY(${platforms}::text[])
          AND NOT EXISTS (SELECT 1 FROM rate_limit_pauses p WHERE p.key = o.rate_key AND p.paused_until > now())
          AND (o.depends_on_id IS NULL OR EXISTS (
                SELECT 1 FROM outbox_messages d
                WHERE d.id = o.depends_on_id AND d.status IN ('sent', 'dead', 'cancelled')))
        ORDER BY o.next_attempt_at
        LIMIT ${max * 4}
      ), expired AS (
        SELECT o.id, o.rate_key, o.platform, o.lease_expires_at AS at
        FROM outbox_messages o
        WHERE o.status = 'sending' AND o.lease_expires_at < now()
          AND o.platform::text = ANY(${platforms}::text[])
          AND NOT EXISTS (SELECT 1 FROM rate_limit_pauses p WHERE p.key = o.rate_key AND p.paused_until > now())
        ORDER BY o.lease_expires_at
        LIMIT ${max * 4}
      )
      SELECT c.id, c.rate_key, c.platform
      FROM (SELECT * FROM expired UNION ALL SELECT * FROM due) c
      ORDER BY c.at
      LIMIT ${max * 4}`;
    const chosen: string[] = [];
    for (const row of candidates) {
      if (chosen.length >= max) break;
      const granted = limiter.reserve(row.rate_key, row.platform);
      if (!granted.ok) {
        refused(granted.retryInMs);
        continue;
      }
      reserved.set(row.id, granted.reservation);
      chosen.push(row.id);
    }
    if (chosen.length === 0) return [];
    return prisma.$queryRaw<OutboxMessage[]>`
      UPDATE outbox_messages
      SET status = 'sending', lease_owner = ${this.owner},
          lease_expires_at = now() + make_interval(secs => ${this.leaseMs / 1000}),
          attempts = attempts + 1, updated_at = now()
      WHERE id IN (
        SELECT o.id FROM outbox_messages o
        WHERE o.id = ANY(${chosen}::uuid[])
          AND ((o.status = 'pending' AND o.next_attempt_at <= now() AND o.not_before <= now())
               OR (o.status = 'sending' AND o.lease_expires_at < now()))
        FOR UPDATE SKIP LOCKED)
      RETURNING id, idempotency_key AS "idempotencyKey", platform, operation, kind, target,
                recipient_id AS "recipientId", subject_type AS "subjectType", subject_id AS "subjectId",
                payload, rate_key AS "rateKey", status, attempts, max_attempts AS "maxAttempts",
                not_before AS "notBefore", next_attempt_at AS "nextAttemptAt", lease_owner AS "leaseOwner",
                lease_expires_at AS "leaseExpiresAt", last_error AS "lastError", created_at AS "createdAt",
                updated_at AS "updatedAt", sent_at AS "sentAt", depends_on_id AS "dependsOnId"`;
  }

  /** One round: claim, send (bounded concurrency), record. */
  async tick(): Promise<TickReport> {
    const { claimed } = await this.claim();
    const report: TickReport = { claimed: claimed.length, sent: 0, skipped: 0, retried: 0, rateLimited: 0, dead: 0 };
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const outcome = await this.deliver(claimed[next++] as Claimed);
        report[outcome]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, claimed.length) }, worker));
    return report;
  }

  private async deliver(claimed: Claimed): Promise<TickOutcome> {
    const outcome = await this.deliverOne(claimed);
    this.options.metrics?.onOutcome(claimed.row.platform, outcome === "rateLimited" ? "rate_limited" : outcome);
    return outcome;
  }

  private async deliverOne({ row, reservation }: Claimed): Promise<TickOutcome> {
    const { limiter } = this.options;
    try {
      // Another row of this key met a 429 since this one was claimed: wait with it, unsent.
      if (limiter.isPaused(row.rateKey, row.platform)) {
        await this.unclaim([row], "rate limited: waiting for the platform's pause");
        return "rateLimited";
      }
      return await this.send(row, reservation);
    } finally {
      limiter.release(reservation); // no-op once the send confirmed it
    }
  }

  private async send(row: OutboxMessage, reservation: Reservation): Promise<TickOutcome> {
    const { prisma, logger, limiter } = this.options;
    const sender = this.options.senders[row.platform];
    const mine = { id: row.id, status: "sending" as const, leaseOwner: this.owner };
    if (!sender) return "skipped";
    try {
      const outcome = await sender.send(row, {
        beforeSend: async () => {
          for (let wait = limiter.confirmOrWait(reservation); wait > 0; wait = limiter.confirmOrWait(reservation)) {
            await new Promise((resolve) => setTimeout(resolve, wait));
          }
        },
      });
      if (outcome.status === "skipped") {
        await prisma.outboxMessage.updateMany({
          where: mine,
          data: {
            status: "cancelled",
            leaseOwner: null,
            leaseExpiresAt: null,
            lastError: `skipped: ${outcome.reason}`,
          },
        });
        return "skipped";
      }
      // Marked at once, row by row: if this process dies now, only sends in flight can repeat.
      // Only messages that may be edited later keep their platform address (announcements,
      // Teams cards); a DM needs none, so it is one statement.
      const ref = outcome.ref && row.subjectType && row.subjectId && keepsRef(row) ? outcome.ref : undefined;
      // Raw SQL: this runs once per message sent.
      const markSent = (db: Pick<Db, "$executeRaw">) => db.$executeRaw`
        UPDATE outbox_messages
        SET status = 'sent', sent_at = now(), lease_owner = NULL, lease_expires_at = NULL, last_error = NULL,
            updated_at = now()
        WHERE id = ${row.id}::uuid AND status = 'sending' AND lease_owner = ${this.owner}`;
      const done = ref
        ? await prisma.$transaction(async (tx) => {
            const updated = await markSent(tx);
            await this.storeRef(tx, row, ref);
            return updated;
          })
        : await markSent(prisma);
      if (done === 0) logger.warn({ id: row.id }, "a row was sent after it was cancelled or its lease passed on");
      return "sent";
    } catch (err) {
      return this.failed(row, err);
    }
  }

  private async storeRef(tx: Parameters<Parameters<Db["$transaction"]>[0]>[0], row: OutboxMessage, ref: MessageRef) {
    await tx.platformMessageRef.createMany({
      data: [
        {
          platform: ref.platform,
          subjectType: row.subjectType as string,
          subjectId: row.subjectId as string,
          purpose: refPurpose(row.kind),
          outboxMessageId: row.id,
          ...(ref.platform === "slack"
            ? { slackChannel: ref.slackChannel, slackTs: ref.slackTs }
            : { teamsConversationId: ref.teamsConversationId, teamsActivityId: ref.teamsActivityId }),
        },
      ],
      skipDuplicates: true,
    });
  }

  private async failed(row: OutboxMessage, err: unknown): Promise<"retried" | "rateLimited" | "dead"> {
    const { prisma, logger, limiter } = this.options;
    const error =
      err instanceof DeliveryError ? err : new DeliveryError("transient", (err as Error)?.message ?? String(err));
    const mine = { id: row.id, status: "sending" as const, leaseOwner: this.owner };
    const message = error.message.slice(0, 1000);
    if (error.kind === "rate_limited") {
      const waitMs = Math.max(1000, error.retryAfterMs ?? 1000);
      const until = new Date(Date.now() + waitMs);
      limiter.pause(row.rateKey, until.getTime());
      limiter.throttled(row.rateKey, row.platform);
      await prisma.rateLimitPause.upsert({
        where: { key: row.rateKey },
        create: { key: row.rateKey, pausedUntil: until, reason: message },
        update: { pausedUntil: until, reason: message },
      });
      // A 429 is the platform's pacing, not a failed attempt.
      await prisma.outboxMessage.updateMany({
        where: mine,
        data: {
          status: "pending",
          attempts: { decrement: 1 },
          nextAttemptAt: until,
          leaseOwner: null,
          leaseExpiresAt: null,
          lastError: `rate limited: ${message}`,
        },
      });
      logger.warn({ rateKey: row.rateKey, waitMs }, "rate limited by the platform; pausing this key");
      return "rateLimited";
    }
    const maxAttempts = Math.min(row.maxAttempts, this.maxAttempts);
    if (error.kind === "permanent" || row.attempts >= maxAttempts) {
      await prisma.outboxMessage.updateMany({
        where: mine,
        data: { status: "dead", leaseOwner: null, leaseExpiresAt: null, lastError: message },
      });
      logger.error({ id: row.id, kind: row.kind, attempts: row.attempts, err: error }, "delivery dead-lettered");
      return "dead";
    }
    const delay = nextAttemptDelayMs(row.attempts);
    await prisma.outboxMessage.updateMany({
      where: mine,
      data: {
        status: "pending",
        nextAttemptAt: new Date(Date.now() + delay),
        leaseOwner: null,
        leaseExpiresAt: null,
        lastError: message,
      },
    });
    logger.warn(
      { id: row.id, kind: row.kind, attempts: row.attempts, delay, err: error.message },
      "delivery failed; will retry",
    );
    return "retried";
  }

  /** Put claimed rows back, unsent and without counting an attempt (shutdown, a pause). */
  private async unclaim(rows: OutboxMessage[], reason: string): Promise<void> {
    if (rows.length === 0) return;
    await this.options.prisma.outboxMessage.updateMany({
      where: { id: { in: rows.map((r) => r.id) }, status: "sending", leaseOwner: this.owner },
      data: {
        status: "pending",
        attempts: { decrement: 1 },
        leaseOwner: null,
        leaseExpiresAt: null,
        lastError: reason,
      },
    });
  }

  /**
   * Run until stop(). `concurrency` workers send from one queue of claimed rows;
   * the queue is refilled by one claim at a time, started before it runs dry,
   * so sending never waits for a whole batch to finish. With nothing due the
   * workers rest `idleMs`; with rows due but held back by the limiter, only as
   * long as the limiter says.
   */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    const queue: Claimed[] = [];
    let refilling: Promise<{ got: number; restMs: number }> | undefined;
    const refill = () => {
      refilling ??= this.claim()
        .then(({ claimed, retryInMs }) => {
          queue.push(...claimed);
          const restMs = retryInMs === null ? this.idleMs : Math.min(this.idleMs, Math.max(MIN_REST_MS, retryInMs));
          return { got: claimed.length, restMs };
        })
        .catch((err: unknown) => {
          this.options.logger.error({ err }, "dispatcher claim failed");
          return { got: 0, restMs: this.idleMs };
        })
        .finally(() => {
          refilling = undefined;
        });
      return refilling;
    };
    const worker = async () => {
      while (!this.stopping) {
        if (queue.length <= this.concurrency && !refilling) void refill();
        const next = queue.shift();
        if (next) {
          try {
            await this.deliver(next);
          } catch (err) {
            this.options.logger.error({ err, id: next.row.id }, "dispatcher could not record a delivery");
          }
          continue;
        }
        const { got, restMs } = await refill();
        if (got === 0 && queue.length === 0 && !this.stopping) await this.rest(restMs);
      }
    };
    this.loop = (async () => {
      await Promise.all(Array.from({ length: this.concurrency }, worker));
      await refilling;
      // Claimed but never started: back to the queue for whoever runs next.
      const left = queue.splice(0);
      for (const c of left) this.options.limiter.release(c.reservation);
      await this.unclaim(
        left.map((c) => c.row),
        "released at shutdown",
      ).catch((err: unknown) => this.options.logger.error({ err }, "could not release claimed rows at shutdown"));
    })();
  }

  private readonly resting = new Set<() => void>();

  private rest(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.resting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.resting.add(done);
    });
  }

  /** Stop claiming; in-flight sends finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of [...this.resting]) wake();
    await this.loop;
    this.loop = undefined;
  }

  /** For /healthz: how late the oldest due row is, and how many are waiting or dead. */
  async status(): Promise<{ lagSeconds: number; due: number; dead: number }> {
    const rows = await this.options.prisma.$queryRaw<{ oldest: Date | null; due: number; dead: number }[]>`
      SELECT min(next_attempt_at) FILTER (WHERE status = 'pending' AND not_before <= now()) AS oldest,
             count(*) FILTER (WHERE status = 'pending' AND next_attempt_at <= now() AND not_before <= now())::int AS due,
             count(*) FILTER (WHERE status = 'dead')::int AS dead
      FROM outbox_messages`;
    const row = rows[0];
    const lagMs = row?.oldest ? Math.max(0, Date.now() - new Date(row.oldest).getTime()) : 0;
    return { lagSeconds: Math.round(lagMs / 100) / 10, due: row?.due ?? 0, dead: row?.dead ?? 0 };
  }
}
