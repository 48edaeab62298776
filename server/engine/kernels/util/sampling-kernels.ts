// TF's image sampling kernels and spans (core/kernels/image/sampling_kernels.h and
// scale_and_translate_op.cc): the filter shapes ScaleAndTranslate resamples with, and for each
// output index the run of input indices it reads with their normalised weights, in float32.

import { invalidArgument } from "../../framework/errors.js";
import { allocData } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { sincosf } from "./glibc-float-math.js";
import { f32 } from "./image-resize.js";

/** Float32 scratch charged to the step's budget (a hostile scale can ask for a lot). */
const scratch = (n: number): Float32Array => allocData(DataType.DT_FLOAT, n) as Float32Array;

export interface SamplingKernel {
  readonly radius: number;
  weight(x: number): number;
}

// TF's kPI, a float32 written out in the source (not Math.PI rounded: the same float either way).
const PI = f32(Math.PI);

const sincos = new Float64Array(2);
/** glibc's sinf (TF calls std::sin on floats); not correctly rounded, so ported rather than Math.sin. */
function sinf(x: number): number {
  sincosf(x, sincos, 0);
  return sincos[0]!;
}

function lanczos(radius: number): SamplingKernel {
  return {
    radius,
    weight(v) {
      const x = Math.abs(v);
      if (x > radius) return 0;
      // The limit of sin(x)/x at 0.
      if (x <= 1e-3) return 1;
      const px = f32(PI * x);
      const num = f32(f32(radius * sinf(px)) * sinf(f32(px / radius)));
      return f32(num / f32(f32(f32(PI * PI) * x) * x));
    },
  };
}

const gaussian: SamplingKernel = {
  radius: 1.5,
  weight(v) {
    const x = Math.abs(v);
    if (x >= 1.5) return 0;
    // sigma = 1.5 / 3; TF divides and exponentiates in double.
    const sigma = f32(1.5 / 3);
    return f32(Math.exp(f32(-x * x) / (2 * sigma * sigma)));
  },
};

const box: SamplingKernel = {
  radius: 1,
  weight(v) {
    const x = Math.abs(v);
    return x < 0.5 ? 1 : x === 0.5 ? 0.5 : 0;
  },
};

const triangle: SamplingKernel = {
  radius: 1,
  weight(v) {
    const x = Math.abs(v);
    return x < 1 ? f32(1 - x) : 0;
  },
};

const keysCubic: SamplingKernel = {
  radius: 2,
  weight(v) {
    const x = Math.abs(v);
    if (x >= 2) return 0;
    if (x >= 1) return f32(f32(f32(f32(f32(-0.5 * x) + 2.5) * x) - 4) * x) + 2;
    return f32(f32(f32(f32(f32(1.5 * x) - 2.5) * x) * x) + 1);
  },
};

const M = [f32(-7 / 18), f32(10 / 3), f32(16 / 9), f32(7 / 6), f32(8 / 9)] as const;
const mitchellCubic: SamplingKernel = {
  radius: 2,
  weight(v) {
    const x = Math.abs(v);
    if (x >= 2) return 0;
    if (x >= 1) return f32(f32(f32(f32(f32(f32(M[0] * x) + 2) * x) - M[1]) * x) + M[2]);
    return f32(f32(f32(f32(f32(M[3] * x) - 2) * x) * x) + M[4]);
  },
};

const KERNELS: Record<string, SamplingKernel> = {
  lanczos1: lanczos(1),
  lanczos3: lanczos(3),
  lanczos5: lanczos(5),
  gaussian,
  box,
  triangle,
  keyscubic: keysCubic,
  mitchellcubic: mitchellCubic,
};

/** TF's SamplingKernelTypeFromString, failing as the kernel constructor does. */
export function samplingKernel(name: string): SamplingKernel {
  const k = KERNELS[name];
  if (k === undefined) throw invalidArgument(`Unrecognized kernel type: ${name}`);
  return k;
}

/** Per output index, where its input run starts; weights are `size` per output index. */
export interface Spans {
  readonly size: number;
  readonly starts: Int32Array;
  readonly weights: Float32Array;
}

const FLT_MIN_TIMES_1000 = f32(1000 * 1.1754943508222875e-38);

