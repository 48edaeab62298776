// One step of one executor (TF's ExecutorState, core/common_runtime/executor.cc): the ready queue,
// running a node's kernel, handing its outputs to the propagator, and the step's completion or
// abort.
//
// Synchronous kernels run inline; async kernels (_Recv, function calls) are awaited while other
// ready nodes run; sliced kernels (long ones, kernel-slices.ts) run inline for a while and then one
// slice per turn of the event loop, under the step's memory account. The first failure aborts the
// step's rendezvous (so the other partitions stop) and is what run() rejects with. Cancellation is
// checked between nodes and between slices via step.signal, and a long step hands the thread back
// now and then (timers, cancellation and other calls get their turn).

import { cancelled, failedPrecondition, internal } from "../framework/errors.js";
import type {
  KernelSlices,
  OpKernel,
  OpKernelContext,
  RefCell,
  StepContext,
  StepStatsCollector,
} from "../framework/op-kernel.js";
import { recycleStorage, swapMaxTensorBytes, swapStepAccount, type Tensor } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import type { Node } from "../graph/graph.js";
import type { Entry } from "./entry.js";
import { type FrameState, PropagatorState, type TaggedNode } from "./frame-state.js";
import { type ImmutableExecutorState, type Item, NodeKind } from "./immutable-state.js";
import { INLINE_BUDGET_MS, nextTurn, runSlices, SLICE_BUDGET_MS } from "./kernel-slices.js";
import { MemoryLedger } from "./memory-ledger.js";
import { type InternalErrorHook, wrapNodeError } from "./node-error.js";
import { chargeOutputs, markStringsSeen } from "./output-charges.js";

/** How long a step computes before it yields the thread once (milliseconds). */
const yieldEveryMs = 4;

type Outputs = (Entry | undefined)[];

/**
 * The ready nodes. Transfers (_Send/_Recv) come first: a _Send hands a value to another device,
 * whose partition must not wait behind a long kernel of this one (TF runs such inexpensive
 * kernels inline, ahead of the expensive ones it queues). Otherwise last in, first out, which
 * keeps a chain's values short-lived.
 */
class ReadyQueue {
  private readonly transfers: TaggedNode[] = [];
  private readonly rest: TaggedNode[] = [];
  constructor(private readonly items: readonly Item[]) {}
  push(t: TaggedNode): void {
    (this.items[t.id]!.isTransfer ? this.transfers : this.rest).push(t);
  }
  pop(): TaggedNode | undefined {
    return this.transfers.pop() ?? this.rest.pop();
  }
  get length(): number {
    return this.transfers.length + this.rest.length;
  }
}

export class ExecutorState {
  private readonly items: readonly Item[];
  private readonly ready: ReadyQueue;
  private readonly ledger: MemoryLedger;
  private readonly propagator: PropagatorState;
  /** In a function body everything may be released when the call returns, so all is tracked. */
  private readonly trackAll: boolean;
  private failure: unknown;
  /** Async kernels started and not yet finished. */
  private outstanding = 0;
  /** Finished async and sliced kernels; `charged`: a sliced kernel's outputs, charged as it ran. */
  private readonly finishedAsync: { t: TaggedNode; outputs: Outputs; charged: boolean }[] = [];
  /** What a sliced kernel's last slice yielded to wait for, until its next slice is scheduled. */
  private readonly slicedWaits = new Map<KernelSlices, Promise<unknown>>();
  /** Resolves the wait for an async kernel (set while the step waits for one). */
  private wake: (() => void) | undefined;

  constructor(
    state: ImmutableExecutorState,
    private readonly step: StepContext,
    private readonly onInternalError: InternalErrorHook | undefined,
  ) {
    this.items = state.items;
    this.ready = new ReadyQueue(state.items);
    this.ledger = new MemoryLedger(step.memory);
    this.trackAll = step.callFrame !== undefined;
    this.propagator = new PropagatorState(state, this.ready, this.ledger);
  }

  /** Runs the step to completion; rejects with the first failure. */
  async run(): Promise<void> {
    try {
      // TF's executor reports its _SOURCE node first in a traced step.
      if (this.step.stats && this.step.callFrame === undefined) recordSource(this.step.stats);
      this.propagator.activateRoots();
      await this.process();
    } finally {
      this.ledger.releaseAll();
    }
  }

