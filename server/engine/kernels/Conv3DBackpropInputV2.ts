// TF's Conv3DBackpropInputV2 on CPU (core/kernels/conv_grad_ops_3d.cc): the gradient of Conv3D
// with respect to its input, whose shape is given as a vector (input_sizes).

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import { makeShape, scratch, toFloat64 } from "./util/conv-util.js";
import {
  CONV3D_ATTRS,
  type Conv3DAttrs,
  conv3DGeometry,
  conv3DWork,
  forEachTap,
  getConv3DAttrs,
  outputShape,
  shapeToChannelsLast,
  toChannelsFirst,
  toChannelsLast,
} from "./util/conv3d-util.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";
import { computeBuffer, finish, readInts } from "./util/tensor-util.js";

/** Checks out_backprop against the forward output shape (TF's ConvBackpropComputeDimensions). */
export function checkOutBackprop(dy: Tensor, expected: readonly number[]): void {
  if (dy.rank !== 5) throw invalidArgument(`out_backprop must be 5-dimensional: ${shapeString(dy.shape)}`);
  if (!sameShape(dy.shape, expected)) {
    throw invalidArgument(
      `Conv3D out_backprop shape ${shapeString(dy.shape)} does not match the expected ${shapeString(expected)}`,
    );
  }
}

export function conv3DBackpropInput(
  sizes: Tensor,
  filter: Tensor,
  outBackprop: Tensor,
  a: Conv3DAttrs,
): Tensor {
  return drainSync(conv3DBackpropInputSlices(sizes, filter, outBackprop, a));
}

/** conv3DBackpropInput in slices of whole rows of the gradient (util/paced-slices.ts). */
export function* conv3DBackpropInputSlices(
  sizes: Tensor,
  filter: Tensor,
  outBackprop: Tensor,
  a: Conv3DAttrs,
  pace = new Pace(),
): Slices<Tensor> {
  if (sizes.rank !== 1 || sizes.numElements !== 5) {
    throw invalidArgument(`input_sizes must be a 5-element vector, got shape ${shapeString(sizes.shape)}`);
  }
  const given = makeShape(readInts(sizes));
  const inShape = a.channelsFirst ? shapeToChannelsLast(given) : given;
  const dyT = a.channelsFirst ? toChannelsLast(outBackprop) : outBackprop;
  const g = conv3DGeometry(inShape, filter.shape, a);
  checkOutBackprop(dyT, outputShape(g));
  const n = inShape.reduce((p, q) => p * q, 1);
  const acc = scratch(n);
  const dy = toFloat64(dyT);
  const w = toFloat64(filter);
  const C = g.inDepth;
  const M = g.outDepth;
  const visit = (o: number, i: number, f: number) => {
    for (let c = 0; c < C; c++) {
      const row = f + c * M;
      let s = 0;
      for (let m = 0; m < M; m++) s += dy[o + m]! * w[row + m]!;
      acc[i + c] = acc[i + c]! + s;
    }
  };
  yield* forEachTap(g, visit, pace);
  const out = computeBuffer(filter.dtype, n, inShape) as NumericArray;
  for (let k = 0; k < n; k++) out[k] = acc[k]!;
  const dx = finish(filter.dtype, inShape, out);
  return a.channelsFirst ? toChannelsFirst(dx) : dx;
}

export const conv3DBackpropInputV2Config: KernelConfig = {
  op: {
    name: "Conv3DBackpropInputV2",
    inputs: ["input_sizes: Tshape", "filter: T", "out_backprop: T"],
    outputs: ["output: T"],
    attrs: [...CONV3D_ATTRS, "Tshape: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("Conv3DBackpropInputV2", (c) => {
    const a = getConv3DAttrs(c);
    return {
      compute: (ctx) => {
        const [sizes, w, dy] = [ctx.input(0), ctx.input(1), ctx.input(2)];
        return pacedCompute(ctx, conv3DWork(dy.numElements, w.shape, 4), function* () {
          return [yield* conv3DBackpropInputSlices(sizes, w, dy, a)];
        });
      },
    };
  }),
};
