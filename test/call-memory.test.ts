// Memory a call lends goes back to a pool only when nothing can still read it
// (engine/master/call-memory.ts): a large request body's to the fast paths' pool (rpc/body-pool.ts)
// when the engine says the step kept none of its feeds (engine/master/feed-lifetime.ts), and a
// fetched tensor's storage to its worker's pool when the step made it and nothing but the fetch read
// it; both only after the answer, which may be a view of either, has been written. Checked here:
// which steps the engine clears, that a value a step kept (a queue's element, a variable) survives
// later bodies written into the same memory, and that an answer still waiting for a slow client is
// overwritten neither by the next call's body nor by the next step's tensors.

import assert from "node:assert/strict";
import http from "node:http";
import http2 from "node:http2";
import { after, before, describe, test } from "node:test";
import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { CallableOptionsSchema } from "../gen/tensorflow/core/protobuf/config_pb.js";
import {
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  MakeCallableRequestSchema,
  PartialRunSetupRequestSchema,
  RunCallableRequestSchema,
  type RunStepRequest,
  RunStepRequestSchema,
  type RunStepResponse,
  RunStepResponseSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { tensorStoragePool } from "../server/engine/framework/tensor.js";
import type { CallMemory } from "../server/engine/master/call-memory.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { requestBodyPool } from "../server/rpc/body-pool.js";
import { attr } from "./support/attr.js";
import { type LoggedServer, startLoggedServer } from "./support/fast-path.js";
import { DataType, graph, node, tensorProto } from "./support/graphs.js";

const F = attr.type(DataType.DT_FLOAT);
const placeholder = (n: number) => node("x", "Placeholder", { attrs: { dtype: F, shape: attr.shape([n]) } });
const neg = node("y", "Neg", { inputs: ["x"], attrs: { T: F } });

/** `n` float32 values that differ for each `seed`. */
function valuesFor(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i * 7919 + seed * 104729) % 4001) - 2000.5);
}

function floats(res: RunStepResponse, i: number): Float32Array {
  const c = res.tensor[i]!.tensor!.tensorContent;
  return new Float32Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength));
}

function assertFloats(got: Float32Array, want: readonly number[], sign: 1 | -1, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== sign * Math.fround(want[i]!)) assert.fail(`${what}: element ${i} is ${got[i]}`);
  }
}

