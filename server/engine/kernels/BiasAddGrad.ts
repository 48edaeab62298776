// TF's BiasAddGrad (core/kernels/bias_op.cc): the sum of out_backprop over every dimension but the
// channel one — the last for NHWC and for rank-2 NCHW, dimension 1 for NCHW of rank ≥ 3.

import { invalidArgument } from "../framework/errors.js";
import { allocData, type NumericArray, shapeString, Tensor } from "../framework/tensor.js";
import { DataType, isComplexType } from "../framework/types.js";
import { getEnumAttr } from "./util/conv-util.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  encodedOutput,
  oneLoop,
  runWhole,
} from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

export function biasAddGrad(dy: Tensor, dataFormat: "NHWC" | "NCHW" = "NHWC"): Tensor {
  return runWhole(biasAddGradJob(dy, dataFormat));
}

/**
 * biasAddGrad as an ElementJob (util/element-slices.ts): one pass over out_backprop in element
 * order adding each element into its channel's slot, so a range may start anywhere and every
 * channel takes its elements in one run's order; then the slots become the output.
 */
export function biasAddGradJob(dy: Tensor, dataFormat: "NHWC" | "NCHW" = "NHWC"): ElementJob<Tensor> {
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
    return oneLoop(
      n,
      (s, e) => {
        for (let i = s; i < e; i++) out[channelOf(i)]! += x[i]!;
      },
      () => new Tensor(dt, shape, out),
    );
  }
  if (isComplexType(dt)) {
    const x = dy.data as Float64Array;
    const out = allocData(dt, channels, shape) as Float64Array;
    const acc = new Float64Array(2 * channels);
    const sumPass = {
      n,
      run: (s: number, e: number) => {
        for (let i = s; i < e; i++) {
          const c = channelOf(i);
          acc[2 * c]! += x[2 * i]!;
          acc[2 * c + 1]! += x[2 * i + 1]!;
        }
      },
      cost: 2,
    };
    return {
      passes: [sumPass],
      result: () => {
        out.set(acc);
        return new Tensor(dt, shape, out);
      },
    };
  }
  const input = decodedInput(dy);
  const x = input.data;
  const out = computeBuffer(dt, channels, shape) as NumericArray;
  const encoded = encodedOutput(dt, shape, out);
  const isInt = !(
    dt === DataType.DT_FLOAT ||
    dt === DataType.DT_DOUBLE ||
    dt === DataType.DT_HALF ||
    dt === DataType.DT_BFLOAT16
  );
  const acc = new Float64Array(channels);
  // Integer sums wrap like C++ (the output array narrows); accumulate wrapped to 32 bits.
  const sumPass = {
    n,
    run: isInt
      ? (s: number, e: number) => {
          for (let i = s; i < e; i++) {
            const c = channelOf(i);
            acc[c] = (acc[c]! + x[i]!) | 0;
          }
        }
      : (s: number, e: number) => {
          for (let i = s; i < e; i++) acc[channelOf(i)]! += x[i]!;
        },
  };
  const store = {
    n: channels,
    run: (s: number, e: number) => {
      for (let c = s; c < e; c++) out[c] = acc[c]!;
    },
  };
  return { passes: [...input.passes, sumPass, store, ...encoded.passes], result: encoded.result };
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
    return { compute: (ctx) => computeJob(ctx, biasAddGradJob(ctx.input(0), fmt)) };
  }),
};
