// TF's queues (core/kernels/queue_base.cc, typed_queue.h, fifo_queue.cc, padding_fifo_queue.cc,
// random_shuffle_queue_op.cc, priority_queue.cc): the QueueInterface resources behind the
// FIFOQueue / PaddingFIFOQueue / RandomShuffleQueue / PriorityQueue ops and the QueueEnqueue* /
// QueueDequeue* / QueueClose / QueueSize ops.
//
// As in TF, every enqueue and dequeue is an attempt kept in one of two FIFO lists; flush() runs
// the attempts at the head of each list until neither makes progress, so a blocked dequeue
// completes as soon as an enqueue (from any step or session) brings elements, and a blocked
// enqueue as soon as a dequeue makes room. An attempt ends when it completes, when the queue's
// Close decides it, or when its step is cancelled (step.signal: Close of the session, RunOptions
// timeout, client gone, another partition failed). A cancelled DequeueMany keeps what it had
// already taken out of the queue, as TF's does.

import type { CallerSignal } from "../../framework/call-cancellation.js";
import { cancelled, invalidArgument, isTfError, outOfRange, type TfError } from "../../framework/errors.js";
import { numElements, shapeString, Tensor, type TensorData } from "../../framework/tensor.js";
import { type DataType, dataTypeString } from "../../framework/types.js";
import { PhiloxRandom, SingleSampleAdapter } from "./philox-random.js";
import type { ResourceType } from "./step-resources.js";
import { lanesOf } from "./tensor-util.js";

/** TF's QueueInterface resource type. */
export const QUEUE_TYPE: ResourceType = {
  name: "N10tensorflow14QueueInterfaceE",
  hash: 0x7175_6575_6549_6e74n,
};

/** QueueBase::kUnbounded: a negative capacity attr. */
export const UNBOUNDED = 2 ** 31 - 1;

export type Tuple = Tensor[];
/** A component's declared shape: dims (-1 unknown, PaddingFIFOQueue only). */
export type PartialShape = readonly number[];

enum Run {
  NoProgress,
  Progress,
  Complete,
}

interface Attempt {
  elementsRequested: number;
  readonly run: (a: Attempt) => Run;
  /** Settles the caller's promise: with `status` when set, else with `result`. */
  readonly settle: (a: Attempt) => void;
  status: TfError | undefined;
  result: Tuple | undefined;
  /** DequeueMany's batch being filled (TF's attempt->tuple). */
  batch: Tuple | undefined;
  /** PaddingFIFOQueue's dequeued tuples, batched when complete (TF's attempt->tuples). */
  tuples: Tuple[];
  detach: () => void;
}

/** TF's ShapeListString. */
export function shapeListString(shapes: readonly PartialShape[]): string {
  return `[${shapes.map(partialShapeString).join(", ")}]`;
}

/** PartialTensorShape::DebugString: "[2,?]"; "<unknown>" for unknown rank. */
export function partialShapeString(shape: PartialShape | undefined): string {
  if (shape === undefined) return "<unknown>";
  return `[${shape.map((d) => (d < 0 ? "?" : String(d))).join(",")}]`;
}

function compatible(partial: PartialShape, shape: readonly number[]): boolean {
  return partial.length === shape.length && partial.every((d, i) => d < 0 || d === shape[i]);
}

/** Row i of t along dimension 0, as a tensor of its own storage (TF copies the slice too). */
export function sliceRow(t: Tensor, i: number): Tensor {
  const inner = t.shape.slice(1);
  const n = numElements(inner) * lanesOf(t.dtype);
  const data = (t.data as unknown as { slice(a: number, b: number): TensorData }).slice(i * n, (i + 1) * n);
  return new Tensor(t.dtype, inner, data);
}

type Indexable = { [i: number]: unknown };

