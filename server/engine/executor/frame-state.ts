// Frames and iterations of one step (TF's PropagatorState, core/common_runtime/propagator_state.h,
// with its FrameState and IterationState): where a node's outputs go and when a node is ready.
//
// Every node belongs to a static frame (the root, or the frame_name of the Enter nodes leading to
// it; see immutable-state.ts). At run time a frame has instances (one per entry from a parent
// iteration) and each instance has iterations; all node state (pending counts, inputs, deadness)
// lives per (instance, iteration). Enter moves a value into iteration 0 of the child instance
// (is_constant: into every iteration), NextIteration into the next iteration (a dead one ends the
// loop there; past parallel_iterations it waits for the oldest iteration to finish), Exit back to
// the parent iteration (dead exits are held back until the instance is done, and only then
// propagated, as in TF). Finished iterations are dropped, so long loops run in bounded memory.
//
// Deadness follows TF: a node with a dead input is skipped and its outputs are dead, except Merge
// (fires on its first live input, or dead when all are dead) and the nodes the executor runs anyway
// (ControlTrigger, the transfer ops).

import { childFrameId } from "../framework/rendezvous.js";
import { DEAD, type Entry } from "./entry.js";
import { type ImmutableExecutorState, type Item, NodeKind, type StaticFrame } from "./immutable-state.js";
import type { MemoryLedger } from "./memory-ledger.js";

/** Per-iteration node state (TF's IterationState). */
export class IterationState {
  readonly pending: Int32Array;
  readonly deadInput: Uint8Array;
  readonly inputs: (Entry | undefined)[];
  readonly mergeDead: Int32Array;
  readonly mergeFired: Uint8Array;
  readonly mergeCtl: Int32Array;
  /** Activations scheduled or running in this iteration, plus child frame instances. */
  inFlight = 0;
  /** Bytes charged to the step's memory account for this iteration (released when it is dropped). */
  charged = 0;

  constructor(
    readonly index: number,
    state: ImmutableExecutorState,
    frame: number,
  ) {
    const n = state.items.length;
    this.pending = new Int32Array(n);
    this.mergeCtl = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const it = state.items[i]!;
      if (it.frame === frame) {
        this.pending[i] = it.initialPending;
        this.mergeCtl[i] = it.numControlIn;
      }
    }
    this.deadInput = new Uint8Array(n);
    this.inputs = new Array(state.totalInputs);
    this.mergeDead = new Int32Array(n);
    this.mergeFired = new Uint8Array(n);
  }
}

/** One run-time instance of a static frame (TF's FrameState). */
export class FrameState {
  readonly iterations = new Map<number, IterationState>();
  lastIteration = -1;
  firstIteration = 0;
  entersArrived = 0;
  /** [dst, slot, value] from is_constant Enters, delivered to every iteration. */
  readonly constants: [number, number, Entry][] = [];
  /** Exit nodes that left this instance with a live value. */
  readonly liveExits = new Set<number>();
  /** Child instances by "<iteration>:<frame>". */
  readonly children = new Map<string, FrameState>();
  /** NextIteration outputs held back while parallelIterations iterations are alive (TF's next_iter_roots). */
  readonly deferredNext: [number, Entry][] = [];

  constructor(
    readonly id: number,
    /** TF's frame_id: the same in every partition for the same loop instance (rendezvous keys). */
    readonly frameId: bigint,
    /** The static frame (index into ImmutableExecutorState.frames). */
    readonly frame: number,
    readonly parent: FrameState | undefined,
    readonly parentIter: IterationState | undefined,
  ) {}
}

/** A node activation: node id in a frame instance's iteration (TF's TaggedNode). */
export interface TaggedNode {
  readonly id: number;
  readonly inst: FrameState;
  readonly iter: IterationState;
}

/** Where ready activations go (the executor's ready queue). */
export interface ReadySink {
  push(t: TaggedNode): void;
}

/** The frames and iterations of one step, and the propagation of outputs through them. */
export class PropagatorState {
  readonly root: FrameState;
  private readonly items: readonly Item[];
  private readonly frames: readonly StaticFrame[];
  private nextInstance = 0;

  constructor(
    private readonly state: ImmutableExecutorState,
    private readonly ready: ReadySink,
    private readonly ledger: MemoryLedger,
  ) {
    this.items = state.items;
    this.frames = state.frames;
    this.root = this.newFrame(0, undefined, undefined);
  }

  /** Makes the graph's source nodes ready in the root frame's iteration 0. */
  activateRoots(): void {
    const iter = this.root.iterations.get(0)!;
    for (const id of this.state.roots) this.ready.push({ id, inst: this.root, iter });
  }

