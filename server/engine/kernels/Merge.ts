// TensorFlow's Merge (core/kernels/control_flow_ops.cc): forwards the first live input and its index.
// The executor makes a Merge ready as soon as one data input is live (or all are dead).

import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const MergeKernel: KernelConfig = {
  op: {
    name: "Merge",
    inputs: ["inputs: N * T"],
    outputs: ["output: T", "value_index: int32"],
    attrs: ["T: type", "N: int >= 1"],
  },
  kernel: cpuKernel("Merge", () => ({
    compute(ctx) {
      for (let i = 0; i < ctx.numInputs; i++) {
        if (ctx.hasInput(i)) {
          ctx.setOutput(0, ctx.input(i));
          ctx.setOutput(1, scalar(DataType.DT_INT32, i));
          return;
        }
      }
    },
  })),
};

/** RefMerge: Merge of ref inputs (tf.cond over ref variables); forwards the first live ref. */
export const RefMergeKernel: KernelConfig = {
  op: {
    name: "RefMerge",
    inputs: ["inputs: Ref(N * T)"],
    outputs: ["output: Ref(T)", "value_index: int32"],
    attrs: ["T: type", "N: int >= 1"],
  },
  kernel: cpuKernel("RefMerge", () => ({
    compute(ctx) {
      for (let i = 0; i < ctx.numInputs; i++) {
        if (ctx.hasInput(i)) {
          ctx.setOutputRef(0, ctx.inputRef(i));
          ctx.setOutput(1, scalar(DataType.DT_INT32, i));
          return;
        }
      }
    },
  })),
};
