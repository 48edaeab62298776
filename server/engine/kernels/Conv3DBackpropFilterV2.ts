// TF's Conv3DBackpropFilterV2 on CPU (core/kernels/conv_grad_ops_3d.cc): the gradient of Conv3D
// with respect to its filter, whose shape is given as a vector (filter_sizes).

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, shapeString, type Tensor } from "../framework/tensor.js";
import { checkOutBackprop } from "./Conv3DBackpropInputV2.js";
import { makeShape, scratch, toFloat64 } from "./util/conv-util.js";
import {
  CONV3D_ATTRS,
  type Conv3DAttrs,
  conv3DGeometry,
  conv3DWork,
  forEachTap,
  getConv3DAttrs,
  outputShape,
  toChannelsLast,
} from "./util/conv3d-util.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";
import { computeBuffer, finish, readInts } from "./util/tensor-util.js";

export function conv3DBackpropFilter(
  input: Tensor,
  sizes: Tensor,
  outBackprop: Tensor,
  a: Conv3DAttrs,
): Tensor {
  return drainSync(conv3DBackpropFilterSlices(input, sizes, outBackprop, a));
}

/** conv3DBackpropFilter in slices of whole rows of the gradient (util/paced-slices.ts). */
export function* conv3DBackpropFilterSlices(
  input: Tensor,
  sizes: Tensor,
  outBackprop: Tensor,
  a: Conv3DAttrs,
  pace = new Pace(),
): Slices<Tensor> {
  if (sizes.rank !== 1 || sizes.numElements !== 5) {
    throw invalidArgument(`filter_sizes must be a 5-element vector, got shape ${shapeString(sizes.shape)}`);
  }
  const fShape = makeShape(readInts(sizes));
  const x = a.channelsFirst && input.rank === 5 ? toChannelsLast(input) : input;
  const dyT = a.channelsFirst && outBackprop.rank === 5 ? toChannelsLast(outBackprop) : outBackprop;
  const g = conv3DGeometry(x.shape, fShape, a);
  checkOutBackprop(dyT, outputShape(g));
  const n = fShape.reduce((p, q) => p * q, 1);
  const acc = scratch(n);
  const xv = toFloat64(x);
  const dy = toFloat64(dyT);
  const C = g.inDepth;
  const M = g.outDepth;
  const visit = (o: number, i: number, f: number) => {
    for (let c = 0; c < C; c++) {
      const v = xv[i + c]!;
      if (v === 0) continue;
      const row = f + c * M;
      for (let m = 0; m < M; m++) acc[row + m] = acc[row + m]! + v * dy[o + m]!;
    }
  };
  yield* forEachTap(g, visit, pace);
  const out = computeBuffer(input.dtype, n, fShape) as NumericArray;
  for (let k = 0; k < n; k++) out[k] = acc[k]!;
  return finish(input.dtype, fShape, out);
}

export const conv3DBackpropFilterV2Config: KernelConfig = {
  op: {
    name: "Conv3DBackpropFilterV2",
    inputs: ["input: T", "filter_sizes: int32", "out_backprop: T"],
    outputs: ["output: T"],
    attrs: CONV3D_ATTRS,
  },
  kernel: cpuKernel("Conv3DBackpropFilterV2", (c) => {
    const a = getConv3DAttrs(c);
    return {
      compute: (ctx) => {
        const [x, sizes, dy] = [ctx.input(0), ctx.input(1), ctx.input(2)];
        // every gradient element meets every filter element of the input's depth
        const filterShape = sizes.numElements === 5 ? readInts(sizes) : [];
        return pacedCompute(ctx, conv3DWork(dy.numElements, filterShape, 4), function* () {
          return [yield* conv3DBackpropFilterSlices(x, sizes, dy, a)];
        });
      },
    };
  }),
};
