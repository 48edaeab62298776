// TensorFlow's Tensor (tensorflow/core/framework/tensor.h): a dtype, a shape and a typed buffer.
//
// Storage per dtype (row-major, little-endian like TF on x86):
//   float32 Float32Array, float64 Float64Array, int8/16/32 Int8/16/32Array, uint8/16/32
//   Uint8/16/32Array, int64 BigInt64Array, uint64 BigUint64Array, bool Uint8Array (0/1),
//   half and bfloat16 Uint16Array (raw bit patterns), complex64 Float32Array and complex128
//   Float64Array with interleaved (re, im) pairs, qint*/quint* as their integer storage,
//   string an array of byte strings (Uint8Array), resource an array of ResourceHandle.
// Tensors are immutable by convention once produced, except through a ref (VariableV2) or a
// resource (the variable's own buffer), exactly as in TF.

import { invalidArgument, resourceExhausted } from "./errors.js";
import type { MemoryCeiling } from "./memory-ceiling.js";
import { SharedMemoryPool } from "./shared-memory-pool.js";
import { DataType, dataTypeString } from "./types.js";

/** A handle to a resource living in a device's ResourceMgr (TF's ResourceHandle). */
export interface ResourceHandle {
  readonly device: string;
  readonly container: string;
  readonly name: string;
  readonly hashCode: bigint;
  readonly maybeTypeName: string;
}

export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;
export type BigIntArray = BigInt64Array | BigUint64Array;
/** What every element of a DT_VARIANT tensor is (framework/variant.ts). `typeName` is TF's Variant::TypeName. */
export interface VariantValue {
  readonly typeName: string;
  /** TF's Variant::DebugString (used in messages and summaries). */
  debugString(): string;
}

/** TF's default-constructed Variant: what a new DT_VARIANT tensor holds until a kernel sets it. */
export const EMPTY_VARIANT: VariantValue = {
  typeName: "",
  debugString: () => "Variant<type: empty>",
};

export type TensorData = NumericArray | BigIntArray | Uint8Array[] | ResourceHandle[] | VariantValue[];

/**
 * The largest tensor allowed where no engine's limit is in force: library use, tests, and an async
 * kernel after an await (its allocations are not attributed to any step). A worker thread serves
 * one master and sets that master's limit here; the main thread, which may hold several masters,
 * leaves it alone: their limits travel with their steps and sections (below).
 */
let defaultMaxTensorBytes = 2 ** 31;

/** The limit of the engine whose synchronous code runs now (withMaxTensorBytes), if any. */
let scopedMaxTensorBytes: number | undefined;

/** The account allocations are charged to: set by the executor around a kernel's synchronous compute. */
let currentAccount: StepMemoryAccount | undefined;

/** Sets this thread's default per-tensor limit (a worker thread: its one master's limit). */
export function setMaxTensorBytes(bytes: number): void {
  defaultMaxTensorBytes = bytes;
}

/**
 * The per-tensor limit that applies here and now: the running step's (its memory account carries
 * its engine's limit), else that of the engine section running (withMaxTensorBytes), else the
 * thread's default.
 */
export function getMaxTensorBytes(): number {
  return currentAccount?.maxTensorBytes ?? scopedMaxTensorBytes ?? defaultMaxTensorBytes;
}

/**
 * Makes `bytes` the per-tensor limit of a synchronous section (undefined: none) and returns the
 * previous one, which the caller restores when the section ends.
 */
export function swapMaxTensorBytes(bytes: number | undefined): number | undefined {
  const previous = scopedMaxTensorBytes;
  scopedMaxTensorBytes = bytes;
  return previous;
}

/**
 * Runs `f` (synchronously) under an engine's per-tensor limit: what a master decodes (feeds) and a
 * worker builds (kernels, their constants) outside any step.
 */
export function withMaxTensorBytes<T>(bytes: number, f: () => T): T {
  const previous = swapMaxTensorBytes(bytes);
  try {
    return f();
  } finally {
    swapMaxTensorBytes(previous);
  }
}

/** "[2,3]" like TF's TensorShape::DebugString. */
export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

