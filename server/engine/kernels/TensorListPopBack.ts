// TF's TensorListPopBack (core/kernels/list_kernels.h): the list without its last element, and that
// element (zeros of the element shape when it is unset).

import { invalidArgument } from "../framework/errors.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  checkListDtype,
  elementShapeFromInput,
  isFullyDefined,
  LIST_ELEMENT_TYPES,
  listInput,
  listScalar,
  partialShapeString,
  zerosElement,
} from "./util/tensor-list.js";

export const tensorListPopBackConfig: KernelConfig = {
  op: {
    name: "TensorListPopBack",
    inputs: ["input_handle: variant", "element_shape: int32"],
    outputs: ["output_handle: variant", "tensor: element_dtype"],
    attrs: ["element_dtype: type"],
  },
  kernel: cpuKernel("TensorListPopBack", (c) => {
    const dtype = checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    return {
      compute(ctx) {
        const list = listInput(ctx, 0);
        checkListDtype(dtype, list);
        if (list.length === 0) throw invalidArgument("Trying to pop from an empty list.");
        let last = list.get(list.length - 1);
        if (last === undefined) {
          const shape = elementShapeFromInput(ctx, list, 1);
          if (!isFullyDefined(shape)) {
            throw invalidArgument(
              `Trying to read an uninitialized tensor but element_shape is not fully defined.${partialShapeString(shape)}`,
            );
          }
          last = zerosElement(dtype, shape);
        }
        ctx.setOutput(1, last);
        ctx.setOutput(0, listScalar(list.pop()));
      },
    };
  }),
};
