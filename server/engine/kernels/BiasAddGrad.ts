// TF's BiasAddGrad (core/kernels/bias_op.cc): the sum of out_backprop over every dimension but the
// channel one — the last for NHWC and for rank-2 NCHW, dimension 1 for NCHW of rank ≥ 3.

import { invalidArgument } from "../framework/errors.js";
import { allocData, type NumericArray, shapeString, Tensor } from "../framework/tensor.js";
import { DataType, isComplexType } from "../framework/types.js";
import { getEnumAttr } from "./util/conv-util.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

export function biasAddGrad(dy: Tensor, dataFormat: "NHWC" | "NCHW" = "NHWC"): Tensor {
  if (dy.rank < 2) throw invalidArgument(`Input tensor must be at least 2D: ${shapeString(dy.shape)}`);
  const cdim = dataFormat === "NCHW" && dy.rank >= 3 ? 1 : dy.rank - 1;
  const channels = dy.shape[cdim]!;
  let inner = 1;
  for (let d = cdim + 1; d < dy.rank; d++) inner *= dy.shape[d]!;
  const n = dy.numElements;
  // Element i belongs to channel floor(i / inner) mod channels.
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const shape = [channels];
  const dt = dy.dtype;
  if (dt === DataType.DT_INT64 || dt === DataType.DT_UINT64) {
    const x = dy.data as BigInt64Array;
    const out = allocData(dt, channels, shape) as BigInt64Array;
    for (let i = 0; i < n; i++) out[channelOf(i)]! += x[i]!;
    return new Tensor(dt, shape, out);
  }
  if (isComplexType(dt)) {
    const x = dy.data as Float64Array;
    const out = allocData(dt, channels, shape) as Float64Array;
    const acc = new Float64Array(2 * channels);
    for (let i = 0; i < n; i++) {
      const c = channelOf(i);
      acc[2 * c]! += x[2 * i]!;
      acc[2 * c + 1]! += x[2 * i + 1]!;
    }
    out.set(acc);
    return new Tensor(dt, shape, out);
  }
  const x = numericData(dy);
  const out = computeBuffer(dt, channels, shape) as NumericArray;
  const isInt = !(
    dt === DataType.DT_FLOAT ||
    dt === DataType.DT_DOUBLE ||
    dt === DataType.DT_HALF ||
    dt === DataType.DT_BFLOAT16
  );
  const acc = new Float64Array(channels);
  if (isInt) {
    // Integer sums wrap like C++ (the output array narrows); accumulate wrapped to 32 bits.
    for (let i = 0; i < n; i++) {
      const c = channelOf(i);
      acc[c] = (acc[c]! + x[i]!) | 0;
    }
  } else {
    for (let i = 0; i < n; i++) acc[channelOf(i)]! += x[i]!;
  }
  for (let c = 0; c < channels; c++) out[c] = acc[c]!;
  return finish(dt, shape, out);
}

export const biasAddGradConfig: KernelConfig = {
  op: {
    name: "BiasAddGrad",
    inputs: ["out_backprop: T"],
    outputs: ["output: T"],
    // data_format: {'NHWC', 'NCHW'} = 'NHWC' in TF (a string enum, checked by the kernel).
    attrs: ["T: numbertype", "data_format: {'NHWC', 'NCHW'} = 'NHWC'"],
  },
  kernel: cpuKernel("BiasAddGrad", (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    const fmt = getEnumAttr(c, "data_format", ["NHWC", "NCHW"] as const);
    return { compute: (ctx) => ctx.setOutput(0, biasAddGrad(ctx.input(0), fmt)) };
  }),
};
