// TF's StatelessTruncatedNormal (core/kernels/stateless_random_ops.cc): standard normals redrawn
// until |x| < 2, each output group reading its own 256-sample region of the seed pair's stream.

import { truncatedNormalJob } from "./TruncatedNormal.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";
import {
  floatFill,
  STATELESS_FLOAT_DTYPE,
  statelessV1Config,
  TSEED,
  V1_SHAPE_T,
} from "./util/stateless-random.js";

export const statelessTruncatedNormalConfig = statelessV1Config({
  name: "StatelessTruncatedNormal",
  attrs: [STATELESS_FLOAT_DTYPE, V1_SHAPE_T, TSEED],
  kernelTypes: FLOAT_TYPES,
  fill: floatFill(truncatedNormalJob),
});
