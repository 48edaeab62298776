// TF's StringFormat (core/kernels/string_format_op.cc): fills a template's placeholders with
// summaries of the input tensors (Tensor::SummarizeValue with print_v2 formatting); the usual
// producer of PrintV2's input.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt, getAttrString } from "../framework/op-def.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { summarizeValue } from "./util/summarize-value.js";

const enc = new TextEncoder();

export function stringFormat(
  inputs: readonly Tensor[],
  template: string,
  placeholder: string,
  summarize: number,
): Tensor {
  const pieces = template.split(placeholder);
  let msg = pieces[0]!;
  for (let i = 1; i < pieces.length; i++) msg += summarizeValue(inputs[i - 1]!, summarize, true) + pieces[i]!;
  return new Tensor(DataType.DT_STRING, [], [enc.encode(msg)]);
}

export const stringFormatConfig: KernelConfig = {
  op: {
    name: "StringFormat",
    inputs: ["inputs: T"],
    outputs: ["output: string"],
    attrs: [
      "T: list(type) >= 0",
      "template: string = '%s'",
      "placeholder: string = '%s'",
      "summarize: int = 3",
    ],
  },
  kernel: cpuKernel("StringFormat", (c) => {
    const template = getAttrString(c.attrs, "template");
    const placeholder = getAttrString(c.attrs, "placeholder");
    const summarize = getAttrInt(c.attrs, "summarize");
    const numPlaceholders = template.split(placeholder).length - 1;
    if (numPlaceholders !== c.inputTypes.length) {
      throw invalidArgument(
        `num placeholders in template and num inputs must match: ${numPlaceholders} vs. ${c.inputTypes.length}`,
      );
    }
    return {
      compute(ctx) {
        const inputs = Array.from({ length: ctx.numInputs }, (_, i) => ctx.input(i));
        ctx.setOutput(0, stringFormat(inputs, template, placeholder, summarize));
      },
    };
  }),
};
