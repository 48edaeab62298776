// TF's QueueEnqueueManyV2 / QueueEnqueueMany (core/kernels/queue_op.cc EnqueueManyOp): slices
// every component along dimension 0 and enqueues the slices as elements, as room comes; an empty
// batch enqueues nothing and does not wait.

import { enqueueOpConfigs } from "./util/queue-op.js";

export const [queueEnqueueManyV2Config, queueEnqueueManyConfig] = enqueueOpConfigs(
  "QueueEnqueueMany",
  (queue, tuple, signal) => {
    queue.validateManyTuple(tuple);
    return queue.enqueueMany(tuple, signal);
  },
);
