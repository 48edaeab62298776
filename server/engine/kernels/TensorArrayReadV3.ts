// TF's TensorArrayReadV3 (core/kernels/tensor_array_ops.cc TensorArrayReadOp): the element at
// `index` (zeros of the element shape if it was never written and the shape is known).

import { getAttrType } from "../framework/op-def.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { checkReadDtype, scalarIndex, tensorArrayFromInput } from "./util/tensor-array.js";

export const tensorArrayReadV3Config: KernelConfig = {
  op: {
    name: "TensorArrayReadV3",
    inputs: ["handle: resource", "index: int32", "flow_in: float"],
    outputs: ["value: dtype"],
    attrs: ["dtype: type"],
    isStateful: true,
  },
  kernel: cpuKernel("TensorArrayReadV3", (c) => {
    const dtype = getAttrType(c.attrs, "dtype");
    return {
      compute(ctx) {
        const index = scalarIndex(ctx, 1);
        const ta = tensorArrayFromInput(ctx);
        checkReadDtype(ta, dtype);
        ctx.setOutput(0, ta.read(index));
      },
    };
  }),
};
