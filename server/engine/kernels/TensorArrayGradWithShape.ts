// TF's TensorArrayGradWithShape (core/kernels/tensor_array_ops.cc TensorArrayGradOp): like
// TensorArrayGradV3, with `shape_to_prepend` added in front of every gradient element's shape.

import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { computeTensorArrayGrad } from "./util/tensor-array-grad.js";

export const tensorArrayGradWithShapeConfig: KernelConfig = {
  op: {
    name: "TensorArrayGradWithShape",
    inputs: ["handle: resource", "flow_in: float", "shape_to_prepend: int32"],
    outputs: ["grad_handle: resource", "flow_out: float"],
    attrs: ["source: string"],
    isStateful: true,
  },
  kernel: cpuKernel("TensorArrayGradWithShape", (c) => {
    const source = getAttrString(c.attrs, "source");
    return {
      compute(ctx) {
        const prepend = ctx.input(2);
        if (prepend.rank !== 1) {
          throw invalidArgument(
            `shape_to_prepend must be a vector, but had shape: ${shapeString(prepend.shape)}`,
          );
        }
        computeTensorArrayGrad(ctx, source, Array.from(prepend.data as Int32Array));
      },
    };
  }),
};
