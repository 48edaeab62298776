// A small TF1-style graph builder: placeholders, constants, variables (ref and resource), the common
// math/NN ops, name scopes, device scopes and control dependencies, producing a plain GraphDef that
// any MasterService (tfgate or TensorFlow) runs. Symbolic gradients (`gradients`, TF's
// gradients_util._GradientsHelper) emit the ops TensorFlow's own gradient functions emit, with the
// same names ("gradients/MatMul_grad/MatMul_1", …), and `GradientDescent` builds train ops as
// tf.compat.v1.train.GradientDescentOptimizer does. Browser-safe: never imports server code.
//
// Where TensorFlow's gradient uses an op tfgate does not register yet, the same value is computed
// from registered ops and the function says so (e.g. Relu's grad: TF emits ReluGrad).

import { create } from "@bufbuild/protobuf";
import { type AttrValue, AttrValueSchema } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { type GraphDef, GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import { type NodeDef, NodeDefSchema } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { TensorShapeProtoSchema } from "../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { DataType } from "../gen/tensorflow/core/framework/types_pb.js";
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

/** A node of the graph, as tf.Operation. `outputs` is filled by the builder. */
export class Operation {
  readonly outputs: Output[] = [];
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
  private controlDeps: Operation[] = [];
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
    this.controlDeps = deps === null ? [] : [...saved, ...deps.map((d) => (d instanceof Output ? d.op : d))];
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

  /** Adds a node. Inputs that are Variables or constants are converted first. */
  addOp(type: string, inputs: readonly TensorLike[], spec: OpSpec): Operation {
    const ins = inputs.map((i) => this.toOutput(i));
    let name: string;
    if (spec.exact === true && spec.name !== undefined) {
      if (this.byName.has(spec.name)) throw new Error(`Duplicate node name in graph: '${spec.name}'`);
      name = spec.name;
    } else {
      name = this.uniqueName(spec.name ?? type);
    }
    const controls = this.controlDeps.filter((c) => !ins.some((i) => i.op === c));
    const def = create(NodeDefSchema, {
      name,
      op: type,
      input: [...ins.map((i) => i.ref), ...[...new Set(controls)].map((c) => `^${c.name}`)],
      attr: spec.attrs ?? {},
      device: this.deviceScope,
    });
    const op = new Operation(this, def, ins, [...new Set(controls)]);
    spec.outputs.forEach(([dtype, shape], index) => {
      op.outputs.push(new Output(this, op, index, dtype, shape));
    });
    this.ops.push(op);
    this.byName.set(name, op);
    return op;
  }

  private unary(type: string, x: TensorLike, name?: string): Output {
    const t = this.toOutput(x);
    return this.addOp(type, [t], { name, attrs: { T: attr.type(t.dtype) }, outputs: [[t.dtype, t.shape]] })
      .outputs[0]!;
  }

  /** A broadcasting binary op; plain numbers become constants "<op>/x", "<op>/y" as in TF. */
  private binary(type: string, x: TensorLike, y: TensorLike, name: string, outDtype?: DataType): Output {
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
    options: { resource?: boolean; trainable?: boolean; dtype?: DataType } = {},
  ): Variable {
    const resource = options.resource ?? false;
    const v = this.controlDependencies(null, () =>
      this.opScope(name, (base) => {
        const init = resource
          ? this.nameScope("Initializer", () => this.toInitial(initialValue, options.dtype))
          : this.toInitial(initialValue, options.dtype);
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

  private toInitial(x: TensorLike, dtype: DataType | undefined): Output {
    if (x instanceof Output || x instanceof Variable) return this.toOutput(x);
    return this.constant(x as number | readonly unknown[] | Tensor, {
      name: "initial_value",
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
    const x = this.toOutput(a);
    const y = this.toOutput(b, x.dtype);
    const ta = options.transposeA ?? false;
    const tb = options.transposeB ?? false;
    const rows = x.shape === undefined ? -1 : (x.shape[ta ? 1 : 0] ?? -1);
    const cols = y.shape === undefined ? -1 : (y.shape[tb ? 0 : 1] ?? -1);
    return this.addOp("MatMul", [x, y], {
      name: options.name,
      attrs: { transpose_a: attr.b(ta), transpose_b: attr.b(tb), T: attr.type(x.dtype) },
      outputs: [[x.dtype, [rows, cols]]],
    }).outputs[0]!;
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

  /** tf.fill(dims, value). */
  fill(dims: Output, value: Output, name = "Fill", staticShape?: Shape): Output {
    return this.addOp("Fill", [dims, value], {
      name,
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
  sumOver(x: Output, axes: Output, name = "Sum"): Output {
    return this.addOp("Sum", [x, axes], {
      name,
      attrs: { keep_dims: attr.b(false), T: attr.type(x.dtype), Tidx: attr.type(DataType.DT_INT32) },
      outputs: [[x.dtype, undefined]],
    }).outputs[0]!;
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

/**
 * A broadcasting binary op's gradients: each side's is summed over the axes it was broadcast along
 * and reshaped back (TF's _AddGrad, _SubGrad, _MulGrad, _RealDivGrad: Shape, Shape_1,
 * BroadcastGradientArgs, Sum, Reshape, Sum_1, Reshape_1). When both shapes are fully known and
 * equal TF skips the reduction, and so does this.
 */
function unbroadcast(g: GraphBuilder, op: Operation, gx: () => Output, gy: () => Output): Output[] {
  const [x, y] = op.inputs as [Output, Output];
  if (fullyDefined(x.shape) && fullyDefined(y.shape) && x.shape.join() === y.shape.join()) {
    return [gx(), gy()];
  }
  const sx = g.shapeOf(x);
  const sy = g.shapeOf(y);
  const [rx, ry] = g.addOp("BroadcastGradientArgs", [sx, sy], {
    attrs: { T: attr.type(DataType.DT_INT32) },
    outputs: [
      [DataType.DT_INT32, [-1]],
      [DataType.DT_INT32, [-1]],
    ],
  }).outputs as [Output, Output];
  const a = g.reshape(g.sumOver(gx(), rx), sx, "Reshape", x.shape);
  const b = g.reshape(g.sumOver(gy(), ry), sy, "Reshape", y.shape);
  return [a, b];
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
 * TF's _SumGrad: reshape the gradient to the input's shape with the reduced axes kept as 1, then
 * tile it back to the input's shape. Needs the input's rank and constant axes (as TF's fast paths).
 */
function sumGrad(g: GraphBuilder, op: Operation, grad: Output): Output {
  const [x, axesT] = op.inputs as [Output, Output];
  const xs = x.shape;
  const axes = constInt32s(axesT);
  if (xs === undefined || axes === undefined) {
    throw new Error(
      `gradient of ${op.type} '${op.name}': this builder needs the input's rank and constant reduction axes`,
    );
  }
  const rank = xs.length;
  const norm = axes.map((a) => (a < 0 ? a + rank : a));
  if (norm.length === rank && [...norm].sort().every((a, i) => a === i)) {
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
  // TF computes the kept-dims shape with reduced_shape (DynamicStitch) and broadcasts with
  // BroadcastTo, which tfgate does not register; the same values from registered ops:
  // kept = shape * mask + (1 - mask), multiples = shape // max(kept, 1) (TF's _safe_shape_div).
  const inputShape = g.shapeOf(x);
  const mask = xs.map((_, i) => (norm.includes(i) ? 0 : 1));
  const kept = g.add(g.mul(inputShape, g.constantInt32(mask)), g.constantInt32(mask.map((m) => 1 - m)));
  const r = g.reshape(
    grad,
    kept,
    "Reshape",
    xs.map((d, i) => (norm.includes(i) ? 1 : d)),
  );
  const multiples = g.floorDiv(inputShape, g.maximum(kept, g.constant(1, { dtype: DataType.DT_INT32 })));
  return g.tile(r, multiples, "Tile", xs);
}

const gradFns: Record<string, GradFn> = {
  Identity: (_g, _op, grads) => [grad0(grads)],
  // A resource variable's read: the gradient flows to the handle (TF's _ReadGrad).
  ReadVariableOp: (_g, _op, grads) => [grad0(grads)],
  Neg: (g, _op, grads) => [g.neg(grad0(grads))],
  AddV2: (g, op, grads) =>
    unbroadcast(
      g,
      op,
      () => grad0(grads),
      () => grad0(grads),
    ),
  Add: (g, op, grads) => gradFns.AddV2!(g, op, grads),
  Sub: (g, op, grads) =>
    unbroadcast(
      g,
      op,
      () => grad0(grads),
      () => g.neg(grad0(grads)),
    ),
  Mul: (g, op, grads) => {
    const [x, y] = op.inputs as [Output, Output];
    return unbroadcast(
      g,
      op,
      () => g.mul(grad0(grads), y),
      () => g.mul(x, grad0(grads)),
    );
  },
  // TF's _RealDivGrad: gx = grad / y; gy = grad * ((-x / y) / y).
  RealDiv: (g, op, grads) => {
    const [x, y] = op.inputs as [Output, Output];
    return unbroadcast(
      g,
      op,
      () => g.div(grad0(grads), y),
      () => g.mul(grad0(grads), g.div(g.div(g.neg(x), y), y)),
    );
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
  // TF emits SigmoidGrad(y, grad) = grad * y * (1 - y); tfgate has no SigmoidGrad kernel yet.
  Sigmoid: (g, op, grads) => {
    const y = op.outputs[0]!;
    return [g.mul(g.mul(grad0(grads), y), g.sub(g.scalarLike(1, y), y))];
  },
  // TF emits TanhGrad(y, grad) = grad * (1 - y²); tfgate has no TanhGrad kernel yet.
  Tanh: (g, op, grads) => {
    const y = op.outputs[0]!;
    return [g.mul(grad0(grads), g.sub(g.scalarLike(1, y), g.square(y)))];
  },
  // TF emits ReluGrad(grad, y) = grad where y > 0, else 0; tfgate has no ReluGrad kernel yet.
  Relu: (g, op, grads) => {
    const y = op.outputs[0]!;
    const grad = grad0(grads);
    return [g.select(g.greater(y, g.scalarLike(0, y)), grad, g.zerosLike(grad))];
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
      const inSize = g.prod(g.shapeOf(x), [0]);
      const outSize = g.prod(g.shapeOf(y), [0]);
      factor = g.cast(
        g.floorDiv(inSize, g.maximum(outSize, g.constant(1, { dtype: DataType.DT_INT32 }))),
        sumG.dtype,
      );
    }
    return [g.div(sumG, factor), undefined];
  },
};

/** The ops `gradients` can differentiate through. */
export const differentiableOps: readonly string[] = Object.keys(gradFns).sort();

/** TF's _GradientsHelper, for graphs without control flow. */
function gradientsHelper(
  g: GraphBuilder,
  ys: readonly Output[],
  xs: readonly Output[],
  options: GradientsOptions,
): (Output | undefined)[] {
  // Ancestors of ys (with their consumers among them), then those reachable from xs: the ops
  // "between" xs and ys, the only ones gradients flow through.
  const consumers = new Map<Operation, Operation[]>();
  const seen = new Set<Operation>();
  const back = [...ys.map((y) => y.op)];
  while (back.length > 0) {
    const op = back.pop()!;
    if (seen.has(op)) continue;
    seen.add(op);
    for (const i of op.inputs) {
      const list = consumers.get(i.op) ?? [];
      list.push(op);
      consumers.set(i.op, list);
      back.push(i.op);
    }
  }
  const between = new Set<Operation>();
  const fwd = xs.map((x) => x.op).filter((op) => seen.has(op));
  while (fwd.length > 0) {
    const op = fwd.pop()!;
    if (between.has(op)) continue;
    between.add(op);
    for (const c of consumers.get(op) ?? []) fwd.push(c);
  }

  // How many gradient contributions each op waits for (one per consuming input edge between).
  const pending = new Map<Operation, number>();
  for (const op of between) {
    for (const i of op.inputs) if (between.has(i.op)) pending.set(i.op, (pending.get(i.op) ?? 0) + 1);
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
    // TF's _DefaultGradYs: Fill(Shape(y), grad_ys_i).
    const shape = g.shapeOf(y);
    addGrad(y, g.fill(shape, g.scalarLike(1, y, `grad_ys_${i}`), "Fill", y.shape));
  });

  // TF's _AggregatedGrads (ADD_N): several contributions are summed with one AddN.
  const aggregate = (t: Output): Output | undefined => {
    const list = grads.get(t);
    if (list === undefined || list.length === 0) return undefined;
    if (list.length === 1) return list[0];
    const sum = g.addN(list);
    grads.set(t, [sum]);
    return sum;
  };

  const ready = [...new Set(ys.map((y) => y.op))].filter((op) => (pending.get(op) ?? 0) === 0);
  const done = new Set<Operation>();
  while (ready.length > 0) {
    const op = ready.shift()!;
    if (done.has(op)) continue;
    done.add(op);
    const outGrads = op.outputs.map((o) => aggregate(o));
    if (between.has(op) && op.inputs.some((i) => between.has(i.op)) && outGrads.some((o) => o)) {
      const fn = gradFns[op.type];
      if (fn === undefined) {
        throw new Error(`No gradient defined for operation '${op.name}' (op type: ${op.type})`);
      }
      const inGrads = g.nameScope(`${op.name}_grad`, () => {
        const filled = outGrads.map((o, i) =>
          o === undefined && isFloat(op.outputs[i]!.dtype) ? g.zerosLike(op.outputs[i]!) : o,
        );
        const result = fn(g, op, filled);
        return options.gateGradients && result.filter((r) => r !== undefined).length > 1
          ? tuple(g, result)
          : result;
      });
      op.inputs.forEach((input, i) => {
        const ig = inGrads[i];
        if (ig !== undefined && between.has(input.op)) addGrad(input, ig);
      });
    }
    for (const input of op.inputs) {
      if (!between.has(input.op)) continue;
      const left = (pending.get(input.op) ?? 0) - 1;
      pending.set(input.op, left);
      if (left === 0) ready.push(input.op);
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
    const vars = options.varList ?? g.trainableVariables();
    const grads = g.gradients(loss, vars, { gateGradients: true });
    const pairs = vars
      .map((v, i) => [v, grads[i]] as const)
      .filter((p): p is readonly [Variable, Output] => p[1] !== undefined);
    if (pairs.length === 0) {
      throw new Error(`No gradients provided for any variable: ${vars.map((v) => v.name).join(", ")}`);
    }
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
