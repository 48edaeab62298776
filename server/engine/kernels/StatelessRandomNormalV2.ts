// TF's StatelessRandomNormalV2 (core/kernels/stateless_random_ops_v2.cc): standard normals from an
// explicit Philox key, counter and algorithm.

import { randomStandardNormalJob } from "./RandomStandardNormal.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";
import { floatFill, STATELESS_FLOAT_DTYPE, statelessV2Config } from "./util/stateless-random.js";

export const statelessRandomNormalV2Config = statelessV2Config({
  name: "StatelessRandomNormalV2",
  attrs: [STATELESS_FLOAT_DTYPE],
  kernelTypes: FLOAT_TYPES,
  fill: floatFill(randomStandardNormalJob),
});
