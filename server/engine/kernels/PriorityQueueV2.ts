// TF's PriorityQueueV2 / PriorityQueue (core/kernels/priority_queue_op.cc): a queue whose first
// component is an int64 priority; dequeues take the smallest priority first (queue-base.ts
// PriorityQueue). Its component_types lists the components after the priority.

import { DataType } from "../framework/types.js";
import type { KernelConfig } from "./util/kernel-config.js";
import { PriorityQueue } from "./util/queue-base.js";
import { type QueueRequest, queueOpKernel, shapesAttr } from "./util/queue-op.js";

const attrs = [
  "component_types: list(type) >= 0 = []",
  "shapes: list(shape) >= 0",
  "capacity: int = -1",
  "container: string = ''",
  "shared_name: string = ''",
];

/** The queue keeps no shapes when none are declared (so its DequeueMany is refused). */
function make(r: QueueRequest, name: string): PriorityQueue {
  const shapes = shapesAttr(r.attrs).length > 0 ? r.shapes : [];
  return new PriorityQueue(r.capacity, r.dtypes, shapes, name);
}

/**
 * The priority is component 0: an int64 scalar ahead of the declared types and shapes. TF always
 * asks for the scalar shape when it checks a queue against the node, so a queue declared without
 * shapes fails that check (TF 2.21 refuses such a queue on its first run).
 */
function withPriority(r: QueueRequest): QueueRequest {
  return { ...r, dtypes: [DataType.DT_INT64, ...r.dtypes], shapes: [[], ...r.shapes] };
}

export const priorityQueueV2Config: KernelConfig = {
  op: { name: "PriorityQueueV2", outputs: ["handle: resource"], attrs, isStateful: true },
  kernel: queueOpKernel("PriorityQueueV2", make, undefined, withPriority),
};

export const priorityQueueConfig: KernelConfig = {
  op: { name: "PriorityQueue", outputs: ["handle: Ref(string)"], attrs, isStateful: true },
  kernel: queueOpKernel("PriorityQueue", make, undefined, withPriority),
};
