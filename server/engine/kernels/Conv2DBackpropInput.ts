// TF's Conv2DBackpropInput on CPU (core/kernels/conv_grad_input_ops.h, Conv2DCustomBackpropInputOp):
// the gradient of Conv2D with respect to its input, dy · filterᵀ then Col2im. Like TF's CPU kernel:
// NHWC only, no dilations, no grouped convolutions; input_sizes gives 4 dims or just [rows, cols].

import { invalidArgument } from "../framework/errors.js";
import { numElements, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  type ConvAttrs,
  checkConvBackpropAttrs,
  conv2DBackpropInputFloat,
  conv2DBackpropInputInt,
  conv2DBackpropInputXnn,
  convBackpropGeometry,
  convMacs,
  getConvAttrs,
  makeShape,
} from "./util/conv-util.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { drainSync, outputSlices, type Slices } from "./util/slices.js";
import { computeBuffer, finish, numericData, readInts } from "./util/tensor-util.js";
import { useXnn, xnnKernel } from "./util/xnn.js";

/** TF's Conv2DBackpropComputeInputShape. */
export function conv2DBackpropInputShape(inputSizes: Tensor, filter: Tensor, dy: Tensor): number[] {
  if (inputSizes.rank !== 1) {
    throw invalidArgument(`Conv2DBackpropInput: input_sizes input must be 1-dim, not ${inputSizes.rank}`);
  }
  const sizes = readInts(inputSizes);
  if (sizes.length === 4) return makeShape(sizes);
  if (sizes.length === 2) {
    const [h, w] = sizes as [number, number];
    if (h < 0 || w < 0) {
      throw invalidArgument(`Conv2DBackpropInput: elements of input_sizes must be >= 0, not ${h}x${w}`);
    }
    return [dy.shape[0] ?? 0, h, w, filter.shape[2] ?? 0];
  }
  throw invalidArgument(
    `Conv2DBackpropInput requires input_sizes to contain 4 values or 2 values, but got: ${sizes.length}`,
  );
}

/** The checked geometry of a Conv2DBackpropInput node's inputs. */
function backpropInputGeometry(inputSizes: Tensor, filter: Tensor, dy: Tensor, a: ConvAttrs) {
  if (dy.rank !== 4) throw invalidArgument(`input_sizes must be 4-dimensional, got: ${dy.rank}`);
  const shape = conv2DBackpropInputShape(inputSizes, filter, dy);
  return { shape, g: convBackpropGeometry("Conv2DCustomBackpropInput", shape, filter.shape, dy.shape, a) };
}

/**
 * TF's Conv2DBackpropInput. float32 gradients of at least XNN_MIN_MACS multiply-adds use XNNPACK for
 * their GEMM when this thread has loaded it (see xnnKernel).
 */
export function conv2DBackpropInput(inputSizes: Tensor, filter: Tensor, dy: Tensor, a: ConvAttrs): Tensor {
  return drainSync(conv2DBackpropInputSlices(inputSizes, filter, dy, a));
}

/** conv2DBackpropInput as slices (util/slices.ts), one block of output rows at a time. */
export function* conv2DBackpropInputSlices(
  inputSizes: Tensor,
  filter: Tensor,
  dy: Tensor,
  a: ConvAttrs,
): Slices<Tensor> {
  const { shape, g } = backpropInputGeometry(inputSizes, filter, dy, a);
  if (g.inDepth !== g.patchDepth) {
    throw invalidArgument(
      "Gradients for grouped convolutions are not supported on CPU. Please file a feature request if you " +
        `run into this issue. Computed input depth ${g.inDepth} doesn't match filter input depth ${g.patchDepth}`,
    );
  }
  const n = numElements(shape);
  const out = computeBuffer(dy.dtype, n, shape);
  const x = dy.dtype === DataType.DT_FLOAT ? useXnn(convMacs(g)) : undefined;
  if (x) {
    const dx = out as Float32Array;
    if (yield* conv2DBackpropInputXnn(x, filter.data as Float32Array, dy.data as Float32Array, g, dx)) {
      return finish(dy.dtype, shape, out);
    }
    dx.fill(0);
  }
  if (dy.dtype === DataType.DT_INT32) {
    yield* conv2DBackpropInputInt(filter.data as Int32Array, dy.data as Int32Array, g, out as Int32Array);
  } else {
    (out as Float32Array | Float64Array).set(
      yield* conv2DBackpropInputFloat(numericData(filter), numericData(dy), g),
    );
  }
  return finish(dy.dtype, shape, out);
}

export const conv2DBackpropInputConfig: KernelConfig = {
  op: {
    name: "Conv2DBackpropInput",
    inputs: ["input_sizes: int32", "filter: T", "out_backprop: T"],
    outputs: ["output: T"],
    // padding and data_format are string enums in TF (checked by getConvAttrs).
    attrs: [
      "T: {half, bfloat16, float, double, int32}",
      "strides: list(int)",
      "use_cudnn_on_gpu: bool = true",
      "padding: {'SAME', 'VALID', 'EXPLICIT'}",
      "explicit_paddings: list(int) = []",
      "data_format: {'NHWC', 'NCHW'} = 'NHWC'",
      "dilations: list(int) = [1, 1, 1, 1]",
    ],
  },
  kernel: cpuKernel("Conv2DBackpropInput", (c) => {
    const dt = checkTypeConstraint(c, "T", [T.half, T.bfloat16, T.float, T.double, T.int32]);
    const a = getConvAttrs(c);
    checkConvBackpropAttrs(a, "Conv2DCustomBackpropInputOp", true);
    return xnnKernel(
      dt === DataType.DT_FLOAT,
      (ctx) => convMacs(backpropInputGeometry(ctx.input(0), ctx.input(1), ctx.input(2), a).g),
      (ctx) => outputSlices(ctx, conv2DBackpropInputSlices(ctx.input(0), ctx.input(1), ctx.input(2), a)),
    );
  }),
};
