// TF's DepthwiseConv2dNativeBackpropFilter on CPU (core/kernels/depthwise_conv_grad_op.cc): the
// gradient of DepthwiseConv2dNative with respect to its filter. NHWC only; like TF's CPU kernel it
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

const LABEL = "DepthwiseConv2DBackpropFilter";

export function depthwiseConv2dNativeBackpropFilter(
  input: Tensor,
  filterSizes: Tensor,
  dy: Tensor,
  a: ConvAttrs,
): Tensor {
  return runWhole(depthwiseConv2dNativeBackpropFilterJob(input, filterSizes, dy, a));
}

export function depthwiseConv2dNativeBackpropFilterJob(
  input: Tensor,
  filterSizes: Tensor,
  dy: Tensor,
  a: ConvAttrs,
): ElementJob<Tensor> {
  if (a.dataFormat !== "NHWC") throw depthwiseFormatUnimplemented();
  if (filterSizes.rank !== 1) {
    throw invalidArgument(`${LABEL}: filter_sizes input must be 1-dim, not ${filterSizes.rank}`);
  }
  const shape = makeShape(readInts(filterSizes));
  const g = depthwiseBackpropGeometry(LABEL, input.shape, shape, dy.shape, a);
  const n = numElements(shape);
  const acc = scratch(n);
  const x = decodedInput(input);
  const d = decodedInput(dy);
  const [xd, dd] = [x.data, d.data];
  return depthwiseJob(
    g,
    [x, d],
    acc,
    (xi, wi, yi) => {
      acc[wi]! += xd[xi]! * dd[yi]!;
    },
    dy.dtype,
    shape,
  );
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
        computeJob(ctx, depthwiseConv2dNativeBackpropFilterJob(ctx.input(0), ctx.input(1), ctx.input(2), a)),
    };
  }),
};
