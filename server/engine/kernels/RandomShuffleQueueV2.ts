// TF's RandomShuffleQueueV2 / RandomShuffleQueue (core/kernels/random_shuffle_queue_op.cc): a
// queue whose dequeues take a random element (Philox seeded by seed/seed2, as TF's kernel draws
// it) and, while open, keep min_after_dequeue elements back (queue-base.ts RandomShuffleQueue).

import { invalidArgument } from "../framework/errors.js";
import { getAttrBigInt, getAttrInt } from "../framework/op-def.js";
import type { KernelConfig } from "./util/kernel-config.js";
import { new64 } from "./util/philox-random.js";
import { type Queue, RandomShuffleQueue } from "./util/queue-base.js";
import { type QueueRequest, queueOpKernel } from "./util/queue-op.js";

const attrs = [
  "component_types: list(type) >= 1",
  "shapes: list(shape) >= 0 = []",
  "capacity: int = -1",
  "min_after_dequeue: int = 0",
  "seed: int = 0",
  "seed2: int = 0",
  "container: string = ''",
  "shared_name: string = ''",
];

function make(r: QueueRequest, name: string): RandomShuffleQueue {
  const minAfterDequeue = getAttrInt(r.attrs, "min_after_dequeue");
  if (minAfterDequeue < 0) throw invalidArgument(`min_after_dequeue ${minAfterDequeue} must be >= 0`);
  if (minAfterDequeue >= r.capacity) {
    throw invalidArgument(`min_after_dequeue ${minAfterDequeue} must be < capacity ${r.capacity}`);
  }
  const seed = getAttrBigInt(r.attrs, "seed");
  const seed2 = getAttrBigInt(r.attrs, "seed2");
  return new RandomShuffleQueue(r.capacity, r.dtypes, r.shapes, name, minAfterDequeue, seed, seed2, new64);
}

/** RandomShuffleQueue::MatchesNodeDef's own checks: min_after_dequeue, and seeds when given. */
function matches(q: Queue, r: QueueRequest): void {
  const rq = q as RandomShuffleQueue;
  const minAfterDequeue = getAttrInt(r.attrs, "min_after_dequeue");
  if (minAfterDequeue !== rq.minAfterDequeue) {
    throw invalidArgument(
      `Shared queue '${q.name}' has min_after_dequeue ${rq.minAfterDequeue} but requested min_after_dequeue was ${minAfterDequeue}.`,
    );
  }
  const seed = getAttrBigInt(r.attrs, "seed");
  const seed2 = getAttrBigInt(r.attrs, "seed2");
  if ((seed !== 0n || seed2 !== 0n) && (seed !== rq.seed || seed2 !== rq.seed2)) {
    throw invalidArgument(
      `Shared queue '${q.name}' has random seeds (${rq.seed}, ${rq.seed2}) but requested seeds are (${seed}, ${seed2}).`,
    );
  }
}

export const randomShuffleQueueV2Config: KernelConfig = {
  op: { name: "RandomShuffleQueueV2", outputs: ["handle: resource"], attrs, isStateful: true },
  kernel: queueOpKernel("RandomShuffleQueueV2", make, matches),
};

export const randomShuffleQueueConfig: KernelConfig = {
  op: { name: "RandomShuffleQueue", outputs: ["handle: Ref(string)"], attrs, isStateful: true },
  kernel: queueOpKernel("RandomShuffleQueue", make, matches),
};
