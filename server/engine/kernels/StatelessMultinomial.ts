// TF's StatelessMultinomial (core/kernels/multinomial_op.cc; tf.random.stateless_categorical):
// Multinomial's sampling from a generator that starts at the seed pair's key and counter on every
// run, so the samples depend only on the logits, num_samples and seed. The seed's shape is checked
// before the logits, as in TF.

import { getAttrType } from "../framework/op-def.js";
import { checkMultinomialInputs, multinomialJob } from "./Multinomial.js";
import { computeJob } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { checkSeedShape, philoxFromSeed, TSEED } from "./util/stateless-random.js";

export const statelessMultinomialConfig: KernelConfig = {
  op: {
    name: "StatelessMultinomial",
    inputs: ["logits: T", "num_samples: int32", "seed: Tseed"],
    outputs: ["output: output_dtype"],
    attrs: ["T: realnumbertype", TSEED, "output_dtype: {int32, int64} = DT_INT64"],
  },
  kernel: cpuKernel("StatelessMultinomial", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    const outType = getAttrType(c.attrs, "output_dtype");
    return {
      compute(ctx) {
        const [logits, ns, seed] = [ctx.input(0), ctx.input(1), ctx.input(2)];
        checkSeedShape(seed);
        const gen = philoxFromSeed(seed);
        const numSamples = checkMultinomialInputs(logits, ns);
        const empty = logits.shape[0]! * numSamples === 0;
        return computeJob(ctx, multinomialJob(empty ? undefined : gen, logits, numSamples, outType));
      },
    };
  }),
};
