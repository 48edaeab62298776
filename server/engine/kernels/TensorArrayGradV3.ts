// TF's TensorArrayGradV3 (core/kernels/tensor_array_ops.cc TensorArrayGradOp): the gradient
// TensorArray of a forward TensorArray for one gradient `source` (see tensor-array-grad.ts).

import { getAttrString } from "../framework/op-def.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { computeTensorArrayGrad } from "./util/tensor-array-grad.js";

export const tensorArrayGradV3Config: KernelConfig = {
  op: {
    name: "TensorArrayGradV3",
    inputs: ["handle: resource", "flow_in: float"],
    outputs: ["grad_handle: resource", "flow_out: float"],
    attrs: ["source: string"],
    isStateful: true,
  },
  kernel: cpuKernel("TensorArrayGradV3", (c) => {
    const source = getAttrString(c.attrs, "source");
    return { compute: (ctx) => computeTensorArrayGrad(ctx, source, undefined) };
  }),
};
