// A small TF1-style graph builder: placeholders, constants, variables (ref and resource), the common
// math/NN ops, name scopes, device scopes and control dependencies, producing a plain GraphDef that
// any MasterService (tfgate or TensorFlow) runs. Symbolic gradients (`gradients`, TF's
// gradients_util._GradientsHelper) emit the ops TensorFlow's own gradient functions emit, with the
// same names ("gradients/MatMul_grad/MatMul_1", …), and `GradientDescent` builds train ops as
// tf.compat.v1.train.GradientDescentOptimizer does. TF1 cond/while_loop and their gradients live in
// control-flow.ts, Adam in optimizers.ts. Browser-safe: never imports server code.
//
// test/graph-builder-control-flow.test.ts compares the built graphs node for node with what
// TensorFlow 2.21 emits for the same programs (test/tf/export_builder_reference.py).

import { create } from "@bufbuild/protobuf";
import { type AttrValue, AttrValueSchema } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { type GraphDef, GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import { type NodeDef, NodeDefSchema } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { TensorShapeProtoSchema } from "../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { DataType } from "../gen/tensorflow/core/framework/types_pb.js";
import {
  buildCond,
  buildWhileLoop,
  type CondBranch,
  ControlFlowState,
  enterGrad,
  exitGrad,
  isLoopSwitch,
  type LoopBodyFn,
  type LoopCondFn,
  mergeGrad,
  switchGrad,
  type WhileLoopOptions,
  zerosLikeOutsideLoop,
} from "./control-flow.js";
import { type Tensor, tensor, toTensorProto } from "./tensor.js";

/** TF_GRAPH_DEF_VERSION of TensorFlow 2.21, the producer version written into built GraphDefs. */
export const GRAPH_DEF_PRODUCER = 2474;

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

interface OpSpec {
  readonly name?: string | undefined;
  /** `name` is already unique and scoped (made by `opScope`): use it verbatim. */
  readonly exact?: boolean;
  readonly attrs?: Record<string, AttrValue>;
  /** dtype and static shape of each output. */
  readonly outputs: readonly (readonly [DataType, Shape])[];
}

const utf8 = new TextEncoder();

/** AttrValue constructors. */
export const attr = {
  type: (t: DataType): AttrValue => create(AttrValueSchema, { value: { case: "type", value: t } }),
  i: (v: number): AttrValue => create(AttrValueSchema, { value: { case: "i", value: BigInt(v) } }),
  f: (v: number): AttrValue => create(AttrValueSchema, { value: { case: "f", value: v } }),
  b: (v: boolean): AttrValue => create(AttrValueSchema, { value: { case: "b", value: v } }),
  s: (v: string): AttrValue => create(AttrValueSchema, { value: { case: "s", value: utf8.encode(v) } }),
  shape: (shape: Shape): AttrValue =>
    create(AttrValueSchema, {
      value: {
        case: "shape",
        value:
          shape === undefined
            ? create(TensorShapeProtoSchema, { unknownRank: true })
            : create(TensorShapeProtoSchema, { dim: shape.map((d) => ({ size: BigInt(d) })) }),
      },
    }),
  tensor: (t: Tensor): AttrValue =>
    create(AttrValueSchema, { value: { case: "tensor", value: toTensorProto(t) } }),
};

const isFloat = (t: DataType) =>
  t === DataType.DT_FLOAT || t === DataType.DT_DOUBLE || t === DataType.DT_HALF || t === DataType.DT_BFLOAT16;

/** TF's backprop_util.IsTrainable: the dtypes gradients flow through. */
const isTrainable = (t: DataType) =>
  isFloat(t) ||
  t === DataType.DT_COMPLEX64 ||
  t === DataType.DT_COMPLEX128 ||
  t === DataType.DT_RESOURCE ||
  t === DataType.DT_VARIANT;

const allKnown = (s: readonly number[]) => s.every((d) => d >= 0);
const fullyDefined = (s: Shape): s is readonly number[] => s !== undefined && allKnown(s);
const numElements = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** NumPy broadcasting of two static shapes (unknown where it cannot be told). */
export function broadcastShapes(a: Shape, b: Shape): Shape {
  if (a === undefined || b === undefined) return undefined;
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === -1) out.push(y);
    else if (y === -1 || x === y) out.push(x);
    else throw new Error(`Incompatible shapes: [${a.join(",")}] vs. [${b.join(",")}]`);
  }
  return out;
}

/**
 * Builds a GraphDef, TF1 style. Ops are methods; each returns an `Output` (or an `Operation` for ops
 * without outputs). Names are made unique as TensorFlow does ("Add", "Add_1", "scope/Add").
 */
export class GraphBuilder {
  private readonly ops: Operation[] = [];
  private readonly byName = new Map<string, Operation>();
  private readonly namesInUse = new Map<string, number>();
  private scope = "";
  /** The tf.control_dependencies blocks in effect, with the ops made inside each (TF's controllers). */
  private controlDeps: { readonly deps: readonly Operation[]; readonly made: Set<Operation> }[] = [];
  /** The control-flow context ops are made in, and whether its input rewriting is suspended. */
  private flowContext: ControlFlowContext | undefined;
  private plumbing = false;
  private deviceScope = "";
  private readonly variables: Variable[] = [];
  private readonly trainable: Variable[] = [];

  // --- graph-level --------------------------------------------------------------------------

  /** The GraphDef built so far (a fresh message; nodes are shared, do not mutate them). */
  toGraphDef(): GraphDef {
    return create(GraphDefSchema, {
      node: this.ops.map((o) => o.def),
      versions: { producer: GRAPH_DEF_PRODUCER },
    });
  }

  /** Nodes added since `mark` (a previous `nodeCount()`), for ExtendSession. */
  toGraphDefSince(mark: number): GraphDef {
    return create(GraphDefSchema, {
      node: this.ops.slice(mark).map((o) => o.def),
      versions: { producer: GRAPH_DEF_PRODUCER },
    });
  }

  nodeCount(): number {
    return this.ops.length;
  }

  operation(name: string): Operation | undefined {
    return this.byName.get(name);
  }

  /** Every variable made so far (tf.compat.v1.global_variables()). */
  globalVariables(): readonly Variable[] {
    return this.variables;
  }

  /** Variables made with `trainable` (the default); what optimizers minimize over. */
  trainableVariables(): readonly Variable[] {
    return this.trainable;
  }

  /** Runs `fn` inside name scope `name` (tf.name_scope): ops are named "name/Op". */
  nameScope<T>(name: string, fn: () => T): T {
    return this.opScope(name, () => fn());
  }

  /**
   * What TF's op wrappers do: takes a unique name for the op ("Reshape", "Reshape_1"), opens it as
   * a name scope for the op's helper constants ("Reshape/shape"), and passes the name to `fn`,
   * which creates the op itself with `{ name, exact: true }`.
   */
  opScope<T>(name: string, fn: (opName: string) => T): T {
    const opName = this.uniqueName(name);
    const saved = this.scope;
    this.scope = `${opName}/`;
    try {
      return fn(opName);
    } finally {
      this.scope = saved;
    }
  }

