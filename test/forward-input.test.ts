// An element-wise kernel (unary, or binary without broadcasting) writes its result over an input
// when nothing else reads that input (TF's forward_input; docs/architecture.md, "Tensor bytes"): a
// feed the master made for the step, or another such kernel's fresh output, read by this one node. Through worker threads and
// in-thread: the result, what else the step returns, and memory nobody gave away stay exactly as
// without forwarding.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import {
  CreateSessionRequestSchema,
  type RunStepRequest,
  RunStepRequestSchema,
  type RunStepResponse,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorProto } from "./support/graphs.js";

/** 64 Ki float32 (256 KiB): large enough for shared memory, so the feed can be adopted. */
const n = 64 * 1024;
const values = Array.from({ length: n }, (_, i) => ((i * 37) % 1001) - 500.25);
const F = attr.type(DataType.DT_FLOAT);

const placeholder = node("x", "Placeholder", { attrs: { dtype: F, shape: attr.shape([n]) } });
const unary = (name: string, op: string, input: string) =>
  node(name, op, { inputs: [input], attrs: { T: F } });

/** The request as a transport hands it over: decoded from its wire bytes in shared memory or not. */
function wireRequest(req: RunStepRequest, shared: boolean): { req: RunStepRequest; content: Uint8Array } {
  const bytes = toBinary(RunStepRequestSchema, req);
  // Placed so that the first feed's bytes start 8-aligned, as the transports place a large body.
  const at = fromBinary(RunStepRequestSchema, bytes).feed[0]?.tensor?.tensorContent.byteOffset ?? 0;
  const offset = (8 - (at % 8)) % 8;
  const memory = shared ? new SharedArrayBuffer(bytes.length + 8) : new ArrayBuffer(bytes.length + 8);
  const view = new Uint8Array(memory, offset, bytes.length);
  view.set(bytes);
  const decoded = fromBinary(RunStepRequestSchema, view);
  return { req: decoded, content: decoded.feed[0]!.tensor!.tensorContent };
}

function floats(res: RunStepResponse, i: number): Float32Array {
  const c = res.tensor[i]!.tensor!.tensorContent;
  return new Float32Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength));
}

function assertValues(got: Float32Array, sign: 1 | -1, what: string): void {
  assert.equal(got.length, n, what);
  for (let i = 0; i < n; i++) {
    if (got[i] !== sign * Math.fround(values[i]!)) assert.fail(`${what}: element ${i} is ${got[i]}`);
  }
}

/** True when writing through `a` shows through `b`; restores `a`. */
function sameMemory(a: Uint8Array, b: Uint8Array): boolean {
  const before = a[0]!;
  a[0] = before ^ 0xff;
  const shared = b[0] === a[0];
  a[0] = before;
  return shared;
}

