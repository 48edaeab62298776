// TF1 ("v1") control flow for the graph builder: tf.compat.v1.cond and tf.compat.v1.while_loop as
// TensorFlow builds them with control flow v2 disabled (python/ops/control_flow_ops.py, cond.py,
// while_loop.py), node for node and name for name: Switch/Merge for cond, Enter/Merge/Switch/
// LoopCond/NextIteration/Exit for while loops, and CondContext/WhileContext rewriting the inputs of
// the ops made inside (Switch or Enter per captured tensor, pivot control inputs). Gradients follow
// control_flow_grad.py and control_flow_state.py: through a while loop, a forward iteration counter
// (f_count) and a backward loop counting down (b_count), every forward value the backward loop
// needs pushed on a stack (StackV2/StackPushV2) per iteration and popped (StackPopV2) in reverse,
// and the gradients of tensors captured from outside the loop summed across iterations by an
// accumulator loop variable (b_acc).
//
// The builder (builder.ts) calls buildCond/buildWhileLoop and the gradient walk calls the
// gradients here; this module needs only their types, so it imports them with `import type`.

import { DataType } from "../gen/tensorflow/core/framework/types_pb.js";
import { attr } from "./attrs.js";
import type { GraphBuilder } from "./builder.js";
import type { Grads } from "./gradient-table.js";
import type { ControlFlowContext, Operation, Output, Shape, TensorLike } from "./graph-types.js";
import { fullyDefined } from "./shapes.js";

/** Whether `op` was made in `context` or in a context nested in it. */
function inContext(op: Operation, context: ControlFlowContext): boolean {
  for (let c = op.context; c !== undefined; c = c.outer) if (c === context) return true;
  return false;
}

/** TF's CondContext: one branch of a cond (branch 1 = true, 0 = false). */
export class CondContext implements ControlFlowContext {
  private readonly external = new Map<Output, Output>();
  constructor(
    private readonly g: GraphBuilder,
    readonly outer: ControlFlowContext | undefined,
    /** `cond/pred_id`: the predicate every Switch of this cond tests. */
    readonly pred: Output,
    /** `cond/switch_t` or `cond/switch_f`: what ops without inputs wait for. */
    readonly pivot: Output,
    readonly branch: 0 | 1,
  ) {}

  /** TF's CondContext.AddValue: a tensor from outside reaches the branch through a Switch. */
  addValue(value: Output, consumer?: string): Output {
    if (value === this.pred || value === this.pivot || inContext(value.op, this)) return value;
    const known = this.external.get(value);
    if (known !== undefined) return known;
    const real = this.outer === undefined ? value : this.outer.addValue(value, consumer);
    const sw = switchOp(this.g, real, this.pred, consumer);
    // The Switch belongs to this branch, whichever nested context asked for it.
    sw.context = this;
    const result = sw.outputs[this.branch]!;
    this.external.set(value, result);
    return result;
  }

  pivotFor(op: Operation): Operation | undefined {
    return op.inputs.length === 0 ? this.pivot.op : undefined;
  }

  /** TF's _ProcessOutputTensor: a branch result made outside the branch (`() => x`) gets a Switch. */
  processOutput(value: Output): Output {
    if (inContext(value.op, this)) return value;
    return this.addValue(value);
  }
}

/** TF's WhileContext: the frame of one while loop. */
export class WhileContext implements ControlFlowContext {
  private readonly external = new Map<Output, Output>();
  /** The first loop variable's Merge (cond's pivot) and Identity (the body's pivot). */
  pivotForPred: Output | undefined;
  pivotForBody: Output | undefined;
  /** The LoopCond output every loop Switch tests. */
  pivot: Output | undefined;
  /** The loop's Exit outputs, one per loop variable (TF's loop_exits), and its Enters. */
  readonly loopExits: Output[] = [];
  readonly loopEnters: Output[] = [];
  /** Set on a gradient loop: the state linking it to the forward loop it differentiates. */
  gradState: GradLoopState | undefined;
  constructor(
    private readonly g: GraphBuilder,
    readonly outer: ControlFlowContext | undefined,
    /** The frame name, e.g. "while/while_context". */
    readonly frameName: string,
    readonly parallelIterations: number,
  ) {}

  /** TF's WhileContext.AddValue: a tensor from outside enters the frame as a constant. */
  addValue(value: Output, consumer?: string): Output {
    if (inContext(value.op, this)) return value;
    const known = this.external.get(value);
    if (known !== undefined) return known;
    // A gradient loop reads a value of its forward loop from the stack of that value's history.
    if (this.gradState !== undefined && whileContextOf(value.op) === this.gradState.forward) {
      const history = this.gradState.getRealValue(value, consumer);
      this.external.set(value, history);
      return history;
    }
    const real = this.outer === undefined ? value : this.outer.addValue(value, consumer);
    const result = this.enter(real, true, consumer);
    this.external.set(value, result);
    return result;
  }

