// An iterator keeps its position when its worker thread is replaced (docs/architecture.md,
// "Resources that outlive a worker thread"): its dataset is rebuilt from how it was made and the
// elements already produced are skipped, so GetNext goes on with exactly the element TF would give
// next (expected orders from TF 2.21: test/tf/export_iterator_restore.py →
// test/tf/iterator_restore.json). Where the pipeline cannot be replayed exactly, GetNext fails
// FAILED_PRECONDITION as a restarted TF worker's iterator would.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { create, fromJson } from "@bufbuild/protobuf";
import { AttrValueSchema } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { FunctionDefLibrarySchema, FunctionDefSchema } from "../gen/tensorflow/core/framework/function_pb.js";
import { type GraphDef, GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import { TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import {
  CreateSessionRequestSchema,
  type RunStepResponse,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { tensorFromProto } from "../server/engine/framework/tensor-proto.js";
import type { Master } from "../server/engine/master/master.js";
import type { ThreadWorker } from "../server/engine/worker/thread-worker.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";
import { fetched, runStep, withMaster } from "./support/session.js";

/** TF 2.21's graph and elements (test/tf/export_iterator_restore.py). */
interface Expected {
  readonly graph: unknown;
  readonly init: string;
  readonly next: string;
  readonly elements: number[][];
  readonly oneshot_next: string;
  readonly oneshot_elements: number[][];
}
const expected = JSON.parse(
  readFileSync(new URL("./tf/iterator_restore.json", import.meta.url), "utf8"),
) as Expected;

const I64 = DataType.DT_INT64;
const CPU1 = "/job:localhost/replica:0/task:0/device:CPU:1";
const on1 = <T extends { device: string }>(n: T): T => ({ ...n, device: CPU1 });
const alice = { principal: "alice" };
const bob = { principal: "bob" };

async function createSession(m: Master, graphDef: GraphDef, as = alice): Promise<string> {
  return (await m.createSession(create(CreateSessionRequestSchema, { graphDef }), as)).sessionHandle;
}

const values = (res: RunStepResponse, name: string) => tensorValues(fetched(res, name)).map(Number);

/** Waits until the log says the CPU:1 thread was restarted `times` times. */
async function restarted(logs: readonly string[], times: number): Promise<void> {
  const count = () => logs.filter((l) => l.includes("thread for CPU:1") && l.includes("restarting")).length;
  for (let i = 0; i < 1200 && count() < times; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(count(), times, logs.join("\n"));
}

async function crash(m: Master, logs: readonly string[], times = 1): Promise<void> {
  await (m.workers[1] as ThreadWorker).crashForTesting();
  await restarted(logs, times);
}

/** `n` elements of `fetch` (each flattened). */
async function take(m: Master, s: string, fetch: string, n: number, as = alice): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push(values(await runStep(m, s, { fetch: [fetch] }, as), fetch));
  return out;
}

/** Every element of `fetch` until OUT_OF_RANGE (bounded). */
async function drain(m: Master, s: string, fetch: string, as = alice): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < 1000; i++) {
    try {
      out.push(values(await runStep(m, s, { fetch: [fetch] }, as), fetch));
    } catch (e) {
      if (isTfError(e) && tfCodeName(e.code) === "OUT_OF_RANGE") return out;
      throw e;
    }
  }
  throw new Error(`${fetch} did not end`);
}

const failsKeptPosition = (e: unknown) => {
  assert.ok(isTfError(e));
  assert.equal(tfCodeName(e.code), "FAILED_PRECONDITION", e.message);
  assert.match(e.message, /CPU:1 was replaced .*iterator's position could not be kept/);
  assert.match(e.message, /Run its initializer \(MakeIterator\) again/);
  return true;
};

/** TF's own graph (range → map → batch → seeded shuffle, an initializable and a one-shot iterator) on CPU:1. */
function tfPipelineGraph(): GraphDef {
  const g = fromJson(GraphDefSchema, expected.graph as never);
  for (const n of g.node) n.device = CPU1;
  return g;
}

const pipeNext = expected.next;
const oneShotNext = expected.oneshot_next;
const init = expected.init;

describe("an iterator keeps its position when its worker thread is replaced", () => {
  test("range → map → batch → seeded shuffle, initializable and one-shot: the elements TF gives next, per principal", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        const a = await createSession(m, tfPipelineGraph());
        // Without a replacement, the whole pass is TF's.
        await runStep(m, a, { target: [init] }, alice);
        assert.deepEqual(await drain(m, a, pipeNext), expected.elements);
        await runStep(m, a, { target: [init] }, alice);
        assert.deepEqual(await take(m, a, pipeNext, 3), expected.elements.slice(0, 3));
        assert.deepEqual(await take(m, a, oneShotNext, 2), expected.oneshot_elements.slice(0, 2));
        // Bob's iterator of the same name is his own, at its own position.
        const b = await createSession(m, tfPipelineGraph(), bob);
        await runStep(m, b, { target: [init] }, bob);
        assert.deepEqual(await take(m, b, pipeNext, 1, bob), expected.elements.slice(0, 1));

        await crash(m, logs);
        assert.deepEqual(await drain(m, a, pipeNext), expected.elements.slice(3));
        assert.deepEqual(await drain(m, a, oneShotNext), expected.oneshot_elements.slice(2));
        assert.deepEqual(await take(m, b, pipeNext, 2, bob), expected.elements.slice(1, 3));

        // Twice: the count goes on from where the rebuilt pass is.
        await crash(m, logs, 2);
        assert.deepEqual(await drain(m, b, pipeNext, bob), expected.elements.slice(3));
        // A new pass after a replacement starts at the beginning again.
        await runStep(m, a, { target: [init] }, alice);
        assert.deepEqual(await take(m, a, pipeNext, 1), expected.elements.slice(0, 1));
      },
      { cpuDevices: 2, log: (_l, s) => logs.push(s) },
    );
  });
});

