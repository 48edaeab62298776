// TF's TensorListConcat (core/kernels/list_kernels.h), the first version of TensorListConcatV2:
// the element shape comes from an attr (its dimension 0 ignored) and there are no leading_dims,
// so unset elements need a first dimension inferred from the set ones.

import { invalidArgument } from "../framework/errors.js";
import { concatList } from "./TensorListConcatV2.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { partialShapeAttr } from "./util/tensor-array.js";
import { LIST_ELEMENT_TYPES } from "./util/tensor-list.js";

export const tensorListConcatConfig: KernelConfig = {
  op: {
    name: "TensorListConcat",
    inputs: ["input_handle: variant"],
    outputs: ["tensor: element_dtype", "lengths: int64"],
    attrs: ["element_dtype: type", "element_shape: shape = { unknown_rank: true }"],
  },
  kernel: cpuKernel("TensorListConcat", (c) => {
    const dtype = checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    const shape = partialShapeAttr(c.attrs, "element_shape");
    return {
      compute(ctx) {
        if (shape !== undefined && shape.length === 0)
          throw invalidArgument("element_shape must not be empty");
        concatList(ctx, dtype, shape?.slice(1), undefined);
      },
    };
  }),
};
