// A restarted sandbox (same DATA_DIR) shows the conversations of the last run,
// does not greet the Teams personas twice, and never reuses an old message id
// (the bot still holds the old ids: an edit must reach the old message).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import type { StateResponse } from "../../src/sandbox/playground-types.js";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/sandbox.js";
import { eventually } from "../support/slack-harness.js";

let dir: string | undefined;
let running: RunningSandbox | undefined;
afterAll(async () => {
  await running?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<RunningSandbox> {
  const config = loadConfig({ PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" });
  running = await startSandbox({
    config,
    logger: createLogger({ level: config.logLevel }),
    stateFile: join(dataDir, "sandbox-playground.json"),
  });
  return running;
}

async function state(sandbox: RunningSandbox): Promise<StateResponse> {
  return (await (
    await fetch(`${sandbox.app.url}/playground/api/state?slack=U0SANDBOX1&teams=hr`)
  ).json()) as StateResponse;
}

async function post(sandbox: RunningSandbox, path: string, body: Record<string, unknown>) {
  const res = await fetch(`${sandbox.app.url}/playground/api/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ locale: "en", ...body }),
  });
  expect(res.status).toBe(200);
}

describe("the sandbox across a restart", () => {
  it("keeps the conversations, greets once, and never reuses a message id", async () => {
    dir = await mkdtemp(join(tmpdir(), "ab-sandbox-restart-"));
    const first = await start(dir);
    await post(first, "teams/message", { persona: "hr", text: "help" });
    await post(first, "slack/command", { user: "U0SANDBOX1", channel: "C0ALUMNI01", text: "/alumni help" });
    await post(first, "seed", {});
    const before = await eventually(async () => {
      const s = await state(first);
      const channel = s.slack.conversations.find((c) => c.kind === "channel")?.messages ?? [];
      const announced = channel.filter((m) => m.from === "bot" && !m.ephemeral).length >= 5; // 4 postings, 1 event
      return s.teams.items.length >= 3 && channel.some((m) => m.ephemeral) && announced ? s : null;
    });
    await first.stop();
    running = undefined;

    const second = await start(dir);
    const after = await state(second);
    expect(after.teams.items.map((i) => i.id)).toEqual(before.teams.items.map((i) => i.id));
    expect(after.teams.items.filter((i) => (i.text ?? "").includes("alumni-bridge")).length).toBe(1); // one welcome
    // Slack's messages are back; ephemeral ones are gone, as in Slack after a reload.
    const lasting = (s: StateResponse) =>
      s.slack.conversations.map((c) => ({ ...c, messages: c.messages.filter((m) => !m.ephemeral) }));
    expect(lasting(after)).toEqual(lasting(before));
    expect(lasting(before).flatMap((c) => c.messages).length).toBeGreaterThan(0);
    expect(after.slack.conversations.flatMap((c) => c.messages).some((m) => m.ephemeral)).toBe(false);

    // The bot still knows the old announcement's ts: closing posting #1 edits that very message.
    const channelOf = (s: StateResponse) => s.slack.conversations.find((c) => c.kind === "channel")?.messages ?? [];
    const announcement = channelOf(after).find((m) =>
      /"action_id":"posting_interested"[^}]*"value":"1"/.test(JSON.stringify(m.blocks ?? [])),
    );
    expect(announcement).toBeDefined();
    await post(second, "teams/message", { persona: "hr", text: "close 1" });
    const closed = await eventually(async () =>
      channelOf(await state(second)).find((m) => m.id === announcement?.id && m.edited),
    );
    expect(JSON.stringify(closed.blocks)).not.toContain("posting_interested");

    // New messages get new ids.
    await post(second, "teams/message", { persona: "hr", text: "help" });
    const again = await eventually(async () => {
      const s = await state(second);
      return s.teams.items.length > before.teams.items.length + 1 ? s : null;
    });
    const ids = again.teams.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  }, 120_000);
});
