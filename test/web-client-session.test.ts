// The web client's Session helper against a real server, over Connect (binary and JSON) and
// gRPC-Web: feeds and fetches of every dtype (TypedArrays, nested arrays, scalars), TF errors from
// the response body and from the RPC as TfError, RunOptions and RunMetadata, partial runs,
// callables, cancellation and deadlines, ListDevices, Reset; and the package as a bundler sees it.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { toBinary } from "@bufbuild/protobuf";
import { toText } from "@bufbuild/protobuf/txtpb";
import { ConnectError } from "@connectrpc/connect";
import { build } from "esbuild";
import { GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import {
  createMasterClient,
  createTransport,
  newRequestId,
  type Protocol,
  Session,
  TfCode,
  TfError,
} from "../web-client/client.js";
import { DataType, type HostTensor, halfToFloat, tensor, toTensorProto } from "../web-client/tensor.js";
import { attr } from "./support/attr.js";
import { constNode, graph, linearExpected, linearGraph, node } from "./support/graphs.js";
import { type RunningServer, startServer } from "./support/server.js";
import { repoRoot } from "./tf/venv.js";

const run = promisify(execFile);
let server: RunningServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.close();
});

const placeholder = (name: string, dtype: DataType) =>
  node(name, "Placeholder", { attrs: { dtype: attr.type(dtype) } });
const op = (name: string, type: string, inputs: string[], dtype: DataType, more = {}) =>
  node(name, type, { inputs, attrs: { T: attr.type(dtype), ...more } });

/** One Placeholder and an Identity of it per dtype: what goes in must come back out. */
const dtypes = {
  float32: DataType.DT_FLOAT,
  float64: DataType.DT_DOUBLE,
  int32: DataType.DT_INT32,
  int64: DataType.DT_INT64,
  uint8: DataType.DT_UINT8,
  int8: DataType.DT_INT8,
  int16: DataType.DT_INT16,
  uint16: DataType.DT_UINT16,
  bool: DataType.DT_BOOL,
  string: DataType.DT_STRING,
  half: DataType.DT_HALF,
} as const;
function identityGraph() {
  return graph(
    ...Object.entries(dtypes).flatMap(([name, dt]) => [
      placeholder(`in_${name}`, dt),
      op(`out_${name}`, "Identity", [`in_${name}`], dt),
    ]),
    // Computations the server does on its own, to check it read what the client meant.
    op("i64_sum", "Add", ["in_int64", "in_int64"], DataType.DT_INT64),
    node("half_as_f32", "Cast", {
      inputs: ["in_half"],
      attrs: { SrcT: attr.type(DataType.DT_HALF), DstT: attr.type(DataType.DT_FLOAT) },
    }),
    node("f32_as_half", "Cast", {
      inputs: ["in_float32"],
      attrs: { SrcT: attr.type(DataType.DT_FLOAT), DstT: attr.type(DataType.DT_HALF) },
    }),
    node("str_len", "StringLength", { inputs: ["in_string"] }),
  );
}

/**
 * `while (i < limit) i += 1` as TF's v1 while loop (Enter/Merge/Switch/NextIteration/Exit), with a
 * limit fed by "limit:0": 10^7 iterations keep the engine busy for far longer than any test waits.
 */
function countingLoop(): NodeDef[] {
  const I = DataType.DT_INT32;
  const t = { T: attr.type(I) };
  const enter = (name: string, input: string, constant: boolean) =>
    node(name, "Enter", {
      inputs: [input],
      attrs: { ...t, frame_name: attr.string("loop"), is_constant: attr.bool(constant) },
    });
  return [
    constNode("zero", I, [], [0]),
    constNode("one", I, [], [1]),
    placeholder("limit", I),
    enter("loop/enter_i", "zero", false),
    enter("loop/enter_limit", "limit", true),
    enter("loop/enter_one", "one", true),
    node("loop/merge", "Merge", { inputs: ["loop/enter_i", "loop/next"], attrs: { ...t, N: attr.int(2) } }),
    op("loop/less", "Less", ["loop/merge", "loop/enter_limit"], I),
    node("loop/cond", "LoopCond", { inputs: ["loop/less"] }),
    op("loop/switch", "Switch", ["loop/merge", "loop/cond"], I),
    op("loop/body", "Identity", ["loop/switch:1"], I),
    op("loop/add", "Add", ["loop/body", "loop/enter_one"], I),
    op("loop/next", "NextIteration", ["loop/add"], I),
    op("loop/exit", "Exit", ["loop/switch"], I),
  ];
}

