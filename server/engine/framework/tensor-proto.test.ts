import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { type TensorProto, TensorProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_pb.js";
import { TfCode } from "./errors.js";
import { floatToBfloat16, floatToHalf } from "./float16.js";
import { getMaxTensorBytes, setMaxTensorBytes, Tensor } from "./tensor.js";
import { encodeStringList, tensorFromProto, tensorToProto } from "./tensor-proto.js";
import { DataType } from "./types.js";
import { TensorList } from "./variant.js";

const shapeOf = (dims: number[]) => ({ dim: dims.map((d) => ({ size: BigInt(d) })) });
const proto = (init: Parameters<typeof create<typeof TensorProtoSchema>>[1]): TensorProto =>
  create(TensorProtoSchema, init);
const bytes = (...b: number[]) => new Uint8Array(b);
const enc = new TextEncoder();

function assertTfError(fn: () => unknown, code: number, fragment: string | RegExp) {
  assert.throws(fn, (e: unknown) => {
    const err = e as { code?: number; message: string };
    assert.equal(err.code, code, `code of: ${err.message}`);
    if (typeof fragment === "string") assert.ok(err.message.includes(fragment), err.message);
    else assert.match(err.message, fragment);
    return true;
  });
}

// Every fixed-size dtype: [dtype, typed-array ctor, values, typed-field setter].
const fixed: [
  string,
  DataType,
  (v: number[]) => ArrayLike<number> | ArrayLike<bigint>,
  (p: TensorProto, v: number[]) => void,
  (t: Tensor) => number[],
][] = [
  [
    "float",
    DataType.DT_FLOAT,
    (v) => new Float32Array(v),
    (p, v) => (p.floatVal = v),
    (t) => Array.from(t.data as Float32Array),
  ],
  [
    "double",
    DataType.DT_DOUBLE,
    (v) => new Float64Array(v),
    (p, v) => (p.doubleVal = v),
    (t) => Array.from(t.data as Float64Array),
  ],
  [
    "int32",
    DataType.DT_INT32,
    (v) => new Int32Array(v),
    (p, v) => (p.intVal = v),
    (t) => Array.from(t.data as Int32Array),
  ],
  [
    "int16",
    DataType.DT_INT16,
    (v) => new Int16Array(v),
    (p, v) => (p.intVal = v),
    (t) => Array.from(t.data as Int16Array),
  ],
  [
    "int8",
    DataType.DT_INT8,
    (v) => new Int8Array(v),
    (p, v) => (p.intVal = v),
    (t) => Array.from(t.data as Int8Array),
  ],
  [
    "uint8",
    DataType.DT_UINT8,
    (v) => new Uint8Array(v),
    (p, v) => (p.intVal = v),
    (t) => Array.from(t.data as Uint8Array),
  ],
  [
    "uint16",
    DataType.DT_UINT16,
    (v) => new Uint16Array(v),
    (p, v) => (p.intVal = v),
    (t) => Array.from(t.data as Uint16Array),
  ],
  [
    "uint32",
    DataType.DT_UINT32,
    (v) => new Uint32Array(v),
    (p, v) => (p.uint32Val = v),
    (t) => Array.from(t.data as Uint32Array),
  ],
  [
    "qint8",
    DataType.DT_QINT8,
    (v) => new Int8Array(v),
    (p, v) => (p.intVal = v),
    (t) => Array.from(t.data as Int8Array),
  ],
  [
    "quint8",
    DataType.DT_QUINT8,
    (v) => new Uint8Array(v),
    (p, v) => (p.intVal = v),
    (t) => Array.from(t.data as Uint8Array),
  ],
  [
    "qint16",
    DataType.DT_QINT16,
    (v) => new Int16Array(v),
    (p, v) => (p.intVal = v),
    (t) => Array.from(t.data as Int16Array),
  ],
  [
    "quint16",
    DataType.DT_QUINT16,
    (v) => new Uint16Array(v),
    (p, v) => (p.intVal = v),
    (t) => Array.from(t.data as Uint16Array),
  ],
  [
    "qint32",
    DataType.DT_QINT32,
    (v) => new Int32Array(v),
    (p, v) => (p.intVal = v),
    (t) => Array.from(t.data as Int32Array),
  ],
  [
    "int64",
    DataType.DT_INT64,
    (v) => BigInt64Array.from(v.map(BigInt)),
    (p, v) => (p.int64Val = v.map(BigInt)),
    (t) => Array.from(t.data as BigInt64Array, Number),
  ],
  [
    "uint64",
    DataType.DT_UINT64,
    (v) => BigUint64Array.from(v.map(BigInt)),
    (p, v) => (p.uint64Val = v.map(BigInt)),
    (t) => Array.from(t.data as BigUint64Array, Number),
  ],
  [
    "bool",
    DataType.DT_BOOL,
    (v) => new Uint8Array(v),
    (p, v) => (p.boolVal = v.map((x) => x !== 0)),
    (t) => Array.from(t.data as Uint8Array),
  ],
  [
    "half",
    DataType.DT_HALF,
    (v) => new Uint16Array(v),
    (p, v) => (p.halfVal = v),
    (t) => Array.from(t.data as Uint16Array),
  ],
  [
    "bfloat16",
    DataType.DT_BFLOAT16,
    (v) => new Uint16Array(v),
    (p, v) => (p.halfVal = v),
    (t) => Array.from(t.data as Uint16Array),
  ],
];

const sample: Record<string, number[]> = {
  float: [1.5, -2, 3.25, 0, 2 ** 100, -0.125],
  double: [1.5, -2, 3.25, 0, 1e300, -0.125],
  int32: [1, -2, 2147483647, -2147483648, 0, 7],
  int16: [1, -2, 32767, -32768, 0, 7],
  int8: [1, -2, 127, -128, 0, 7],
  uint8: [1, 2, 255, 0, 128, 7],
  uint16: [1, 2, 65535, 0, 128, 7],
  uint32: [1, 2, 4294967295, 0, 128, 7],
  qint8: [1, -2, 127, -128, 0, 7],
  quint8: [1, 2, 255, 0, 128, 7],
  qint16: [1, -2, 32767, -32768, 0, 7],
  quint16: [1, 2, 65535, 0, 128, 7],
  qint32: [1, -2, 2147483647, -2147483648, 0, 7],
  int64: [1, -2, 2 ** 40, -(2 ** 40), 0, 7],
  uint64: [1, 2, 2 ** 40, 0, 128, 7],
  bool: [1, 0, 1, 1, 0, 0],
  half: [floatToHalf(1.5), floatToHalf(-2), 0x7c00, 0, floatToHalf(65504), 0x8000],
  bfloat16: [floatToBfloat16(1.5), floatToBfloat16(-2), 0x7f80, 0, floatToBfloat16(3e38), 0x8000],
};

describe("tensorFromProto / tensorToProto, every fixed-size dtype", () => {
  for (const [name, dtype, ctor, setField, read] of fixed) {
    const values = sample[name]!;
    it(`${name}: tensor_content round trip`, () => {
      const view = ctor(values) as unknown as ArrayBufferView;
      const content = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      const t = tensorFromProto(proto({ dtype, tensorShape: shapeOf([2, 3]), tensorContent: content }));
      assert.equal(t.dtype, dtype);
      assert.deepEqual(t.shape, [2, 3]);
      assert.deepEqual(read(t), values);
      const back = tensorToProto(t);
      assert.equal(back.dtype, dtype);
      assert.deepEqual(
        back.tensorShape?.dim.map((d) => d.size),
        [2n, 3n],
      );
      assert.deepEqual(Array.from(back.tensorContent), Array.from(content));
      // Through the wire format too.
      const wire = fromBinary(TensorProtoSchema, toBinary(TensorProtoSchema, back));
      assert.deepEqual(read(tensorFromProto(wire)), values);
    });
    it(`${name}: typed field, exact / fewer (last repeated) / more (ignored) / none (zeros)`, () => {
      const p = proto({ dtype, tensorShape: shapeOf([6]) });
      setField(p, values);
      assert.deepEqual(read(tensorFromProto(p)), values);
      const few = proto({ dtype, tensorShape: shapeOf([4]) });
      setField(few, values.slice(0, 2));
      assert.deepEqual(read(tensorFromProto(few)), [values[0], values[1], values[1], values[1]]);
      const more = proto({ dtype, tensorShape: shapeOf([2]) });
      setField(more, values);
      assert.deepEqual(read(tensorFromProto(more)), values.slice(0, 2));
      const none = proto({ dtype, tensorShape: shapeOf([3]) });
      assert.deepEqual(read(tensorFromProto(none)), [0, 0, 0]);
    });
    it(`${name}: wrong tensor_content size is INVALID_ARGUMENT`, () => {
      const view = ctor(values) as unknown as ArrayBufferView;
      const content = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      assertTfError(
        () =>
          tensorFromProto(
            proto({ dtype, tensorShape: shapeOf([5]), tensorContent: content }),
            "feed value 3",
          ),
        TfCode.INVALID_ARGUMENT,
        "feed value 3: tensor_content has",
      );
    });
  }
});

describe("tensor_content aliasing", () => {
  it("aliases aligned bytes and copies unaligned ones", () => {
    const buf = new Uint8Array(20);
    new Float32Array(buf.buffer, 4, 2).set([1.5, 2.5]);
    const aligned = tensorFromProto(
      proto({ dtype: DataType.DT_FLOAT, tensorShape: shapeOf([2]), tensorContent: buf.subarray(4, 12) }),
    );
    assert.equal((aligned.data as Float32Array).buffer, buf.buffer);
    assert.deepEqual(Array.from(aligned.data as Float32Array), [1.5, 2.5]);
    const odd = new Uint8Array(20);
    odd.set(buf.subarray(4, 12), 1);
    const copied = tensorFromProto(
      proto({ dtype: DataType.DT_FLOAT, tensorShape: shapeOf([2]), tensorContent: odd.subarray(1, 9) }),
    );
    assert.notEqual((copied.data as Float32Array).buffer, odd.buffer);
    assert.deepEqual(Array.from(copied.data as Float32Array), [1.5, 2.5]);
  });
  it("normalises bool bytes other than 0/1 to true", () => {
    const t = tensorFromProto(
      proto({ dtype: DataType.DT_BOOL, tensorShape: shapeOf([3]), tensorContent: bytes(0, 2, 1) }),
    );
    assert.deepEqual(Array.from(t.data as Uint8Array), [0, 1, 1]);
  });
  it("finds a non-0/1 bool byte at any position and alignment (the check reads words)", () => {
    for (const n of [1, 2, 3, 4, 5, 11]) {
      for (let offset = 0; offset < 4; offset++) {
        const buf = new Uint8Array(16);
        const content = buf.subarray(offset, offset + n);
        content.fill(1);
        const clean = tensorFromProto(
          proto({ dtype: DataType.DT_BOOL, tensorShape: shapeOf([n]), tensorContent: content }),
        );
        assert.deepEqual(Array.from(clean.data as Uint8Array), new Array(n).fill(1), `${n} at ${offset}`);
        for (let at = 0; at < n; at++) {
          content.fill(1);
          content[at] = 0x80;
          const t = tensorFromProto(
            proto({ dtype: DataType.DT_BOOL, tensorShape: shapeOf([n]), tensorContent: content }),
          );
          assert.deepEqual(
            Array.from(t.data as Uint8Array),
            new Array(n).fill(1),
            `${n} bools, offset ${offset}, at ${at}`,
          );
          assert.equal(content[at], 0x80, "the request's bytes are not written");
          assert.notEqual((t.data as Uint8Array).buffer, buf.buffer, "normalised in a copy");
        }
      }
    }
  });
});

describe("owned decoding (feeds)", () => {
  const floats = (n: number) => {
    const b = new Uint8Array(4 * n + 8);
    const content = b.subarray(4, 4 + 4 * n);
    new DataView(b.buffer).setUint32(4, 0x7f800001, true); // a signalling NaN with a payload
    for (let i = 1; i < n; i++) new DataView(b.buffer).setFloat32(4 + 4 * i, i, true);
    return content;
  };
  it("copies ordinary memory once, as bytes: shared storage when large, bit for bit", () => {
    for (const n of [3, 1 << 15]) {
      const content = floats(n);
      const t = tensorFromProto(
        proto({ dtype: DataType.DT_FLOAT, tensorShape: shapeOf([n]), tensorContent: content }),
        "feed",
        { own: true },
      );
      const data = t.data as Float32Array;
      assert.notEqual(data.buffer, content.buffer);
      assert.equal(data.buffer instanceof SharedArrayBuffer, 4 * n >= 64 * 1024, `${n} floats`);
      const out = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      assert.ok(Buffer.from(out).equals(Buffer.from(content)), "the NaN payload survives");
    }
  });
  it("adopts aligned shared memory that is mostly this tensor, copies a small part of it", () => {
    const n = 1 << 12;
    const sab = new Uint8Array(new SharedArrayBuffer(4 * n + 16));
    const content = sab.subarray(8, 8 + 4 * n);
    const adopted = tensorFromProto(
      proto({ dtype: DataType.DT_FLOAT, tensorShape: shapeOf([n]), tensorContent: content }),
      "feed",
      { own: true },
    );
    assert.equal((adopted.data as Float32Array).buffer, sab.buffer);
    const small = tensorFromProto(
      proto({ dtype: DataType.DT_FLOAT, tensorShape: shapeOf([4]), tensorContent: sab.subarray(8, 24) }),
      "feed",
      { own: true },
    );
    assert.notEqual((small.data as Float32Array).buffer, sab.buffer);
    const misaligned = tensorFromProto(
      proto({
        dtype: DataType.DT_FLOAT,
        tensorShape: shapeOf([n - 1]),
        tensorContent: sab.subarray(9, 9 + 4 * (n - 1)),
      }),
      "feed",
      { own: true },
    );
    assert.notEqual((misaligned.data as Float32Array).buffer, sab.buffer);
  });
  it("copies string bytes (tensor_content and string_val) out of the request", () => {
    const content = encodeStringList([enc.encode("ab"), enc.encode("c")]);
    const t = tensorFromProto(
      proto({ dtype: DataType.DT_STRING, tensorShape: shapeOf([2]), tensorContent: content }),
      "feed",
      { own: true },
    );
    for (const s of t.data as Uint8Array[]) assert.notEqual(s.buffer, content.buffer);
    const field = enc.encode("xyz");
    const v = tensorFromProto(
      proto({ dtype: DataType.DT_STRING, tensorShape: shapeOf([1]), stringVal: [field] }),
      "feed",
      {
        own: true,
      },
    );
    assert.notEqual((v.data as Uint8Array[])[0]!.buffer, field.buffer);
    assert.deepEqual([...(v.data as Uint8Array[])[0]!], [...field]);
  });
});

describe("complex", () => {
  it("complex64 and complex128 pairs from fields, content and back", () => {
    for (const [dtype, setF, ctor] of [
      [DataType.DT_COMPLEX64, (p: TensorProto, v: number[]) => (p.scomplexVal = v), Float32Array],
      [DataType.DT_COMPLEX128, (p: TensorProto, v: number[]) => (p.dcomplexVal = v), Float64Array],
    ] as const) {
      const p = proto({ dtype, tensorShape: shapeOf([3]) });
      setF(p, [1, 2, 3, 4]);
      const t = tensorFromProto(p);
      assert.deepEqual(Array.from(t.data as Float64Array), [1, 2, 3, 4, 3, 4]);
      const back = tensorToProto(t);
      assert.deepEqual(Array.from(new ctor(back.tensorContent.slice().buffer)), [1, 2, 3, 4, 3, 4]);
      assert.deepEqual(Array.from(tensorFromProto(back).data as Float64Array), [1, 2, 3, 4, 3, 4]);
    }
  });
});

describe("strings", () => {
  it('encodes ["ab", "\\xff"] as 02 01 61 62 ff (TF 2.21 layout)', () => {
    const t = new Tensor(DataType.DT_STRING, [2], [enc.encode("ab"), bytes(0xff)]);
    const p = tensorToProto(t);
    assert.deepEqual(Array.from(p.tensorContent), [0x02, 0x01, 0x61, 0x62, 0xff]);
    assert.equal(p.stringVal.length, 0);
  });
  it("decodes the varint layout, including multi-byte lengths and empty strings", () => {
    const long = new Uint8Array(300).fill(0x41);
    const content = encodeStringList([long, new Uint8Array(0), enc.encode("xyz")]);
    assert.deepEqual(Array.from(content.subarray(0, 4)), [0xac, 0x02, 0x00, 0x03]);
    const t = tensorFromProto(
      proto({ dtype: DataType.DT_STRING, tensorShape: shapeOf([3]), tensorContent: content }),
    );
    const d = t.data as Uint8Array[];
    assert.equal(d[0]!.length, 300);
    assert.equal(d[1]!.length, 0);
    assert.equal(new TextDecoder().decode(d[2]), "xyz");
  });
  it("decodes string_val with TF's fill rules", () => {
    const t = tensorFromProto(
      proto({
        dtype: DataType.DT_STRING,
        tensorShape: shapeOf([3]),
        stringVal: [enc.encode("a"), enc.encode("b")],
      }),
    );
    assert.deepEqual(
      (t.data as Uint8Array[]).map((b) => new TextDecoder().decode(b)),
      ["a", "b", "b"],
    );
    const z = tensorFromProto(proto({ dtype: DataType.DT_STRING, tensorShape: shapeOf([2]) }));
    assert.deepEqual(
      (z.data as Uint8Array[]).map((b) => b.length),
      [0, 0],
    );
  });
  it("rejects lengths that do not add up, truncated varints and too-short content", () => {
    const bad = (content: Uint8Array, n: number) => () =>
      tensorFromProto(
        proto({ dtype: DataType.DT_STRING, tensorShape: shapeOf([n]), tensorContent: content }),
      );
    assertTfError(
      bad(bytes(0x02, 0x01, 0x61, 0x62), 2),
      TfCode.INVALID_ARGUMENT,
      "lengths add up to 3 bytes but 2 bytes follow",
    );
    assertTfError(
      bad(bytes(0x01, 0x61, 0x62), 1),
      TfCode.INVALID_ARGUMENT,
      "lengths add up to 1 bytes but 2 bytes follow",
    );
    assertTfError(bad(bytes(0x80, 0x80), 1), TfCode.INVALID_ARGUMENT, "malformed varint32");
    assertTfError(bad(bytes(0x00), 1_000_000), TfCode.INVALID_ARGUMENT, "too few for 1000000 elements");
  });
});

describe("resources", () => {
  it("round-trips resource handles through resource_handle_val", () => {
    const h = {
      device: "/job:localhost/replica:0/task:0/device:CPU:0",
      container: "localhost",
      name: "v",
      hashCode: 42n,
      maybeTypeName: "N10tensorflow3VarE",
    };
    const t = new Tensor(DataType.DT_RESOURCE, [], [h]);
    const p = tensorToProto(t);
    assert.equal(p.tensorContent.length, 0);
    assert.equal(p.resourceHandleVal.length, 1);
    assert.deepEqual(tensorFromProto(p).data, [h]);
  });
});

describe("shapes and dtypes", () => {
  it("scalars carry an empty tensor_shape; zero-element tensors carry no data", () => {
    const s = tensorToProto(new Tensor(DataType.DT_FLOAT, [], new Float32Array([3])));
    assert.ok(s.tensorShape !== undefined);
    assert.equal(s.tensorShape.dim.length, 0);
    assert.equal(s.tensorContent.length, 4);
    for (const dtype of [DataType.DT_FLOAT, DataType.DT_STRING, DataType.DT_INT64]) {
      const z = tensorToProto(Tensor.zeros(dtype, [0, 3]));
      assert.equal(z.tensorContent.length, 0);
      assert.equal(z.stringVal.length, 0);
      assert.deepEqual(
        z.tensorShape?.dim.map((d) => d.size),
        [0n, 3n],
      );
      const back = tensorFromProto(z);
      assert.deepEqual(back.shape, [0, 3]);
    }
  });
  it("a missing tensor_shape is a scalar", () => {
    const t = tensorFromProto(proto({ dtype: DataType.DT_INT32, intVal: [7] }));
    assert.deepEqual(t.shape, []);
    assert.deepEqual(Array.from(t.data as Int32Array), [7]);
  });
  it("rejects invalid, ref and unknown dtypes", () => {
    assertTfError(
      () => tensorFromProto(proto({ dtype: DataType.DT_INVALID })),
      TfCode.INVALID_ARGUMENT,
      "invalid dtype",
    );
    assertTfError(
      () => tensorFromProto(proto({ dtype: 101 as DataType })),
      TfCode.INVALID_ARGUMENT,
      "float_ref",
    );
    assertTfError(
      () => tensorFromProto(proto({ dtype: 77 as DataType })),
      TfCode.INVALID_ARGUMENT,
      "unknown dtype enum (77)",
    );
    assertTfError(
      () =>
        tensorFromProto(
          proto({ dtype: DataType.DT_VARIANT, variantVal: [{ typeName: "tensorflow::Optional" }] }),
        ),
      TfCode.UNIMPLEMENTED,
      "variants of type tensorflow::Optional are not supported",
    );
  });
  it("rejects negative dims, unknown rank and overflowing shapes", () => {
    assertTfError(
      () => tensorFromProto(proto({ dtype: DataType.DT_FLOAT, tensorShape: { dim: [{ size: -1n }] } })),
      TfCode.INVALID_ARGUMENT,
      "dimension -1",
    );
    assertTfError(
      () => tensorFromProto(proto({ dtype: DataType.DT_FLOAT, tensorShape: { unknownRank: true } })),
      TfCode.INVALID_ARGUMENT,
      "unknown rank",
    );
    assertTfError(
      () => tensorFromProto(proto({ dtype: DataType.DT_FLOAT, tensorShape: shapeOf([2 ** 40, 2 ** 40]) })),
      TfCode.INVALID_ARGUMENT,
      "2**63 - 1",
    );
  });
  it("checks the allocation budget before allocating", () => {
    assertTfError(
      () => tensorFromProto(proto({ dtype: DataType.DT_FLOAT, tensorShape: shapeOf([1e9, 1e9]) })),
      TfCode.INVALID_ARGUMENT,
      "elements",
    );
    assertTfError(
      () =>
        tensorFromProto(proto({ dtype: DataType.DT_FLOAT, tensorShape: shapeOf([1e6, 1e6]), floatVal: [1] })),
      TfCode.RESOURCE_EXHAUSTED,
      "OOM when allocating tensor",
    );
    const old = getMaxTensorBytes();
    try {
      setMaxTensorBytes(64);
      assertTfError(
        () => tensorFromProto(proto({ dtype: DataType.DT_DOUBLE, tensorShape: shapeOf([9]) })),
        TfCode.RESOURCE_EXHAUSTED,
        "exceeds the per-tensor limit of 64 bytes",
      );
    } finally {
      setMaxTensorBytes(old);
    }
  });
  it("narrows int_val like static_cast and takes half_val as raw bits", () => {
    const t = tensorFromProto(
      proto({ dtype: DataType.DT_INT8, tensorShape: shapeOf([2]), intVal: [200, -129] }),
    );
    assert.deepEqual(Array.from(t.data as Int8Array), [-56, 127]);
    const h = tensorFromProto(
      proto({ dtype: DataType.DT_HALF, tensorShape: shapeOf([1]), halfVal: [0x3c00] }),
    );
    assert.deepEqual(Array.from(h.data as Uint16Array), [0x3c00]);
  });
});

describe("variant tensors (TF's Variant::Encode, TensorList::Encode)", () => {
  it("round-trips a TensorList with unset elements, its element shape and max_num_elements", () => {
    const a = new Tensor(DataType.DT_FLOAT, [2], Float32Array.of(1.5, -2));
    const b = new Tensor(DataType.DT_FLOAT, [2], Float32Array.of(3, 4));
    const list = new TensorList(DataType.DT_FLOAT, [-1], [a, undefined, b], 7);
    const p = tensorToProto(new Tensor(DataType.DT_VARIANT, [], [list]));
    assert.equal(p.variantVal[0]!.typeName, "tensorflow::TensorList");
    assert.equal(p.variantVal[0]!.tensors.length, 2);
    const back = tensorFromProto(fromBinary(TensorProtoSchema, toBinary(TensorProtoSchema, p)));
    const got = back.data[0] as TensorList;
    assert.ok(got instanceof TensorList);
    assert.equal(got.elementDtype, DataType.DT_FLOAT);
    assert.deepEqual(got.elementShape, [-1]);
    assert.equal(got.maxNumElements, 7);
    assert.equal(got.tensors[1], undefined);
    assert.deepEqual([...(got.tensors[2]!.data as Float32Array)], [3, 4]);
  });
  it("encodes an unknown element shape and no limit as TF does (unknown_rank, -1)", () => {
    const list = new TensorList(DataType.DT_INT32, undefined, []);
    const p = tensorToProto(new Tensor(DataType.DT_VARIANT, [], [list]));
    const back = tensorFromProto(p).data[0] as TensorList;
    assert.equal(back.elementShape, undefined);
    assert.equal(back.maxNumElements, -1);
    // metadata: 0 unset, dtype 3, max 2^64-1 (ten varint bytes), then TensorShapeProto{unknown_rank}.
    assert.deepEqual(
      [...p.variantVal[0]!.metadata],
      [0, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1, 24, 1],
    );
  });
  it("rejects variant values sent as tensor_content", () => {
    assertTfError(
      () => tensorFromProto(proto({ dtype: DataType.DT_VARIANT, tensorContent: Uint8Array.of(1) })),
      TfCode.INVALID_ARGUMENT,
      "variant_val",
    );
  });
});
