// TF's AdjustContrastv2 on CPU (core/kernels/image/adjust_contrast_op.cc, float only): per image
// and channel, mean + factor·(x − mean). The mean is TF's: the pixels summed by folding the image
// in halves (pairwise, in float32), times 1/(height·width).

import { invalidArgument } from "../framework/errors.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { f32 } from "./util/image-resize.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";

/** Channel sums of one image plane [size, channels], by TF's fold-in-halves reduction. */
function foldedSums(
  x: Float32Array,
  start: number,
  size: number,
  channels: number,
  scratch: Float32Array,
): void {
  let remaining = size;
  let round = 0;
  do {
    const right = Math.floor(remaining / 2);
    const left = remaining - right;
    if (round === 0) {
      for (let i = 0; i < right * channels; i++)
        scratch[i] = f32(x[start + left * channels + i]! + x[start + i]!);
      if (left > right) {
        for (let i = 0; i < channels; i++) scratch[right * channels + i] = x[start + right * channels + i]!;
      }
    } else {
      for (let i = 0; i < right * channels; i++)
        scratch[i] = f32(scratch[i]! + scratch[left * channels + i]!);
    }
    remaining = left;
    round++;
  } while (remaining > 1);
}

export function adjustContrastv2(images: Tensor, factor: Tensor): Tensor {
  const s = images.shape;
  if (s.length < 3) throw invalidArgument(`input must be at least 3-D, got shape${shapeString(s)}`);
  if (factor.shape.length !== 0)
    throw invalidArgument(`contrast_factor must be scalar: ${shapeString(factor.shape)}`);
  const out = Tensor.zeros(images.dtype, s);
  if (out.numElements === 0) return out;
  const size = s[s.length - 3]! * s[s.length - 2]!;
  const channels = s[s.length - 1]!;
  const plane = size * channels;
  const x = images.data as Float32Array;
  const o = out.data as Float32Array;
  const k = (factor.data as Float32Array)[0]!;
  const scale = f32(1 / size);
  const scratch = new Float32Array(plane);
  for (let start = 0; start < x.length; start += plane) {
    foldedSums(x, start, size, channels, scratch);
    for (let c = 0; c < channels; c++) {
      const mean = f32(scratch[c]! * scale);
      for (let i = start + c; i < start + plane; i += channels) o[i] = f32(mean + f32(k * f32(x[i]! - mean)));
    }
  }
  return out;
}

export const adjustContrastv2Config: KernelConfig = {
  op: {
    name: "AdjustContrastv2",
    inputs: ["images: T", "contrast_factor: float"],
    outputs: ["output: T"],
    attrs: ["T: {half, float} = DT_FLOAT"],
  },
  kernel: cpuKernel("AdjustContrastv2", (c) => {
    checkTypeConstraint(c, "T", [T.float]);
    return { compute: (ctx) => ctx.setOutput(0, adjustContrastv2(ctx.input(0), ctx.input(1))) };
  }),
};
