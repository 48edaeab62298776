// TF's StatelessRandomPoisson (core/kernels/stateless_random_ops.cc; tf.random.stateless_poisson):
// RandomPoisson's draws from the generator a seed pair derives. The shape must end with lam's
// shape (lam is broadcast over the leading dimensions).

import { invalidArgument } from "../framework/errors.js";
import { Tensor } from "../framework/tensor.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { outputShapeFromInput } from "./util/random-op.js";
import { POISSON_TYPES, samplePoissonJob } from "./util/random-poisson.js";
import { checkSeedShape, philoxFromSeed, TSEED } from "./util/stateless-random.js";

export const statelessRandomPoissonConfig: KernelConfig = {
  op: {
    name: "StatelessRandomPoisson",
    inputs: ["shape: T", "seed: Tseed", "lam: Rtype"],
    outputs: ["output: dtype"],
    attrs: [
      "Rtype: {half, float, double, int32, int64}",
      "dtype: {half, float, double, int32, int64}",
      "T: {int32, int64}",
      TSEED,
    ],
  },
  kernel: cpuKernel("StatelessRandomPoisson", (c) => {
    checkTypeConstraint(c, "Rtype", POISSON_TYPES);
    const dtype = checkTypeConstraint(c, "dtype", POISSON_TYPES);
    return {
      compute(ctx) {
        const shape = outputShapeFromInput(ctx.input(0));
        const seed = ctx.input(1);
        checkSeedShape(seed);
        if (shape.includes(0)) {
          ctx.setOutput(0, Tensor.zeros(dtype, shape));
          return;
        }
        const gen = philoxFromSeed(seed);
        const lam = ctx.input(2);
        const lead = shape.length - lam.rank;
        if (lead < 0 || lam.shape.some((d, i) => d !== shape[lead + i])) {
          throw invalidArgument("Shape passed in must end with broadcasted shape.");
        }
        return computeJob(ctx, samplePoissonJob(gen, lam, shape, dtype));
      },
    };
  }),
};
