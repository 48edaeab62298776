// `npm run fuzz -- --runs N [--seed S] [--property graph,feed,wire,reset] [--threads]`: the
// hostile-input properties of test/fuzz.test.ts run far longer, with figures: inputs tried,
// crashes, hangs, INTERNAL/UNKNOWN answers, the answer codes seen, and peak RSS. Exits 1 when
// anything was found (the findings are printed with their inputs) or the canary went wrong.

import { resourceUsage } from "node:process";
import { parseArgs } from "node:util";
import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { CreateSessionRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { gcExtension } from "../server/engine/framework/young-generation.js";
import { createMaster } from "../server/engine/master/master.js";
import {
  boundedOutcome,
  createCanary,
  describeGraphCase,
  describeTensor,
  Figures,
  fuzzableOps,
  genGraphCase,
  h2Connector,
  outcomeOf,
  postWire,
  resetMethod,
  runFeedCase,
  runGraphCase,
  tensorProtoArb,
  wireCaseArb,
  wireMethods,
} from "../test/support/fuzz.js";
import { linearGraph } from "../test/support/graphs.js";
import { masterClient, startServer } from "../test/support/server.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "2000" },
    seed: { type: "string" },
    property: { type: "string", default: "graph,feed,wire,reset" },
    threads: { type: "boolean", default: false },
    "max-nodes": { type: "string", default: "6" },
  },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const properties = new Set(values.property.split(","));
const hangMs = 30_000;
const limits = { maxTensorBytes: 64 * 1024 ** 2, maxStepBytes: 256 * 1024 ** 2, cpuDevices: 1 };

let escaped = 0;
process.on("uncaughtException", (e) => {
  escaped++;
  console.error("uncaught exception:", e);
});
process.on("unhandledRejection", (e) => {
  escaped++;
  console.error("unhandled rejection:", e);
});

let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 200);

// The heap after a full collection, with the engine still open, before and after each property:
// a leak shows as growth (garbage does not), which the RSS figures cannot tell apart. Without
// --threads the kernels run in this process's heap, so the figure covers the engine's own state.
// Sampled between fc.assert calls, not inside one: fast-check keeps records of every run of an
// assert until it returns (~44 KiB an input here), which would show as growth.
const gc = gcExtension();
if (gc === undefined) throw new Error("fuzz: V8's gc extension is not available");
const fullGc = (): void => gc();
const heapAfterGc: string[] = [];
function sampleHeap(when: string): void {
  fullGc();
  heapAfterGc.push(`${when} ${(process.memoryUsage().heapUsed / 1024 ** 2).toFixed(0)} MiB`);
}

const figures = new Figures();
const started = Date.now();
let canaryOk = true;

/** Runs a canary check; a failure is printed and remembered. */
async function checkCanary(label: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (e) {
    console.error(`${label}:`, e);
    canaryOk = false;
  }
}

async function engineProperties(): Promise<void> {
  const master = createMaster({ ...limits, workerThreads: values.threads });
  const canary = await createCanary(master);
  const ops = fuzzableOps();
  sampleHeap("after the canary");
  if (properties.has("graph")) {
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const c = genGraphCase(g, ops, Number(values["max-nodes"]));
        const o = await outcomeOf(() => runGraphCase(master, c, 10_000), hangMs);
        figures.record("graph", o, () => describeGraphCase(c));
      }),
      { seed, numRuns: runs },
    );
    sampleHeap("after the graphs");
  }
  if (properties.has("feed")) {
    const { sessionHandle } = await master.createSession(
      create(CreateSessionRequestSchema, { graphDef: linearGraph() }),
    );
    await fc.assert(
      fc.asyncProperty(tensorProtoArb, async (t) => {
        figures.record("feed", await outcomeOf(() => runFeedCase(master, sessionHandle, t), hangMs), () =>
          describeTensor(t),
        );
      }),
      { seed, numRuns: runs },
    );
    sampleHeap("after the feeds");
  }
  await checkCanary("engine canary", () => canary.check());
  await master.close();
}

async function wireProperties(): Promise<void> {
  const server = await startServer({ master: limits });
  const h2 = h2Connector(server.url);
  const client = masterClient("connect-binary", server.url);
  const canary = await createCanary(client);
  if (properties.has("wire")) {
    const { sessionHandle: victim } = await client.createSession({ graphDef: linearGraph() });
    await fc.assert(
      fc.asyncProperty(wireCaseArb(wireMethods, victim), async (c) => {
        const method = wireMethods[c.method]?.method ?? "";
        const o = await boundedOutcome(
          () => postWire(server.url, h2.get, method, c.protocol, c.body),
          hangMs,
        );
        figures.record("wire", o, () => c.describe);
      }),
      { seed, numRuns: runs },
    );
    await checkCanary("wire canary", () => canary.check());
  }
  if (properties.has("reset")) {
    await fc.assert(
      fc.asyncProperty(wireCaseArb([resetMethod], ""), async (c) => {
        const o = await boundedOutcome(
          () => postWire(server.url, h2.get, "Reset", c.protocol, c.body),
          hangMs,
        );
        figures.record("reset", o, () => c.describe);
      }),
      { seed, numRuns: Math.max(1, Math.floor(runs / 10)) },
    );
    await checkCanary("canary after Reset", async () => (await createCanary(client)).check());
  }
  h2.close();
  await server.close();
}

if (properties.has("graph") || properties.has("feed")) await engineProperties();
if (properties.has("wire") || properties.has("reset")) await wireProperties();
clearInterval(rssTimer);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

for (const f of figures.findings) {
  console.log(`finding [${f.property}] ${JSON.stringify(f.outcome)}\n  input: ${f.input}`);
}
const mib = (b: number) => `${(b / 1024 ** 2).toFixed(0)} MiB`;
console.log(
  [
    `seed ${seed}, runs per property ${runs}, properties ${[...properties].join(",")}, worker threads ${values.threads}`,
    `inputs tried: ${figures.tried}`,
    `crashes: ${figures.crashes + escaped} (escaped exceptions: ${escaped})`,
    `hangs: ${figures.hangs}`,
    `INTERNAL/UNKNOWN answers (findings): ${figures.internal}`,
    `canary: ${canaryOk ? "ok" : "FAILED"}`,
    `answers: ${[...figures.codes]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `peak RSS: ${mib(peakRss)} (sampled), maxRSS ${mib(resourceUsage().maxRSS * 1024)}`,
    `heap after a full GC (engine open): ${heapAfterGc.join(", ") || "-"}`,
    `elapsed: ${((Date.now() - started) / 1000).toFixed(0)} s`,
  ].join("\n"),
);
process.exitCode = figures.crashes + figures.hangs + figures.internal + escaped === 0 && canaryOk ? 0 : 1;
