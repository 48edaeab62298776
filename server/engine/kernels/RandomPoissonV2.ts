// TF's RandomPoissonV2 (core/kernels/random_poisson_op.cc; tf.random.poisson in TF1 graphs):
// Poisson draws of any registered rate dtype into any registered output dtype (int64 by default),
// from the kernel's seeded Philox stream; each run continues the stream.

import type { KernelConfig } from "./util/kernel-config.js";
import { SEED_ATTRS } from "./util/random-op.js";
import { statefulPoissonKernel } from "./util/random-poisson.js";

export const randomPoissonV2Config: KernelConfig = {
  op: {
    name: "RandomPoissonV2",
    inputs: ["shape: S", "rate: R"],
    outputs: ["output: dtype"],
    attrs: [
      ...SEED_ATTRS,
      "S: {int32, int64}",
      "R: {half, float, double, int32, int64} = DT_DOUBLE",
      "dtype: {half, float, double, int32, int64} = DT_INT64",
    ],
    isStateful: true,
  },
  kernel: statefulPoissonKernel("RandomPoissonV2", "R"),
};
