// TF's TruncatedNormal (core/kernels/random_op.cc, PhiloxRandomOp with TruncatedNormalDistribution):
// standard normals with |x| < 2, redrawn otherwise; each output group of 4 (2 for double) reads its
// own 256-sample region of the stream, as TF's variable-samples fill does.

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { fillFloatTensor } from "./RandomUniform.js";
import { type PhiloxRandom, truncatedNormalDistribution } from "./util/philox-random.js";
import { floatRandomOpConfig } from "./util/random-op.js";

export function truncatedNormal(gen: PhiloxRandom, shape: readonly number[], dtype: DataType): Tensor {
  return fillFloatTensor(
    gen,
    shape,
    dtype,
    truncatedNormalDistribution(dtype === DataType.DT_DOUBLE ? "double" : "float"),
  );
}

export const truncatedNormalConfig = floatRandomOpConfig("TruncatedNormal", truncatedNormal);
