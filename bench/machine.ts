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
 *
 * It also reports how late its own 50 ms timer fired at worst. The process is otherwise idle,
 * so a late timer means the whole machine stalled (no core free, or the virtual machine paused):
 * a stall every process saw, not one of the bot's own.
 */
const CANARY = `
const { createHash } = require("node:crypto");
const buf = Buffer.alloc(64 * 1024, 7);
const unit = () => { let h = buf; for (let i = 0; i < 32; i++) h = createHash("sha256").update(buf).update(h).digest(); return h; };
for (let i = 0; i < 20; i++) unit(); // warm up
// Its stdin is a pipe from the benchmark: when that process ends, however it ends, so does this one.
process.stdin.on("end", () => process.exit(0)).resume();
let expected = performance.now() + 50;
let worstLag = 0;
let ticks = 0;
setInterval(() => {
  const now = performance.now();
  worstLag = Math.max(worstLag, now - expected);
  expected = now + 50;
  if (++ticks % 10 !== 0) return;
  const c0 = process.cpuUsage();
  unit();
  const c = process.cpuUsage(c0);
  process.stdout.write(((c.user + c.system) / 1000).toFixed(3) + " " + worstLag.toFixed(1) + "\\n");
  worstLag = 0;
  expected = performance.now() + 50;
}, 50);
`;

export interface Canary {
  /**
   * Since the last call: the median CPU ms of the canary's unit of work, and the worst lateness of
   * its idle timer (ms; NaN if no readings).
   */
  take(): { unitMs: number; stallMs: number };
  stop(): void;
}

export function startCanary(): Canary {
  const child = spawn(process.execPath, ["-e", CANARY], { stdio: ["pipe", "pipe", "inherit"] });
  let readings: number[] = [];
  let stalls: number[] = [];
  let partial = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const [unit, lag] = line.split(" ").map(Number);
      if (unit === undefined || lag === undefined) continue;
      readings.push(unit);
      stalls.push(lag);
    }
  });
  return {
    take() {
      const sorted = readings.sort((a, b) => a - b);
      const stallMs = stalls.length === 0 ? Number.NaN : Math.max(...stalls);
      readings = [];
      stalls = [];
      return { unitMs: sorted.length === 0 ? Number.NaN : (sorted[Math.floor(sorted.length / 2)] as number), stallMs };
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
