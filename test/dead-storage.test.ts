// A value that one node alone reads is dead once that node has run, when its kernel keeps no
// input (OpKernel.keepsNoInput): the executor then gives the value's storage back to the thread's
// pool, and the next tensor of its size takes memory already faulted in (docs/architecture.md,
// "Tensor bytes"). What must hold: values stay exact step after step whatever memory is taken
// again, and nothing that something else can still read goes back: a value with a second reader, an
// output that is the input's own storage, a feed's memory lent by the transport, a variable's value.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
  type RunStepResponse,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import type { NamedTensorProtoSchema } from "../gen/tensorflow/core/protobuf/named_tensor_pb.js";
import { allocData, recycleStorage, tensorStoragePool } from "../server/engine/framework/tensor.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorProto } from "./support/graphs.js";

const F = attr.type(DataType.DT_FLOAT);
/** 256 × 256 float32: 256 KiB, in shared memory, and a MatMul large enough for onnxruntime. */
const side = 256;
const n = side * side;
const bytes = n * 4;

const dims = constNode("dims", DataType.DT_INT32, [2], [side, side]);
const scalar = (name: string) => node(name, "Placeholder", { attrs: { dtype: F, shape: attr.shape([]) } });
const fill = (name: string, value: string) =>
  node(name, "Fill", { inputs: ["dims", value], attrs: { T: F } });
const binary = (name: string, op: string, x: string, y: string) =>
  node(name, op, { inputs: [x, y], attrs: { T: F } });
const unary = (name: string, op: string, x: string) => node(name, op, { inputs: [x], attrs: { T: F } });
const corner = [
  constNode("begin", DataType.DT_INT32, [2], [0, 0]),
  constNode("size", DataType.DT_INT32, [2], [1, 1]),
  node("corner", "Slice", {
    inputs: ["mm", "begin", "size"],
    attrs: { T: F, Index: attr.type(DataType.DT_INT32) },
  }),
];

/** v · v, v = Fill(x) read by both of the MatMul's inputs, and the product's corner. */
const vTimesV = [dims, scalar("x"), fill("v", "x"), binary("mm", "MatMul", "v", "v"), ...corner];

const feedScalar = (name: string, v: number) => ({
  name: `${name}:0`,
  tensor: tensorProto(DataType.DT_FLOAT, [], [v]),
});

/** Empties this thread's pool (the in-thread device's): every tensor here is `bytes` long. */
function drainPool(): void {
  while (tensorStoragePool.reuse(bytes) !== undefined);
  assert.equal(tensorStoragePool.heldBytes, 0);
}

function floats(res: RunStepResponse, i: number): Float32Array {
  const c = res.tensor[i]!.tensor!.tensorContent;
  return new Float32Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength));
}

function assertAll(got: Float32Array, want: number, what: string): void {
  assert.ok(got.length > 0, what);
  for (let i = 0; i < got.length; i++)
    if (got[i] !== want) assert.fail(`${what}: element ${i} is ${got[i]}, not ${want}`);
}

function describeWith(workerThreads: boolean, body: (m: () => Master) => void): void {
  describe(`dead values' storage (worker threads: ${workerThreads})`, () => {
    let m: Master;
    before(() => {
      m = createMaster({ workerThreads, cpuDevices: 1 });
    });
    after(async () => {
      await m.close();
    });
    body(() => m);
  });
}

interface StepInit {
  readonly feed?: MessageInitShape<typeof NamedTensorProtoSchema>[];
  readonly fetch?: string[];
  readonly target?: string[];
}

async function session(m: Master, nodes: NodeDef[]): Promise<(req: StepInit) => Promise<RunStepResponse>> {
  const { sessionHandle } = await m.createSession(
    create(CreateSessionRequestSchema, { graphDef: graph(...nodes) }),
  );
  return (req) => m.runStep(create(RunStepRequestSchema, { ...req, sessionHandle }));
}

test("recycleStorage takes only whole buffers this thread's allocator made", () => {
  drainPool();
  const made = allocData(DataType.DT_FLOAT, n) as Float32Array;
  assert.ok(made.buffer instanceof SharedArrayBuffer);
  assert.equal(recycleStorage(made.subarray(1)), false, "a view of part of it");
  assert.equal(
    recycleStorage(new Float32Array(new SharedArrayBuffer(bytes))),
    false,
    "memory made elsewhere",
  );
  assert.equal(recycleStorage(new Float32Array(n)), false, "ordinary memory");
  assert.equal(tensorStoragePool.heldBytes, 0);
  assert.equal(recycleStorage(made), true);
  assert.equal(tensorStoragePool.heldBytes, bytes);
  const again = allocData(DataType.DT_FLOAT, n) as Float32Array;
  assert.equal(again.buffer, made.buffer, "the next allocation of its size takes it");
  assert.equal(
    again.every((x) => x === 0),
    true,
    "zeroed",
  );
});

