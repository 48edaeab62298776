// TF's StatelessRandomUniformIntV2 (core/kernels/stateless_random_ops_v2.cc): integers in
// [minval, maxval) from an explicit key, counter and algorithm. The op allows unsigned dtypes; TF
// registers CPU kernels for int32 and int64 only.

import { T } from "./util/kernel-config.js";
import { statelessV2Config, uniformIntFill } from "./util/stateless-random.js";

export const statelessRandomUniformIntV2Config = statelessV2Config({
  name: "StatelessRandomUniformIntV2",
  extraInputs: ["minval: dtype", "maxval: dtype"],
  attrs: ["dtype: {int32, int64, uint32, uint64}"],
  kernelTypes: [T.int32, T.int64],
  fill: uniformIntFill(4),
});
