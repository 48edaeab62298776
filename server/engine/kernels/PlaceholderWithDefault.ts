// TF's PlaceholderWithDefault: passes its input through unless fed (feeding is the executor's job).

import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const placeholderWithDefaultConfig: KernelConfig = {
  op: {
    name: "PlaceholderWithDefault",
    inputs: ["input: dtype"],
    outputs: ["output: dtype"],
    attrs: ["dtype: type", "shape: shape"],
  },
  kernel: simpleKernel("PlaceholderWithDefault", (ctx) => ctx.setOutput(0, ctx.input(0))),
};
