// TF's TensorListStack (core/kernels/list_kernels.h): the elements stacked along a new dimension 0.
// Unset elements read as zeros, so the element shape must be known (from the element_shape input,
// the list, or the set elements).

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  checkListDtype,
  elementShapeFromInput,
  isFullyDefined,
  LIST_ELEMENT_TYPES,
  listInput,
  mergeSetElementShapes,
  partialShapeString,
  stackElements,
} from "./util/tensor-list.js";

export const tensorListStackConfig: KernelConfig = {
  op: {
    name: "TensorListStack",
    inputs: ["input_handle: variant", "element_shape: int32"],
    outputs: ["tensor: element_dtype"],
    attrs: ["element_dtype: type", "num_elements: int = -1"],
  },
  kernel: cpuKernel("TensorListStack", (c) => {
    const dtype = checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    const numElements = getAttrInt(c.attrs, "num_elements");
    return {
      compute(ctx) {
        const list = listInput(ctx, 0);
        checkListDtype(dtype, list);
        if (numElements !== -1 && list.length !== numElements) {
          throw invalidArgument(
            `Operation expected a list with ${numElements} elements but got a list with ${list.length} elements.`,
          );
        }
        let shape = elementShapeFromInput(ctx, list, 1);
        if (!isFullyDefined(shape) && list.length === 0) {
          throw invalidArgument(
            `Tried to stack elements of an empty list with non-fully-defined element_shape: ${partialShapeString(shape)}`,
          );
        }
        if (!isFullyDefined(list.elementShape)) shape = mergeSetElementShapes(shape, list.tensors);
        if (!isFullyDefined(shape)) {
          throw invalidArgument(
            "Tried to stack list which only contains uninitialized tensors and has a non-fully-defined " +
              `element_shape: ${partialShapeString(shape)}`,
          );
        }
        ctx.setOutput(0, stackElements(list.tensors, dtype, shape));
      },
    };
  }),
};
