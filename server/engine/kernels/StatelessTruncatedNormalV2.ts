// TF's StatelessTruncatedNormalV2 (core/kernels/stateless_random_ops_v2.cc): normals truncated to
// |x| < 2 from an explicit Philox key, counter and algorithm.

import { truncatedNormalJob } from "./TruncatedNormal.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";
import { floatFill, STATELESS_FLOAT_DTYPE, statelessV2Config } from "./util/stateless-random.js";

export const statelessTruncatedNormalV2Config = statelessV2Config({
  name: "StatelessTruncatedNormalV2",
  attrs: [STATELESS_FLOAT_DTYPE],
  kernelTypes: FLOAT_TYPES,
  fill: floatFill(truncatedNormalJob),
});
