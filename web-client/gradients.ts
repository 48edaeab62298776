// The gradient walk of `GraphBuilder.gradients` (TF's gradients_util._GradientsHelper): which ops lie
// between xs and ys, the initial gradients, then each op's gradient function (gradient-table.ts)
// in the order TF visits them, through TF1 while loops as control_flow_state.py does
// (control-flow.ts).

import type { GraphBuilder } from "./builder.js";
import { ControlFlowState, isLoopSwitch, zerosLikeOutsideLoop } from "./control-flow.js";
import { gradFns } from "./gradient-table.js";
import type { ControlFlowContext, GradientsOptions, Operation, Output } from "./graph-types.js";
import { fullyDefined, isTrainable } from "./shapes.js";

/** The ops gradients flow through, as TF's _PendingCount finds them. */
interface Between {
  /** Ops reached forward from xs through trainable tensors. */
  readonly reached: ReadonlySet<Operation>;
  readonly between: Set<Operation>;
  /** `between` in the order the backward walk from ys met them (what the pending counts follow). */
  readonly betweenList: Operation[];
}

/**
 * TF's _PendingCount: the ops reached from xs through trainable (float, resource) tensors, then,
 * walking back from ys through reached ops only, the ops "between" xs and ys: the only ones
 * gradients flow through (a bool predicate computed from x is not one of them).
 */
function opsBetween(ys: readonly Output[], xs: readonly Output[]): Between {
  const consumers = new Map<Operation, Operation[]>();
  const seen = new Set<Operation>();
  const back = [...ys.map((y) => y.op)];
  while (back.length > 0) {
    const op = back.pop()!;
    if (seen.has(op)) continue;
    seen.add(op);
    for (const i of op.inputs) {
      if (isTrainable(i.dtype)) {
        const list = consumers.get(i.op) ?? [];
        list.push(op);
        consumers.set(i.op, list);
      }
      back.push(i.op);
    }
  }
  const reached = new Set<Operation>();
  const fwd = xs.map((x) => x.op).filter((op) => seen.has(op));
  while (fwd.length > 0) {
    const op = fwd.pop()!;
    if (reached.has(op)) continue;
    reached.add(op);
    for (const c of consumers.get(op) ?? []) fwd.push(c);
  }
  const between = new Set<Operation>();
  const betweenList: Operation[] = [];
  const walk = ys.map((y) => y.op);
  for (let k = 0; k < walk.length; k++) {
    const op = walk[k]!;
    if (!reached.has(op) || between.has(op)) continue;
    between.add(op);
    betweenList.push(op);
    for (const i of op.inputs) walk.push(i.op);
  }
  return { reached, between, betweenList };
}

/** The gradient contributions received so far per tensor. */
class GradTable {
  private readonly grads = new Map<Output, Output[]>();
  constructor(private readonly g: GraphBuilder) {}

  add(t: Output, grad: Output): void {
    const list = this.grads.get(t) ?? [];
    list.push(grad);
    this.grads.set(t, list);
  }

  has(op: Operation): boolean {
    return op.outputs.some((o) => (this.grads.get(o)?.length ?? 0) > 0);
  }

  /** TF's _AggregatedGrads (ADD_N): several contributions are summed with one AddN. */
  aggregate(t: Output): Output | undefined {
    const list = this.grads.get(t);
    if (list === undefined || list.length === 0) return undefined;
    if (list.length === 1) return list[0];
    const sum = this.g.addN(list);
    this.grads.set(t, [sum]);
    return sum;
  }
}

/** The initial gradient of each y: the given one, else TF's _DefaultGradYs. */
function addGradYs(
  g: GraphBuilder,
  grads: GradTable,
  ys: readonly Output[],
  options: GradientsOptions,
): void {
  ys.forEach((y, i) => {
    const given = options.gradYs?.[i];
    if (given !== undefined) {
      grads.add(y, given);
      return;
    }
    // TF's _DefaultGradYs: ones(shape(y), name="grad_ys_i"); the shape is a Const when known.
    const shape = fullyDefined(y.shape) ? g.constantInt32(y.shape, "Shape") : g.shapeOf(y);
    const ones = g.opScope(`grad_ys_${i}`, (opName) =>
      g.fill(shape, g.scalarLike(1, y, "Const"), opName, y.shape, true),
    );
    grads.add(y, ones);
  });
}

/** The state of one `gradients` call while it walks back from ys. */
interface Walk {
  readonly g: GraphBuilder;
  readonly grads: GradTable;
  readonly loopState: ControlFlowState | undefined;
  /** How many gradient contributions each op still waits for. */
  readonly pending: Map<Operation, number>;
  readonly queue: Operation[];
  readonly stopOps: ReadonlySet<Operation>;
  readonly outer: ControlFlowContext | undefined;
  readonly options: GradientsOptions;
}

/**
 * TF's _GradientsHelper. Through TF1 while loops as TF builds it (control_flow_state.py): ops of a
 * forward loop get their gradients in the loop's gradient loop, a loop Switch is visited once per
 * gradient it receives, and a loop's exits are processed together once all are ready.
 */
