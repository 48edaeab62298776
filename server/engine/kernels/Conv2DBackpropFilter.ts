// TF's Conv2DBackpropFilter on CPU (core/kernels/conv_grad_filter_ops.cc,
// Conv2DCustomBackpropFilterOp): the gradient of Conv2D with respect to its filter, Im2col(x)ᵀ · dy.
// Like TF's CPU kernel: NHWC only, no dilations, no grouped convolutions.

import { invalidArgument } from "../framework/errors.js";
import { numElements, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  type ConvAttrs,
  checkConvBackpropAttrs,
  conv2DBackpropFilterFloat,
  conv2DBackpropFilterXnn,
  convBackpropGeometry,
  convMacs,
  getConvAttrs,
  makeShape,
} from "./util/conv-util.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { drainSync, outputSlices, type Slices } from "./util/slices.js";
import { computeBuffer, finish, numericData, readInts } from "./util/tensor-util.js";
import { useXnn, xnnKernel } from "./util/xnn.js";

/** The checked geometry of a Conv2DBackpropFilter node's inputs. */
function backpropFilterGeometry(input: Tensor, filterSizes: Tensor, dy: Tensor, a: ConvAttrs) {
  if (filterSizes.rank !== 1) {
    throw invalidArgument(
      `Conv2DCustomBackpropFilter: filter_sizes input must be 1-dim, not ${filterSizes.rank}`,
    );
  }
  const shape = makeShape(readInts(filterSizes));
  const g = convBackpropGeometry("Conv2DCustomBackpropFilter", input.shape, shape, dy.shape, a);
  if (g.inDepth !== g.patchDepth) {
    const requested = g.filterRows * g.filterCols * g.inDepth * g.outDepth;
    throw invalidArgument(
      `filter_size does not have enough elements, requested ${requested}, got ${numElements(shape)}`,
    );
  }
  return { shape, g };
}

/**
 * TF's Conv2DBackpropFilter. float32 gradients of at least XNN_MIN_MACS multiply-adds use XNNPACK
 * for their GEMM when this thread has loaded it (see xnnKernel).
 */
export function conv2DBackpropFilter(input: Tensor, filterSizes: Tensor, dy: Tensor, a: ConvAttrs): Tensor {
  return drainSync(conv2DBackpropFilterSlices(input, filterSizes, dy, a));
}

/** conv2DBackpropFilter as slices (util/slices.ts), one block of output rows at a time. */
export function* conv2DBackpropFilterSlices(
  input: Tensor,
  filterSizes: Tensor,
  dy: Tensor,
  a: ConvAttrs,
): Slices<Tensor> {
  const { shape, g } = backpropFilterGeometry(input, filterSizes, dy, a);
  const out = computeBuffer(dy.dtype, numElements(shape), shape) as Float32Array | Float64Array;
  const x = dy.dtype === DataType.DT_FLOAT ? useXnn(convMacs(g)) : undefined;
  if (
    x &&
    (yield* conv2DBackpropFilterXnn(
      x,
      input.data as Float32Array,
      dy.data as Float32Array,
      g,
      out as Float32Array,
    ))
  ) {
    return finish(dy.dtype, shape, out);
  }
  out.set(yield* conv2DBackpropFilterFloat(numericData(input), numericData(dy), g));
  return finish(dy.dtype, shape, out);
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  op: {
    name: "Conv2DBackpropFilter",
    inputs: ["input: T", "filter_sizes: int32", "out_backprop: T"],
    outputs: ["output: T"],
    // padding and data_format are string enums in TF (checked by getConvAttrs).
    attrs: [
      "T: {half, bfloat16, float, double}",
      "strides: list(int)",
      "use_cudnn_on_gpu: bool = true",
      "padding: {'SAME', 'VALID', 'EXPLICIT'}",
      "explicit_paddings: list(int) = []",
      "data_format: {'NHWC', 'NCHW'} = 'NHWC'",
      "dilations: list(int) = [1, 1, 1, 1]",
    ],
  },
  kernel: cpuKernel("Conv2DBackpropFilter", (c) => {
    const dt = checkTypeConstraint(c, "T", [T.half, T.bfloat16, T.float, T.double]);
    const a = getConvAttrs(c);
    checkConvBackpropAttrs(a, "Conv2DCustomBackpropFilterOp", false);
    return xnnKernel(
      dt === DataType.DT_FLOAT,
      (ctx) => convMacs(backpropFilterGeometry(ctx.input(0), ctx.input(1), ctx.input(2), a).g),
      (ctx) => outputSlices(ctx, conv2DBackpropFilterSlices(ctx.input(0), ctx.input(1), ctx.input(2), a)),
    );
  }),
};
