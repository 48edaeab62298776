// TF's TensorListReserve (core/kernels/list_kernels.cc): a list of `num_elements` unset elements.
// The slots are charged before they exist, so a huge count is RESOURCE_EXHAUSTED.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { listScalar, newSlots, shapeFromTensor, TensorList } from "./util/tensor-list.js";

export const tensorListReserveConfig: KernelConfig = {
  op: {
    name: "TensorListReserve",
    inputs: ["element_shape: shape_type", "num_elements: int32"],
    outputs: ["handle: variant"],
    attrs: ["element_dtype: type", "shape_type: {int32, int64}"],
  },
  kernel: cpuKernel("TensorListReserve", (c) => {
    const dtype = getAttrType(c.attrs, "element_dtype");
    return {
      compute(ctx) {
        const shape = shapeFromTensor(ctx.input(0));
        const num = ctx.input(1);
        if (num.rank !== 0) {
          throw invalidArgument(
            `The num_elements to reserve must be a tensor size 1, but got ${shapeString(num.shape)}`,
          );
        }
        const n = (num.data as Int32Array)[0]!;
        if (n < 0) {
          throw invalidArgument(`The num_elements to reserve must be a non negative number, but got ${n}`);
        }
        ctx.setOutput(0, listScalar(new TensorList(dtype, shape, newSlots(n, n))));
      },
    };
  }),
};
