// What TF's summary kernels share (core/kernels/summary_op.cc, summary_image_op.cc,
// summary_audio_op.cc, summary_tensor_op.cc): the serialized tensorflow.Summary they output as a
// scalar string, tags, and the tensor encoding of the tensor summaries.
// protobuf-es writes fields in field-number order, as TF's C++ serializer does, so equal messages
// give TF's bytes.

import { create, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import {
  type Summary_ValueSchema,
  SummarySchema,
} from "../../../../gen/tensorflow/core/framework/summary_pb.js";
import { type TensorProto, TensorProtoSchema } from "../../../../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../../../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { Tensor } from "../../framework/tensor.js";
import { tensorToProto } from "../../framework/tensor-proto.js";
import { DataType } from "../../framework/types.js";
import { numericData } from "./tensor-util.js";

export type SummaryValueInit = MessageInitShape<typeof Summary_ValueSchema>;

/** A scalar DT_STRING tensor holding a serialized Summary of `values`. */
export function summaryTensor(values: readonly SummaryValueInit[]): Tensor {
  const bytes = toBinary(SummarySchema, create(SummarySchema, { value: [...values] }));
  return new Tensor(DataType.DT_STRING, [], [bytes]);
}

const utf8 = new TextDecoder();

/** The first string of a string tensor as text (a tag). */
export function tagOf(t: Tensor): string {
  return utf8.decode((t.data as Uint8Array[])[0]!);
}

/**
 * The TensorProto a tensor summary carries: strings element by element in string_val (TF's
 * AsProtoField, which Python's make_ndarray reads), every other dtype as raw bytes in
 * tensor_content (AsProtoTensorContent).
 */
export function summaryTensorProto(t: Tensor): TensorProto {
  if (t.dtype !== DataType.DT_STRING) return tensorToProto(t);
  return create(TensorProtoSchema, {
    dtype: t.dtype,
    tensorShape: create(TensorShapeProtoSchema, { dim: t.shape.map((d) => ({ size: BigInt(d) })) }),
    stringVal: (t.data as Uint8Array[]).slice(0, t.numElements),
  });
}

/** A real-valued tensor's elements as doubles (TF's static_cast<double>; 64-bit integers rounded). */
export function doublesOf(t: Tensor): ArrayLike<number> {
  const d = t.data;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return Array.from(d, Number);
  return numericData(t);
}
