// Loaded into a tfgate server by `bench/profile-step.ts --alloc FILE`: samples what the RPC thread
// allocates (V8's sampling heap profiler, counting objects the garbage collector already freed) over
// 3 s of the measured load, and prints the bytes allocated per RunStep, counted from the server's
// own /metrics. Allocation per call is the steadier figure on a loaded machine: CPU time swings
// with the neighbours, the bytes a call allocates do not (docs/benchmarks.md, "Balancing the RPC
// loop"). The profile is written to FILE (open it in Chrome DevTools, Memory tab). With
// TFGATE_ALLOC_PROMOTED set, objects a scavenge collected are left out: what remains is what
// survived into the old generation (promoted, to be found by a mark-compact), by allocation site.

import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { isMainThread } from "node:worker_threads";

interface SampledNode {
  readonly selfSize: number;
  readonly children: readonly SampledNode[];
}

const out = process.env.TFGATE_ALLOC_PROFILE;
const port = process.argv[process.argv.indexOf("--port") + 1];
/** Sampling starts once this many RunSteps were served (past profile-step's warm-up). */
const startAfterCalls = Number(process.env.TFGATE_ALLOC_AFTER ?? "12000");
const sampleMs = 3000;

async function runSteps(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let n = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("tfgate_rpc_started_total") && line.includes('method="RunStep"'))
      n += Number(line.split(" ").pop());
  }
  return n;
}

const totalBytes = (node: SampledNode): number =>
  node.children.reduce((sum, child) => sum + totalBytes(child), node.selfSize);

function sample(session: Session, before: number): void {
  session.post("HeapProfiler.enable");
  session.post("HeapProfiler.startSampling", {
    samplingInterval: 2048,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.TFGATE_ALLOC_PROMOTED === undefined,
  });
  setTimeout(() => {
    session.post("HeapProfiler.stopSampling", (error, result) => {
      if (error !== null) throw error;
      void runSteps().then((after) => {
        const calls = after - before;
        const bytes = totalBytes(result.profile.head as SampledNode);
        if (out !== undefined) writeFileSync(out, JSON.stringify(result.profile));
        process.stderr.write(
          `allocation: ${calls} calls sampled, ${(bytes / calls / 1024).toFixed(1)} KiB allocated per call on the RPC thread\n`,
        );
      });
    });
  }, sampleMs);
}

if (isMainThread) {
  const session = new Session();
  session.connect();
  const poll = (): void => {
    runSteps().then(
      (n) => (n < startAfterCalls ? setTimeout(poll, 250) : sample(session, n)),
      () => setTimeout(poll, 250), // not listening yet
    );
  };
  setTimeout(poll, 250).unref();
}
