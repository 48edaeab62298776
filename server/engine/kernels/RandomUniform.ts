// TF's RandomUniform (core/kernels/random_op.cc, PhiloxRandomOp with UniformDistribution): uniform
// values in [0, 1) of the given shape. For a non-zero (seed, seed2) the values are TF's bit for bit,
// and each step of the same kernel continues the stream like TF's GuardedPhiloxRandom does.

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type ElementJob, encodedOutput, runWhole } from "./util/element-slices.js";
import {
  type Distribution,
  type PhiloxRandom,
  philoxFillPass,
  uniformDistribution,
} from "./util/philox-random.js";
import { floatRandomOpConfig } from "./util/random-op.js";
import { computeBuffer } from "./util/tensor-util.js";

/** Fills a float-typed tensor of `shape` from `dist` (half/bfloat16 rounded from float32). */
export function fillFloatTensor(
  gen: PhiloxRandom,
  shape: readonly number[],
  dtype: DataType,
  dist: Distribution,
): Tensor {
  return runWhole(fillFloatJob(gen, shape, dtype, dist, 1));
}

/**
 * fillFloatTensor as an ElementJob (util/element-slices.ts): the draws in ranges of result groups
 * (`cost`: a group's work against a plain loop), then the half/bfloat16 encoding.
 */
export function fillFloatJob(
  gen: PhiloxRandom,
  shape: readonly number[],
  dtype: DataType,
  dist: Distribution,
  cost: number,
): ElementJob<Tensor> {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = computeBuffer(dtype, n, shape) as Float32Array | Float64Array;
  const draws = philoxFillPass(
    gen,
    n,
    dist,
    (i, v) => {
      out[i] = v;
    },
    cost,
  );
  const encoded = encodedOutput(dtype, shape, out);
  return { passes: [draws, ...encoded.passes], result: encoded.result };
}

function uniformKind(dtype: DataType): "float" | "half" | "bfloat16" | "double" {
  if (dtype === DataType.DT_DOUBLE) return "double";
  if (dtype === DataType.DT_HALF) return "half";
  if (dtype === DataType.DT_BFLOAT16) return "bfloat16";
  return "float";
}

/** Uniform [0, 1) values from a generator positioned at the start of this output's block. */
export function randomUniform(gen: PhiloxRandom, shape: readonly number[], dtype: DataType): Tensor {
  return runWhole(randomUniformJob(gen, shape, dtype));
}

/** randomUniform as an ElementJob (util/element-slices.ts). */
export function randomUniformJob(
  gen: PhiloxRandom,
  shape: readonly number[],
  dtype: DataType,
): ElementJob<Tensor> {
  return fillFloatJob(gen, shape, dtype, uniformDistribution(uniformKind(dtype)), UNIFORM_GROUP_COST);
}

/**
 * A group of uniforms (one Philox output, 2 or 4 conversions) against a plain loop's element: a
 * group took 220-400 ns on the loaded test machine, a plain element about 2.
 */
const UNIFORM_GROUP_COST = 150;

export const randomUniformConfig = floatRandomOpConfig("RandomUniform", randomUniformJob);