/** Copies `element` into row `index` of `parent`, padding (leaving zeros) where it is smaller. */
function copyToRow(element: Tensor, parent: Tensor, index: number): void {
  const lanes = lanesOf(parent.dtype);
  const rowShape = parent.shape.slice(1);
  const src = element.data as unknown as Indexable;
  const dst = parent.data as unknown as Indexable;
  const rowSize = numElements(rowShape);
  if (element.shape.every((d, i) => d === rowShape[i])) {
    const n = rowSize * lanes;
    for (let j = 0; j < n; j++) dst[index * n + j] = src[j];
    return;
  }
  // A smaller element: walk its indices and place each at the same index of the larger row.
  const count = numElements(element.shape);
  const rank = element.shape.length;
  const idx = new Array<number>(rank).fill(0);
  for (let k = 0; k < count; k++) {
    let off = 0;
    for (let d = 0; d < rank; d++) off = off * rowShape[d]! + idx[d]!;
    for (let l = 0; l < lanes; l++) dst[(index * rowSize + off) * lanes + l] = src[k * lanes + l];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < element.shape[d]!) break;
      idx[d] = 0;
    }
  }
}

/** Stacks tuples into one batch tuple: component i gets shape [n] + shapes[i]. */
function stack(
  tuples: readonly Tuple[],
  dtypes: readonly DataType[],
  shapes: readonly (readonly number[])[],
): Tuple {
  return dtypes.map((dt, i) => {
    const out = Tensor.zeros(dt, [tuples.length, ...shapes[i]!]);
    for (const [k, t] of tuples.entries()) copyToRow(t[i]!, out, k);
    return out;
  });
}

/** TF's QueueBase: attempts, close, and the checks every queue shares. */
export abstract class Queue {
  /** The queue kind as TF's messages name it ("FIFOQueue"). */
  abstract readonly kind: string;
  closed = false;
  protected readonly enqueueAttempts: Attempt[] = [];
  protected readonly dequeueAttempts: Attempt[] = [];

  constructor(
    readonly capacity: number,
    readonly dtypes: readonly DataType[],
    /** Declared component shapes; empty: unspecified. */
    readonly shapes: readonly PartialShape[],
    /** The resource's name ("_0_fifo_queue" for a private queue, else its shared_name). */
    readonly name: string,
  ) {}

  abstract size(): number;
  /** Appends one element (capacity already checked). */
  protected abstract push(tuple: Tuple): void;
  /** Removes the next element (size() > 0). */
  protected abstract take(): Tuple;
  /** Puts back an element a failed DequeueMany had taken. */
  protected abstract restore(tuple: Tuple): void;
  /** The elements in storage order (the resource directory's copy of the queue). */
  abstract stored(): readonly Tuple[];

  /** Refills a new queue with elements `stored()` gave, in that order, and its closed flag. */
  adopt(elements: readonly Tuple[], closed: boolean): void {
    for (const t of elements) this.push(t);
    this.closed = closed;
  }

  get specifiedShapes(): boolean {
    return this.shapes.length > 0;
  }

  /** TypedQueue::Initialize and the subclasses' own checks. */
  validate(): void {
    if (this.specifiedShapes && this.shapes.length !== this.dtypes.length) {
      // A padding queue's unknown dims print as 0 here (TF's base queue holds them so).
      const shapes = this.shapes.map((s) => s.map((d) => Math.max(d, 0)));
      throw invalidArgument(
        `Different number of component types.  Types: ${this.dtypes.map(dataTypeString).join(", ")}, ` +
          `Shapes: ${shapeListString(shapes)}`,
      );
    }
  }

  // ---- Validation (ValidateTuple / ValidateManyTuple) ----

  private validateCommon(tuple: Tuple): void {
    if (tuple.length !== this.dtypes.length) {
      throw invalidArgument(
        `Wrong number of components in tuple. Expected ${this.dtypes.length}, got ${tuple.length}`,
      );
    }
    tuple.forEach((t, i) => {
      if (t.dtype !== this.dtypes[i]) {
        throw invalidArgument(
          `Type mismatch in tuple component ${i}. Expected ${dataTypeString(this.dtypes[i]!)}, got ${dataTypeString(t.dtype)}`,
        );
      }
    });
  }

  validateTuple(tuple: Tuple): void {
    this.validateCommon(tuple);
    if (!this.specifiedShapes) return;
    tuple.forEach((t, i) => {
      if (!compatible(this.shapes[i]!, t.shape)) {
        throw invalidArgument(
          `Shape mismatch in tuple component ${i}. Expected ${partialShapeString(this.shapes[i])}, got ${shapeString(t.shape)}`,
        );
      }
    });
  }

