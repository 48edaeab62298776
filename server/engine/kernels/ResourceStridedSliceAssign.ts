// TF's ResourceStridedSliceAssign (core/kernels/strided_slice_op.cc StridedSliceAssignOp on a
// resource variable): `var[slice] = value` for a resource variable (tf.Variable slices' assign).

import { invalidArgument } from "../framework/errors.js";
import { dataTypeString } from "../framework/types.js";
import { readStridedSliceMasks } from "./StridedSlice.js";
import { SLICE_ASSIGN_ATTRS, sliceAssigned } from "./StridedSliceAssign.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { couldNotFindVariable, handleFromInput, lookupVar } from "./util/variables.js";

export const resourceStridedSliceAssignConfig: KernelConfig = {
  op: {
    name: "ResourceStridedSliceAssign",
    inputs: ["ref: resource", "begin: Index", "end: Index", "strides: Index", "value: T"],
    attrs: SLICE_ASSIGN_ATTRS,
    isStateful: true,
  },
  kernel: cpuKernel("ResourceStridedSliceAssign", (c) => {
    const masks = readStridedSliceMasks(c.attrs);
    return {
      compute(ctx) {
        const h = handleFromInput(ctx);
        const v = lookupVar(ctx, h);
        const current = v.value;
        if (current === undefined) {
          throw couldNotFindVariable(h, new Error(`Resource ${h.container}/${h.name} is not initialized.`));
        }
        const value = ctx.input(4);
        if (current.dtype !== value.dtype) {
          throw invalidArgument(
            `l-value dtype ${dataTypeString(current.dtype)} does not match r-value dtype ${dataTypeString(value.dtype)}`,
          );
        }
        v.value = sliceAssigned(current, [ctx.input(1), ctx.input(2), ctx.input(3)], value, masks);
      },
    };
  }),
};
