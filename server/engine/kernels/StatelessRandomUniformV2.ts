// TF's StatelessRandomUniformV2 (core/kernels/stateless_random_ops_v2.cc): uniform values in
// [0, 1) from an explicit Philox key, counter and algorithm (what tf.random.stateless_uniform and
// Keras' initializers emit after StatelessRandomGetKeyCounter).

import { randomUniformJob } from "./RandomUniform.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";
import { floatFill, STATELESS_FLOAT_DTYPE, statelessV2Config } from "./util/stateless-random.js";

export const statelessRandomUniformV2Config = statelessV2Config({
  name: "StatelessRandomUniformV2",
  attrs: [STATELESS_FLOAT_DTYPE],
  kernelTypes: FLOAT_TYPES,
  fill: floatFill(randomUniformJob),
});
