import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDirectoryLock, DirectoryLockedError } from "../../src/db/directory-lock.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ab-lock-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("DATA_DIR lock", () => {
  it("is exclusive while held and free again after release", () => {
    const dir = tempDir();
    const lock = acquireDirectoryLock(dir, "pglite.lock");
    expect(readFileSync(join(dir, "pglite.lock"), "utf8")).toBe(String(process.pid));
    expect(() => acquireDirectoryLock(dir, "pglite.lock")).toThrow(DirectoryLockedError);
    lock.release();
    expect(existsSync(join(dir, "pglite.lock"))).toBe(false);
    acquireDirectoryLock(dir, "pglite.lock").release();
  });

  it("takes over a lock left by a process that crashed", () => {
    const dir = tempDir();
    // The pid of a process that has certainly exited.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(join(dir, "pglite.lock"), dead.stdout);
    const lock = acquireDirectoryLock(dir, "pglite.lock");
    expect(readFileSync(lock.path, "utf8")).toBe(String(process.pid));
    lock.release();
  });

  it("names the living owner when refusing", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "pglite.lock"), String(process.ppid));
    const error = (() => {
      try {
        acquireDirectoryLock(dir, "pglite.lock");
      } catch (err) {
        return err as DirectoryLockedError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DirectoryLockedError);
    expect(error?.ownerPid).toBe(process.ppid);
    expect(error?.message).toMatch(/another alumni-bridge is using this DATA_DIR/);
  });
});
