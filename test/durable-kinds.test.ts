// The kinds of long-lived state beyond variables, queues and tables (docs/architecture.md,
// "Resources that outlive a worker thread"; docs/security.md, "Memory"): staging areas, staging
// maps (incomplete tuples too), barriers (ready and incomplete tuples) and anonymous memory caches
// (their elements once complete) come back after a crash and after the watchdog replaced a thread,
// per principal; an iterator whose shuffle draws its seeds from a seed-generator resource, or that
// reads and writes a memory cache, goes on exactly where it was; and what builds up over many
// steps — staged tuples, map entries, barrier tuples, TensorList contents kept in a variable, an
// in-memory cache, a shuffle buffer — counts in --max-memory-bytes: RESOURCE_EXHAUSTED naming the
// ceiling, other principals' small steps still run, Reset frees it.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import type { AttrValue } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import type { GraphDef } from "../gen/tensorflow/core/framework/graph_pb.js";
import { TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import {
  CreateSessionRequestSchema,
  ResetRequestSchema,
  type RunStepResponse,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { tensorFromProto } from "../server/engine/framework/tensor-proto.js";
import type { Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorProto, tensorValues } from "./support/graphs.js";
import { crashCpu1, on1, watchdogCpu1 } from "./support/replacement.js";
import { fetched, runStep, withMaster } from "./support/session.js";

const F = DataType.DT_FLOAT;
const I32 = DataType.DT_INT32;
const I64 = DataType.DT_INT64;
const MiB = 1024 ** 2;
const CEILING = 26 * MiB;
type Attrs = Record<string, AttrValue>;
const alice = { principal: "alice" };
const bob = { principal: "bob" };

async function createSession(m: Master, graphDef: GraphDef, as = alice): Promise<string> {
  return (await m.createSession(create(CreateSessionRequestSchema, { graphDef }), as)).sessionHandle;
}

const values = (res: RunStepResponse, name: string) => tensorValues(fetched(res, name)).map(Number);

/** Runs `fetch` in `s` as `as` and returns its values. */
async function get(m: Master, s: string, fetch: string, as = alice): Promise<number[]> {
  return values(await runStep(m, s, { fetch: [fetch] }, as), fetch);
}

/** Runs `target` with x = `xs` (a float vector) and k = `key`. */
async function put(m: Master, s: string, target: string, xs: readonly number[], key = 0, as = alice) {
  const feed = [
    { name: "x:0", tensor: tensorProto(F, [xs.length], xs) },
    { name: "k:0", tensor: tensorProto(I64, [], [key]) },
  ];
  await runStep(m, s, { target: [target], feed }, as);
}

/** Stages `xs` (a float vector) in `s`'s staging area "st". */
const stage = (m: Master, s: string, xs: readonly number[], as = alice) => put(m, s, "stage", xs, 0, as);

/** Puts 1 MiB under keys 0, 1, … into `s`'s map "bigmap" until a step fails (at most 40). */
async function fillMap(m: Master, s: string): Promise<{ made: number; error: unknown }> {
  for (let i = 0; i < 40; i++) {
    try {
      await runStep(
        m,
        s,
        {
          target: ["map_big"],
          feed: [{ name: "k:0", tensor: tensorProto(I64, [], [i]) }],
        },
        alice,
      );
    } catch (error) {
      return { made: i, error };
    }
  }
  return { made: 40, error: undefined };
}

/** A 1 MiB float vector of ones on CPU:1 ("fill"). */
const megabyteOfOnes = () => [
  on1(constNode("dims", I32, [1], [MiB / 4])),
  on1(constNode("one", F, [], [1])),
  on1(
    node("fill", "Fill", { inputs: ["dims", "one"], attrs: { T: attr.type(F), index_type: attr.type(I32) } }),
  ),
];

/**
 * On CPU:1: a staging area "st" of float vectors, and "big" that `stage_big` fills 1 MiB a step;
 * an ordered staging map "om" of (x, y) pairs put one component at a time (`put_x`, `put_y` under
 * key k), and a map "bigmap" that `map_big` fills 1 MiB a step.
 */
function stagingGraph(): GraphDef {
  const area = (name: string) => ({ shared_name: attr.string(name) });
  const pair = { dtypes: attr.typeList([F, F]), ...area("om") };
  const mapPut = (name: string, indices: string, value: string, attrs: Attrs, op = "OrderedMapStage") =>
    node(name, op, { inputs: ["k", indices, value], attrs: { ...attrs, fake_dtypes: attr.typeList([F]) } });
  return graph(
    on1(node("k", "Placeholder", { attrs: { dtype: attr.type(I64), shape: attr.shape([]) } })),
    on1(constNode("idx0", I32, [1], [0])),
    on1(constNode("idx1", I32, [1], [1])),
    on1(constNode("idx01", I32, [2], [0, 1])),
    on1(mapPut("put_x", "idx0", "x", pair)),
    on1(mapPut("put_y", "idx1", "x", pair)),
    on1(node("map_take", "OrderedMapUnstageNoKey", { inputs: ["idx01"], attrs: pair })),
    on1(node("map_size", "OrderedMapSize", { attrs: pair })),
    on1(node("map_incomplete", "OrderedMapIncompleteSize", { attrs: pair })),
    on1(mapPut("map_big", "idx0", "fill", { dtypes: attr.typeList([F]), ...area("bigmap") }, "MapStage")),
    on1(node("bigmap_size", "MapSize", { attrs: { dtypes: attr.typeList([F]), ...area("bigmap") } })),
    on1(node("x", "Placeholder", { attrs: { dtype: attr.type(F) } })),
    on1(node("stage", "Stage", { inputs: ["x"], attrs: { dtypes: attr.typeList([F]), ...area("st") } })),
    on1(node("unstage", "Unstage", { attrs: { dtypes: attr.typeList([F]), ...area("st") } })),
    on1(node("size", "StageSize", { attrs: { dtypes: attr.typeList([]), ...area("st") } })),
    ...megabyteOfOnes(),
    on1(
      node("stage_big", "Stage", { inputs: ["fill"], attrs: { dtypes: attr.typeList([F]), ...area("big") } }),
    ),
    on1(node("big_size", "StageSize", { attrs: { dtypes: attr.typeList([]), ...area("big") } })),
  );
}

/** Runs `target` until a step fails (at most 40); returns how many succeeded and the error. */
async function fill(
  m: Master,
  s: string,
  target: string,
  as = alice,
): Promise<{ made: number; error: unknown }> {
  for (let i = 0; i < 40; i++) {
    try {
      await runStep(m, s, { target: [target] }, as);
    } catch (error) {
      return { made: i, error };
    }
  }
  return { made: 40, error: undefined };
}

function assertCeiling(error: unknown, limit = CEILING): void {
  assert.ok(isTfError(error), String(error));
  assert.equal(tfCodeName(error.code), "RESOURCE_EXHAUSTED", error.message);
  assert.ok(error.message.includes(`memory ceiling of ${limit} bytes (--max-memory-bytes)`), error.message);
}

describe("a staging area outlives its worker thread", () => {
  test("after a crash and after the watchdog its tuples are where they were, per principal; a wait ends with its step", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        const a = await createSession(m, stagingGraph());
        for (const x of [1, 2, 3]) await stage(m, a, [x, x]);
        // Alice's map: key 4 complete, key 2 waiting for its y.
        await put(m, a, "put_x", [40], 4);
        await put(m, a, "put_y", [41], 4);
        await put(m, a, "put_x", [20], 2);
        const b = await createSession(m, stagingGraph(), bob);
        await stage(m, b, [9], bob);
        await put(m, b, "put_x", [90], 9, bob);

        await crashCpu1(m, logs, 1);
        assert.deepEqual(await get(m, a, "size:0"), [3]);
        assert.deepEqual(await get(m, a, "unstage:0"), [1, 1]);
        assert.deepEqual(await get(m, b, "size:0", bob), [1]);
        assert.deepEqual([await get(m, a, "map_size:0"), await get(m, a, "map_incomplete:0")], [[1], [1]]);
        assert.deepEqual(
          [await get(m, b, "map_size:0", bob), await get(m, b, "map_incomplete:0", bob)],
          [[0], [1]],
        );
        // Key 2 is completed on the new thread; the ordered map gives it before key 4.
        await put(m, a, "put_y", [21], 2);
        const taken = await runStep(m, a, { fetch: ["map_take:0", "map_take:1", "map_take:2"] }, alice);
        assert.deepEqual(
          ["map_take:0", "map_take:1", "map_take:2"].map((n) => values(taken, n)),
          [[2], [20], [21]],
        );

        await watchdogCpu1(m, logs, 2);
        assert.deepEqual(await get(m, a, "map_take:2"), [41]);
        assert.deepEqual(await get(m, b, "map_incomplete:0", bob), [1]);
        assert.deepEqual(await get(m, a, "size:0"), [2]);
        assert.deepEqual(await get(m, a, "unstage:0"), [2, 2]);
        assert.deepEqual(await get(m, b, "unstage:0", bob), [9]);
        // An Unstage of an empty area waits; its deadline ends the wait, and takes nothing later.
        await assert.rejects(
          runStep(m, b, { fetch: ["unstage:0"], options: { timeoutInMs: 200n } }, bob),
          (e: unknown) => isTfError(e) && tfCodeName(e.code) === "DEADLINE_EXCEEDED",
        );
        await stage(m, b, [7], bob);
        assert.deepEqual(await get(m, b, "unstage:0", bob), [7]);
        assert.deepEqual(await get(m, a, "unstage:0"), [3, 3]);
        assert.deepEqual(await get(m, a, "size:0"), [0]);
      },
      { cpuDevices: 2, workerAbortGraceMs: 300, log: (_l, s) => logs.push(s) },
    );
  });
});

