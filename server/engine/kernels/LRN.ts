// TF's LRN on CPU (core/kernels/lrn_op.cc): local response normalisation across channels,
// output = input / (bias + alpha · Σ input²)^beta over channels [d − r, d + r] (alpha is not divided
// by the window size). NHWC, rank 4; float and half on CPU as in TF.

import { invalidArgument } from "../framework/errors.js";
import { getAttrFloat, getAttrInt } from "../framework/op-def.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import type { NumericArray, Tensor } from "../framework/tensor.js";
import { computeJob, decodedInput, type ElementJob, encodedOutput, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

export interface LrnOptions {
  readonly depthRadius: number;
  readonly bias: number;
  readonly alpha: number;
  readonly beta: number;
}

export function getLrnOptions(c: OpKernelConstruction): LrnOptions {
  const depthRadius = getAttrInt(c.attrs, "depth_radius");
  if (depthRadius < 0 || depthRadius > 2 ** 31 - 1) {
    throw invalidArgument(`depth_radius = ${depthRadius} larger than int max`);
  }
  return {
    depthRadius,
    bias: Math.fround(getAttrFloat(c.attrs, "bias")),
    alpha: Math.fround(getAttrFloat(c.attrs, "alpha")),
    beta: Math.fround(getAttrFloat(c.attrs, "beta")),
  };
}

export const LRN_ATTRS = [
  "depth_radius: int = 5",
  "bias: float = 1.0",
  "alpha: float = 1.0",
  "beta: float = 0.5",
  "T: {half, bfloat16, float} = float",
] as const;

export function lrn(input: Tensor, o: LrnOptions): Tensor {
  return runWhole(lrnJob(input, o));
}

/** lrn as an ElementJob (util/element-slices.ts): a pass over the output elements, each its own window sum. */
export function lrnJob(input: Tensor, o: LrnOptions): ElementJob<Tensor> {
  if (input.rank !== 4) throw invalidArgument("in must be 4-dimensional");
  const depth = input.shape[3]!;
  const decoded = decodedInput(input);
  const x = decoded.data;
  const n = input.numElements;
  const out = computeBuffer(input.dtype, n, input.shape) as NumericArray;
  const encoded = encodedOutput(input.dtype, input.shape, out);
  const run = (start: number, end: number) => {
    for (let i = start; i < end; i++) {
      const d = i % depth;
      const base = i - d;
      let s = 0;
      const hi = Math.min(depth, d + o.depthRadius + 1);
      for (let k = Math.max(0, d - o.depthRadius); k < hi; k++) s += x[base + k]! * x[base + k]!;
      out[i] = x[i]! * (o.bias + o.alpha * s) ** -o.beta;
    }
  };
  const pass = { n, run, cost: lrnWindowCost(depth, o) };
  return { passes: [...decoded.passes, pass, ...encoded.passes], result: encoded.result };
}

/** Work per element of a window sum over channels [d − r, d + r], the power costing a few visits. */
export function lrnWindowCost(depth: number, o: LrnOptions): number {
  return Math.min(depth, 2 * o.depthRadius + 1) + 8;
}

export const lrnConfig: KernelConfig = {
  op: { name: "LRN", inputs: ["input: T"], outputs: ["output: T"], attrs: LRN_ATTRS },
  kernel: cpuKernel("LRN", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.float]);
    const o = getLrnOptions(c);
    return { compute: (ctx) => computeJob(ctx, lrnJob(ctx.input(0), o)) };
  }),
};
