// TF's SigmoidGrad (core/kernels/cwise_op_gradients.h, SimpleBinaryOp): z = dy · y · (1 − y) from
// the sigmoid's output y. Like TF's SimpleBinaryOp only the element counts must agree; the result
// has y's shape.

import { invalidArgument } from "../framework/errors.js";
import { allocData, type NumericArray, Tensor } from "../framework/tensor.js";
import { type DataType, isComplexType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

export interface GradFns {
  readonly real: (y: number, dy: number) => number;
  /** Writes the complex result's (re, im) into out. */
  readonly complex: (yr: number, yi: number, dr: number, di: number, out: Float64Array) => void;
}

/** TF's SimpleBinaryOp<Functor>: element-wise f(y, dy) with matching element counts. */
export function simpleBinaryGrad(y: Tensor, dy: Tensor, fns: GradFns): Tensor {
  const n = y.numElements;
  if (n !== dy.numElements) {
    throw invalidArgument(
      `The two arguments to a cwise op must have same number of elements, got ${n} and ${dy.numElements}`,
    );
  }
  if (isComplexType(y.dtype)) {
    const a = y.data as Float64Array;
    const b = dy.data as Float64Array;
    const out = allocData(y.dtype, n, y.shape) as Float64Array;
    const tmp = new Float64Array(2);
    for (let i = 0; i < n; i++) {
      fns.complex(a[2 * i]!, a[2 * i + 1]!, b[2 * i]!, b[2 * i + 1]!, tmp);
      out[2 * i] = tmp[0]!;
      out[2 * i + 1] = tmp[1]!;
    }
    return new Tensor(y.dtype, y.shape, out);
  }
  const a = numericData(y);
  const b = numericData(dy);
  const out = computeBuffer(y.dtype, n, y.shape) as NumericArray;
  for (let i = 0; i < n; i++) out[i] = fns.real(a[i]!, b[i]!);
  return finish(y.dtype, y.shape, out);
}

export const GRAD_TYPES: readonly DataType[] = [
  T.bfloat16,
  T.half,
  T.float,
  T.double,
  T.complex64,
  T.complex128,
];

export function gradConfig(name: string, fns: GradFns): KernelConfig {
  return {
    op: {
      name,
      inputs: ["y: T", "dy: T"],
      outputs: ["z: T"],
      attrs: ["T: {bfloat16, half, float, double, complex64, complex128}"],
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", GRAD_TYPES);
      return { compute: (ctx) => ctx.setOutput(0, simpleBinaryGrad(ctx.input(0), ctx.input(1), fns)) };
    }),
  };
}

export const sigmoidGradFns: GradFns = {
  real: (y, dy) => dy * y * (1 - y),
  complex: (yr, yi, dr, di, out) => {
    // t = y · (1 − y); z = dy · t
    const tr = yr * (1 - yr) + yi * yi;
    const ti = yi * (1 - yr) - yr * yi;
    out[0] = dr * tr - di * ti;
    out[1] = dr * ti + di * tr;
  },
};

export function sigmoidGrad(y: Tensor, dy: Tensor): Tensor {
  return simpleBinaryGrad(y, dy, sigmoidGradFns);
}

export const sigmoidGradConfig = gradConfig("SigmoidGrad", sigmoidGradFns);
