// TensorFlow's dataflow executor (core/common_runtime/executor.cc) with v1 control-flow frames.
//
// Kernels are created once when the executor is built (TF's GraphMgr::InitItem); each run(step)
// walks the graph with pending counts: a node becomes ready when all its in-edges have delivered,
// synchronous kernels run inline, async kernels (_Recv) are awaited while other ready nodes run.
// Deadness follows TF: outputs a kernel leaves unset are dead, a node with a dead input is skipped
// and its outputs are dead, except Merge (fires on its first live input or when all are dead),
// ControlTrigger (never dead) and the transfer ops (they forward deadness across devices).
//
// Frames (tf.while_loop): every node belongs to a static frame (the root, or the frame_name of the
// Enter nodes leading to it). At run time a frame has instances (one per entry from a parent
// iteration) and each instance has iterations; all node state lives per (instance, iteration).
// Enter moves a value into iteration 0 of the child instance (is_constant: into every iteration),
// NextIteration into the next iteration (a dead one ends the loop there), Exit back to the parent
// iteration (dead exits are held back until the instance is done, and only then propagated, as in
// TF). Finished iterations are dropped, so long loops run in bounded memory.
//
// Concurrency: one executor may run several steps at once (different StepContexts); all per-step
// state lives in run(). Cancellation is checked between nodes via step.signal.
//
// Memory (the per-step budget, StepMemoryAccount in framework/tensor.ts): the step's account is
// made current around each synchronous compute, so allocData charges the right step; an async
// kernel runs with no account (whatever it allocates after an await cannot be attributed). Charges
// belong to the iteration whose kernel made them and are released when the executor drops that
// iteration; a value carried out of it (NextIteration, Exit) takes its charge to the iteration it
// reaches, and a function call's results are charged to the caller's iteration (the call's own run
// released them). Whatever a run still holds is released when it ends.

import {
  cancelled,
  failedPrecondition,
  internal,
  invalidArgument,
  isTfError,
  TfError,
} from "../framework/errors.js";
import { callKernel, type FunctionRuntime } from "../framework/function.js";
import {
  type AnyOpKernel,
  type DeviceInfo,
  findKernel,
  isAsyncKernel,
  type KernelRegistration,
  type OpKernelContext,
  type RefCell,
  type StepContext,
  type StepStatsCollector,
} from "../framework/op-kernel.js";
import { childFrameId } from "../framework/rendezvous.js";
import { swapStepAccount, type Tensor } from "../framework/tensor.js";
import { type DataType, isRefType } from "../framework/types.js";
import { errorLocation, type Graph, isMerge, isNextIteration, type Node } from "../graph/graph.js";

/** A value on an edge: a tensor, a ref to a variable buffer, or dead. */
interface Entry {
  readonly tensor: Tensor | undefined;
  readonly ref: RefCell | undefined;
  readonly dead: boolean;
}

const DEAD: Entry = { tensor: undefined, ref: undefined, dead: true };

/** How long a step computes before it yields the thread once (milliseconds). */
const yieldEveryMs = 4;

interface Item {
  readonly node: Node;
  readonly kernel: AnyOpKernel;
  readonly isAsync: boolean;
  readonly isMerge: boolean;
  readonly isTransfer: boolean;
  readonly isControlTrigger: boolean;
  readonly numInputs: number;
  readonly inputStart: number;
  readonly numControlIn: number;
  /** Pending count at the start of a step (data + control in-edges). */
  readonly initialPending: number;
  /** Out edges: [dst item index, dst input slot (-1 control), src output (-1 control)]. */
  readonly out: readonly (readonly [number, number, number])[];
  readonly inputIsRef: readonly boolean[];
  readonly requestedInputs: readonly string[];
  /** Static frame of the node (index into frames; 0 = root). */
  readonly frame: number;
  readonly kind: NodeKind;
  /** For Enter: the child frame it enters; is_constant. */
  readonly enterFrame: number;
  readonly enterConstant: boolean;
}

enum NodeKind {
  Plain = 0,
  Enter = 1,
  Exit = 2,
  NextIteration = 3,
}

/** A static frame: the root (index 0) or a while loop's frame_name. */
interface StaticFrame {
  readonly name: string;
  readonly parent: number;
  /** How many Enter nodes feed an instance of this frame (it is done only after all arrived). */
  readonly numEnters: number;
  /** Exit nodes of this frame (each leaves once per finished instance, or dead). */
  readonly exits: readonly number[];
  /** The Enter's parallel_iterations: how many iterations may be alive at once (TF's cap). */
  readonly parallelIterations: number;
}

