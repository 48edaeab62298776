// What the benchmarks share: option parsing, child servers, CPU accounting from /proc (Linux),
// timing and statistics, Markdown number formatting, and the JSON file each run leaves in
// bench/results/. Figures are ratios between peers measured in the same run (docs/benchmarks.md).

import { type ChildProcess, execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
export const benchDir = join(repoRoot, "bench");
export const resultsDir = join(benchDir, "results");

/** A positive number given to option --name (an integer when asked), or an error naming the option. */
export function positive(name: string, value: string | undefined, integer = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be a positive ${integer ? "integer" : "number"}, got ${value}`);
  }
  return n;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Stops a child process: `ask` asks it to exit (a message, a signal, a line on stdin); after 10 s
 * it is killed. Resolves once it has exited.
 */
export function stopChild(child: ChildProcess, ask: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    ask();
  });
}

// ---------------------------------------------------------------------------------------------
// CPU accounting

const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * utime + stime, in clock ticks, from the text of a /proc/<pid>/stat file (proc(5)). The command
 * name (field 2) is in parentheses and may itself hold spaces and ")", so fields are counted from
 * the last ")". Undefined when the text does not have those fields.
 */
export function statCpuTicks(stat: string): number | undefined {
  const close = stat.lastIndexOf(")");
  if (close < 0) return undefined;
  const fields = stat.slice(close + 2).split(" ");
  // After "(comm)": state is field 3, so utime (14) and stime (15) are at indexes 11 and 12.
  const [utime, stime] = [fields[11], fields[12]];
  if (utime === undefined || stime === undefined || !/^\d+$/.test(utime) || !/^\d+$/.test(stime)) {
    return undefined;
  }
  return Number(utime) + Number(stime);
}

/** CPU time (user + system) so far, ms, of the process or thread whose /proc stat file this is. */
function statCpuMs(path: string): number | undefined {
  try {
    const ticks = statCpuTicks(readFileSync(path, "utf8"));
    return ticks === undefined ? undefined : (ticks * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** CPU time a process (all its threads) has used so far, ms. */
export const processCpuMs = (pid: number) => statCpuMs(`/proc/${pid}/stat`);

/** CPU time each thread of a process has used so far, ms, by thread id. */
export function threadCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const ms = statCpuMs(`/proc/${pid}/task/${tid}/stat`);
    if (ms !== undefined) out.set(Number(tid), ms);
  }
  return out;
}

/** CPU time a process's main thread (tid = pid) has used so far, ms. */
export const mainThreadCpuMs = (pid: number) => statCpuMs(`/proc/${pid}/task/${pid}/stat`);

/** Whole-machine CPU time so far (ms of busy and of stolen time, summed over cores), from /proc/stat. */
export function machineCpuMs(): { busy: number; steal: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]!;
    return { busy: (busy * 1000) / clockTicks, steal: ((f[7] ?? 0) * 1000) / clockTicks };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics and timing

/** The q-quantile of ascending values (nearest rank below); NaN when there are none. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median ms of `fn` over calls lasting at least `minMs` in all (and at least `minReps`), after a warm-up. */
export async function medianMs(fn: () => unknown, minReps: number, minMs: number): Promise<number> {
  await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minReps || performance.now() - start < minMs) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** A number for a Markdown table; "–" when there is none. */
export const fmt = (n: number | undefined, digits: number) =>
  n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits);

// ---------------------------------------------------------------------------------------------
// Results

/** The machine a run measured, for its results file. */
export function machineInfo() {
  const cores = os.cpus();
  return {
    cpus: cores.length,
    model: cores[0]?.model,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Writes bench/results/<benchmark>-<YYYY-MM-DD of `date`>.json and returns its path. */
export function writeResults(benchmark: string, json: unknown, date = new Date(), indent = 2): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${benchmark}-${date.toISOString().slice(0, 10)}.json`);
  writeFileSync(file, `${JSON.stringify(json, null, indent)}\n`);
  return file;
}

/** How long `work` holds the thread between two turns of the event loop: the longest stretch. */
export async function longestStretch(work: () => unknown): Promise<{ wallMs: number; longestMs: number }> {
  let longest = 0;
  let last = performance.now();
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await new Promise((r) => setImmediate(r));
  const t0 = performance.now();
  last = t0;
  await work();
  const wallMs = performance.now() - t0;
  tick();
  running = false;
  return { wallMs, longestMs: longest };
}
