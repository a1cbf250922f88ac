// An exclusive lock file in a directory, held by one live process. PGlite must
// never be opened from two processes at once: it corrupts the data directory.
//
// The file holds the owner's pid. A lock is stale — and taken over — when that
// process is gone (killed, crashed), or when the pid now belongs to a process
// that started after the lock was written: after a restart the pid may well be
// reused, typically in a container, where the restarted bot gets the same pid
// as the one that was killed (it may even be our own).
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

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

/** When process `pid` started (epoch ms, to about a second), from Linux's /proc; undefined elsewhere. */
function startedAtMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22 (starttime, in clock ticks after boot) is the 20th after the command name.
    const startTicks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
    // Clock ticks are 100 per second on every Linux that Node runs on (USER_HZ).
    const at = bootSeconds * 1000 + startTicks * 10;
    return Number.isFinite(at) ? at : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the lock written at `writtenAtMs` by `owner` is still held by a live process. */
function heldBy(owner: number, writtenAtMs: number): boolean {
  if (owner === process.pid) {
    // Our own pid: ours only if we wrote it; a lock older than this process is a previous one's.
    // (Two seconds of margin for file systems with coarse timestamps: in doubt, refuse.)
    return writtenAtMs >= performance.timeOrigin - 2_000;
  }
  if (!isAlive(owner)) return false;
  // The pid is in use: by the owner, unless that process started after the lock was written.
  // /proc's boot time has whole seconds, hence the margin.
  const started = startedAtMs(owner);
  return started === undefined || started <= writtenAtMs + 1_000;
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
      let writtenAtMs = 0;
      try {
        owner = Number(readFileSync(path, "utf8").trim());
        writtenAtMs = statSync(path).mtimeMs;
      } catch {
        // vanished between open and read: try again
      }
      if (heldBy(owner, writtenAtMs)) throw new DirectoryLockedError(path, owner);
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
