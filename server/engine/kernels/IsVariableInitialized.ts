// TF's IsVariableInitialized (core/kernels/variable_ops.cc): whether a ref variable holds a value.

import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const isVariableInitializedConfig: KernelConfig = {
  op: {
    name: "IsVariableInitialized",
    inputs: ["ref: Ref(dtype)"],
    outputs: ["is_initialized: bool"],
    attrs: ["dtype: type"],
    allowsUninitializedInput: true,
  },
  kernel: simpleKernel("IsVariableInitialized", (ctx) =>
    ctx.setOutput(0, scalar(DataType.DT_BOOL, ctx.inputRef(0).value !== undefined)),
  ),
};
