// TF's LRN on CPU (core/kernels/lrn_op.cc): local response normalisation across channels,
// output = input / (bias + alpha · Σ input²)^beta over channels [d − r, d + r] (alpha is not divided
// by the window size). NHWC, rank 4; float and half on CPU as in TF.

import { invalidArgument } from "../framework/errors.js";
import { getAttrFloat, getAttrInt } from "../framework/op-def.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import type { NumericArray, Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

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
  if (input.rank !== 4) throw invalidArgument("in must be 4-dimensional");
  const depth = input.shape[3]!;
  const x = numericData(input);
  const n = input.numElements;
  const out = computeBuffer(input.dtype, n, input.shape) as NumericArray;
  for (let base = 0; base < n; base += depth) {
    for (let d = 0; d < depth; d++) {
      let s = 0;
      const hi = Math.min(depth, d + o.depthRadius + 1);
      for (let k = Math.max(0, d - o.depthRadius); k < hi; k++) s += x[base + k]! * x[base + k]!;
      out[base + d] = x[base + d]! * (o.bias + o.alpha * s) ** -o.beta;
    }
  }
  return finish(input.dtype, input.shape, out);
}

export const lrnConfig: KernelConfig = {
  op: { name: "LRN", inputs: ["input: T"], outputs: ["output: T"], attrs: LRN_ATTRS },
  kernel: cpuKernel("LRN", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.float]);
    const o = getLrnOptions(c);
    return { compute: (ctx) => ctx.setOutput(0, lrn(ctx.input(0), o)) };
  }),
};
