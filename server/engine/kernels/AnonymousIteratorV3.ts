// TF's AnonymousIteratorV3 (core/kernels/data/iterator_ops.cc AnonymousIteratorHandleOp): a new
// iterator resource with a unique name on each run, initialised by MakeIterator and released by
// DeleteIterator (or with the session).

import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { outputSignature } from "./dataset.js";
import { anonymousIteratorName, iteratorHandleFor } from "./iterator-resource.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";

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
