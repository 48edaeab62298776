// TensorFlow's OpKernel / OpKernelConstruction / OpKernelContext (core/framework/op_kernel.h) and
// the kernel registry (REGISTER_KERNEL_BUILDER).
//
// A kernel is created once per node when a partition is registered (construction reads and checks
// attrs), then computed once per step (or per loop iteration) with an OpKernelContext. Kernels are
// synchronous unless they must wait for something outside the step (only _Recv does), in which case
// they implement computeAsync. Kernels never throw anything but TfError on bad input.

import type { CallerSignal } from "./call-cancellation.js";
import { internal } from "./errors.js";
import type { FileSandbox } from "./file-sandbox.js";
import type { FunctionRuntime } from "./function.js";
import type { AttrMap, OpDefinition } from "./op-def.js";
import type { Rendezvous } from "./rendezvous.js";
import type { ResourceMgr } from "./resource-mgr.js";
import type { StepMemoryAccount, Tensor } from "./tensor.js";
import type { DataType } from "./types.js";

/** The device a kernel runs on. */
export interface DeviceInfo {
  /** Full name: /job:localhost/replica:0/task:0/device:CPU:0 */
  readonly name: string;
  /** "CPU" */
  readonly type: string;
  /** Random non-zero 64-bit id of this device instance. */
  readonly incarnation: bigint;
}

/** What a kernel sees when it is created (TF's OpKernelConstruction). */
export interface OpKernelConstruction {
  readonly nodeName: string;
  readonly op: string;
  readonly opDef: OpDefinition;
  /** Attrs with the op's defaults filled in. */
  readonly attrs: AttrMap;
  readonly inputTypes: readonly DataType[];
  readonly outputTypes: readonly DataType[];
  /** The node's data input strings, as written in the NodeDef ("v", "a:1"); used in messages. */
  readonly requestedInputs: readonly string[];
  readonly device: DeviceInfo;
  /** Calls functions of the graph's library (PartitionedCall and calls by function name). */
  readonly functions?: FunctionRuntime | undefined;
  /**
   * The session whose graph holds the node (absent inside function bodies): state TF keeps per
   * session in its kernels (OpSegment), such as a lookup table private to its node, is keyed by it.
   */
  readonly sessionHandle?: string | undefined;
}

/**
 * A mutable tensor slot shared by reference (a VariableV2 buffer, TF's ref-typed edge).
 * `value` is undefined until the variable is initialised.
 */
export interface RefCell {
  value: Tensor | undefined;
  /** Serialises ref updates when use_locking is set; JS is single-threaded per worker, so a flag. */
  readonly name: string;
}

/** Per-step state shared by all kernels of a partition (TF's OpKernelContext::Params). */
export interface StepContext {
  readonly stepId: bigint;
  /** Aborted when the step is cancelled (Close, deadline, client gone, another partition failed). */
  readonly signal: CallerSignal;
  readonly rendezvous: Rendezvous;
  readonly resources: ResourceMgr;
  readonly device: DeviceInfo;
  /** Server log (Print, log_device_placement, warnings). */
  readonly log: (level: "info" | "warn" | "error", message: string) => void;
  /** Present when the step is traced (FULL_TRACE): the executor appends one record per node run. */
  readonly stats?: StepStatsCollector | undefined;
  /** Inside a function body: its arguments (read by _Arg) and results (written by _Retval). */
  readonly callFrame?: CallFrame | undefined;
  /** The step's memory on this worker, charged by allocData while the executor runs a kernel. */
  readonly memory?: StepMemoryAccount | undefined;
  /**
   * The operator's file sandbox (--files-root); undefined when the server has none, and then every
   * op that touches files is refused (see requireFileSandbox).
   */
  readonly files?: FileSandbox | undefined;
}

export interface CallFrame {
  readonly args: readonly Tensor[];
  readonly rets: (Tensor | undefined)[];
}

/** One executed node, as the executor saw it (times in microseconds since the epoch). */
export interface NodeStatsRecord {
  readonly nodeName: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly startUs: number;
  readonly endUs: number;
  readonly outputs: readonly {
    readonly slot: number;
    readonly dtype: DataType;
    readonly shape: readonly number[];
  }[];
}

export interface StepStatsCollector {
  readonly nodes: NodeStatsRecord[];
}