  /**
   * Runs `fn` with every op made inside depending on `deps` (tf.control_dependencies); `null`
   * clears the dependencies in effect, as `tf.control_dependencies(None)`.
   */
  controlDependencies<T>(deps: readonly (Operation | Output)[] | null, fn: () => T): T {
    const saved = this.controlDeps;
    this.controlDeps =
      deps === null
        ? []
        : [...saved, { deps: deps.map((d) => (d instanceof Output ? d.op : d)), made: new Set() }];
    try {
      return fn();
    } finally {
      this.controlDeps = saved;
    }
  }

  /** Runs `fn` with ops made inside requesting `device` (tf.device), e.g. "/device:CPU:1". */
  device<T>(device: string, fn: () => T): T {
    const saved = this.deviceScope;
    this.deviceScope = device;
    try {
      return fn();
    } finally {
      this.deviceScope = saved;
    }
  }

  /** The control-flow context new ops are made in (control-flow.ts). */
  get controlFlowContext(): ControlFlowContext | undefined {
    return this.flowContext;
  }

  /** Runs `fn` with new ops made in control-flow context `context` (control-flow.ts). */
  inControlFlowContext<T>(context: ControlFlowContext | undefined, fn: () => T): T {
    const saved = this.flowContext;
    this.flowContext = context;
    try {
      return fn();
    } finally {
      this.flowContext = saved;
    }
  }

  /**
   * Runs `fn` making the plumbing of a control-flow context (Switch, Enter, …): ops that belong to
   * the current context but whose inputs are not rewritten, outside any control dependencies.
   */
  controlFlowPlumbing<T>(fn: () => T): T {
    const saved = this.plumbing;
    this.plumbing = true;
    try {
      return this.controlDependencies(null, fn);
    } finally {
      this.plumbing = saved;
    }
  }

  /** Replaces input `index` of `op` (TF's Operation._update_input: a while loop's back edge). */
  updateInput(op: Operation, index: number, value: Output): void {
    (op.inputs as Output[])[index] = value;
    op.def.input[index] = value.ref;
  }

  /** Adds a control input to `op` (TF's Operation._add_control_input), kept sorted as TF writes them. */
  addControlInput(op: Operation, control: Operation): void {
    if (op.controlInputs.includes(control)) return;
    (op.controlInputs as Operation[]).push(control);
    const data = op.def.input.filter((i) => !i.startsWith("^"));
    op.def.input = [...data, ...sortedControls(op.controlInputs)];
  }

  /**
   * Runs `fn` in name scope `prefix` exactly (already unique and scoped, e.g. the name of the op
   * whose input is being rewritten, as TF's op wrappers open one); undefined: the current scope.
   */
  underScope<T>(prefix: string | undefined, fn: () => T): T {
    if (prefix === undefined) return fn();
    const saved = this.scope;
    this.scope = `${prefix}/`;
    try {
      return fn();
    } finally {
      this.scope = saved;
    }
  }

  /** A unique name "prefix/name" whatever the current name scope (`prefix` is already scoped). */
  uniqueNameUnder(prefix: string, name: string): string {
    const saved = this.scope;
    this.scope = `${prefix}/`;
    try {
      return this.uniqueName(name);
    } finally {
      this.scope = saved;
    }
  }

  /** TF's Graph.unique_name: scope + name, then "_1", "_2", … while taken. */
  uniqueName(name: string, markAsUsed = true): string {
    const full = `${this.scope}${name}`;
    const key = full.toLowerCase();
    let count = this.namesInUse.get(key) ?? 0;
    if (markAsUsed) this.namesInUse.set(key, count + 1);
    if (count === 0) return full;
    let candidate = `${full}_${count}`;
    while (this.namesInUse.has(candidate.toLowerCase())) {
      count++;
      candidate = `${full}_${count}`;
    }
    if (markAsUsed) this.namesInUse.set(candidate.toLowerCase(), 1);
    return candidate;
  }

  /**
   * Adds a node. Inputs that are Variables or constants are converted first. Inside a cond branch
   * or a while loop, inputs from outside are read through the context's Switch/Enter nodes and an
   * op without inputs waits for the context's pivot, as TF1's control-flow contexts do.
   */
  addOp(type: string, inputs: readonly TensorLike[], spec: OpSpec): Operation {
    let ins = inputs.map((i) => this.toOutput(i));
    let name: string;
    if (spec.exact === true && spec.name !== undefined) {
      if (this.byName.has(spec.name)) throw new Error(`Duplicate node name in graph: '${spec.name}'`);
      name = spec.name;
    } else {
      name = this.uniqueName(spec.name ?? type);
    }
    const context = this.plumbing
      ? this.flowContext
      : (this.flowContext?.contextForOp?.(type, ins) ?? this.flowContext);
    if (context !== undefined && !this.plumbing) ins = ins.map((i) => context.addValue(i, name));
    // TF's _control_dependencies_for_inputs: a block's dependencies are skipped when an input was
    // made inside that block (it already waits for them), and never repeat a data input.
    const controls = new Set<Operation>();
    for (const frame of this.controlDeps) {
      if (ins.some((i) => frame.made.has(i.op))) continue;
      for (const c of frame.deps) if (!ins.some((i) => i.op === c)) controls.add(c);
    }
    const def = create(NodeDefSchema, {
      name,
      op: type,
      input: [...ins.map((i) => i.ref), ...sortedControls(controls)],
      attr: spec.attrs ?? {},
      device: this.deviceScope,
    });
    const op = new Operation(this, def, ins, [...controls]);
    op.context = context;
    spec.outputs.forEach(([dtype, shape], index) => {
      op.outputs.push(new Output(this, op, index, dtype, shape));
    });
    this.ops.push(op);
    this.byName.set(name, op);
    for (const frame of this.controlDeps) frame.made.add(op);
    if (context !== undefined && !this.plumbing) {
      const pivot = context.pivotFor(op);
      if (pivot !== undefined) this.addControlInput(op, pivot);
    }
    return op;
  }

  private unary(type: string, x: TensorLike, name?: string): Output {
    const t = this.toOutput(x);
    return this.addOp(type, [t], { name, attrs: { T: attr.type(t.dtype) }, outputs: [[t.dtype, t.shape]] })
      .outputs[0]!;
  }

  /** A broadcasting binary op; plain numbers become constants "<op>/x", "<op>/y" as in TF. */
  /** A broadcasting binary op of any type (the named methods below use it). */
  binary(type: string, x: TensorLike, y: TensorLike, name: string, outDtype?: DataType): Output {
    return this.opScope(name, (opName) => {
      const a = x instanceof Output || x instanceof Variable ? this.toOutput(x) : undefined;
      const b = this.toOutput(y, a?.dtype, "y");
      const a2 = a ?? this.toOutput(x, b.dtype, "x");
      return this.addOp(type, [a2, b], {
        name: opName,
        exact: true,
        attrs: { T: attr.type(a2.dtype) },
        outputs: [[outDtype ?? a2.dtype, broadcastShapes(a2.shape, b.shape)]],
      }).outputs[0]!;
    });
  }

