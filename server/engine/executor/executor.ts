// TensorFlow's dataflow executor (core/common_runtime/executor.cc), without frames yet.
//
// Kernels are created once when the executor is built (TF's GraphMgr::InitItem); each run(step)
// walks the graph with pending counts: a node becomes ready when all its in-edges have delivered,
// synchronous kernels run inline, async kernels (_Recv) are awaited while other ready nodes run.
// Deadness follows TF: outputs a kernel leaves unset are dead, a node with a dead input is skipped
// and its outputs are dead, except Merge (fires on its first live input or when all are dead),
// ControlTrigger (never dead) and the transfer ops (they forward deadness across devices).
//
// Concurrency: one executor may run several steps at once (different StepContexts); all per-step
// state lives in run(). Cancellation is checked between nodes via step.signal.

import {
  cancelled,
  failedPrecondition,
  internal,
  invalidArgument,
  isTfError,
  TfError,
} from "../framework/errors.js";
import {
  type AnyOpKernel,
  type DeviceInfo,
  findKernel,
  isAsyncKernel,
  type OpKernelContext,
  type RefCell,
  type StepContext,
  type StepStatsCollector,
} from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { type DataType, isRefType } from "../framework/types.js";
import { type Graph, isMerge, type Node } from "../graph/graph.js";
import { nodeContext } from "../graph/validate.js";

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
}

export interface Executor {
  /** Runs one step of this partition. Rejects with a TfError on the first failure. */
  run(step: StepContext): Promise<void>;
  readonly graph: Graph;
}

export interface ExecutorOptions {
  readonly device: DeviceInfo;
  /** Called for errors that are not TfErrors (bugs), before they are turned into INTERNAL. */
  readonly onInternalError?: (node: string, error: unknown) => void;
}