const sig = { output_types: attr.typeList([I64]), output_shapes: attr.shapeList([[]]) };

/** range(0, 20), shuffled with seeds from an AnonymousSeedGenerator (5, 6, reshuffled), twice. */
function seedGeneratorGraph(): GraphDef {
  const bool = (name: string, v: boolean) =>
    node(name, "Const", {
      attrs: {
        dtype: attr.type(DataType.DT_BOOL),
        value: attr.tensor(
          create(TensorProtoSchema, { dtype: DataType.DT_BOOL, tensorShape: {}, boolVal: [v] }),
        ),
      },
    });
  return graph(
    on1(constNode("start", I64, [], [0])),
    on1(constNode("stop", I64, [], [20])),
    on1(constNode("step", I64, [], [1])),
    on1(constNode("buffer", I64, [], [20])),
    on1(constNode("count", I64, [], [2])),
    on1(constNode("seed", I64, [], [5])),
    on1(constNode("seed2", I64, [], [6])),
    on1(bool("reshuffle", true)),
    on1(node("gen", "AnonymousSeedGenerator", { inputs: ["seed", "seed2", "reshuffle"] })),
    on1(node("range", "RangeDataset", { inputs: ["start", "stop", "step"], attrs: sig })),
    on1(node("shuffled", "ShuffleDatasetV2", { inputs: ["range", "buffer", "gen:0"], attrs: sig })),
    on1(node("twice", "RepeatDataset", { inputs: ["shuffled", "count"], attrs: sig })),
    on1(
      node("it", "IteratorV2", {
        attrs: { ...sig, shared_name: attr.string("it"), container: attr.string("") },
      }),
    ),
    on1(node("make", "MakeIterator", { inputs: ["twice", "it"] })),
    on1(node("next", "IteratorGetNext", { inputs: ["it"], attrs: sig })),
  );
}

