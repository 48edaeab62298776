// TF's PaddingFIFOQueueV2 / PaddingFIFOQueue (core/kernels/padding_fifo_queue_op.cc): a FIFO
// queue whose component shapes may have unknown dims; DequeueMany pads each batch to its largest
// element (queue-base.ts PaddingFifoQueue).

import type { KernelConfig } from "./util/kernel-config.js";
import { PaddingFifoQueue } from "./util/queue-base.js";
import { QUEUE_ATTRS, queueOpKernel } from "./util/queue-op.js";

export const paddingFifoQueueV2Config: KernelConfig = {
  op: {
    name: "PaddingFIFOQueueV2",
    outputs: ["handle: resource"],
    attrs: [...QUEUE_ATTRS],
    isStateful: true,
  },
  kernel: queueOpKernel(
    "PaddingFIFOQueueV2",
    (r, name) => new PaddingFifoQueue(r.capacity, r.dtypes, r.shapes, name),
  ),
};

export const paddingFifoQueueConfig: KernelConfig = {
  op: {
    name: "PaddingFIFOQueue",
    outputs: ["handle: Ref(string)"],
    attrs: [...QUEUE_ATTRS],
    isStateful: true,
  },
  kernel: queueOpKernel(
    "PaddingFIFOQueue",
    (r, name) => new PaddingFifoQueue(r.capacity, r.dtypes, r.shapes, name),
  ),
};