for (const workerThreads of [true, false]) {
  describe(`forwarding an input nothing else reads (worker threads: ${workerThreads})`, () => {
    let m: Master;
    before(() => {
      m = createMaster({ workerThreads, cpuDevices: 1 });
    });
    after(async () => {
      await m.close();
    });

    async function run(nodes: NodeDef[], fetch: string[], shared: boolean, feed = true) {
      const { sessionHandle } = await m.createSession(
        create(CreateSessionRequestSchema, { graphDef: graph(...nodes) }),
      );
      const request = create(RunStepRequestSchema, {
        sessionHandle,
        feed: feed ? [{ name: "x:0", tensor: tensorProto(DataType.DT_FLOAT, [n], values) }] : [],
        fetch,
      });
      const wire = wireRequest(request, shared);
      const original = Uint8Array.from(wire.content);
      return { res: await m.runStep(wire.req), content: wire.content, original, sessionHandle };
    }

    test("a feed in shared memory goes through Neg, then Neg again, in place: the fetch is the request's memory", async () => {
      const { res, content } = await run(
        [placeholder, unary("y", "Neg", "x"), unary("z", "Neg", "y")],
        ["z:0"],
        true,
      );
      assertValues(floats(res, 0), 1, "z = -(-x)");
      assert.ok(sameMemory(content, res.tensor[0]!.tensor!.tensorContent), "no allocation for y or z");
    });

    test("a feed copied from ordinary memory is the step's own: the copy is reused, the request left alone", async () => {
      const { res, content, original } = await run([placeholder, unary("y", "Neg", "x")], ["y:0"], false);
      assertValues(floats(res, 0), -1, "y = -x");
      assert.deepEqual(content, original);
      assert.ok(!sameMemory(content, res.tensor[0]!.tensor!.tensorContent));
    });

    test("a value with a second reader is never written: fetched too, or read by another node", async () => {
      const twoReaders = await run(
        [placeholder, unary("y", "Neg", "x"), unary("w", "Identity", "x")],
        ["y:0", "w:0"],
        true,
      );
      assertValues(floats(twoReaders.res, 0), -1, "y");
      assertValues(floats(twoReaders.res, 1), 1, "w = x, not overwritten by Neg");
      assert.deepEqual(twoReaders.content, twoReaders.original);

      const fetchedAndRead = await run(
        [placeholder, unary("y", "Neg", "x"), unary("z", "Neg", "y")],
        ["y:0", "z:0"],
        true,
      );
      assertValues(floats(fetchedAndRead.res, 0), -1, "y, fetched while z reads it");
      assertValues(floats(fetchedAndRead.res, 1), 1, "z");
    });

    test("binary ops: an owned same-shape input takes the result; a constant operand and a broadcast stay apart", async () => {
      const c = constNode("c", DataType.DT_FLOAT, [n], values);
      const one = constNode("one", DataType.DT_FLOAT, [], [1]);
      const binary = (name: string, op: string, a: string, b: string) =>
        node(name, op, { inputs: [a, b], attrs: { T: F } });
      const nodes = [
        placeholder,
        c,
        one,
        unary("y", "Neg", "x"),
        // y is owned and read once: Add writes over it; c is a constant, never written.
        binary("s", "Add", "c", "y"),
        // s is owned: Mul writes over it; a broadcast scalar does not stop that.
        binary("p", "Mul", "s", "one"),
        binary("q", "Sub", "c", "one"),
      ];
      for (let step = 0; step < 2; step++) {
        const { res, content } = await run(nodes, ["p:0", "q:0"], true);
        const p = floats(res, 0);
        const q = floats(res, 1);
        for (let i = 0; i < n; i++) {
          const v = Math.fround(values[i]!);
          if (p[i] !== 0 || q[i] !== Math.fround(v - 1))
            assert.fail(`step ${step}, element ${i}: ${p[i]}, ${q[i]}`);
        }
        // Mul broadcasts its scalar, so it allocated p; s (over y, over x) was still written in place.
        assert.ok(!sameMemory(content, res.tensor[0]!.tensor!.tensorContent));
      }
    });

    test("a value read twice by one binary node is not written: x + x", async () => {
      const { res, content, original } = await run(
        [placeholder, node("d", "Add", { inputs: ["x", "x"], attrs: { T: F } })],
        ["d:0"],
        true,
      );
      const d = floats(res, 0);
      for (let i = 0; i < n; i++) {
        if (d[i] !== Math.fround(2 * Math.fround(values[i]!))) assert.fail(`element ${i}: ${d[i]}`);
      }
      assert.deepEqual(content, original);
    });

    test("constants and variables keep their values step after step", async () => {
      const c = constNode("c", DataType.DT_FLOAT, [n], values);
      const nodes = [
        c,
        unary("nc", "Neg", "c"),
        node("v", "VariableV2", { attrs: { dtype: F, shape: attr.shape([n]) } }),
        node("init", "Assign", { inputs: ["v", "c"], attrs: { T: F } }),
        unary("rv", "Identity", "v"),
        unary("nv", "Neg", "rv"),
      ];
      const { sessionHandle } = await m.createSession(
        create(CreateSessionRequestSchema, { graphDef: graph(...nodes) }),
      );
      await m.runStep(create(RunStepRequestSchema, { sessionHandle, target: ["init"] }));
      for (let step = 0; step < 3; step++) {
        const res = await m.runStep(
          create(RunStepRequestSchema, { sessionHandle, fetch: ["nc:0", "nv:0", "rv:0"] }),
        );
        assertValues(floats(res, 0), -1, `Neg of the constant, step ${step}`);
        assertValues(floats(res, 1), -1, `Neg of the variable, step ${step}`);
        assertValues(floats(res, 2), 1, `the variable, step ${step}`);
      }
    });
  });
}