  /**
   * A graph tensor for `x`: Outputs as they are, a Variable's value (a fresh ReadVariableOp for a
   * resource variable, as TF reads one per use), anything else as a Const of `dtype` (default float).
   */
  toOutput(x: TensorLike, dtype?: DataType, constName?: string): Output {
    if (x instanceof Output) return x;
    if (x instanceof Variable) {
      if (!x.resource) return x.snapshot;
      return this.addOp("ReadVariableOp", [x.handle], {
        attrs: { dtype: attr.type(x.dtype) },
        outputs: [[x.dtype, x.shape]],
      }).outputs[0]!;
    }
    return this.constant(x, {
      ...(dtype === undefined ? {} : { dtype }),
      ...(constName === undefined ? {} : { name: constName }),
    });
  }

  // --- sources ------------------------------------------------------------------------------

  /** tf.compat.v1.placeholder: `shape` with -1 for unknown sizes; omitted = unknown rank. */
  placeholder(name: string, dtype: DataType, shape?: readonly number[]): Output {
    return this.addOp("Placeholder", [], {
      name,
      attrs: { dtype: attr.type(dtype), shape: attr.shape(shape) },
      outputs: [[dtype, shape]],
    }).outputs[0]!;
  }

  /** tf.constant from a number, a (nested) array or a Tensor; dtype defaults to float. */
  constant(
    value: number | readonly unknown[] | Tensor,
    options: { dtype?: DataType; shape?: readonly number[]; name?: string } = {},
  ): Output {
    const t: Tensor =
      typeof value === "object" && !Array.isArray(value) && "values" in value && "dtype" in value
        ? (value as Tensor)
        : tensor(value, options.shape, options.dtype ?? DataType.DT_FLOAT);
    return this.addOp("Const", [], {
      name: options.name ?? "Const",
      attrs: { value: attr.tensor(t), dtype: attr.type(t.dtype) },
      outputs: [[t.dtype, t.shape]],
    }).outputs[0]!;
  }

  /** An int32 vector constant (shapes, axes). */
  constantInt32(values: readonly number[], name = "Const"): Output {
    return this.constant([...values], { dtype: DataType.DT_INT32, shape: [values.length], name });
  }

  /** A scalar constant of `like`'s dtype. */
  scalarLike(value: number, like: Output, name = "Const"): Output {
    return this.constant(value, { dtype: like.dtype, shape: [], name });
  }

  /**
   * A variable with an initial value (a constant, a Tensor, or any Output). Ref style (default):
   * VariableV2 `name`, `name/initial_value`, `name/Assign`, `name/read`, as tf.compat.v1.Variable.
   * Resource style (`resource: true`): VarHandleOp `name`, `name/Initializer/initial_value`,
   * `name/Assign` (AssignVariableOp), `name/Read/ReadVariableOp`, as a ResourceVariable.
   * Created outside any control dependencies in effect (TF's init_scope).
   */
  variable(
    name: string,
    initialValue: TensorLike,
    options: {
      resource?: boolean;
      trainable?: boolean;
      dtype?: DataType;
      /** Name of the initial-value Const under the variable (optimizer slots: "Initializer/zeros"). */
      initialValueName?: string;
    } = {},
  ): Variable {
    const resource = options.resource ?? false;
    const initPath = (
      options.initialValueName ?? (resource ? "Initializer/initial_value" : "initial_value")
    ).split("/");
    const makeInitial = (path: readonly string[]): Output =>
      path.length > 1
        ? this.nameScope(path[0]!, () => makeInitial(path.slice(1)))
        : this.toInitial(initialValue, options.dtype, path[0]!);
    const v = this.controlDependencies(null, () =>
      this.opScope(name, (base) => {
        const init = makeInitial(initPath);
        const { dtype, shape } = init;
        if (resource) {
          const handle = this.addOp("VarHandleOp", [], {
            name: base,
            exact: true,
            attrs: {
              dtype: attr.type(dtype),
              shape: attr.shape(shape),
              shared_name: attr.s(base),
              container: attr.s(""),
              debug_name: attr.s(base),
            },
            outputs: [[DataType.DT_RESOURCE, []]],
          }).outputs[0]!;
          this.nameScope("IsInitialized", () =>
            this.addOp("VarIsInitializedOp", [handle], { outputs: [[DataType.DT_BOOL, []]] }),
          );
          const assign = this.addOp("AssignVariableOp", [handle, init], {
            name: "Assign",
            attrs: { dtype: attr.type(dtype) },
            outputs: [],
          });
          const snapshot = this.nameScope("Read", () =>
            this.addOp("ReadVariableOp", [handle], {
              attrs: { dtype: attr.type(dtype) },
              outputs: [[dtype, shape]],
            }),
          ).outputs[0]!;
          return new Variable(this, handle, assign, true, snapshot);
        }
        const colocate = create(AttrValueSchema, {
          value: { case: "list", value: { s: [utf8.encode(`loc:@${base}`)] } },
        });
        const handle = this.addOp("VariableV2", [], {
          name: base,
          exact: true,
          attrs: {
            shape: attr.shape(shape),
            dtype: attr.type(dtype),
            container: attr.s(""),
            shared_name: attr.s(""),
          },
          outputs: [[dtype, shape]],
        }).outputs[0]!;
        const assign = this.addOp("Assign", [handle, init], {
          name: "Assign",
          attrs: {
            T: attr.type(dtype),
            validate_shape: attr.b(true),
            use_locking: attr.b(true),
            _class: colocate,
          },
          outputs: [[dtype, shape]],
        });
        const snapshot = this.addOp("Identity", [handle], {
          name: "read",
          attrs: { T: attr.type(dtype), _class: colocate },
          outputs: [[dtype, shape]],
        }).outputs[0]!;
        return new Variable(this, handle, assign, false, snapshot);
      }),
    );
    this.variables.push(v);
    if (options.trainable ?? true) this.trainable.push(v);
    return v;
  }

  private toInitial(x: TensorLike, dtype: DataType | undefined, name: string): Output {
    if (x instanceof Output || x instanceof Variable) return this.toOutput(x);
    return this.constant(x as number | readonly unknown[] | Tensor, {
      name,
      ...(dtype === undefined ? {} : { dtype }),
    });
  }

  /** A NoOp depending on every variable's initializer (tf.compat.v1.global_variables_initializer). */
  globalVariablesInitializer(name = "init"): Operation {
    return this.group(
      this.variables.map((v) => v.initializer),
      name,
    );
  }

  /** A NoOp that runs after all of `deps` (tf.group). */
  group(deps: readonly (Operation | Output)[], name = "group_deps", exact = false): Operation {
    return this.controlDependencies(deps, () => this.addOp("NoOp", [], { name, exact, outputs: [] }));
  }

  noOp(name = "NoOp"): Operation {
    return this.addOp("NoOp", [], { name, outputs: [] });
  }