describe("an iterator whose shuffle takes a seed-generator resource", () => {
  test("goes on exactly where it was after a crash, each repetition with the generator's next seeds", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        // Bob's pass, with a generator of the same seeds, untouched by any replacement.
        const b = await createSession(m, seedGeneratorGraph(), bob);
        await runStep(m, b, { target: ["make"] }, bob);
        const reference: number[] = [];
        for (let i = 0; i < 40; i++) reference.push(...(await get(m, b, "next:0", bob)));
        // The generator gave each repetition its own seeds.
        assert.notDeepEqual(reference.slice(0, 20), reference.slice(20));
        assert.deepEqual(
          [...reference.slice(20)].sort((x, y) => x - y),
          Array.from({ length: 20 }, (_, i) => i),
        );

        const a = await createSession(m, seedGeneratorGraph());
        await runStep(m, a, { target: ["make"] }, alice);
        const seen: number[] = [];
        for (let i = 0; i < 8; i++) seen.push(...(await get(m, a, "next:0")));
        await crashCpu1(m, logs, 1);
        for (let i = 8; i < 40; i++) seen.push(...(await get(m, a, "next:0")));
        assert.deepEqual(seen, reference);
        await assert.rejects(
          runStep(m, a, { fetch: ["next:0"] }, alice),
          (e: unknown) => isTfError(e) && tfCodeName(e.code) === "OUT_OF_RANGE",
        );
      },
      { cpuDevices: 2, log: (_l, s) => logs.push(s) },
    );
  });
});

