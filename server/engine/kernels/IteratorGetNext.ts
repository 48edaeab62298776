// TF's IteratorGetNext and IteratorGetNextSync (core/kernels/data/iterator_ops.cc): the iterator's
// next element as the node's outputs, or OUT_OF_RANGE "End of sequence" once it is exhausted (the
// session stays usable; re-running the initializer restarts the iterator).

import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { outputSignature, verifyElement } from "./util/dataset.js";
import { endOfSequence, iteratorInput } from "./util/iterator-resource.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

function getNextKernel(op: string): KernelConfig {
  return {
    op: {
      name: op,
      inputs: ["iterator: resource"],
      outputs: ["components: output_types"],
      attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1"],
      isStateful: true,
    },
    kernel: cpuKernel(op, (c: OpKernelConstruction) => {
      const { dtypes, shapes } = outputSignature(c);
      return {
        async computeAsync(ctx) {
          const element = await iteratorInput(ctx, 0).getNext({ step: ctx.step });
          if (element === undefined) throw endOfSequence();
          verifyElement(dtypes, shapes, element);
          element.forEach((t, i) => {
            ctx.setOutput(i, t);
          });
        },
      };
    }),
  };
}

export const IteratorGetNextKernel = getNextKernel("IteratorGetNext");
export const IteratorGetNextSyncKernel = getNextKernel("IteratorGetNextSync");
