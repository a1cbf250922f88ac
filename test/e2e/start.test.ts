// `npm start` as a new user runs it: the real entry point in a child process.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { realMigrationNames } from "../support/migrations.js";
import { createThrowawayDatabase, queryUrl } from "../support/postgres.js";
import {
  cleanEnv,
  freePort,
  ROOT,
  type Spawned,
  spawnScript,
  waitForOutput,
  waitForStatus,
} from "../support/processes.js";

const running: Spawned[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null) {
      p.child.kill("SIGKILL");
      await p.exited;
    }
  }
});

function start(env: NodeJS.ProcessEnv, cwd?: string): Spawned {
  const p = spawnScript("src/main.ts", { env, cwd });
  running.push(p);
  return p;
}

async function stopGracefully(p: Spawned): Promise<number | null> {
  p.child.kill("SIGTERM");
  return p.exited;
}

describe("npm start", () => {
  it("is the entry point these tests run", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.scripts.start).toBe("exec node --import tsx src/main.ts");
  });

  it("with no environment: sandbox on the embedded database in ./data, playground at /, clean exit on Ctrl-C", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "ab-start-"));
    try {
      const port = await freePort();
      const bot = start(cleanEnv({ PORT: String(port) }), cwd);
      // Sandbox mode: the startup log names the playground's URL once everything is up.
      await waitForOutput(bot, /Open the playground: http:\/\/localhost:\d+\//, 90_000);
      const res = await waitForStatus(`http://127.0.0.1:${port}/healthz`, 200, 10_000, bot);
      expect(await res.json()).toEqual({
        status: "ok",
        db: "up",
        engine: "pglite",
        // The sandbox's Slack is served in process: the embedded database keeps it on the main thread.
        slack: { workerThread: "off" },
        dispatcher: { lagSeconds: 0, due: 0, dead: 0 },
      });
      expect(existsSync(join(cwd, "data", "pglite"))).toBe(true);
      expect(existsSync(join(cwd, "data", "pglite.lock"))).toBe(true);
      expect(bot.output()).toContain(`Open the playground: http://localhost:${port}/`);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(await page.text()).toContain("/playground/app.js");

      // A second bot on the same DATA_DIR must refuse instead of corrupting it.
      const second = start(cleanEnv({ PORT: String(await freePort()) }), cwd);
      expect(await second.exited).not.toBe(0);
      expect(second.output()).toMatch(/another alumni-bridge is using this DATA_DIR/);

      // Ctrl-C in a terminal: SIGINT from the terminal and again forwarded by npm.
      bot.child.kill("SIGINT");
      setTimeout(() => bot.child.kill("SIGINT"), 50);
      expect(await bot.exited).toBe(0);
      expect(bot.output()).toContain('"msg":"stopped"');
      // Lock released; the playground's conversations saved for the next start.
      expect((await readdir(join(cwd, "data"))).sort()).toEqual(["pglite", "sandbox-playground.json"]);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  }, 150_000);

  it("with DATABASE_URL: migrates PostgreSQL, one _prisma_migrations row per folder", async () => {
    const pgdb = await createThrowawayDatabase();
    try {
      const port = await freePort();
      const bot = start(cleanEnv({ PORT: String(port), DATABASE_URL: pgdb.url, SANDBOX: "false" }));
      const res = await waitForStatus(`http://127.0.0.1:${port}/healthz`, 200, 90_000, bot);
      expect(await res.json()).toMatchObject({ status: "ok", engine: "postgres" });
      const rows = await queryUrl<{ migration_name: string }>(
        pgdb.url,
        "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1",
      );
      expect(rows.map((r) => r.migration_name)).toEqual(realMigrationNames());

      // Database gone: health turns 503 (load balancers stop routing here).
      await pgdb.drop();
      const down = await waitForStatus(`http://127.0.0.1:${port}/healthz`, 503, 15_000, bot);
      expect(await down.json()).toMatchObject({ status: "unavailable" });
      expect(await stopGracefully(bot)).toBe(0);
    } finally {
      await pgdb.drop();
    }
  }, 150_000);

  it("PORT=abc exits non-zero and names PORT", async () => {
    const bot = start(cleanEnv({ PORT: "abc" }));
    expect(await bot.exited).not.toBe(0);
    expect(bot.output()).toMatch(/PORT: must be a whole number/);
  });

  it("an unreachable DATABASE_URL exits non-zero with the reason", async () => {
    const closedPort = await freePort();
    const bot = start(
      cleanEnv({ PORT: String(await freePort()), DATABASE_URL: `postgresql://postgres@127.0.0.1:${closedPort}/x` }),
    );
    expect(await bot.exited).not.toBe(0);
    expect(bot.output()).toMatch(/failed to start/);
    expect(bot.output()).toMatch(/ECONNREFUSED/);
  });
});
