// TF's DeleteIterator (core/kernels/data/iterator_ops.cc DeleteIteratorOp): removes an iterator
// resource (an anonymous iterator's end of life); the deleter input is not used.

import { ITERATOR_RESOURCE } from "./util/iterator-resource.js";
import type { KernelConfig } from "./util/kernel-config.js";
import { simpleKernel } from "./util/kernel-config.js";
import { lookupResource, resourceHandleInput } from "./util/step-resources.js";

export const DeleteIteratorKernel: KernelConfig = {
  op: {
    name: "DeleteIterator",
    inputs: ["handle: resource", "deleter: variant"],
    isStateful: true,
  },
  kernel: simpleKernel("DeleteIterator", (ctx) => {
    const h = resourceHandleInput(ctx, 0);
    lookupResource(ctx, h, ITERATOR_RESOURCE);
    ctx.step.resources.delete(h.container, h.name, ITERATOR_RESOURCE.name);
  }),
};