const int64Max = 2n ** 63n - 1n;

/**
 * Number of elements of a shape. Throws INVALID_ARGUMENT for negative dims and for products that
 * overflow int64 (TF's TensorShape::AddDimWithStatus wording). A product that fits int64 but not a
 * double exactly is returned approximately: no tensor that large can be allocated, and allocData
 * refuses it with RESOURCE_EXHAUSTED, as TF's allocator does.
 */
export function numElements(shape: readonly number[]): number {
  let n = 1;
  let inexact = false;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw invalidArgument(`Dimension ${d} must be >= 0`);
    }
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) inexact = true;
  }
  if (inexact) {
    let exact = 1n;
    for (const d of shape) {
      const next = exact * BigInt(d);
      if (next > int64Max) {
        throw invalidArgument(`Encountered overflow when multiplying ${exact} with ${d}, result: -1`);
      }
      exact = next;
    }
  }
  return n;
}

function elementBytes(dtype: DataType): number {
  switch (dtype) {
    case DataType.DT_FLOAT:
    case DataType.DT_INT32:
    case DataType.DT_UINT32:
    case DataType.DT_QINT32:
      return 4;
    case DataType.DT_DOUBLE:
    case DataType.DT_INT64:
    case DataType.DT_UINT64:
    case DataType.DT_COMPLEX64:
      return 8;
    case DataType.DT_COMPLEX128:
      return 16;
    case DataType.DT_INT16:
    case DataType.DT_UINT16:
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
    case DataType.DT_QINT16:
    case DataType.DT_QUINT16:
      return 2;
    case DataType.DT_INT8:
    case DataType.DT_UINT8:
    case DataType.DT_BOOL:
    case DataType.DT_QINT8:
    case DataType.DT_QUINT8:
      return 1;
    default:
      // Strings and resources are one JS object each (~100 bytes of heap with its header), so
      // budget them as such: an array of millions of them must not exhaust a worker's heap.
      return 128;
  }
}

/** Throws RESOURCE_EXHAUSTED when a tensor of this dtype and element count exceeds the budget. */
export function checkAllocation(dtype: DataType, n: number, shape?: readonly number[]): void {
  const bytes = n * elementBytes(dtype);
  const maxTensorBytes = getMaxTensorBytes();
  if (bytes > maxTensorBytes) {
    // Inside a step, TF's full wording names the device and allocator.
    const where = currentAccount === undefined ? "" : ` on ${currentAccount.device} by allocator cpu`;
    throw resourceExhausted(
      `OOM when allocating tensor with shape${shape ? shapeString(shape) : `[${n}]`} and type ${dataTypeString(dtype)}${where}: ` +
        `${bytes} bytes exceeds the per-tensor limit of ${maxTensorBytes} bytes (raise it with --max-tensor-bytes)`,
    );
  }
}

/**
 * Checks and charges n objects a kernel holds that are not tensor storage (TensorArray slots), as
 * variant elements: a count taken from a tensor's value cannot make a worker build a huge array.
 */
export function chargeObjects(n: number, shape: readonly number[]): void {
  checkAllocation(DataType.DT_VARIANT, n, shape);
  if (n > 0) currentAccount?.charge(n * elementBytes(DataType.DT_VARIANT), DataType.DT_VARIANT, shape);
}

/**
 * A value a kernel keeps past its loop iteration without passing it on as an output (TF's
 * TensorArray slots): what the iteration was charged for it would go back when the iteration ends
 * while the value lives on, so it is charged again, until the step ends (strings by their payload:
 * see executor/output-charges.ts). Outside loop iterations the value stays charged to the step
 * anyway, and storage the step did not make (a feed, a variable's value) is not charged.
 */
export function keepChargedForStep(t: Tensor): void {
  const account = currentAccount;
  if (account === undefined || !account.track) return;
  const bytes = account.ownedBytes(t);
  if (bytes <= 0) return;
  account.charge(bytes, t.dtype, t.shape);
  account.keptForStep += bytes;
}

