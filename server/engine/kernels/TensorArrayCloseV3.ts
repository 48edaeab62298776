// TF's TensorArrayCloseV3 (core/kernels/tensor_array_ops.cc TensorArrayCloseOp): frees the
// elements and marks the array closed; the resource itself goes when the step's container does.

import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { tensorArrayFromInput } from "./util/tensor-array.js";

export const tensorArrayCloseV3Config: KernelConfig = {
  op: {
    name: "TensorArrayCloseV3",
    inputs: ["handle: resource"],
    isStateful: true,
  },
  kernel: cpuKernel("TensorArrayCloseV3", () => ({
    compute(ctx) {
      tensorArrayFromInput(ctx).clearAndMarkClosed();
    },
  })),
};
