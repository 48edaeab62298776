// TF's TensorListResize (core/kernels/list_kernels.cc): the list truncated, or grown with unset
// elements, to `size`.

import { invalidArgument } from "../framework/errors.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { listInput, listScalar, resizeList } from "./util/tensor-list.js";

export const tensorListResizeConfig: KernelConfig = {
  op: {
    name: "TensorListResize",
    inputs: ["input_handle: variant", "size: int32"],
    outputs: ["output_handle: variant"],
  },
  kernel: simpleKernel("TensorListResize", (ctx) => {
    const list = listInput(ctx, 0);
    const sizeTensor = ctx.input(1);
    if (sizeTensor.rank !== 0) throw invalidArgument("size must be a scalar");
    const size = (sizeTensor.data as Int32Array)[0]!;
    if (size < 0) throw invalidArgument(`TensorListSlice expects size to be non-negative. Got: ${size}`);
    ctx.setOutput(0, listScalar(resizeList(list, size)));
  }),
};
