// TF's ReadVariableOp (core/kernels/resource_variable_ops.cc): the current value of a resource
// variable. A missing variable is FAILED_PRECONDITION with TF's "Could not find variable" text.

import { invalidArgument, isTfError } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { type DataType, dataTypeString } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { couldNotFindVariable, handleFromInput, lookupVar, type Var } from "./util/variables.js";

export function readVariable(ctx: OpKernelContext, dtype: DataType): Tensor {
  const h = handleFromInput(ctx);
  let v: Var;
  try {
    v = lookupVar(ctx, h);
  } catch (e) {
    if (isTfError(e) && e.code === 5) throw couldNotFindVariable(h, e);
    throw e;
  }
  if (v.value === undefined) {
    throw couldNotFindVariable(h, new Error(`Resource ${h.container}/${h.name} is not initialized.`));
  }
  if (v.value.dtype !== dtype) {
    throw invalidArgument(
      `Trying to read variable with wrong dtype. Expected ${dataTypeString(dtype)} got ${dataTypeString(v.value.dtype)}`,
    );
  }
  return v.value;
}

export const readVariableOpConfig: KernelConfig = {
  op: {
    name: "ReadVariableOp",
    inputs: ["resource: resource"],
    outputs: ["value: dtype"],
    attrs: ["dtype: type"],
    isStateful: true,
  },
  kernel: cpuKernel("ReadVariableOp", (c) => {
    const dtype = getAttrType(c.attrs, "dtype");
    return { compute: (ctx) => ctx.setOutput(0, readVariable(ctx, dtype)) };
  }),
};
