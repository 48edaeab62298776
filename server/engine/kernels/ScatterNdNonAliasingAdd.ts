// TF's ScatterNdNonAliasingAdd (core/kernels/scatter_nd_op.cc): a copy of the input with updates
// added at the slices addressed by indices (bools or-ed), checked like ScatterNdAdd.

import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES, T } from "./util/kernel-config.js";
import {
  computeTensorScatter,
  INDEX_ATTR,
  POLICY_ATTR,
  validateVariableInputs,
} from "./util/scatter-nd-functor.js";

export const scatterNdNonAliasingAddConfig: KernelConfig = {
  op: {
    name: "ScatterNdNonAliasingAdd",
    inputs: ["input: T", "indices: Tindices", "updates: T"],
    outputs: ["output: T"],
    attrs: ["T: {numbertype, bool}", INDEX_ATTR, POLICY_ATTR],
  },
  kernel: cpuKernel("ScatterNdNonAliasingAdd", (c) => {
    checkTypeConstraint(c, "T", [...NUMBER_TYPES, T.bool]);
    return {
      compute(ctx) {
        const input = ctx.input(0);
        const indices = ctx.input(1);
        const updates = ctx.input(2);
        validateVariableInputs(input, indices, updates);
        return computeTensorScatter(ctx, input, indices, updates, "Add");
      },
    };
  }),
};
