// The kernel of TF's AudioSummaryV2 and AudioSummary (core/kernels/summary_audio_op.cc): up to
// max_outputs clips of a [batch, frames] or [batch, frames, channels] float tensor as 16-bit WAV
// (wav-encode.ts), the sample rate an input (V2) or an attr (the deprecated op).

import { invalidArgument } from "../../framework/errors.js";
import { shapeString, type Tensor } from "../../framework/tensor.js";
import { type SummaryValueInit, summaryTensor, tagOf } from "./summary-util.js";
import { encodeWav } from "./wav-encode.js";

/** lrintf: nearest integer, halves to even. */
function lrint(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

export function audioSummary(tag: Tensor, tensor: Tensor, sampleRate: number, maxOutputs: number): Tensor {
  if (tag.rank !== 0) throw invalidArgument("Tag must be a scalar");
  if (tensor.rank < 2 || tensor.rank > 3) {
    throw invalidArgument(`Tensor must be 3-D or 2-D, got: ${shapeString(tensor.shape)}`);
  }
  if (!(sampleRate > 0)) throw invalidArgument("sample_rate must be > 0");
  const [batch, frames] = tensor.shape as [number, number];
  const channels = tensor.rank === 2 ? 1 : tensor.shape[2]!;
  const baseTag = tagOf(tag);
  const rate = Math.max(1, lrint(sampleRate));
  // TF's WAV writer is handed no samples when a dimension is 0 and refuses that unless there are
  // no frames.
  if (channels === 0 && frames > 0 && batch > 0) throw invalidArgument("audio is null");
  const data = tensor.data as Float32Array;
  const values: SummaryValueInit[] = [];
  for (let i = 0; i < Math.min(maxOutputs, batch); i++) {
    values.push({
      tag: maxOutputs > 1 ? `${baseTag}/audio/${i}` : `${baseTag}/audio`,
      value: {
        case: "audio",
        value: {
          sampleRate,
          numChannels: BigInt(channels),
          lengthFrames: BigInt(frames),
          encodedAudioString: encodeWav(data, i * frames * channels, rate, channels, frames),
          contentType: "audio/wav",
        },
      },
    });
  }
  return summaryTensor(values);
}