/**
 * The memory one step has allocated on one worker, checked against the per-step budget
 * (--max-step-bytes). TF bounds a step by its device allocator; here every allocData made while a
 * kernel of the step computes is charged before the storage exists, and a charge that would take
 * `live` over `limit` fails the kernel with RESOURCE_EXHAUSTED (TF's allocator OOM text).
 *
 * The model (see the executor): bytes allocated in a step stay charged until the step ends, because
 * the executor keeps every root-frame value until then; bytes allocated in a while-loop iteration
 * or a function call are released when that iteration or call is done, and a value that leaves it
 * (NextIteration, Exit, a function's results) is charged to where it goes (values under
 * trackMinBytes are not followed). Feeds, variables read, constants and received tensors were not
 * allocated by the step and are never charged.
 *
 * Shared by the partitions of one step on one worker; used on one thread only.
 */
export class StepMemoryAccount {
  /** Bytes charged and not released. */
  live = 0;
  /** Highest `live` seen (tests and diagnostics). */
  peak = 0;
  /** Set by the executor around a kernel whose allocations may be released before the step ends. */
  track = false;
  /**
   * Set by the executor around a kernel whose output the client fetches: the response limit
   * (--max-message-bytes), which no single allocation of that kernel may pass (see allocData).
   */
  fetchLimit: number | undefined;
  /** String bytes the running kernel charged ahead of building them (chargeStringBytes). */
  stringBytesAhead = 0;
  /** Bytes the running kernel charged for the rest of the step, not its iteration (keepChargedForStep). */
  keptForStep = 0;
  /** Storage allocated while `track` was set, by object, with the bytes charged for it. */
  private readonly owned = new WeakMap<object, number>();
  /** Bytes this account holds in the server's ceiling (all of it goes back in close). */
  private heldInCeiling = 0;

  constructor(
    /** The per-step budget in bytes. */
    readonly limit: number,
    /** The device TF's OOM message names: the executor sets the running kernel's device. */
    public device: string,
    /** The per-tensor limit of the step's engine (--max-tensor-bytes); absent: the thread's default. */
    readonly maxTensorBytes?: number | undefined,
    /** The server's memory ceiling shared by every step (--max-memory-bytes); absent: none. */
    readonly ceiling?: MemoryCeiling | undefined,
    /** The response limit a fetched tensor may not pass (--max-message-bytes); absent: none. */
    readonly maxFetchBytes?: number | undefined,
  ) {}

  /** Charges an allocation about to be made; throws RESOURCE_EXHAUSTED (nothing charged) past the budget. */
  charge(bytes: number, dtype: DataType, shape: readonly number[]): void {
    const after = this.live + bytes;
    if (after > this.limit) {
      throw resourceExhausted(
        `${oomPrefix(shape, dtype, this.device)}: the step's tensors on this worker already hold ${this.live} bytes, ` +
          `and this tensor's ${bytes} bytes would exceed the per-step memory budget of ${this.limit} bytes ` +
          `by ${after - this.limit} bytes (raise it with --max-step-bytes)`,
      );
    }
    const ceiling = this.ceiling;
    if (ceiling !== undefined) {
      if (!ceiling.tryCharge(bytes)) {
        throw resourceExhausted(
          `${oomPrefix(shape, dtype, this.device)}: the server's running steps and long-lived state (variables, ` +
            `queues, tables, staging areas, dataset buffers) already hold ${ceiling.total()} bytes, and this tensor's ${bytes} bytes would exceed ` +
            `the server's memory ceiling of ${ceiling.limit} bytes (--max-memory-bytes); retry when other steps ` +
            "have finished or state was freed",
        );
      }
      this.heldInCeiling += bytes;
    }
    this.live = after;
    if (after > this.peak) this.peak = after;
  }

  /** Charges without a check (a value moving into a scope; the next allocation checks). */
  add(bytes: number): void {
    this.live += bytes;
    if (this.live > this.peak) this.peak = this.live;
    if (this.ceiling !== undefined && bytes > 0) {
      this.ceiling.add(bytes);
      this.heldInCeiling += bytes;
    }
  }

