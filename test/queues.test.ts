// TF1 queues across steps (core/kernels/queue_base.cc semantics): a dequeue waits for an enqueue
// that another RunStep makes, a full queue holds an enqueue back, and a waiting op ends with the
// RunOptions timeout, with the queue's Close, with its session's Close, or with Reset. All steps
// here run on one CPU device, so they share one worker thread: the waits must interleave there.
// Values and TF's errors for single steps are in server/engine/kernels/queues-fixtures.test.ts.

import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import {
  type AttrValue,
  AttrValue_ListValueSchema,
  AttrValueSchema,
} from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { TensorShapeProtoSchema } from "../gen/tensorflow/core/framework/tensor_shape_pb.js";
import {
  CloseSessionRequestSchema,
  CreateSessionRequestSchema,
  ResetRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { DataType, graph, node, tensorProto, tensorValues } from "./support/graphs.js";

const F = DataType.DT_FLOAT;

const listAttr = (types: DataType[], shapes: number[][]): { types: AttrValue; shapes: AttrValue } => ({
  types: create(AttrValueSchema, {
    value: { case: "list", value: create(AttrValue_ListValueSchema, { type: types }) },
  }),
  shapes: create(AttrValueSchema, {
    value: {
      case: "list",
      value: create(AttrValue_ListValueSchema, {
        shape: shapes.map((s) =>
          create(TensorShapeProtoSchema, { dim: s.map((d) => ({ size: BigInt(d) })) }),
        ),
      }),
    },
  }),
});

/** A float queue of scalars with enqueue (of x), dequeue, close (both kinds) and size nodes. */
function queueGraph(capacity: number, sharedName: string) {
  const l = listAttr([F], [[]]);
  const handle = { inputs: ["q"] };
  return graph(
    node("q", "FIFOQueueV2", {
      attrs: {
        component_types: l.types,
        shapes: l.shapes,
        capacity: attr.int(capacity),
        shared_name: attr.string(sharedName),
      },
    }),
    node("x", "Placeholder", { attrs: { dtype: attr.type(F) } }),
    node("enqueue", "QueueEnqueueV2", { inputs: ["q", "x"], attrs: { Tcomponents: l.types } }),
    node("dequeue", "QueueDequeueV2", { ...handle, attrs: { component_types: l.types } }),
    node("close", "QueueCloseV2", handle),
    node("cancel", "QueueCloseV2", { ...handle, attrs: { cancel_pending_enqueues: attr.bool(true) } }),
    node("size", "QueueSizeV2", handle),
  );
}

/** One master for every test (starting its worker thread is the slow part); Reset between tests. */
let master: Master | undefined;
async function withMaster(f: (m: Master) => Promise<void>) {
  master ??= createMaster({ cpuDevices: 1 });
  await master.reset(create(ResetRequestSchema, {}));
  await f(master);
}

const open = (m: Master, capacity = 1, sharedName = "q") =>
  m
    .createSession(create(CreateSessionRequestSchema, { graphDef: queueGraph(capacity, sharedName) }))
    .then((r) => r.sessionHandle);

const enqueue = (m: Master, h: string, x: number) =>
  m.runStep(
    create(RunStepRequestSchema, {
      sessionHandle: h,
      feed: [{ name: "x:0", tensor: tensorProto(F, [], [x]) }],
      target: ["enqueue"],
    }),
  );

const target = (m: Master, h: string, name: string) =>
  m.runStep(create(RunStepRequestSchema, { sessionHandle: h, target: [name] }));

async function fetch(m: Master, h: string, name: string, timeoutInMs = 0n): Promise<number> {
  const r = await m.runStep(
    create(RunStepRequestSchema, { sessionHandle: h, fetch: [`${name}:0`], options: { timeoutInMs } }),
  );
  return Number(tensorValues(r.tensor[0]?.tensor)[0]);
}

/** Settles to "pending" when p has not settled within ms. */
function stateAfter(p: Promise<unknown>, ms: number): Promise<string> {
  return Promise.race([
    p.then(
      () => "fulfilled",
      () => "rejected",
    ),
    new Promise<string>((r) => setTimeout(() => r("pending"), ms)),
  ]);
}

function rejectsWith(code: string, fragment: string) {
  return (e: unknown) => {
    assert.ok(isTfError(e), `not a TfError: ${String(e)}`);
    assert.equal(tfCodeName(e.code), code, e.message);
    assert.ok(e.message.includes(fragment), `${JSON.stringify(e.message)} lacks ${JSON.stringify(fragment)}`);
    return true;
  };
}

describe("queues across concurrent RunSteps", () => {
  after(() => master?.close());
  test("a dequeue waits for the enqueue another step makes", () =>
    withMaster(async (m) => {
      const h = await open(m);
      const waiting = fetch(m, h, "dequeue");
      assert.equal(await stateAfter(waiting, 150), "pending");
      await enqueue(m, h, 3.5);
      assert.equal(await waiting, 3.5);
    }));

  test("a full queue holds an enqueue back until a dequeue makes room", () =>
    withMaster(async (m) => {
      const h = await open(m, 1);
      await enqueue(m, h, 1);
      const blocked = enqueue(m, h, 2);
      assert.equal(await stateAfter(blocked, 150), "pending");
      assert.equal(await fetch(m, h, "dequeue"), 1);
      await blocked;
      assert.equal(await fetch(m, h, "dequeue"), 2);
    }));

  test("waiting dequeues are served in order, from other sessions too", () =>
    withMaster(async (m) => {
      const a = await open(m, 5);
      const b = await open(m, 5);
      const first = fetch(m, a, "dequeue");
      await stateAfter(first, 50);
      const second = fetch(m, b, "dequeue");
      await stateAfter(second, 50);
      await enqueue(m, b, 10);
      await enqueue(m, a, 20);
      assert.deepEqual(await Promise.all([first, second]), [10, 20]);
    }));

  test("a waiting dequeue ends with the step's timeout; the queue stays usable", () =>
    withMaster(async (m) => {
      const h = await open(m);
      const t0 = Date.now();
      await assert.rejects(fetch(m, h, "dequeue", 150n), rejectsWith("DEADLINE_EXCEEDED", ""));
      assert.ok(Date.now() - t0 < 3000);
      await enqueue(m, h, 7);
      assert.equal(await fetch(m, h, "size"), 1);
      assert.equal(await fetch(m, h, "dequeue"), 7);
    }));

  test("Close ends a waiting dequeue with OUT_OF_RANGE", () =>
    withMaster(async (m) => {
      const h = await open(m);
      const waiting = fetch(m, h, "dequeue");
      await stateAfter(waiting, 100);
      await target(m, h, "close");
      await assert.rejects(
        waiting,
        rejectsWith(
          "OUT_OF_RANGE",
          "FIFOQueue 'q' is closed and has insufficient elements (requested 1, current size 0)",
        ),
      );
    }));

  test("Close(cancel_pending_enqueues) fails a blocked enqueue; a plain Close waits behind it", () =>
    withMaster(async (m) => {
      const h = await open(m, 1);
      await enqueue(m, h, 1);
      const blocked = enqueue(m, h, 2);
      const close = target(m, h, "close");
      assert.equal(await stateAfter(close, 150), "pending", "a plain close waits for the pending enqueue");
      const blockedFails = assert.rejects(
        blocked,
        rejectsWith("CANCELLED", "Enqueue operation was cancelled"),
      );
      // The plain close was waiting among the enqueues: it is cancelled with them, as in TF.
      const closeFails = assert.rejects(close, rejectsWith("CANCELLED", "Enqueue operation was cancelled"));
      await target(m, h, "cancel");
      await Promise.all([blockedFails, closeFails]);
      assert.equal(await fetch(m, h, "dequeue"), 1);
    }));

  test("closing the session ends its waiting steps", () =>
    withMaster(async (m) => {
      const h = await open(m);
      const waiting = fetch(m, h, "dequeue");
      await stateAfter(waiting, 100);
      await m.closeSession(create(CloseSessionRequestSchema, { sessionHandle: h }));
      assert.equal(await stateAfter(waiting, 2000), "rejected");
      // Another session still finds the shared queue, and nothing was taken from it.
      const other = await open(m);
      await enqueue(m, other, 4);
      assert.equal(await fetch(m, other, "dequeue"), 4);
    }));

  test("Reset ends waiting steps and drops the queues of the container", () =>
    withMaster(async (m) => {
      const h = await open(m, 5);
      await enqueue(m, h, 1);
      await enqueue(m, h, 2);
      const other = await open(m, 5, "other");
      const waiting = fetch(m, other, "dequeue");
      await stateAfter(waiting, 100);
      await m.reset(create(ResetRequestSchema, {}));
      assert.equal(await stateAfter(waiting, 2000), "rejected");
      const fresh = await open(m, 5);
      assert.equal(await fetch(m, fresh, "size"), 0);
    }));

  test("a private queue (no shared_name) is its session's own, named _<id>_<node> in messages", () =>
    withMaster(async (m) => {
      const a = await open(m, 2, "");
      const b = await open(m, 2, "");
      await enqueue(m, a, 1);
      assert.equal(await fetch(m, a, "size"), 1);
      assert.equal(await fetch(m, b, "size"), 0);
      await target(m, b, "close");
      await assert.rejects(fetch(m, b, "dequeue"), (e: unknown) => {
        assert.ok(isTfError(e));
        assert.match(e.message, /FIFOQueue '_\d+_q' is closed and has insufficient elements/);
        return true;
      });
    }));
});