  // --- math ---------------------------------------------------------------------------------

  /** tf.linalg.matmul (2-D). */
  matmul(
    a: TensorLike,
    b: TensorLike,
    options: { transposeA?: boolean; transposeB?: boolean; name?: string } = {},
  ): Output {
    // Inside the op's name scope, as TF's wrapper: a resource variable reads as "MatMul/ReadVariableOp".
    return this.opScope(options.name ?? "MatMul", (opName) => {
      const x = this.toOutput(a);
      const y = this.toOutput(b, x.dtype);
      const ta = options.transposeA ?? false;
      const tb = options.transposeB ?? false;
      const rows = x.shape === undefined ? -1 : (x.shape[ta ? 1 : 0] ?? -1);
      const cols = y.shape === undefined ? -1 : (y.shape[tb ? 0 : 1] ?? -1);
      return this.addOp("MatMul", [x, y], {
        name: opName,
        exact: true,
        attrs: { transpose_a: attr.b(ta), transpose_b: attr.b(tb), T: attr.type(x.dtype) },
        outputs: [[x.dtype, [rows, cols]]],
      }).outputs[0]!;
    });
  }

  /** x + y, broadcasting (Python's `+`: AddV2 named "add"). */
  add(x: TensorLike, y: TensorLike, name = "add"): Output {
    return this.binary("AddV2", x, y, name);
  }
  sub(x: TensorLike, y: TensorLike, name = "sub"): Output {
    return this.binary("Sub", x, y, name);
  }
  mul(x: TensorLike, y: TensorLike, name = "mul"): Output {
    return this.binary("Mul", x, y, name);
  }
  /** x / y on floats (Python's `/`: RealDiv named "truediv"). */
  div(x: TensorLike, y: TensorLike, name = "truediv"): Output {
    return this.binary("RealDiv", x, y, name);
  }
  maximum(x: TensorLike, y: TensorLike, name = "Maximum"): Output {
    return this.binary("Maximum", x, y, name);
  }
  /** Integer division rounding down (Python's `//`: FloorDiv named "floordiv"). */
  floorDiv(x: TensorLike, y: TensorLike, name = "floordiv"): Output {
    return this.binary("FloorDiv", x, y, name);
  }
  greater(x: TensorLike, y: TensorLike, name = "Greater"): Output {
    return this.binary("Greater", x, y, name, DataType.DT_BOOL);
  }
  /** tf.compat.v1.where(cond, t, e) with operands of equal shapes (Select). */
  select(cond: Output, t: TensorLike, e: TensorLike, name?: string): Output {
    const a = this.toOutput(t);
    const b = this.toOutput(e, a.dtype);
    return this.addOp("Select", [cond, a, b], {
      name,
      attrs: { T: attr.type(a.dtype) },
      outputs: [[a.dtype, a.shape]],
    }).outputs[0]!;
  }
  neg(x: TensorLike, name?: string): Output {
    return this.unary("Neg", x, name);
  }
  square(x: TensorLike, name?: string): Output {
    return this.unary("Square", x, name);
  }
  relu(x: TensorLike, name?: string): Output {
    return this.unary("Relu", x, name);
  }
  sigmoid(x: TensorLike, name?: string): Output {
    return this.unary("Sigmoid", x, name);
  }
  tanh(x: TensorLike, name?: string): Output {
    return this.unary("Tanh", x, name);
  }
  /** Softmax over the last axis. */
  softmax(x: TensorLike, name?: string): Output {
    return this.unary("Softmax", x, name);
  }
  log(x: TensorLike, name?: string): Output {
    return this.unary("Log", x, name);
  }
  exp(x: TensorLike, name?: string): Output {
    return this.unary("Exp", x, name);
  }
  reciprocal(x: TensorLike, name?: string): Output {
    return this.unary("Reciprocal", x, name);
  }
  identity(x: TensorLike, name?: string): Output {
    return this.unary("Identity", x, name);
  }
  zerosLike(x: TensorLike, name?: string): Output {
    return this.unary("ZerosLike", x, name);
  }

  /** tf.reduce_sum; `axes` omitted = all axes (negative axes count from the end). */
  sum(x: TensorLike, axes?: readonly number[], keepDims = false, name = "Sum"): Output {
    return this.reduce("Sum", x, axes, keepDims, name);
  }
  /** tf.reduce_mean; `axes` omitted = all axes. */
  mean(x: TensorLike, axes?: readonly number[], keepDims = false, name = "Mean"): Output {
    return this.reduce("Mean", x, axes, keepDims, name);
  }
  prod(x: TensorLike, axes?: readonly number[], keepDims = false, name = "Prod"): Output {
    return this.reduce("Prod", x, axes, keepDims, name);
  }

  private reduce(
    type: string,
    x: TensorLike,
    axes: readonly number[] | undefined,
    keepDims: boolean,
    name: string,
  ): Output {
    const t = this.toOutput(x);
    const rank = t.shape?.length;
    if (axes === undefined && rank === undefined) {
      throw new Error(`${type} over all axes of a tensor of unknown rank is not supported by this builder`);
    }
    const ax = axes ?? [...Array(rank).keys()];
    // TF: all axes → a "Const" made before the op; explicit axes → "<op>/reduction_indices".
    const allAxes = axes === undefined ? this.constantInt32(ax) : undefined;
    const norm = ax.map((a) => (a < 0 && rank !== undefined ? a + rank : a));
    const shape =
      t.shape === undefined
        ? undefined
        : keepDims
          ? t.shape.map((d, i) => (norm.includes(i) ? 1 : d))
          : t.shape.filter((_, i) => !norm.includes(i));
    return this.opScope(name, (opName) => {
      const indices = allAxes ?? this.constantInt32(ax, "reduction_indices");
      return this.addOp(type, [t, indices], {
        name: opName,
        exact: true,
        attrs: { keep_dims: attr.b(keepDims), T: attr.type(t.dtype), Tidx: attr.type(DataType.DT_INT32) },
        outputs: [[t.dtype, shape]],
      }).outputs[0]!;
    });
  }

  /** tf.shape (int32). */
  shapeOf(x: TensorLike, name = "Shape"): Output {
    const t = this.toOutput(x);
    return this.addOp("Shape", [t], {
      name,
      attrs: { T: attr.type(t.dtype), out_type: attr.type(DataType.DT_INT32) },
      outputs: [[DataType.DT_INT32, [t.shape?.length ?? -1]]],
    }).outputs[0]!;
  }

  /**
   * tf.reshape to a constant shape ("Reshape/shape", -1 allowed) or to a shape tensor; `staticShape`
   * is what is known of the result when the shape is a tensor.
   */
  reshape(x: TensorLike, shape: readonly number[] | Output, name = "Reshape", staticShape?: Shape): Output {
    const t = this.toOutput(x);
    return this.opScope(name, (opName) => {
      const s = shape instanceof Output ? shape : this.constantInt32(shape, "shape");
      return this.addOp("Reshape", [t, s], {
        name: opName,
        exact: true,
        attrs: { T: attr.type(t.dtype), Tshape: attr.type(DataType.DT_INT32) },
        outputs: [[t.dtype, shape instanceof Output ? staticShape : inferReshape(t.shape, shape)]],
      }).outputs[0]!;
    });
  }

