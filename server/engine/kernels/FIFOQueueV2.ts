// TF's FIFOQueueV2 / FIFOQueue (core/kernels/fifo_queue_op.cc): creates or finds a first-in,
// first-out queue (queue-base.ts FifoQueue) and outputs its handle.

import type { KernelConfig } from "./util/kernel-config.js";
import { FifoQueue } from "./util/queue-base.js";
import { QUEUE_ATTRS, queueOpKernel } from "./util/queue-op.js";

export const fifoQueueV2Config: KernelConfig = {
  op: { name: "FIFOQueueV2", outputs: ["handle: resource"], attrs: [...QUEUE_ATTRS], isStateful: true },
  kernel: queueOpKernel("FIFOQueueV2", (r, name) => new FifoQueue(r.capacity, r.dtypes, r.shapes, name)),
};

export const fifoQueueConfig: KernelConfig = {
  op: { name: "FIFOQueue", outputs: ["handle: Ref(string)"], attrs: [...QUEUE_ATTRS], isStateful: true },
  kernel: queueOpKernel("FIFOQueue", (r, name) => new FifoQueue(r.capacity, r.dtypes, r.shapes, name)),
};
