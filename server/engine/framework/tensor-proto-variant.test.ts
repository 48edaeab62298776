// DT_VARIANT tensors as TensorProtos (what a fetch of a TensorList returns): TF's EncodeVariantList
// layout and TensorList::Encode's metadata, byte for byte against TF 2.21's SerializeTensor of the
// same lists; element tensors are checked by value (TF writes them with AsProtoField, this engine
// with tensor_content: both are valid protos of the same tensor).

import assert from "node:assert/strict";
import { test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { VariantTensorDataProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_pb.js";
import { fromValues, Tensor } from "./tensor.js";
import { tensorFromProto, tensorToProto } from "./tensor-proto.js";
import { DataType } from "./types.js";
import { TensorList } from "./variant.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Splits tensor_content of one variant: a varint32 length, then the VariantTensorDataProto. */
function onlyElement(content: Uint8Array) {
  let len = 0;
  let shift = 0;
  let at = 0;
  for (;;) {
    const b = content[at++]!;
    len |= (b & 0x7f) << shift;
    shift += 7;
    if (b < 0x80) break;
  }
  assert.equal(content.length, at + len, "one element, length-prefixed");
  return fromBinary(VariantTensorDataProtoSchema, content.subarray(at));
}

// TF 2.21: TensorListReserve([-1, 2], 3, float) then SetItem(1, [[1, 2]]); EmptyTensorList([2],
// max 5, int32) then PushBack([3, 4]); EmptyTensorList(-1, -1, int64).
const cases = [
  {
    list: new TensorList(
      DataType.DT_FLOAT,
      [-1, 2],
      [undefined, fromValues(DataType.DT_FLOAT, [1, 2], [1, 2]), undefined],
    ),
    metadata: "02000201ffffffffffffffffff01120b08ffffffffffffffffff0112020802",
  },
  {
    list: new TensorList(DataType.DT_INT32, [2], [fromValues(DataType.DT_INT32, [2], [3, 4])], 5),
    metadata: "00030512020802",
  },
  { list: new TensorList(DataType.DT_INT64, undefined, []), metadata: "0009ffffffffffffffffff011801" },
];

test("a TensorList scalar encodes as TF's TensorList::Encode inside EncodeVariantList", () => {
  for (const { list, metadata } of cases) {
    const p = tensorToProto(new Tensor(DataType.DT_VARIANT, [], [list]));
    assert.equal(p.dtype, DataType.DT_VARIANT);
    assert.deepEqual(p.tensorShape?.dim, []);
    const v = onlyElement(p.tensorContent);
    assert.equal(v.typeName, "tensorflow::TensorList");
    assert.equal(hex(v.metadata), metadata);
    const set = list.tensors.filter((t) => t !== undefined);
    assert.equal(v.tensors.length, set.length);
    v.tensors.forEach((tp, i) => {
      const t = tensorFromProto(tp);
      assert.equal(t.dtype, set[i]!.dtype);
      assert.deepEqual(t.shape, set[i]!.shape);
      assert.deepEqual(Array.from(t.data as Float32Array), Array.from(set[i]!.data as Float32Array));
    });
  }
});

test("the serialized proto of an empty-element-shape list equals TF's bytes exactly", () => {
  // No element tensors, so every byte is comparable: tensor_content of TF's SerializeTensor.
  const p = tensorToProto(new Tensor(DataType.DT_VARIANT, [], [cases[2]!.list]));
  assert.equal(
    hex(p.tensorContent),
    "280a1674656e736f72666c6f773a3a54656e736f724c697374120e0009ffffffffffffffffff011801",
  );
});
