// TF's Conv3D on CPU (core/kernels/conv_ops_3d.cc): a 3-D convolution of an NDHWC (or NCDHW)
// input with a [depth, height, width, in, out] filter, with strides, dilations and SAME/VALID
// padding (see conv3d-util.ts for the arithmetic).

import { invalidArgument } from "../framework/errors.js";
import type { NumericArray, Tensor } from "../framework/tensor.js";
import { scratch, toFloat64 } from "./util/conv-util.js";
import {
  CONV3D_ATTRS,
  type Conv3DAttrs,
  conv3DGeometry,
  conv3DWork,
  forEachTap,
  getConv3DAttrs,
  outputShape,
  toChannelsFirst,
  toChannelsLast,
} from "./util/conv3d-util.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";
import { computeBuffer, finish } from "./util/tensor-util.js";

export function conv3D(input: Tensor, filter: Tensor, a: Conv3DAttrs): Tensor {
  return drainSync(conv3DSlices(input, filter, a));
}

/** conv3D in slices of whole output rows, about a millisecond each (util/paced-slices.ts). */
export function* conv3DSlices(
  input: Tensor,
  filter: Tensor,
  a: Conv3DAttrs,
  pace = new Pace(),
): Slices<Tensor> {
  const x = a.channelsFirst && input.rank === 5 ? toChannelsLast(input) : input;
  const g = conv3DGeometry(x.shape, filter.shape, a);
  const shape = outputShape(g);
  const n = shape.reduce((p, q) => p * q, 1);
  const acc = scratch(n);
  const xv = toFloat64(x);
  const w = toFloat64(filter);
  const C = g.inDepth;
  const M = g.outDepth;
  const visit = (o: number, i: number, f: number) => {
    for (let c = 0; c < C; c++) {
      const v = xv[i + c]!;
      if (v === 0) continue;
      const row = f + c * M;
      for (let m = 0; m < M; m++) acc[o + m] = acc[o + m]! + v * w[row + m]!;
    }
  };
  yield* forEachTap(g, visit, pace);
  const out = computeBuffer(input.dtype, n, shape) as NumericArray;
  for (let k = 0; k < n; k++) out[k] = acc[k]!;
  const y = finish(input.dtype, shape, out);
  return a.channelsFirst ? toChannelsFirst(y) : y;
}

export const conv3DConfig: KernelConfig = {
  op: { name: "Conv3D", inputs: ["input: T", "filter: T"], outputs: ["output: T"], attrs: CONV3D_ATTRS },
  kernel: cpuKernel("Conv3D", (c) => {
    const a = getConv3DAttrs(c);
    return {
      compute(ctx) {
        // TF's portable CPU kernel has no dilated 3-D convolution (its oneDNN build does).
        if (a.dilations.some((d) => d !== 1)) {
          throw invalidArgument("CPU implementation of Conv3D currently only supports dilated rates of 1.");
        }
        const [x, w] = [ctx.input(0), ctx.input(1)];
        return pacedCompute(ctx, conv3DWork(x.numElements, w.shape, 3), function* () {
          return [yield* conv3DSlices(x, w, a)];
        });
      },
    };
  }),
};
