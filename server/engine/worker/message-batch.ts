// Batching of the messages between the master's thread and a worker thread (the thread-crossing
// half of TF's in-process worker calls; TF makes them as plain function calls).
//
// A postMessage has a fixed cost on both sides that dwarfs the cost of cloning a small step's
// request: the sender's serializer and queue hand-off, the receiver's wake-up and one MessageEvent
// dispatched through Node's EventTarget (≈7 µs each way per message on the benchmark VM, whatever
// the payload; docs/benchmarks.md, "Step overhead"). Under load many steps start in the same
// event-loop turn (one socket read carries the requests of many streams), and their replies end
// together on the worker thread, so messages are queued and sent once per turn, in order, as one
// message: a lone message goes as itself, several as a batch. Order is kept, so a step's run, its
// abort and its cleanup still arrive as they were posted.
//
// A batch also goes as soon as it holds maxBatch messages, without waiting for the turn's end.
// Otherwise 64 small steps in flight crossed as one batch of most of them each way, and the two
// threads took turns: the device thread idle while the RPC thread decoded every request, the RPC
// thread idle while the device thread ran every step. Sent in sixteens, the receiver starts on the
// first messages while the sender makes the rest (docs/benchmarks.md, "Batches of sixteen").

/** Several messages sent as one; the receiver handles them in order. */
export interface MessageBatch<M> {
  readonly op: "batch";
  readonly messages: readonly M[];
}

export interface Outbox<M> {
  /** Queues `m`; the queue is sent after the current event-loop turn's I/O callbacks. */
  post(m: M): void;
  /** Sends what is queued now (before a message that must not wait, e.g. one transferring a port). */
  flush(): void;
  /** Drops what is queued (the thread it was meant for is gone). */
  clear(): void;
}

/** Messages a batch holds at most; it is sent as it fills. */
export const maxBatch = 16;

export function createOutbox<M>(send: (m: M | MessageBatch<M>) => void): Outbox<M> {
  let queued: M[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    if (scheduled !== undefined) {
      clearImmediate(scheduled);
      scheduled = undefined;
    }
    if (queued.length === 0) return;
    const messages = queued;
    queued = [];
    send(messages.length === 1 ? messages[0]! : { op: "batch", messages });
  };
  const flushLater = () => {
    scheduled = undefined;
    flush();
  };
  return {
    post(m) {
      queued.push(m);
      if (queued.length >= maxBatch) flush();
      else if (scheduled === undefined) scheduled = setImmediate(flushLater);
    },
    flush,
    clear() {
      queued = [];
      if (scheduled !== undefined) clearImmediate(scheduled);
      scheduled = undefined;
    },
  };
}

/** Calls `handle` for `m`, or for each message of a batch, in order. */
export function forEachMessage<M extends { readonly op: string }>(
  m: M | MessageBatch<M>,
  handle: (m: M) => void,
): void {
  if (m.op !== "batch") {
    handle(m as M);
    return;
  }
  for (const one of (m as MessageBatch<M>).messages) handle(one);
}
