// An exclusive lock file in a directory, held by one live process. PGlite must
// never be opened from two processes at once: it corrupts the data directory.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

export interface DirectoryLock {
  readonly path: string;
  release(): void;
}

export class DirectoryLockedError extends Error {
  constructor(
    readonly path: string,
    readonly ownerPid: number,
  ) {
    super(
      `${path} is held by process ${ownerPid}: another alumni-bridge is using this DATA_DIR. ` +
        "Stop it, or give this one its own DATA_DIR (or a DATABASE_URL to share PostgreSQL).",
    );
    this.name = "DirectoryLockedError";
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function acquireDirectoryLock(dir: string, name: string): DirectoryLock {
  const path = join(dir, name);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let held = true;
      return {
        path,
        release() {
          if (!held) return;
          held = false;
          try {
            if (readFileSync(path, "utf8").trim() === String(process.pid)) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(path, "utf8").trim());
      } catch {
        // vanished between open and read: try again
      }
      if (owner === process.pid || isAlive(owner)) throw new DirectoryLockedError(path, owner);
      // Stale lock from a crashed process: remove it and retry.
      try {
        unlinkSync(path);
      } catch {
        // someone else removed it first
      }
    }
  }
  throw new Error(`could not acquire ${path}`);
}
