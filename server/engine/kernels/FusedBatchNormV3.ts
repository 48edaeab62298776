// TF's FusedBatchNormV3 on CPU (core/kernels/fused_batch_norm_op.cc): batch normalisation over
// every dimension but the channel one (last for NHWC/NDHWC, 1 for NCHW/NCDHW). Training uses the
// batch's mean and biased variance, reports the Bessel-corrected variance (n / max(n − 1, 1)) and
// blends both into mean/variance when exponential_avg_factor ≠ 1; inference uses mean/variance.
// Statistics are float32 (U); x and y may be half or bfloat16 (T).

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrFloat } from "../framework/op-def.js";
import { allocData, type NumericArray, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { getEnumAttr } from "./util/conv-util.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

export type BatchNormFormat = "NHWC" | "NCHW" | "NDHWC" | "NCDHW";

export interface FusedBatchNormOptions {
  readonly epsilon: number;
  readonly exponentialAvgFactor: number;
  readonly dataFormat: BatchNormFormat;
  readonly isTraining: boolean;
}

/** [outer, channels, inner] of x for its format: element (o, c, i) is at (o·C + c)·inner + i. */
export function channelLayout(x: Tensor, fmt: BatchNormFormat): [number, number, number] {
  const last = fmt === "NHWC" || fmt === "NDHWC";
  const cdim = last ? x.rank - 1 : 1;
  let outer = 1;
  for (let d = 0; d < cdim; d++) outer *= x.shape[d]!;
  let inner = 1;
  for (let d = cdim + 1; d < x.rank; d++) inner *= x.shape[d]!;
  return [outer, x.shape[cdim]!, inner];
}

export function checkChannels(name: string, t: Tensor, channels: number, prefix = ""): void {
  if (t.numElements !== channels) {
    throw invalidArgument(
      `${prefix}${name} must have the same number of elements as the channels of x, got ${t.numElements} and ${channels}`,
    );
  }
}

const f32 = (shape: readonly number[], values: ArrayLike<number>): Tensor => {
  const d = allocData(DataType.DT_FLOAT, values.length, shape) as Float32Array;
  d.set(values);
  return new Tensor(DataType.DT_FLOAT, shape, d);
};

export function fusedBatchNormV3(
  x: Tensor,
  scale: Tensor,
  offset: Tensor,
  mean: Tensor,
  variance: Tensor,
  o: FusedBatchNormOptions,
): Tensor[] {
  if (x.rank !== 4 && x.rank !== 5)
    throw invalidArgument(`input must be 4 or 5-dimensional${shapeString(x.shape)}`);
  if (scale.rank !== 1) throw invalidArgument(`scale must be 1-dimensional${shapeString(scale.shape)}`);
  if (offset.rank !== 1) throw invalidArgument(`offset must be 1-dimensional${shapeString(offset.shape)}`);
  if (mean.rank !== 1)
    throw invalidArgument(`estimated_mean must be 1-dimensional${shapeString(mean.shape)}`);
  if (variance.rank !== 1) {
    throw invalidArgument(`estimated_variance must be 1-dimensional${shapeString(variance.shape)}`);
  }
  // A 5-D x with a 4-D format (and vice versa) reads the channel dimension the same way.
  const [outer, channels, inner] = channelLayout(x, o.dataFormat);
  checkChannels("scale", scale, channels);
  checkChannels("offset", offset, channels);
  const useMoving = !o.isTraining || o.exponentialAvgFactor !== 1;
  if (useMoving) {
    const prefix = o.isTraining ? "When exponential_avg_factor != 1, " : "When is_training=false, ";
    checkChannels("mean", mean, channels, prefix);
    checkChannels("variance", variance, channels, prefix);
  }
  const xv = numericData(x);
  const sc = numericData(scale);
  const of = numericData(offset);
  const n = outer * inner;
  const m = new Float64Array(channels);
  const v = new Float64Array(channels);
  if (o.isTraining) {
    for (let a = 0; a < outer; a++) {
      for (let c = 0; c < channels; c++) {
        const base = (a * channels + c) * inner;
        for (let i = 0; i < inner; i++) m[c]! += xv[base + i]!;
      }
    }
    for (let c = 0; c < channels; c++) m[c]! /= n;
    for (let a = 0; a < outer; a++) {
      for (let c = 0; c < channels; c++) {
        const base = (a * channels + c) * inner;
        for (let i = 0; i < inner; i++) {
          const d = xv[base + i]! - m[c]!;
          v[c]! += d * d;
        }
      }
    }
    for (let c = 0; c < channels; c++) v[c]! /= n;
  } else {
    m.set(numericData(mean));
    v.set(numericData(variance));
  }
  const y = computeBuffer(x.dtype, x.numElements, x.shape) as NumericArray;
  const mul = new Float64Array(channels);
  for (let c = 0; c < channels; c++) mul[c] = sc[c]! / Math.sqrt(v[c]! + o.epsilon);
  for (let a = 0; a < outer; a++) {
    for (let c = 0; c < channels; c++) {
      const base = (a * channels + c) * inner;
      for (let i = 0; i < inner; i++) y[base + i] = (xv[base + i]! - m[c]!) * mul[c]! + of[c]!;
    }
  }
  const cs = [channels];
  let batchMean: Tensor;
  let batchVar: Tensor;
  if (o.isTraining) {
    const corrected = Float64Array.from(v, (x) => (x * n) / Math.max(n - 1, 1));
    if (o.exponentialAvgFactor === 1) {
      batchMean = f32(cs, m);
      batchVar = f32(cs, corrected);
    } else {
      const f = o.exponentialAvgFactor;
      const om = numericData(mean);
      const ov = numericData(variance);
      batchMean = f32(
        cs,
        Float64Array.from(m, (x, c) => (1 - f) * om[c]! + f * x),
      );
      batchVar = f32(
        cs,
        Float64Array.from(corrected, (x, c) => (1 - f) * ov[c]! + f * x),
      );
    }
  } else {
    batchMean = f32(cs, m);
    batchVar = f32(cs, v);
  }
  // reserve_space_1/2: the batch mean and biased variance in training (FusedBatchNormGradV3 reads
  // them); TF leaves them uninitialised in inference, we hand back mean and variance.
  // reserve_space_3 is TF's empty scalar placeholder on CPU.
  return [
    finish(x.dtype, x.shape, y),
    batchMean,
    batchVar,
    f32(cs, m),
    f32(cs, v),
    Tensor.zeros(DataType.DT_FLOAT, []),
  ];
}

export const fusedBatchNormV3Config: KernelConfig = {
  op: {
    name: "FusedBatchNormV3",
    inputs: ["x: T", "scale: U", "offset: U", "mean: U", "variance: U"],
    outputs: [
      "y: T",
      "batch_mean: U",
      "batch_variance: U",
      "reserve_space_1: U",
      "reserve_space_2: U",
      "reserve_space_3: U",
    ],
    // data_format: {'NHWC', 'NCHW', 'NDHWC', 'NCDHW'} = 'NHWC' in TF (string enum).
    attrs: [
      "T: {half, bfloat16, float}",
      "U: {bfloat16, float}",
      "epsilon: float = 0.0001",
      "exponential_avg_factor: float = 1.0",
      "data_format: {'NHWC', 'NCHW', 'NDHWC', 'NCDHW'} = 'NHWC'",
      "is_training: bool = true",
    ],
  },
  kernel: cpuKernel("FusedBatchNormV3", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.bfloat16, T.float]);
    checkTypeConstraint(c, "U", [T.float]);
    const o: FusedBatchNormOptions = {
      epsilon: Math.fround(getAttrFloat(c.attrs, "epsilon")),
      exponentialAvgFactor: Math.fround(getAttrFloat(c.attrs, "exponential_avg_factor")),
      dataFormat: getEnumAttr(c, "data_format", ["NHWC", "NCHW", "NDHWC", "NCDHW"] as const),
      isTraining: getAttrBool(c.attrs, "is_training"),
    };
    return {
      compute(ctx) {
        const outs = fusedBatchNormV3(
          ctx.input(0),
          ctx.input(1),
          ctx.input(2),
          ctx.input(3),
          ctx.input(4),
          o,
        );
        for (const [i, t] of outs.entries()) ctx.setOutput(i, t);
      },
    };
  }),
};
