// TF's AudioSummary (core/kernels/summary_audio_op.cc), deprecated at GraphDef version 15 for
// AudioSummaryV2 (the same WAV clips with the sample rate as an attr). TF 2.21 keeps its
// definition but refuses to run it in graphs of its own version, and so in eager mode too; the
// kernel reports that refusal.

import { unimplemented } from "../framework/errors.js";
import { TF_GRAPH_DEF_VERSION } from "../graph/versions.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const audioSummaryConfig: KernelConfig = {
  op: {
    name: "AudioSummary",
    inputs: ["tag: string", "tensor: float"],
    outputs: ["summary: string"],
    attrs: ["sample_rate: float", "max_outputs: int >= 1 = 3"],
  },
  kernel: cpuKernel("AudioSummary", () => {
    throw unimplemented(
      `Op AudioSummary is not available in GraphDef version ${TF_GRAPH_DEF_VERSION}. It has been removed in version 15. Use AudioSummaryV2..`,
    );
  }),
};