  /** An Enter of this frame, named "<consumer>/Enter" (or `name` in the current scope). */
  enter(value: Output, isConstant: boolean, consumer?: string, name = "Enter"): Output {
    const op = this.g.controlFlowPlumbing(() =>
      this.g.addOp("Enter", [value], {
        name: consumer === undefined ? name : this.g.uniqueNameUnder(consumer, "Enter"),
        exact: consumer !== undefined,
        attrs: {
          T: attr.type(value.dtype),
          frame_name: attr.s(this.frameName),
          is_constant: attr.b(isConstant),
          parallel_iterations: attr.i(this.parallelIterations),
        },
        outputs: [[value.dtype, value.shape]],
      }),
    );
    op.context = this;
    return op.outputs[0]!;
  }

  /**
   * TF's _AddOpInternal/_MaybeAddControlDependency: an op with no inputs, or reading only loop
   * constants, and no control inputs, waits for the loop's pivot (else it would run once, not per
   * iteration).
   */
  /**
   * TF's WhileContext.AddOp: in a gradient loop, the Shape (Size, Rank) of a forward value is made
   * in the forward loop, so that the shape, not the value, is saved per iteration.
   */
  contextForOp(type: string, inputs: readonly Output[]): ControlFlowContext | undefined {
    const input = inputs[0];
    if (this.gradState === undefined || input === undefined || !["Shape", "Size", "Rank"].includes(type)) {
      return undefined;
    }
    return whileContextOf(input.op) === this.gradState.forward ? input.op.context : undefined;
  }

  pivotFor(op: Operation): Operation | undefined {
    if (op.controlInputs.length > 0) return undefined;
    const loopConstant = (o: Output) => o.op.type === "Enter" && o.op.attr("is_constant")?.value === true;
    if (!op.inputs.every(loopConstant)) return undefined;
    return (this.pivotForBody ?? this.pivotForPred)?.op;
  }
}

/** A Switch of `data` on `pred`, named "<consumer>/Switch" (or "Switch" in the current scope). */
function switchOp(
  g: GraphBuilder,
  data: Output,
  pred: Output,
  consumer?: string,
  name = "Switch",
): Operation {
  return g.controlFlowPlumbing(() =>
    g.addOp("Switch", [data, pred], {
      name: consumer === undefined ? name : g.uniqueNameUnder(consumer, name),
      exact: consumer !== undefined,
      attrs: { T: attr.type(data.dtype) },
      outputs: [
        [data.dtype, data.shape],
        [data.dtype, data.shape],
      ],
    }),
  );
}

/** An Exit of `context`'s frame; its value belongs to the enclosing context (TF's ExitResult). */
function exitOp(g: GraphBuilder, context: WhileContext, data: Output, name = "Exit"): Output {
  const exit = g.inControlFlowContext(context, () =>
    g.controlFlowPlumbing(() =>
      g.addOp("Exit", [data], {
        name,
        attrs: { T: attr.type(data.dtype) },
        outputs: [[data.dtype, data.shape]],
      }),
    ),
  );
  exit.context = context.outer;
  exitLoops.set(exit, context);
  context.loopExits.push(exit.outputs[0]!);
  return exit.outputs[0]!;
}

/** The loop each Exit leaves (an Exit is recorded in the enclosing context, as its value is). */
const exitLoops = new WeakMap<Operation, WhileContext>();

/** The innermost while loop an op's outputs belong to (TF's GetWhileContext; an Exit's: the outer). */
function whileContextOf(op: Operation): WhileContext | undefined {
  for (let c = op.context; c !== undefined; c = c.outer) if (c instanceof WhileContext) return c;
  return undefined;
}

/** The while loop an op is part of, an Exit included (TF's util.GetWhileContext). */
function loopOf(op: Operation): WhileContext | undefined {
  return exitLoops.get(op) ?? whileContextOf(op);
}

const isLoopExit = (op: Operation) => op.type === "Exit" || op.type === "RefExit";

/** A Switch of a while loop's own frame (not a cond's): it gets one gradient from its Exit, one
 * from the loop body. */
export function isLoopSwitch(op: Operation): boolean {
  return (op.type === "Switch" || op.type === "RefSwitch") && op.context instanceof WhileContext;
}

/** A Merge of `inputs` (outputs: the value and value_index). */
function mergeOp(g: GraphBuilder, inputs: readonly Output[], name = "Merge"): Output {
  const first = inputs[0]!;
  const same = inputs.every((i) => i.shape !== undefined && i.shape.join() === first.shape?.join());
  return g.addOp("Merge", inputs, {
    name,
    attrs: { T: attr.type(first.dtype), N: attr.i(inputs.length) },
    outputs: [
      [first.dtype, same ? first.shape : undefined],
      [DataType.DT_INT32, []],
    ],
  }).outputs[0]!;
}

export type CondBranch = () => Output | readonly Output[];