  release(bytes: number): void {
    this.live -= bytes;
    if (this.ceiling !== undefined && bytes > 0) {
      const back = Math.min(bytes, this.heldInCeiling);
      this.ceiling.release(back);
      this.heldInCeiling -= back;
    }
  }

  /** The step ended here: whatever it still holds in the server's ceiling goes back. */
  close(): void {
    if (this.ceiling !== undefined && this.heldInCeiling > 0) this.ceiling.release(this.heldInCeiling);
    this.heldInCeiling = 0;
  }

  /** Bytes charged for a tensor's storage when it was allocated while `track` was set, else 0. */
  ownedBytes(t: Tensor): number {
    return this.owned.get(t.data) ?? 0;
  }

  /** @internal allocData's record of tracked storage. */
  remember(data: TensorData, bytes: number): void {
    this.owned.set(data, bytes);
  }
}

/** TF's allocator OOM wording (core/framework/tensor.cc, bfc_allocator.cc), our reason after it. */
function oomPrefix(shape: readonly number[], dtype: DataType, device: string): string {
  return `OOM when allocating tensor with shape${shapeString(shape)} and type ${dataTypeString(dtype)} on ${device} by allocator cpu`;
}

/**
 * The error of a fetch larger than the response limit, in the words connect-es uses when the
 * response itself is too large ("message size N is larger than configured writeMaxBytes M"), N
 * being here the tensor's own bytes: the response can only be larger.
 */
export function fetchTooLarge(bytes: number, limit: number): Error {
  return resourceExhausted(`message size ${bytes} is larger than configured writeMaxBytes ${limit}`);
}

/**
 * Charges the bytes of strings a kernel is about to build (TF's tstring payloads), before it
 * builds them, so a kernel whose output can be far larger than its inputs (AsString's width,
 * StringJoin broadcasting a long scalar) is refused before the memory is taken. The executor
 * charges every string output's real size after the kernel (chargeStringOutputs), less what was
 * charged here.
 */
export function chargeStringBytes(bytes: number, shape: readonly number[]): void {
  const account = currentAccount;
  const perTensor = getMaxTensorBytes();
  if (bytes > perTensor) {
    throw resourceExhausted(
      `${oomPrefix(shape, DataType.DT_STRING, account?.device ?? "cpu")}: ${bytes} bytes of strings exceed the per-tensor limit of ${perTensor} bytes (raise it with --max-tensor-bytes)`,
    );
  }
  if (account === undefined || bytes <= 0) return;
  checkFetchLimit(account, bytes);
  account.charge(bytes, DataType.DT_STRING, shape);
  account.stringBytesAhead += bytes;
}

function checkFetchLimit(account: StepMemoryAccount, bytes: number): void {
  if (account.fetchLimit !== undefined && bytes > account.fetchLimit) {
    throw fetchTooLarge(bytes, account.fetchLimit);
  }
}

/** The bytes of a string tensor's elements (their payloads; the array itself is charged by allocData). */
export function stringBytes(t: Tensor): number {
  let bytes = 0;
  for (const s of t.data as Uint8Array[]) bytes += s.byteLength;
  return bytes;
}

/** The bytes a tensor's value would take on the wire, roughly (tensor_content or string payloads). */
export function valueBytes(t: Tensor): number {
  if (t.dtype === DataType.DT_STRING) return stringBytes(t);
  const d = t.data;
  return ArrayBuffer.isView(d) ? d.byteLength : t.numElements * 8;
}

/**
 * Makes `account` the one allocData charges (undefined: none) and returns the previous one, which
 * the caller restores when its synchronous section ends. Allocations outside any section (kernel
 * construction, decoding feeds, an async kernel after an await) are not charged to any step.
 */
export function swapStepAccount(account: StepMemoryAccount | undefined): StepMemoryAccount | undefined {
  const previous = currentAccount;
  currentAccount = account;
  return previous;
}

/**
 * Tensors of at least this many bytes live in a SharedArrayBuffer, so handing them to another
 * thread (a fetch going back to the RPC thread, a cross-device edge between worker threads) shares
 * the memory instead of copying it. Safe because a tensor is never written after it is produced:
 * variable updates replace the held tensor (see kernels/variables.ts), they do not write into it.
 * Small tensors stay in ordinary ArrayBuffers, which are cheaper to allocate.
 */