describe("the engine says when a step's feeds are the response's alone", () => {
  const n = 1024;
  let m: Master;
  before(() => {
    m = createMaster({ workerThreads: true, cpuDevices: 2 });
  });
  after(async () => {
    await m.close();
  });

  async function session(...nodes: NodeDef[]): Promise<string> {
    const res = await m.createSession(create(CreateSessionRequestSchema, { graphDef: graph(...nodes) }));
    return res.sessionHandle;
  }

  function step(sessionHandle: string, fetch: string[], target: string[] = []): RunStepRequest {
    return create(RunStepRequestSchema, {
      sessionHandle,
      feed: [{ name: "x:0", tensor: tensorProto(DataType.DT_FLOAT, [n], valuesFor(n, 1)) }],
      fetch,
      target,
    });
  }

  async function reusableAfter(req: RunStepRequest): Promise<boolean> {
    const callMemory: CallMemory = { reusable: false, returnFetches: undefined };
    await m.runStep(req, { callMemory });
    return callMemory.reusable;
  }

  test("stateless ops downstream of the feeds, on one device or across two: reusable", async () => {
    assert.equal(await reusableAfter(step(await session(placeholder(n), neg), ["y:0"])), true);
    const identity = node("z", "Identity", { inputs: ["y"], attrs: { T: F }, device: "/device:CPU:1" });
    assert.equal(await reusableAfter(step(await session(placeholder(n), neg, identity), ["z:0"])), true);
  });

  test("a stateful op only behind a control edge cannot keep the feed: reusable", async () => {
    const v = node("v", "VariableV2", { attrs: { dtype: F, shape: attr.shape([1]) } });
    const one = node("one", "Const", {
      attrs: { dtype: F, value: attr.tensor(tensorProto(DataType.DT_FLOAT, [1], [1])) },
    });
    const assign = node("a", "Assign", { inputs: ["v", "one", "^y"], attrs: { T: F } });
    const handle = await session(placeholder(n), neg, v, one, assign);
    assert.equal(await reusableAfter(step(handle, ["y:0"], ["a"])), true);
  });

  test("a feed that reaches a stateful op (Assign, a queue, a resource variable): not reusable", async () => {
    // Variables live in the master's shared container: a name of its own, not the test above's.
    const v = node("w", "VariableV2", { attrs: { dtype: F, shape: attr.shape([n]) } });
    const assign = node("a", "Assign", { inputs: ["w", "x"], attrs: { T: F } });
    assert.equal(await reusableAfter(step(await session(placeholder(n), v, assign), [], ["a"])), false);

    const q = node("q", "FIFOQueueV2", { attrs: { component_types: attr.typeList([DataType.DT_FLOAT]) } });
    const enqueue = node("e", "QueueEnqueueV2", {
      inputs: ["q", "y"],
      attrs: { Tcomponents: attr.typeList([DataType.DT_FLOAT]) },
    });
    assert.equal(await reusableAfter(step(await session(placeholder(n), neg, q, enqueue), [], ["e"])), false);

    const r = node("r", "VarHandleOp", {
      attrs: { dtype: F, shape: attr.shape([n]), shared_name: attr.string("r") },
    });
    const write = node("w", "AssignVariableOp", { inputs: ["r", "y"], attrs: { dtype: F } });
    assert.equal(await reusableAfter(step(await session(placeholder(n), neg, r, write), [], ["w"])), false);
  });

  test("a failed step, a partial run: not reusable", async () => {
    const reshape = node("s", "Reshape", { inputs: ["x", "shape"], attrs: { T: F } });
    const shape = node("shape", "Const", {
      attrs: {
        dtype: attr.type(DataType.DT_INT32),
        value: attr.tensor(tensorProto(DataType.DT_INT32, [1], [n + 1])),
      },
    });
    const failing = step(await session(placeholder(n), shape, reshape), ["s:0"]);
    const callMemory: CallMemory = { reusable: false, returnFetches: undefined };
    await assert.rejects(m.runStep(failing, { callMemory }));
    assert.equal(callMemory.reusable, false);

    const handle = await session(placeholder(n), neg);
    const { partialRunHandle } = await m.partialRunSetup(
      create(PartialRunSetupRequestSchema, { sessionHandle: handle, feed: ["x:0"], fetch: ["y:0"] }),
    );
    const partial = create(RunStepRequestSchema, { ...step(handle, ["y:0"]), partialRunHandle });
    assert.equal(await reusableAfter(partial), false);
  });

  test("RunCallable clears its request the same way", async () => {
    const handle = await session(placeholder(n), neg);
    const made = await m.makeCallable(
      create(MakeCallableRequestSchema, {
        sessionHandle: handle,
        options: create(CallableOptionsSchema, { feed: ["x:0"], fetch: ["y:0"] }),
      }),
    );
    const callMemory: CallMemory = { reusable: false, returnFetches: undefined };
    const res = await m.runCallable(
      create(RunCallableRequestSchema, {
        sessionHandle: handle,
        handle: made.handle,
        feed: [tensorProto(DataType.DT_FLOAT, [n], valuesFor(n, 2))],
      }),
      { callMemory },
    );
    assert.equal(callMemory.reusable, true);
    assert.equal(res.fetch.length, 1);
  });
});

const dims = (n: number) =>
  node("dims", "Const", {
    attrs: {
      dtype: attr.type(DataType.DT_INT32),
      value: attr.tensor(tensorProto(DataType.DT_INT32, [1], [n])),
    },
  });
const fillValue = node("value", "Placeholder", { attrs: { dtype: F, shape: attr.shape([]) } });
const fill = node("f", "Fill", { inputs: ["dims", "value"], attrs: { T: F } });
const fillFeed = (value: number) => ({
  name: "value:0",
  tensor: tensorProto(DataType.DT_FLOAT, [], [value]),
});

