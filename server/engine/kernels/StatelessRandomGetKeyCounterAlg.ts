// TF's StatelessRandomGetKeyCounterAlg (core/kernels/stateless_random_ops_v2.cc): a seed pair's
// Philox key and counter, and the algorithm id (Philox on CPU).

import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import {
  checkSeedShape,
  keyCounterTensors,
  philoxAlgTensor,
  philoxFromSeed,
  TSEED,
} from "./util/stateless-random.js";

export const statelessRandomGetKeyCounterAlgConfig: KernelConfig = {
  op: {
    name: "StatelessRandomGetKeyCounterAlg",
    inputs: ["seed: Tseed"],
    outputs: ["key: uint64", "counter: uint64", "alg: int32"],
    attrs: [TSEED],
  },
  kernel: simpleKernel("StatelessRandomGetKeyCounterAlg", (ctx) => {
    const seed = ctx.input(0);
    checkSeedShape(seed);
    const [key, counter] = keyCounterTensors(philoxFromSeed(seed));
    ctx.setOutput(0, key);
    ctx.setOutput(1, counter);
    ctx.setOutput(2, philoxAlgTensor());
  }),
};
