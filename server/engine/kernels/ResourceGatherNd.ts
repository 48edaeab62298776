// TF's ResourceGatherNd (core/kernels/resource_variable_ops.cc ResourceGatherNdOp): GatherNd on the
// value of a resource variable, with GatherNd's checks and messages.

import { invalidArgument } from "../framework/errors.js";
import { gatherNdJob } from "./GatherNd.js";
import { computeJob } from "./util/element-slices.js";
import { ALL_TYPES, checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { checkVarDtype } from "./util/scatter-functor.js";
import { handleFromInput, initializedVar } from "./util/variables.js";

export const resourceGatherNdConfig: KernelConfig = {
  op: {
    name: "ResourceGatherNd",
    inputs: ["resource: resource", "indices: Tindices"],
    outputs: ["output: dtype"],
    attrs: ["dtype: type", "Tindices: {int32, int64}"],
    isStateful: true,
  },
  kernel: cpuKernel("ResourceGatherNd", (c) => {
    const dtype = checkTypeConstraint(c, "dtype", ALL_TYPES);
    return {
      compute(ctx) {
        const params = initializedVar(ctx, handleFromInput(ctx, 0)).value;
        checkVarDtype(params, dtype);
        const indices = ctx.input(1);
        // DoGatherNd's own wording (GatherNd's kernel adds the shape).
        if (indices.rank < 1) throw invalidArgument("indices must be at least a vector");
        return computeJob(ctx, gatherNdJob(params, indices, ctx.nodeName));
      },
    };
  }),
};