for (const workerThreads of [true, false]) {
  describe(`the engine gives back the storage of fetches nothing else holds (worker threads: ${workerThreads})`, () => {
    const n = 64 * 1024;
    let m: Master;
    before(() => {
      m = createMaster({ workerThreads, cpuDevices: 1 });
    });
    after(async () => {
      await m.close();
    });

    async function returnsAfter(nodes: NodeDef[], req: MessageInitShape<typeof RunStepRequestSchema>) {
      const { sessionHandle } = await m.createSession(
        create(CreateSessionRequestSchema, { graphDef: graph(...nodes) }),
      );
      const callMemory: CallMemory = { reusable: false, returnFetches: undefined };
      const res = await m.runStep(create(RunStepRequestSchema, { ...req, sessionHandle }), { callMemory });
      return { res, returnFetches: callMemory.returnFetches };
    }

    test("a fetch the step made, read by nothing else: given back, and used again", async () => {
      const { res, returnFetches } = await returnsAfter([dims(n), fillValue, fill], {
        feed: [fillFeed(1.5)],
        fetch: ["f:0"],
      });
      assertFloats(floats(res, 0), new Array(n).fill(1.5), 1, "f");
      assert.ok(returnFetches !== undefined);
      if (workerThreads) {
        returnFetches();
        return;
      }
      const held = tensorStoragePool.heldBytes;
      returnFetches();
      assert.equal(tensorStoragePool.heldBytes, held + n * 4, "back in this thread's pool");
      const next = await returnsAfter([dims(n), fillValue, fill], { feed: [fillFeed(2.5)], fetch: ["f:0"] });
      assert.equal(tensorStoragePool.heldBytes, held, "taken by the next Fill");
      assertFloats(floats(next.res, 0), new Array(n).fill(2.5), 1, "the next f");
    });

    test("a fetch read by another node too, a variable's value, a feed's memory: not given back", async () => {
      const twice = node("g", "Identity", { inputs: ["f"], attrs: { T: F } });
      const both = await returnsAfter([dims(n), fillValue, fill, twice], {
        feed: [fillFeed(1)],
        fetch: ["f:0", "g:0"],
      });
      assert.equal(both.returnFetches, undefined);

      const v = node("fv", "VariableV2", { attrs: { dtype: F, shape: attr.shape([n]) } });
      const assign = node("a", "Assign", { inputs: ["fv", "f"], attrs: { T: F } });
      await returnsAfter([dims(n), fillValue, fill, v, assign], { feed: [fillFeed(3)], target: ["a"] });
      const read = await returnsAfter([v], { fetch: ["fv:0"] });
      assert.equal(read.returnFetches, undefined);
      assertFloats(floats(read.res, 0), new Array(n).fill(3), 1, "the variable");

      const fed = await returnsAfter([placeholder(n), neg], {
        feed: [{ name: "x:0", tensor: tensorProto(DataType.DT_FLOAT, [n], valuesFor(n, 4)) }],
        fetch: ["y:0"],
      });
      assert.equal(
        fed.returnFetches,
        undefined,
        "Neg wrote over the feed's memory: the transport's to take back",
      );
    });
  });
}

/** A gRPC frame of `message`. */
function frame(message: Uint8Array): Buffer {
  const f = Buffer.alloc(5 + message.length);
  f.writeUInt32BE(message.length, 1);
  f.set(message, 5);
  return f;
}

/**
 * One gRPC RunStep on `session`. `windowBytes` sets the client's stream window: a small one makes
 * the server's answer wait in its queues until `read` lets the client take it in.
 */
/**
 * One unary gRPC call of `method` with `message`: the answer's message bytes (rejected unless
 * grpc-status is 0), and the stream, which a test may pause to play a slow client.
 */
function grpcCall(
  client: http2.ClientHttp2Session,
  method: string,
  message: Uint8Array,
): { answer: Promise<Buffer>; stream: http2.ClientHttp2Stream } {
  const stream = client.request({
    ":method": "POST",
    ":path": `/tensorflow.MasterService/${method}`,
    "content-type": "application/grpc",
    te: "trailers",
  });
  const answer = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = "";
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("trailers", (t) => {
      status = String(t["grpc-status"]);
    });
    stream.on("error", reject);
    stream.on("end", () => {
      if (status !== "0") return reject(new Error(`grpc-status ${status}`));
      resolve(Buffer.concat(chunks).subarray(5));
    });
  });
  stream.end(frame(message));
  return { answer, stream };
}

/** grpcCall of RunStep, decoded. */
function grpcRunStep(
  client: http2.ClientHttp2Session,
  req: RunStepRequest,
): { answer: Promise<RunStepResponse>; stream: http2.ClientHttp2Stream } {
  const { answer, stream } = grpcCall(client, "RunStep", toBinary(RunStepRequestSchema, req));
  return { answer: answer.then((body) => fromBinary(RunStepResponseSchema, body)), stream };
}

