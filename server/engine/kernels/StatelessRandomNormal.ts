// TF's StatelessRandomNormal (core/kernels/stateless_random_ops.cc): standard normals (TF's
// Box-Muller over Philox) that depend only on the shape and the seed pair.

import { FLOAT_TYPES } from "./kernel-config.js";
import { randomStandardNormal } from "./RandomStandardNormal.js";
import {
  floatFill,
  STATELESS_FLOAT_DTYPE,
  statelessV1Config,
  TSEED,
  V1_SHAPE_T,
} from "./stateless-random.js";

export const statelessRandomNormalConfig = statelessV1Config({
  name: "StatelessRandomNormal",
  attrs: [STATELESS_FLOAT_DTYPE, V1_SHAPE_T, TSEED],
  kernelTypes: FLOAT_TYPES,
  fill: floatFill(randomStandardNormal),
});