export interface Executor {
  /** Runs one step of this partition. Rejects with a TfError on the first failure. */
  run(step: StepContext): Promise<void>;
  readonly graph: Graph;
}

export interface ExecutorOptions {
  readonly device: DeviceInfo;
  /** Runs calls of the graph's library functions (by name, or through PartitionedCall). */
  readonly functions?: FunctionRuntime | undefined;
  /** The session the partition belongs to (see OpKernelConstruction.sessionHandle). */
  readonly sessionHandle?: string | undefined;
  /** Called for errors that are not TfErrors (bugs), before they are turned into INTERNAL. */
  readonly onInternalError?: (node: string, error: unknown) => void;
}

/** Builds the executor, creating every node's kernel (construction errors throw here). */
export function createExecutor(graph: Graph, options: ExecutorOptions): Executor {
  const { frameOf, frames, enterTarget } = analyzeFrames(graph);
  const items: Item[] = [];
  let inputOffset = 0;
  for (const node of graph.nodes) {
    const reg = node.opDef.isFunction
      ? functionCallKernel(options.functions)
      : findKernel(node.op, options.device.type);
    if (reg === undefined) {
      throw invalidArgument(
        `No OpKernel was registered to support Op '${node.op}' used by {{node ${node.name}}} with these attrs.  ` +
          `Registered devices: [${options.device.type}]`,
      );
    }
    const requestedInputs: string[] = new Array(node.inputTypes.length).fill("");
    for (const e of node.inEdges) {
      if (e.dstInput >= 0)
        requestedInputs[e.dstInput] = e.srcOutput === 0 ? e.src.name : `${e.src.name}:${e.srcOutput}`;
    }
    let kernel: AnyOpKernel;
    try {
      kernel = reg.create({
        nodeName: node.name,
        op: node.op,
        opDef: node.opDef,
        attrs: node.attrs,
        inputTypes: node.inputTypes,
        outputTypes: node.outputTypes,
        requestedInputs,
        device: options.device,
        functions: options.functions,
        sessionHandle: options.sessionHandle,
      });
    } catch (e) {
      throw wrapNodeError(e, node, options);
    }
    const numControlIn = node.inEdges.filter((e) => e.dstInput < 0).length;
    items.push({
      node,
      kernel,
      isAsync: isAsyncKernel(kernel),
      isMerge: isMerge(node),
      isTransfer:
        node.op === "_Send" || node.op === "_Recv" || node.op === "_HostSend" || node.op === "_HostRecv",
      isControlTrigger: node.op === "ControlTrigger",
      numInputs: node.inputTypes.length,
      inputStart: inputOffset,
      numControlIn,
      initialPending: node.inEdges.length,
      out: node.outEdges.map((e) => [e.dst.id, e.dstInput, e.srcOutput] as const),
      inputIsRef: node.inputTypes.map(isRefType),
      requestedInputs,
      frame: frameOf[node.id]!,
      kind: isEnter(node)
        ? NodeKind.Enter
        : isExit(node)
          ? NodeKind.Exit
          : isNextIteration(node)
            ? NodeKind.NextIteration
            : NodeKind.Plain,
      enterFrame: enterTarget[node.id] ?? -1,
      enterConstant:
        isEnter(node) &&
        node.attrs.is_constant?.value.case === "b" &&
        node.attrs.is_constant.value.value === true,
    });
    inputOffset += node.inputTypes.length;
  }
  const totalInputs = inputOffset;
  const roots = items.filter((it) => it.initialPending === 0).map((it) => it.node.id);

  async function run(step: StepContext): Promise<void> {
    const ledger: MemoryLedger = { held: 0 };
    try {
      await runStep(step, ledger);
    } finally {
      step.memory?.release(ledger.held);
    }
  }

  async function runStep(step: StepContext, ledger: MemoryLedger): Promise<void> {
    const n = items.length;
    const account = step.memory;
    // In a function body everything may be released when the call returns, so all is tracked.
    const trackAll = step.callFrame !== undefined;
    let nextInstance = 0;
    let failure: unknown;
    let outstanding = 0;
    let wake: (() => void) | undefined;
    const ready = new ReadyQueue((id) => items[id]!.isTransfer);
    const finishedAsync: { t: Tagged; outputs: (Entry | undefined)[] }[] = [];

    const newIteration = (inst: FrameInstance, iter: number): Iteration => {
      const pending = new Int32Array(n);
      const mergeCtl = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const it = items[i]!;
        if (it.frame === inst.frame) {
          pending[i] = it.initialPending;
          mergeCtl[i] = it.numControlIn;
        }
      }
      const iteration: Iteration = {
        index: iter,
        pending,
        deadInput: new Uint8Array(n),
        inputs: new Array(totalInputs),
        mergeDead: new Int32Array(n),
        mergeFired: new Uint8Array(n),
        mergeCtl,
        inFlight: 0,
        charged: 0,
      };
      inst.iterations.set(iter, iteration);
      inst.lastIteration = Math.max(inst.lastIteration, iter);
      // Loop invariants (is_constant Enter) reach every iteration.
      for (const [dst, slot, entry] of inst.constants) deliver(inst, iteration, dst, slot, entry, false);
      return iteration;
    };

    const newInstance = (
      frame: number,
      parent: FrameInstance | undefined,
      parentIter: Iteration | undefined,
    ): FrameInstance => {
      const inst: FrameInstance = {
        id: nextInstance++,
        frameId:
          parent === undefined || parentIter === undefined
            ? 0n
            : childFrameId(parent.frameId, parentIter.index, frames[frame]!.name),
        frame,
        parent,
        parentIter,
        iterations: new Map(),
        lastIteration: -1,
        firstIteration: 0,
        entersArrived: 0,
        constants: [],
        liveExits: new Set(),
        children: new Map(),
        deferredNext: [],
      };
      if (parentIter) parentIter.inFlight++; // a running child frame keeps its parent iteration alive
      newIteration(inst, 0);
      return inst;
    };

    // TF's executor reports its _SOURCE node first in a traced step.
    if (step.stats && step.callFrame === undefined) {
      const now = nowUs();
      step.stats.nodes.push({
        nodeName: "_SOURCE",
        op: "NoOp",
        inputs: [],
        startUs: now,
        endUs: now,
        outputs: [],
      });
    }
    const root = newInstance(0, undefined, undefined);
    for (const id of roots) ready.push({ id, inst: root, iter: root.iterations.get(0)! });

    const deliver = (
      inst: FrameInstance,
      iter: Iteration,
      dst: number,
      slot: number,
      entry: Entry,
      fromDeadNode: boolean,
      fromEnter = false,
    ) => {
      const it = items[dst]!;
      if (it.isMerge) {
        if (iter.mergeFired[dst]) return;
        if (slot >= 0) {
          if (entry.dead) iter.mergeDead[dst]!++;
          else iter.inputs[it.inputStart + slot] = entry;
        } else {
          iter.mergeCtl[dst]!--;
        }
        if (iter.mergeCtl[dst] !== 0) return;
        let live = false;
        for (let i = 0; i < it.numInputs; i++) {
          const e = iter.inputs[it.inputStart + i];
          if (e !== undefined && !e.dead) live = true;
        }
        // As in TF, a dead Enter makes its Merge fire dead at once (a loop in an untaken branch
        // still runs its LoopCond, dead, so a device sharing the frame hears the loop end).
        const deadEnter = fromEnter && slot >= 0 && entry.dead;
        if (live || deadEnter || iter.mergeDead[dst] === it.numInputs) {
          iter.mergeFired[dst] = 1;
          if (!live) iter.deadInput[dst] = 1;
          schedule(inst, iter, dst);
        }
        return;
      }
      if (slot >= 0) {
        iter.inputs[it.inputStart + slot] = entry;
        if (entry.dead) iter.deadInput[dst] = 1;
      } else if (fromDeadNode) {
        iter.deadInput[dst] = 1;
      }
      if (--iter.pending[dst]! === 0) schedule(inst, iter, dst);
    };

    /**
     * A value leaving iteration `from` for `to` (NextIteration, Exit) takes its charge along: it was
     * allocated in `from` or moved there, and `from` may be dropped while `to` still holds it.
     */
    const moveCharge = (from: Iteration, to: Iteration, entry: Entry | undefined) => {
      if (account === undefined || entry?.tensor === undefined) return;
      const bytes = account.ownedBytes(entry.tensor);
      from.charged -= bytes;
      to.charged += bytes;
    };

    /** Charges a function call's result to the iteration it reaches (the call released it). */
    const chargeMoved = (iter: Iteration, entry: Entry | undefined) => {
      if (account === undefined || entry?.tensor === undefined) return;
      const bytes = account.ownedBytes(entry.tensor);
      if (bytes === 0) return;
      account.add(bytes);
      iter.charged += bytes;
      ledger.held += bytes;
    };

    const releaseIteration = (iter: Iteration) => {
      if (account === undefined || iter.charged === 0) return;
      account.release(iter.charged);
      ledger.held -= iter.charged;
      iter.charged = 0;
    };

    const schedule = (inst: FrameInstance, iter: Iteration, id: number) => {
      iter.inFlight++;
      ready.push({ id, inst, iter });
    };

    /** The child instance an Enter in (inst, iter) leads into, created on first use. */
    const childInstance = (inst: FrameInstance, iter: Iteration, frame: number): FrameInstance => {
      const key = `${iter.index}:${frame}`;
      let child = inst.children.get(key);
      if (!child) {
        child = newInstance(frame, inst, iter);
        inst.children.set(key, child);
      }
      return child;
    };

    /** Delivers a node's outputs to its consumers, moving between frames and iterations as TF does. */
    const propagate = (t: Tagged, outputs: readonly (Entry | undefined)[], nodeDead: boolean) => {
      const it = items[t.id]!;
      let inst = t.inst;
      let iter: Iteration | undefined = t.iter;
      switch (it.kind) {
        case NodeKind.Enter: {
          const child = childInstance(t.inst, t.iter, it.enterFrame);
          child.entersArrived++;
          inst = child;
          iter = child.iterations.get(child.firstIteration) ?? child.iterations.get(0);
          if (it.enterConstant) {
            for (const [dst, slot, srcOut] of it.out) {
              child.constants.push([dst, slot, srcOut >= 0 ? (outputs[srcOut] ?? DEAD) : DEAD]);
            }
            // Deliver to every iteration that already exists; later ones get it at creation.
            for (const live of child.iterations.values()) {
              for (const [dst, slot, srcOut] of it.out) {
                deliver(
                  child,
                  live,
                  dst,
                  slot,
                  srcOut >= 0 ? (outputs[srcOut] ?? DEAD) : DEAD,
                  nodeDead,
                  true,
                );
              }
            }
            finishNode(t);
            maybeFinishFrame(child);
            return;
          }
          break;
        }
        case NodeKind.Exit: {
          if (nodeDead || outputs[0] === undefined) {
            // Dead exits wait until the frame instance is done (then only if it never exited live).
            finishNode(t);
            return;
          }
          t.inst.liveExits.add(t.id);
          inst = t.inst.parent!;
          iter = t.inst.parentIter!;
          moveCharge(t.iter, iter, outputs[0]);
          break;
        }
        case NodeKind.NextIteration: {
          if (nodeDead || outputs[0] === undefined) {
            // A dead NextIteration ends the loop: no new iteration.
            finishNode(t);
            return;
          }
          if (
            t.iter.index === t.inst.lastIteration &&
            t.inst.iterations.size >= frames[t.inst.frame]!.parallelIterations
          ) {
            // TF's parallel_iterations: the next iteration starts when the oldest one is done, so
            // a loop whose condition runs ahead (or a device sharing the frame that lags) keeps
            // a bounded number of iterations in memory.
            t.inst.deferredNext.push([t.id, outputs[0]]);
            finishNode(t);
            return;
          }
          iter = t.inst.iterations.get(t.iter.index + 1) ?? newIteration(t.inst, t.iter.index + 1);
          moveCharge(t.iter, iter, outputs[0]);
          break;
        }
        default:
          break;
      }
      if (iter !== undefined) {
        for (const [dst, slot, srcOut] of it.out) {
          const entry = srcOut >= 0 ? (outputs[srcOut] ?? DEAD) : DEAD;
          deliver(inst, iter, dst, slot, entry, nodeDead, it.kind === NodeKind.Enter);
        }
      }
      finishNode(t);
      if (inst !== t.inst) maybeFinishFrame(inst);
    };

    const finishNode = (t: Tagged) => {
      t.iter.inFlight--;
      maybeFinishFrame(t.inst);
    };

    /** Drops finished iterations; when a whole instance is done, releases its parent and dead exits. */
    /** Starts the iteration the held-back NextIteration outputs lead into (TF's IncrementIteration). */
    const startDeferredIteration = (inst: FrameInstance) => {
      const next = newIteration(inst, inst.lastIteration + 1);
      const deferred = inst.deferredNext.splice(0);
      for (const [id, entry] of deferred) {
        chargeMoved(next, entry);
        for (const [dst, slot] of items[id]!.out) deliver(inst, next, dst, slot, entry, false);
      }
    };

    const maybeFinishFrame = (inst: FrameInstance) => {
      if (inst.frame === 0) return;
      const frame = frames[inst.frame]!;
      for (;;) {
        const first = inst.iterations.get(inst.firstIteration);
        if (first === undefined || first.inFlight > 0) return;
        if (inst.firstIteration === 0 && inst.entersArrived < frame.numEnters) return;
        if (inst.firstIteration < inst.lastIteration || inst.deferredNext.length > 0) {
          releaseIteration(first);
          inst.iterations.delete(inst.firstIteration);
          inst.firstIteration++;
          if (inst.deferredNext.length > 0) startDeferredIteration(inst);
          continue;
        }
        break;
      }
      // The last iteration is idle and nothing can start another: the instance is done.
      for (const idle of inst.iterations.values()) releaseIteration(idle);
      inst.iterations.clear();
      const parent = inst.parent!;
      const parentIter = inst.parentIter!;
      parent.children.delete(`${parentIter.index}:${inst.frame}`);
      for (const exit of frame.exits) {
        if (inst.liveExits.has(exit)) continue;
        for (const [dst, slot] of items[exit]!.out) deliver(parent, parentIter, dst, slot, DEAD, true);
      }
      parentIter.inFlight--;
      maybeFinishFrame(parent);
    };

    const makeContext = (t: Tagged, outputs: (Entry | undefined)[]): OpKernelContext => {
      const it = items[t.id]!;
      const inputs = t.iter.inputs;
      const base = it.inputStart;
      return {
        step,
        nodeName: it.node.name,
        numInputs: it.numInputs,
        frameIter: t.inst.frame === 0 ? "0:0" : `${t.inst.frameId}:${t.iter.index}`,
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
        setOutput(i: number, t: Tensor): void {
          outputs[i] = { tensor: t, ref: undefined, dead: false };
        },
        setOutputRef(i: number, cell: RefCell): void {
          outputs[i] = { tensor: undefined, ref: cell, dead: false };
        },
      };
    };

    const fail = (e: unknown, node: Node | undefined) => {
      if (failure === undefined) {
        failure = wrapNodeError(e, node, options);
        step.rendezvous.abort(failure as Error);
      }
    };

    let sliceStart = performance.now();
    while (true) {
      while (ready.length > 0 && failure === undefined) {
        if (step.signal.aborted) {
          fail(step.signal.reason ?? cancelled("Step was cancelled"), undefined);
          break;
        }
        // Hand the thread back now and then, so timers (step deadlines), cancellation and other
        // calls get their turn during a long step. Short steps never pay for it.
        if (performance.now() - sliceStart > yieldEveryMs) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
          continue;
        }
        const t = ready.pop()!;
        const it = items[t.id]!;
        const dead = t.iter.deadInput[t.id] === 1 && !it.isTransfer && !it.isControlTrigger;
        if (dead) {
          propagate(t, [], true);
          continue;
        }
        const outputs: (Entry | undefined)[] = new Array(it.node.outputTypes.length);
        const ctx = makeContext(t, outputs);
        if (it.isAsync) {
          outstanding++;
          const asyncStartUs = step.stats ? nowUs() : 0;
          // No account: an async kernel resumes later, amid other steps' kernels. A function call
          // charges through its own executor run; its results are charged when it completes.
          const previousAccount = swapStepAccount(undefined);
          let pendingCompute: Promise<void>;
          try {
            pendingCompute = (it.kernel as { computeAsync(c: OpKernelContext): Promise<void> }).computeAsync(
              ctx,
            );
          } finally {
            swapStepAccount(previousAccount);
          }
          pendingCompute.then(
            () => {
              if (step.stats && !it.isTransfer) record(step.stats, it, asyncStartUs, outputs);
              finishedAsync.push({ t, outputs });
              outstanding--;
              wake?.();
            },
            (e: unknown) => {
              outstanding--;
              fail(e, it.node);
              wake?.();
            },
          );
          continue;
        }
        const startUs = step.stats ? nowUs() : 0;
        const previousAccount = account === undefined ? undefined : swapStepAccount(account);
        const liveBefore = account === undefined ? 0 : account.live;
        if (account !== undefined) {
          account.track = trackAll || t.inst.frame !== 0;
          account.device = step.device.name;
        }
        try {
          // Non-ref inputs fed from a ref are read now, so an uninitialised variable fails here.
          for (let i = 0; i < it.numInputs; i++) {
            if (!it.inputIsRef[i] && !it.isMerge && !it.isTransfer) ctx.input(i);
          }
          if (it.kind !== NodeKind.Plain) {
            // Enter, Exit and NextIteration forward their input (refs included).
            const e = t.iter.inputs[it.inputStart];
            if (e !== undefined && !e.dead) outputs[0] = e;
          } else {
            (it.kernel as { compute(c: OpKernelContext): void }).compute(ctx);
          }
        } catch (e) {
          fail(e, it.node);
          break;
        } finally {
          if (account !== undefined) {
            swapStepAccount(previousAccount);
            const charged = account.live - liveBefore;
            t.iter.charged += charged;
            ledger.held += charged;
          }
        }
        // TF's step stats leave out the transfer nodes (their time is the wait, not compute).
        if (step.stats && !it.isTransfer) record(step.stats, it, startUs, outputs);
        propagate(t, outputs, false);
      }
      if (failure !== undefined) throw failure;
      while (finishedAsync.length > 0) {
        const f = finishedAsync.shift()!;
        // A function call's results were released with its run; they now belong to this iteration.
        if (!items[f.t.id]!.isTransfer) for (const o of f.outputs) chargeMoved(f.t.iter, o);
        propagate(f.t, f.outputs, false);
      }
      if (ready.length > 0) continue;
      if (outstanding === 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (finishedAsync.length > 0 || failure !== undefined) resolve();
      });
      wake = undefined;
    }
    if (failure !== undefined) throw failure;
  }

  return { run, graph };
}

