// AttrValue constructors (`attr.type(DT_FLOAT)`, `attr.shape([2, -1])`, …): the attrs of every node
// the builder, the control-flow contexts and the gradient functions make.

import { create } from "@bufbuild/protobuf";
import { type AttrValue, AttrValueSchema } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { TensorShapeProtoSchema } from "../gen/tensorflow/core/framework/tensor_shape_pb.js";
import type { DataType } from "../gen/tensorflow/core/framework/types_pb.js";
import type { Shape } from "./graph-types.js";
import { type Tensor, toTensorProto } from "./tensor.js";

const utf8 = new TextEncoder();

/** AttrValue constructors. */
export const attr = {
  type: (t: DataType): AttrValue => create(AttrValueSchema, { value: { case: "type", value: t } }),
  i: (v: number): AttrValue => create(AttrValueSchema, { value: { case: "i", value: BigInt(v) } }),
  f: (v: number): AttrValue => create(AttrValueSchema, { value: { case: "f", value: v } }),
  b: (v: boolean): AttrValue => create(AttrValueSchema, { value: { case: "b", value: v } }),
  s: (v: string): AttrValue => create(AttrValueSchema, { value: { case: "s", value: utf8.encode(v) } }),
  shape: (shape: Shape): AttrValue =>
    create(AttrValueSchema, {
      value: {
        case: "shape",
        value:
          shape === undefined
            ? create(TensorShapeProtoSchema, { unknownRank: true })
            : create(TensorShapeProtoSchema, { dim: shape.map((d) => ({ size: BigInt(d) })) }),
      },
    }),
  tensor: (t: Tensor): AttrValue =>
    create(AttrValueSchema, { value: { case: "tensor", value: toTensorProto(t) } }),
};
