// TF's RandomStandardNormal (core/kernels/random_op.cc, PhiloxRandomOp with NormalDistribution):
// standard normal values by Box-Muller over TF's Philox stream, TF's values for a given seed pair.

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { fillFloatTensor } from "./RandomUniform.js";
import { normalDistribution, type PhiloxRandom } from "./util/philox-random.js";
import { floatRandomOpConfig } from "./util/random-op.js";

export function randomStandardNormal(gen: PhiloxRandom, shape: readonly number[], dtype: DataType): Tensor {
  return fillFloatTensor(
    gen,
    shape,
    dtype,
    normalDistribution(dtype === DataType.DT_DOUBLE ? "double" : "float"),
  );
}

export const randomStandardNormalConfig = floatRandomOpConfig("RandomStandardNormal", randomStandardNormal);