  /** tf.tile by a multiples tensor. */
  tile(x: TensorLike, multiples: Output, name = "Tile", staticShape?: Shape): Output {
    const t = this.toOutput(x);
    return this.addOp("Tile", [t, multiples], {
      name,
      attrs: { T: attr.type(t.dtype), Tmultiples: attr.type(DataType.DT_INT32) },
      outputs: [[t.dtype, staticShape ?? t.shape?.map(() => -1)]],
    }).outputs[0]!;
  }

  /** tf.fill(dims, value); `exact`: `name` is already unique and scoped (from `opScope`). */
  fill(dims: Output, value: Output, name = "Fill", staticShape?: Shape, exact = false): Output {
    return this.addOp("Fill", [dims, value], {
      name,
      exact,
      attrs: { T: attr.type(value.dtype), index_type: attr.type(DataType.DT_INT32) },
      outputs: [[value.dtype, staticShape]],
    }).outputs[0]!;
  }

  cast(x: TensorLike, dtype: DataType, name = "Cast"): Output {
    const t = this.toOutput(x);
    return this.addOp("Cast", [t], {
      name,
      attrs: { SrcT: attr.type(t.dtype), DstT: attr.type(dtype), Truncate: attr.b(false) },
      outputs: [[dtype, t.shape]],
    }).outputs[0]!;
  }

  addN(xs: readonly Output[], name = "AddN"): Output {
    const first = xs[0]!;
    return this.addOp("AddN", xs, {
      name,
      attrs: { N: attr.i(xs.length), T: attr.type(first.dtype) },
      outputs: [[first.dtype, first.shape]],
    }).outputs[0]!;
  }

  /** Sum over axes given as a tensor (keep_dims false): what broadcasting gradients reduce with. */
  sumOver(x: Output, axes: Output, name = "Sum", keepDims = false): Output {
    return this.addOp("Sum", [x, axes], {
      name,
      attrs: { keep_dims: attr.b(keepDims), T: attr.type(x.dtype), Tidx: attr.type(DataType.DT_INT32) },
      outputs: [[x.dtype, undefined]],
    }).outputs[0]!;
  }

  // --- control flow (TF1 form; control-flow.ts) ---------------------------------------------

  /**
   * tf.compat.v1.cond as TF builds it with control flow v1: `cond/Switch` of the predicate,
   * `cond/switch_t`, `cond/switch_f`, `cond/pred_id`, each branch built in its own context (a
   * Switch per tensor it captures, `^cond/switch_t`/`^cond/switch_f` on its constants), and one
   * `cond/Merge` per output. Only the taken branch runs; the other's nodes are dead.
   */
  cond(pred: Output, trueFn: () => Output, falseFn: () => Output, name?: string): Output;
  cond(
    pred: Output,
    trueFn: () => readonly Output[],
    falseFn: () => readonly Output[],
    name?: string,
  ): Output[];
  cond(pred: Output, trueFn: CondBranch, falseFn: CondBranch, name = "cond"): Output | Output[] {
    return buildCond(this, pred, trueFn, falseFn, name);
  }

  /**
   * tf.compat.v1.while_loop as TF builds it with control flow v1: per loop variable `while/Enter`
   * (frame "while/while_context", parallel_iterations 10), `while/Merge`, `while/Switch`,
   * `while/Identity`, `while/NextIteration` and `while/Exit`, with `while/LoopCond` on the
   * predicate; captured tensors enter as constants ("while/Less/Enter", is_constant). Returns the
   * Exit outputs, one per loop variable.
   */
  whileLoop(
    cond: LoopCondFn,
    body: LoopBodyFn,
    loopVars: readonly TensorLike[],
    options: WhileLoopOptions = {},
  ): Output[] {
    return buildWhileLoop(this, cond, body, loopVars, options);
  }

  // --- gradients ----------------------------------------------------------------------------

  /**
   * Symbolic gradients of sum(ys) with respect to xs (tf.compat.v1.gradients). Returns one entry per
   * x; `undefined` where ys do not depend on x. Variables are differentiated through their handle.
   */
  gradients(
    ys: Output | readonly Output[],
    xs: readonly (Output | Variable)[],
    options: GradientsOptions = {},
  ): (Output | undefined)[] {
    const yList = ys instanceof Output ? [ys] : [...ys];
    const xList = xs.map((x) => (x instanceof Variable ? x.handle : x));
    return this.nameScope(options.name ?? "gradients", () => gradientsHelper(this, yList, xList, options));
  }
}

/** Control inputs as GraphDef writes them: "^name", sorted by name (TF's Graph::ToGraphDef). */
function sortedControls(controls: Iterable<Operation>): string[] {
  return [...new Set(controls)].map((c) => `^${c.name}`).sort();
}

function inferReshape(input: Shape, shape: readonly number[]): Shape {
  const unknown = shape.indexOf(-1);
  if (unknown < 0 || !fullyDefined(input)) return shape;
  const known = shape.reduce((a, d) => (d >= 0 ? a * d : a), 1);
  return shape.map((d) => (d === -1 ? numElements(input) / Math.max(known, 1) : d));
}

// --- gradient functions (TF's math_grad.py, nn_grad.py, array_grad.py) -------------------------

type Grads = readonly (Output | undefined)[];
type GradFn = (g: GraphBuilder, op: Operation, grads: Grads) => (Output | undefined)[];

/** The upstream gradient of output 0. */
const grad0 = (grads: Grads): Output => grads[0]!;

/** TF's _ShapesFullySpecifiedAndEqual: the fast path of Add/Sub/Mul gradients. */
function sameKnownShapes(...ts: readonly Output[]): boolean {
  const first = ts[0]!.shape;
  return ts.every((t) => fullyDefined(t.shape) && t.shape.join() === first?.join());
}

/**
 * TF's _InferGradientReductionAxes: the axes each side was broadcast along, when the static shapes
 * tell; undefined when broadcasting is decided at run time (unknown rank or sizes).
 */
function inferReductionAxes(xs: Shape, ys: Shape): [number[], number[]] | undefined {
  if (xs === undefined || ys === undefined) return undefined;
  const rank = Math.max(xs.length, ys.length);
  const xAxes: number[] = [];
  const yAxes: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const xd = axis < rank - xs.length ? 1 : xs[axis - (rank - xs.length)]!;
    const yd = axis < rank - ys.length ? 1 : ys[axis - (rank - ys.length)]!;
    if (xd === 1 && yd !== 1) xAxes.push(axis);
    else if (yd === 1 && xd !== 1) yAxes.push(axis);
    else if (xd < 0 || yd < 0) return undefined;
  }
  return [xAxes, yAxes];
}

