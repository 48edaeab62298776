// TF's IteratorV2 and Iterator (core/kernels/data/iterator_ops.cc IteratorHandleOp): the handle of an
// iterator resource that MakeIterator initialises (make_initializable_iterator,
// Iterator.from_structure). An empty shared_name makes the iterator private to the session.

import { getAttrString } from "../framework/op-def.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { outputSignature } from "./util/dataset.js";
import { iteratorHandleFor, privateIteratorName } from "./util/iterator-resource.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

function iteratorHandleKernel(op: string): KernelConfig {
  return {
    op: {
      name: op,
      outputs: ["handle: resource"],
      attrs: [
        "shared_name: string",
        "container: string",
        "output_types: list(type) >= 1",
        "output_shapes: list(shape) >= 1",
      ],
      isStateful: true,
    },
    kernel: cpuKernel(op, (c: OpKernelConstruction) => {
      const { dtypes, shapes } = outputSignature(c);
      const shared = getAttrString(c.attrs, "shared_name");
      const container = getAttrString(c.attrs, "container");
      const name = shared !== "" ? shared : privateIteratorName(c);
      return {
        compute(ctx) {
          iteratorHandleFor(ctx, c, container, name, shared === "", dtypes, shapes);
        },
      };
    }),
  };
}

export const IteratorV2Kernel = iteratorHandleKernel("IteratorV2");
export const IteratorKernel = iteratorHandleKernel("Iterator");
