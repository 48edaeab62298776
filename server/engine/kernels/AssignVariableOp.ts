// TF's AssignVariableOp (core/kernels/resource_variable_ops.cc): creates the Var on first use and
// stores the value. validate_shape (default false) checks an initialised variable's shape.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrType, hasAttr } from "../framework/op-def.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { sameShape, shapeString } from "../framework/tensor.js";
import { type DataType, DataType as DT, dataTypeString } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { copyTensor } from "./util/tensor-util.js";
import { handleFromInput, VAR_TYPE_NAME, type Var, validateDevice } from "./util/variables.js";

export function assignVariable(ctx: OpKernelContext, dtype: DataType, validateShape: boolean): void {
  const value = ctx.input(1);
  if (value.dtype !== dtype) {
    throw invalidArgument(
      `Variable and value dtypes don't match; respectively, ${dataTypeString(dtype)} and ${dataTypeString(value.dtype)}`,
    );
  }
  const h = handleFromInput(ctx);
  validateDevice(ctx, h);
  const mgr = ctx.step.resources;
  const container = h.container === "" ? mgr.defaultContainer : h.container;
  const v = mgr.lookupOrCreate<Var>(container, h.name, VAR_TYPE_NAME, () => ({
    dtype,
    value: undefined,
    isInitialized: false,
  }));
  if (v.isInitialized && v.dtype !== dtype) {
    throw invalidArgument(
      `Trying to assign variable with wrong dtype. Expected ${dataTypeString(v.dtype)} got ${dataTypeString(dtype)}`,
    );
  }
  if (validateShape && v.isInitialized && v.value !== undefined && !sameShape(v.value.shape, value.shape)) {
    throw invalidArgument(
      `Trying to assign to variable with tensor with wrong shape. Expected ${shapeString(v.value.shape)} got ${shapeString(value.shape)}`,
    );
  }
  // The variable outlives the step: copy so it never aliases a request buffer or another tensor.
  v.value = copyTensor(value);
  v.dtype = dtype;
  v.isInitialized = true;
}

export const assignVariableOpConfig: KernelConfig = {
  op: {
    name: "AssignVariableOp",
    inputs: ["resource: resource", "value: dtype"],
    attrs: ["dtype: type", "validate_shape: bool = false"],
    isStateful: true,
  },
  kernel: cpuKernel("AssignVariableOp", (c) => {
    const dtype = getAttrType(c.attrs, "dtype");
    const validateShape = hasAttr(c.attrs, "validate_shape") ? getAttrBool(c.attrs, "validate_shape") : false;
    if (dtype === DT.DT_RESOURCE) throw invalidArgument("AssignVariableOp cannot store resource handles");
    return { compute: (ctx) => assignVariable(ctx, dtype, validateShape) };
  }),
};
