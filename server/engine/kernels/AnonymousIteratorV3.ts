// TF's AnonymousIteratorV3 and AnonymousIteratorV2 (core/kernels/data/iterator_ops.cc
// AnonymousIteratorHandleOp): a new iterator resource with a unique name on each run, initialised
// by MakeIterator and released by DeleteIterator (or with the session). V2 also outputs the
// deleter DeleteIterator takes (an empty variant here: deletion goes by the handle).

import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { EMPTY_VARIANT } from "../framework/variant.js";
import { outputSignature } from "./util/dataset.js";
import { anonymousIteratorName, iteratorHandleFor } from "./util/iterator-resource.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const AnonymousIteratorV3Kernel: KernelConfig = {
  op: {
    name: "AnonymousIteratorV3",
    outputs: ["handle: resource"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1"],
    isStateful: true,
  },
  kernel: cpuKernel("AnonymousIteratorV3", (c: OpKernelConstruction) => {
    const { dtypes, shapes } = outputSignature(c);
    return {
      compute(ctx) {
        iteratorHandleFor(ctx, c, "", anonymousIteratorName(), true, dtypes, shapes);
      },
    };
  }),
};

export const AnonymousIteratorV2Kernel: KernelConfig = {
  op: {
    name: "AnonymousIteratorV2",
    outputs: ["handle: resource", "deleter: variant"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1"],
    isStateful: true,
  },
  kernel: cpuKernel("AnonymousIteratorV2", (c: OpKernelConstruction) => {
    const { dtypes, shapes } = outputSignature(c);
    return {
      compute(ctx) {
        iteratorHandleFor(ctx, c, "", anonymousIteratorName(), true, dtypes, shapes);
        ctx.setOutput(1, new Tensor(DataType.DT_VARIANT, [], [EMPTY_VARIANT]));
      },
    };
  }),
};