const values = (t: HostTensor) => [...(t.values as Iterable<unknown>)];

for (const protocol of ["connect", "connect-json", "grpc-web"] as Protocol[]) {
  describe(`Session over ${protocol}`, () => {
    const transport = () => createTransport(server.url, { protocol });

    test("feeds and fetches of every dtype: TypedArrays, nested arrays, scalars, {dtype, values}", async () => {
      const s = await Session.create(transport(), identityGraph());
      try {
        const big = [2n ** 61n + 3n, -(2n ** 62n), 0n];
        const out = await s.run({
          feeds: {
            "in_float32:0": [
              [1.5, -2],
              [0.1, 3e38],
            ],
            "in_float64:0": new Float64Array([1e-300, Math.PI]),
            in_int32: { dtype: "int32", shape: [3, 1], values: [7, -1, 2 ** 31 - 1] },
            "in_int64:0": big,
            "in_uint8:0": new Uint8Array([0, 255, 128]),
            "in_int8:0": { dtype: DataType.DT_INT8, values: [-128, 127] },
            "in_int16:0": new Int16Array([-32768, 5]),
            "in_uint16:0": new Uint16Array([65535]),
            "in_bool:0": [[true], [false]],
            "in_string:0": ["héllo", "", "x".repeat(300)],
            "in_half:0": tensor([1.5, -0.0999755859375, 65504, 2 ** -24], [2, 2], "float16"),
          },
          fetches: {
            f32: "out_float32:0",
            f64: "out_float64",
            i32: "out_int32:0",
            i64: "out_int64:0",
            u8: "out_uint8:0",
            i8: "out_int8",
            i16: "out_int16:0",
            u16: "out_uint16:0",
            b: "out_bool:0",
            str: "out_string:0",
            half: "out_half:0",
            i64sum: "i64_sum:0",
            halfAsF32: "half_as_f32:0",
            f32AsHalf: "f32_as_half:0",
            strLen: "str_len:0",
          },
        });
        assert.equal(out.f32.dtype, DataType.DT_FLOAT);
        assert.equal(out.f32.dtypeName, "float32");
        assert.ok(out.f32.values instanceof Float32Array);
        assert.deepEqual(out.f32.shape, [2, 2]);
        assert.deepEqual(out.f32.toArray(), [
          [1.5, -2],
          [Math.fround(0.1), Math.fround(3e38)],
        ]);
        assert.ok(out.f64.values instanceof Float64Array);
        assert.deepEqual(values(out.f64), [1e-300, Math.PI]);
        assert.ok(out.i32.values instanceof Int32Array);
        assert.deepEqual(out.i32.toArray(), [[7], [-1], [2 ** 31 - 1]]);
        assert.ok(out.i64.values instanceof BigInt64Array);
        assert.deepEqual(values(out.i64), big);
        assert.deepEqual(
          values(out.i64sum),
          big.map((v) => BigInt.asIntN(64, 2n * v)),
        );
        assert.ok(out.u8.values instanceof Uint8Array);
        assert.deepEqual(values(out.u8), [0, 255, 128]);
        assert.ok(out.i8.values instanceof Int8Array);
        assert.deepEqual(values(out.i8), [-128, 127]);
        assert.deepEqual(values(out.i16), [-32768, 5]);
        assert.deepEqual(values(out.u16), [65535]);
        assert.equal(out.b.dtype, DataType.DT_BOOL);
        assert.deepEqual(out.b.toArray(), [[true], [false]]);
        assert.deepEqual(out.str.values, ["héllo", "", "x".repeat(300)]);
        assert.deepEqual(values(out.strLen), [6, 0, 300]); // bytes, TF's default unit
        // Halves: what the client encoded is what the server's Cast reads, and back.
        assert.equal(out.half.dtype, DataType.DT_HALF);
        assert.deepEqual(values(out.half), [1.5, -0.0999755859375, 65504, 2 ** -24]);
        assert.deepEqual(values(out.halfAsF32), [1.5, -0.0999755859375, 65504, 2 ** -24]);
        // The server rounds float32 → half itself; the client's decoding must agree with
        // tensor(…, "float16")'s own rounding of the same float32 values.
        const f32 = [
          [1.5, -2],
          [0.1, 3e38],
        ].flat();
        assert.deepEqual(values(out.f32AsHalf), values(tensor(f32.map(Math.fround), [4], "float16")));
        assert.equal(halfToFloat(0x7c00), Number.POSITIVE_INFINITY); // 3e38 overflows to +Inf
        assert.equal((out.f32AsHalf.values as Float32Array)[3], Number.POSITIVE_INFINITY);
      } finally {
        await s.close();
      }
    });

    test("scalars, inferred dtypes, fetch names as given ('y' and 'y:0'), duplicates", async () => {
      const s = await Session.create(transport(), identityGraph());
      try {
        const out = await s.run({
          feeds: { in_float32: 2.5, in_int64: 7n, in_bool: true, in_string: "s" },
          fetches: ["out_float32", "out_float32:0", "out_int64", "out_bool:0", "out_string"],
        });
        assert.deepEqual(out.out_float32.shape, []);
        assert.equal(out.out_float32.scalar(), 2.5);
        assert.equal(out["out_float32:0"].scalar(), 2.5);
        assert.equal(out.out_int64.scalar(), 7n);
        assert.equal(out["out_bool:0"].scalar(), true);
        assert.equal(out.out_string.toArray(), "s");
        // JS numbers are float32 (tf.constant's rule): a float64 placeholder wants an explicit dtype,
        // and TF rejects the float32 value (INTERNAL, from the feed's _Recv, as TF reports it).
        await assert.rejects(
          s.run({ feeds: { in_float64: 1 / 3 }, fetches: ["out_float64"] }),
          (e: unknown) =>
            e instanceof TfError &&
            e.codeName === "INTERNAL" &&
            e.rawMessage.includes("Output 0 of type float does not match declared output type double"),
        );
        const f64 = await s.run({
          feeds: { in_float64: tensor(1 / 3, [], "float64") },
          fetches: ["out_float64"],
        });
        assert.equal(f64.out_float64.scalar(), 1 / 3);
      } finally {
        await s.close();
      }
    });

    test("errors: in the response body and from the RPC, as TfError with TF's code and message", async () => {
      const s = await Session.create(transport(), linearGraph(), { gpuOptions: {} });
      try {
        await assert.rejects(s.run({ fetches: ["y:0"] }), (e: unknown) => {
          assert.ok(e instanceof TfError);
          assert.equal(e.code, TfCode.INVALID_ARGUMENT);
          assert.equal(e.codeName, "INVALID_ARGUMENT");
          assert.match(
            e.rawMessage,
            /You must feed a value for placeholder tensor 'x' with dtype float and shape \[\?,2\]/,
          );
          assert.equal(e.message, `INVALID_ARGUMENT: ${e.rawMessage}`);
          assert.equal(e.cause, undefined);
          return true;
        });
        await assert.rejects(s.run({ fetches: ["nope:0"] }), (e: unknown) => {
          assert.ok(e instanceof TfError);
          assert.equal(e.codeName, "NOT_FOUND");
          assert.equal(e.rawMessage, "FetchOutputs node nope:0: not found");
          return true;
        });
      } finally {
        await s.close();
      }
      // An RPC error (CreateSession answers with a status): the ConnectError is the cause.
      await assert.rejects(Session.create(transport(), graph(node("a", "NoSuchOp"))), (e: unknown) => {
        assert.ok(e instanceof TfError);
        assert.equal(e.code, TfCode.NOT_FOUND);
        assert.match(e.rawMessage, /^Op type not registered 'NoSuchOp'/);
        assert.ok(e.cause instanceof ConnectError);
        return true;
      });
      await assert.rejects(
        Session.create(transport(), graph(node("bad name!", "NoOp"))),
        (e: unknown) =>
          e instanceof TfError &&
          e.codeName === "INVALID_ARGUMENT" &&
          /Illegal op name 'bad name!'/.test(e.message),
      );
    });

    test("a Transport or a MasterClient; a GraphDef, a builder, binary or text; extend sends only new nodes", async () => {
      const g = linearGraph();
      const x = [
        [1, 2],
        [3, 4],
      ];
      const expected = linearExpected(x.flat());
      for (const [target, graphInput] of [
        [createMasterClient(server.url, { protocol }), g],
        [transport(), toBinary(GraphDefSchema, g)],
        [transport(), toText(GraphDefSchema, g)],
        [transport(), { toGraphDef: () => g }],
      ] as const) {
        const s = await Session.create(target, graphInput);
        const out = await s.run({ feeds: { "x:0": x }, fetches: ["y:0"] });
        assert.deepEqual(values(out["y:0"]), expected);
        await s.close();
      }
      // A growing builder-like graph: the second extend sends only "k", so it succeeds.
      const nodes = [...g.node];
      const builder = { toGraphDef: () => graph(...nodes) };
      const s = await Session.create(transport(), builder);
      nodes.push(constNode("c", DataType.DT_INT32, [2], [4, 5]));
      await s.extend(builder);
      nodes.push(op("k", "Neg", ["c"], DataType.DT_INT32));
      await s.extend(builder);
      await s.extend(builder); // nothing new: no RPC
      const out = await s.run({ fetches: ["k"] });
      assert.deepEqual(values(out.k), [-4, -5]);
      // A plain GraphDef with an existing node: TF's error.
      await assert.rejects(
        s.extend(graph(constNode("c", DataType.DT_INT32, [], [1]))),
        (e: unknown) =>
          e instanceof TfError &&
          e.codeName === "INVALID_ARGUMENT" &&
          e.rawMessage.includes("includes node 'c', which was created by a previous call"),
      );
      await s.close();
    });

    test("RunOptions and RunMetadata: FULL_TRACE step stats, partition graphs", async () => {
      const s = await Session.create(transport(), linearGraph());
      try {
        const plain = await s.runWithMetadata({ feeds: { x: [[1, 1]] }, fetches: ["y"] });
        assert.equal(plain.metadata?.stepStats?.devStats.length ?? 0, 0);
        const traced = await s.runWithMetadata({
          feeds: { x: [[1, 1]] },
          fetches: ["y"],
          options: { traceLevel: "FULL_TRACE", outputPartitionGraphs: true, timeoutInMs: 60_000 },
        });
        assert.deepEqual(values(traced.outputs.y), linearExpected([1, 1]));
        const devStats = traced.metadata?.stepStats?.devStats ?? [];
        assert.ok(devStats.some((d) => d.device.endsWith("/device:CPU:0")));
        assert.ok(devStats.flatMap((d) => d.nodeStats).some((n) => n.nodeName === "xW"));
        const partitions = traced.metadata?.partitionGraphs ?? [];
        assert.ok(partitions.length >= 1);
        assert.ok(partitions.flatMap((p) => p.node).some((n) => n.op === "_Recv"));
      } finally {
        await s.close();
      }
    });

    test("partialRunSetup and PartialRun.run", async () => {
      const F = DataType.DT_FLOAT;
      const s = await Session.create(
        transport(),
        graph(
          placeholder("a", F),
          placeholder("b", F),
          op("c", "Add", ["a", "b"], F),
          constNode("three", F, [], [3]),
          op("d", "Mul", ["c", "three"], F),
        ),
      );
      try {
        const pr = await s.partialRunSetup({ feeds: ["a:0", "b:0"], fetches: ["c:0", "d:0"] });
        assert.deepEqual(await pr.run({ feeds: { "a:0": [1, 2] } }), {});
        await assert.rejects(
          pr.run({ fetches: ["c:0"] }),
          (e: unknown) =>
            e instanceof TfError &&
            e.codeName === "INVALID_ARGUMENT" &&
            e.rawMessage === "Fetch b:0 can't be computed from the feeds that have been fed so far.",
        );
        // That error ended the partial run (as in TF): set up again.
        const pr2 = await s.partialRunSetup({ feeds: ["a:0", "b:0"], fetches: ["c:0", "d:0"] });
        await pr2.run({ feeds: { "a:0": [1, 2] } });
        const c = await pr2.run({ feeds: { "b:0": [10, 20] }, fetches: { sum: "c:0" } });
        assert.deepEqual(values(c.sum), [11, 22]);
        const d = await pr2.run({ fetches: ["d:0"] });
        assert.deepEqual(values(d["d:0"]), [33, 66]);
        await assert.rejects(
          pr2.run({ fetches: ["d:0"] }),
          (e: unknown) =>
            e instanceof TfError &&
            e.rawMessage === "Must run PartialRunSetup before performing partial runs",
        );
      } finally {
        await s.close();
      }
    });

    test("makeCallable, call (positional or by name), release", async () => {
      const s = await Session.create(transport(), linearGraph());
      try {
        const callable = await s.makeCallable({ feeds: ["x:0"], fetches: ["y:0", "xW:0"] });
        const [y, xw] = await callable.call([[[1, 2]]]);
        assert.deepEqual(values(y!), linearExpected([1, 2]));
        assert.deepEqual(xw!.shape, [1, 3]);
        const [y2] = await callable.call({
          "x:0": tensor(new Float32Array([3, 4, 5, 6]).subarray(2), [1, 2]),
        });
        assert.deepEqual(values(y2!), linearExpected([5, 6]));
        // A flat TypedArray has shape [2]; MatMul wants a matrix, and TF says so (an RPC error).
        await assert.rejects(
          callable.call([new Float32Array([1, 2])]),
          (e: unknown) =>
            e instanceof TfError && e.codeName === "INVALID_ARGUMENT" && e.cause instanceof ConnectError,
        );
        await callable.release();
        await callable.release();
        await assert.rejects(
          callable.call([[[1, 2]]]),
          (e: unknown) =>
            e instanceof TfError &&
            e.codeName === "INVALID_ARGUMENT" &&
            e.rawMessage === `Attempted to run callable after handle was released: ${callable.handle}` &&
            e.cause instanceof ConnectError,
        );
      } finally {
        await s.close();
      }
    });

    test("abort and timeout end a long step promptly; the server keeps serving", async () => {
      const s = await Session.create(transport(), graph(...countingLoop()));
      try {
        // The loop is right: a short one returns its count.
        const small = await s.run({ feeds: { limit: tensor(5, [], "int32") }, fetches: ["loop/exit"] });
        assert.equal(small["loop/exit"].scalar(), 5);
        // How long 10^7 iterations would take, from 2·10^4 of them (on this machine, under its load).
        let t0 = performance.now();
        await s.run({ feeds: { limit: tensor(2e4, [], "int32") }, fetches: ["loop/exit"] });
        const fullRun = ((performance.now() - t0) / 2e4) * 1e7;
        const prompt = (ms: number) => ms < Math.min(fullRun / 10, 10_000);
        const long = { feeds: { limit: tensor(1e7, [], "int32") }, fetches: ["loop/exit"] } as const;

        const controller = new AbortController();
        setTimeout(() => controller.abort(), 150);
        t0 = performance.now();
        await assert.rejects(s.run({ ...long, signal: controller.signal }), (e: unknown) => {
          assert.ok(e instanceof TfError, String(e));
          assert.equal(e.codeName, "CANCELLED");
          return true;
        });
        assert.ok(prompt(performance.now() - t0), `aborted after ${performance.now() - t0} ms`);

        t0 = performance.now();
        await assert.rejects(s.run({ ...long, timeoutMs: 200 }), (e: unknown) => {
          assert.ok(e instanceof TfError, String(e));
          assert.equal(e.codeName, "DEADLINE_EXCEEDED");
          return true;
        });
        assert.ok(prompt(performance.now() - t0), `deadline after ${performance.now() - t0} ms`);

        // Both steps were cancelled on the server: it answers at once, on this session and others.
        t0 = performance.now();
        const again = await s.run({ feeds: { limit: tensor(3, [], "int32") }, fetches: ["loop/exit"] });
        assert.equal(again["loop/exit"].scalar(), 3);
        assert.ok((await Session.listDevices(transport())).length >= 1);
        assert.ok(prompt(performance.now() - t0), `served after ${performance.now() - t0} ms`);
      } finally {
        await s.close();
      }
    });

    test("listDevices (server and session), close is idempotent, Reset closes sessions", async () => {
      const devices = await Session.listDevices(transport());
      assert.ok(devices.some((d) => /^\/job:[^/]+\/replica:0\/task:0\/device:CPU:0$/.test(d.name)));
      assert.ok(devices.every((d) => d.deviceType === "CPU" && d.incarnation !== 0n));
      const s = await Session.create(transport(), linearGraph());
      const mine = await s.listDevices();
      assert.deepEqual(mine.map((d) => d.name).sort(), devices.map((d) => d.name).sort());
      await s.close();
      await s.close();
      assert.equal(s.closed, true);
      await assert.rejects(
        s.run({ feeds: { x: [[1, 2]] }, fetches: ["y"] }),
        (e: unknown) =>
          e instanceof TfError &&
          e.codeName === "ABORTED" &&
          e.rawMessage === `Session ${s.handle} is not found.`,
      );
      const t = await Session.create(transport(), linearGraph());
      await Session.reset(transport());
      await assert.rejects(
        t.run({ feeds: { x: [[1, 2]] }, fetches: ["y"] }),
        (e: unknown) => e instanceof TfError && e.codeName === "ABORTED",
      );
    });
  });
}

