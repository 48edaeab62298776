// TF's RandomUniform (core/kernels/random_op.cc, PhiloxRandomOp with UniformDistribution): uniform
// values in [0, 1) of the given shape. For a non-zero (seed, seed2) the values are TF's bit for bit,
// and each step of the same kernel continues the stream like TF's GuardedPhiloxRandom does.

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  type Distribution,
  fillPhiloxRandom,
  type PhiloxRandom,
  uniformDistribution,
} from "./util/philox-random.js";
import { floatRandomOpConfig } from "./util/random-op.js";
import { computeBuffer, finish } from "./util/tensor-util.js";

/** Fills a float-typed tensor of `shape` from `dist` (half/bfloat16 rounded from float32). */
export function fillFloatTensor(
  gen: PhiloxRandom,
  shape: readonly number[],
  dtype: DataType,
  dist: Distribution,
): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = computeBuffer(dtype, n, shape) as Float32Array | Float64Array;
  fillPhiloxRandom(gen, n, dist, (i, v) => {
    out[i] = v;
  });
  return finish(dtype, shape, out);
}

function uniformKind(dtype: DataType): "float" | "half" | "bfloat16" | "double" {
  if (dtype === DataType.DT_DOUBLE) return "double";
  if (dtype === DataType.DT_HALF) return "half";
  if (dtype === DataType.DT_BFLOAT16) return "bfloat16";
  return "float";
}

/** Uniform [0, 1) values from a generator positioned at the start of this output's block. */
export function randomUniform(gen: PhiloxRandom, shape: readonly number[], dtype: DataType): Tensor {
  return fillFloatTensor(gen, shape, dtype, uniformDistribution(uniformKind(dtype)));
}

export const randomUniformConfig = floatRandomOpConfig("RandomUniform", randomUniform);
