// TF's TensorSummary (core/kernels/summary_tensor_op.cc), the older tensor summary: one Summary
// value holding the tensor and, instead of a tag, the name of the node that made it. Its attrs
// (description, labels, display_name) are accepted and unused, as in TF.

import type { Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { summaryTensor, summaryTensorProto } from "./util/summary-util.js";

export function tensorSummary(tensor: Tensor, nodeName: string): Tensor {
  return summaryTensor([{ nodeName, value: { case: "tensor", value: summaryTensorProto(tensor) } }]);
}

export const tensorSummaryConfig: KernelConfig = {
  op: {
    name: "TensorSummary",
    inputs: ["tensor: T"],
    outputs: ["summary: string"],
    attrs: ["T: type", "description: string = ''", "labels: list(string) = []", "display_name: string = ''"],
  },
  kernel: cpuKernel("TensorSummary", (c) => {
    const name = c.nodeName;
    return { compute: (ctx) => ctx.setOutput(0, tensorSummary(ctx.input(0), name)) };
  }),
};
