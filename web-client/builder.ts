// A small TF1-style graph builder: placeholders, constants, variables (ref and resource), the common
// math/NN ops, name scopes, device scopes and control dependencies, producing a plain GraphDef that
// any MasterService (tfgate or TensorFlow) runs. The builder's objects (Output, Operation,
// Variable) are in graph-types.ts, AttrValue constructors in attrs.ts; `gradients` walks the graph
// back in gradients.ts with the gradient functions of gradient-table.ts; TF1 cond/while_loop are
// built by control-flow.ts; GradientDescent and Adam are in optimizers.ts. Browser-safe: never
// imports server code.
//
// test/graph-builder-control-flow.test.ts compares the built graphs node for node with what
// TensorFlow 2.21 emits for the same programs (test/tf/export_builder_reference.py).

import { create } from "@bufbuild/protobuf";
import { type AttrValue, AttrValueSchema } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { type GraphDef, GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import { NodeDefSchema } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { DataType } from "../gen/tensorflow/core/framework/types_pb.js";
import { attr } from "./attrs.js";
import {
  buildCond,
  buildWhileLoop,
  type CondBranch,
  type LoopBodyFn,
  type LoopCondFn,
  type WhileLoopOptions,
} from "./control-flow.js";
import { gradientsHelper } from "./gradients.js";
import {
  type ControlFlowContext,
  type GradientsOptions,
  Operation,
  Output,
  type Shape,
  type TensorLike,
  Variable,
} from "./graph-types.js";
import { broadcastShapes, inferReshape } from "./shapes.js";
import { type Tensor, tensor } from "./tensor.js";

/** TF_GRAPH_DEF_VERSION of TensorFlow 2.21, the producer version written into built GraphDefs. */
export const GRAPH_DEF_PRODUCER = 2474;

interface OpSpec {
  readonly name?: string | undefined;
  /** `name` is already unique and scoped (made by `opScope`): use it verbatim. */
  readonly exact?: boolean;
  readonly attrs?: Record<string, AttrValue>;
  /** dtype and static shape of each output. */
  readonly outputs: readonly (readonly [DataType, Shape])[];
}

const utf8 = new TextEncoder();

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
