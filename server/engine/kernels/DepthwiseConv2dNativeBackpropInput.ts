// TF's DepthwiseConv2dNativeBackpropInput on CPU (core/kernels/depthwise_conv_grad_op.cc): the
// gradient of DepthwiseConv2dNative with respect to its input. NHWC only; like TF's CPU kernel it
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

const LABEL = "DepthwiseConv2DBackpropInput";

export function depthwiseConv2dNativeBackpropInput(
  inputSizes: Tensor,
  filter: Tensor,
  dy: Tensor,
  a: ConvAttrs,
): Tensor {
  if (a.dataFormat !== "NHWC") throw depthwiseFormatUnimplemented();
  if (inputSizes.rank !== 1) {
    throw invalidArgument(`${LABEL}: input_sizes input must be 1-dim, not ${inputSizes.rank}`);
  }
  const shape = makeShape(readInts(inputSizes));
  const g = depthwiseBackpropGeometry(LABEL, shape, filter.shape, dy.shape, a);
  const n = numElements(shape);
  const acc = scratch(n);
  const w = numericData(filter);
  const d = numericData(dy);
  forEachDepthwiseTap(g, (xi, wi, yi) => {
    acc[xi]! += d[yi]! * w[wi]!;
  });
  const out = computeBuffer(dy.dtype, n, shape) as NumericArray;
  (out as Float32Array | Float64Array).set(acc);
  return finish(dy.dtype, shape, out);
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  op: {
    name: "DepthwiseConv2dNativeBackpropInput",
    inputs: ["input_sizes: int32", "filter: T", "out_backprop: T"],
    outputs: ["output: T"],
    attrs: DEPTHWISE_ATTRS,
  },
  kernel: cpuKernel("DepthwiseConv2dNativeBackpropInput", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    const a = getDepthwiseAttrs(c, false);
    return {
      compute: (ctx) =>
        ctx.setOutput(0, depthwiseConv2dNativeBackpropInput(ctx.input(0), ctx.input(1), ctx.input(2), a)),
    };
  }),
};