/** The kernel of a node that calls a library function by name (TF's CallOp). */
function functionCallKernel(functions: FunctionRuntime | undefined): KernelRegistration | undefined {
  if (functions === undefined) return undefined;
  return {
    op: "",
    deviceTypes: ["CPU"],
    create: (c) => callKernel(functions.instantiate(c.op, c.attrs)),
  };
}

/**
 * The ready nodes. Transfers (_Send/_Recv) come first: a _Send hands a value to another device,
 * whose partition must not wait behind a long kernel of this one (TF runs such inexpensive
 * kernels inline, ahead of the expensive ones it queues). Otherwise last in, first out, which
 * keeps a chain's values short-lived.
 */
class ReadyQueue {
  private readonly transfers: Tagged[] = [];
  private readonly rest: Tagged[] = [];
  constructor(private readonly isTransfer: (id: number) => boolean) {}
  push(t: Tagged): void {
    (this.isTransfer(t.id) ? this.transfers : this.rest).push(t);
  }
  pop(): Tagged | undefined {
    return this.transfers.pop() ?? this.rest.pop();
  }
  get length(): number {
    return this.transfers.length + this.rest.length;
  }
}

/** A node activation: node id in a frame instance's iteration. */
interface Tagged {
  readonly id: number;
  readonly inst: FrameInstance;
  readonly iter: Iteration;
}

