// Tensor bytes through the engine (docs/architecture.md, "Tensor bytes"): a feed's tensor_content
// reaches the kernel as bytes (one copy at most, none when the request lies in shared memory), a
// fetched tensor's tensor_content is a view of the worker's memory (no copy), and every dtype comes
// back bit for bit — NaN payloads, half/bfloat16 patterns, complex parts, 64-bit extremes, bools
// and strings — whether the request buffer is aligned or not, for tensors small enough to travel
// in ordinary memory and large enough to live in shared memory. Through worker threads (the
// default) and in-thread.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { type TensorProto, TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../gen/tensorflow/core/framework/tensor_shape_pb.js";
import {
  CreateSessionRequestSchema,
  type RunStepRequest,
  RunStepRequestSchema,
  type RunStepResponse,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { encodeStringList } from "../server/engine/framework/tensor-proto.js";
import { BYTES_PER_ELEMENT } from "../server/engine/framework/types.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { DataType, graph, node } from "./support/graphs.js";

const D = DataType;

/** `count` bytes of a pattern that differs at every byte position (so misplaced bytes show). */
function pattern(count: number, seed: number): Uint8Array {
  const out = new Uint8Array(count);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Raw element bytes with special values first (NaN payloads, infinities, extremes), then noise. */
function elementBytes(dtype: DataType, n: number): Uint8Array {
  const bytes = pattern(n * BYTES_PER_ELEMENT[dtype]!, dtype * 7919 + n);
  const special: Record<number, readonly number[]> = {
    // Signalling and quiet NaNs with payloads, -0, infinities: a JS number round trip would change some.
    [D.DT_FLOAT]: [0x7f800001, 0xffa00005, 0x7fc12345, 0x80000000, 0x7f800000, 0xff800000],
    [D.DT_COMPLEX64]: [0x7f800001, 0xffa00005, 0x80000000, 0x7fc00001],
  };
  const words = special[dtype];
  if (words !== undefined) {
    const v = new DataView(bytes.buffer);
    for (const [i, w] of words.entries()) if (4 * i + 4 <= bytes.length) v.setUint32(4 * i, w, true);
  }
  if (dtype === D.DT_DOUBLE || dtype === D.DT_COMPLEX128) {
    const v = new DataView(bytes.buffer);
    v.setBigUint64(0, 0x7ff0000000000001n, true); // signalling NaN with payload 1
    v.setBigUint64(8, 0xfff8deadbeef0001n, true);
  }
  if (dtype === D.DT_HALF || dtype === D.DT_BFLOAT16) {
    const v = new DataView(bytes.buffer);
    for (const [i, h] of [0x7c01, 0xfe55, 0x8000, 0x7f81].entries())
      if (2 * i + 2 <= bytes.length) v.setUint16(2 * i, h, true);
  }
  if (dtype === D.DT_INT64 || dtype === D.DT_UINT64) {
    const v = new DataView(bytes.buffer);
    v.setBigUint64(0, 0x8000000000000000n, true);
    v.setBigUint64(8, 0xffffffffffffffffn, true);
  }
  if (dtype === D.DT_BOOL) for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! & 1;
  return bytes;
}

const rawDtypes: readonly DataType[] = [
  D.DT_FLOAT,
  D.DT_DOUBLE,
  D.DT_HALF,
  D.DT_BFLOAT16,
  D.DT_COMPLEX64,
  D.DT_COMPLEX128,
  D.DT_INT8,
  D.DT_UINT8,
  D.DT_INT16,
  D.DT_UINT16,
  D.DT_INT32,
  D.DT_UINT32,
  D.DT_INT64,
  D.DT_UINT64,
  D.DT_BOOL,
  D.DT_QINT8,
  D.DT_QUINT8,
  D.DT_QINT16,
  D.DT_QUINT16,
  D.DT_QINT32,
];

/** x (a Placeholder of `dtype`) and y = Identity(x), z = Identity(x). */
function identityGraph(dtype: DataType): NodeDef[] {
  return [
    node("x", "Placeholder", { attrs: { dtype: attr.type(dtype), shape: attr.shape(undefined) } }),
    node("y", "Identity", { inputs: ["x"], attrs: { T: attr.type(dtype) } }),
    node("z", "Identity", { inputs: ["x"], attrs: { T: attr.type(dtype) } }),
  ];
}

function proto(dtype: DataType, shape: readonly number[], content: Uint8Array): TensorProto {
  return create(TensorProtoSchema, {
    dtype,
    tensorShape: { dim: shape.map((d) => ({ size: BigInt(d) })) },
    tensorContent: content,
  });
}

/**
 * A RunStepRequest as a transport hands it over: decoded from wire bytes placed at `offset` in a
 * buffer (an odd offset misaligns every tensor_content), ordinary or shared memory.
 */
function wireRequest(req: RunStepRequest, offset: number, shared = false): { req: RunStepRequest } {
  const bytes = toBinary(RunStepRequestSchema, req);
  const memory = shared
    ? new SharedArrayBuffer(bytes.length + offset)
    : new ArrayBuffer(bytes.length + offset);
  const buffer = new Uint8Array(memory, offset, bytes.length);
  buffer.set(bytes);
  return { req: fromBinary(RunStepRequestSchema, buffer) };
}

async function session(m: Master, nodes: NodeDef[]): Promise<string> {
  const res = await m.createSession(create(CreateSessionRequestSchema, { graphDef: graph(...nodes) }));
  return res.sessionHandle;
}

function fetched(res: RunStepResponse, i: number): TensorProto {
  const t = res.tensor[i]?.tensor;
  if (t === undefined) throw new Error(`no fetch ${i}`);
  return t;
}

/** True when writing through `a` shows through `b` (the two views share memory); restores `a`. */
function sameMemory(a: Uint8Array, b: Uint8Array): boolean {
  const before = a[0]!;
  a[0] = before ^ 0xff;
  const shared = b[0] === a[0];
  a[0] = before;
  return shared;
}

async function runError(m: Master, req: RunStepRequest): Promise<string> {
  try {
    await m.runStep(req);
  } catch (e) {
    if (isTfError(e)) return `${tfCodeName(e.code)}: ${e.message}`;
    throw e;
  }
  return "OK";
}

for (const workerThreads of [true, false]) {
  describe(`tensor bytes through the engine (worker threads: ${workerThreads})`, () => {
    let m: Master;
    const sessions = new Map<DataType, string>();
    before(() => {
      m = createMaster({ workerThreads, cpuDevices: 1 });
    });
    after(async () => {
      await m.close();
    });
    const sessionFor = async (dtype: DataType) => {
      let s = sessions.get(dtype);
      if (s === undefined) {
        s = await session(m, identityGraph(dtype));
        sessions.set(dtype, s);
      }
      return s;
    };

    test("every fixed-size dtype comes back bit for bit, small and large, aligned and misaligned", async () => {
      for (const dtype of rawDtypes) {
        const sessionHandle = await sessionFor(dtype);
        // 3 elements travel in ordinary memory; 40,000 (>= 64 KiB for most dtypes) in shared memory.
        for (const n of [3, 40_000]) {
          const content = elementBytes(dtype, n);
          for (const offset of [0, 1, 3]) {
            const { req } = wireRequest(
              create(RunStepRequestSchema, {
                sessionHandle,
                feed: [{ name: "x:0", tensor: proto(dtype, [n], content) }],
                fetch: ["y:0"],
              }),
              offset,
            );
            const res = await m.runStep(req);
            const out = fetched(res, 0);
            assert.equal(out.dtype, dtype);
            assert.deepEqual(
              out.tensorShape?.dim.map((d) => d.size),
              [BigInt(n)],
            );
            assert.ok(
              Buffer.from(out.tensorContent).equals(Buffer.from(content)),
              `dtype ${dtype}, ${n} elements, offset ${offset}: bytes differ`,
            );
          }
        }
      }
    });

    test("bool bytes other than 0/1 come back as 1 (C++ reads them as true), at every alignment", async () => {
      const sessionHandle = await sessionFor(D.DT_BOOL);
      for (const n of [5, 100_003]) {
        const content = pattern(n, n);
        const want = content.map((b) => (b !== 0 ? 1 : 0));
        for (const offset of [0, 1, 2, 3]) {
          const { req } = wireRequest(
            create(RunStepRequestSchema, {
              sessionHandle,
              feed: [{ name: "x:0", tensor: proto(D.DT_BOOL, [n], content) }],
              fetch: ["y:0"],
            }),
            offset,
          );
          const out = fetched(await m.runStep(req), 0);
          assert.ok(Buffer.from(out.tensorContent).equals(Buffer.from(want)), `${n} bools at ${offset}`);
        }
      }
    });

    test("strings come back byte for byte (empty, long, non-UTF-8), small and large", async () => {
      const sessionHandle = await sessionFor(D.DT_STRING);
      for (const n of [4, 20_000]) {
        const strings = Array.from({ length: n }, (_, i) => pattern(i % 4 === 0 ? 0 : (i % 300) + 1, i + 1));
        const content = encodeStringList(strings);
        for (const offset of [0, 1]) {
          const { req } = wireRequest(
            create(RunStepRequestSchema, {
              sessionHandle,
              feed: [{ name: "x:0", tensor: proto(D.DT_STRING, [n], content) }],
              fetch: ["y:0"],
            }),
            offset,
          );
          const out = fetched(await m.runStep(req), 0);
          assert.ok(Buffer.from(out.tensorContent).equals(Buffer.from(content)), `${n} strings at ${offset}`);
        }
      }
    });

    test("feeds in the typed *_val fields come back as the same values in tensor_content", async () => {
      const cases: readonly [DataType, MessageInitShape<typeof TensorProtoSchema>, Uint8Array][] = [
        [
          D.DT_FLOAT,
          { floatVal: [1.5, -0, Number.POSITIVE_INFINITY] },
          f32(1.5, -0, Number.POSITIVE_INFINITY),
        ],
        [
          D.DT_DOUBLE,
          { doubleVal: [1e300, -2.5, 3] },
          new Uint8Array(Float64Array.of(1e300, -2.5, 3).buffer),
        ],
        [
          D.DT_INT32,
          { intVal: [-1, 2 ** 31 - 1, 7] },
          new Uint8Array(Int32Array.of(-1, 2 ** 31 - 1, 7).buffer),
        ],
        [D.DT_INT8, { intVal: [-128, 127, 255] }, Uint8Array.of(0x80, 0x7f, 0xff)],
        [D.DT_HALF, { halfVal: [0x3c00, 0x7c01, 0x8000] }, u16(0x3c00, 0x7c01, 0x8000)],
        [D.DT_BFLOAT16, { halfVal: [0x3f80, 0xff81, 0x0001] }, u16(0x3f80, 0xff81, 0x0001)],
        [D.DT_INT64, { int64Val: [-(2n ** 63n), 2n ** 63n - 1n, 1n] }, i64(-(2n ** 63n), 2n ** 63n - 1n, 1n)],
        [D.DT_UINT64, { uint64Val: [2n ** 64n - 1n, 0n, 5n] }, i64(-1n, 0n, 5n)],
        [D.DT_BOOL, { boolVal: [true, false, true] }, Uint8Array.of(1, 0, 1)],
        [D.DT_COMPLEX64, { scomplexVal: [1, -2, 3, 4, 5, 6] }, f32(1, -2, 3, 4, 5, 6)],
        // Fewer values than elements: the last one repeats (TF's FromProtoField).
        [
          D.DT_UINT32,
          { uint32Val: [4294967295, 9] },
          new Uint8Array(Uint32Array.of(4294967295, 9, 9).buffer),
        ],
      ];
      for (const [dtype, fields, want] of cases) {
        const sessionHandle = await sessionFor(dtype);
        const tensor = create(TensorProtoSchema, fields);
        tensor.dtype = dtype;
        tensor.tensorShape = create(TensorShapeProtoSchema, { dim: [{ size: 3n }] });
        const { req } = wireRequest(
          create(RunStepRequestSchema, { sessionHandle, feed: [{ name: "x:0", tensor }], fetch: ["y:0"] }),
          1,
        );
        const out = fetched(await m.runStep(req), 0);
        assert.ok(Buffer.from(out.tensorContent).equals(Buffer.from(want)), `dtype ${dtype}`);
      }
      const sessionHandle = await sessionFor(D.DT_STRING);
      const strings = [Uint8Array.of(0xff, 0), new Uint8Array(0), pattern(200, 3)];
      const tensor = create(TensorProtoSchema, {
        dtype: D.DT_STRING,
        tensorShape: { dim: [{ size: 3n }] },
        stringVal: strings,
      });
      const { req } = wireRequest(
        create(RunStepRequestSchema, { sessionHandle, feed: [{ name: "x:0", tensor }], fetch: ["y:0"] }),
        0,
      );
      const out = fetched(await m.runStep(req), 0);
      assert.ok(Buffer.from(out.tensorContent).equals(Buffer.from(encodeStringList(strings))));
    });

    test("a large fetch is a view of the worker's tensor memory: two fetches of one tensor share it", async () => {
      const sessionHandle = await sessionFor(D.DT_FLOAT);
      const content = elementBytes(D.DT_FLOAT, 1 << 16);
      const { req } = wireRequest(
        create(RunStepRequestSchema, {
          sessionHandle,
          feed: [{ name: "x:0", tensor: proto(D.DT_FLOAT, [1 << 16], content) }],
          fetch: ["y:0", "z:0"],
        }),
        0,
      );
      const res = await m.runStep(req);
      const y = fetched(res, 0).tensorContent;
      const z = fetched(res, 1).tensorContent;
      assert.ok(y.buffer instanceof SharedArrayBuffer, "the fetched bytes live in shared memory");
      assert.equal(y.byteLength, content.byteLength);
      // y and z are Identity outputs of one tensor: views of the same memory, not two copies.
      assert.ok(sameMemory(y, z), "the two fetches share the tensor's memory");
      // The feed was copied once out of the request's ordinary memory: the request is not aliased.
      const fed = req.feed[0]!.tensor!.tensorContent;
      assert.ok(!sameMemory(fed, y), "the engine keeps nothing of the request's memory");
    });

    test("a variable's value is fetched as a view of its memory, and a later update leaves that view alone", async () => {
      const n = 1 << 15;
      const sessionHandle = await session(m, [
        node("x", "Placeholder", { attrs: { dtype: attr.type(D.DT_FLOAT), shape: attr.shape([n]) } }),
        node("v", "VariableV2", {
          attrs: {
            dtype: attr.type(D.DT_FLOAT),
            shape: attr.shape([n]),
            shared_name: attr.string(`bytes-${workerThreads}`),
          },
        }),
        node("assign", "Assign", { inputs: ["v", "x"], attrs: { T: attr.type(D.DT_FLOAT) } }),
        node("read", "Identity", { inputs: ["v"], attrs: { T: attr.type(D.DT_FLOAT) } }),
      ]);
      const assign = async (content: Uint8Array) => {
        const { req } = wireRequest(
          create(RunStepRequestSchema, {
            sessionHandle,
            feed: [{ name: "x:0", tensor: proto(D.DT_FLOAT, [n], content) }],
            target: ["assign"],
          }),
          0,
        );
        await m.runStep(req);
      };
      const read = async () =>
        fetched(await m.runStep(create(RunStepRequestSchema, { sessionHandle, fetch: ["read:0"] })), 0)
          .tensorContent;
      const first = elementBytes(D.DT_FLOAT, n);
      await assign(first);
      const a = await read();
      const b = await read();
      assert.ok(a.buffer instanceof SharedArrayBuffer);
      assert.ok(sameMemory(a, b), "two steps' fetches of the variable are views of its one memory");
      // The ownership rule: an update replaces the variable's storage; a response's view never changes.
      await assign(elementBytes(D.DT_FLOAT, n + 1).subarray(0, 4 * n));
      const c = await read();
      assert.ok(Buffer.from(a).equals(Buffer.from(first)), "the earlier response's bytes are unchanged");
      assert.ok(!sameMemory(a, c));
    });

    test("a feed in shared request memory reaches the kernel and the response without a copy", async () => {
      const sessionHandle = await sessionFor(D.DT_FLOAT);
      const n = 1 << 16;
      const content = elementBytes(D.DT_FLOAT, n);
      // Offset 3 misaligns the request, the tensor_content lands at a 4-byte-aligned offset.
      for (const offset of [0, 1, 2, 3]) {
        const { req } = wireRequest(
          create(RunStepRequestSchema, {
            sessionHandle,
            feed: [{ name: "x:0", tensor: proto(D.DT_FLOAT, [n], content) }],
            fetch: ["y:0"],
          }),
          offset,
          true,
        );
        const fed = req.feed[0]!.tensor!.tensorContent;
        const out = fetched(await m.runStep(req), 0).tensorContent;
        assert.ok(Buffer.from(out).equals(Buffer.from(content)));
        // Adopted when aligned (the fetched bytes are the request's own), copied once when not.
        assert.equal(sameMemory(fed, out), fed.byteOffset % 4 === 0, `offset ${offset}`);
      }
    });

    test("a small feed in a large shared buffer is copied, not adopted (it would pin the buffer)", async () => {
      const sessionHandle = await sessionFor(D.DT_FLOAT);
      const inBig = new Uint8Array(new SharedArrayBuffer(1 << 20), 64, 16);
      inBig.set(f32(1, 2, 3, 4));
      const req = create(RunStepRequestSchema, {
        sessionHandle,
        feed: [{ name: "x:0", tensor: proto(D.DT_FLOAT, [4], inBig) }],
        fetch: ["y:0"],
      });
      const out = fetched(await m.runStep(req), 0).tensorContent;
      assert.ok(Buffer.from(out).equals(Buffer.from(f32(1, 2, 3, 4))));
      assert.ok(!sameMemory(inBig, out));
    });

    test("bad feeds get TF's errors from the copying and the adopting paths alike", async () => {
      const sessionHandle = await sessionFor(D.DT_FLOAT);
      for (const shared of [false, true]) {
        for (const offset of [0, 1]) {
          const wrongLength = wireRequest(
            create(RunStepRequestSchema, {
              sessionHandle,
              feed: [{ name: "x:0", tensor: proto(D.DT_FLOAT, [1000], new Uint8Array(3999)) }],
              fetch: ["y:0"],
            }),
            offset,
            shared,
          ).req;
          assert.equal(
            await runError(m, wrongLength),
            "INVALID_ARGUMENT: Invalid TensorProto for feed value 0 (TensorProto: tensor_content has 3999 bytes but 1000 elements of float need exactly 4000)",
          );
          const wrongType = wireRequest(
            create(RunStepRequestSchema, {
              sessionHandle,
              feed: [{ name: "x:0", tensor: proto(D.DT_INT32, [2], new Uint8Array(8)) }],
              fetch: ["y:0"],
            }),
            offset,
            shared,
          ).req;
          assert.match(
            await runError(m, wrongType),
            /^INTERNAL: From \/job:localhost\/replica:0\/task:0:\nOutput 0 of type int32 does not match declared output type float for node \{\{node _recv_x_0\}\}$/,
          );
        }
      }
      const huge = create(RunStepRequestSchema, {
        sessionHandle,
        feed: [{ name: "x:0", tensor: proto(D.DT_FLOAT, [2 ** 40], new Uint8Array(4)) }],
        fetch: ["y:0"],
      });
      assert.match(await runError(m, huge), /^INVALID_ARGUMENT: Invalid TensorProto for feed value 0 \(/);
      const strings = await sessionFor(D.DT_STRING);
      const badStrings = create(RunStepRequestSchema, {
        sessionHandle: strings,
        feed: [{ name: "x:0", tensor: proto(D.DT_STRING, [2], Uint8Array.of(5, 1, 0x41)) }],
        fetch: ["y:0"],
      });
      assert.match(
        await runError(m, badStrings),
        /^INVALID_ARGUMENT: .*lengths add up to 6 bytes but 1 bytes follow/,
      );
    });
  });
}

function f32(...v: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(v).buffer);
}

function u16(...v: number[]): Uint8Array {
  return new Uint8Array(Uint16Array.from(v).buffer);
}

function i64(...v: bigint[]): Uint8Array {
  return new Uint8Array(BigInt64Array.from(v).buffer);
}
