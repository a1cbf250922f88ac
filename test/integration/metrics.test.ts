// GET /metrics on the whole bot in process (real HTTP, real Bolt, embedded
// database, fake Slack): request counts and ack latency per platform, outbox
// depth and age read at scrape time, delivery outcomes — as Prometheus text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueOutbox } from "../../src/delivery/outbox.js";
import { type Family, parseExposition } from "../support/prometheus.js";
import { type SlackHarness, seedPosting, startSlackHarness } from "../support/slack-harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function scrape(): Promise<Map<string, Family>> {
  const res = await fetch(`${h.app.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe(h.app.metrics.registry.contentType);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return parseExposition(await res.text());
}

/** The value of the one sample named `name` (default: the family) whose labels include `labels`. */
function value(
  families: Map<string, Family>,
  family: string,
  labels: Record<string, string> = {},
  name = family,
): number {
  const found = (families.get(family)?.samples ?? []).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  expect(found.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
  return found[0]?.value ?? 0;
}

function slackRequests(families: Map<string, Family>): number {
  return (families.get("alumni_bridge_http_requests_total")?.samples ?? [])
    .filter((s) => s.labels.platform === "slack")
    .reduce((sum, s) => sum + s.value, 0);
}

describe("GET /metrics", () => {
  it("serves parseable Prometheus text with our metrics and process metrics", async () => {
    const families = await scrape();
    expect(families.get("alumni_bridge_http_requests_total")?.type).toBe("counter");
    expect(families.get("alumni_bridge_ack_seconds")?.type).toBe("histogram");
    expect(families.get("alumni_bridge_outbox_messages")?.type).toBe("gauge");
    expect(families.get("alumni_bridge_outbox_oldest_due_seconds")?.type).toBe("gauge");
    expect(families.get("alumni_bridge_deliveries_total")?.type).toBe("counter");
    expect(families.has("process_cpu_user_seconds_total")).toBe(true);
    // Low cardinality: only these labels on our metrics.
    for (const [name, family] of families) {
      if (!name.startsWith("alumni_bridge_")) continue;
      for (const s of family.samples) {
        for (const label of Object.keys(s.labels)) expect(["platform", "status", "outcome", "le"]).toContain(label);
      }
    }
  });

  it("counts a signed Slack command and times its ack", async () => {
    const before = await scrape();
    const ack = "alumni_bridge_ack_seconds";
    const countBefore = value(before, ack, { platform: "slack" }, `${ack}_count`);
    const res = await h.slack.command("UMETRICS1", "help");
    expect(res.status).toBe(200);
    const after = await scrape();
    expect(slackRequests(after)).toBe(slackRequests(before) + 1);
    expect(value(after, "alumni_bridge_http_requests_total", { platform: "slack", status: "200" })).toBeGreaterThan(0);
    expect(value(after, ack, { platform: "slack" }, `${ack}_count`)).toBe(countBefore + 1);
    expect(value(after, ack, { platform: "slack" }, `${ack}_sum`)).toBeGreaterThan(0);
    expect(value(after, ack, { platform: "slack", le: "+Inf" }, `${ack}_bucket`)).toBe(countBefore + 1);
    // Slack's ack deadline is 3 s: this one is well within it.
    expect(value(after, ack, { platform: "slack", le: "3" }, `${ack}_bucket`)).toBe(countBefore + 1);
    // The scrapes themselves are "other", never a path.
    expect(value(after, "alumni_bridge_http_requests_total", { platform: "other", status: "200" })).toBeGreaterThan(0);
    expect(JSON.stringify([...after.values()])).not.toContain("UMETRICS1");
  });

  it("shows a queued message as pending, then as sent after a dispatcher round", async () => {
    const posting = await seedPosting(h.db, { title: "Metrics engineer" });
    await h.db.prisma.$executeRaw`UPDATE outbox_messages SET status = 'cancelled' WHERE status = 'pending'`;
    const before = await scrape();
    expect(value(before, "alumni_bridge_outbox_messages", { status: "pending" })).toBe(0);
    expect(value(before, "alumni_bridge_outbox_oldest_due_seconds")).toBe(0);
    const sentBefore = value(before, "alumni_bridge_deliveries_total", { platform: "slack", outcome: "sent" });

    await h.db.prisma.$transaction((tx) =>
      enqueueOutbox(tx, [
        {
          idempotencyKey: `metrics-test:${posting.id}`,
          platform: "slack",
          operation: "post",
          target: "C0ALUMNI01",
          subjectType: "posting",
          subjectId: posting.id,
          payload: { type: "slack.posting_announcement", postingId: posting.id },
          notBefore: new Date(Date.now() - 30_000),
        },
      ]),
    );
    const queued = await scrape();
    expect(value(queued, "alumni_bridge_outbox_messages", { status: "pending" })).toBe(1);
    expect(value(queued, "alumni_bridge_outbox_messages", { status: "sending" })).toBe(0);
    const late = value(queued, "alumni_bridge_outbox_oldest_due_seconds");
    expect(late).toBeGreaterThanOrEqual(29);
    expect(late).toBeLessThan(120);

    const report = await h.app.dispatcher.tick();
    expect(report).toMatchObject({ claimed: 1, sent: 1 });
    await h.fake.waitFor("chat.postMessage", (c) => c.args.channel === "C0ALUMNI01");

    const after = await scrape();
    expect(value(after, "alumni_bridge_outbox_messages", { status: "pending" })).toBe(0);
    expect(value(after, "alumni_bridge_outbox_oldest_due_seconds")).toBe(0);
    expect(value(after, "alumni_bridge_deliveries_total", { platform: "slack", outcome: "sent" })).toBe(sentBefore + 1);
    expect(value(after, "alumni_bridge_deliveries_total", { platform: "slack", outcome: "dead" })).toBe(0);
  });
});
