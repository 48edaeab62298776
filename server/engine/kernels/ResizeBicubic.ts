// TF's ResizeBicubic on CPU (core/kernels/image/resize_bicubic_op.cc): a 4×4 cubic convolution
// whose weights come from TF's 1025-entry coefficient table, in float32. Legacy coordinates use
// a = -0.75 and repeat edge pixels; half-pixel centres use Keys' a = -0.5 and give samples
// outside the image weight 0, renormalising the rest. Always produces float.

import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  bound,
  f32,
  getResizeAttrs,
  halfPixelScaler,
  legacyScaler,
  outputShape,
  pixelsAsFloat32,
  type ResizeAttrs,
  resizeGeometry,
  roundHalfEven,
} from "./util/image-resize.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";

const TABLE_SIZE = 1024;

/** TF's InitCoeffsTable: per offset i/1024, the weights of the near (2i) and far (2i+1) taps. */
function coefficientTable(a: number): Float32Array {
  const t = new Float32Array((TABLE_SIZE + 1) * 2);
  for (let i = 0; i <= TABLE_SIZE; i++) {
    let x = f32(i / TABLE_SIZE);
    t[i * 2] = ((a + 2) * x - (a + 3)) * x * x + 1;
    x = f32(x + 1);
    t[i * 2 + 1] = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  }
  return t;
}

const tables = new Map<boolean, Float32Array>();
function table(keys: boolean): Float32Array {
  let t = tables.get(keys);
  if (t === undefined) {
    t = coefficientTable(keys ? -0.5 : -0.75);
    tables.set(keys, t);
  }
  return t;
}

/** Four source indices and their weights for one output index (TF's WeightsAndIndices). */
export interface CubicTaps {
  readonly index: readonly [number, number, number, number];
  readonly weight: readonly [number, number, number, number];
}

const FLT_MIN_TIMES_1000 = f32(1000 * 1.1754943508222875e-38);

/** TF's GetWeightsAndIndices; half-pixel centres select Keys' kernel. */
export function cubicTaps(scale: number, outLoc: number, limit: number, halfPixel: boolean): CubicTaps {
  const at = halfPixel ? halfPixelScaler(outLoc, scale) : legacyScaler(outLoc, scale);
  const loc = Math.floor(at);
  const offset = roundHalfEven(f32(f32(at - loc) * TABLE_SIZE));
  const t = table(halfPixel);
  const raw = [
    t[offset * 2 + 1]!,
    t[offset * 2]!,
    t[(TABLE_SIZE - offset) * 2]!,
    t[(TABLE_SIZE - offset) * 2 + 1]!,
  ];
  const index = [
    bound(loc - 1, limit),
    bound(loc, limit),
    bound(loc + 1, limit),
    bound(loc + 2, limit),
  ] as const;
  if (!halfPixel) return { index, weight: [raw[0]!, raw[1]!, raw[2]!, raw[3]!] };
  const w = raw.map((v, j) => (index[j] === loc - 1 + j ? v : 0));
  const sum = f32(f32(f32(w[0]! + w[1]!) + w[2]!) + w[3]!);
  if (Math.abs(sum) >= FLT_MIN_TIMES_1000) {
    const inv = f32(1 / sum);
    for (let j = 0; j < 4; j++) w[j] = f32(w[j]! * inv);
  }
  return { index, weight: [w[0]!, w[1]!, w[2]!, w[3]!] };
}

/** TF's Interpolate1D: Σ value·weight left to right, float32 throughout. */
export function dot4(w: readonly number[], v0: number, v1: number, v2: number, v3: number): number {
  let s = f32(f32(v0 * w[0]!) + f32(v1 * w[1]!));
  s = f32(s + f32(v2 * w[2]!));
  return f32(s + f32(v3 * w[3]!));
}

export function resizeBicubic(images: Tensor, size: Tensor, a: ResizeAttrs): Tensor {
  const g = resizeGeometry(images, size, a);
  const out = Tensor.zeros(DataType.DT_FLOAT, outputShape(g));
  if (out.numElements === 0) return out;
  const x = pixelsAsFloat32(images);
  const o = out.data as Float32Array;
  const hp = a.halfPixelCenters;
  const xs = Array.from({ length: g.outWidth }, (_, i) => cubicTaps(g.widthScale, i, g.inWidth, hp));
  const c = g.channels;
  const row = g.inWidth * c;
  let k = 0;
  for (let b = 0; b < g.batch; b++) {
    const base = b * g.inHeight * row;
    for (let y = 0; y < g.outHeight; y++) {
      const ty = cubicTaps(g.heightScale, y, g.inHeight, hp);
      const r = ty.index.map((i) => base + i * row);
      const yw = ty.weight;
      for (const tx of xs) {
        for (let d = 0; d < c; d++) {
          // Along y for each of the four columns, then along x.
          const col = tx.index.map((i) => {
            const p = i * c + d;
            return dot4(yw, x[r[0]! + p]!, x[r[1]! + p]!, x[r[2]! + p]!, x[r[3]! + p]!);
          });
          o[k++] = dot4(tx.weight, col[0]!, col[1]!, col[2]!, col[3]!);
        }
      }
    }
  }
  return out;
}

export const resizeBicubicConfig: KernelConfig = {
  op: {
    name: "ResizeBicubic",
    inputs: ["images: T", "size: int32"],
    outputs: ["resized_images: float"],
    attrs: [
      "T: {int8, uint8, int16, uint16, int32, int64, half, float, double, bfloat16}",
      "align_corners: bool = false",
      "half_pixel_centers: bool = false",
    ],
  },
  kernel: cpuKernel("ResizeBicubic", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    const a = getResizeAttrs(c);
    return { compute: (ctx) => ctx.setOutput(0, resizeBicubic(ctx.input(0), ctx.input(1), a)) };
  }),
};
