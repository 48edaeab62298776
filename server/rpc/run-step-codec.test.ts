// run-step-codec: the hand-written encoding is byte for byte protobuf-es toBinary's, for tensors of
// every dtype, empty and string tensors, errors in the body, metadata and unknown fields; big tensor
// contents go out as views of the caller's bytes.

import assert from "node:assert/strict";
import { test } from "node:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type TensorProto,
  TensorProtoSchema,
  VariantTensorDataProtoSchema,
} from "../../gen/tensorflow/core/framework/tensor_pb.js";
import { DataType } from "../../gen/tensorflow/core/framework/types_pb.js";
import { RunMetadataSchema } from "../../gen/tensorflow/core/protobuf/config_pb.js";
import {
  type RunCallableResponse,
  RunCallableResponseSchema,
  type RunStepResponse,
  RunStepResponseSchema,
} from "../../gen/tensorflow/core/protobuf/master_pb.js";
import { Code } from "../../gen/xla/tsl/protobuf/error_codes_pb.js";
import {
  type EncodedMessage,
  encodeRunCallableResponse,
  encodeRunStepResponse,
  isEmptyRunMetadata,
  runMetadataFieldNames,
  viewMinBytes,
} from "./run-step-codec.js";

function joined(m: EncodedMessage, reserve = 0): Uint8Array {
  const out = Buffer.concat(m.chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
  assert.equal(out.length, m.byteLength + reserve);
  assert.ok(out.subarray(0, reserve).every((b) => b === 0));
  return out.subarray(reserve);
}

/** A small deterministic generator (mulberry32), so a failure names a reproducible seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dtypes = Object.values(DataType).filter((v) => typeof v === "number") as DataType[];

function randomTensor(next: () => number): TensorProto {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const dims = Array.from({ length: Math.floor(next() * 4) }, () => ({
    size: pick([0n, 1n, 3n, 200n, -1n, 1n << 40n]),
    name: pick(["", "", "batch", "é"]),
  }));
  const contentLength = pick([0, 1, 7, viewMinBytes - 1, viewMinBytes, 4096, 70_000]);
  const content = new Uint8Array(contentLength);
  for (let i = 0; i < contentLength; i++) content[i] = (i * 31 + contentLength) & 0xff;
  const t = create(TensorProtoSchema, {
    dtype: pick(dtypes),
    tensorShape: next() < 0.9 ? { dim: dims, unknownRank: next() < 0.1 } : undefined,
    versionNumber: pick([0, 0, 1, -5]),
    tensorContent: content,
  });
  const extra = Math.floor(next() * 8);
  if (extra === 1) t.stringVal = [new TextEncoder().encode("hello"), new Uint8Array(0), new Uint8Array(300)];
  if (extra === 2) t.floatVal = [1.5, -0, Number.NaN];
  if (extra === 3) t.int64Val = [-1n, 5n];
  if (extra === 4) t.halfVal = [1, 2];
  if (extra === 5)
    t.variantVal = [create(VariantTensorDataProtoSchema, { typeName: "x", metadata: new Uint8Array([1]) })];
  return t;
}

function randomRunStep(next: () => number): RunStepResponse {
  const res = create(RunStepResponseSchema, {
    tensor: Array.from({ length: Math.floor(next() * 5) }, (_, i) => ({
      name: i % 3 === 2 ? "" : `out_${i}:0`,
      tensor: next() < 0.9 ? randomTensor(next) : undefined,
    })),
  });
  if (next() < 0.2) {
    res.statusCode = 3;
    res.statusErrorMessage = "Invalid argument: bad feed ∅";
  }
  if (next() < 0.1)
    res.metadata = create(RunMetadataSchema, { partitionGraphs: [{ versions: { producer: 1 } }] });
  return res;
}

test("RunStepResponse: the chunks are toBinary's bytes, for many random responses", () => {
  for (let seed = 1; seed <= 400; seed++) {
    const res = randomRunStep(random(seed));
    const expected = toBinary(RunStepResponseSchema, res);
    assert.deepEqual(joined(encodeRunStepResponse(res)), Buffer.from(expected), `seed ${seed}`);
    assert.deepEqual(joined(encodeRunStepResponse(res, 5), 5), Buffer.from(expected), `seed ${seed} reserve`);
  }
});

test("RunCallableResponse: the chunks are toBinary's bytes, for many random responses", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const next = random(seed);
    const res: RunCallableResponse = create(RunCallableResponseSchema, {
      fetch: Array.from({ length: Math.floor(next() * 4) }, () => randomTensor(next)),
    });
    if (next() < 0.2) res.metadata = create(RunMetadataSchema, {});
    const expected = toBinary(RunCallableResponseSchema, res);
    assert.deepEqual(joined(encodeRunCallableResponse(res, 5), 5), Buffer.from(expected), `seed ${seed}`);
  }
});

test("every dtype, the empty response and the empty tensor", () => {
  assert.equal(encodeRunStepResponse(create(RunStepResponseSchema)).byteLength, 0);
  for (const dtype of dtypes) {
    for (const content of [new Uint8Array(0), new Uint8Array(8).fill(dtype), new Uint8Array(1000).fill(1)]) {
      const res = create(RunStepResponseSchema, {
        tensor: [
          { name: "t:0", tensor: { dtype, tensorShape: { dim: [{ size: 2n }] }, tensorContent: content } },
        ],
      });
      assert.deepEqual(joined(encodeRunStepResponse(res)), Buffer.from(toBinary(RunStepResponseSchema, res)));
    }
  }
});

test("an empty RunMetadata takes the shortcut only when it has nothing toBinary would write", () => {
  // The shortcut names every field: a field added to the schema must be added to it.
  assert.deepEqual(
    RunMetadataSchema.fields.map((f) => f.localName).sort(),
    [...runMetadataFieldNames].sort(),
  );
  const empty = create(RunMetadataSchema);
  assert.ok(isEmptyRunMetadata(empty));
  const withUnknown = fromBinary(RunMetadataSchema, Uint8Array.of(0x78, 0x05));
  const notEmpty = [
    create(RunMetadataSchema, { stepStats: {} }),
    create(RunMetadataSchema, { costGraph: {} }),
    create(RunMetadataSchema, { partitionGraphs: [{}] }),
    create(RunMetadataSchema, { functionGraphs: [{}] }),
    create(RunMetadataSchema, { sessionMetadata: {} }),
    withUnknown,
  ];
  for (const md of notEmpty) assert.ok(!isEmptyRunMetadata(md));
  for (const metadata of [empty, ...notEmpty]) {
    for (const statusCode of [Code.OK, Code.INVALID_ARGUMENT]) {
      const res = create(RunStepResponseSchema, { metadata, statusCode });
      assert.deepEqual(
        joined(encodeRunStepResponse(res, 5), 5),
        Buffer.from(toBinary(RunStepResponseSchema, res)),
      );
      const callable = create(RunCallableResponseSchema, { metadata });
      assert.deepEqual(
        joined(encodeRunCallableResponse(callable)),
        Buffer.from(toBinary(RunCallableResponseSchema, callable)),
      );
    }
  }
});

test("a string tensor (string_val) and an error carried in the body", () => {
  const res = create(RunStepResponseSchema, {
    tensor: [
      {
        name: "s:0",
        tensor: {
          dtype: DataType.DT_STRING,
          tensorShape: { dim: [{ size: 2n }] },
          stringVal: [new TextEncoder().encode("a"), new Uint8Array([0, 255])],
        },
      },
    ],
    statusCode: 9,
    statusErrorMessage: "Attempting to use uninitialized value v",
  });
  const bytes = joined(encodeRunStepResponse(res));
  assert.deepEqual(bytes, Buffer.from(toBinary(RunStepResponseSchema, res)));
  assert.equal(fromBinary(RunStepResponseSchema, bytes).statusErrorMessage, res.statusErrorMessage);
});

test("unknown fields are kept where toBinary writes them", () => {
  const withUnknown = fromBinary(
    RunStepResponseSchema,
    Buffer.concat([
      toBinary(RunStepResponseSchema, create(RunStepResponseSchema, { statusCode: 1 })),
      Buffer.from([0x78, 0x05]), // field 15, varint 5
    ]),
  );
  assert.deepEqual(
    joined(encodeRunStepResponse(withUnknown)),
    Buffer.from(toBinary(RunStepResponseSchema, withUnknown)),
  );
  const tensor = fromBinary(
    TensorProtoSchema,
    Buffer.concat([
      toBinary(TensorProtoSchema, create(TensorProtoSchema, { dtype: 1 })),
      Buffer.from([0xf8, 0x01, 0x02]),
    ]),
  );
  const res = create(RunCallableResponseSchema, { fetch: [tensor] });
  assert.deepEqual(
    joined(encodeRunCallableResponse(res)),
    Buffer.from(toBinary(RunCallableResponseSchema, res)),
  );
});

test("a large tensor content is a chunk of its own: the caller's bytes, not a copy", () => {
  const content = new Uint8Array(new ArrayBuffer(1 << 20), 16, 4096);
  const res = create(RunStepResponseSchema, {
    tensor: [
      {
        name: "big:0",
        tensor: { dtype: DataType.DT_FLOAT, tensorShape: { dim: [{ size: 1024n }] }, tensorContent: content },
      },
    ],
  });
  const encoded = encodeRunStepResponse(res, 5);
  assert.ok(encoded.chunks.includes(content));
  assert.equal(encoded.chunks.length, 2);
  const small = create(RunStepResponseSchema, {
    tensor: [{ name: "s:0", tensor: { dtype: DataType.DT_FLOAT, tensorContent: new Uint8Array(4) } }],
  });
  assert.equal(encodeRunStepResponse(small, 5).chunks.length, 1);
});