/** What a kernel sees when it computes (TF's OpKernelContext). */
export interface OpKernelContext {
  readonly step: StepContext;
  readonly nodeName: string;
  readonly numInputs: number;
  /** Input i as a value; for a ref input, the current value of the ref (must be initialised). */
  input(i: number): Tensor;
  /** Input i as a ref cell; only for inputs whose type is a ref type. */
  inputRef(i: number): RefCell;
  /**
   * Sets output i (value). `owned`: the kernel made t's storage for this output (or took it over
   * with forwardableInput) and keeps no other reference to it, so a later kernel may reuse it.
   */
  setOutput(i: number, t: Tensor, owned?: boolean): void;
  /**
   * Input i when this node may write into its storage and return it as an output (TF's
   * forward_input): the value's storage belongs to it alone (a fresh output of a kernel that said
   * so, or a feed made for this step) and this input is its only reader. Undefined otherwise: the
   * kernel allocates as usual. Never a ref input.
   */
  forwardableInput(i: number): Tensor | undefined;
  /** Sets output i as a ref (for ops whose output type is a ref type). */
  setOutputRef(i: number, cell: RefCell): void;
  /** The frame and iteration the node runs in, "<frame_id>:<iter_id>" (TF's FrameAndIter). */
  readonly frameIter: string;
  /**
   * False when data input i is dead (an untaken Switch branch). Only Merge and the transfer ops
   * (_Send/_Recv) ever see dead inputs; every other node with a dead input is skipped and its
   * outputs are dead.
   */
  hasInput(i: number): boolean;
  /** True when some input is dead; only transfer ops run in that state (to forward deadness). */
  readonly isInputDead: boolean;
}

/**
 * The rest of a long kernel's work, cut into slices: each next() runs one slice of about a
 * millisecond (a few at most) and the kernel is done when the iterator is. A kernel returns one (a
 * generator) from compute when its work may be large; the executor runs slices inline for a while
 * and then between other work, checking the step's cancellation between them
 * (docs/architecture.md, "Sliced kernels"). A slice may end by yielding a promise: the next one
 * runs once it has settled (how a kernel waits for a library to load); the promise never rejects
 * or the kernel reads its outcome itself. Everything the kernel allocates is charged to its step.
 */
export type KernelSlices = Generator<void | Promise<unknown>, void, undefined>;

/**
 * Outputs a kernel leaves unset are dead (how Switch marks its untaken branch). compute returns
 * KernelSlices when the work continues in slices (outputs are set by the time they end).
 */
export interface OpKernel {
  compute(ctx: OpKernelContext): void | KernelSlices;
  /**
   * Once compute has finished, the kernel holds no reference to its inputs' storage: it read them
   * into its outputs (or scratch it frees) and put them in no resource, no variant, no cache. An
   * output may still share an input's storage (a view, a forwarded input); the executor checks
   * that itself. Then a value this node alone read is dead once it has run, and the executor gives
   * its storage back to the thread's pool (TF's allocator reuses a freed buffer the same way).
   */
  readonly keepsNoInput?: boolean;
}

/** Runs a kernel's slices to the end (callers outside the executor: tests, tools). */
export async function finishSlices(slices: void | KernelSlices): Promise<void> {
  if (slices === undefined) return;
  while (true) {
    const r = slices.next();
    if (r.done) return;
    if (r.value !== undefined) await r.value;
  }
}

export interface AsyncOpKernel {
  computeAsync(ctx: OpKernelContext): Promise<void>;
}

export type AnyOpKernel = OpKernel | AsyncOpKernel;

export function isAsyncKernel(k: AnyOpKernel): k is AsyncOpKernel {
  return typeof (k as AsyncOpKernel).computeAsync === "function";
}

/** One kernel registration (TF's KernelDef + factory). */
export interface KernelRegistration {
  readonly op: string;
  /** Device types the kernel runs on; tfgate has CPU kernels. */
  readonly deviceTypes: readonly string[];
  readonly create: (c: OpKernelConstruction) => AnyOpKernel;
}

const kernels = new Map<string, KernelRegistration>();

/** Registers a kernel for each of its device types; a duplicate (op, device type) throws. */
export function registerKernel(reg: KernelRegistration): void {
  for (const deviceType of reg.deviceTypes) {
    const key = `${reg.op}\u0000${deviceType}`;
    if (kernels.has(key)) throw internal(`Kernel for op '${reg.op}' on ${deviceType} is registered twice`);
    kernels.set(key, reg);
  }
}

export function findKernel(op: string, deviceType: string): KernelRegistration | undefined {
  return kernels.get(`${op}\u0000${deviceType}`);
}

/** Device types that have a kernel for op (used by the placer). */
export function supportedDeviceTypes(op: string): string[] {
  const out: string[] = [];
  for (const reg of kernels.values()) if (reg.op === op) out.push(...reg.deviceTypes);
  return [...new Set(out)];
}

export function registeredKernels(): KernelRegistration[] {
  return [...new Set(kernels.values())];
}
