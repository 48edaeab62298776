// TF's StatelessRandomGetAlg (core/kernels/stateless_random_ops_v2.cc): the device's default
// stateless algorithm id, Philox on CPU. Stateful in TF's op registry (the answer is per device).

import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { philoxAlgTensor } from "./util/stateless-random.js";

export const statelessRandomGetAlgConfig: KernelConfig = {
  op: { name: "StatelessRandomGetAlg", outputs: ["alg: int32"], isStateful: true },
  kernel: simpleKernel("StatelessRandomGetAlg", (ctx) => ctx.setOutput(0, philoxAlgTensor())),
};
