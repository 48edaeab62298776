// TF's TensorListElementShape (core/kernels/list_kernels.cc): the list's element shape as a
// tensor: -1 for an unknown rank, else its dims with -1 for unknown ones.

import { getAttrType } from "../framework/op-def.js";
import { scalar } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { listInput } from "./util/tensor-list.js";
import { intVector } from "./util/tensor-util.js";

export const tensorListElementShapeConfig: KernelConfig = {
  op: {
    name: "TensorListElementShape",
    inputs: ["input_handle: variant"],
    outputs: ["element_shape: shape_type"],
    attrs: ["shape_type: {int32, int64}"],
  },
  kernel: cpuKernel("TensorListElementShape", (c) => {
    const dtype = getAttrType(c.attrs, "shape_type");
    return {
      compute(ctx) {
        const shape = listInput(ctx, 0).elementShape;
        ctx.setOutput(0, shape === undefined ? scalar(dtype, -1) : intVector(dtype, shape));
      },
    };
  }),
};