/** tf.compat.v1.cond with control flow v1 (see GraphBuilder.cond). */
export function buildCond(
  g: GraphBuilder,
  pred: Output,
  trueFn: CondBranch,
  falseFn: CondBranch,
  name: string,
): Output | Output[] {
  if (pred.dtype !== DataType.DT_BOOL) throw new Error(`cond: pred must be a bool tensor, got ${pred.name}`);
  return g.nameScope(name, () => {
    const outer = g.controlFlowContext;
    const sw = g.addOp("Switch", [pred, pred], {
      name: "Switch",
      attrs: { T: attr.type(DataType.DT_BOOL) },
      outputs: [
        [DataType.DT_BOOL, pred.shape],
        [DataType.DT_BOOL, pred.shape],
      ],
    });
    const pivotT = g.identity(sw.outputs[1]!, "switch_t");
    const pivotF = g.identity(sw.outputs[0]!, "switch_f");
    const predId = g.identity(pred, "pred_id");
    const branch = (fn: CondBranch, pivot: Output, index: 0 | 1) => {
      const context = new CondContext(g, outer, predId, pivot, index);
      return g.inControlFlowContext(context, () => {
        const result = fn();
        const list = isOutputList(result) ? [...result] : [result];
        return { single: !isOutputList(result), outputs: list.map((o) => context.processOutput(o)) };
      });
    };
    const t = branch(trueFn, pivotT, 1);
    const f = branch(falseFn, pivotF, 0);
    if (t.outputs.length !== f.outputs.length || t.single !== f.single) {
      throw new Error(
        `cond: true_fn and false_fn must return the same structure (${t.outputs.length} vs ${f.outputs.length} outputs)`,
      );
    }
    t.outputs.forEach((o, i) => {
      if (o.dtype !== f.outputs[i]!.dtype) {
        throw new Error(`cond: outputs ${i} of true_fn and false_fn have different types`);
      }
    });
    // Merge inputs are [false, true], as TF's cond writes them.
    const merges = t.outputs.map((o, i) => mergeOp(g, [f.outputs[i]!, o]));
    return t.single ? merges[0]! : merges;
  });
}

function isOutputList(x: Output | readonly Output[]): x is readonly Output[] {
  return Array.isArray(x);
}

export interface WhileLoopOptions {
  /** How many iterations may run at once (the Enter nodes' parallel_iterations; TF's default 10). */
  readonly parallelIterations?: number;
  /** Stop after this many iterations (TF adds an iteration counter as a hidden first loop var). */
  readonly maximumIterations?: number;
  /** Name scope (default "while"). */
  readonly name?: string;
}

export type LoopCondFn = (...vars: Output[]) => Output;
export type LoopBodyFn = (...vars: Output[]) => Output | readonly Output[];