  private async process(): Promise<void> {
    let sliceStart = performance.now();
    while (true) {
      while (this.ready.length > 0 && this.failure === undefined) {
        if (this.step.signal.aborted) {
          this.fail(this.step.signal.reason ?? cancelled("Step was cancelled"), undefined);
          break;
        }
        // Hand the thread back now and then, so timers (step deadlines), cancellation and other
        // calls get their turn during a long step. Short steps never pay for it.
        if (performance.now() - sliceStart > yieldEveryMs) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
          continue;
        }
        if (!this.processNode(this.ready.pop()!)) break;
      }
      if (this.failure !== undefined) throw this.failure;
      this.propagateFinishedAsync();
      if (this.ready.length > 0) continue;
      if (this.outstanding === 0) break;
      await this.asyncCompletion();
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** Runs one ready node; false when it failed. */
  private processNode(t: TaggedNode): boolean {
    const it = this.items[t.id]!;
    if (t.iter.deadInput[t.id] === 1 && !it.isTransfer && !it.isControlTrigger) {
      this.propagator.propagate(t, [], true);
      return true;
    }
    const outputs: Outputs = new Array(it.node.outputTypes.length);
    const ctx = makeContext(this.step, t, it, outputs);
    if (it.isAsync) {
      this.startAsync(t, it, ctx, outputs);
      return true;
    }
    const startUs = this.step.stats ? nowUs() : 0;
    const done = this.computeSync(t, it, ctx, outputs);
    if (done === false) return false;
    if (done !== true) {
      this.continueSlices(t, it, done, outputs, startUs);
      return true;
    }
    // TF's step stats leave out the transfer nodes (their time is the wait, not compute).
    if (this.step.stats && !it.isTransfer) record(this.step.stats, it, startUs, outputs);
    if (it.releasedInputs.length > 0) releaseReadInputs(t, it, outputs);
    this.propagator.propagate(t, outputs, false);
    return true;
  }

  /**
   * A synchronous kernel: true when it finished, false when it failed, its remaining slices when
   * it is a sliced kernel that ran out of its inline budget.
   */
  private computeSync(
    t: TaggedNode,
    it: Item,
    ctx: OpKernelContext,
    outputs: Outputs,
  ): boolean | KernelSlices {
    return this.underAccount(t, it, outputs, () => {
      // Non-ref inputs fed from a ref are read now, so an uninitialised variable fails here.
      for (let i = 0; i < it.numInputs; i++) {
        if (!it.inputIsRef[i] && !it.isMerge && !it.isTransfer) ctx.input(i);
      }
      if (it.kind !== NodeKind.Plain) {
        // Enter, Exit and NextIteration forward their input (refs included).
        const e = t.iter.inputs[it.inputStart];
        if (e !== undefined && !e.dead) outputs[0] = e;
        return true;
      }
      const slices = (it.kernel as OpKernel).compute(ctx);
      if (slices === undefined) return true;
      const done = runSlices(slices, INLINE_BUDGET_MS);
      if (done === true) return true;
      if (done !== false) this.slicedWaits.set(slices, done);
      return slices;
    });
  }

  /**
   * Runs part of a kernel with the step's account current, so what it allocates is charged to its
   * iteration; its outputs are charged once `run` reports the kernel finished (true). False when
   * it threw (the step has failed).
   */
  private underAccount(
    t: TaggedNode,
    it: Item,
    outputs: Outputs,
    run: () => boolean | KernelSlices,
  ): boolean | KernelSlices {
    const account = this.ledger.account;
    const previousAccount = account === undefined ? undefined : swapStepAccount(account);
    const liveBefore = account === undefined ? 0 : account.live;
    if (account !== undefined) {
      account.track = this.trackAll || t.inst.frame !== 0;
      account.device = this.step.device.name;
      // Only when every output is fetched can one allocation stand for a fetched one (a kernel with
      // an output the client does not want may allocate it as large as it likes).
      const allFetched =
        it.fetchedOutputs.length > 0 && it.fetchedOutputs.length === it.node.outputTypes.length;
      account.fetchLimit = allFetched ? account.maxFetchBytes : undefined;
      account.stringBytesAhead = 0;
    }
    try {
      const done = run();
      if (done === true && account !== undefined) chargeOutputs(account, outputs, it.fetchedOutputs);
      return done;
    } catch (e) {
      this.fail(e, it.node);
      return false;
    } finally {
      if (account !== undefined) {
        account.fetchLimit = undefined;
        swapStepAccount(previousAccount);
        this.ledger.chargeCompute(t.iter, liveBefore);
      }
    }
  }

  /**
   * The rest of a sliced kernel, one slice per turn of the event loop (or when the promise a slice
   * yielded settles); it counts as an async kernel meanwhile. A failed or cancelled step stops it at
   * its next turn (closing the iterator runs the kernel's cleanup).
   */
  private continueSlices(
    t: TaggedNode,
    it: Item,
    slices: KernelSlices,
    outputs: Outputs,
    startUs: number,
  ): void {
    this.outstanding++;
    const schedule = () => {
      const wait = this.slicedWaits.get(slices);
      this.slicedWaits.delete(slices);
      if (wait === undefined) nextTurn(resume);
      else wait.then(resume, resume);
    };
    const resume = () => {
      let done: boolean | KernelSlices;
      if (this.failure !== undefined || this.step.signal.aborted) {
        if (this.failure === undefined)
          this.fail(this.step.signal.reason ?? cancelled("Step was cancelled"), undefined);
        closeSlices(slices);
        done = false;
      } else {
        done = this.underAccount(t, it, outputs, () => {
          const r = runSlices(slices, SLICE_BUDGET_MS);
          if (r === true) return true;
          if (r !== false) this.slicedWaits.set(slices, r);
          return slices;
        });
      }
      if (done !== true && done !== false) {
        schedule();
        return;
      }
      this.outstanding--;
      if (done) {
        if (this.step.stats) record(this.step.stats, it, startUs, outputs);
        if (it.releasedInputs.length > 0) releaseReadInputs(t, it, outputs);
        this.finishedAsync.push({ t, outputs, charged: true });
      }
      this.wake?.();
    };
    schedule();
  }

  /**
   * An async kernel, started with no account: it resumes later, amid other steps' kernels. A
   * function call charges through its own executor run; its results are charged when it completes.
   */
  private startAsync(t: TaggedNode, it: Item, ctx: OpKernelContext, outputs: Outputs): void {
    const stats = this.step.stats;
    this.outstanding++;
    const asyncStartUs = stats ? nowUs() : 0;
    const previousAccount = swapStepAccount(undefined);
    // Its synchronous part still allocates under the step's per-tensor limit.
    const limit = this.ledger.account?.maxTensorBytes;
    const previousLimit = limit === undefined ? undefined : swapMaxTensorBytes(limit);
    let pendingCompute: Promise<void>;
    try {
      pendingCompute = (it.kernel as { computeAsync(c: OpKernelContext): Promise<void> }).computeAsync(ctx);
    } finally {
      swapStepAccount(previousAccount);
      if (limit !== undefined) swapMaxTensorBytes(previousLimit);
    }
    pendingCompute.then(
      () => {
        if (stats && !it.isTransfer) record(stats, it, asyncStartUs, outputs);
        this.finishedAsync.push({ t, outputs, charged: false });
        this.outstanding--;
        this.wake?.();
      },
      (e: unknown) => {
        this.outstanding--;
        this.fail(e, it.node);
        this.wake?.();
      },
    );
  }

  /** Propagates the outputs of the async kernels that finished since the last look. */
  private propagateFinishedAsync(): void {
    while (this.finishedAsync.length > 0) {
      const f = this.finishedAsync.shift()!;
      if (f.charged) {
        this.propagator.propagate(f.t, f.outputs, false);
        continue;
      }
      // Received values and call results were charged where they were built (or are feeds).
      for (const o of f.outputs) markStringsSeen(o);
      // A function call's results were released with its run; they now belong to this iteration.
      if (!this.items[f.t.id]!.isTransfer) for (const o of f.outputs) this.ledger.chargeMoved(f.t.iter, o);
      this.propagator.propagate(f.t, f.outputs, false);
    }
  }

  /** Waits until an async kernel finishes or the step fails. */
  private async asyncCompletion(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      if (this.finishedAsync.length > 0 || this.failure !== undefined) resolve();
    });
    this.wake = undefined;
  }

  /** Records the step's first failure and aborts its rendezvous (the other partitions stop too). */
  private fail(e: unknown, node: Node | undefined): void {
    if (this.failure === undefined) {
      this.failure = wrapNodeError(e, node, this.onInternalError);
      this.step.rendezvous.abort(this.failure as Error);
    }
  }
}

