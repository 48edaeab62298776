// TF's TensorSummaryV2 (core/kernels/summary_tensor_op.cc, what tf.summary's TensorBoard plugins
// emit in graph mode): one Summary value holding the tensor, its tag and the plugin metadata
// parsed from serialized_summary_metadata.

import { create, fromBinary } from "@bufbuild/protobuf";
import { SummaryMetadataSchema } from "../../../gen/tensorflow/core/framework/summary_pb.js";
import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { summaryTensor, summaryTensorProto, tagOf } from "./util/summary-util.js";

/** The metadata TF's ParseFromTString leaves: what parses, an empty message when nothing does. */
function parseMetadata(bytes: Uint8Array) {
  try {
    return fromBinary(SummaryMetadataSchema, bytes);
  } catch {
    return create(SummaryMetadataSchema);
  }
}

export function tensorSummaryV2(tag: Tensor, tensor: Tensor, metadata: Tensor): Tensor {
  if (tag.rank !== 0) throw invalidArgument("tag must be scalar");
  if (metadata.rank !== 0) throw invalidArgument("serialized_summary_metadata must be scalar");
  return summaryTensor([
    {
      tag: tagOf(tag),
      value: { case: "tensor", value: summaryTensorProto(tensor) },
      metadata: parseMetadata((metadata.data as Uint8Array[])[0]!),
    },
  ]);
}

export const tensorSummaryV2Config: KernelConfig = {
  op: {
    name: "TensorSummaryV2",
    inputs: ["tag: string", "tensor: T", "serialized_summary_metadata: string"],
    outputs: ["summary: string"],
    attrs: ["T: type"],
  },
  kernel: cpuKernel("TensorSummaryV2", () => ({
    compute: (ctx) => ctx.setOutput(0, tensorSummaryV2(ctx.input(0), ctx.input(1), ctx.input(2))),
  })),
};
