// TF's QueueEnqueueV2 / QueueEnqueue (core/kernels/queue_op.cc EnqueueOp): checks the tuple
// against the queue (dtypes, then shapes where the queue declares them) and waits until the queue
// has room, it is closed (CANCELLED) or the step is cancelled.

import { enqueueOpConfigs } from "./util/queue-op.js";

export const [queueEnqueueV2Config, queueEnqueueConfig] = enqueueOpConfigs(
  "QueueEnqueue",
  (queue, tuple, signal) => {
    queue.validateTuple(tuple);
    return queue.enqueue(tuple, signal);
  },
);