/**
 * TF's _ReduceGradientArgs (SmartBroadcastGradientArgs): each side's gradient is summed (keepdims)
 * over the axes it was broadcast along and reshaped back to its shape. The shapes are Consts when
 * fully known, else Shape ops ("Shape", "Shape_1"); the axes are constant lists when the static
 * shapes decide them, else BroadcastGradientArgs; a side that was not broadcast is left as it is.
 */
function unbroadcast(g: GraphBuilder, op: Operation, gx: Output, gy: Output): Output[] {
  const [x, y] = op.inputs as [Output, Output];
  const shapeOf = (t: Output) => (fullyDefined(t.shape) ? g.constantInt32(t.shape, "Shape") : g.shapeOf(t));
  const sx = shapeOf(x);
  const sy = shapeOf(y);
  const axes = inferReductionAxes(x.shape, y.shape);
  const reduce = (grad: Output, shape: Output, staticShape: Shape, r: number[] | Output, must: boolean) => {
    if (!must) return grad;
    const summed = Array.isArray(r) ? g.sum(grad, r, true) : g.sumOver(grad, r, "Sum", true);
    return g.reshape(summed, shape, "Reshape", staticShape);
  };
  if (axes === undefined) {
    const [rx, ry] = g.addOp("BroadcastGradientArgs", [sx, sy], {
      attrs: { T: attr.type(DataType.DT_INT32) },
      outputs: [
        [DataType.DT_INT32, [-1]],
        [DataType.DT_INT32, [-1]],
      ],
    }).outputs as [Output, Output];
    return [reduce(gx, sx, x.shape, rx, true), reduce(gy, sy, y.shape, ry, true)];
  }
  const [rx, ry] = axes;
  const xRank = x.shape!.length;
  const yRank = y.shape!.length;
  return [
    reduce(gx, sx, x.shape, rx, rx.length > 0 || xRank < yRank),
    reduce(gy, sy, y.shape, ry, ry.length > 0 || yRank < xRank),
  ];
}

/** The int32 values of a Const output, or undefined when it is not a Const. */
function constInt32s(t: Output): number[] | undefined {
  if (t.op.type !== "Const") return undefined;
  const v = t.op.attr("value");
  if (v?.case !== "tensor") return undefined;
  const p = v.value;
  if (p.tensorContent.length > 0) {
    const c = p.tensorContent;
    // A copy: tensor_content need not be 4-byte aligned.
    return [...new Int32Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength))];
  }
  return [...p.intVal];
}

/**
 * TF's _SumGrad. With the input's shape and the axes known statically: reshape the gradient to the
 * kept-dims shape and tile it back (Reshape, Tile). Otherwise the kept-dims shape is computed in the
 * graph with math_ops.reduced_shape (Size, add, mod, Shape_1, range, ones, DynamicStitch) and the
 * gradient broadcast back with BroadcastTo, op for op as TensorFlow 2.21 does.
 */
function sumGrad(g: GraphBuilder, op: Operation, grad: Output): Output {
  const [x, axesT] = op.inputs as [Output, Output];
  const xs = x.shape;
  const axes = constInt32s(axesT);
  if (xs !== undefined && axes !== undefined) {
    const rank = xs.length;
    const norm = axes.map((a) => (a < 0 ? a + rank : a));
    if (axes.length === rank && axes.every((a, i) => a === i)) {
      // Reduce all: Reshape(grad, [1]*rank), Tile by the input shape (a Const when fully known).
      const r = g.reshape(grad, new Array(rank).fill(1));
      const inputShape = allKnown(xs) ? g.constantInt32(xs) : g.shapeOf(x);
      return g.tile(r, inputShape, "Tile", xs);
    }
    if (allKnown(xs)) {
      const kept = xs.map((d, i) => (norm.includes(i) ? 1 : d));
      const scaling = xs.map((d, i) => (norm.includes(i) ? d : 1));
      const r = g.reshape(grad, g.constantInt32(kept), "Reshape", kept);
      return g.tile(r, g.constantInt32(scaling), "Tile", xs);
    }
  }
  const inputShape = g.shapeOf(x);
  let reshaped = grad;
  if (op.attr("keep_dims")?.value !== true) {
    const kept = reducedShape(g, inputShape, axesT);
    const keptStatic =
      xs === undefined || axes === undefined
        ? undefined
        : xs.map((d, i) => (axes.some((a) => (a < 0 ? a + xs.length : a) === i) ? 1 : d));
    reshaped = g.reshape(grad, kept, "Reshape", keptStatic);
  }
  return g.addOp("BroadcastTo", [reshaped, inputShape], {
    name: "BroadcastTo",
    attrs: { T: attr.type(grad.dtype), Tidx: attr.type(DataType.DT_INT32) },
    outputs: [[grad.dtype, xs]],
  }).outputs[0]!;
}

/** The input's rank as math_ops' array_ops.size(shape): a Const when the rank is known, else Size. */
function rankOf(g: GraphBuilder, shape: Output, name: string): Output {
  const rank = shape.shape?.[0];
  if (rank !== undefined && rank >= 0) return g.constant(rank, { dtype: DataType.DT_INT32, shape: [], name });
  return g.addOp("Size", [shape], {
    name,
    attrs: { T: attr.type(DataType.DT_INT32), out_type: attr.type(DataType.DT_INT32) },
    outputs: [[DataType.DT_INT32, []]],
  }).outputs[0]!;
}

/** (axes + rank) % rank: the axes made non-negative (TF's math_ops code for reduced shapes). */
function normalizedAxes(g: GraphBuilder, shape: Output, axes: Output, sizeName: string): Output {
  const rank = rankOf(g, shape, sizeName);
  return g.binary("FloorMod", g.add(axes, rank), rank, "mod");
}

/** TF's math_ops.reduced_shape: the shape `shape` reduced along `axes` with keepdims, in the graph. */
function reducedShape(g: GraphBuilder, shape: Output, axes: Output): Output {
  const rank = rankOf(g, shape, "Size");
  const norm = g.binary("FloorMod", g.add(axes, rank), rank, "mod");
  const axesShape = g.constantInt32([axes.shape?.[0] ?? 1], "Shape");
  const range = g.opScope("range", (opName) => {
    const start = g.constant(0, { dtype: DataType.DT_INT32, shape: [], name: "start" });
    const delta = g.constant(1, { dtype: DataType.DT_INT32, shape: [], name: "delta" });
    return g.addOp("Range", [start, rank, delta], {
      name: opName,
      exact: true,
      attrs: { Tidx: attr.type(DataType.DT_INT32) },
      outputs: [[DataType.DT_INT32, [shape.shape?.[0] ?? -1]]],
    }).outputs[0]!;
  });
  const ones = g.opScope("ones", (opName) =>
    g.fill(
      axesShape,
      g.constant(1, { dtype: DataType.DT_INT32, shape: [], name: "Const" }),
      opName,
      [axes.shape?.[0] ?? -1],
      true,
    ),
  );
  return g.addOp("DynamicStitch", [range, norm, shape, ones], {
    name: "DynamicStitch",
    attrs: { N: attr.i(2), T: attr.type(DataType.DT_INT32) },
    outputs: [[DataType.DT_INT32, [shape.shape?.[0] ?? -1]]],
  }).outputs[0]!;
}

