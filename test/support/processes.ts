// Start the real bot (`src/main.ts` through tsx) as a child process, as `npm start` does.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
// `npm start` is `exec node --import tsx src/main.ts`; resolve tsx from here so
// the child may run in any working directory (e.g. a temp dir for ./data).
const TSX_LOADER = import.meta.resolve("tsx");

/** A clean environment: nothing from the developer's shell leaks into the bot. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "info", ...extra };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function spawnScript(
  script: string,
  options: { env: NodeJS.ProcessEnv; cwd?: string; nodeArgs?: string[] },
): Spawned {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", TSX_LOADER, join(ROOT, script)], {
    cwd: options.cwd ?? ROOT,
    env: options.env,
    stdio: "pipe",
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Poll GET url until it answers `status` or the deadline passes. */
export async function waitForStatus(
  url: string,
  status: number,
  timeoutMs: number,
  spawned?: Spawned,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (spawned && spawned.child.exitCode !== null) {
      throw new Error(`process exited (${spawned.child.exitCode}) before ${url} answered:\n${spawned.output()}`);
    }
    try {
      const res = await fetch(url);
      if (res.status === status) return res;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})\n${spawned?.output() ?? ""}`);
}

/** Wait until the process has printed `pattern`; returns the first match. */
export async function waitForOutput(spawned: Spawned, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = spawned.output().match(pattern);
    if (match) return match;
    if (spawned.child.exitCode !== null) {
      throw new Error(`process exited (${spawned.child.exitCode}) before printing ${pattern}:\n${spawned.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`process did not print ${pattern} within ${timeoutMs} ms:\n${spawned.output()}`);
}
