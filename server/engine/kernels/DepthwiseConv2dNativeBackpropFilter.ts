// TF's DepthwiseConv2dNativeBackpropFilter on CPU (core/kernels/depthwise_conv_grad_op.cc): the
// gradient of DepthwiseConv2dNative with respect to its filter. NHWC only; like TF's CPU kernel it
// ignores the dilations attr.

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, numElements, type Tensor } from "../framework/tensor.js";
import {
  DEPTHWISE_ATTRS,
  depthwiseBackpropGeometry,
  depthwiseFormatUnimplemented,
  forEachDepthwiseTap,
  getDepthwiseAttrs,
} from "./DepthwiseConv2dNative.js";
import { type ConvAttrs, makeShape, scratch } from "./util/conv-util.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData, readInts } from "./util/tensor-util.js";

const LABEL = "DepthwiseConv2DBackpropFilter";

export function depthwiseConv2dNativeBackpropFilter(
  input: Tensor,
  filterSizes: Tensor,
  dy: Tensor,
  a: ConvAttrs,
): Tensor {
  if (a.dataFormat !== "NHWC") throw depthwiseFormatUnimplemented();
  if (filterSizes.rank !== 1) {
    throw invalidArgument(`${LABEL}: filter_sizes input must be 1-dim, not ${filterSizes.rank}`);
  }
  const shape = makeShape(readInts(filterSizes));
  const g = depthwiseBackpropGeometry(LABEL, input.shape, shape, dy.shape, a);
  const n = numElements(shape);
  const acc = scratch(n);
  const x = numericData(input);
  const d = numericData(dy);
  forEachDepthwiseTap(g, (xi, wi, yi) => {
    acc[wi]! += x[xi]! * d[yi]!;
  });
  const out = computeBuffer(dy.dtype, n, shape) as NumericArray;
  (out as Float32Array | Float64Array).set(acc);
  return finish(dy.dtype, shape, out);
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  op: {
    name: "DepthwiseConv2dNativeBackpropFilter",
    inputs: ["input: T", "filter_sizes: int32", "out_backprop: T"],
    outputs: ["output: T"],
    attrs: DEPTHWISE_ATTRS,
  },
  kernel: cpuKernel("DepthwiseConv2dNativeBackpropFilter", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    const a = getDepthwiseAttrs(c, false);
    return {
      compute: (ctx) =>
        ctx.setOutput(0, depthwiseConv2dNativeBackpropFilter(ctx.input(0), ctx.input(1), ctx.input(2), a)),
    };
  }),
};
