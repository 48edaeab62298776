// TF's TensorArraySizeV3 (core/kernels/tensor_array_ops.cc TensorArraySizeOp): the current size.

import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { tensorArrayFromInput } from "./util/tensor-array.js";

export const tensorArraySizeV3Config: KernelConfig = {
  op: {
    name: "TensorArraySizeV3",
    inputs: ["handle: resource", "flow_in: float"],
    outputs: ["size: int32"],
    isStateful: true,
  },
  kernel: cpuKernel("TensorArraySizeV3", () => ({
    compute(ctx) {
      ctx.setOutput(0, scalar(DataType.DT_INT32, tensorArrayFromInput(ctx).size()));
    },
  })),
};
