// TF's StatelessRandomGetKeyCounter (core/kernels/stateless_random_ops_v2.cc): the Philox key
// (uint64[1]) and counter (uint64[2]) a seed pair scrambles to, which the V2 stateless ops take.

import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { checkSeedShape, keyCounterTensors, philoxFromSeed, TSEED } from "./util/stateless-random.js";

export const statelessRandomGetKeyCounterConfig: KernelConfig = {
  op: {
    name: "StatelessRandomGetKeyCounter",
    inputs: ["seed: Tseed"],
    outputs: ["key: uint64", "counter: uint64"],
    attrs: [TSEED],
  },
  kernel: simpleKernel("StatelessRandomGetKeyCounter", (ctx) => {
    const seed = ctx.input(0);
    checkSeedShape(seed);
    const [key, counter] = keyCounterTensors(philoxFromSeed(seed));
    ctx.setOutput(0, key);
    ctx.setOutput(1, counter);
  }),
};
