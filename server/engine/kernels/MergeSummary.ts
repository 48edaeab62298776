// TF's MergeSummary (core/kernels/summary_op.cc, tf.compat.v1.summary.merge / merge_all): the
// values of every serialized Summary in every input, in order, in one Summary. A non-empty tag
// may occur once (tensor summaries without a tag are exempt); TF's message for a repeated one ends
// in a space.

import { fromBinary } from "@bufbuild/protobuf";
import { type Summary_Value, SummarySchema } from "../../../gen/tensorflow/core/framework/summary_pb.js";
import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { summaryTensor } from "./util/summary-util.js";

export function mergeSummary(inputs: readonly Tensor[]): Tensor {
  const values: Summary_Value[] = [];
  const tags = new Set<string>();
  for (const t of inputs) {
    const strings = t.data as Uint8Array[];
    for (let i = 0; i < t.numElements; i++) {
      let parsed: Summary_Value[];
      try {
        parsed = fromBinary(SummarySchema, strings[i]!).value;
      } catch {
        throw invalidArgument("Could not parse one of the summary inputs");
      }
      for (const v of parsed) {
        if (v.tag !== "" && tags.has(v.tag)) {
          throw invalidArgument(`Duplicate tag ${v.tag} found in summary inputs `);
        }
        tags.add(v.tag);
        values.push(v);
      }
    }
  }
  return summaryTensor(values);
}

export const mergeSummaryConfig: KernelConfig = {
  op: {
    name: "MergeSummary",
    inputs: ["inputs: N * string"],
    outputs: ["summary: string"],
    attrs: ["N: int >= 1"],
  },
  kernel: cpuKernel("MergeSummary", () => ({
    compute: (ctx) =>
      ctx.setOutput(0, mergeSummary(Array.from({ length: ctx.numInputs }, (_, i) => ctx.input(i)))),
  })),
};
