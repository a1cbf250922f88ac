// Prometheus metrics for GET /metrics: one registry per app instance (tests run
// several apps in one process, so never prom-client's global registry). Labels
// stay low-cardinality: platform, status, outcome — never user, channel or
// conversation ids, nor paths.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../core/db.js";
import type { DeliveryOutcome } from "../delivery/dispatcher.js";

export type RequestPlatform = "slack" | "teams" | "other";

/** Outbox depth and age, read at scrape time. */
export interface OutboxSnapshot {
  pending: number;
  sending: number;
  dead: number;
  /** How late the oldest due pending row is (0 when none is due). */
  oldestDueSeconds: number;
}

export interface Metrics {
  readonly registry: Registry;
  /** One finished HTTP request: its platform, status code and time from start to finish. */
  request(platform: RequestPlatform, status: number, seconds: number): void;
  /** One delivery attempt's outcome, as the dispatcher returned it. */
  delivery(platform: string, outcome: DeliveryOutcome): void;
}

/** Which platform an HTTP path belongs to (only these two paths; anything else is "other"). */
export function platformOfPath(path: string): RequestPlatform {
  if (path === "/slack/events") return "slack";
  if (path === "/api/messages") return "teams";
  return "other";
}

/** One statement: pending, sending and dead counts and the oldest due row's lateness. */
export async function readOutboxSnapshot(prisma: Pick<Db, "$queryRaw">): Promise<OutboxSnapshot> {
  const rows = await prisma.$queryRaw<{ pending: number; sending: number; dead: number; late: number | null }[]>`
    SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
           count(*) FILTER (WHERE status = 'sending')::int AS sending,
           count(*) FILTER (WHERE status = 'dead')::int AS dead,
           EXTRACT(EPOCH FROM now() - min(GREATEST(next_attempt_at, not_before))
             FILTER (WHERE status = 'pending' AND next_attempt_at <= now() AND not_before <= now()))::float8 AS late
    FROM outbox_messages
    WHERE status IN ('pending', 'sending', 'dead')`;
  const row = rows[0];
  return {
    pending: Number(row?.pending ?? 0),
    sending: Number(row?.sending ?? 0),
    dead: Number(row?.dead ?? 0),
    oldestDueSeconds: Math.max(0, Number(row?.late ?? 0)),
  };
}

export function createMetrics(options: {
  /** Read at each scrape; without it the outbox gauges are absent. */
  outbox?: () => Promise<OutboxSnapshot>;
  /** Node.js process metrics (CPU, memory, event loop lag); default true. */
  defaultMetrics?: boolean;
}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: "alumni_bridge_http_requests_total",
    help: "HTTP requests served, by platform (slack, teams, other) and status code.",
    labelNames: ["platform", "status"] as const,
    registers: [registry],
  });
  const ack = new Histogram({
    name: "alumni_bridge_ack_seconds",
    help: "Time from a request's start to its response's finish (Slack wants an ack within 3 s).",
    labelNames: ["platform"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: "alumni_bridge_deliveries_total",
    help: "Outbox delivery attempts by platform and outcome (sent, skipped, retried, rate_limited, dead).",
    labelNames: ["platform", "outcome"] as const,
    registers: [registry],
  });
  // Zeros from the start, so rates and alerts work before the first send.
  for (const platform of ["slack", "teams"]) {
    for (const outcome of ["sent", "skipped", "retried", "rate_limited", "dead"])
      deliveries.inc({ platform, outcome }, 0);
  }

  const readOutbox = options.outbox;
  if (readOutbox) {
    // Both gauges are collected in the same scrape (prom-client collects metrics concurrently):
    // they share one query while it runs.
    let inFlight: Promise<OutboxSnapshot> | undefined;
    const snapshot = () => {
      inFlight ??= readOutbox().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    };
    new Gauge({
      name: "alumni_bridge_outbox_messages",
      help: "Outbox rows waiting to be sent (pending), being sent (sending) or dead-lettered (dead).",
      labelNames: ["status"] as const,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        this.set({ status: "pending" }, s.pending);
        this.set({ status: "sending" }, s.sending);
        this.set({ status: "dead" }, s.dead);
      },
    });
    new Gauge({
      name: "alumni_bridge_outbox_oldest_due_seconds",
      help: "How late the oldest due pending outbox row is, in seconds (0 when none is due).",
      registers: [registry],
      async collect() {
        this.set((await snapshot()).oldestDueSeconds);
      },
    });
  }

  return {
    registry,
    request(platform, status, seconds) {
      requests.inc({ platform, status: String(status) });
      ack.observe({ platform }, seconds);
    },
    delivery(platform, outcome) {
      deliveries.inc({ platform, outcome });
    },
  };
}