  validateManyTuple(tuple: Tuple): void {
    this.validateCommon(tuple);
    const batch = tuple[0]!.shape[0] ?? -1;
    if (this.specifiedShapes) {
      tuple.forEach((t, i) => {
        const expected = [batch, ...this.shapes[i]!];
        if (t.rank === 0 || !compatible(expected, t.shape)) {
          throw invalidArgument(
            `Shape mismatch in tuple component ${i}. Expected ${partialShapeString(expected)}, got ${shapeString(t.shape)}`,
          );
        }
      });
      return;
    }
    tuple.forEach((t, i) => {
      if (t.rank === 0) {
        throw invalidArgument(
          `Shape mismatch in tuple component ${i}. Expected [?,...], got ${shapeString(t.shape)}`,
        );
      }
      if (i > 0 && t.shape[0] !== batch) {
        throw invalidArgument(
          `All input tensors must have the same size in the 0th dimension. Component ${i} has ${t.shape[0]}, and should have ${batch}`,
        );
      }
    });
  }

  // ---- Attempts (TryAttemptLocked / FlushUnlocked / Cancel) ----

  private addAttempt(
    list: Attempt[],
    requested: number,
    signal: CallerSignal | undefined,
    what: "Enqueue" | "Dequeue",
    run: (a: Attempt) => Run,
  ): Promise<Tuple | undefined> {
    return new Promise((resolve, reject) => {
      const reason = () =>
        isTfError(signal?.reason) ? signal.reason : cancelled(`${what} operation was cancelled`);
      if (signal?.aborted) {
        reject(reason());
        return;
      }
      const attempt: Attempt = {
        elementsRequested: requested,
        run,
        settle: (a) => {
          a.detach();
          if (a.status !== undefined) reject(a.status);
          else resolve(a.result);
        },
        status: undefined,
        result: undefined,
        batch: undefined,
        tuples: [],
        detach: () => {},
      };
      if (signal !== undefined) {
        const onAbort = () => {
          const at = list.indexOf(attempt);
          if (at < 0) return;
          list.splice(at, 1);
          attempt.status = reason();
          attempt.settle(attempt);
          this.flush();
        };
        signal.addEventListener("abort", onAbort, { once: true });
        attempt.detach = () => signal.removeEventListener("abort", onAbort);
      }
      list.push(attempt);
      this.flush();
    });
  }

  private tryAttempts(list: Attempt[], done: Attempt[]): boolean {
    let progress = false;
    while (list.length > 0) {
      const a = list[0]!;
      const r = a.run(a);
      if (r === Run.NoProgress) break;
      progress = true;
      if (r === Run.Progress) break;
      list.shift();
      done.push(a);
    }
    return progress;
  }

  protected flush(): void {
    const done: Attempt[] = [];
    let changed: boolean;
    do {
      changed = this.tryAttempts(this.enqueueAttempts, done);
      changed = this.tryAttempts(this.dequeueAttempts, done) || changed;
    } while (changed);
    for (const a of done) a.settle(a);
  }

  private closedForEnqueue(a: Attempt): Run {
    a.status = cancelled(`${this.kind} '${this.name}' is closed.`);
    return Run.Complete;
  }

  protected insufficient(a: Attempt, size: number): Run {
    a.status ??= outOfRange(
      `${this.kind} '${this.name}' is closed and has insufficient elements (requested ${a.elementsRequested}, current size ${size})`,
    );
    return Run.Complete;
  }

  // ---- Operations ----

  async enqueue(tuple: Tuple, signal?: CallerSignal): Promise<void> {
    await this.addAttempt(this.enqueueAttempts, 1, signal, "Enqueue", (a) => {
      if (this.closed) return this.closedForEnqueue(a);
      if (this.size() >= this.capacity) return Run.NoProgress;
      this.checkElement(tuple);
      this.push(tuple);
      return Run.Complete;
    });
  }