/** Builds the executor, creating every node's kernel (construction errors throw here). */
export function createExecutor(graph: Graph, options: ExecutorOptions): Executor {
  const items: Item[] = [];
  let inputOffset = 0;
  for (const node of graph.nodes) {
    const reg = findKernel(node.op, options.device.type);
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
      });
    } catch (e) {
      throw wrapNodeError(e, node.name, options);
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
    });
    inputOffset += node.inputTypes.length;
  }
  const totalInputs = inputOffset;
  const roots = items.filter((it) => it.initialPending === 0).map((it) => it.node.id);

  async function run(step: StepContext): Promise<void> {
    const n = items.length;
    const pending = new Int32Array(n);
    for (let i = 0; i < n; i++) pending[i] = items[i]!.initialPending;
    const deadInput = new Uint8Array(n);
    const inputs: (Entry | undefined)[] = new Array(totalInputs);
    // Merge state: data inputs that arrived dead, whether it already fired.
    const mergeDead = new Int32Array(n);
    const mergeFired = new Uint8Array(n);
    const mergeCtl = new Int32Array(n);
    for (let i = 0; i < n; i++) mergeCtl[i] = items[i]!.numControlIn;

    const ready: number[] = [...roots];
    let outstanding = 0;
    let completed = 0;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const finishedAsync: { id: number; outputs: Entry[] }[] = [];

    const deliver = (dst: number, slot: number, entry: Entry, fromDeadNode: boolean) => {
      const it = items[dst]!;
      if (it.isMerge) {
        if (mergeFired[dst]) return;
        if (slot >= 0) {
          if (entry.dead) mergeDead[dst]!++;
          else inputs[it.inputStart + slot] = entry;
        } else {
          mergeCtl[dst]!--;
        }
        if (mergeCtl[dst] !== 0) return;
        let live = false;
        for (let i = 0; i < it.numInputs; i++) {
          const e = inputs[it.inputStart + i];
          if (e !== undefined && !e.dead) live = true;
        }
        if (live || mergeDead[dst] === it.numInputs) {
          mergeFired[dst] = 1;
          if (!live) deadInput[dst] = 1;
          ready.push(dst);
        }
        return;
      }
      if (slot >= 0) {
        inputs[it.inputStart + slot] = entry;
        if (entry.dead) deadInput[dst] = 1;
      } else if (fromDeadNode) {
        deadInput[dst] = 1;
      }
      if (--pending[dst]! === 0) ready.push(dst);
    };

    const propagate = (id: number, outputs: readonly (Entry | undefined)[], nodeDead: boolean) => {
      for (const [dst, slot, srcOut] of items[id]!.out) {
        if (srcOut >= 0) deliver(dst, slot, outputs[srcOut] ?? DEAD, nodeDead);
        else deliver(dst, -1, DEAD, nodeDead);
      }
      completed++;
    };

    const makeContext = (it: Item, outputs: (Entry | undefined)[]): OpKernelContext => {
      const base = it.inputStart;
      return {
        step,
        nodeName: it.node.name,
        numInputs: it.numInputs,
        frameIter: "0:0",
        isInputDead: deadInput[it.node.id] === 1,
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

    const fail = (e: unknown, node: string) => {
      if (failure === undefined) {
        failure = wrapNodeError(e, node, options);
        step.rendezvous.abort(failure as Error);
      }
    };

    let sliceStart = performance.now();
    while (true) {
      while (ready.length > 0 && failure === undefined) {
        if (step.signal.aborted) {
          fail(step.signal.reason ?? cancelled("Step was cancelled"), "");
          break;
        }
        // Hand the thread back now and then, so timers (step deadlines), cancellation and other
        // calls get their turn during a long step. Short steps never pay for it.
        if (performance.now() - sliceStart > yieldEveryMs) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
          continue;
        }
        const id = ready.pop()!;
        const it = items[id]!;
        const dead = deadInput[id] === 1 && !it.isTransfer && !it.isControlTrigger;
        if (dead) {
          propagate(id, [], true);
          continue;
        }
        // Non-ref inputs fed from a ref are read now, so an uninitialised variable fails here.
        const outputs: (Entry | undefined)[] = new Array(it.node.outputTypes.length);
        const ctx = makeContext(it, outputs);
        if (it.isAsync) {
          outstanding++;
          const asyncStartUs = step.stats ? nowUs() : 0;
          (it.kernel as { computeAsync(c: OpKernelContext): Promise<void> }).computeAsync(ctx).then(
            () => {
              if (step.stats) record(step.stats, it, asyncStartUs, outputs);
              finishedAsync.push({ id, outputs: outputs as Entry[] });
              outstanding--;
              wake?.();
            },
            (e: unknown) => {
              outstanding--;
              fail(e, it.node.name);
              wake?.();
            },
          );
          continue;
        }
        const startUs = step.stats ? nowUs() : 0;
        try {
          for (let i = 0; i < it.numInputs; i++) {
            if (!it.inputIsRef[i] && !it.isMerge && !it.isTransfer) ctx.input(i);
          }
          (it.kernel as { compute(c: OpKernelContext): void }).compute(ctx);
        } catch (e) {
          fail(e, it.node.name);
          break;
        }
        if (step.stats) record(step.stats, it, startUs, outputs);
        propagate(id, outputs, false);
      }
      if (failure !== undefined) throw failure;
      while (finishedAsync.length > 0) {
        const f = finishedAsync.shift()!;
        propagate(f.id, f.outputs, false);
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
    if (completed < n) {
      // Nodes left waiting: only possible with loops (Merge back edges) that never got inputs.
      throw internal(`Executor finished with ${n - completed} of ${n} nodes not run`);
    }
  }

  return { run, graph };
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

function wrapNodeError(e: unknown, node: string, options: ExecutorOptions): TfError {
  if (isTfError(e)) {
    if (node === "" || e.message.includes("{{node ")) return e;
    return e.withSuffix(nodeContext(node));
  }
  options.onInternalError?.(node, e);
  if (e instanceof RangeError) {
    return new TfError(8, `OOM while running ${node}: ${e.message}`);
  }
  return internal(`Internal error in kernel of node ${node}`);
}
