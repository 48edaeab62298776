// The ListDevices latency sampler of bench/h2load.ts, as a process of its own:
//
//   node --import tsx bench/latency-sampler.ts <origin> <path> <interval ms>
//
// It prints "ready" once its connection has answered a first call, samples until its stdin ends,
// then prints the sample as one JSON line (h2load-wire.ts's LatencySample).
//
// Why a process: on a small machine the load generator and the server take every core, and a probe
// that shares a process (or a priority) with the harness measures its own wait for a core as much
// as the server's. As its own process the harness can raise its priority (startSampler below) so
// the figure is the server's: how long a cheap call waits behind other clients' load.

import { spawn } from "node:child_process";
import os from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type LatencySample, sampleLatency } from "./h2load-wire.js";

/** The niceness asked for the sampler: above everything else the run starts (those run at 0). */
export const samplerNiceness = -10;

export interface RunningSampler {
  /** The sampler's niceness as set: samplerNiceness, or 0 where raising it is not permitted. */
  readonly niceness: number;
  stop(): Promise<LatencySample>;
}

/** Starts the sampler process and resolves once its first call has been answered. */
export async function startSampler(
  origin: string,
  path: string,
  intervalMs: number,
): Promise<RunningSampler> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), origin, path, String(intervalMs)],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const niceness = raisePriority(child.pid);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) => reject(new Error(`latency sampler ended with ${code ?? signal}`))),
  );
  exited.catch(() => {});
  const next = async () => {
    const line = await Promise.race([lines.next(), exited]);
    if (line.done) throw new Error("latency sampler closed its output");
    return line.value;
  };
  const ready = await next().catch((error: unknown) => String(error));
  if (ready !== "ready") {
    child.kill();
    throw new Error(`latency sampler: ${ready}`);
  }
  return {
    niceness,
    async stop() {
      child.stdin.end();
      return JSON.parse(await next()) as LatencySample;
    },
  };
}

function raisePriority(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    os.setPriority(pid, samplerNiceness);
    return samplerNiceness;
  } catch {
    return 0; // not root: the figure then includes the sampler's own waits for a core
  }
}

async function main(): Promise<void> {
  const [origin, path, interval] = process.argv.slice(2);
  if (origin === undefined || path === undefined || interval === undefined) {
    console.log("usage: latency-sampler.ts <origin> <path> <interval ms>");
    process.exit(2);
  }
  const probe = sampleLatency(origin, path, Number(interval));
  const ended = new Promise<void>((resolve) => {
    process.stdin.on("end", resolve).resume();
  });
  // The first call's answer (or failure) shows the connection is up before the load begins.
  const first = await probe.first;
  if (first !== undefined) {
    console.log(`first call failed: ${first}`);
    process.exit(1);
  }
  console.log("ready");
  await ended;
  console.log(JSON.stringify(await probe.stop()));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
