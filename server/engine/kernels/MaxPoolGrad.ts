// TF's MaxPoolGrad on CPU (core/kernels/maxpooling_op.cc, MaxPoolingGradOp): routes each gradient
// to the maximum of its window in orig_input, recomputed here (the first maximum in row-major order
// on ties, as TF's SpatialMaxPoolWithArgMaxHelper); orig_output only has its shape checked.

import { invalidArgument, unimplemented } from "../framework/errors.js";
import { allocData, type NumericArray, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  type ElementPass,
  encodedOutput,
  oneLoop,
  runWhole,
} from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { getPoolAttrs, maxPoolArgmaxRows, type PoolAttrs, poolGeometry } from "./util/pooling-util.js";
import { computeBuffer, isHalfLike } from "./util/tensor-util.js";

export function maxPoolGrad(origInput: Tensor, origOutput: Tensor, grad: Tensor, a: PoolAttrs): Tensor {
  return runWhole(maxPoolGradJob(origInput, origOutput, grad, a));
}

/**
 * maxPoolGrad as an ElementJob (util/element-slices.ts): shapes checked now; the argmax of each
 * window in whole output rows, then the gradients added at their maxima in output order (so an
 * input element that is the maximum of several windows takes their gradients in one run's order),
 * then the sums stored.
 */
export function maxPoolGradJob(
  origInput: Tensor,
  origOutput: Tensor,
  grad: Tensor,
  a: PoolAttrs,
): ElementJob<Tensor> {
  if (origInput.rank !== 4) throw invalidArgument("tensor_in must be 4-dimensional");
  if (origOutput.rank !== 4) throw invalidArgument("tensor_out must be 4-dimensional");
  if (grad.rank !== 4) throw invalidArgument("out_backprop must be 4-dimensional");
  const g = poolGeometry(origInput.shape, a);
  const outShape = [g.batch, g.outRows, g.outCols, g.outDepth];
  if (!sameShape(origOutput.shape, outShape)) {
    throw invalidArgument(
      `Expected orig_output shape to be ${shapeString(outShape)}, but got ${shapeString(origOutput.shape)}`,
    );
  }
  if (!sameShape(grad.shape, outShape)) {
    throw invalidArgument(
      `Expected grad shape to be ${shapeString(outShape)}, but got ${shapeString(grad.shape)}`,
    );
  }
  const dt = origInput.dtype;
  const big = dt === DataType.DT_INT64 || dt === DataType.DT_UINT64;
  const x = big ? { data: origInput.data as BigInt64Array, passes: [] } : decodedInput(origInput);
  const arg = new Int32Array(g.batch * g.outRows * g.outCols * g.depth).fill(-1);
  const argmax: ElementPass = {
    n: g.batch * g.outRows,
    run: (r0, r1) => maxPoolArgmaxRows(x.data as ArrayLike<number | bigint>, g, arg, r0, r1),
    cost: g.outCols * g.depth * g.windowRows * g.windowCols,
  };
  const routed = big ? routeBig(origInput, grad, arg) : routeNumbers(origInput, grad, arg);
  return { passes: [...x.passes, argmax, ...routed.passes], result: routed.result };
}

/** int64/uint64: the gradients added at their maxima in output order, wrapping as int64. */
function routeBig(origInput: Tensor, grad: Tensor, arg: Int32Array): ElementJob<Tensor> {
  const dt = origInput.dtype;
  const out = allocData(dt, origInput.numElements, origInput.shape) as BigInt64Array;
  const dy = grad.data as BigInt64Array;
  const add = (s: number, e: number) => {
    for (let o = s; o < e; o++) if (arg[o]! >= 0) out[arg[o]!]! += dy[o]!;
  };
  // A BigInt addition allocates: ~30 ns an element on the loaded test machine.
  return oneLoop(arg.length, add, () => new Tensor(dt, origInput.shape, out), 8);
}

/**
 * Every other dtype: floats summed in float64 in output order and stored once (half/bfloat16
 * through float32, as finish), integers wrapping like C++ at every addition.
 */
function routeNumbers(origInput: Tensor, grad: Tensor, arg: Int32Array): ElementJob<Tensor> {
  const dt = origInput.dtype;
  const n = origInput.numElements;
  const dy = decodedInput(grad);
  const out = computeBuffer(dt, n, origInput.shape) as NumericArray;
  const encoded = encodedOutput(dt, origInput.shape, out);
  const passes: ElementPass[] = [...dy.passes];
  if (isHalfLike(dt) || dt === DataType.DT_FLOAT || dt === DataType.DT_DOUBLE) {
    const acc = new Float64Array(n);
    const add = (s: number, e: number) => {
      for (let o = s; o < e; o++) if (arg[o]! >= 0) acc[arg[o]!]! += dy.data[o]!;
    };
    const store = (s: number, e: number) => {
      for (let i = s; i < e; i++) out[i] = acc[i]!;
    };
    passes.push({ n: arg.length, run: add }, { n, run: store });
  } else {
    // The output array narrows on store.
    const add = (s: number, e: number) => {
      for (let o = s; o < e; o++) if (arg[o]! >= 0) out[arg[o]!] = (out[arg[o]!]! + dy.data[o]!) | 0;
    };
    passes.push({ n: arg.length, run: add });
  }
  return { passes: [...passes, ...encoded.passes], result: encoded.result };
}

export const maxPoolGradConfig: KernelConfig = {
  op: {
    name: "MaxPoolGrad",
    inputs: ["orig_input: T", "orig_output: T", "grad: T"],
    outputs: ["output: T"],
    // padding: {'SAME', 'VALID', 'EXPLICIT'}; data_format: {'NHWC', 'NCHW'} (string enums in TF).
    attrs: [
      "ksize: list(int) >= 4",
      "strides: list(int) >= 4",
      "padding: {'SAME', 'VALID', 'EXPLICIT'}",
      "explicit_paddings: list(int) = []",
      "data_format: {'NHWC', 'NCHW'} = 'NHWC'",
      "T: realnumbertype = float",
    ],
  },
  kernel: cpuKernel("MaxPoolGrad", (c) => {
    checkTypeConstraint(c, "T", [
      T.float,
      T.double,
      T.int32,
      T.uint8,
      T.int16,
      T.int8,
      T.int64,
      T.bfloat16,
      T.uint16,
      T.half,
      T.uint32,
      T.uint64,
    ]);
    const a = getPoolAttrs(c, "MaxPoolingGradOp", ["SAME", "VALID", "EXPLICIT"]);
    if (a.ksize[3] !== 1 || a.strides[3] !== 1) {
      throw unimplemented("MaxPoolingGrad is not yet supported on the depth dimension.");
    }
    return { compute: (ctx) => computeJob(ctx, maxPoolGradJob(ctx.input(0), ctx.input(1), ctx.input(2), a)) };
  }),
};
