// The resource directory on its own (resource-directory.ts): what it records at a flush, what a
// new directory rebuilds from those records after they crossed threads (a structured clone), and
// how it counts long-lived bytes against the memory ceiling, taking back variable values that do
// not fit.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isTfError, tfCodeName } from "../framework/errors.js";
import { createMemoryCeilingShare, MemoryCeiling, resourceSlot } from "../framework/memory-ceiling.js";
import { createResourceMgr, type ResourceMgr } from "../framework/resource-mgr.js";
import { fromValues, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { TensorList } from "../framework/variant.js";
import { HeldBytes, Holding } from "../kernels/util/dataset.js";
import type { DurablePipeline } from "../kernels/util/dataset-recipe.js";
import { ITERATOR_RESOURCE, IteratorResource } from "../kernels/util/iterator-resource.js";
import { FifoQueue, QUEUE_TYPE, type Queue } from "../kernels/util/queue-base.js";
import {
  isSeedGenerator,
  SEED_GENERATOR_RESOURCE,
  type SeedGenerator,
  seedGenerator,
} from "../kernels/util/seed-generator.js";
import { VAR_TYPE_NAME, type Var } from "../kernels/util/variables.js";
import {
  applyDurableChanges,
  createResourceDirectory,
  type DurableChange,
  type DurableRecord,
  type ResourceDirectory,
} from "./resource-directory.js";

const F = DataType.DT_FLOAT;
const floats = (n: number) => new Tensor(F, [n], new Float32Array(n).fill(1));

function setUp(limit: number, restored: readonly DurableRecord[] = []) {
  const share = createMemoryCeilingShare(limit, 1);
  const ceiling = new MemoryCeiling(share, resourceSlot(share, 0));
  const published: DurableChange[] = [];
  const directory = createResourceDirectory({
    publish: (c) => published.push(...structuredClone(c)),
    ceiling,
    restored,
    where: "CPU:0",
  });
  const mgr = newMgr(directory);
  return { ceiling, published, directory, mgr };
}

function newMgr(directory: ResourceDirectory): ResourceMgr {
  const mgr: ResourceMgr = createResourceMgr(
    "localhost",
    directory.observer("t:alice", "CPU:0", () => mgr),
  );
  directory.restore(mgr, "t:alice", "CPU:0");
  return mgr;
}

function assign(mgr: ResourceMgr, name: string, t: Tensor): void {
  const v = mgr.lookupOrCreate<Var>("", name, VAR_TYPE_NAME, () => ({
    dtype: F,
    value: undefined,
    isInitialized: false,
  }));
  v.value = t;
  v.isInitialized = true;
}

/** The records a master keeps after applying `changes` in order. */
function kept(changes: readonly DurableChange[]): DurableRecord[] {
  const m = new Map<string, DurableRecord>();
  applyDurableChanges(m, changes);
  return [...m.values()];
}

describe("the resource directory", () => {
  test("records changed entries only, and a new directory rebuilds them (variables, queue elements)", async () => {
    const { published, directory, mgr } = setUp(1 << 20);
    assign(mgr, "v", fromValues(F, [2], [3, 4]));
    const q = mgr.lookupOrCreate<Queue>("", "q", QUEUE_TYPE.name, () => new FifoQueue(10, [F], [[]], "q"));
    await q.enqueue([fromValues(F, [], [7])]);
    await q.enqueue([fromValues(F, [], [8])]);
    directory.flush(true);
    assert.equal(published.length, 2);
    // A read that changes nothing records nothing.
    mgr.lookup<Var>("", "v", VAR_TYPE_NAME);
    directory.flush(true);
    assert.equal(published.length, 2);
    // A new value of the same dtype and shape travels as its storage alone.
    assign(mgr, "v", fromValues(F, [2], [5, 6]));
    directory.flush(true);
    assert.equal(published.length, 3);
    assert.ok("data" in published[2]!);

    const after = setUp(1 << 20, kept(published));
    const v = after.mgr.lookup<Var>("", "v", VAR_TYPE_NAME);
    assert.deepEqual([...(v!.value!.data as Float32Array)], [5, 6]);
    const q2 = after.mgr.lookup<Queue>("", "q", QUEUE_TYPE.name);
    assert.equal(q2?.size(), 2);
    assert.deepEqual(
      q2?.stored().map((t) => (t[0]!.data as Float32Array)[0]),
      [7, 8],
    );
  });

  test("an iterator's pass is recorded once; then only its count of elements produced travels, and is counted", () => {
    const { published, directory, mgr, ceiling } = setUp(1 << 20);
    const it = mgr.lookupOrCreate("", "it", ITERATOR_RESOURCE.name, () => new IteratorResource([F], [[]]));
    const pipeline: DurablePipeline = {
      recipe: {
        op: "TensorDataset",
        nodeName: "ds",
        attrs: {},
        inputTypes: [F],
        outputTypes: [DataType.DT_VARIANT],
        inputs: [{ tensor: { dtype: F, shape: [1000], data: new Float32Array(1000) } }],
        seeds: [],
      },
      library: undefined,
    };
    const pass = { id: "p1", pipeline, produced: 0, held: new HeldBytes() };
    it.pass = pass;
    directory.flush(true);
    assert.equal(published.length, 1);
    assert.ok(ceiling.total() >= 4000, `${ceiling.total()}`);
    for (const n of [1, 2, 3]) {
      pass.produced = n;
      mgr.lookup("", "it", ITERATOR_RESOURCE.name);
      directory.flush(true);
    }
    // A GetNext that produced nothing new records nothing.
    mgr.lookup("", "it", ITERATOR_RESOURCE.name);
    directory.flush(true);
    assert.deepEqual(
      published.slice(1).map((c) => ("produced" in c ? c.produced : "record")),
      [1, 2, 3],
    );
    const [record] = kept(published);
    assert.ok(record?.state.kind === "iterator");
    assert.equal(record.state.pass?.produced, 3);
    assert.deepEqual(record.state.pass?.pipeline?.recipe.op, "TensorDataset");
    // A new pass (MakeIterator) is a new record.
    it.pass = { id: "p1", pipeline, produced: 0, held: new HeldBytes() };
    mgr.lookup("", "it", ITERATOR_RESOURCE.name);
    directory.flush(true);
    assert.ok("record" in published.at(-1)!);
  });

  test("variable bytes count against the ceiling; what does not fit is taken back and refused", () => {
    const { ceiling, directory, mgr } = setUp(1000);
    assign(mgr, "v", floats(100));
    directory.flush(true);
    assert.equal(ceiling.total(), 400);
    const before = mgr.lookup<Var>("", "v", VAR_TYPE_NAME)!.value;
    assign(mgr, "v", floats(300));
    assert.throws(
      () => directory.flush(true),
      (e: unknown) =>
        isTfError(e) &&
        tfCodeName(e.code) === "RESOURCE_EXHAUSTED" &&
        /memory ceiling of 1000 bytes \(--max-memory-bytes\)/.test(e.message),
    );
    assert.equal(mgr.lookup<Var>("", "v", VAR_TYPE_NAME)!.value, before);
    assign(mgr, "w", floats(200));
    assert.throws(() => directory.flush(true));
    assert.equal(mgr.peek("localhost", "w", VAR_TYPE_NAME), undefined);
    assert.equal(ceiling.total(), 400);
    // Deleting frees.
    mgr.cleanup("");
    directory.flush(true);
    assert.equal(ceiling.total(), 0);
  });

  test("an isolated session closed on a new thread before its containers were made again drops its records", () => {
    const first = setUp(1 << 20);
    const iso = createResourceMgr(
      "localhost",
      first.directory.observer("s:h1", "CPU:0", () => iso),
    );
    assign(iso, "v", floats(10));
    first.directory.flush(true);
    const records = kept(first.published);
    assert.equal(records.length, 1);
    const next = setUp(1 << 20, records);
    next.ceiling.add(40); // the slot still counts them (it survives the thread)
    next.directory.dropScope("s:h1");
    assert.deepEqual(kept([...first.published, ...next.published]), []);
    assert.equal(next.ceiling.total(), 0);
  });

  test("a drained queue gives its bytes back at the flush", async () => {
    const { ceiling, directory, mgr } = setUp(1 << 20);
    const q = mgr.lookupOrCreate<Queue>("", "q", QUEUE_TYPE.name, () => new FifoQueue(-1, [F], [[100]], "q"));
    q.adopt([[floats(100)], [floats(100)]], false);
    mgr.lookup("", "q", QUEUE_TYPE.name);
    directory.flush(true);
    assert.equal(ceiling.total(), 800);
    await q.dequeue();
    await q.dequeue();
    mgr.lookup("", "q", QUEUE_TYPE.name);
    directory.flush(true);
    assert.equal(ceiling.total(), 0);
  });

  test("a TensorList kept in a variable counts the tensors it holds, strings by their bytes", () => {
    const { ceiling, directory, mgr } = setUp(1 << 20);
    const text = new Tensor(DataType.DT_STRING, [2], [new Uint8Array(5000), new Uint8Array(3000)]);
    const list = new TensorList(F, undefined, [floats(1000), floats(500), text], -1);
    assign(mgr, "l", new Tensor(DataType.DT_VARIANT, [], [list]));
    directory.flush(true);
    // 4000 + 2000 + 8000 bytes of elements, 8 a slot and 8 the variant itself.
    assert.equal(ceiling.total(), 14000 + 3 * 8 + 8);
  });

  test("an iterator pass's buffers count with it: growth is charged, what it lets go is given back", () => {
    const { ceiling, directory, mgr, published } = setUp(10_000);
    const it = mgr.lookupOrCreate("", "it", ITERATOR_RESOURCE.name, () => new IteratorResource([F], [[]]));
    const held = new HeldBytes();
    it.pass = { id: "p1", pipeline: undefined, produced: 0, held };
    directory.flush(true);
    const buffer = new Holding();
    const ictx = { step: undefined as never, held };
    buffer.change(ictx, [floats(1000)], 1);
    it.pass.produced = 1;
    mgr.lookup("", "it", ITERATOR_RESOURCE.name);
    directory.flush(true);
    assert.equal(ceiling.total(), 4000);
    assert.deepEqual(kept(published)[0]?.held, 4000);
    // Past the ceiling: counted (a buffer cannot be taken back) and the step is told.
    buffer.change(ictx, [floats(2000)], 1);
    it.pass.produced = 2;
    mgr.lookup("", "it", ITERATOR_RESOURCE.name);
    assert.throws(
      () => directory.flush(true),
      (e: unknown) =>
        isTfError(e) &&
        tfCodeName(e.code) === "RESOURCE_EXHAUSTED" &&
        /memory ceiling of 10000 bytes \(--max-memory-bytes\)/.test(e.message) &&
        /cannot be taken back/.test(e.message),
    );
    assert.equal(ceiling.total(), 12000);
    buffer.change(ictx, [floats(2000)], -1);
    it.pass.produced = 3;
    mgr.lookup("", "it", ITERATOR_RESOURCE.name);
    directory.flush(true);
    assert.equal(ceiling.total(), 4000);
    // A replacement thread starts the pass over: what the old one held is given back.
    const next = setUp(10_000, kept(published));
    next.ceiling.add(4000);
    next.directory.flush(true);
    assert.equal(next.ceiling.total(), 0);
    assert.equal(kept([...published, ...next.published])[0]?.held, 0);
    // Deleting frees.
    mgr.cleanup("");
    directory.flush(true);
    assert.equal(ceiling.total(), 0);
  });

  test("a seed generator is kept with its seeds and how far its stream went", () => {
    const first = setUp(1 << 20);
    const gen = first.mgr.lookupOrCreate<SeedGenerator>("", "g", SEED_GENERATOR_RESOURCE.name, () =>
      seedGenerator(7n, 8n, true),
    );
    gen.generateSeeds();
    first.directory.flush(true);
    gen.generateSeeds();
    first.mgr.lookup("", "g", SEED_GENERATOR_RESOURCE.name);
    first.directory.flush(true);
    const twin = seedGenerator(7n, 8n, true);
    twin.generateSeeds();
    twin.generateSeeds();
    const next = setUp(1 << 20, kept(first.published));
    const back = next.mgr.lookup<SeedGenerator>("localhost", "g", SEED_GENERATOR_RESOURCE.name);
    assert.ok(isSeedGenerator(back));
    assert.deepEqual(back.generateSeeds(), twin.generateSeeds());
    // A draw alone (no lookup in the step) is recorded: the restored generator reports its draws.
    assert.ok(next.directory !== undefined);
    next.directory.flush(true);
    assert.deepEqual(
      kept([...first.published, ...next.published]).map((r) => r.state),
      [{ kind: "seedGenerator", generator: { reshuffle: true, seed: 7n, seed2: 8n, pairs: 3 } }],
    );
  });
});
