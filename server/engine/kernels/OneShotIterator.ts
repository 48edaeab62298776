// TF's OneShotIterator (core/kernels/data/iterator_ops.cc OneShotIteratorOp): an iterator that makes
// its own dataset, by calling the dataset_factory function on its first run, and needs no
// initializer (make_one_shot_iterator). The factory runs once per iterator resource; its failure
// is the answer of every later run too.

import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { datasetFromTensor, datasetFunctionAttr, outputSignature } from "./util/dataset.js";
import { iteratorHandleFor, privateIteratorName } from "./util/iterator-resource.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const OneShotIteratorKernel: KernelConfig = {
  op: {
    name: "OneShotIterator",
    outputs: ["handle: resource"],
    attrs: [
      "dataset_factory: func",
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "container: string = ''",
      "shared_name: string = ''",
    ],
    isStateful: true,
  },
  kernel: cpuKernel("OneShotIterator", (c: OpKernelConstruction) => {
    const { dtypes, shapes } = outputSignature(c);
    const factory = datasetFunctionAttr(c, "dataset_factory");
    const shared = getAttrString(c.attrs, "shared_name");
    const container = getAttrString(c.attrs, "container");
    const name = shared !== "" ? shared : privateIteratorName(c);
    return {
      async computeAsync(ctx) {
        const r = iteratorHandleFor(ctx, c, container, name, shared === "", dtypes, shapes);
        r.oneShot ??= (async () => {
          const rets = await factory.call([], ctx.step);
          if (rets.length !== 1) {
            throw invalidArgument(`Function ${factory.name} must return a single dataset.`);
          }
          r.setDataset(datasetFromTensor(rets[0]!));
        })();
        await r.oneShot;
      },
    };
  }),
};
