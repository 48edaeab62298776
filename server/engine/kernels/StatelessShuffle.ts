// TF's StatelessShuffle (core/kernels/stateless_shuffle_op.cc): RandomShuffle's permutation of
// dimension 0, drawn from an explicit Philox key, counter and algorithm instead of a kernel's
// stream, so the order depends only on the inputs.

import { shuffleDim0 } from "./RandomShuffle.js";
import { ALL_TYPES, checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { keyCounterAlgFromInputs, philoxForAlg } from "./util/stateless-random.js";

export const statelessShuffleConfig: KernelConfig = {
  op: {
    name: "StatelessShuffle",
    inputs: ["value: T", "key: uint64", "counter: uint64", "alg: int32"],
    outputs: ["output: T"],
    attrs: ["T: type"],
  },
  kernel: cpuKernel("StatelessShuffle", (c) => {
    checkTypeConstraint(c, "T", ALL_TYPES);
    return {
      compute(ctx) {
        const gen = philoxForAlg(keyCounterAlgFromInputs(ctx, 1));
        ctx.setOutput(
          0,
          shuffleDim0(ctx.input(0), () => gen),
        );
      },
    };
  }),
};