describe("large bodies in pooled memory, over the gRPC fast path", () => {
  /** 1.25 Mi float32: a 5 MiB body, past the 1 MiB at which bodies go to shared memory. */
  const n = 1.25 * 1024 * 1024;
  let server: LoggedServer;
  let client: http2.ClientHttp2Session;
  const given: number[] = [];
  const give = requestBodyPool.give.bind(requestBodyPool);

  before(async () => {
    server = await startLoggedServer({ master: { workerThreads: true, cpuDevices: 1 } });
    client = http2.connect(server.origin);
    requestBodyPool.give = (buffer: SharedArrayBuffer) => {
      given.push(buffer.byteLength);
      give(buffer);
    };
  });
  after(async () => {
    requestBodyPool.give = give;
    client.close();
    await server.app.close();
  });

  /** That `count` bodies went back: the last may go a moment after the client read its answer. */
  async function assertGiven(count: number): Promise<void> {
    for (let i = 0; i < 50 && given.length < count; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(given.length, count);
  }

  async function session(...nodes: NodeDef[]): Promise<string> {
    const request = create(CreateSessionRequestSchema, { graphDef: graph(...nodes) });
    const body = await grpcCall(client, "CreateSession", toBinary(CreateSessionRequestSchema, request))
      .answer;
    return fromBinary(CreateSessionResponseSchema, body).sessionHandle;
  }

  const feed = (sessionHandle: string, seed: number, fetch: string[], target: string[] = []) =>
    create(RunStepRequestSchema, {
      sessionHandle,
      feed: [{ name: "x:0", tensor: tensorProto(DataType.DT_FLOAT, [n], valuesFor(n, seed)) }],
      fetch,
      target,
    });

  test("bodies of one size through Neg: each answer right, the memory given back after each", async () => {
    const handle = await session(placeholder(n), neg);
    given.length = 0;
    for (let seed = 0; seed < 4; seed++) {
      const res = await grpcRunStep(client, feed(handle, seed, ["y:0"])).answer;
      assertFloats(floats(res, 0), valuesFor(n, seed), -1, `step ${seed}`);
    }
    await assertGiven(4);
  });

  test("Connect binary bodies (the web fast path) go back too, answers right", async () => {
    const handle = await session(placeholder(n), neg);
    given.length = 0;
    for (let seed = 30; seed < 33; seed++) {
      const stream = client.request({
        ":method": "POST",
        ":path": "/tensorflow.MasterService/RunStep",
        "content-type": "application/proto",
      });
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.end(Buffer.from(toBinary(RunStepRequestSchema, feed(handle, seed, ["y:0"]))));
      await new Promise((resolve) => stream.on("end", resolve));
      const res = fromBinary(RunStepResponseSchema, Buffer.concat(chunks));
      assertFloats(floats(res, 0), valuesFor(n, seed), -1, `step ${seed}`);
    }
    await assertGiven(3);
  });

  test("Connect binary over HTTP/1.1, with and without Content-Length: given back too, answers right", async () => {
    const handle = await session(placeholder(n), neg);
    given.length = 0;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let seed = 40; seed < 44; seed++) {
        const body = Buffer.from(toBinary(RunStepRequestSchema, feed(handle, seed, ["y:0"])));
        const chunked = seed % 2 === 1;
        const answer = await new Promise<Buffer>((resolve, reject) => {
          const req = http.request(`${server.origin}/tensorflow.MasterService/RunStep`, {
            method: "POST",
            agent,
            headers: {
              "content-type": "application/proto",
              ...(chunked ? {} : { "content-length": String(body.length) }),
            },
          });
          req.on("response", (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve(Buffer.concat(chunks)));
          });
          req.on("error", reject);
          req.end(body);
        });
        assertFloats(
          floats(fromBinary(RunStepResponseSchema, answer), 0),
          valuesFor(n, seed),
          -1,
          `step ${seed}`,
        );
      }
    } finally {
      agent.destroy();
    }
    await assertGiven(4);
  });

  test("a value a step kept (a queue's element) survives later bodies of the same size", async () => {
    const types = attr.typeList([DataType.DT_FLOAT]);
    const q = node("q", "FIFOQueueV2", { attrs: { component_types: types } });
    const enqueue = node("e", "QueueEnqueueV2", { inputs: ["q", "x"], attrs: { Tcomponents: types } });
    const dequeue = node("d", "QueueDequeueV2", { inputs: ["q"], attrs: { component_types: types } });
    const handle = await session(placeholder(n), neg, q, enqueue, dequeue);
    given.length = 0;
    await grpcRunStep(client, feed(handle, 10, [], ["e"])).answer;
    for (let seed = 11; seed < 14; seed++) {
      const res = await grpcRunStep(client, feed(handle, seed, ["y:0"])).answer;
      assertFloats(floats(res, 0), valuesFor(n, seed), -1, `step ${seed}`);
    }
    const res = await grpcRunStep(
      client,
      create(RunStepRequestSchema, { sessionHandle: handle, fetch: ["d:0"] }),
    ).answer;
    assertFloats(floats(res, 0), valuesFor(n, 10), 1, "the queued feed");
    assert.ok(given.length <= 3, `the enqueueing step's body was not given back (${given.length} given)`);
  });

  test("an answer waiting for a slow client is not overwritten by the next bodies", async () => {
    const handle = await session(placeholder(n), neg);
    // The slow client's stream window is 64 KiB: the server can send only that much of the 5 MiB
    // answer until the client reads, so the answer's bytes sit in the server's queues meanwhile.
    const slow = http2.connect(server.origin, { settings: { initialWindowSize: 65535 } });
    try {
      const waiting = grpcRunStep(slow, feed(handle, 20, ["y:0"]));
      waiting.stream.pause();
      await new Promise((r) => setTimeout(r, 200));
      for (let seed = 21; seed < 24; seed++) {
        const res = await grpcRunStep(client, feed(handle, seed, ["y:0"])).answer;
        assertFloats(floats(res, 0), valuesFor(n, seed), -1, `step ${seed}`);
      }
      waiting.stream.resume();
      assertFloats(floats(await waiting.answer, 0), valuesFor(n, 20), -1, "the slow client's answer");
    } finally {
      slow.close();
    }
  });
  test("a fetched tensor's storage, given back, does not overwrite an answer still waiting for a slow client", async () => {
    const handle = await session(dims(n), fillValue, fill);
    const step = (value: number) =>
      create(RunStepRequestSchema, { sessionHandle: handle, feed: [fillFeed(value)], fetch: ["f:0"] });
    for (let i = 0; i < 3; i++) {
      const res = await grpcRunStep(client, step(i)).answer;
      assertFloats(floats(res, 0), new Array(n).fill(i), 1, `Fill ${i}`);
    }
    const slow = http2.connect(server.origin, { settings: { initialWindowSize: 65535 } });
    try {
      const waiting = grpcRunStep(slow, step(1.5));
      waiting.stream.pause();
      await new Promise((r) => setTimeout(r, 200));
      for (let i = 0; i < 3; i++) {
        const res = await grpcRunStep(client, step(10 + i)).answer;
        assertFloats(floats(res, 0), new Array(n).fill(10 + i), 1, `Fill ${10 + i}`);
      }
      waiting.stream.resume();
      assertFloats(floats(await waiting.answer, 0), new Array(n).fill(1.5), 1, "the slow client's answer");
    } finally {
      slow.close();
    }
  });
  test("over HTTP/1.1 too, an answer a slow client has not read is not overwritten by later steps", async () => {
    const handle = await session(dims(n), fillValue, fill);
    const body = (value: number) =>
      Buffer.from(
        toBinary(
          RunStepRequestSchema,
          create(RunStepRequestSchema, { sessionHandle: handle, feed: [fillFeed(value)], fetch: ["f:0"] }),
        ),
      );
    const agent = new http.Agent({ keepAlive: false });
    try {
      let response!: http.IncomingMessage;
      const responded = new Promise<void>((resolve, reject) => {
        const req = http.request(`${server.origin}/tensorflow.MasterService/RunStep`, {
          method: "POST",
          agent,
          headers: { "content-type": "application/proto" },
        });
        req.on("response", (res) => {
          response = res;
          res.pause();
          resolve();
        });
        req.on("error", reject);
        req.end(body(1.5));
      });
      await responded;
      await new Promise((r) => setTimeout(r, 200));
      for (let i = 0; i < 3; i++) {
        const res = await grpcRunStep(
          client,
          create(RunStepRequestSchema, { sessionHandle: handle, feed: [fillFeed(20 + i)], fetch: ["f:0"] }),
        ).answer;
        assertFloats(floats(res, 0), new Array(n).fill(20 + i), 1, `Fill ${20 + i}`);
      }
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      const ended = new Promise((resolve) => response.on("end", resolve));
      response.resume();
      await ended;
      const slowAnswer = fromBinary(RunStepResponseSchema, Buffer.concat(chunks));
      assertFloats(floats(slowAnswer, 0), new Array(n).fill(1.5), 1, "the slow HTTP/1.1 client's answer");
    } finally {
      agent.destroy();
    }
  });
});