  /** Delivers a node's outputs to its consumers, moving between frames and iterations as TF does. */
  propagate(t: TaggedNode, outputs: readonly (Entry | undefined)[], nodeDead: boolean): void {
    const it = this.items[t.id]!;
    let inst = t.inst;
    let iter: IterationState | undefined = t.iter;
    switch (it.kind) {
      case NodeKind.Enter: {
        const child = this.childFrame(t.inst, t.iter, it.enterFrame);
        child.entersArrived++;
        if (it.enterConstant) {
          this.enterConstant(t, it, child, outputs, nodeDead);
          return;
        }
        inst = child;
        iter = child.iterations.get(child.firstIteration) ?? child.iterations.get(0);
        break;
      }
      case NodeKind.Exit: {
        if (nodeDead || outputs[0] === undefined) {
          // Dead exits wait until the frame instance is done (then only if it never exited live).
          this.finishNode(t);
          return;
        }
        t.inst.liveExits.add(t.id);
        inst = t.inst.parent!;
        iter = t.inst.parentIter!;
        this.ledger.moveCharge(t.iter, iter, outputs[0]);
        break;
      }
      case NodeKind.NextIteration: {
        iter = this.nextIteration(t, outputs[0], nodeDead);
        if (iter === undefined) return;
        break;
      }
      default:
        break;
    }
    if (iter !== undefined) {
      const isEnter = it.kind === NodeKind.Enter;
      for (const [dst, slot, srcOut] of it.out) {
        const entry = srcOut >= 0 ? (outputs[srcOut] ?? DEAD) : DEAD;
        this.deliver(inst, iter, dst, slot, entry, nodeDead, isEnter);
      }
    }
    this.finishNode(t);
    if (inst !== t.inst) this.maybeFinishFrame(inst);
  }

  /** A node of (inst, iter) is done (its outputs are delivered or held back). */
  finishNode(t: TaggedNode): void {
    t.iter.inFlight--;
    this.maybeFinishFrame(t.inst);
  }

  private newIteration(inst: FrameState, index: number): IterationState {
    const iteration = new IterationState(index, this.state, inst.frame);
    inst.iterations.set(index, iteration);
    inst.lastIteration = Math.max(inst.lastIteration, index);
    // Loop invariants (is_constant Enter) reach every iteration.
    for (const [dst, slot, entry] of inst.constants) this.deliver(inst, iteration, dst, slot, entry, false);
    return iteration;
  }

  private newFrame(
    frame: number,
    parent: FrameState | undefined,
    parentIter: IterationState | undefined,
  ): FrameState {
    const frameId =
      parent === undefined || parentIter === undefined
        ? 0n
        : childFrameId(parent.frameId, parentIter.index, this.frames[frame]!.name);
    const inst = new FrameState(this.nextInstance++, frameId, frame, parent, parentIter);
    if (parentIter) parentIter.inFlight++; // a running child frame keeps its parent iteration alive
    this.newIteration(inst, 0);
    return inst;
  }

  /** The child instance an Enter in (inst, iter) leads into, created on first use. */
  private childFrame(inst: FrameState, iter: IterationState, frame: number): FrameState {
    const key = `${iter.index}:${frame}`;
    let child = inst.children.get(key);
    if (!child) {
      child = this.newFrame(frame, inst, iter);
      inst.children.set(key, child);
    }
    return child;
  }

  /** An is_constant Enter: its value reaches every iteration, existing ones now, later ones at creation. */
  private enterConstant(
    t: TaggedNode,
    it: Item,
    child: FrameState,
    outputs: readonly (Entry | undefined)[],
    nodeDead: boolean,
  ): void {
    for (const [dst, slot, srcOut] of it.out) {
      child.constants.push([dst, slot, srcOut >= 0 ? (outputs[srcOut] ?? DEAD) : DEAD]);
    }
    for (const live of child.iterations.values()) {
      for (const [dst, slot, srcOut] of it.out) {
        this.deliver(child, live, dst, slot, srcOut >= 0 ? (outputs[srcOut] ?? DEAD) : DEAD, nodeDead, true);
      }
    }
    this.finishNode(t);
    this.maybeFinishFrame(child);
  }

