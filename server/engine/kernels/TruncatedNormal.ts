// TF's TruncatedNormal (core/kernels/random_op.cc, PhiloxRandomOp with TruncatedNormalDistribution):
// standard normals with |x| < 2, redrawn otherwise; each output group of 4 (2 for double) reads its
// own 256-sample region of the stream, as TF's variable-samples fill does.

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { fillFloatJob } from "./RandomUniform.js";
import { type ElementJob, runWhole } from "./util/element-slices.js";
import { type PhiloxRandom, truncatedNormalDistribution } from "./util/philox-random.js";
import { floatRandomOpConfig } from "./util/random-op.js";

export function truncatedNormal(gen: PhiloxRandom, shape: readonly number[], dtype: DataType): Tensor {
  return runWhole(truncatedNormalJob(gen, shape, dtype));
}

/**
 * truncatedNormal as an ElementJob (util/element-slices.ts). A group's cost against a plain loop's
 * element: a generator copy and its Box-Muller draws, a few redrawn, took ~3.3 µs for a float
 * group of 4 on the loaded test machine and ~1.2 µs for a double pair.
 */
export function truncatedNormalJob(
  gen: PhiloxRandom,
  shape: readonly number[],
  dtype: DataType,
): ElementJob<Tensor> {
  const dist = truncatedNormalDistribution(dtype === DataType.DT_DOUBLE ? "double" : "float");
  return fillFloatJob(gen, shape, dtype, dist, dtype === DataType.DT_DOUBLE ? 600 : 1600);
}

export const truncatedNormalConfig = floatRandomOpConfig("TruncatedNormal", truncatedNormalJob);