  async enqueueMany(tuple: Tuple, signal?: CallerSignal): Promise<void> {
    const batch = tuple[0]!.shape[0]!;
    if (batch === 0) return;
    await this.addAttempt(this.enqueueAttempts, batch, signal, "Enqueue", (a) => {
      if (this.closed) return this.closedForEnqueue(a);
      let result = Run.NoProgress;
      while (this.size() < this.capacity) {
        result = Run.Progress;
        const element = tuple.map((t) => sliceRow(t, batch - a.elementsRequested));
        try {
          this.checkElement(element);
        } catch (e) {
          a.status = e as TfError;
          return Run.Complete;
        }
        this.push(element);
        if (--a.elementsRequested === 0) return Run.Complete;
      }
      return result;
    });
  }

  /** A check of one element as it enters (PriorityQueue: a scalar priority). */
  protected checkElement(_tuple: Tuple): void {}

  async dequeue(signal?: CallerSignal): Promise<Tuple> {
    const r = await this.addAttempt(this.dequeueAttempts, 1, signal, "Dequeue", (a) => {
      const size = this.size();
      if (this.closed && size === 0) return this.insufficient(a, size);
      if (this.available() <= 0) return Run.NoProgress;
      a.result = this.take();
      return Run.Complete;
    });
    return r!;
  }

  /** Elements a dequeue may take now (RandomShuffleQueue keeps min_after_dequeue while open). */
  protected available(): number {
    return this.size();
  }

  /** TryDequeueMany: n elements, or with allowSmallBatch (DequeueUpTo) fewer once closed. */
  async dequeueMany(n: number, allowSmallBatch: boolean, signal?: CallerSignal): Promise<Tuple> {
    this.checkDequeueMany();
    if (n === 0) return this.dtypes.map((dt, i) => Tensor.zeros(dt, [0, ...this.batchRowShape(i, [])]));
    const r = await this.addAttempt(this.dequeueAttempts, n, signal, "Dequeue", (a) =>
      this.runDequeueMany(a, allowSmallBatch),
    );
    return r!;
  }

  protected checkDequeueMany(): void {
    if (!this.specifiedShapes) {
      throw invalidArgument(
        `${this.kind}'s DequeueMany and DequeueUpTo require the components to have specified shapes.`,
      );
    }
  }

  /** Component i's row shape in a batch of `taken` elements (padding queues: the largest dims). */
  protected batchRowShape(i: number, _taken: readonly Tuple[]): number[] {
    return this.shapes[i]!.map((d) => Math.max(d, 0));
  }

  /** FIFOQueue / RandomShuffleQueue / PaddingFIFOQueue's DequeueMany attempt. */
  protected runDequeueMany(a: Attempt, allowSmallBatch: boolean): Run {
    let size = this.size();
    if (this.closed && size < a.elementsRequested) {
      // Not enough will ever come: put back what this attempt took.
      for (let i = a.tuples.length - 1; i >= 0; i--) this.restore(a.tuples[i]!);
      a.tuples = [];
      if (allowSmallBatch && this.size() > 0) {
        size = this.size();
        a.elementsRequested = size;
      } else {
        if (allowSmallBatch && this.enqueueAttempts.length > 0) return Run.Progress;
        return this.insufficient(a, size);
      }
    }
    let result = Run.NoProgress;
    for (let left = this.closed ? size : this.available(); left > 0; left--) {
      result = Run.Progress;
      a.tuples.push(this.take());
      if (--a.elementsRequested === 0) {
        const shapes = this.dtypes.map((_, i) => this.batchRowShape(i, a.tuples));
        a.result = stack(a.tuples, this.dtypes, shapes);
        a.tuples = [];
        return Run.Complete;
      }
    }
    return result;
  }

  /**
   * QueueBase::Close: with cancel_pending_enqueues, closes now and fails every blocked enqueue;
   * otherwise the close waits its turn behind the pending enqueues, and closing twice is CANCELLED.
   */
  async close(cancelPendingEnqueues: boolean, signal?: CallerSignal): Promise<void> {
    if (cancelPendingEnqueues) {
      this.closed = true;
      const pending = this.enqueueAttempts.splice(0);
      for (const a of pending) {
        a.status = cancelled("Enqueue operation was cancelled");
        a.settle(a);
      }
      this.flush();
      return;
    }
    await this.addAttempt(this.enqueueAttempts, 0, signal, "Enqueue", (a) => {
      if (this.closed) a.status = cancelled(`Queue '${this.name}' is already closed.`);
      else this.closed = true;
      return Run.Complete;
    });
  }
}

