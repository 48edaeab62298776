// TF's BinaryElementWiseOp (core/framework/numeric_op.h) as the activation-gradient kernels use it
// (relu_op.h, elu/selu/softplus/softsign grads): two inputs of the same shape, one output of that
// shape, and TF's "must have the same size and shape" error otherwise. Also the scalar rounding
// TF applies when a float attr is cast to T (static_cast<T>(alpha)).

import { invalidArgument } from "../../framework/errors.js";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "../../framework/float16.js";
import type { AttrMap } from "../../framework/op-def.js";
import { allocData, type NumericArray, sameShape, shapeString, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { type UnaryFns, unaryJob } from "./cwise.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  encodedOutput,
  oneLoop,
  runWhole,
} from "./element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./kernel-config.js";
import { computeBuffer } from "./tensor-util.js";

export interface ElementWiseFns {
  /** Real elements (floats in float64, integers as numbers; the output array narrows/wraps). */
  readonly float: (a: number, b: number) => number;
  /** int64/uint64 elements. */
  readonly bigint?: (a: bigint, b: bigint) => bigint;
}

/** out[i] = f(a[i], b[i]) for same-shaped a and b (TF's ValidateSameShape first). */
export function sameShapeBinaryOp(op: string, a: Tensor, b: Tensor, fns: ElementWiseFns): Tensor {
  return runWhole(sameShapeBinaryJob(op, a, b, fns));
}

/** sameShapeBinaryOp as an ElementJob (element-slices.ts): allocated now, computed whole or in slices. */
export function sameShapeBinaryJob(
  op: string,
  a: Tensor,
  b: Tensor,
  fns: ElementWiseFns,
): ElementJob<Tensor> {
  if (!sameShape(a.shape, b.shape)) {
    throw invalidArgument(
      `Inputs to operation ${op} of type ${op} must have the same size and shape.  Input 0: ${shapeString(a.shape)} != input 1: ${shapeString(b.shape)}`,
    );
  }
  const n = a.numElements;
  const dt = a.dtype;
  if (dt === DataType.DT_INT64 || dt === DataType.DT_UINT64) {
    const f = fns.bigint;
    if (!f) throw invalidArgument(`${op} does not support 64-bit integers`);
    const x = a.data as BigInt64Array;
    const y = b.data as BigInt64Array;
    const out = allocData(dt, n, a.shape) as BigInt64Array;
    const run = (s: number, e: number) => {
      for (let i = s; i < e; i++) out[i] = f(x[i]!, y[i]!);
    };
    return oneLoop(n, run, () => new Tensor(dt, a.shape, out));
  }
  const x = decodedInput(a);
  const y = decodedInput(b);
  const out = computeBuffer(dt, n, a.shape) as NumericArray;
  const f = fns.float;
  const [xd, yd] = [x.data, y.data];
  const run = (s: number, e: number) => {
    for (let i = s; i < e; i++) out[i] = f(xd[i]!, yd[i]!);
  };
  const encoded = encodedOutput(dt, a.shape, out);
  return { passes: [...x.passes, ...y.passes, { n, run }, ...encoded.passes], result: encoded.result };
}

/**
 * A float attr cast to T as TF's static_cast<T> does. AttrValue.f is a float32 in TF (a JS number
 * here until serialised), so it is rounded to float32 first.
 */
export function castScalar(dtype: DataType, v: number): number {
  const f = Math.fround(v);
  if (dtype === DataType.DT_HALF) return halfToFloat(floatToHalf(f));
  if (dtype === DataType.DT_BFLOAT16) return bfloat16ToFloat(floatToBfloat16(f));
  return f;
}

/** Eigen::NumTraits<T>::epsilon() of the floating dtypes. */
export function epsilonOf(dtype: DataType): number {
  switch (dtype) {
    case DataType.DT_HALF:
      return 2 ** -10;
    case DataType.DT_BFLOAT16:
      return 2 ** -7;
    case DataType.DT_FLOAT:
      return 2 ** -23;
    default:
      return 2 ** -52;
  }
}

/** SELU's scale and scale·alpha (TF's relu_op_functor.h: 1.0507009873554804934…, 1.7580993408473768599…). */
export const SELU_SCALE = 1.0507009873554805;
export const SELU_SCALE_ALPHA = 1.7580993408473768;

/**
 * The config of an activation "features: T -> activations: T" over {half, bfloat16, float, double}
 * whose element functions may depend on T (Softplus's threshold) and on float attrs (LeakyRelu's
 * alpha, cast to T).
 */
export function activationConfig(
  name: string,
  extraAttrs: readonly string[],
  fns: (dtype: DataType, attrs: AttrMap) => UnaryFns,
): KernelConfig {
  return {
    op: {
      name,
      inputs: ["features: T"],
      outputs: ["activations: T"],
      attrs: [...extraAttrs, `T: {half, bfloat16, float, double}${name === "LeakyRelu" ? " = float" : ""}`],
    },
    kernel: cpuKernel(name, (c) => {
      const t = checkTypeConstraint(c, "T", FLOAT_TYPES);
      const f = fns(t, c.attrs);
      return { compute: (ctx) => computeJob(ctx, unaryJob(name, ctx.input(0), f)) };
    }),
  };
}

/**
 * The config of an activation gradient "gradients: T, <second>: T -> backprops: T" (TF's
 * BinaryElementWiseOp kernels) over `kernelTypes`.
 */
export function activationGradConfig(
  name: string,
  second: "features" | "outputs",
  typeAttr: string,
  kernelTypes: readonly DataType[],
  extraAttrs: readonly string[],
  fns: (dtype: DataType, attrs: AttrMap) => ElementWiseFns,
): KernelConfig {
  return {
    op: {
      name,
      inputs: ["gradients: T", `${second}: T`],
      outputs: ["backprops: T"],
      attrs: [...extraAttrs, typeAttr],
    },
    kernel: cpuKernel(name, (c) => {
      const t = checkTypeConstraint(c, "T", kernelTypes);
      const f = fns(t, c.attrs);
      return { compute: (ctx) => computeJob(ctx, sameShapeBinaryJob(name, ctx.input(0), ctx.input(1), f)) };
    }),
  };
}