/** A variant variable "tl" holding a TensorList of floats that `grow` adds 1 MiB to. */
function tensorListGraph(): GraphDef {
  const V = DataType.DT_VARIANT;
  return graph(
    on1(
      node("v", "VarHandleOp", {
        attrs: { dtype: attr.type(V), shape: attr.shape([]), shared_name: attr.string("tl") },
      }),
    ),
    on1(constNode("element_shape", I32, [1], [-1])),
    on1(constNode("unbounded", I32, [], [-1])),
    on1(
      node("empty", "EmptyTensorList", {
        inputs: ["element_shape", "unbounded"],
        attrs: { element_dtype: attr.type(F), shape_type: attr.type(I32) },
      }),
    ),
    on1(node("init", "AssignVariableOp", { inputs: ["v", "empty"], attrs: { dtype: attr.type(V) } })),
    on1(node("read", "ReadVariableOp", { inputs: ["v"], attrs: { dtype: attr.type(V) } })),
    ...megabyteOfOnes(),
    on1(
      node("push", "TensorListPushBack", {
        inputs: ["read", "fill"],
        attrs: { element_dtype: attr.type(F) },
      }),
    ),
    on1(node("grow", "AssignVariableOp", { inputs: ["v", "push"], attrs: { dtype: attr.type(V) } })),
    on1(node("length", "TensorListLength", { inputs: ["read"] })),
  );
}

/** range(0, 2^40) in batches of 1 MiB of int64, then `tail` ("last" from "batched"), iterated. */
function batchesGraph(...tail: ReturnType<typeof node>[]): GraphDef {
  const batchSig = { output_types: attr.typeList([I64]), output_shapes: attr.shapeList([[-1]]) };
  return graph(
    on1(constNode("start", I64, [], [0])),
    on1(constNode("stop", I64, [], [2 ** 40])),
    on1(constNode("step", I64, [], [1])),
    on1(constNode("size", I64, [], [MiB / 8])),
    on1(constNode("buffer", I64, [], [16])),
    on1(constNode("seed", I64, [], [1])),
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
    ...tail.map((n) => on1({ ...n, attr: { ...batchSig, ...n.attr } })),
    on1(
      node("it", "IteratorV2", {
        attrs: { ...batchSig, shared_name: attr.string("it"), container: attr.string("") },
      }),
    ),
    on1(node("make", "MakeIterator", { inputs: ["last", "it"] })),
    on1(node("next", "IteratorGetNext", { inputs: ["it"], attrs: batchSig })),
  );
}

const emptyString = () =>
  node("no_file", "Const", {
    attrs: {
      dtype: attr.type(DataType.DT_STRING),
      value: attr.tensor(
        create(TensorProtoSchema, {
          dtype: DataType.DT_STRING,
          tensorShape: {},
          stringVal: [new Uint8Array()],
        }),
      ),
    },
  });

