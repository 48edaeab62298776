// TF's Const (core/kernels/constant_op.cc): outputs the tensor held in its `value` attr.
// The tensor is decoded once at construction and shared by every step.

import { invalidArgument, isTfError, TfCode } from "../framework/errors.js";
import type { AttrMap } from "../framework/op-def.js";
import { getAttrType } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { tensorFromProto } from "../framework/tensor-proto.js";
import { dataTypeString } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

/** Decodes and checks a Const node's value (TF's ConstantOp constructor). */
export function constValue(attrs: AttrMap): Tensor {
  const v = attrs.value;
  if (v === undefined || v.value.case !== "tensor")
    throw invalidArgument("Const node is missing its 'value' tensor attr");
  const proto = v.value.value;
  const dtype = getAttrType(attrs, "dtype");
  let t: Tensor;
  try {
    t = tensorFromProto(proto, "Const value");
  } catch (e) {
    // Budget and unsupported-dtype errors keep their codes; malformed protos get TF's wording.
    if (!isTfError(e) || e.code !== TfCode.INVALID_ARGUMENT) throw e;
    throw invalidArgument(`Cannot parse tensor from proto: ${e.message}`);
  }
  if (t.dtype !== dtype) {
    throw invalidArgument(
      `Type mismatch between value (${dataTypeString(t.dtype)}) and dtype (${dataTypeString(dtype)})`,
    );
  }
  return t;
}

export const constConfig: KernelConfig = {
  op: { name: "Const", outputs: ["output: dtype"], attrs: ["value: tensor", "dtype: type"] },
  kernel: cpuKernel("Const", (c) => {
    const value = constValue(c.attrs);
    return { compute: (ctx) => ctx.setOutput(0, value) };
  }),
};