/** SigmoidGrad/TanhGrad(y, grad), made under control_dependencies([grad]) as TF does. */
function cwiseGrad(g: GraphBuilder, type: string, y: Output, grad: Output): Output {
  return g.controlDependencies([grad], () =>
    g.addOp(type, [y, grad], { attrs: { T: attr.type(y.dtype) }, outputs: [[y.dtype, y.shape]] }),
  ).outputs[0]!;
}

const gradFns: Record<string, GradFn> = {
  // TF1 control flow (control_flow_grad.py): cond's Switch and Merge, the while loop's frame.
  Switch: switchGrad,
  Merge: mergeGrad,
  Enter: enterGrad,
  Exit: exitGrad,
  NextIteration: (_g, _op, grads) => [grad0(grads)],
  LoopCond: () => [undefined],
  Identity: (_g, _op, grads) => [grad0(grads)],
  // A resource variable's read: the gradient flows to the handle (TF's _ReadGrad).
  ReadVariableOp: (_g, _op, grads) => [grad0(grads)],
  Neg: (g, _op, grads) => [g.neg(grad0(grads))],
  // TF's _AddGrad and _SubGrad.
  AddV2: (g, op, grads) => {
    const grad = grad0(grads);
    if (sameKnownShapes(op.inputs[0]!, op.inputs[1]!, grad)) return [grad, grad];
    return unbroadcast(g, op, grad, grad);
  },
  Add: (g, op, grads) => gradFns.AddV2!(g, op, grads),
  Sub: (g, op, grads) => {
    const grad = grad0(grads);
    if (sameKnownShapes(op.inputs[0]!, op.inputs[1]!, grad)) return [grad, g.neg(grad)];
    return unbroadcast(g, op, grad, g.neg(grad));
  },
  Mul: (g, op, grads) => {
    const [x, y] = op.inputs as [Output, Output];
    const grad = grad0(grads);
    // TF's _MulGrad fast path: equal, fully known shapes in float32/int32 → grad·y, grad·x.
    if (
      sameKnownShapes(x, y, grad) &&
      (grad.dtype === DataType.DT_FLOAT || grad.dtype === DataType.DT_INT32)
    ) {
      return [g.mul(grad, y, "Mul"), g.mul(grad, x, "Mul")];
    }
    return unbroadcast(g, op, g.mul(grad, y, "Mul"), g.mul(x, grad, "Mul"));
  },
  // TF's _RealDivGrad: gx = grad / y; gy = grad * ((-x / y) / y).
  RealDiv: (g, op, grads) => {
    const [x, y] = op.inputs as [Output, Output];
    const grad = grad0(grads);
    const realDiv = (a: Output, b: Output) => g.binary("RealDiv", a, b, "RealDiv");
    const gx = realDiv(grad, y);
    const gy = g.mul(grad, realDiv(realDiv(g.neg(x), y), y));
    return unbroadcast(g, op, gx, gy);
  },
  // TF's _MatMulGrad, per combination of the transpose attributes.
  MatMul: (g, op, grads) => {
    const [a, b] = op.inputs as [Output, Output];
    const grad = grad0(grads);
    const ta = op.attr("transpose_a")?.value === true;
    const tb = op.attr("transpose_b")?.value === true;
    if (!ta && !tb) {
      return [g.matmul(grad, b, { transposeB: true }), g.matmul(a, grad, { transposeA: true })];
    }
    if (!ta && tb) return [g.matmul(grad, b), g.matmul(grad, a, { transposeA: true })];
    if (ta && !tb) return [g.matmul(b, grad, { transposeB: true }), g.matmul(a, grad)];
    return [
      g.matmul(b, grad, { transposeA: true, transposeB: true }),
      g.matmul(grad, a, { transposeA: true, transposeB: true }),
    ];
  },
  // TF's _SquareGrad: with control_dependencies([grad]): grad * (x * 2).
  Square: (g, op, grads) => {
    const grad = grad0(grads);
    const x2 = g.controlDependencies([grad], () => g.mul(op.inputs[0]!, g.scalarLike(2, grad), "Mul"));
    return [g.mul(grad, x2, "Mul")];
  },
  // TF's _LogGrad: with control_dependencies([grad]): grad * reciprocal(x).
  Log: (g, op, grads) => {
    const grad = grad0(grads);
    return [
      g.mul(
        grad,
        g.controlDependencies([grad], () => g.reciprocal(op.inputs[0]!)),
      ),
    ];
  },
  // TF's _ExpGrad: grad * y.
  Exp: (g, op, grads) => [g.mul(grad0(grads), op.outputs[0]!)],
  // TF's _SigmoidGrad: with control_dependencies([grad]): SigmoidGrad(y, grad).
  Sigmoid: (g, op, grads) => [cwiseGrad(g, "SigmoidGrad", op.outputs[0]!, grad0(grads))],
  // TF's _TanhGrad: with control_dependencies([grad]): TanhGrad(y, grad).
  Tanh: (g, op, grads) => [cwiseGrad(g, "TanhGrad", op.outputs[0]!, grad0(grads))],
  // TF's _ReluGrad: ReluGrad(grad, y).
  Relu: (g, op, grads) => {
    const grad = grad0(grads);
    return [
      g.addOp("ReluGrad", [grad, op.outputs[0]!], {
        attrs: { T: attr.type(grad.dtype) },
        outputs: [[grad.dtype, grad.shape]],
      }).outputs[0]!,
    ];
  },
  // TF's _SoftmaxGrad: (grad - sum(grad * softmax, -1, keepdims)) * softmax.
  Softmax: (g, op, grads) => {
    const s = op.outputs[0]!;
    const grad = grad0(grads);
    const sumChannels = g.sum(g.mul(grad, s), [-1], true);
    return [g.mul(g.sub(grad, sumChannels), s)];
  },
  Sum: (g, op, grads) => [sumGrad(g, op, grad0(grads)), undefined],
  // TF's _MeanGrad: the Sum gradient divided by how many elements each output element averaged.
  Mean: (g, op, grads) => {
    const sumG = sumGrad(g, op, grad0(grads));
    const x = op.inputs[0]!;
    const y = op.outputs[0]!;
    let factor: Output;
    if (fullyDefined(x.shape) && fullyDefined(y.shape)) {
      factor = g.scalarLike(numElements(x.shape) / Math.max(numElements(y.shape), 1), sumG);
    } else {
      // TF 2.21: reduce_prod(gather(shape(x), (axes + rank) % rank)), cast to the gradient's type.
      const inputShape = g.shapeOf(x);
      const axes = normalizedAxes(g, inputShape, op.inputs[1]!, "Size");
      const sizes = g.opScope("GatherV2", (opName) => {
        const axis = g.constant(0, { dtype: DataType.DT_INT32, shape: [], name: "axis" });
        return g.addOp("GatherV2", [inputShape, axes, axis], {
          name: opName,
          exact: true,
          attrs: {
            batch_dims: attr.i(0),
            Tparams: attr.type(DataType.DT_INT32),
            Tindices: attr.type(DataType.DT_INT32),
            Taxis: attr.type(DataType.DT_INT32),
          },
          outputs: [[DataType.DT_INT32, axes.shape]],
        }).outputs[0]!;
      });
      factor = g.cast(g.prod(sizes), sumG.dtype);
    }
    return [g.div(sumG, factor), undefined];
  },
};