describe("state built up over many steps counts against --max-memory-bytes", () => {
  test("a staging area filled step by step is refused naming the ceiling; other principals still run; Reset frees it", async () => {
    await withMaster(
      async (m) => {
        const a = await createSession(m, stagingGraph());
        const first = await fill(m, a, "stage_big");
        // 26.5 MiB hold at most 26 staged MiB (each step's 1 MiB moves from the step to the area).
        assert.ok(first.made >= 15 && first.made <= 26, `made ${first.made}`);
        assertCeiling(first.error, CEILING + MiB / 2);
        assert.deepEqual(await get(m, a, "big_size:0"), [first.made]);
        // Bob's small tuple still fits.
        const b = await createSession(m, stagingGraph(), bob);
        await stage(m, b, [4, 2], bob);
        assert.deepEqual(await get(m, b, "unstage:0", bob), [4, 2]);
        await m.reset(create(ResetRequestSchema, {}), alice);
        const again = await fill(m, await createSession(m, stagingGraph()), "stage_big");
        assert.equal(again.made, first.made);
      },
      { cpuDevices: 2, maxMemoryBytes: CEILING + MiB / 2 },
    );
  });

  test("a staging map filled key by key is refused naming the ceiling; Reset frees it", async () => {
    await withMaster(
      async (m) => {
        const first = await fillMap(m, await createSession(m, stagingGraph()));
        assert.ok(first.made >= 15 && first.made <= 26, `made ${first.made}: ${first.error}`);
        assertCeiling(first.error, CEILING + MiB / 2);
        const probe = await createSession(m, stagingGraph());
        assert.deepEqual(await get(m, probe, "bigmap_size:0"), [first.made]);
        await m.reset(create(ResetRequestSchema, {}), alice);
        assert.deepEqual(await get(m, await createSession(m, stagingGraph()), "bigmap_size:0"), [0]);
        const again = await fillMap(m, await createSession(m, stagingGraph()));
        assert.equal(again.made, first.made);
      },
      { cpuDevices: 2, maxMemoryBytes: CEILING + MiB / 2 },
    );
  });

  test("a TensorList kept in a variable counts its tensors: growth past the ceiling is taken back; kept across a crash", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        const a = await createSession(m, tensorListGraph());
        await runStep(m, a, { target: ["init"] }, alice);
        const first = await fill(m, a, "grow");
        assert.ok(first.made >= 10 && first.made <= 25, `made ${first.made}`);
        assertCeiling(first.error);
        assert.deepEqual(await get(m, a, "length:0"), [first.made]);
        await crashCpu1(m, logs, 1);
        assert.deepEqual(await get(m, a, "length:0"), [first.made]);
        await m.reset(create(ResetRequestSchema, {}), alice);
        const b = await createSession(m, tensorListGraph());
        await runStep(m, b, { target: ["init"] }, alice);
        const again = await fill(m, b, "grow");
        assert.equal(again.made, first.made);
      },
      { cpuDevices: 2, maxMemoryBytes: CEILING, log: (_l, s) => logs.push(s) },
    );
  });

  test("an in-memory cache filled GetNext by GetNext is refused naming the ceiling; Reset frees it", async () => {
    await withMaster(
      async (m) => {
        const cached = () =>
          batchesGraph(emptyString(), node("last", "CacheDataset", { inputs: ["batched", "no_file"] }));
        const a = await createSession(m, cached());
        await runStep(m, a, { target: ["make"] }, alice);
        const first = await fill(m, a, "next");
        assert.ok(first.made >= 10 && first.made <= 25, `made ${first.made}`);
        assertCeiling(first.error);
        await m.reset(create(ResetRequestSchema, {}), alice);
        const b = await createSession(m, cached());
        await runStep(m, b, { target: ["make"] }, alice);
        const again = await fill(m, b, "next");
        assert.ok(Math.abs(again.made - first.made) <= 1, `${first.made} then ${again.made}`);
      },
      { cpuDevices: 2, maxMemoryBytes: CEILING },
    );
  });

  test("a shuffle buffer counts between steps: a second one that does not fit beside it is refused until Reset", async () => {
    await withMaster(
      async (m) => {
        const shuffled = () =>
          batchesGraph(
            node("last", "ShuffleDataset", {
              inputs: ["batched", "buffer", "seed", "seed"],
              attrs: { reshuffle_each_iteration: attr.bool(false) },
            }),
          );
        // Each pass keeps 16 MiB between GetNexts; 26 MiB do not hold two.
        const a = await createSession(m, shuffled());
        await runStep(m, a, { target: ["make"] }, alice);
        await runStep(m, a, { target: ["next"] }, alice);
        await runStep(m, a, { target: ["next"] }, alice);
        const b = await createSession(m, shuffled(), bob);
        await runStep(m, b, { target: ["make"] }, bob);
        const refused = await fill(m, b, "next", bob);
        assert.equal(refused.made, 0);
        assertCeiling(refused.error);
        // What Bob's refused step put in his buffer stays there (and counted), as in TF; once
        // Alice resets, his pass fills the rest of its buffer and goes on.
        await m.reset(create(ResetRequestSchema, {}), alice);
        await runStep(m, b, { target: ["next"] }, bob);
        await runStep(m, b, { target: ["next"] }, bob);
      },
      { cpuDevices: 2, maxMemoryBytes: CEILING },
    );
  });
});

/**
 * On CPU:1: a barrier "bar" of (float[1], float[1]) tuples whose components `ins0` and `ins1`
 * insert for the keys fed, and a barrier "bigbar" that `ins_big` fills 1 MiB a key.
 */
function barrierGraph(): GraphDef {
  const S = DataType.DT_STRING;
  const barrier = (name: string, shapes: number[][]) =>
    node(name, "Barrier", {
      attrs: {
        component_types: attr.typeList(shapes.map(() => F)),
        shapes: attr.shapeList(shapes),
        shared_name: attr.string(name),
      },
    });
  const insert = (name: string, b: string, values: string, ci: number) =>
    node(name, "BarrierInsertMany", {
      inputs: [b, "keys", values],
      attrs: { T: attr.type(F), component_index: attr.int(ci) },
    });
  return graph(
    on1(node("keys", "Placeholder", { attrs: { dtype: attr.type(S), shape: attr.shape([-1]) } })),
    on1(node("x", "Placeholder", { attrs: { dtype: attr.type(F), shape: attr.shape([-1, 1]) } })),
    on1(barrier("bar", [[1], [1]])),
    on1(insert("ins0", "bar", "x", 0)),
    on1(insert("ins1", "bar", "x", 1)),
    on1(constNode("two", I32, [], [2])),
    on1(
      node("take", "BarrierTakeMany", {
        inputs: ["bar", "two"],
        attrs: { component_types: attr.typeList([F, F]) },
      }),
    ),
    on1(node("ready", "BarrierReadySize", { inputs: ["bar"] })),
    on1(node("incomplete", "BarrierIncompleteSize", { inputs: ["bar"] })),
    on1(barrier("bigbar", [[MiB / 4]])),
    on1(constNode("dims2", I32, [2], [1, MiB / 4])),
    on1(constNode("one", F, [], [1])),
    on1(
      node("fill2", "Fill", {
        inputs: ["dims2", "one"],
        attrs: { T: attr.type(F), index_type: attr.type(I32) },
      }),
    ),
    on1(insert("ins_big", "bigbar", "fill2", 0)),
    on1(node("big_ready", "BarrierReadySize", { inputs: ["bigbar"] })),
  );
}

