// TF's StatelessRandomNormal (core/kernels/stateless_random_ops.cc): standard normals (TF's
// Box-Muller over Philox) that depend only on the shape and the seed pair.

import { randomStandardNormalJob } from "./RandomStandardNormal.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";
import {
  floatFill,
  STATELESS_FLOAT_DTYPE,
  statelessV1Config,
  TSEED,
  V1_SHAPE_T,
} from "./util/stateless-random.js";

export const statelessRandomNormalConfig = statelessV1Config({
  name: "StatelessRandomNormal",
  attrs: [STATELESS_FLOAT_DTYPE, V1_SHAPE_T, TSEED],
  kernelTypes: FLOAT_TYPES,
  fill: floatFill(randomStandardNormalJob),
});
