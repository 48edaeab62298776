// The graph builder's objects, as TF1's Python graph has them: Output (tf.Tensor in graph mode),
// Operation, Variable, the static Shape, and the ControlFlowContext interface the cond and while
// contexts (control-flow.ts) implement. No runtime imports: every other module of the builder may
// import this one without forming a cycle.

import type { AttrValue } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import type { DataType } from "../gen/tensorflow/core/framework/types_pb.js";
import type { GraphBuilder } from "./builder.js";
import type { Tensor } from "./tensor.js";

/** A static shape: `undefined` = unknown rank; a dimension of -1 = unknown size. */
export type Shape = readonly number[] | undefined;

/** One output of a node ("name:index"), as tf.Tensor in graph mode. */
export class Output {
  constructor(
    readonly graph: GraphBuilder,
    readonly op: Operation,
    readonly index: number,
    readonly dtype: DataType,
    readonly shape: Shape,
  ) {}
  /** The tensor name to feed or fetch, e.g. "MatMul:0". */
  get name(): string {
    return `${this.op.name}:${this.index}`;
  }
  /** The input string other nodes use: "MatMul" for output 0, "Split:1" otherwise. */
  get ref(): string {
    return this.index === 0 ? this.op.name : `${this.op.name}:${this.index}`;
  }
}

/**
 * The control-flow context an op was made in (a cond branch or a while loop, TF1's
 * ControlFlowContext); implemented in control-flow.ts.
 */
export interface ControlFlowContext {
  readonly outer: ControlFlowContext | undefined;
  /**
   * The tensor an op made in this context reads for `value` (a Switch or Enter of it, named
   * "<consumer>/Switch"; without `consumer`, "Switch" in the current name scope).
   */
  addValue(value: Output, consumer?: string): Output;
  /** Control input for an op without data inputs, so that it runs only when the context does. */
  pivotFor(op: Operation): Operation | undefined;
  /**
   * The context an op of `type` reading `inputs` is made in instead of this one (a gradient loop
   * moves the Shape of a forward value into the forward loop), if another.
   */
  contextForOp?(type: string, inputs: readonly Output[]): ControlFlowContext | undefined;
}

/** A node of the graph, as tf.Operation. `outputs` is filled by the builder. */
export class Operation {
  readonly outputs: Output[] = [];
  /** The cond branch or while loop the op belongs to (undefined: the top level). */
  context: ControlFlowContext | undefined;
  constructor(
    readonly graph: GraphBuilder,
    readonly def: NodeDef,
    readonly inputs: readonly Output[],
    readonly controlInputs: readonly Operation[],
  ) {}
  get name(): string {
    return this.def.name;
  }
  get type(): string {
    return this.def.op;
  }
  attr(name: string): AttrValue["value"] | undefined {
    return this.def.attr[name]?.value;
  }
}

/** A variable: `handle` is what optimizers update and `gradients` differentiates with respect to. */
export class Variable {
  constructor(
    readonly graph: GraphBuilder,
    /** VariableV2 (ref) or VarHandleOp (resource) output. */
    readonly handle: Output,
    /** The assignment of the initial value (run it, or `globalVariablesInitializer()`). */
    readonly initializer: Operation,
    readonly resource: boolean,
    /** The cached read: `w/read` (Identity) for a ref variable, `w/Read/ReadVariableOp` for resource. */
    readonly snapshot: Output,
  ) {}
  get name(): string {
    return this.handle.op.name;
  }
  get dtype(): DataType {
    return this.snapshot.dtype;
  }
  get shape(): Shape {
    return this.snapshot.shape;
  }
}

/** Anything an op accepts as an input: a graph tensor, a variable (its value), or a constant. */
export type TensorLike = Output | Variable | number | readonly unknown[] | Tensor;

export interface GradientsOptions {
  /** Initial gradients of `ys` (default: ones of y's shape, as TF's grad_ys). */
  readonly gradYs?: readonly (Output | undefined)[];
  /** Group each op's input gradients with a `tuple` (TF's gate_gradients; optimizers use it). */
  readonly gateGradients?: boolean;
  /** Name scope of the gradient ops (default "gradients"). */
  readonly name?: string;
}