export const sharedTensorMinBytes = 64 * 1024;

type TypedCtor<T> = {
  new (length: number): T;
  new (buffer: ArrayBufferLike): T;
  readonly BYTES_PER_ELEMENT: number;
};

/**
 * This thread's idle large-tensor storage: fetched tensors whose storage nothing else held come
 * back here once their answer is written (WorkerInterface.returnStorage), and the next tensor of
 * the same size takes the memory again, already faulted in.
 */
export const tensorStoragePool = new SharedMemoryPool(128 * 1024 * 1024);

/**
 * The large storage this thread's allocator made. Only such memory may go back to its pool from
 * inside a step (recycleStorage): memory lent by a transport (a feed's request body, forwarded in
 * place) or made on another thread goes back where it came from, or to the garbage collector.
 */
const madeHere = new WeakSet<SharedArrayBuffer>();

/**
 * Storage for `length` elements: zeroed unless `zeroed` is false (the caller writes every byte).
 * Large storage comes from this thread's pool when it holds a buffer of the size.
 */
function typed<T>(ctor: TypedCtor<T>, length: number, zeroed = true): T {
  const bytes = length * ctor.BYTES_PER_ELEMENT;
  if (bytes < sharedTensorMinBytes) return new ctor(length);
  const reused = tensorStoragePool.reuse(bytes);
  if (reused === undefined) {
    const fresh = new SharedArrayBuffer(bytes);
    madeHere.add(fresh);
    return new ctor(fresh);
  }
  if (zeroed) zero(reused);
  return new ctor(reused);
}

/**
 * Gives a dead value's storage back to this thread's pool, so the next tensor of its size takes
 * memory already faulted in. The caller vouches that nothing can reach the storage any more; it is
 * taken only when it is a whole buffer this thread's allocator made. True when it was taken.
 */
export function recycleStorage(data: TensorData): boolean {
  if (!ArrayBuffer.isView(data)) return false;
  const buffer = data.buffer;
  if (!(buffer instanceof SharedArrayBuffer) || !madeHere.has(buffer)) return false;
  if (data.byteOffset !== 0 || data.byteLength !== buffer.byteLength) return false;
  tensorStoragePool.give(buffer);
  return true;
}

/** Clears shared memory eight bytes at a time (a byte-wise fill of shared memory is slower). */
function zero(buffer: SharedArrayBuffer): void {
  const words = Math.floor(buffer.byteLength / 8);
  new Float64Array(buffer, 0, words).fill(0);
  new Uint8Array(buffer, words * 8).fill(0);
}

/**
 * Storage as it should be posted to another thread: raw storage in a SharedArrayBuffer as is (the
 * other thread sees the same memory, no copy; safe because storage is never written once its
 * tensor is produced). Ordinary memory is copied by postMessage, which clones a typed array with
 * its whole ArrayBuffer, so a view of part of a larger buffer (a small tensor sliced out of a big
 * one, a constant inside a GraphDef) is first cut to its own bytes: the clone then copies those.
 */
export function crossingStorage(data: TensorData): TensorData {
  if (!ArrayBuffer.isView(data)) return data;
  if (data.buffer instanceof SharedArrayBuffer || data.byteLength === data.buffer.byteLength) return data;
  return data.slice();
}

/**
 * A copy of raw storage where allocData would put it (shared memory when large, so the copy can
 * go on to other threads without being copied again), made as one byte copy. Object storage
 * (strings, handles, variants) is copied as an array of the same, immutable, elements.
 */
export function copyStorage(data: TensorData): TensorData {
  if (!ArrayBuffer.isView(data)) return data.slice() as TensorData;
  const ctor = data.constructor as TypedCtor<NumericArray | BigIntArray>;
  const out = typed(ctor, data.length, false);
  (out as { set(a: ArrayLike<unknown>): void }).set(data as ArrayLike<unknown>);
  return out;
}

