// TF's TensorListLength (core/kernels/list_kernels.cc): the number of elements, set or not.

import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { listInput } from "./util/tensor-list.js";

export const tensorListLengthConfig: KernelConfig = {
  op: { name: "TensorListLength", inputs: ["input_handle: variant"], outputs: ["length: int32"] },
  kernel: simpleKernel("TensorListLength", (ctx) => {
    ctx.setOutput(0, scalar(DataType.DT_INT32, listInput(ctx, 0).length));
  }),
};
