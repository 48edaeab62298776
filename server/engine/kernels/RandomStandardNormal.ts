// TF's RandomStandardNormal (core/kernels/random_op.cc, PhiloxRandomOp with NormalDistribution):
// standard normal values by Box-Muller over TF's Philox stream, TF's values for a given seed pair.

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { fillFloatJob } from "./RandomUniform.js";
import { type ElementJob, runWhole } from "./util/element-slices.js";
import { normalDistribution, type PhiloxRandom } from "./util/philox-random.js";
import { floatRandomOpConfig } from "./util/random-op.js";

export function randomStandardNormal(gen: PhiloxRandom, shape: readonly number[], dtype: DataType): Tensor {
  return runWhole(randomStandardNormalJob(gen, shape, dtype));
}

/**
 * randomStandardNormal as an ElementJob (util/element-slices.ts). A group's cost against a plain
 * loop's element: two float Box-Muller transforms (glibc's logf and sincosf ported) took ~1.8 µs
 * on the loaded test machine, a double group one transform of V8's, ~0.3 µs.
 */
export function randomStandardNormalJob(
  gen: PhiloxRandom,
  shape: readonly number[],
  dtype: DataType,
): ElementJob<Tensor> {
  const dist = normalDistribution(dtype === DataType.DT_DOUBLE ? "double" : "float");
  return fillFloatJob(gen, shape, dtype, dist, dtype === DataType.DT_DOUBLE ? 160 : 900);
}

export const randomStandardNormalConfig = floatRandomOpConfig(
  "RandomStandardNormal",
  randomStandardNormalJob,
);
