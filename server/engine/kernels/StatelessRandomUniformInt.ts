// TF's StatelessRandomUniformInt (core/kernels/stateless_random_ops.cc): integers in
// [minval, maxval) from the seed pair's stream, as lo + bits % (hi - lo) (TF's slight bias included).

import { T } from "./util/kernel-config.js";
import { statelessV1Config, TSEED, uniformIntFill } from "./util/stateless-random.js";

export const statelessRandomUniformIntConfig = statelessV1Config({
  name: "StatelessRandomUniformInt",
  extraInputs: ["minval: dtype", "maxval: dtype"],
  attrs: ["dtype: {int32, int64}", "T: {int32, int64}", TSEED],
  kernelTypes: [T.int32, T.int64],
  fill: uniformIntFill(2),
});
