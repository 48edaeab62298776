// TF's SetSize (core/kernels/set_kernels.cc): tf.sets.size, the number of distinct values in each
// row (last dimension) of a SparseTensor, as int32 of the other dimensions' shape; see set-ops.ts.

import { getAttrBool } from "../framework/op-def.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { SET_TYPES, setSize } from "./util/set-ops.js";

export const setSizeConfig: KernelConfig = {
  op: {
    name: "SetSize",
    inputs: ["set_indices: int64", "set_values: T", "set_shape: int64"],
    outputs: ["size: int32"],
    attrs: ["validate_indices: bool = true", "T: {int8, int16, int32, int64, uint8, uint16, string}"],
  },
  kernel: cpuKernel("SetSize", (c) => {
    checkTypeConstraint(c, "T", SET_TYPES);
    const validate = getAttrBool(c.attrs, "validate_indices");
    return {
      compute: (ctx) => ctx.setOutput(0, setSize(ctx.input(0), ctx.input(1), ctx.input(2), validate)),
    };
  }),
};
