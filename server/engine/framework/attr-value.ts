// Constructors for the AttrValues the engine writes itself (on _Send/_Recv, _Arg/_Retval, …).

import { create } from "@bufbuild/protobuf";
import { type AttrValue, AttrValueSchema } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import type { DataType } from "./types.js";

const utf8 = new TextEncoder();

export const stringAttr = (s: string): AttrValue =>
  create(AttrValueSchema, { value: { case: "s", value: utf8.encode(s) } });
export const intAttr = (i: bigint | number): AttrValue =>
  create(AttrValueSchema, { value: { case: "i", value: BigInt(i) } });
export const boolAttr = (b: boolean): AttrValue =>
  create(AttrValueSchema, { value: { case: "b", value: b } });
export const typeAttr = (t: DataType): AttrValue =>
  create(AttrValueSchema, { value: { case: "type", value: t } });
