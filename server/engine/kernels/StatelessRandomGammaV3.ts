// TF's StatelessRandomGammaV3 (core/kernels/stateless_random_gamma_op.cc; what
// tf.random.stateless_gamma emits after StatelessRandomGetKeyCounter): RandomGamma's draws from an
// explicit Philox key, counter and algorithm.

import { GAMMA_TYPES } from "./RandomGamma.js";
import { gammaFill, statelessV2Config } from "./util/stateless-random.js";

export const statelessRandomGammaV3Config = statelessV2Config({
  name: "StatelessRandomGammaV3",
  extraInputs: ["alpha: dtype"],
  attrs: ["dtype: {half, float, double}"],
  shapeAttr: "shape_dtype",
  kernelTypes: GAMMA_TYPES,
  fill: gammaFill(4),
});
