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
import type { DurablePipeline } from "../kernels/util/dataset-recipe.js";
import { ITERATOR_RESOURCE, IteratorResource } from "../kernels/util/iterator-resource.js";
import { FifoQueue, QUEUE_TYPE, type Queue } from "../kernels/util/queue-base.js";
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
    it.pass = { pipeline, produced: 0 };
    directory.flush(true);
    assert.equal(published.length, 1);
    assert.ok(ceiling.total() >= 4000, `${ceiling.total()}`);
    for (const n of [1, 2, 3]) {
      it.pass.produced = n;
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
    it.pass = { pipeline, produced: 0 };
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
});
