// AttrValue builders (TF's attr_value.proto) for every test, test harness and benchmark: one spelling
// of a NodeDef attr across kernel, placer, session and end-to-end tests.

import { create } from "@bufbuild/protobuf";
import {
  type AttrValue,
  AttrValue_ListValueSchema,
  AttrValueSchema,
} from "../../gen/tensorflow/core/framework/attr_value_pb.js";
import type { TensorProto } from "../../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import type { DataType } from "../../gen/tensorflow/core/framework/types_pb.js";

const utf8 = new TextEncoder();

const list = (value: Parameters<typeof create<typeof AttrValue_ListValueSchema>>[1]): AttrValue =>
  create(AttrValueSchema, { value: { case: "list", value: create(AttrValue_ListValueSchema, value) } });

export const attr = {
  type: (t: DataType): AttrValue => create(AttrValueSchema, { value: { case: "type", value: t } }),
  int: (i: number | bigint): AttrValue => create(AttrValueSchema, { value: { case: "i", value: BigInt(i) } }),
  float: (f: number): AttrValue => create(AttrValueSchema, { value: { case: "f", value: f } }),
  bool: (b: boolean): AttrValue => create(AttrValueSchema, { value: { case: "b", value: b } }),
  string: (s: string): AttrValue => create(AttrValueSchema, { value: { case: "s", value: utf8.encode(s) } }),
  /** A shape; undefined is an unknown rank, -1 an unknown dimension. */
  shape: (dims: readonly number[] | undefined): AttrValue =>
    create(AttrValueSchema, {
      value: {
        case: "shape",
        value:
          dims === undefined
            ? create(TensorShapeProtoSchema, { unknownRank: true })
            : create(TensorShapeProtoSchema, { dim: dims.map((d) => ({ size: BigInt(d) })) }),
      },
    }),
  tensor: (t: TensorProto): AttrValue => create(AttrValueSchema, { value: { case: "tensor", value: t } }),
  intList: (is: readonly (number | bigint)[]): AttrValue => list({ i: is.map((i) => BigInt(i)) }),
  floatList: (fs: readonly number[]): AttrValue => list({ f: [...fs] }),
  typeList: (ts: readonly DataType[]): AttrValue => list({ type: [...ts] }),
  stringList: (ss: readonly string[]): AttrValue => list({ s: ss.map((s) => utf8.encode(s)) }),
  /** A list of fully defined shapes. */
  shapeList: (shapes: readonly (readonly number[])[]): AttrValue =>
    list({
      shape: shapes.map((dims) =>
        create(TensorShapeProtoSchema, { dim: dims.map((d) => ({ size: BigInt(d) })) }),
      ),
    }),
};
