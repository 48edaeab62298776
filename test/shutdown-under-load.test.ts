// SIGTERM while steps are in flight, against the real server process (`tfgate serve` as a child):
// 10 steps that can never finish on their own (each dequeues from a queue nobody feeds) and 10
// that compute for a while. Every call must end — finished with its right value, or failed with a
// clear code and message (UNAVAILABLE or CANCELLED) — and the process must exit 0 within a bounded
// time after the signal (docs/security.md, "Shutdown under load").

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  AttrValue_ListValueSchema,
  AttrValueSchema,
} from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { TensorShapeProtoSchema } from "../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";
import { masterClient } from "./support/server.js";

const runCli = "import { runCli } from './server/main.ts'; await runCli(process.argv.slice(1));";
const F = DataType.DT_FLOAT;
/** In-flight calls get this long after SIGTERM before the server ends them. */
const shutdownTimeoutMs = 3000;

function tfgate(args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", runCli, ...args], {
    cwd: new URL("..", import.meta.url).pathname,
    env: { ...process.env, TFGATE_PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** A queue nobody feeds (dequeue waits for ever) and a computation of some milliseconds. */
function loadGraph() {
  const list = (v: object) =>
    create(AttrValueSchema, { value: { case: "list", value: create(AttrValue_ListValueSchema, v) } });
  const scalar = create(TensorShapeProtoSchema, { dim: [] });
  const n = 500_000;
  return graph(
    node("q", "FIFOQueueV2", {
      attrs: {
        component_types: list({ type: [F] }),
        shapes: list({ shape: [scalar] }),
        capacity: attr.int(4),
      },
    }),
    node("dequeue", "QueueDequeueV2", { inputs: ["q"], attrs: { component_types: list({ type: [F] }) } }),
    constNode("dims", DataType.DT_INT32, [1], [n]),
    constNode("one", F, [], [1]),
    node("ones", "Fill", {
      inputs: ["dims", "one"],
      attrs: { T: attr.type(F), index_type: attr.type(DataType.DT_INT32) },
    }),
    constNode("axis", DataType.DT_INT32, [], [0]),
    node("cum", "Cumsum", {
      inputs: ["ones", "axis"],
      attrs: { T: attr.type(F), Tidx: attr.type(DataType.DT_INT32) },
    }),
    constNode("all", DataType.DT_INT32, [1], [0]),
    node("total", "Max", {
      inputs: ["cum", "all"],
      attrs: { T: attr.type(F), Tidx: attr.type(DataType.DT_INT32) },
    }),
  );
}

test("SIGTERM with 20 steps in flight: each finishes or fails UNAVAILABLE/CANCELLED, the process exits 0", {
  timeout: 120_000,
}, async () => {
  const child = tfgate(["serve", "--devices", "CPU:2", "--shutdown-timeout-ms", String(shutdownTimeoutMs)]);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const poll = setInterval(() => {
        const match = /tfgate listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1] !== undefined) {
          clearInterval(poll);
          resolve(match[1]);
        }
      }, 20);
      void exited.then(() => {
        clearInterval(poll);
        reject(new Error(`exited before listening: ${output}`));
      });
    });
    const client = masterClient("grpc", url);
    const { sessionHandle } = await client.createSession({ graphDef: loadGraph() });
    // One step of the slow kind first, so its plan is built and registered before the signal.
    const warm = await client.runStep({ sessionHandle, fetch: ["total:0"] });
    assert.deepEqual(tensorValues(warm.tensor[0]?.tensor), [500_000]);

    type Outcome = { kind: "ok"; value: number[] } | { kind: "error"; code: Code; message: string };
    const run = (fetch: string): Promise<Outcome> =>
      client.runStep({ sessionHandle, fetch: [fetch] }).then(
        (r) => ({ kind: "ok", value: tensorValues(r.tensor[0]?.tensor) as number[] }),
        (e: unknown) => {
          const ce = ConnectError.from(e);
          return { kind: "error", code: ce.code, message: ce.rawMessage };
        },
      );
    const blocked = Array.from({ length: 10 }, () => run("dequeue:0"));
    const slow = Array.from({ length: 10 }, () => run("total:0"));
    // Let the calls reach the server and start their steps.
    await new Promise((r) => setTimeout(r, 300));
    const signalled = performance.now();
    child.kill("SIGTERM");
    const outcomes = await Promise.all([...blocked, ...slow]);
    const { code, signal } = await exited;
    const exitMs = performance.now() - signalled;

    for (const [i, o] of outcomes.entries()) {
      if (o.kind === "ok") {
        assert.ok(i >= 10, `a dequeue from an empty queue returned ${JSON.stringify(o.value)}`);
        assert.deepEqual(o.value, [500_000]);
      } else {
        assert.ok(
          o.code === Code.Unavailable || o.code === Code.Canceled,
          `step ${i}: ${Code[o.code]} ${o.message}`,
        );
        assert.ok(o.message.length > 0, `step ${i}: ${Code[o.code]} without a message`);
      }
    }
    for (const o of outcomes.slice(0, 10)) {
      assert.deepEqual(o.kind === "error" && o.code, Code.Unavailable, JSON.stringify(o));
      assert.match((o as { message: string }).message, /shutting down/);
    }
    assert.equal(signal, null, output);
    assert.equal(code, 0, output);
    // Generous: the shutdown timeout plus time for a loaded machine to close workers and exit.
    assert.ok(exitMs < shutdownTimeoutMs + 20_000, `exited ${Math.round(exitMs)} ms after SIGTERM`);
    assert.match(output, /"msg":"shut down"/);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  }
});
