// The machine under a benchmark, apart from the processes under test: how fast its CPU is at
// each moment, and how much CPU everything else on it uses. On a shared (virtual) machine both
// change during a run; without them, a latency that grows cannot be told apart from a machine
// that slowed down.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * A process that every 500 ms does the same fixed piece of work (SHA-256 over the same buffer)
 * and reports the CPU time it took. The work never changes, so its CPU time changes only when
 * the machine's CPU does (shared cores, caches, frequency). One unit is about 2 ms of CPU on an
 * idle core: 1 % of one core, small against the load it measures.
 */
const CANARY = `
const { createHash } = require("node:crypto");
const buf = Buffer.alloc(64 * 1024, 7);
const unit = () => { let h = buf; for (let i = 0; i < 32; i++) h = createHash("sha256").update(buf).update(h).digest(); return h; };
for (let i = 0; i < 20; i++) unit(); // warm up
setInterval(() => {
  const c0 = process.cpuUsage();
  unit();
  const c = process.cpuUsage(c0);
  process.stdout.write(((c.user + c.system) / 1000).toFixed(3) + "\\n");
}, 500);
`;

export interface Canary {
  /** Median CPU ms of the canary's unit of work over the readings since the last call (NaN if none). */
  take(): number;
  stop(): void;
}

export function startCanary(): Canary {
  const child = spawn(process.execPath, ["-e", CANARY], { stdio: ["ignore", "pipe", "inherit"] });
  let readings: number[] = [];
  let partial = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line) readings.push(Number(line));
  });
  return {
    take() {
      const sorted = readings.sort((a, b) => a - b);
      readings = [];
      return sorted.length === 0 ? Number.NaN : (sorted[Math.floor(sorted.length / 2)] as number);
    },
    stop() {
      child.kill("SIGTERM");
    },
  };
}

/** Busy CPU time of the whole machine so far (ms, all cores; steal excluded), from /proc/stat. */
export function machineBusyMs(): { busyMs: number; stealMs: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] as string;
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (in clock ticks, 100/s)
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  const tick = 10; // ms per clock tick (USER_HZ is 100 on Linux)
  return {
    busyMs: ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0)) * tick,
    stealMs: (steal ?? 0) * tick,
  };
}
