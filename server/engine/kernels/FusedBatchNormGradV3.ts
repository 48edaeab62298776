// TF's FusedBatchNormGradV3 on CPU (core/kernels/fused_batch_norm_op.cc): gradients of
// FusedBatchNormV3 from its saved batch statistics (training: reserve_space_1/2 are the batch mean
// and biased variance) or from the population statistics (inference, NHWC only on CPU as in TF).

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrFloat } from "../framework/op-def.js";
import { allocData, type NumericArray, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type BatchNormFormat, channelLayout, checkChannels } from "./FusedBatchNormV3.js";
import { getEnumAttr } from "./util/conv-util.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

export interface FusedBatchNormGradOptions {
  readonly epsilon: number;
  readonly dataFormat: BatchNormFormat;
  readonly isTraining: boolean;
}

export function fusedBatchNormGradV3(
  dy: Tensor,
  x: Tensor,
  scale: Tensor,
  savedMean: Tensor,
  savedVar: Tensor,
  o: FusedBatchNormGradOptions,
): Tensor[] {
  if (dy.rank !== 4 && dy.rank !== 5)
    throw invalidArgument(`input must be 4 or 5-dimensional${shapeString(dy.shape)}`);
  if (x.rank !== 4 && x.rank !== 5)
    throw invalidArgument(`input must be 4 or 5-dimensional${shapeString(x.shape)}`);
  if (scale.rank !== 1) throw invalidArgument(`scale must be 1-dimensional${shapeString(scale.shape)}`);
  if (savedMean.rank !== 1)
    throw invalidArgument(`saved mean must be 1-dimensional${shapeString(savedMean.shape)}`);
  if (savedVar.rank !== 1) {
    throw invalidArgument(`saved variance must be 1-dimensional${shapeString(savedVar.shape)}`);
  }
  if (!sameShape(x.shape, dy.shape)) {
    throw invalidArgument(
      `x and y_backprop must have same shape, but x has shape ${shapeString(x.shape)} and y_backprop has shape ${shapeString(dy.shape)}`,
    );
  }
  const [outer, channels, inner] = channelLayout(x, o.dataFormat);
  checkChannels("scale", scale, channels);
  checkChannels("reserve_space_1", savedMean, channels);
  checkChannels("reserve_space_2", savedVar, channels);
  if (!o.isTraining && o.dataFormat !== "NHWC" && o.dataFormat !== "NDHWC") {
    throw invalidArgument(
      "The implementation of FusedBatchNormGrad with is_training=False only support NHWC tensor format for now.",
    );
  }
  const g = numericData(dy);
  const xv = numericData(x);
  const sc = numericData(scale);
  const mean = numericData(savedMean);
  const inv = Float64Array.from(numericData(savedVar), (v) => 1 / Math.sqrt(v + o.epsilon));
  const n = outer * inner;
  const dySum = new Float64Array(channels);
  const dyXc = new Float64Array(channels);
  for (let a = 0; a < outer; a++) {
    for (let c = 0; c < channels; c++) {
      const base = (a * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        dySum[c]! += g[base + i]!;
        dyXc[c]! += g[base + i]! * (xv[base + i]! - mean[c]!);
      }
    }
  }
  const dx = computeBuffer(x.dtype, x.numElements, x.shape) as NumericArray;
  for (let a = 0; a < outer; a++) {
    for (let c = 0; c < channels; c++) {
      const base = (a * channels + c) * inner;
      const k = sc[c]! * inv[c]!;
      for (let i = 0; i < inner; i++) {
        const gi = g[base + i]!;
        dx[base + i] = o.isTraining
          ? k * (gi - dySum[c]! / n - (xv[base + i]! - mean[c]!) * inv[c]! * inv[c]! * (dyXc[c]! / n))
          : k * gi;
      }
    }
  }
  const f32 = (values: ArrayLike<number>) => {
    const d = allocData(DataType.DT_FLOAT, values.length, [values.length]) as Float32Array;
    d.set(values);
    return new Tensor(DataType.DT_FLOAT, [values.length], d);
  };
  return [
    finish(x.dtype, x.shape, dx),
    f32(Float64Array.from(dyXc, (v, c) => v * inv[c]!)),
    f32(dySum),
    Tensor.zeros(DataType.DT_FLOAT, [0]),
    Tensor.zeros(DataType.DT_FLOAT, [0]),
  ];
}

export const fusedBatchNormGradV3Config: KernelConfig = {
  op: {
    name: "FusedBatchNormGradV3",
    inputs: [
      "y_backprop: T",
      "x: T",
      "scale: float",
      "reserve_space_1: U",
      "reserve_space_2: U",
      "reserve_space_3: U",
    ],
    outputs: [
      "x_backprop: T",
      "scale_backprop: U",
      "offset_backprop: U",
      "reserve_space_4: U",
      "reserve_space_5: U",
    ],
    // data_format: {'NHWC', 'NCHW', 'NDHWC', 'NCDHW'} = 'NHWC' in TF (string enum).
    attrs: [
      "T: {half, bfloat16, float}",
      "U: {float}",
      "epsilon: float = 0.0001",
      "data_format: {'NHWC', 'NCHW', 'NDHWC', 'NCDHW'} = 'NHWC'",
      "is_training: bool = true",
    ],
  },
  kernel: cpuKernel("FusedBatchNormGradV3", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.bfloat16, T.float]);
    checkTypeConstraint(c, "U", [T.float]);
    const o: FusedBatchNormGradOptions = {
      epsilon: Math.fround(getAttrFloat(c.attrs, "epsilon")),
      dataFormat: getEnumAttr(c, "data_format", ["NHWC", "NCHW", "NDHWC", "NCDHW"] as const),
      isTraining: getAttrBool(c.attrs, "is_training"),
    };
    return {
      compute(ctx) {
        const outs = fusedBatchNormGradV3(
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
