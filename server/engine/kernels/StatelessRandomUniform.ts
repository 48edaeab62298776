// TF's StatelessRandomUniform (core/kernels/stateless_random_ops.cc): uniform values in [0, 1)
// that depend only on the shape and the seed pair, TF's bit for bit.

import { randomUniformJob } from "./RandomUniform.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";
import {
  floatFill,
  STATELESS_FLOAT_DTYPE,
  statelessV1Config,
  TSEED,
  V1_SHAPE_T,
} from "./util/stateless-random.js";

export const statelessRandomUniformConfig = statelessV1Config({
  name: "StatelessRandomUniform",
  attrs: [STATELESS_FLOAT_DTYPE, V1_SHAPE_T, TSEED],
  kernelTypes: FLOAT_TYPES,
  fill: floatFill(randomUniformJob),
});
