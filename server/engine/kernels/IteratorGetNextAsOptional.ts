// TF's IteratorGetNextAsOptional (core/kernels/data/iterator_ops.cc): the next element wrapped in an
// Optional, or an empty Optional at the end of the sequence (iterator.get_next_as_optional()).

import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { OptionalValue } from "../framework/variant.js";
import { outputSignature, verifyElement } from "./util/dataset.js";
import { iteratorInput } from "./util/iterator-resource.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const IteratorGetNextAsOptionalKernel: KernelConfig = {
  op: {
    name: "IteratorGetNextAsOptional",
    inputs: ["iterator: resource"],
    outputs: ["optional: variant"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1"],
    isStateful: true,
  },
  kernel: cpuKernel("IteratorGetNextAsOptional", (c: OpKernelConstruction) => {
    const { dtypes, shapes } = outputSignature(c);
    return {
      async computeAsync(ctx) {
        const element = await iteratorInput(ctx, 0).getNext({ step: ctx.step });
        if (element !== undefined) verifyElement(dtypes, shapes, element);
        ctx.setOutput(0, new Tensor(DataType.DT_VARIANT, [], [new OptionalValue(element)]));
      },
    };
  }),
};