/** FIFOQueue: first in, first out. */
export class FifoQueue extends Queue {
  readonly kind: string = "FIFOQueue";
  protected readonly elements: Tuple[] = [];
  stored(): readonly Tuple[] {
    return this.elements;
  }
  size(): number {
    return this.elements.length;
  }
  protected push(tuple: Tuple): void {
    this.elements.push(tuple);
  }
  protected take(): Tuple {
    return this.elements.shift()!;
  }
  protected restore(tuple: Tuple): void {
    this.elements.unshift(tuple);
  }
}

/**
 * PaddingFIFOQueue: a FIFOQueue whose shapes may have unknown dims; DequeueMany pads each
 * component to the largest element of the batch with zeros (empty strings).
 */
export class PaddingFifoQueue extends FifoQueue {
  override readonly kind = "PaddingFIFOQueue";
  override validate(): void {
    super.validate();
    if (this.shapes.length !== this.dtypes.length) {
      throw invalidArgument(
        `Shapes must be provided for all components, but received ${this.dtypes.length} dtypes and ${this.shapes.length} shapes.`,
      );
    }
  }
  protected override checkDequeueMany(): void {}
  protected override batchRowShape(i: number, taken: readonly Tuple[]): number[] {
    return this.shapes[i]!.map((d, j) =>
      d >= 0 ? d : taken.reduce((m, t) => Math.max(m, t[i]!.shape[j]!), 0),
    );
  }
}

/**
 * RandomShuffleQueue: a dequeue takes a uniformly chosen element (TF's Philox stream seeded with
 * (seed, seed2), one 32-bit sample per element, index = sample mod size) and, while the queue is
 * open, leaves at least min_after_dequeue elements.
 */
export class RandomShuffleQueue extends Queue {
  readonly kind = "RandomShuffleQueue";
  private readonly elements: Tuple[] = [];
  private readonly generator: SingleSampleAdapter;

  constructor(
    capacity: number,
    dtypes: readonly DataType[],
    shapes: readonly PartialShape[],
    name: string,
    readonly minAfterDequeue: number,
    readonly seed: bigint,
    readonly seed2: bigint,
    random64: () => bigint,
  ) {
    super(capacity, dtypes, shapes, name);
    const [s, s2] = seed === 0n && seed2 === 0n ? [random64(), random64()] : [seed, seed2];
    this.generator = new SingleSampleAdapter(new PhiloxRandom(s, s2));
  }
  stored(): readonly Tuple[] {
    return this.elements;
  }
  size(): number {
    return this.elements.length;
  }
  protected override available(): number {
    return this.closed ? this.size() : this.size() - this.minAfterDequeue;
  }
  protected push(tuple: Tuple): void {
    this.elements.push(tuple);
  }
  protected take(): Tuple {
    const index = this.generator.next() % this.elements.length;
    const out = this.elements[index]!;
    const last = this.elements.pop()!;
    if (index < this.elements.length) this.elements[index] = last;
    return out;
  }
  protected restore(tuple: Tuple): void {
    this.elements.push(tuple);
  }
}

/**
 * PriorityQueue: component 0 is an int64 scalar priority; dequeues take the smallest first. The
 * heap follows libstdc++'s std::priority_queue (push_heap / pop_heap), so equal priorities come
 * out in TF's order.
 */
export class PriorityQueue extends Queue {
  readonly kind = "PriorityQueue";
  private readonly heap: { priority: bigint; tuple: Tuple }[] = [];

