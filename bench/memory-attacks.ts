// Peak memory of a tfgate server under the memory attacks docs/security.md lists: each attack runs
// against a fresh `tfgate serve` child process, and the child's peak resident set (VmHWM in
// /proc/<pid>/status) is read before and after it. Linux only.
//
//   node --import tsx bench/memory-attacks.ts [attack ...]
//
// Attacks: asstring (AsString width 1e8 on 20 zeros), tile (a 10 MB string tiled 300 times and
// fetched), fill (Fill([268435456]) float fetched), printv2 (PrintV2 of a 100 MB string, three
// steps; also reports the bytes the server wrote to its log). Each prints one line: the answer's
// code and first words, the peak RSS before and after, and the time the call took.

import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { create } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import { attr } from "../test/support/attr.js";
import { constNode, DataType, graph, node, tensorProto } from "../test/support/graphs.js";
import { masterClient } from "../test/support/server.js";

const F = DataType.DT_FLOAT;
const I = DataType.DT_INT32;
const S = DataType.DT_STRING;

const stringFeed = (bytes: number) =>
  create(TensorProtoSchema, { dtype: S, tensorShape: {}, stringVal: [new Uint8Array(bytes).fill(97)] });
const stringPlaceholder = (name: string) =>
  node(name, "Placeholder", { attrs: { dtype: attr.type(S), shape: attr.shape([]) } });

interface Attack {
  readonly nodes: NodeDef[];
  readonly feed?: { name: string; tensor: ReturnType<typeof stringFeed> }[];
  readonly fetch?: string[];
  readonly target?: string[];
  readonly steps?: number;
}

const attacks: Record<string, Attack> = {
  asstring: {
    nodes: [
      node("zeros", "Const", {
        attrs: { dtype: attr.type(F), value: attr.tensor(tensorProto(F, [20], new Array(20).fill(0))) },
      }),
      node("s", "AsString", { inputs: ["zeros"], attrs: { T: attr.type(F), width: attr.int(100_000_000) } }),
      node("n", "StringLength", { inputs: ["s"] }),
    ],
    fetch: ["n:0"],
  },
  tile: {
    nodes: [
      stringPlaceholder("s"),
      constNode("shape", I, [1], [1]),
      node("v", "Reshape", { inputs: ["s", "shape"], attrs: { T: attr.type(S), Tshape: attr.type(I) } }),
      constNode("multiples", I, [1], [300]),
      node("t", "Tile", { inputs: ["v", "multiples"], attrs: { T: attr.type(S), Tmultiples: attr.type(I) } }),
    ],
    feed: [{ name: "s:0", tensor: stringFeed(10_000_000) }],
    fetch: ["t:0"],
  },
  fill: {
    nodes: [
      constNode("dims", I, [1], [268_435_456]),
      constNode("one", F, [], [1]),
      node("fill", "Fill", { inputs: ["dims", "one"], attrs: { T: attr.type(F), index_type: attr.type(I) } }),
    ],
    fetch: ["fill:0"],
  },
  printv2: {
    nodes: [
      stringPlaceholder("s"),
      node("p", "PrintV2", { inputs: ["s"], attrs: { output_stream: attr.string("stderr") } }),
    ],
    feed: [{ name: "s:0", tensor: stringFeed(100_000_000) }],
    target: ["p"],
    steps: 3,
  },
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}

async function startChild(port: number): Promise<{ child: ChildProcess; logBytes: () => number }> {
  const script = `import { runCli } from "./server/main.ts"; await runCli(["serve", "--port", "${port}", "--max-message-bytes", "200MiB"]);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let logged = 0;
  let ready: () => void = () => {};
  const listening = new Promise<void>((resolve) => {
    ready = resolve;
  });
  child.stdout!.on("data", (chunk: Buffer) => {
    logged += chunk.length;
    if (chunk.toString().includes("listening")) ready();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    logged += chunk.length;
    if (chunk.toString().includes("listening")) ready();
  });
  await listening;
  return { child, logBytes: () => logged };
}

async function run(name: string, attack: Attack): Promise<void> {
  const port = await freePort();
  const { child, logBytes } = await startChild(port);
  try {
    const client = masterClient("grpc", `http://127.0.0.1:${port}`);
    const { sessionHandle } = await client.createSession({ graphDef: graph(...attack.nodes) });
    const before = peakRssMiB(child.pid!);
    const logBefore = logBytes();
    const started = performance.now();
    let answer = "OK";
    for (let i = 0; i < (attack.steps ?? 1); i++) {
      try {
        await client.runStep({
          sessionHandle,
          feed: attack.feed ?? [],
          fetch: attack.fetch ?? [],
          target: attack.target ?? [],
        });
      } catch (e) {
        answer =
          e instanceof ConnectError
            ? `${e.code} ${e.rawMessage.slice(0, 120).replace(/\n/g, " ")}`
            : String(e);
      }
    }
    const ms = Math.round(performance.now() - started);
    const after = peakRssMiB(child.pid!);
    console.log(
      `${name}: peak RSS ${before} MiB before, ${after} MiB after, ${ms} ms, log +${logBytes() - logBefore} bytes; ${answer}`,
    );
  } finally {
    child.kill("SIGKILL");
  }
}

const chosen = process.argv.slice(2);
for (const [name, attack] of Object.entries(attacks)) {
  if (chosen.length === 0 || chosen.includes(name)) await run(name, attack);
}