/** Runs `target` (an insert) for `keys` with x = one float per key. */
async function insert(m: Master, s: string, target: string, keys: string[], xs: number[], as = alice) {
  const feed = [
    { name: "keys:0", tensor: stringTensor(keys) },
    { name: "x:0", tensor: tensorProto(F, [xs.length, 1], xs) },
  ];
  await runStep(m, s, { target: [target], feed }, as);
}

const stringTensor = (xs: readonly string[]) =>
  create(TensorProtoSchema, {
    dtype: DataType.DT_STRING,
    tensorShape: { dim: [{ size: BigInt(xs.length) }] },
    stringVal: xs.map((x) => new TextEncoder().encode(x)),
  });

const sizes = async (m: Master, s: string, as = alice) => {
  const r = await runStep(m, s, { fetch: ["ready:0", "incomplete:0"] }, as);
  return [values(r, "ready:0")[0], values(r, "incomplete:0")[0]];
};

describe("a barrier outlives its worker thread and counts against the ceiling", () => {
  test("after a crash and after the watchdog its ready and incomplete tuples are where they were, per principal", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        const a = await createSession(m, barrierGraph());
        await insert(m, a, "ins0", ["p", "q"], [1, 2]);
        await insert(m, a, "ins1", ["p"], [10]);
        const b = await createSession(m, barrierGraph(), bob);
        await insert(m, b, "ins0", ["r"], [7], bob);

        await crashCpu1(m, logs, 1);
        assert.deepEqual(await sizes(m, a), [1, 1]);
        assert.deepEqual(await sizes(m, b, bob), [0, 1]);
        await insert(m, a, "ins1", ["q"], [20]);
        await watchdogCpu1(m, logs, 2);
        const r = await runStep(m, a, { fetch: ["take:0", "take:1", "take:2", "take:3"] }, alice);
        assert.deepEqual(
          (tensorFromProto(fetched(r, "take:1")!).data as Uint8Array[]).map((k) =>
            new TextDecoder().decode(k),
          ),
          ["p", "q"],
        );
        assert.deepEqual(
          [values(r, "take:2"), values(r, "take:3")],
          [
            [1, 2],
            [10, 20],
          ],
        );
        assert.deepEqual(await sizes(m, b, bob), [0, 1]);
      },
      { cpuDevices: 2, workerAbortGraceMs: 300, log: (_l, s) => logs.push(s) },
    );
  });

  test("a barrier filled key by key is refused naming the ceiling; Reset frees it", async () => {
    const limit = CEILING + MiB / 2;
    const fillBarrier = async (m: Master, s: string) => {
      for (let i = 0; i < 40; i++) {
        try {
          await runStep(
            m,
            s,
            { target: ["ins_big"], feed: [{ name: "keys:0", tensor: stringTensor([`k${i}`]) }] },
            alice,
          );
        } catch (error) {
          return { made: i, error };
        }
      }
      return { made: 40, error: undefined };
    };
    await withMaster(
      async (m) => {
        const first = await fillBarrier(m, await createSession(m, barrierGraph()));
        assert.ok(first.made >= 12 && first.made <= 26, `made ${first.made}: ${first.error}`);
        assertCeiling(first.error, limit);
        assert.deepEqual(await get(m, await createSession(m, barrierGraph()), "big_ready:0"), [first.made]);
        await m.reset(create(ResetRequestSchema, {}), alice);
        const again = await fillBarrier(m, await createSession(m, barrierGraph()));
        assert.equal(again.made, first.made);
      },
      { cpuDevices: 2, maxMemoryBytes: limit },
    );
  });
});

/**
 * On CPU:1, over a memory cache whose handle is fed as "h" (`mc` makes one): "it" iterates
 * range(0, 10) shuffled with seeds from a reshuffling seed generator, cached, twice; "it2"
 * iterates range(100, 110) cached in the same cache.
 */