export function gradientsHelper(
  g: GraphBuilder,
  ys: readonly Output[],
  xs: readonly Output[],
  options: GradientsOptions,
): (Output | undefined)[] {
  const { reached, between, betweenList } = opsBetween(ys, xs);
  const grads = new GradTable(g);
  addGradYs(g, grads, ys, options);

  // Made after grad_ys, as TF: the forward and backward loop counters of every loop between.
  const loopState = ControlFlowState.create(g, betweenList, between);

  // How many gradient contributions each op waits for (one per consuming input edge between).
  const pending = new Map<Operation, number>();
  for (const op of betweenList) {
    for (const i of op.inputs) if (between.has(i.op)) pending.set(i.op, (pending.get(i.op) ?? 0) + 1);
  }

  const queue = [...new Set(ys.map((y) => y.op))].filter(
    (op) => (pending.get(op) ?? 0) === 0 && reached.has(op),
  );
  const toOps = new Set(queue);
  if (loopState !== undefined) {
    for (const y of loopState.processUnusedLoopExits(pending, toOps)) {
      if (isTrainable(y.dtype)) {
        grads.add(y, loopState.zerosLikeForExit(y));
        queue.push(y.op);
      }
    }
  }
  // TF's _StopOps: an x whose inputs wait for no gradient is not differentiated further.
  const stopOps = new Set(
    xs.map((x) => x.op).filter((op) => op.inputs.every((i) => (pending.get(i.op) ?? 0) <= 0)),
  );
  const walk: Walk = { g, grads, loopState, pending, queue, stopOps, outer: g.controlFlowContext, options };
  while (queue.length > 0) {
    const op = queue.shift()!;
    backprop(walk, op);
    enqueueReadyInputs(walk, op);
  }
  return xs.map((x) => grads.aggregate(x));
}

/** Runs `op`'s gradient function on its outputs' aggregated gradients, adding those of its inputs. */
function backprop(walk: Walk, op: Operation): void {
  const { g, grads, loopState, outer, options } = walk;
  const outGrads = g.inControlFlowContext(loopState?.gradContextFor(op, true, outer) ?? outer, () =>
    op.outputs.map((o) => grads.aggregate(o)),
  );
  const differentiate = !walk.stopOps.has(op) && outGrads.some((o) => o);
  const fn = gradFns[op.type];
  if (differentiate && fn === undefined) {
    throw new Error(`No gradient defined for operation '${op.name}' (op type: ${op.type})`);
  }
  g.inControlFlowContext(loopState?.gradContextFor(op, false, outer) ?? outer, () => {
    if (!differentiate || fn === undefined) return;
    // dC/d(output) is 0 for outputs nothing downstream used (made in the gradients scope, as TF).
    const filled = outGrads.map((o, i) => {
      if (o !== undefined || !isTrainable(op.outputs[i]!.dtype)) return o;
      return loopState !== undefined ? loopState.zerosLike(op, i) : zerosLikeOutsideLoop(g, op, i);
    });
    const inGrads = g.nameScope(`${op.name}_grad`, () => {
      const result = fn(g, op, filled);
      return options.gateGradients && result.filter((r) => r !== undefined).length > 1
        ? tuple(g, result)
        : result;
    });
    op.inputs.forEach((input, i) => {
      const ig = inGrads[i];
      if (ig !== undefined) grads.add(input, ig);
    });
  });
}

/**
 * TF's _UpdatePendingAndEnqueueReady: an input's op is queued once every gradient it waits for
 * arrived; a loop Switch is ready at each gradient it receives; a loop's exits wait for each other.
 */
function enqueueReadyInputs(walk: Walk, op: Operation): void {
  const { grads, loopState, pending, queue } = walk;
  for (const input of op.inputs) {
    const left = (pending.get(input.op) ?? 0) - 1;
    pending.set(input.op, left);
    const ready = left === 0 || (loopState !== undefined && left > 0 && isLoopSwitch(input.op));
    if (!ready) continue;
    if (loopState === undefined || (input.op.type !== "Exit" && input.op.type !== "RefExit")) {
      queue.push(input.op);
      continue;
    }
    const state = loopState.gradState(input.op, false)!;
    state.deferredExits.push(input);
    state.pendingExitsCount--;
    if (state.pendingExitsCount !== 0) continue;
    let anyGrad = false;
    for (const y of state.deferredExits) {
      if (grads.has(y.op)) {
        anyGrad = true;
        queue.push(y.op);
      } else {
        state.unusedExits.push(y);
      }
    }
    for (const y of state.unusedExits) {
      // With a real gradient at some exit, the others backprop zeros (when trainable).
      if (anyGrad && isTrainable(y.dtype)) grads.add(y, loopState.zerosLikeForExit(y));
      queue.push(y.op);
    }
  }
}

/** TF's control_flow_ops.tuple: every gradient waits for all of them (group_deps + Identity). */
function tuple(g: GraphBuilder, ts: readonly (Output | undefined)[]): (Output | undefined)[] {
  return g.nameScope("tuple", () => {
    const gate = g.group(
      ts.filter((t): t is Output => t !== undefined),
      "group_deps",
    );
    return ts.map((t) =>
      t === undefined ? undefined : g.controlDependencies([gate], () => g.identity(t, "control_dependency")),
    );
  });
}