/** Per-iteration node state (TF's IterationState). */
interface Iteration {
  readonly index: number;
  readonly pending: Int32Array;
  readonly deadInput: Uint8Array;
  readonly inputs: (Entry | undefined)[];
  readonly mergeDead: Int32Array;
  readonly mergeFired: Uint8Array;
  readonly mergeCtl: Int32Array;
  /** Activations scheduled or running in this iteration, plus child frame instances. */
  inFlight: number;
  /** Bytes charged to the step's memory account for this iteration (released when it is dropped). */
  charged: number;
}

/** What one executor run holds in the step's memory account (released when the run ends). */
interface MemoryLedger {
  held: number;
}

/** One run-time instance of a static frame (TF's FrameState). */
interface FrameInstance {
  readonly id: number;
  /** TF's frame_id: the same in every partition for the same loop instance (rendezvous keys). */
  readonly frameId: bigint;
  readonly frame: number;
  readonly parent: FrameInstance | undefined;
  readonly parentIter: Iteration | undefined;
  readonly iterations: Map<number, Iteration>;
  lastIteration: number;
  firstIteration: number;
  entersArrived: number;
  /** [dst, slot, value] from is_constant Enters, delivered to every iteration. */
  readonly constants: [number, number, Entry][];
  /** Exit nodes that left this instance with a live value. */
  readonly liveExits: Set<number>;
  /** Child instances by "<iteration>:<frame>". */
  readonly children: Map<string, FrameInstance>;
  /** NextIteration outputs held back while parallelIterations iterations are alive (TF's next_iter_roots). */
  readonly deferredNext: [number, Entry][];
}

