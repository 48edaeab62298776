// TF's StatelessRandomGammaV2 (core/kernels/stateless_random_gamma_op.cc): RandomGamma's draws
// from the generator a seed pair derives, so they depend only on the shape, seed and alpha. The
// shape must end with alpha's shape (alpha is broadcast over the leading dimensions).

import { GAMMA_TYPES } from "./RandomGamma.js";
import { gammaFill, statelessV1Config, TSEED } from "./util/stateless-random.js";

export const statelessRandomGammaV2Config = statelessV1Config({
  name: "StatelessRandomGammaV2",
  extraInputs: ["alpha: dtype"],
  attrs: ["dtype: {half, float, double}", "T: {int32, int64}", TSEED],
  kernelTypes: GAMMA_TYPES,
  fill: gammaFill(2),
});