function memoryCacheGraph(): GraphDef {
  const R = DataType.DT_RESOURCE;
  const iterator = (name: string, make: string, ds: string, next: string) => [
    on1(
      node(name, "IteratorV2", {
        attrs: { ...sig, shared_name: attr.string(name), container: attr.string("") },
      }),
    ),
    on1(node(make, "MakeIterator", { inputs: [ds, name] })),
    on1(node(next, "IteratorGetNext", { inputs: [name], attrs: sig })),
  ];
  return graph(
    ...[
      ["start", 0],
      ["stop", 10],
      ["step", 1],
      ["buffer", 10],
      ["seed", 5],
      ["seed2", 6],
      ["count", 2],
      ["start2", 100],
      ["stop2", 110],
    ].map(([name, v]) => on1(constNode(name as string, I64, [], [v as number]))),
    on1(
      node("reshuffle", "Const", {
        attrs: {
          dtype: attr.type(DataType.DT_BOOL),
          value: attr.tensor(
            create(TensorProtoSchema, { dtype: DataType.DT_BOOL, tensorShape: {}, boolVal: [true] }),
          ),
        },
      }),
    ),
    on1(emptyString()),
    on1(node("mc", "AnonymousMemoryCache", {})),
    on1(node("h", "Placeholder", { attrs: { dtype: attr.type(R), shape: attr.shape([]) } })),
    on1(node("gen", "AnonymousSeedGenerator", { inputs: ["seed", "seed2", "reshuffle"] })),
    on1(node("range", "RangeDataset", { inputs: ["start", "stop", "step"], attrs: sig })),
    on1(node("shuffled", "ShuffleDatasetV2", { inputs: ["range", "buffer", "gen:0"], attrs: sig })),
    on1(node("cached", "CacheDatasetV2", { inputs: ["shuffled", "no_file", "h"], attrs: sig })),
    on1(node("twice", "RepeatDataset", { inputs: ["cached", "count"], attrs: sig })),
    ...iterator("it", "make", "twice", "next"),
    on1(node("range2", "RangeDataset", { inputs: ["start2", "stop2", "step"], attrs: sig })),
    on1(node("cached2", "CacheDatasetV2", { inputs: ["range2", "no_file", "h"], attrs: sig })),
    ...iterator("it2", "make2", "cached2", "next2"),
  );
}

/** A new memory cache of `s` (its handle, to feed as "h"). */
async function newCache(m: Master, s: string, as = alice) {
  return fetched(await runStep(m, s, { fetch: ["mc:0"] }, as), "mc:0");
}

type Handle = Awaited<ReturnType<typeof newCache>>;

/** Runs `target` (a MakeIterator) over the cache `h`. */
const makeOver = (m: Master, s: string, target: string, h: Handle, as = alice) =>
  runStep(m, s, { target: [target], feed: [{ name: "h:0", tensor: h }] }, as);

/** `n` elements of `fetch`. */
async function take(m: Master, s: string, fetch: string, n: number, as = alice): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(...(await get(m, s, fetch, as)));
  return out;
}

const rejectsWith = (p: Promise<unknown>, code: string, fragment: string) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(isTfError(e), String(e));
    assert.equal(tfCodeName(e.code), code, e.message);
    assert.ok(e.message.includes(fragment), e.message);
    return true;
  });

