// TF's SimpleBinaryOp (core/kernels/cwise_ops_common.h): the "(y, dy) → z" gradient kernels of
// unary ops (SqrtGrad, RsqrtGrad, ReciprocalGrad, …), element-wise with no broadcasting; the
// output takes y's shape.

import { invalidArgument } from "../../framework/errors.js";
import { allocData, type NumericArray, Tensor } from "../../framework/tensor.js";
import { isComplexType } from "../../framework/types.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  encodedOutput,
  oneLoop,
  runWhole,
} from "./element-slices.js";
import {
  COMPLEX_TYPES,
  checkTypeConstraint,
  cpuKernel,
  FLOAT_TYPES,
  type KernelConfig,
} from "./kernel-config.js";
import { computeBuffer } from "./tensor-util.js";

export interface GradFns {
  /** Real elements: z from (y, dy). */
  readonly real: (y: number, dy: number) => number;
  /** Complex elements: writes z's (re, im) into out. */
  readonly complex: (yr: number, yi: number, dr: number, di: number, out: Float64Array) => void;
}

/** z = f(y, dy) element-wise; TF's error when the element counts differ. */
export function simpleBinaryOp(y: Tensor, dy: Tensor, fns: GradFns): Tensor {
  return runWhole(simpleBinaryJob(y, dy, fns));
}

/** simpleBinaryOp as an ElementJob (element-slices.ts): allocated now, computed whole or in slices. */
export function simpleBinaryJob(y: Tensor, dy: Tensor, fns: GradFns): ElementJob<Tensor> {
  const n = y.numElements;
  if (n !== dy.numElements) {
    throw invalidArgument(
      `The two arguments to a cwise op must have same number of elements, got ${n} and ${dy.numElements}`,
    );
  }
  const dt = y.dtype;
  if (isComplexType(dt)) {
    const a = y.data as NumericArray;
    const b = dy.data as NumericArray;
    const out = allocData(dt, n, y.shape) as NumericArray;
    const tmp = new Float64Array(2);
    const run = (s: number, e: number) => {
      for (let i = s; i < e; i++) {
        fns.complex(a[2 * i]!, a[2 * i + 1]!, b[2 * i]!, b[2 * i + 1]!, tmp);
        out[2 * i] = tmp[0]!;
        out[2 * i + 1] = tmp[1]!;
      }
    };
    return oneLoop(n, run, () => new Tensor(dt, y.shape, out));
  }
  const a = decodedInput(y);
  const b = decodedInput(dy);
  const out = computeBuffer(dt, n, y.shape) as NumericArray;
  const [ad, bd] = [a.data, b.data];
  const run = (s: number, e: number) => {
    for (let i = s; i < e; i++) out[i] = fns.real(ad[i]!, bd[i]!);
  };
  const encoded = encodedOutput(dt, y.shape, out);
  return { passes: [...a.passes, ...b.passes, { n, run }, ...encoded.passes], result: encoded.result };
}

/** A "y: T, dy: T -> z: T" gradient op over TF's float and complex types. */
export function gradConfig(name: string, fns: GradFns): KernelConfig {
  return {
    op: {
      name,
      inputs: ["y: T", "dy: T"],
      outputs: ["z: T"],
      attrs: ["T: {bfloat16, half, float, double, complex64, complex128}"],
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", [...FLOAT_TYPES, ...COMPLEX_TYPES]);
      return { compute: (ctx) => computeJob(ctx, simpleBinaryJob(ctx.input(0), ctx.input(1), fns)) };
    }),
  };
}

/** (ar + i·ai)·(br + i·bi) into out. */
export function cmul(ar: number, ai: number, br: number, bi: number, out: Float64Array): void {
  const re = ar * br - ai * bi;
  out[1] = ar * bi + ai * br;
  out[0] = re;
}