/** Ends a sliced kernel early; its cleanup (finally blocks) runs now. */
function closeSlices(slices: KernelSlices): void {
  try {
    slices.return?.();
  } catch {
    // The step has failed already; a cleanup error has nothing left to report to.
  }
}

/**
 * Once a node has run, the owned values it alone read (Item.releasedInputs) are dead: their slots
 * are cleared and their storage goes back to the thread's pool, unless an output still shares it
 * (a view, or the input forwarded as the result).
 */
function releaseReadInputs(t: TaggedNode, it: Item, outputs: Outputs): void {
  const inputs = t.iter.inputs;
  for (const i of it.releasedInputs) {
    const e = inputs[it.inputStart + i];
    const data = e?.owned === true ? e.tensor?.data : undefined;
    if (data === undefined || !ArrayBuffer.isView(data) || sharedByOutputs(data.buffer, outputs)) continue;
    inputs[it.inputStart + i] = undefined;
    recycleStorage(data);
  }
}

function sharedByOutputs(buffer: ArrayBufferLike, outputs: Outputs): boolean {
  for (const o of outputs) {
    const data = o?.tensor?.data;
    if (data !== undefined && ArrayBuffer.isView(data) && data.buffer === buffer) return true;
  }
  return false;
}

/** What a kernel sees of its node's run (TF's OpKernelContext). */
function makeContext(step: StepContext, t: TaggedNode, it: Item, outputs: Outputs): OpKernelContext {
  const inputs = t.iter.inputs;
  const base = it.inputStart;
  return {
    step,
    nodeName: it.node.name,
    numInputs: it.numInputs,
    frameIter: frameIterOf(t.inst, t.iter.index),
    isInputDead: t.iter.deadInput[t.id] === 1,
    hasInput(i: number): boolean {
      const e = inputs[base + i];
      return e !== undefined && !e.dead;
    },
    input(i: number): Tensor {
      const e = inputs[base + i];
      if (e === undefined || e.dead) throw internal(`Input ${i} of ${it.node.name} is not available`);
      if (e.ref !== undefined) {
        const v = e.ref.value;
        if (v === undefined) {
          throw failedPrecondition(`Attempting to use uninitialized value ${it.requestedInputs[i]}`);
        }
        return v;
      }
      return e.tensor!;
    },
    inputRef(i: number): RefCell {
      const e = inputs[base + i];
      if (e?.ref === undefined) throw internal(`Input ${i} of ${it.node.name} is not a ref`);
      return e.ref;
    },
    setOutput(i: number, tensor: Tensor, owned?: boolean): void {
      outputs[i] =
        owned === true
          ? { tensor, ref: undefined, dead: false, owned }
          : { tensor, ref: undefined, dead: false };
    },
    forwardableInput(i: number): Tensor | undefined {
      const e = inputs[base + i];
      return e?.owned === true && it.soleReader[i] === true ? e.tensor : undefined;
    },
    setOutputRef(i: number, cell: RefCell): void {
      outputs[i] = { tensor: undefined, ref: cell, dead: false };
    },
  };
}

/** TF's FrameAndIter as "<frame_id>:<iter_id>" (the root frame is "0:0"). */
function frameIterOf(inst: FrameState, iteration: number): string {
  return inst.frame === 0 ? "0:0" : `${inst.frameId}:${iteration}`;
}

/** Microseconds since the epoch, with sub-microsecond resolution. */
function nowUs(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

function recordSource(stats: StepStatsCollector): void {
  const now = nowUs();
  stats.nodes.push({ nodeName: "_SOURCE", op: "NoOp", inputs: [], startUs: now, endUs: now, outputs: [] });
}

function record(
  stats: StepStatsCollector,
  it: Item,
  startUs: number,
  outputs: readonly (Entry | undefined)[],
): void {
  const described: { slot: number; dtype: DataType; shape: readonly number[] }[] = [];
  outputs.forEach((e, slot) => {
    const tensor = e?.tensor ?? e?.ref?.value;
    if (tensor !== undefined) described.push({ slot, dtype: tensor.dtype, shape: tensor.shape });
  });
  stats.nodes.push({
    nodeName: it.node.name,
    op: it.node.op,
    inputs: it.requestedInputs,
    startUs,
    endUs: nowUs(),
    outputs: described,
  });
}