const sig = { output_types: attr.typeList([I64]), output_shapes: attr.shapeList([[]]) };

/** range(0, 20) → `shuffle` (which makes "shuffled" from "range"), an iterator "it" on CPU:1. */
function shuffleGraph(...shuffle: ReturnType<typeof node>[]): GraphDef {
  return graph(
    on1(constNode("start", I64, [], [0])),
    on1(constNode("stop", I64, [], [20])),
    on1(constNode("step", I64, [], [1])),
    on1(constNode("buffer", I64, [], [20])),
    on1(constNode("zero", I64, [], [0])),
    on1(node("range", "RangeDataset", { inputs: ["start", "stop", "step"], attrs: sig })),
    ...shuffle.map(on1),
    on1(
      node("it", "IteratorV2", {
        attrs: { ...sig, shared_name: attr.string("it"), container: attr.string("") },
      }),
    ),
    on1(node("make", "MakeIterator", { inputs: ["shuffled", "it"] })),
    on1(node("next", "IteratorGetNext", { inputs: ["it"], attrs: sig })),
  );
}

/** noisy_identity(x: int64) -> x, after drawing an unseeded random number (seed = seed2 = 0). */
const noisyIdentity = create(FunctionDefSchema, {
  signature: {
    name: "noisy_identity",
    inputArg: [{ name: "x", type: I64 }],
    outputArg: [{ name: "y", type: I64 }],
  },
  nodeDef: [
    {
      name: "shape",
      op: "Const",
      attr: {
        dtype: attr.type(DataType.DT_INT32),
        value: attr.tensor(
          create(TensorProtoSchema, {
            dtype: DataType.DT_INT32,
            tensorShape: { dim: [{ size: 1n }] },
            intVal: [1],
          }),
        ),
      },
    },
    {
      name: "noise",
      op: "RandomUniform",
      input: ["shape:output:0"],
      attr: {
        dtype: attr.type(DataType.DT_FLOAT),
        T: attr.type(DataType.DT_INT32),
        seed: attr.int(0),
        seed2: attr.int(0),
      },
    },
    { name: "out", op: "Identity", input: ["x", "^noise"], attr: { T: attr.type(I64) } },
  ],
  ret: { y: "out:output:0" },
});

