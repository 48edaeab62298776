// TF1 ("v1") control flow for the graph builder: tf.compat.v1.cond and tf.compat.v1.while_loop as
// TensorFlow builds them with control flow v2 disabled (python/ops/control_flow_ops.py, cond.py,
// while_loop.py), node for node and name for name: Switch/Merge for cond, Enter/Merge/Switch/
// LoopCond/NextIteration/Exit for while loops, and CondContext/WhileContext rewriting the inputs of
// the ops made inside (Switch or Enter per captured tensor, pivot control inputs). Gradients through
// cond follow control_flow_grad.py; gradients through while loops need stacks (StackV2, …) that
// tfgate does not register, so `gradients` refuses them.
//
// Imports from graph.ts are used only inside functions: graph.ts imports this module.

import { DataType } from "../gen/tensorflow/core/framework/types_pb.js";
import {
  attr,
  type ControlFlowContext,
  type GraphBuilder,
  type Operation,
  type Output,
  type Shape,
  type TensorLike,
} from "./graph.js";

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
    const real = this.outer === undefined ? value : this.outer.addValue(value, consumer);
    const result = this.enter(real, true, consumer);
    this.external.set(value, result);
    return result;
  }

  /** An Enter of this frame, named "<consumer>/Enter" (or "Enter" in the current scope). */
  enter(value: Output, isConstant: boolean, consumer?: string): Output {
    const op = this.g.controlFlowPlumbing(() =>
      this.g.addOp("Enter", [value], {
        name: consumer === undefined ? "Enter" : this.g.uniqueNameUnder(consumer, "Enter"),
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
      return switches.map((s) => {
        const exit = g.controlFlowPlumbing(() =>
          g.addOp("Exit", [s.outputs[0]!], {
            name: "Exit",
            attrs: { T: attr.type(s.outputs[0]!.dtype) },
            outputs: [[s.outputs[0]!.dtype, s.outputs[0]!.shape]],
          }),
        );
        // An Exit's value belongs to the enclosing context (TF's ExitResult).
        exit.context = outer;
        return exit.outputs[0]!;
      });
    });
    return counted ? exits.slice(1) : exits;
  });
}

// --- gradients (TF's control_flow_grad.py and control_flow_state.ZerosLikeOutsideLoop) ---------

type Grads = readonly (Output | undefined)[];

/** The context an op's outputs belong to (TF's GetOutputContext: an Exit's is the outer one). */
function outputContext(op: Operation): ControlFlowContext | undefined {
  return op.type === "Exit" || op.type === "RefExit" ? op.context?.outer : op.context;
}

const whileGradError = (op: Operation) =>
  new Error(
    `gradients through tf.while_loop are not supported (op '${op.name}'): TF1's while-loop gradient ` +
      "saves every iteration's values with StackV2/StackPushV2/StackPopV2, which tfgate does not register",
  );

/** TF's _MergeGrad: the gradient of a cond's Merge is switched back into the two branches. */
export function mergeGrad(g: GraphBuilder, op: Operation, grads: Grads): (Output | undefined)[] {
  const grad = grads[0]!;
  const context = outputContext(op.inputs[0]!.op);
  if (context instanceof WhileContext) throw whileGradError(op);
  if (context instanceof CondContext) {
    const sw = switchOp(g, grad, context.pred, undefined, "cond_grad");
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

/** TF's _SwitchGrad: in a cond, the branch's gradient and the other branch's zeros are merged. */
export function switchGrad(g: GraphBuilder, op: Operation, grads: Grads): (Output | undefined)[] {
  const context = op.context;
  if (context instanceof WhileContext) throw whileGradError(op);
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