test("request ids: random, non-zero, 63-bit; a repeated id is refused", async () => {
  const ids = Array.from({ length: 1000 }, newRequestId);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => id > 0n && id < 2n ** 63n));
  assert.ok(ids.some((id) => id >= 2n ** 62n)); // the top bit really is random (p ≈ 1 − 2⁻¹⁰⁰⁰)
  const client = createMasterClient(server.url);
  const s = await Session.create(client, linearGraph());
  const requestId = newRequestId();
  const step = {
    sessionHandle: s.handle,
    feed: [{ name: "x:0", tensor: toTensorProto([[1, 2]]) }],
    fetch: ["y:0"],
    requestId,
  };
  await client.runStep(step);
  await assert.rejects(client.runStep(step), /The same RunStep \(Master\) request was received twice/);
  await s.close();
});

test("tensor(): dtype inference like tf.constant, shapes, toArray and scalar", () => {
  const cases: [HostTensor, DataType, number[]][] = [
    [tensor(1.5), DataType.DT_FLOAT, []],
    [tensor(3n), DataType.DT_INT64, []],
    [tensor(true), DataType.DT_BOOL, []],
    [tensor("a"), DataType.DT_STRING, []],
    [tensor([[1, 2, 3]]), DataType.DT_FLOAT, [1, 3]],
    [tensor(new Float64Array(2)), DataType.DT_DOUBLE, [2]],
    [tensor(new Int32Array(4), [2, 2]), DataType.DT_INT32, [2, 2]],
    [tensor(new BigUint64Array(1)), DataType.DT_UINT64, [1]],
    [tensor(new Uint8Array(0)), DataType.DT_UINT8, [0]],
    [tensor([1, 2], undefined, "int64"), DataType.DT_INT64, [2]],
    [tensor({ values: [[1], [2]], dtype: "uint16" }), DataType.DT_UINT16, [2, 1]],
  ];
  for (const [t, dtype, shape] of cases) {
    assert.equal(t.dtype, dtype);
    assert.deepEqual(t.shape, shape);
  }
  const m = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(m.toArray(), [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(tensor(new Int32Array([1, 2, 3, 4, 5, 6]), [3, 1, 2]).toArray(), [
    [[1, 2]],
    [[3, 4]],
    [[5, 6]],
  ]);
  assert.equal(tensor([[7n]]).scalar(), 7n);
  assert.throws(() => m.scalar(), /scalar\(\) of a tensor of shape \[2,3\]/);
  assert.throws(() => tensor([1, 2, 3], [2, 2]), /3 values do not fill shape \[2,2\]/);
  assert.throws(() => tensor(1.5, [], "int64"), RangeError); // BigInt(1.5): not an integer
});

describe("the package @tfgate/web-client", () => {
  // One entry, imported by package name: bundled for the browser, and run in Node. Inside the
  // repository the package resolves to its TypeScript sources through its "tfgate-source" export
  // condition (test/web-client-package.test.ts installs the built tarball instead).
  const conditions = ["tfgate-source"];
  /** A consumer project under test-artifacts/ whose node_modules links this checkout's package. */
  function consumer(): string {
    const dir = join(repoRoot, "test-artifacts");
    mkdirSync(dir, { recursive: true });
    const work = mkdtempSync(join(dir, "web-client-package-"));
    mkdirSync(join(work, "node_modules", "@tfgate"), { recursive: true });
    symlinkSync(join(repoRoot, "web-client"), join(work, "node_modules", "@tfgate", "web-client"), "dir");
    return work;
  }
  const entry = `import { Session, createTransport } from "@tfgate/web-client";
import { MasterService } from "@tfgate/web-client/gen";

const graph = \`
node { name: "a" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
  attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1.5 } } } }
node { name: "b" op: "Add" input: "a" input: "a" attr { key: "T" value { type: DT_FLOAT } } }\`;

export async function main(url: string): Promise<string> {
  const s = await Session.create(createTransport(url, { protocol: "grpc-web" }), graph);
  const out = await s.run({ fetches: ["b"] });
  await s.close();
  return \`\${MasterService.typeName} b=\${out.b.scalar()}\`;
}
`;

  test("a bundler imports it by name for the browser, with no Node built-ins", async () => {
    const work = consumer();
    const out = await build({
      stdin: { contents: entry, resolveDir: work, loader: "ts" },
      bundle: true,
      format: "esm",
      platform: "browser",
      conditions,
      write: false,
      metafile: true,
      logLevel: "silent",
    }).finally(() => rmSync(work, { recursive: true, force: true }));
    const inputs = Object.keys(out.metafile.inputs);
    assert.ok(inputs.includes("web-client/client.ts"), inputs.join("\n"));
    assert.deepEqual(
      inputs.filter((f) => f.startsWith("node:") || f.includes("/server/")),
      [],
    );
    // Tree-shaking ("sideEffects": false): Session and the transports leave the graph builder out.
    const output = Object.values(out.metafile.outputs)[0]!;
    const bundled = Object.keys(output.inputs).filter((f) => output.inputs[f]!.bytesInOutput > 0);
    assert.ok(bundled.includes("web-client/tensor.ts"), bundled.join("\n"));
    assert.ok(!bundled.includes("web-client/builder.ts"), "the graph builder is bundled");
  });

  test("Node runs the same entry under tsx, resolving the package link, against a live server", async () => {
    const work = consumer();
    try {
      writeFileSync(join(work, "entry.ts"), entry);
      writeFileSync(
        join(work, "run.ts"),
        `import { main } from "./entry.ts";\nconsole.log(await main(process.argv[2]!));\n`,
      );
      const { stdout } = await run(
        process.execPath,
        [...conditions.map((c) => `--conditions=${c}`), "--import", "tsx", join(work, "run.ts"), server.url],
        { cwd: repoRoot },
      );
      assert.equal(stdout.trim(), `tensorflow.grpc.MasterService b=${1.5 + 1.5}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