describe("pipelines that cannot or need not be replayed exactly", () => {
  test("an unseeded shuffle replays with the seeds it drew: the rest of the pass is exactly what was left", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        const unseeded = node("shuffled", "ShuffleDataset", {
          inputs: ["range", "buffer", "zero", "zero"],
          attrs: { ...sig, reshuffle_each_iteration: attr.bool(false) },
        });
        const s = await createSession(m, shuffleGraph(unseeded));
        await runStep(m, s, { target: ["make"] }, alice);
        const first = (await take(m, s, "next:0", 8)).flat();
        await crash(m, logs);
        const rest = (await drain(m, s, "next:0")).flat();
        // Seeds drawn anew would give an overlapping set with near certainty (a full-buffer shuffle
        // of 20: the chance of exactly the complement is 1 in C(20, 8)).
        assert.equal(rest.length, 12);
        assert.deepEqual(
          [...first, ...rest].sort((x, y) => x - y),
          Array.from({ length: 20 }, (_, i) => i),
        );
      },
      { cpuDevices: 2, log: (_l, s) => logs.push(s) },
    );
  });

  test("the skip runs in the GetNext that takes the pass up; a cancelled skip is tried again by the next one", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        const batchSig = { output_types: attr.typeList([I64]), output_shapes: attr.shapeList([[-1]]) };
        const g = graph(
          on1(constNode("start", I64, [], [0])),
          on1(constNode("stop", I64, [], [1 << 30])),
          on1(constNode("step", I64, [], [1])),
          on1(constNode("size", I64, [], [50_000])),
          on1(
            node("no", "Const", {
              attrs: {
                dtype: attr.type(DataType.DT_BOOL),
                value: attr.tensor(
                  create(TensorProtoSchema, { dtype: DataType.DT_BOOL, tensorShape: {}, boolVal: [false] }),
                ),
              },
            }),
          ),
          on1(node("range", "RangeDataset", { inputs: ["start", "stop", "step"], attrs: sig })),
          on1(node("batched", "BatchDatasetV2", { inputs: ["range", "size", "no"], attrs: batchSig })),
          on1(
            node("it", "IteratorV2", {
              attrs: { ...batchSig, shared_name: attr.string("big"), container: attr.string("") },
            }),
          ),
          on1(node("make", "MakeIterator", { inputs: ["batched", "it"] })),
          on1(node("next", "IteratorGetNext", { inputs: ["it"], attrs: batchSig })),
          on1(
            node("first", "Min", {
              inputs: ["next", "axis"],
              attrs: { T: attr.type(I64), Tidx: attr.type(DataType.DT_INT32) },
            }),
          ),
          on1(constNode("axis", DataType.DT_INT32, [], [0])),
        );
        const s = await createSession(m, g);
        await runStep(m, s, { target: ["make"] }, alice);
        for (let i = 0; i < 20; i++) await runStep(m, s, { target: ["next"] }, alice);
        await crash(m, logs);
        // Taking the pass up means producing 1,000,000 elements again (one batch takes about 0.1 s
        // on the loaded test machine, twenty about 2 s): a deadline stops that step in the skip,
        // the thread is not replaced for it, and the next GetNext skips again and goes on.
        await assert.rejects(
          runStep(m, s, { fetch: ["first:0"], options: { timeoutInMs: 400n } }, alice),
          (e: unknown) => isTfError(e) && tfCodeName(e.code) === "DEADLINE_EXCEEDED",
        );
        const first = async () => values(await runStep(m, s, { fetch: ["first:0"] }, alice), "first:0");
        assert.deepEqual(await first(), [20 * 50_000]);
        assert.deepEqual(await first(), [21 * 50_000]);
        await restarted(logs, 1);
      },
      { cpuDevices: 2, log: (_l, s) => logs.push(s) },
    );
  });

  test("a map function with an unseeded random op is not replayed: FAILED_PRECONDITION until MakeIterator runs again", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        const map = node("shuffled", "MapDataset", {
          inputs: ["range"],
          attrs: {
            ...sig,
            f: create(AttrValueSchema, { value: { case: "func", value: { name: "noisy_identity" } } }),
            Targuments: attr.typeList([]),
            use_inter_op_parallelism: attr.bool(true),
            preserve_cardinality: attr.bool(true),
          },
        });
        const g = shuffleGraph(map);
        g.library = create(FunctionDefLibrarySchema, { function: [noisyIdentity] });
        const s = await createSession(m, g);
        await runStep(m, s, { target: ["make"] }, alice);
        assert.deepEqual(await take(m, s, "next:0", 3), [[0], [1], [2]]);
        await crash(m, logs);
        for (let i = 0; i < 2; i++) {
          await assert.rejects(runStep(m, s, { fetch: ["next:0"] }, alice), failsKeptPosition);
        }
        await runStep(m, s, { target: ["make"] }, alice);
        assert.equal((await drain(m, s, "next:0")).length, 20);
      },
      { cpuDevices: 2, log: (_l, s) => logs.push(s) },
    );
  });

  test("a TextLineDataset under --files-root reads its files again and goes on after the lines it gave", async () => {
    const logs: string[] = [];
    const root = mkdtempSync(join(tmpdir(), "tfgate-iterator-restore-"));
    try {
      const lines = Array.from({ length: 7 }, (_, i) => `line ${i}`);
      writeFileSync(join(root, "a.txt"), `${lines.join("\n")}\n`);
      const S = DataType.DT_STRING;
      const strSig = { output_types: attr.typeList([S]), output_shapes: attr.shapeList([[]]) };
      const str = (name: string, s: string) =>
        node(name, "Const", {
          attrs: {
            dtype: attr.type(S),
            value: attr.tensor(
              create(TensorProtoSchema, {
                dtype: S,
                tensorShape: {},
                stringVal: [new TextEncoder().encode(s)],
              }),
            ),
          },
        });
      const g = graph(
        on1(str("files", "a.txt")),
        on1(str("compression", "")),
        on1(constNode("bufsize", I64, [], [0])),
        on1(node("lines", "TextLineDataset", { inputs: ["files", "compression", "bufsize"] })),
        on1(
          node("it", "IteratorV2", {
            attrs: { ...strSig, shared_name: attr.string("lines"), container: attr.string("") },
          }),
        ),
        on1(node("make", "MakeIterator", { inputs: ["lines", "it"] })),
        on1(node("next", "IteratorGetNext", { inputs: ["it"], attrs: strSig })),
      );
      await withMaster(
        async (m) => {
          const s = await createSession(m, g);
          await runStep(m, s, { target: ["make"] }, alice);
          const text = async () => {
            const t = tensorFromProto(fetched(await runStep(m, s, { fetch: ["next:0"] }, alice), "next:0"));
            return new TextDecoder().decode((t.data as Uint8Array[])[0]);
          };
          assert.deepEqual([await text(), await text(), await text()], lines.slice(0, 3));
          await crash(m, logs);
          for (const want of lines.slice(3)) assert.equal(await text(), want);
          await assert.rejects(
            runStep(m, s, { fetch: ["next:0"] }, alice),
            (e: unknown) => isTfError(e) && tfCodeName(e.code) === "OUT_OF_RANGE",
          );
        },
        { cpuDevices: 2, files: { root, readOnly: true }, log: (_l, s) => logs.push(s) },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