for (const workerThreads of [false, true]) {
  describeWith(workerThreads, (master) => {
    test("memory a dead value gave back is taken again within the step and the next: values stay exact", async () => {
      // f dies at a (a broadcast Add writes a fresh result); g, of f's size, may take f's memory;
      // out = a + g then writes over a (forwarded). Fetched: out only.
      const run = await session(master(), [
        dims,
        scalar("v"),
        scalar("w"),
        constNode("one", DataType.DT_FLOAT, [], [1]),
        fill("f", "v"),
        binary("a", "AddV2", "f", "one"),
        fill("g", "w"),
        binary("out", "AddV2", "a", "g"),
      ]);
      for (let step = 0; step < 6; step++) {
        const res = await run({
          feed: [feedScalar("v", step), feedScalar("w", 100 * step)],
          fetch: ["out:0"],
        });
        assertAll(floats(res, 0), step + 1 + 100 * step, `step ${step}`);
      }
    });

    test("a MatMul's operand and product, each read by one node, come back; the corner stays exact", async () => {
      // v · v where every element of v is x: each element of the product is side · x².
      const run = await session(master(), vTimesV);
      for (let step = 1; step <= 5; step++) {
        const res = await run({ feed: [feedScalar("x", step / 2)], fetch: ["corner:0"] });
        assertAll(floats(res, 0), side * (step / 2) ** 2, `step ${step}`);
      }
    });

    if (workerThreads) return;

    test("in the thread's pool: a product read by one node comes back, an operand read twice does not", async () => {
      // v feeds both of the MatMul's inputs: two readers. The product is read by the Slice alone.
      const run = await session(master(), vTimesV);
      drainPool();
      await run({ feed: [feedScalar("x", 1)], fetch: ["corner:0"] });
      assert.equal(tensorStoragePool.heldBytes, bytes, "the product, once the Slice has run");
      await run({ feed: [feedScalar("x", 2)], fetch: ["corner:0"] });
      assert.equal(tensorStoragePool.heldBytes, bytes, "taken by Fill or the product, and given back again");
    });

    test("kept: a value with a second reader, an output over its own input, a variable's value", async () => {
      const held = () => tensorStoragePool.heldBytes;
      // f is read by a and fetched: two readers.
      const twoReaders = await session(master(), [
        dims,
        scalar("v"),
        constNode("one", DataType.DT_FLOAT, [], [1]),
        fill("f", "v"),
        binary("a", "AddV2", "f", "one"),
      ]);
      drainPool();
      let res = await twoReaders({ feed: [feedScalar("v", 3)], fetch: ["f:0", "a:0"] });
      assert.equal(held(), 0, "f has a second reader");
      assertAll(floats(res, 0), 3, "f");
      assertAll(floats(res, 1), 4, "a");

      // Neg writes over f (forwarded): its output is f's storage, which goes on to be fetched.
      const inPlace = await session(master(), [dims, scalar("v"), fill("f", "v"), unary("y", "Neg", "f")]);
      drainPool();
      res = await inPlace({ feed: [feedScalar("v", 5)], fetch: ["y:0"] });
      assert.equal(held(), 0, "Neg's result is f's memory");
      assertAll(floats(res, 0), -5, "y");

      // Assign keeps its value input: the variable's value must survive steps that allocate its size.
      const variable = await session(master(), [
        dims,
        scalar("v"),
        fill("f", "v"),
        node("var", "VariableV2", { attrs: { dtype: F, shape: attr.shape([side, side]) } }),
        node("assign", "Assign", { inputs: ["var", "f"], attrs: { T: F } }),
        constNode("one", DataType.DT_FLOAT, [], [1]),
        fill("g", "v"),
        binary("b", "AddV2", "g", "one"),
        binary("c", "AddV2", "b", "var"),
      ]);
      await variable({ feed: [feedScalar("v", 7)], target: ["assign"] });
      for (let step = 0; step < 3; step++) {
        res = await variable({ feed: [feedScalar("v", step)], fetch: ["c:0"] });
        assertAll(floats(res, 0), step + 1 + 7, `c at step ${step}`);
      }
    });

    test("a feed's memory, lent by the transport and forwarded through Neg, is not taken into the pool", async () => {
      const x = node("x", "Placeholder", { attrs: { dtype: F, shape: attr.shape([n]) } });
      const run = await session(master(), [
        x,
        unary("y", "Neg", "x"),
        constNode("one", DataType.DT_FLOAT, [], [1]),
        binary("z", "AddV2", "y", "one"),
      ]);
      const values = Array.from({ length: n }, (_, i) => (i % 97) - 48);
      const request = create(RunStepRequestSchema, {
        feed: [{ name: "x:0", tensor: tensorProto(DataType.DT_FLOAT, [n], values) }],
        fetch: ["z:0"],
      });
      // The body in shared memory, its feed 8-aligned: adopted without a copy, as the transports lend it.
      const wire = toBinary(RunStepRequestSchema, request);
      const at = fromBinary(RunStepRequestSchema, wire).feed[0]!.tensor!.tensorContent.byteOffset;
      const offset = (8 - (at % 8)) % 8;
      const body = new Uint8Array(new SharedArrayBuffer(wire.length + offset), offset, wire.length);
      body.set(wire);
      drainPool();
      const lent = fromBinary(RunStepRequestSchema, body);
      const res = await run({ feed: lent.feed, fetch: lent.fetch });
      assert.equal(tensorStoragePool.heldBytes, 0, "y is the request's memory");
      const z = floats(res, 0);
      for (let i = 0; i < n; i++) if (z[i] !== -values[i]! + 1) assert.fail(`z[${i}] is ${z[i]}`);
    });
  });
}