/** TF's ComputeSpansCore: output index x samples the input around (x+0.5)/scale − translate/scale. */
export function computeSpans(
  kernel: SamplingKernel,
  outputSize: number,
  inputSize: number,
  scale: number,
  translate: number,
  antialias: boolean,
): Spans {
  const invScale = f32(1 / scale);
  const invTranslate = f32(-invScale * translate);
  // Downsampling with antialias widens the kernel to low-pass filter.
  const kernelScale = antialias ? Math.max(invScale, 1) : 1;
  const reach = f32(kernel.radius * kernelScale);
  const size = Math.min(2 * Math.ceil(reach) + 1, inputSize);
  const starts = new Int32Array(outputSize);
  const weights = scratch(size * outputSize);
  const oneOverKernelScale = f32(1 / kernelScale);
  const temp: number[] = [];
  for (let x = 0; x < outputSize; x++) {
    const sample = f32(f32(f32(x + 0.5) * invScale) + invTranslate);
    // No sample outside the source image: an empty span.
    if (sample < 0 || sample > inputSize) continue;
    const first = Math.min(Math.max(Math.ceil(f32(f32(sample - reach) - 0.5)), 0), inputSize - 1);
    const end = Math.min(Math.max(Math.floor(f32(f32(sample + reach) - 0.5)), 0), inputSize - 1) + 1;
    let total = 0;
    temp.length = 0;
    for (let source = first; source < end; source++) {
      const pos = f32(f32(source + 0.5) - sample);
      const w = kernel.weight(Math.abs(f32(pos * oneOverKernelScale)));
      total = f32(total + w);
      temp.push(w);
    }
    if (Math.abs(total) >= FLT_MIN_TIMES_1000) {
      const inv = f32(1 / total);
      temp.forEach((w, j) => {
        weights[size * x + j] = f32(w * inv);
      });
    }
    starts[x] = first;
  }
  return { size, starts, weights };
}

/** TF's ComputeGradSpansCore: the forward spans transposed (per input index, the outputs it fed). */
export function gradSpans(forward: Spans, forwardOutputSize: number, forwardInputSize: number): Spans {
  const parts: { index: number; weight: number }[][] = Array.from({ length: forwardInputSize }, () => []);
  for (let o = 0; o < forwardOutputSize; o++) {
    for (let j = 0; j < forward.size; j++) {
      const i = forward.starts[o]! + j;
      const w = forward.weights[o * forward.size + j]!;
      if (w !== 0 && i < forwardInputSize) parts[i]!.push({ index: o, weight: w });
    }
  }
  let size = 0;
  for (const p of parts) if (p.length > 0) size = Math.max(size, p[p.length - 1]!.index - p[0]!.index + 1);
  const starts = new Int32Array(forwardInputSize);
  const weights = scratch(size * forwardInputSize);
  parts.forEach((p, i) => {
    if (p.length === 0) return;
    starts[i] = p[0]!.index;
    for (const c of p)
      weights[i * size + c.index - p[0]!.index] = f32(weights[i * size + c.index - p[0]!.index]! + c.weight);
  });
  return { size, starts, weights };
}

/**
 * TF's GatherSpans for one image [h, w, c]: rows first (into [outH, w, c]), then columns, each
 * output the float32 running sum of weight·input over its span.
 */
export function gatherSpans(
  rows: Spans,
  cols: Spans,
  image: Float32Array,
  offset: number,
  inHeight: number,
  inWidth: number,
  channels: number,
  out: Float32Array,
  outOffset: number,
): void {
  const outHeight = rows.starts.length;
  const outWidth = cols.starts.length;
  const inRow = inWidth * channels;
  const mid = scratch(outHeight * inRow);
  for (let y = 0; y < outHeight; y++) {
    const start = rows.starts[y]!;
    const real = Math.min(start + rows.size, inHeight) - start;
    for (let j = 0; j < real; j++) {
      const w = rows.weights[y * rows.size + j]!;
      const src = offset + (start + j) * inRow;
      for (let k = 0; k < inRow; k++)
        mid[y * inRow + k] = f32(mid[y * inRow + k]! + f32(w * image[src + k]!));
    }
  }
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const start = cols.starts[x]!;
      const real = Math.min(start + cols.size, inWidth) - start;
      const o = outOffset + (y * outWidth + x) * channels;
      for (let c = 0; c < channels; c++) out[o + c] = 0;
      for (let j = 0; j < real; j++) {
        const w = cols.weights[x * cols.size + j]!;
        const src = y * inRow + (start + j) * channels;
        for (let c = 0; c < channels; c++) out[o + c] = f32(out[o + c]! + f32(w * mid[src + c]!));
      }
    }
  }
}