/**
 * Allocates zeroed storage for n elements of dtype, after checking the per-tensor limit and
 * charging the current step's account (see swapStepAccount). `overwritten`: the caller writes
 * every element before anything reads one, so memory taken again from the pool is not cleared.
 */
export function allocData(
  dtype: DataType,
  n: number,
  shape?: readonly number[],
  overwritten = false,
): TensorData {
  checkAllocation(dtype, n, shape);
  const account = currentAccount;
  if (account === undefined || n === 0) return allocStorage(dtype, n, !overwritten);
  const bytes = n * elementBytes(dtype);
  // A fetched tensor's storage already shows its size on the wire: its numbers' bytes, or at
  // least a byte per string (the payloads are checked when built). Scratch space (allocated
  // without a shape, TF's allocate_temp) is no output and is left to the other limits.
  if (shape !== undefined && dtype !== DataType.DT_RESOURCE && dtype !== DataType.DT_VARIANT) {
    checkFetchLimit(account, dtype === DataType.DT_STRING ? n : bytes);
  }
  account.charge(bytes, dtype, shape ?? [n]);
  const data = allocStorage(dtype, n, !overwritten);
  // Small values are not tracked (a WeakMap entry costs more than they do): one that leaves its
  // loop iteration is released with it, an error of under trackMinBytes per value.
  if (account.track && bytes >= trackMinBytes) account.remember(data, bytes);
  return data;
}

/** Storage below this size is not followed out of loop iterations (see allocData). */
const trackMinBytes = 1024;

function allocStorage(dtype: DataType, n: number, zeroed = true): TensorData {
  switch (dtype) {
    case DataType.DT_FLOAT:
      return typed(Float32Array, n, zeroed);
    case DataType.DT_DOUBLE:
      return typed(Float64Array, n, zeroed);
    case DataType.DT_INT32:
    case DataType.DT_QINT32:
      return typed(Int32Array, n, zeroed);
    case DataType.DT_UINT32:
      return typed(Uint32Array, n, zeroed);
    case DataType.DT_INT16:
    case DataType.DT_QINT16:
      return typed(Int16Array, n, zeroed);
    case DataType.DT_UINT16:
    case DataType.DT_QUINT16:
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
      return typed(Uint16Array, n, zeroed);
    case DataType.DT_INT8:
    case DataType.DT_QINT8:
      return typed(Int8Array, n, zeroed);
    case DataType.DT_UINT8:
    case DataType.DT_QUINT8:
    case DataType.DT_BOOL:
      return typed(Uint8Array, n, zeroed);
    case DataType.DT_INT64:
      return typed(BigInt64Array, n, zeroed);
    case DataType.DT_UINT64:
      return typed(BigUint64Array, n, zeroed);
    case DataType.DT_COMPLEX64:
      return typed(Float32Array, 2 * n, zeroed);
    case DataType.DT_COMPLEX128:
      return typed(Float64Array, 2 * n, zeroed);
    case DataType.DT_STRING: {
      const empty = new Uint8Array(0);
      return Array.from({ length: n }, () => empty);
    }
    case DataType.DT_RESOURCE:
      return Array.from({ length: n }, () => emptyResourceHandle);
    case DataType.DT_VARIANT:
      return Array.from({ length: n }, () => EMPTY_VARIANT);
    default:
      throw invalidArgument(`Unsupported dtype ${dataTypeString(dtype)}`);
  }
}

/** The typed-array class that holds a fixed-size dtype's elements (see the header). */
function storageClass(dtype: DataType): TypedCtor<NumericArray | BigIntArray> | undefined {
  switch (dtype) {
    case DataType.DT_FLOAT:
    case DataType.DT_COMPLEX64:
      return Float32Array;
    case DataType.DT_DOUBLE:
    case DataType.DT_COMPLEX128:
      return Float64Array;
    case DataType.DT_INT32:
    case DataType.DT_QINT32:
      return Int32Array;
    case DataType.DT_UINT32:
      return Uint32Array;
    case DataType.DT_INT16:
    case DataType.DT_QINT16:
      return Int16Array;
    case DataType.DT_UINT16:
    case DataType.DT_QUINT16:
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
      return Uint16Array;
    case DataType.DT_INT8:
    case DataType.DT_QINT8:
      return Int8Array;
    case DataType.DT_UINT8:
    case DataType.DT_QUINT8:
    case DataType.DT_BOOL:
      return Uint8Array;
    case DataType.DT_INT64:
      return BigInt64Array;
    case DataType.DT_UINT64:
      return BigUint64Array;
    default:
      return undefined;
  }
}

