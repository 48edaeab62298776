// TF's TensorArrayWriteV3 (core/kernels/tensor_array_ops.cc TensorArrayWriteOp): writes `value` at
// `index` (gradient arrays sum repeated writes) and passes flow_in on as flow_out.

import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { checkWriteDtype, scalarIndex, tensorArrayFromInput } from "./util/tensor-array.js";

export const tensorArrayWriteV3Config: KernelConfig = {
  op: {
    name: "TensorArrayWriteV3",
    inputs: ["handle: resource", "index: int32", "value: T", "flow_in: float"],
    outputs: ["flow_out: float"],
    attrs: ["T: type"],
    isStateful: true,
  },
  kernel: cpuKernel("TensorArrayWriteV3", () => ({
    compute(ctx) {
      ctx.setOutput(0, ctx.input(3));
      const index = scalarIndex(ctx, 1);
      const value = ctx.input(2);
      const ta = tensorArrayFromInput(ctx);
      checkWriteDtype(ta, value);
      ta.write(index, value);
    },
  })),
};
