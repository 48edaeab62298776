// TF's StatelessRandomUniformFullIntV2 (core/kernels/stateless_random_ops_v2.cc): integers over
// the dtype's whole range from an explicit key, counter and algorithm.

import { T } from "./util/kernel-config.js";
import { statelessV2Config, uniformFullIntFill } from "./util/stateless-random.js";

export const statelessRandomUniformFullIntV2Config = statelessV2Config({
  name: "StatelessRandomUniformFullIntV2",
  attrs: ["dtype: {int32, int64, uint32, uint64} = DT_UINT64"],
  kernelTypes: [T.int32, T.int64, T.uint32, T.uint64],
  fill: uniformFullIntFill,
});