describe("an anonymous memory cache outlives its worker thread", () => {
  test("its completed elements are kept per principal; a pass over it replays exactly, from a partial cache and from a complete one", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        // Bob's reference: the first repetition fills the cache, the second reads it back.
        const b = await createSession(m, memoryCacheGraph(), bob);
        const hb = await newCache(m, b, bob);
        await makeOver(m, b, "make", hb, bob);
        const reference = await take(m, b, "next:0", 20, bob);
        assert.deepEqual(reference.slice(10), reference.slice(0, 10));
        assert.deepEqual(
          [...reference.slice(0, 10)].sort((x, y) => x - y),
          Array.from({ length: 10 }, (_, i) => i),
        );

        const a = await createSession(m, memoryCacheGraph());
        const ha = await newCache(m, a);
        await makeOver(m, a, "make", ha);
        const seen = await take(m, a, "next:0", 4);
        // Replaced while the cache is partly written: the pass writes it again from its input.
        await crashCpu1(m, logs, 1);
        seen.push(...(await take(m, a, "next:0", 9)));
        // Replaced once the pass has completed it: the pass reads it back.
        await watchdogCpu1(m, logs, 2);
        seen.push(...(await take(m, a, "next:0", 7)));
        assert.deepEqual(seen, reference);
        await rejectsWith(get(m, a, "next:0"), "OUT_OF_RANGE", "End of sequence");

        // Datasets made after the replacements read the kept elements, not their own input.
        await makeOver(m, a, "make2", ha);
        assert.deepEqual(await take(m, a, "next2:0", 10), reference.slice(0, 10));
        await makeOver(m, b, "make2", hb, bob);
        assert.deepEqual(await take(m, b, "next2:0", 10, bob), reference.slice(0, 10));
        // A new cache is empty: its dataset reads its input.
        await makeOver(m, a, "make2", await newCache(m, a));
        assert.deepEqual(
          await take(m, a, "next2:0", 10),
          Array.from({ length: 10 }, (_, i) => 100 + i),
        );
      },
      { cpuDevices: 2, workerAbortGraceMs: 300, log: (_l, s) => logs.push(s) },
    );
  });

  test("a pass whose cache another iterator completed while it was writing is not replayed; the one that completed it is", async () => {
    const logs: string[] = [];
    await withMaster(
      async (m) => {
        const a = await createSession(m, memoryCacheGraph());
        const h = await newCache(m, a);
        await makeOver(m, a, "make", h);
        await makeOver(m, a, "make2", h);
        const first = await take(m, a, "next:0", 3);
        // it2 reads its whole input first: the cache holds range(100, 110), as in TF.
        const tens = Array.from({ length: 10 }, (_, i) => 100 + i);
        assert.deepEqual(await take(m, a, "next2:0", 10), tens);
        await crashCpu1(m, logs, 1);
        await rejectsWith(get(m, a, "next:0"), "FAILED_PRECONDITION", "completed by another iterator");
        await rejectsWith(get(m, a, "next2:0"), "OUT_OF_RANGE", "End of sequence");
        assert.equal(first.length, 3);
        await makeOver(m, a, "make", h);
        assert.deepEqual(await take(m, a, "next:0", 20), [...tens, ...tens]);
      },
      { cpuDevices: 2, log: (_l, s) => logs.push(s) },
    );
  });

  test("its elements count against --max-memory-bytes while it lives, across a crash; Reset frees them", async () => {
    const logs: string[] = [];
    const megabyteSig = { output_types: attr.typeList([F]), output_shapes: attr.shapeList([[MiB / 4]]) };
    // 16 elements of 1 MiB (one tensor, repeated), cached in a new anonymous cache by each MakeIterator.
    const cached = () =>
      graph(
        ...megabyteOfOnes(),
        on1(constNode("count", I64, [], [16])),
        on1(emptyString()),
        on1(node("mc", "AnonymousMemoryCache", {})),
        on1(
          node("one_mb", "TensorDataset", {
            inputs: ["fill"],
            attrs: { Toutput_types: attr.typeList([F]), output_shapes: megabyteSig.output_shapes },
          }),
        ),
        on1(node("sixteen", "RepeatDataset", { inputs: ["one_mb", "count"], attrs: megabyteSig })),
        on1(node("last", "CacheDatasetV2", { inputs: ["sixteen", "no_file", "mc"], attrs: megabyteSig })),
        on1(
          node("it", "IteratorV2", {
            attrs: { ...megabyteSig, shared_name: attr.string("it"), container: attr.string("") },
          }),
        ),
        on1(node("make", "MakeIterator", { inputs: ["last", "it"] })),
        on1(node("next", "IteratorGetNext", { inputs: ["it"], attrs: megabyteSig })),
      );
    const fillNew = async (m: Master, s: string) => {
      await runStep(m, s, { target: ["make"] }, alice);
      return fill(m, s, "next");
    };
    await withMaster(
      async (m) => {
        const a = await createSession(m, cached());
        const whole = await fillNew(m, a);
        assert.equal(whole.made, 16);
        assert.ok(isTfError(whole.error) && tfCodeName(whole.error.code) === "OUT_OF_RANGE");
        // The first cache keeps its 16 MiB after a replacement and after its pass is gone: a
        // second one does not fit beside it.
        await crashCpu1(m, logs, 1);
        const second = await fillNew(m, a);
        assert.ok(second.made >= 4 && second.made < 16, `made ${second.made}`);
        assertCeiling(second.error);
        await m.reset(create(ResetRequestSchema, {}), alice);
        const again = await fillNew(m, await createSession(m, cached()));
        assert.equal(again.made, 16);
      },
      { cpuDevices: 2, maxMemoryBytes: CEILING, log: (_l, s) => logs.push(s) },
    );
  });
});
