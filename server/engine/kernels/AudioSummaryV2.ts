// TF's AudioSummaryV2 (core/kernels/summary_audio_op.cc, tf.compat.v1.summary.audio): WAV clips
// in a Summary, the sample rate a scalar float input (audio-summary.ts).

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { audioSummary } from "./util/audio-summary.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const audioSummaryV2Config: KernelConfig = {
  op: {
    name: "AudioSummaryV2",
    inputs: ["tag: string", "tensor: float", "sample_rate: float"],
    outputs: ["summary: string"],
    attrs: ["max_outputs: int >= 1 = 3"],
  },
  kernel: cpuKernel("AudioSummaryV2", (c) => {
    const maxOutputs = getAttrInt(c.attrs, "max_outputs");
    return {
      compute: (ctx) => {
        const rate = ctx.input(2);
        if (rate.numElements !== 1) throw invalidArgument("sample_rate must be a scalar");
        ctx.setOutput(
          0,
          audioSummary(ctx.input(0), ctx.input(1), (rate.data as Float32Array)[0]!, maxOutputs),
        );
      },
    };
  }),
};
