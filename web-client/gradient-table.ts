// The gradient functions `gradients` calls per op type (TF's math_grad.py, nn_grad.py,
// array_grad.py, and control_flow_grad.py through control-flow.ts): each emits the ops TensorFlow's
// own gradient function emits, with the same names, and returns one gradient per input.

import { DataType } from "../gen/tensorflow/core/framework/types_pb.js";
import { attr } from "./attrs.js";
import type { GraphBuilder } from "./builder.js";
import { enterGrad, exitGrad, mergeGrad, switchGrad } from "./control-flow.js";
import type { Operation, Output, Shape } from "./graph-types.js";
import { allKnown, fullyDefined, numElements } from "./shapes.js";

export type Grads = readonly (Output | undefined)[];
export type GradFn = (g: GraphBuilder, op: Operation, grads: Grads) => (Output | undefined)[];

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

export const gradFns: Record<string, GradFn> = {
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