  override validate(): void {
    super.validate();
    if (this.dtypes[0] !== 9 /* DT_INT64 */) {
      throw invalidArgument(
        `PriorityQueue priority index component must be type int64, but dtype is: ${dataTypeString(this.dtypes[0]!)}`,
      );
    }
    if (this.specifiedShapes && this.shapes[0]!.length !== 0) {
      throw invalidArgument(
        `PriorityQueue priority index component must be a scalar, but shape is: ${partialShapeString(this.shapes[0])}`,
      );
    }
  }
  size(): number {
    return this.heap.length;
  }
  /** The heap's array order: pushed back in this order, each element stays where it was. */
  stored(): readonly Tuple[] {
    return this.heap.map((e) => e.tuple);
  }
  protected override checkElement(tuple: Tuple): void {
    if (tuple[0]!.rank !== 0) {
      throw invalidArgument(
        `Expected the priority element to be a scalar, but received shape: ${shapeString(tuple[0]!.shape)}`,
      );
    }
  }
  /** The heap's order: a before b when b has the smaller priority (TF's comparator is '>'). */
  private less(i: number, j: number): boolean {
    return this.heap[i]!.priority > this.heap[j]!.priority;
  }
  protected push(tuple: Tuple): void {
    const priority = (tuple[0]!.data as BigInt64Array)[0]!;
    this.heap.push({ priority, tuple });
    this.siftUp(this.heap.length - 1, 0);
  }
  private siftUp(hole: number, top: number): void {
    const h = this.heap;
    const value = h[hole]!;
    let parent = Math.floor((hole - 1) / 2);
    while (hole > top && h[parent]!.priority > value.priority) {
      h[hole] = h[parent]!;
      hole = parent;
      parent = Math.floor((hole - 1) / 2);
    }
    h[hole] = value;
  }
  protected take(): Tuple {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      // __adjust_heap: move the hole from the root to a leaf along the larger children, then
      // sift the former last element up from there.
      const len = h.length;
      let hole = 0;
      let child = hole;
      while (child < Math.floor((len - 1) / 2)) {
        child = 2 * (child + 1);
        if (this.less(child, child - 1)) child--;
        h[hole] = h[child]!;
        hole = child;
      }
      if ((len & 1) === 0 && child === Math.floor((len - 2) / 2)) {
        child = 2 * (child + 1);
        h[hole] = h[child - 1]!;
        hole = child - 1;
      }
      h[hole] = last;
      this.siftUp(hole, 0);
    }
    return top.tuple;
  }
  protected restore(tuple: Tuple): void {
    this.push(tuple);
  }

  /**
   * A batch of fewer than no elements (only BarrierTakeMany asks for one: the queue ops refuse a
   * negative num_elements). TF waits while the queue is empty, as for any batch it cannot give
   * yet; once an element is there it makes a batch of -n rows, a shape check that aborts TF's
   * process. Here that step fails with the check's own status, and the element stays.
   */
  private negativeBatch(a: Attempt, size: number): Run {
    if (size === 0) return Run.NoProgress;
    a.status ??= invalidArgument(`Expected shape dimensions to be non-negative, got ${a.elementsRequested}`);
    return Run.Complete;
  }
  protected override checkDequeueMany(): void {
    if (!this.specifiedShapes) {
      throw invalidArgument("PriorityQueue's DequeueMany requires the components to have specified shapes.");
    }
  }
  /**
   * PriorityQueue waits until it can give the whole (sorted) batch at once. A DequeueUpTo on a
   * closed queue with fewer elements takes them and then, as TF's does, finds the queue empty and
   * fails with OUT_OF_RANGE.
   */
  protected override runDequeueMany(a: Attempt, allowSmallBatch: boolean): Run {
    const size = this.size();
    if (this.closed && (size === 0 || (!allowSmallBatch && size < a.elementsRequested))) {
      return this.insufficient(a, size);
    }
    if (a.elementsRequested < 0) return this.negativeBatch(a, size);
    if (size < a.elementsRequested) {
      if (size === 0 || !(this.closed && allowSmallBatch)) return Run.NoProgress;
      for (let k = 0; k < size; k++) this.take();
      a.elementsRequested -= size;
      return Run.Progress;
    }
    const taken: Tuple[] = [];
    for (let k = 0; k < a.elementsRequested; k++) taken.push(this.take());
    a.result = stack(
      taken,
      this.dtypes,
      this.dtypes.map((_, i) => this.batchRowShape(i, taken)),
    );
    return Run.Complete;
  }
}
