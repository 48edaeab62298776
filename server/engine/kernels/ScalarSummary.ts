// TF's ScalarSummary (core/kernels/summary_op.cc, tf.compat.v1.summary.scalar): one Summary value
// per tag, its simple_value the value cast to float.

import { invalidArgument } from "../framework/errors.js";
import { sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { doublesOf, summaryTensor } from "./util/summary-util.js";

const utf8 = new TextDecoder();

export function scalarSummary(tags: Tensor, values: Tensor): Tensor {
  if (!sameShape(tags.shape, values.shape)) {
    // TF names the tag when there is exactly one.
    const one = tags.numElements === 1 ? ` (tag '${utf8.decode((tags.data as Uint8Array[])[0]!)}')` : "";
    throw invalidArgument(
      `tags and values are not the same shape: ${shapeString(tags.shape)} != ${shapeString(values.shape)}${one}`,
    );
  }
  const t = tags.data as Uint8Array[];
  const v = doublesOf(values);
  return summaryTensor(
    Array.from({ length: tags.numElements }, (_, i) => ({
      tag: utf8.decode(t[i]!),
      value: { case: "simpleValue" as const, value: Math.fround(v[i]!) },
    })),
  );
}

export const scalarSummaryConfig: KernelConfig = {
  op: {
    name: "ScalarSummary",
    inputs: ["tags: string", "values: T"],
    outputs: ["summary: string"],
    attrs: ["T: realnumbertype"],
  },
  kernel: cpuKernel("ScalarSummary", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    return { compute: (ctx) => ctx.setOutput(0, scalarSummary(ctx.input(0), ctx.input(1))) };
  }),
};
