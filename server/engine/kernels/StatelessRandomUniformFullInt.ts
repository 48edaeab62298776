// TF's StatelessRandomUniformFullInt (core/kernels/stateless_random_ops.cc): integers over the
// dtype's whole range, the seed pair's Philox words as they are. The op accepts unsigned seeds but
// the kernel does not (INVALID_ARGUMENT "Invalid seed type", as in TF).

import { T } from "./util/kernel-config.js";
import { statelessV1Config, uniformFullIntFill } from "./util/stateless-random.js";

export const statelessRandomUniformFullIntConfig = statelessV1Config({
  name: "StatelessRandomUniformFullInt",
  attrs: [
    "dtype: {int32, int64, uint32, uint64} = DT_UINT64",
    "T: {int32, int64} = DT_INT32",
    "Tseed: {int32, int64, uint32, uint64} = DT_INT64",
  ],
  kernelTypes: [T.int32, T.int64, T.uint32, T.uint64],
  fill: uniformFullIntFill,
});
