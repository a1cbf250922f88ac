// A lock file left by a killed process whose pid has been reused since: after a
// container restart the bot often gets the very pid it had before (or another
// process has it). Such a lock is stale and taken over; a lock that the living
// owner wrote is still refused.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDirectoryLock, DirectoryLockedError } from "../../src/db/directory-lock.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ab-lock-reuse-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A lock file naming `pid`, written at `writtenAt`. */
function staleLock(dir: string, pid: number, writtenAt: Date): string {
  const path = join(dir, "pglite.lock");
  writeFileSync(path, String(pid));
  utimesSync(path, writtenAt, writtenAt);
  return path;
}

describe.runIf(process.platform === "linux")("DATA_DIR lock: reused pids", () => {
  it("takes over a lock with our own pid written before this process started", () => {
    const dir = tempDir();
    staleLock(dir, process.pid, new Date(Date.now() - 3_600_000));
    const lock = acquireDirectoryLock(dir, "pglite.lock");
    expect(readFileSync(lock.path, "utf8")).toBe(String(process.pid));
    // Now it is ours: a second open in this process is refused.
    expect(() => acquireDirectoryLock(dir, "pglite.lock")).toThrow(DirectoryLockedError);
    lock.release();
  });

  it("takes over a lock whose pid now belongs to a process started after it was written", () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      const pid = child.pid as number;
      // Written an hour before that process existed: the owner died, the pid was given to someone else.
      staleLock(dir, pid, new Date(Date.now() - 3_600_000));
      const lock = acquireDirectoryLock(dir, "pglite.lock");
      expect(readFileSync(lock.path, "utf8")).toBe(String(process.pid));
      lock.release();

      // The same living process, named in a lock written after it started: refused.
      staleLock(dir, pid, new Date());
      expect(() => acquireDirectoryLock(dir, "pglite.lock")).toThrow(DirectoryLockedError);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