/** The ops `gradients` can differentiate through. */
export const differentiableOps: readonly string[] = Object.keys(gradFns).sort();

/**
 * TF's _GradientsHelper. Through TF1 while loops as TF builds it (control_flow_state.py): ops of a
 * forward loop get their gradients in the loop's gradient loop, a loop Switch is visited once per
 * gradient it receives, and a loop's exits are processed together once all are ready.
 */
function gradientsHelper(
  g: GraphBuilder,
  ys: readonly Output[],
  xs: readonly Output[],
  options: GradientsOptions,
): (Output | undefined)[] {
  // TF's _PendingCount: the ops reached from xs through trainable (float, resource) tensors, then,
  // walking back from ys through reached ops only, the ops "between" xs and ys: the only ones
  // gradients flow through (a bool predicate computed from x is not one of them).
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

  const grads = new Map<Output, Output[]>();
  const addGrad = (t: Output, grad: Output) => {
    const list = grads.get(t) ?? [];
    list.push(grad);
    grads.set(t, list);
  };
  ys.forEach((y, i) => {
    const given = options.gradYs?.[i];
    if (given !== undefined) {
      addGrad(y, given);
      return;
    }
    // TF's _DefaultGradYs: ones(shape(y), name="grad_ys_i"); the shape is a Const when known.
    const shape = fullyDefined(y.shape) ? g.constantInt32(y.shape, "Shape") : g.shapeOf(y);
    const ones = g.opScope(`grad_ys_${i}`, (opName) =>
      g.fill(shape, g.scalarLike(1, y, "Const"), opName, y.shape, true),
    );
    addGrad(y, ones);
  });

  // Made after grad_ys, as TF: the forward and backward loop counters of every loop between.
  const loopState = ControlFlowState.create(g, betweenList, between);

  // How many gradient contributions each op waits for (one per consuming input edge between).
  const pending = new Map<Operation, number>();
  for (const op of betweenList) {
    for (const i of op.inputs) if (between.has(i.op)) pending.set(i.op, (pending.get(i.op) ?? 0) + 1);
  }

  // TF's _AggregatedGrads (ADD_N): several contributions are summed with one AddN.
  const aggregate = (t: Output): Output | undefined => {
    const list = grads.get(t);
    if (list === undefined || list.length === 0) return undefined;
    if (list.length === 1) return list[0];
    const sum = g.addN(list);
    grads.set(t, [sum]);
    return sum;
  };

  const queue = [...new Set(ys.map((y) => y.op))].filter(
    (op) => (pending.get(op) ?? 0) === 0 && reached.has(op),
  );
  const toOps = new Set(queue);
  if (loopState !== undefined) {
    for (const y of loopState.processUnusedLoopExits(pending, toOps)) {
      if (isTrainable(y.dtype)) {
        addGrad(y, loopState.zerosLikeForExit(y));
        queue.push(y.op);
      }
    }
  }
  // TF's _StopOps: an x whose inputs wait for no gradient is not differentiated further.
  const stopOps = new Set(
    xs.map((x) => x.op).filter((op) => op.inputs.every((i) => (pending.get(i.op) ?? 0) <= 0)),
  );
  const outer = g.controlFlowContext;
  const hasGrads = (op: Operation) => op.outputs.some((o) => (grads.get(o)?.length ?? 0) > 0);

  while (queue.length > 0) {
    const op = queue.shift()!;
    const outGrads = g.inControlFlowContext(loopState?.gradContextFor(op, true, outer) ?? outer, () =>
      op.outputs.map((o) => aggregate(o)),
    );
    const differentiate = !stopOps.has(op) && outGrads.some((o) => o);
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
        if (ig !== undefined) addGrad(input, ig);
      });
    });
    // TF's _UpdatePendingAndEnqueueReady: a loop Switch is ready at each gradient it receives;
    // a loop's exits wait for each other.
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
        if (hasGrads(y.op)) {
          anyGrad = true;
          queue.push(y.op);
        } else {
          state.unusedExits.push(y);
        }
      }
      for (const y of state.unusedExits) {
        // With a real gradient at some exit, the others backprop zeros (when trainable).
        if (anyGrad && isTrainable(y.dtype)) addGrad(y, loopState.zerosLikeForExit(y));
        queue.push(y.op);
      }
    }
  }
  return xs.map((x) => aggregate(x));
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

/** tf.compat.v1.train.GradientDescentOptimizer. */
export class GradientDescent {
  constructor(
    readonly learningRate: number,
    readonly name = "GradientDescent",
  ) {}

  /**
   * compute_gradients + apply_gradients: gradients of `loss` (gated per op, TF's GATE_OP) with
   * respect to `varList` (default: the graph's trainable variables), one ApplyGradientDescent (ref)
   * or ResourceApplyGradientDescent (resource) per variable, grouped into a NoOp named after the
   * optimizer: the train op to run as a target.
   */
  minimize(loss: Output, options: { varList?: readonly Variable[] } = {}): Operation {
    const g = loss.graph;
    const pairs = computeGradients(loss, options.varList);
    return g.opScope(this.name, (opName) => {
      const lr = g.scalarLike(this.learningRate, loss, "learning_rate");
      const updates = pairs.map(([v, grad]) =>
        g.nameScope(`update_${v.name}`, () =>
          v.resource
            ? g.addOp("ResourceApplyGradientDescent", [v.handle, lr, grad], {
                attrs: { T: attr.type(v.dtype), use_locking: attr.b(false) },
                outputs: [],
              })
            : g.addOp("ApplyGradientDescent", [v.handle, lr, grad], {
                attrs: { T: attr.type(v.dtype), use_locking: attr.b(false) },
                outputs: [[v.dtype, v.shape]],
              }),
        ),
      );
      return g.group(updates, opName, true);
    });
  }
}

/**
 * An optimizer's compute_gradients: (variable, gradient) pairs of `loss` (gated per op, TF's
 * GATE_OP) for `varList` (default: the graph's trainable variables), leaving out variables the
 * loss does not depend on; throws TF's error when none has a gradient.
 */
export function computeGradients(
  loss: Output,
  varList?: readonly Variable[],
): (readonly [Variable, Output])[] {
  const vars = varList ?? loss.graph.trainableVariables();
  const grads = loss.graph.gradients(loss, vars, { gateGradients: true });
  const pairs = vars
    .map((v, i) => [v, grads[i]] as const)
    .filter((p): p is readonly [Variable, Output] => p[1] !== undefined);
  if (pairs.length === 0) {
    throw new Error(`No gradients provided for any variable: ${vars.map((v) => v.name).join(", ")}`);
  }
  return pairs;
}