/** TF's shape formatting in error messages: "(None, 2)", "(2,)", "<unknown>". */
function formatShape(s: Shape): string {
  if (s === undefined) return "<unknown>";
  const dims = s.map((d) => (d < 0 ? "None" : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
}

/** tf.compat.v1.while_loop with control flow v1 (see GraphBuilder.whileLoop). */
export function buildWhileLoop(
  g: GraphBuilder,
  cond: LoopCondFn,
  body: LoopBodyFn,
  loopVars: readonly TensorLike[],
  options: WhileLoopOptions,
): Output[] {
  if (loopVars.length === 0) throw new Error("while_loop: no loop variables provided");
  return g.nameScope(options.name ?? "while", () => {
    let vars = loopVars.map((v) => g.toOutput(v));
    let condFn = cond;
    let bodyFn = body;
    const counted = options.maximumIterations !== undefined;
    if (counted) {
      // TF: loop_vars = (counter, loop_vars); cond = i < maximum_iterations and cond(*lv).
      const max = g.constant(options.maximumIterations!, {
        dtype: DataType.DT_INT32,
        shape: [],
        name: "maximum_iterations",
      });
      const counter = g.constant(0, { dtype: DataType.DT_INT32, shape: [], name: "iteration_counter" });
      vars = [counter, ...vars];
      condFn = (i, ...lv) => {
        const below = g.binary("Less", i, max, "Less", DataType.DT_BOOL);
        const c = cond(...lv);
        return g.addOp("LogicalAnd", [below, c], { outputs: [[DataType.DT_BOOL, []]] }).outputs[0]!;
      };
      bodyFn = (i, ...lv) => {
        const next = g.add(i, 1);
        const rest = body(...lv);
        return [next, ...(isOutputList(rest) ? rest : [rest])];
      };
    }
    const outer = g.controlFlowContext;
    const context = new WhileContext(
      g,
      outer,
      g.uniqueName("while_context"),
      options.parallelIterations ?? 10,
    );
    const realVars = outer === undefined ? vars : vars.map((v) => outer.addValue(v));
    const exits = g.inControlFlowContext(context, () => {
      const enters = realVars.map((v) => context.enter(v, false));
      context.loopEnters.push(...enters);
      const merges = enters.map((e) =>
        g.controlFlowPlumbing(() =>
          g.addOp("Merge", [e, e], {
            name: "Merge",
            attrs: { T: attr.type(e.dtype), N: attr.i(2) },
            outputs: [
              [e.dtype, e.shape],
              [DataType.DT_INT32, []],
            ],
          }),
        ),
      );
      context.pivotForPred = merges[0]!.outputs[0]!;
      const c = g.toOutput(condFn(...merges.map((m) => m.outputs[0]!)));
      if (c.dtype !== DataType.DT_BOOL) throw new Error("while_loop: cond must return a bool tensor");
      const pivot = g.controlFlowPlumbing(() =>
        g.addOp("LoopCond", [c], { name: "LoopCond", outputs: [[DataType.DT_BOOL, []]] }),
      ).outputs[0]!;
      context.pivot = pivot;
      const switches = merges.map((m) => switchOp(g, m.outputs[0]!, pivot));
      const identities = switches.map((s) =>
        g.controlFlowPlumbing(() => g.identity(s.outputs[1]!, "Identity")),
      );
      context.pivotForBody = identities[0]!;
      const produced = bodyFn(...identities);
      const result = (isOutputList(produced) ? [...produced] : [produced]).map((r) => g.toOutput(r));
      if (result.length !== merges.length) {
        throw new Error(
          `The two structures don't have the same number of elements: ${merges.length} loop variables, ` +
            `body returned ${result.length}`,
        );
      }
      result.forEach((r, i) => {
        const v = vars[i]!;
        if (r.dtype !== v.dtype) {
          throw new Error(`while_loop: body output ${i} changes the loop variable's type (${v.name})`);
        }
        if (
          v.shape !== undefined &&
          r.shape !== undefined &&
          (r.shape.length !== v.shape.length ||
            r.shape.some((d, k) => d >= 0 && v.shape![k]! >= 0 && d !== v.shape![k]))
        ) {
          throw new Error(
            `Input tensor '${v.name}' enters the loop with shape ${formatShape(v.shape)}, but has shape ` +
              `${formatShape(r.shape)} after one iteration. To allow the shape to vary across iterations, ` +
              "use the `shape_invariants` argument of tf.while_loop to specify a less-specific shape.",
          );
        }
        // TF's _AddNextAndBackEdge: NextIteration, then the Merge's second input becomes it.
        const next = g.addOp("NextIteration", [r], {
          name: "NextIteration",
          attrs: { T: attr.type(r.dtype) },
          outputs: [[r.dtype, r.shape]],
        });
        g.updateInput(merges[i]!, 1, next.outputs[0]!);
      });
      return switches.map((s) => exitOp(g, context, s.outputs[0]!));
    });
    return counted ? exits.slice(1) : exits;
  });
}

// --- gradients (TF's control_flow_grad.py and control_flow_state.py) ---------------------------

/** A Const of zeros of a fully known shape. */
function zerosConst(g: GraphBuilder, dtype: DataType, shape: readonly number[], name: string): Output {
  const n = shape.reduce((a, b) => a * b, 1);
  return g.constant(new Array<number>(n).fill(0), { dtype, shape: [...shape], name });
}

/** TF's array_ops.zeros(shape_tensor): Fill "zeros" of "zeros/Const". */
function zerosOfShape(g: GraphBuilder, shape: Output, like: Output, staticShape: Shape): Output {
  return g.opScope("zeros", (name) => g.fill(shape, g.scalarLike(0, like, "Const"), name, staticShape, true));
}

/** The first of two static shapes where known, the other where not (TF's merge_with). */
function mergeShapes(a: Shape, b: Shape): Shape {
  if (a === undefined) return b;
  if (b === undefined || a.length !== b.length) return a;
  return a.map((d, i) => (d >= 0 ? d : b[i]!));
}

/** TF's util.GetLoopConstantEnter: the is_constant Enter behind Identity/Switch ops, if any. */
function loopConstantEnter(value: Output): Operation | undefined {
  let op = value.op;
  while (["Identity", "RefIdentity", "Switch", "RefSwitch"].includes(op.type)) op = op.inputs[0]!.op;
  return op.type === "Enter" && op.attr("is_constant")?.value === true ? op : undefined;
}

/** NextIteration of `value`, made the second input of `merge` (TF's _AddNextAndBackEdge). */
function nextAndBackEdge(g: GraphBuilder, merge: Operation, value: Output): void {
  const next = g.addOp("NextIteration", [value], {
    name: "NextIteration",
    attrs: { T: attr.type(value.dtype) },
    outputs: [[value.dtype, value.shape]],
  });
  g.updateInput(merge, 1, next.outputs[0]!);
}

/** A loop-variable Merge of `enter` with itself (the second input becomes the back edge). */
function loopMerge(g: GraphBuilder, enter: Output, name = "Merge"): Operation {
  return g.controlFlowPlumbing(() =>
    g.addOp("Merge", [enter, enter], {
      name,
      attrs: { T: attr.type(enter.dtype), N: attr.i(2) },
      outputs: [
        [enter.dtype, enter.shape],
        [DataType.DT_INT32, []],
      ],
    }),
  );
}

/**
 * TF's _GradLoopState: what the gradient of one forward while loop needs. Building it adds the
 * forward loop's iteration counter (f_count) and the gradient loop (frame "gradients/<frame>"),
 * which counts that many iterations down (b_count).
 */
export class GradLoopState {
  /** Forward value → the tensor the gradient loop reads for it (a StackPopV2, an Enter, a Const). */
  readonly historyMap = new Map<Output, Output>();
  /** A forward loop Switch → the gradient loop's Merge made at its first visit. */
  readonly switchMap = new Map<Operation, Output>();
  readonly unusedExits: Output[] = [];
  readonly deferredExits: Output[] = [];
  /** The forward loop's own exits (not the f_count added here). */
  readonly forwardLoopExits: readonly Output[];
  pendingExitsCount: number;
  /** f_count's NextIteration: every push is ordered before it. */
  readonly forwardIndex: Output;
  readonly gradContext: WhileContext;
  /** b_count's NextIteration: every pop is ordered before it. */
  readonly gradIndex: Output;
  private forwardSyncOp: Operation | undefined;
  private gradSyncOp: Operation | undefined;

  constructor(
    private readonly g: GraphBuilder,
    readonly forward: WhileContext,
  ) {
    if (forward.outer !== undefined) {
      throw new Error(
        `gradients through tf.while_loop '${forward.frameName}' nested in a cond or another while loop ` +
          "are not supported by this builder",
      );
    }
    this.forwardLoopExits = [...forward.loopExits];
    this.pendingExitsCount = forward.loopExits.length;
    const [count, forwardIndex] = this.addForwardLoopCounter();
    this.forwardIndex = forwardIndex;
    this.gradContext = new WhileContext(
      g,
      undefined,
      g.uniqueName(forward.frameName),
      forward.parallelIterations,
    );
    this.gradContext.gradState = this;
    this.gradIndex = this.addBackpropLoopCounter(count);
  }

  /** TF's WhileContext.AddForwardLoopCounter: counts the forward iterations; returns (Exit, next). */
  private addForwardLoopCounter(): [Output, Output] {
    const { g, forward } = this;
    const n = g.constant(0, { dtype: DataType.DT_INT32, shape: [], name: "f_count" });
    return g.inControlFlowContext(forward, () => {
      const enterN = forward.enter(n, false, undefined, "f_count");
      forward.loopEnters.push(enterN);
      const merge = loopMerge(g, enterN);
      const sw = switchOp(g, merge.outputs[0]!, forward.pivot!);
      const index = g.add(sw.outputs[1]!, 1, "Add");
      nextAndBackEdge(g, merge, index);
      const total = exitOp(g, forward, sw.outputs[0]!, "f_count");
      forward.loopExits.pop(); // not one of the loop's results: no gradient flows into it
      return [total, merge.inputs[1]!];
    });
  }

  /** TF's WhileContext.AddBackpropLoopCounter: the gradient loop runs `count` iterations. */
  private addBackpropLoopCounter(count: Output): Output {
    const { g } = this;
    const ctx = this.gradContext;
    const one = g.constant(1, { dtype: DataType.DT_INT32, shape: [], name: "b_count" });
    return g.inControlFlowContext(ctx, () => {
      const merge = loopMerge(g, ctx.enter(count, false, undefined, "b_count"));
      ctx.pivotForPred = merge.outputs[0]!;
      const pred = g.binary("GreaterEqual", merge.outputs[0]!, one, "GreaterEqual", DataType.DT_BOOL);
      ctx.pivot = g.controlFlowPlumbing(() =>
        g.addOp("LoopCond", [pred], { name: "b_count", outputs: [[DataType.DT_BOOL, []]] }),
      ).outputs[0]!;
      const sw = switchOp(g, merge.outputs[0]!, ctx.pivot);
      const index = g.sub(sw.outputs[1]!, one, "Sub");
      ctx.pivotForBody = index;
      nextAndBackEdge(g, merge, index);
      exitOp(g, ctx, sw.outputs[0]!, "b_count");
      return merge.inputs[1]!;
    });
  }

  /** TF's forward_sync: orders pushes made inside a cond before the next forward iteration. */
  private forwardSync(): Operation {
    if (this.forwardSyncOp === undefined) {
      const sync = this.g.inControlFlowContext(undefined, () =>
        this.g.controlDependencies(null, () =>
          this.g.addOp("ControlTrigger", [], { name: "f_sync", outputs: [] }),
        ),
      );
      sync.context = this.forward;
      this.g.addControlInput(this.forwardIndex.op, sync);
      this.forwardSyncOp = sync;
    }
    return this.forwardSyncOp;
  }

  /** TF's grad_sync: orders every pop before the next gradient iteration. */
  private gradSync(): Operation {
    if (this.gradSyncOp === undefined) {
      const sync = this.g.inControlFlowContext(undefined, () =>
        this.g.controlDependencies(null, () =>
          this.g.addOp("ControlTrigger", [], { name: "b_sync", outputs: [] }),
        ),
      );
      sync.context = this.gradContext;
      this.g.addControlInput(this.gradIndex.op, sync);
      this.gradSyncOp = sync;
    }
    return this.gradSyncOp;
  }

  /**
   * TF's AddForwardAccumulator: a stack (made outside the loops) that the forward loop pushes
   * `value` onto every iteration (inside `value`'s cond branch when it has one). Returns the stack.
   */
  addForwardAccumulator(value: Output, deadBranch = false): Output {
    const { g, forward } = this;
    return g.controlDependencies(null, () => {
      const acc = g.inControlFlowContext(forward.outer, () => {
        const maxSize = g.constant(-1, { dtype: DataType.DT_INT32, shape: [], name: "Const" });
        return g.addOp("StackV2", [maxSize], {
          name: "f_acc",
          attrs: { elem_type: attr.type(value.dtype), stack_name: attr.s("") },
          outputs: [[DataType.DT_RESOURCE, []]],
        }).outputs[0]!;
      });
      const enterAcc = forward.addValue(acc);
      const push = (context: ControlFlowContext | undefined) =>
        g.inControlFlowContext(context, () =>
          g.addOp("StackPushV2", [enterAcc, value], {
            name: "StackPushV2",
            attrs: { T: attr.type(value.dtype), swap_memory: attr.b(false) },
            outputs: [[value.dtype, value.shape]],
          }),
        );
      const valueContext = outputContext(value.op);
      let pushOp: Operation;
      if (valueContext === forward) {
        pushOp = push(forward);
        g.addControlInput(this.forwardIndex.op, pushOp);
      } else {
        if (!(valueContext instanceof CondContext)) {
          throw new Error(`while-loop gradient: ${value.name} is not in a cond of the forward loop`);
        }
        if (deadBranch) {
          // Zeros for a cond Switch's untaken output: pushed beside the cond, counted as in it.
          pushOp = push(valueContext.outer);
          pushOp.context = valueContext;
        } else {
          pushOp = push(valueContext);
        }
        g.addControlInput(this.forwardSync(), pushOp);
      }
      // After the counter's increment: pushes of iteration i+1 follow those of iteration i.
      g.addControlInput(pushOp, this.forwardIndex.op.inputs[0]!.op);
      return acc;
    });
  }

  /**
   * TF's AddBackpropAccumulatedValue: the gradient loop's StackPopV2 of `history` (behind a Switch
   * on the popped predicate when `value` was pushed inside a cond).
   */
  addBackpropAccumulatedValue(history: Output, value: Output, deadBranch = false): Output {
    const { g } = this;
    let cond: CondContext | undefined;
    for (let c = value.op.context; c !== undefined && c !== history.op.context; c = c.outer) {
      if (c instanceof CondContext) {
        cond = c;
        break;
      }
    }
    const pop = g.controlDependencies(null, () =>
      g.inControlFlowContext(this.gradContext, () => {
        let handle = history;
        if (cond !== undefined) {
          const pred = this.historyMap.get(cond.pred) ?? cond.pred;
          const branch = deadBranch ? 1 - cond.branch : cond.branch;
          handle = g.addOp("Switch", [history, pred], {
            name: "Switch",
            attrs: { T: attr.type(history.dtype) },
            outputs: [
              [history.dtype, history.shape],
              [history.dtype, history.shape],
            ],
          }).outputs[branch]!;
        }
        return g.addOp("StackPopV2", [handle], {
          name: "StackPopV2",
          attrs: { elem_type: attr.type(value.dtype) },
          outputs: [[value.dtype, value.shape]],
        });
      }),
    );
    if (this.gradContext.parallelIterations > 1) g.addControlInput(this.gradSync(), pop);
    return pop.outputs[0]!;
  }

  /**
   * TF's GetRealValue: what the gradient loop reads for forward value `value`: a loop invariant
   * enters the gradient loop directly, a constant is cloned, anything else is saved on a stack
   * each forward iteration and popped each backward one. Named under `consumer` when given.
   */
  getRealValue(value: Output, consumer?: string): Output {
    const known = this.historyMap.get(value);
    if (known !== undefined) return known;
    const real = this.g.underScope(consumer, () => {
      const enter = loopConstantEnter(value);
      if (enter !== undefined) return this.gradContext.addValue(enter.inputs[0]!);
      if (value.op.type === "Const") {
        return this.g.inControlFlowContext(this.gradContext, () =>
          this.g.addOp("Const", [], {
            name: "Const",
            attrs: { value: value.op.def.attr.value!, dtype: attr.type(value.dtype) },
            outputs: [[value.dtype, value.shape]],
          }),
        ).outputs[0]!;
      }
      const history = this.g.inControlFlowContext(this.forward.outer, () =>
        this.addForwardAccumulator(value),
      );
      return this.addBackpropAccumulatedValue(history, value);
    });
    this.historyMap.set(value, real);
    return real;
  }

  /**
   * TF's AddBackpropAccumulator: the gradient of a loop invariant (an is_constant Enter) is summed
   * over the iterations by a loop variable of the gradient loop (b_acc), starting from zeros.
   */
  addBackpropAccumulator(enter: Operation, grad: Output): Output {
    const { g } = this;
    const ctx = this.gradContext;
    const shape = mergeShapes(grad.shape, enter.outputs[0]!.shape);
    const acc = g.inControlFlowContext(ctx.outer, () =>
      fullyDefined(shape)
        ? zerosConst(g, grad.dtype, shape, "b_acc")
        : zerosOfShape(g, g.shapeOf(enter.inputs[0]!), grad, shape),
    );
    return g.inControlFlowContext(ctx, () => {
      const merge = loopMerge(g, ctx.enter(acc, false, undefined, "b_acc"), "b_acc");
      const sw = switchOp(g, merge.outputs[0]!, ctx.pivot!);
      nextAndBackEdge(g, merge, g.add(sw.outputs[1]!, grad, "Add"));
      return exitOp(g, ctx, sw.outputs[0]!, "b_acc");
    });
  }
}

/** TF's _ControlFlowState: the GradLoopState of every forward loop `gradients` goes through. */
export class ControlFlowState {
  private readonly states = new Map<WhileContext, GradLoopState>();
  private constructor(private readonly g: GraphBuilder) {}

  /**
   * TF's MaybeCreateControlFlowState: a state per loop whose Exit is between xs and ys (every exit
   * of such a loop joins `between`); undefined when no loop is.
   */
  static create(
    g: GraphBuilder,
    betweenList: Operation[],
    between: Set<Operation>,
  ): ControlFlowState | undefined {
    let state: ControlFlowState | undefined;
    for (let i = 0; i < betweenList.length; i++) {
      const op = betweenList[i]!;
      if (!isLoopExit(op)) continue;
      state ??= new ControlFlowState(g);
      const forward = loopOf(op)!;
      if (state.states.has(forward)) continue;
      const grad = new GradLoopState(g, forward);
      state.states.set(forward, grad);
      for (const exit of grad.forwardLoopExits) {
        if (!between.has(exit.op)) {
          between.add(exit.op);
          betweenList.push(exit.op);
        }
      }
    }
    return state;
  }

  /** TF's GetGradState: before aggregating an Exit's gradients, the state of the loop around it. */
  gradState(op: Operation, before: boolean): GradLoopState | undefined {
    const forward = before && isLoopExit(op) ? loopOf(op)?.outer : loopOf(op);
    let loop = forward;
    while (loop !== undefined && !(loop instanceof WhileContext)) loop = loop.outer;
    return loop === undefined ? undefined : this.states.get(loop as WhileContext);
  }

  /** The context gradient ops for `op` are made in (TF's Enter/ExitGradWhileContext). */
  gradContextFor(op: Operation, before: boolean, otherwise: ControlFlowContext | undefined) {
    return this.gradState(op, before)?.gradContext ?? otherwise;
  }

  /** TF's ProcessUnusedLoopExits: exits nothing between uses, and enters that wait for nothing. */
  processUnusedLoopExits(pending: Map<Operation, number>, toOps: Set<Operation>): Output[] {
    const exits: Output[] = [];
    for (const grad of this.states.values()) {
      for (const y of grad.forwardLoopExits) {
        if ((pending.get(y.op) ?? 0) !== 0) continue;
        grad.pendingExitsCount--;
        if (!toOps.has(y.op)) grad.unusedExits.push(y);
        if (grad.pendingExitsCount === 0) exits.push(...grad.unusedExits);
      }
      // Enters wait for one gradient even when not between (TF: for higher-order gradients).
      for (const y of grad.forward.loopEnters) if ((pending.get(y.op) ?? 0) === 0) pending.set(y.op, 1);
    }
    return exits;
  }

  /** TF's ZerosLikeForExit: the zero gradient of an exit nothing used. */
  zerosLikeForExit(value: Output): Output {
    if (fullyDefined(value.shape)) return zerosConst(this.g, value.dtype, value.shape, "zeros");
    return this.g.zerosLike(value, "zeros_like");
  }

  /**
   * TF's ZerosLikeV1WhileLoop: the zero gradient of an unused output of `op`, made in the gradient
   * loop when `op` is in a forward loop (its shape saved per iteration when not static; for a
   * cond's Switch, behind a Switch on the popped predicate so it exists only when the branch ran).
   */
  zerosLike(op: Operation, index: number): Output | undefined {
    const { g } = this;
    if (isLoopSwitch(op)) return undefined;
    const grad = this.gradState(op, false);
    if (grad === undefined) return zerosLikeOutsideLoop(g, op, index);
    const deadBranch = op.type === "Switch" || op.type === "RefSwitch";
    const opContext = op.context;
    const value = op.outputs[index]!;
    if (fullyDefined(value.shape)) {
      const zeros = zerosConst(g, value.dtype, value.shape, "Const");
      if (!deadBranch) return zeros;
      const cond = opContext as CondContext;
      const pred = grad.historyMap.get(cond.pred);
      if (pred === undefined) throw new Error(`while-loop gradient: no saved predicate for ${op.name}`);
      return switchOp(g, zeros, pred).outputs[1 - cond.branch]!;
    }
    let zerosShape: Output;
    if (deadBranch) {
      const cond = opContext as CondContext;
      const [sw, shape] = g.inControlFlowContext(cond.outer, () => {
        const s = g.controlFlowPlumbing(() => switchOp(g, op.inputs[0]!, cond.pred)).outputs[
          1 - cond.branch
        ]!;
        return [s, g.shapeOf(s)] as const;
      });
      sw.op.context = cond;
      shape.op.context = cond;
      zerosShape = shape;
    } else {
      zerosShape = g.inControlFlowContext(opContext, () => g.shapeOf(value));
    }
    const history = g.inControlFlowContext(grad.forward.outer, () =>
      grad.addForwardAccumulator(zerosShape, deadBranch),
    );
    const shape = grad.addBackpropAccumulatedValue(history, zerosShape, deadBranch);
    return zerosOfShape(g, shape, value, value.shape);
  }
}

/**
 * The context an op's outputs belong to (TF's GetOutputContext): its own, as an Exit is already
 * recorded in the context around its loop.
 */
function outputContext(op: Operation): ControlFlowContext | undefined {
  return op.context;
}

/** The gradient loop being built (the context gradient ops are made in), if any. */
function currentGradLoop(g: GraphBuilder): WhileContext | undefined {
  const c = g.controlFlowContext;
  return c instanceof WhileContext && c.gradState !== undefined ? c : undefined;
}

/** TF's _MergeGrad: a cond's Merge gradient is switched back into the two branches (on the
 * predicate saved per iteration inside a loop); a loop Merge's, on the gradient loop's pivot. */
export function mergeGrad(g: GraphBuilder, op: Operation, grads: Grads): (Output | undefined)[] {
  const grad = grads[0]!;
  const context = outputContext(op.inputs[0]!.op);
  if (context instanceof WhileContext) {
    const loop = currentGradLoop(g);
    if (loop === undefined)
      throw new Error(`while-loop gradient of '${op.name}' made outside its gradient loop`);
    const sw = switchOp(g, grad, loop.pivot!);
    return [sw.outputs[0], sw.outputs[1]];
  }
  if (context instanceof CondContext) {
    let pred = context.pred;
    const state = currentGradLoop(g)?.gradState;
    if (state !== undefined) {
      let real = state.historyMap.get(pred);
      if (real === undefined) {
        const history = g.inControlFlowContext(state.forward.outer, () => state.addForwardAccumulator(pred));
        real = state.addBackpropAccumulatedValue(history, pred);
        state.historyMap.set(pred, real);
      }
      pred = real;
    }
    const sw = switchOp(g, grad, pred, undefined, "cond_grad");
    return [sw.outputs[0], sw.outputs[1]];
  }
  // A Merge outside any cond: route the gradient to the input that was taken (value_index == i).
  return op.inputs.map((_, i) => {
    const taken = g.binary(
      "Equal",
      op.outputs[1]!,
      g.constant(i, { dtype: DataType.DT_INT32, shape: [], name: "Equal/y" }),
      "Equal",
      DataType.DT_BOOL,
    );
    return switchOp(g, grad, taken).outputs[1];
  });
}

/**
 * TF's _SwitchGrad. In a cond, the branch's gradient and the other branch's zeros are merged. A
 * loop Switch is visited twice: first from its Exit (the gradient loop's Merge "b_switch", both
 * inputs that gradient), then from the body (the Merge's back edge becomes that gradient).
 */
export function switchGrad(g: GraphBuilder, op: Operation, grads: Grads): (Output | undefined)[] {
  const context = op.context;
  if (context instanceof WhileContext) {
    const state = currentGradLoop(g)?.gradState;
    if (state === undefined)
      throw new Error(`while-loop gradient of '${op.name}' made outside its gradient loop`);
    const merge = state.switchMap.get(op);
    if (merge !== undefined) {
      if (grads[1] !== undefined) nextAndBackEdge(g, merge.op, grads[1]);
      return [undefined, undefined];
    }
    if (grads[0] !== undefined) {
      const m = mergeOp(g, [grads[0], grads[0]], "b_switch");
      state.switchMap.set(op, m);
      return [m, undefined];
    }
    return [undefined, undefined];
  }
  if (context instanceof CondContext) {
    const zero = grads[1 - context.branch];
    if (zero === undefined) {
      const taken = grads[context.branch];
      if (op.inputs[0]!.dtype === DataType.DT_RESOURCE && taken !== undefined) {
        return [mergeOp(g, [taken, taken], "cond_resource_grad"), undefined];
      }
      return [undefined, undefined];
    }
    return [mergeOp(g, [grads[0]!, grads[1]!], "cond_grad"), undefined];
  }
  const pred = op.inputs[1]!;
  const falseGrad = switchOp(g, grads[0]!, pred).outputs[0]!;
  const trueGrad = switchOp(g, grads[1]!, pred).outputs[1]!;
  return [mergeOp(g, [falseGrad, trueGrad]), undefined];
}

/** TF's _ExitGrad: the gradient enters the gradient loop ("b_exit"). */
export function exitGrad(g: GraphBuilder, op: Operation, grads: Grads): (Output | undefined)[] {
  const loop = currentGradLoop(g);
  if (loop === undefined)
    throw new Error(`while-loop gradient of '${op.name}' made outside its gradient loop`);
  if (exitLoops.get(op)?.gradState !== undefined) {
    throw new Error("Second-order gradient for while loops not supported.");
  }
  return [loop.enter(grads[0]!, false, undefined, "b_exit")];
}

/**
 * TF's _EnterGrad: a loop variable's gradient leaves the gradient loop (Exit); a loop invariant's
 * is summed over the iterations (AddBackpropAccumulator).
 */
export function enterGrad(g: GraphBuilder, op: Operation, grads: Grads): (Output | undefined)[] {
  const grad = grads[0]!;
  const loop = currentGradLoop(g);
  if (loop === undefined) return [grad];
  if (op.attr("is_constant")?.value === true) return [loop.gradState!.addBackpropAccumulator(op, grad)];
  return [exitOp(g, loop, grad)];
}

/**
 * TF's ZerosLikeOutsideLoop: the zero gradient of an output nothing used. For a cond's Switch the
 * zeros are made on the other branch (behind a Switch of the same input), so they exist only when
 * that branch runs; otherwise zeros_like.
 */
export function zerosLikeOutsideLoop(g: GraphBuilder, op: Operation, index: number): Output {
  const value = op.outputs[index]!;
  const context = op.context;
  if ((op.type === "Switch" || op.type === "RefSwitch") && context instanceof CondContext) {
    const switchValue = switchOp(g, op.inputs[0]!, context.pred).outputs[1 - context.branch]!;
    const pivot = g.identity(switchValue, "Identity");
    const shape = g.shapeOf(switchValue);
    return g.controlDependencies([pivot], () =>
      g.opScope("zeros", (name) =>
        g.fill(shape, g.scalarLike(0, value, "Const"), name, switchValue.shape, true),
      ),
    );
  }
  return g.zerosLike(value, "zeros_like");
}
