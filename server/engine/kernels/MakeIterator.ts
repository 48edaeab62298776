// TF's MakeIterator (core/kernels/data/iterator_ops.cc MakeIteratorOp): (re)starts an iterator
// resource on a dataset whose signature matches the iterator's; an iterator's initializer.

import { datasetInput } from "./util/dataset.js";
import { iteratorInput } from "./util/iterator-resource.js";
import type { KernelConfig } from "./util/kernel-config.js";
import { simpleKernel } from "./util/kernel-config.js";

export const MakeIteratorKernel: KernelConfig = {
  op: {
    name: "MakeIterator",
    inputs: ["dataset: variant", "iterator: resource"],
    isStateful: true,
  },
  kernel: simpleKernel("MakeIterator", (ctx) => {
    const ds = datasetInput(ctx, 0);
    iteratorInput(ctx, 1).setDataset(ds);
  }),
};