function isEnter(n: { op: string }): boolean {
  return n.op === "Enter" || n.op === "RefEnter";
}

function isExit(n: { op: string }): boolean {
  return n.op === "Exit" || n.op === "RefExit";
}

/**
 * TF's BuildControlFlowInfo: the static frame of every node (breadth-first from the sources; Enter
 * opens its frame_name, Exit returns to the parent), with each frame's Enter count and Exits.
 */
function analyzeFrames(graph: Graph): {
  frameOf: Int32Array;
  frames: StaticFrame[];
  enterTarget: (number | undefined)[];
} {
  const n = graph.nodes.length;
  const frameOf = new Int32Array(n).fill(-1);
  const enterTarget: (number | undefined)[] = new Array(n);
  const frames: {
    name: string;
    parent: number;
    numEnters: number;
    exits: number[];
    parallelIterations: number;
  }[] = [{ name: "", parent: -1, numEnters: 0, exits: [], parallelIterations: 1 }];
  const byName = new Map<string, number>();
  const queue: number[] = [];
  for (const node of graph.nodes) {
    if (node.inEdges.length === 0) {
      frameOf[node.id] = 0;
      queue.push(node.id);
    }
  }
  const frameForEnter = (node: Node, parent: number): number => {
    const name =
      node.attrs.frame_name?.value.case === "s"
        ? new TextDecoder().decode(node.attrs.frame_name.value.value)
        : "";
    let f = byName.get(name);
    if (f === undefined) {
      f = frames.length;
      const pi = node.attrs.parallel_iterations?.value;
      const parallelIterations = pi?.case === "i" && pi.value > 0n ? Number(pi.value) : 10;
      frames.push({ name, parent, numEnters: 0, exits: [], parallelIterations });
      byName.set(name, f);
    }
    return f;
  };
  for (let q = 0; q < queue.length; q++) {
    const node = graph.nodes[queue[q]!]!;
    const here = frameOf[node.id]!;
    let out = here;
    if (isEnter(node)) {
      out = frameForEnter(node, here);
      enterTarget[node.id] = out;
    } else if (isExit(node)) {
      out = frames[here]!.parent;
      if (out < 0) throw invalidArgument(`Exit node ${node.name} is not inside a while loop frame`);
    }
    for (const e of node.outEdges) {
      if (frameOf[e.dst.id] === -1) {
        frameOf[e.dst.id] = out;
        queue.push(e.dst.id);
      }
    }
  }
  for (const node of graph.nodes) {
    if (frameOf[node.id] === -1) frameOf[node.id] = 0; // unreachable from sources (back edges only)
    if (isEnter(node)) frames[enterTarget[node.id]!]!.numEnters++;
    if (isExit(node)) frames[frameOf[node.id]!]!.exits.push(node.id);
  }
  return { frameOf, frames, enterTarget };
}

/** Microseconds since the epoch, with sub-microsecond resolution. */
function nowUs(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

function record(
  stats: StepStatsCollector,
  it: Item,
  startUs: number,
  outputs: readonly (Entry | undefined)[],
): void {
  const described: { slot: number; dtype: DataType; shape: readonly number[] }[] = [];
  outputs.forEach((e, slot) => {
    const t = e?.tensor ?? e?.ref?.value;
    if (t !== undefined) described.push({ slot, dtype: t.dtype, shape: t.shape });
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

function wrapNodeError(e: unknown, node: Node | undefined, options: ExecutorOptions): TfError {
  const name = node?.name ?? "";
  if (isTfError(e)) {
    if (node === undefined || e.message.includes("{{node ")) return e;
    return e.withSuffix(`\n\t [[${errorLocation(node)}]]`);
  }
  options.onInternalError?.(name, e);
  if (e instanceof RangeError) {
    return new TfError(8, `OOM while running ${name}: ${e.message}`);
  }
  return internal(`Internal error in kernel of node ${name}`);
}