  /**
   * The iteration a NextIteration's output goes to, or undefined when there is none now (the node
   * is then finished here): a dead value ends the loop, and past parallel_iterations the value is
   * held back until the oldest iteration is done.
   */
  private nextIteration(
    t: TaggedNode,
    output: Entry | undefined,
    nodeDead: boolean,
  ): IterationState | undefined {
    if (nodeDead || output === undefined) {
      // A dead NextIteration ends the loop: no new iteration.
      this.finishNode(t);
      return undefined;
    }
    const inst = t.inst;
    if (
      t.iter.index === inst.lastIteration &&
      inst.iterations.size >= this.frames[inst.frame]!.parallelIterations
    ) {
      // TF's parallel_iterations: the next iteration starts when the oldest one is done, so a loop
      // whose condition runs ahead (or a device sharing the frame that lags) keeps a bounded
      // number of iterations in memory.
      inst.deferredNext.push([t.id, output]);
      this.finishNode(t);
      return undefined;
    }
    const next = inst.iterations.get(t.iter.index + 1) ?? this.newIteration(inst, t.iter.index + 1);
    this.ledger.moveCharge(t.iter, next, output);
    return next;
  }

  /** Hands one value to input `slot` (-1: a control edge) of node `dst` in (inst, iter). */
  private deliver(
    inst: FrameState,
    iter: IterationState,
    dst: number,
    slot: number,
    entry: Entry,
    fromDeadNode: boolean,
    fromEnter = false,
  ): void {
    const it = this.items[dst]!;
    if (it.isMerge) {
      this.deliverToMerge(inst, iter, it, dst, slot, entry, fromEnter);
      return;
    }
    if (slot >= 0) {
      iter.inputs[it.inputStart + slot] = entry;
      if (entry.dead) iter.deadInput[dst] = 1;
    } else if (fromDeadNode) {
      iter.deadInput[dst] = 1;
    }
    if (--iter.pending[dst]! === 0) this.schedule(inst, iter, dst);
  }

  /**
   * Merge fires once per iteration, after its control inputs: on its first live data input, or
   * dead when every data input arrived dead.
   */
  private deliverToMerge(
    inst: FrameState,
    iter: IterationState,
    it: Item,
    dst: number,
    slot: number,
    entry: Entry,
    fromEnter: boolean,
  ): void {
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
    // As in TF, a dead Enter makes its Merge fire dead at once (a loop in an untaken branch still
    // runs its LoopCond, dead, so a device sharing the frame hears the loop end).
    const deadEnter = fromEnter && slot >= 0 && entry.dead;
    if (live || deadEnter || iter.mergeDead[dst] === it.numInputs) {
      iter.mergeFired[dst] = 1;
      if (!live) iter.deadInput[dst] = 1;
      this.schedule(inst, iter, dst);
    }
  }

  private schedule(inst: FrameState, iter: IterationState, id: number): void {
    iter.inFlight++;
    this.ready.push({ id, inst, iter });
  }

  /** Starts the iteration the held-back NextIteration outputs lead into (TF's IncrementIteration). */
  private startDeferredIteration(inst: FrameState): void {
    const next = this.newIteration(inst, inst.lastIteration + 1);
    const deferred = inst.deferredNext.splice(0);
    for (const [id, entry] of deferred) {
      this.ledger.chargeMoved(next, entry);
      for (const [dst, slot] of this.items[id]!.out) this.deliver(inst, next, dst, slot, entry, false);
    }
  }

  /** Drops finished iterations; when a whole instance is done, releases its parent and dead exits. */
  private maybeFinishFrame(inst: FrameState): void {
    if (inst.frame === 0) return;
    const frame = this.frames[inst.frame]!;
    for (;;) {
      const first = inst.iterations.get(inst.firstIteration);
      if (first === undefined || first.inFlight > 0) return;
      if (inst.firstIteration === 0 && inst.entersArrived < frame.numEnters) return;
      if (inst.firstIteration < inst.lastIteration || inst.deferredNext.length > 0) {
        this.ledger.release(first);
        inst.iterations.delete(inst.firstIteration);
        inst.firstIteration++;
        if (inst.deferredNext.length > 0) this.startDeferredIteration(inst);
        continue;
      }
      break;
    }
    // The last iteration is idle and nothing can start another: the instance is done.
    this.finishFrame(inst, frame);
  }

  /** Deletes a done instance: dead values for the exits that never left live, then the parent goes on. */
  private finishFrame(inst: FrameState, frame: StaticFrame): void {
    for (const idle of inst.iterations.values()) this.ledger.release(idle);
    inst.iterations.clear();
    const parent = inst.parent!;
    const parentIter = inst.parentIter!;
    parent.children.delete(`${parentIter.index}:${inst.frame}`);
    for (const exit of frame.exits) {
      if (inst.liveExits.has(exit)) continue;
      for (const [dst, slot] of this.items[exit]!.out)
        this.deliver(parent, parentIter, dst, slot, DEAD, true);
    }
    parentIter.inFlight--;
    this.maybeFinishFrame(parent);
  }
}