/**
 * The storage of n elements of a fixed-size dtype laid over existing memory, without copying:
 * `byteOffset` must be a multiple of the storage's element size. Undefined for dtypes without raw
 * storage (string, resource, variant).
 */
export function storageView(
  dtype: DataType,
  buffer: ArrayBufferLike,
  byteOffset: number,
  n: number,
): NumericArray | BigIntArray | undefined {
  const ctor = storageClass(dtype);
  if (ctor === undefined) return undefined;
  const lanes = dtype === DataType.DT_COMPLEX64 || dtype === DataType.DT_COMPLEX128 ? 2 : 1;
  return new (
    ctor as unknown as new (
      b: ArrayBufferLike,
      o: number,
      l: number,
    ) => NumericArray | BigIntArray
  )(buffer, byteOffset, lanes * n);
}

const emptyResourceHandle: ResourceHandle = {
  device: "",
  container: "",
  name: "",
  hashCode: 0n,
  maybeTypeName: "",
};

export class Tensor {
  readonly dtype: DataType;
  readonly shape: readonly number[];
  readonly data: TensorData;

  /** Wraps existing storage (borrowed, not copied). The length must match the shape. */
  constructor(dtype: DataType, shape: readonly number[], data: TensorData) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
  }

  /** A new zero-filled tensor. */
  static zeros(dtype: DataType, shape: readonly number[]): Tensor {
    return new Tensor(dtype, shape, allocData(dtype, numElements(shape), shape));
  }

  get numElements(): number {
    let n = 1;
    for (const d of this.shape) n *= d;
    return n;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** TF's DebugString-like summary: "Tensor<type: float shape: [2,3]>". */
  toString(): string {
    return `Tensor<type: ${dataTypeString(this.dtype)} shape: ${shapeString(this.shape)}>`;
  }
}

/** True when the two shapes are identical. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Scalar helpers used by kernels and tests. */
export function scalar(dtype: DataType, value: number | bigint | boolean | string): Tensor {
  const t = Tensor.zeros(dtype, []);
  setFlat(t, 0, value);
  return t;
}

/** Creates a tensor from a flat JS array of values (numbers, bigints, booleans or strings). */
export function fromValues(
  dtype: DataType,
  shape: readonly number[],
  values: readonly (number | bigint | boolean | string)[],
): Tensor {
  const t = Tensor.zeros(dtype, shape);
  if (values.length !== t.numElements) {
    throw invalidArgument(
      `Expected ${t.numElements} values for shape ${shapeString(shape)}, got ${values.length}`,
    );
  }
  for (let i = 0; i < values.length; i++) setFlat(t, i, values[i]!);
  return t;
}

const textEncoder = new TextEncoder();

function setFlat(t: Tensor, i: number, v: number | bigint | boolean | string): void {
  const d = t.data;
  if (t.dtype === DataType.DT_STRING) {
    (d as Uint8Array[])[i] = typeof v === "string" ? textEncoder.encode(v) : textEncoder.encode(String(v));
  } else if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    d[i] = typeof v === "bigint" ? v : BigInt(typeof v === "boolean" ? Number(v) : Number(v));
  } else if (t.dtype === DataType.DT_COMPLEX64 || t.dtype === DataType.DT_COMPLEX128) {
    (d as Float32Array)[2 * i] = Number(v);
    (d as Float32Array)[2 * i + 1] = 0;
  } else if (t.dtype === DataType.DT_HALF || t.dtype === DataType.DT_BFLOAT16) {
    throw invalidArgument("use the float16 helpers to build half/bfloat16 tensors");
  } else {
    (d as NumericArray)[i] = typeof v === "boolean" ? (v ? 1 : 0) : Number(v);
  }
}
