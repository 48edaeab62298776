// TF's DepthwiseConv2dNativeBackpropInput on CPU (core/kernels/depthwise_conv_grad_op.cc): the
// gradient of DepthwiseConv2dNative with respect to its input. NHWC only; like TF's CPU kernel it
// ignores the dilations attr.

import { invalidArgument } from "../framework/errors.js";
import { numElements, type Tensor } from "../framework/tensor.js";
import {
  DEPTHWISE_ATTRS,
  depthwiseBackpropGeometry,
  depthwiseFormatUnimplemented,
  depthwiseJob,
  getDepthwiseAttrs,
} from "./DepthwiseConv2dNative.js";
import { type ConvAttrs, makeShape, scratch } from "./util/conv-util.js";
import { computeJob, decodedInput, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

const LABEL = "DepthwiseConv2DBackpropInput";

export function depthwiseConv2dNativeBackpropInput(
  inputSizes: Tensor,
  filter: Tensor,
  dy: Tensor,
  a: ConvAttrs,
): Tensor {
  return runWhole(depthwiseConv2dNativeBackpropInputJob(inputSizes, filter, dy, a));
}

export function depthwiseConv2dNativeBackpropInputJob(
  inputSizes: Tensor,
  filter: Tensor,
  dy: Tensor,
  a: ConvAttrs,
): ElementJob<Tensor> {
  if (a.dataFormat !== "NHWC") throw depthwiseFormatUnimplemented();
  if (inputSizes.rank !== 1) {
    throw invalidArgument(`${LABEL}: input_sizes input must be 1-dim, not ${inputSizes.rank}`);
  }
  const shape = makeShape(readInts(inputSizes));
  const g = depthwiseBackpropGeometry(LABEL, shape, filter.shape, dy.shape, a);
  const n = numElements(shape);
  const acc = scratch(n);
  const w = decodedInput(filter);
  const d = decodedInput(dy);
  const [wd, dd] = [w.data, d.data];
  return depthwiseJob(
    g,
    [w, d],
    acc,
    (xi, wi, yi) => {
      acc[xi]! += dd[yi]! * wd[wi]!;
    },
    dy.dtype,
    shape,
  );
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
        computeJob(ctx, depthwiseConv2dNativeBackpropInputJob(ctx.input(0), ctx.input(1), ctx.input(2), a)),
    };
  }),
};
