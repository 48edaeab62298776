// TF's ImageSummary (core/kernels/summary_image_op.cc, tf.compat.v1.summary.image): up to
// max_images images of a [batch, height, width, 1|3|4] tensor as PNG (png-encode.ts writes TF's
// bytes). uint8 images are written as they are; float, half and double images are rescaled one
// image at a time: by 255/max when no value is negative, else by 127/max|v| around 128, in T's own
// arithmetic; a pixel with a non-finite channel gets bad_color.

import { internal, invalidArgument } from "../framework/errors.js";
import { floatToHalf, halfToFloat } from "../framework/float16.js";
import { type AttrMap, getAttrInt, getAttrType } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { tensorFromProto } from "../framework/tensor-proto.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { encodePng } from "./util/png-encode.js";
import { type SummaryValueInit, summaryTensor, tagOf } from "./util/summary-util.js";

const ZERO_THRESHOLD = Math.fround(1e-6);

/** The bad_color attr, checked as TF's constructor checks it. */
function badColorOf(attrs: AttrMap): Uint8Array {
  const v = attrs.bad_color;
  if (v === undefined || v.value.case !== "tensor") throw invalidArgument("bad_color must be a tensor");
  const t = tensorFromProto(v.value.value, "bad_color");
  if (t.dtype !== DataType.DT_UINT8)
    throw invalidArgument(`bad_color must be uint8, got ${dataTypeString(t.dtype)}`);
  if (t.rank !== 1) throw invalidArgument(`bad_color must be a vector, got shape ${shapeString(t.shape)}`);
  return t.data as Uint8Array;
}

/** Rounding of T's arithmetic: float32, half (through float32, as Eigen::half does) or double. */
function rounder(dtype: DataType): (x: number) => number {
  if (dtype === DataType.DT_HALF) return (x) => halfToFloat(floatToHalf(x));
  if (dtype === DataType.DT_DOUBLE) return (x) => x;
  return Math.fround;
}

/** One float image (hw pixels of `depth` values from `src` at `base`) mapped into uint8. */
function normalizeImage(
  src: ArrayLike<number>,
  base: number,
  hw: number,
  depth: number,
  badColor: Uint8Array,
  round: (x: number) => number,
  out: Uint8Array,
): void {
  const finitePixel = (p: number) => {
    for (let j = 0; j < depth; j++) if (!Number.isFinite(src[base + p * depth + j]!)) return false;
    return true;
  };
  // TF takes the range in float whatever T is.
  let min = Infinity;
  let max = -Infinity;
  for (let p = 0; p < hw; p++) {
    if (!finitePixel(p)) continue;
    for (let j = 0; j < depth; j++) {
      const v = Math.fround(src[base + p * depth + j]!);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  let scale: number;
  let offset: number;
  if (min < 0) {
    const m = Math.max(Math.abs(min), Math.abs(max));
    scale = round(m < ZERO_THRESHOLD ? 0 : Math.fround(127 / m));
    offset = 128;
  } else {
    scale = round(max < ZERO_THRESHOLD ? 0 : Math.fround(255 / max));
    offset = 0;
  }
  for (let p = 0; p < hw; p++) {
    const ok = finitePixel(p);
    for (let j = 0; j < depth; j++) {
      const k = p * depth + j;
      // uint8 of a value in [0, 256): truncation.
      out[k] = ok ? Math.trunc(round(round(src[base + k]! * scale) + offset)) : badColor[j]!;
    }
  }
}

function floatValues(t: Tensor): ArrayLike<number> {
  if (t.dtype === DataType.DT_HALF) return Array.from(t.data as Uint16Array, halfToFloat);
  return t.data as Float32Array | Float64Array;
}

export function imageSummary(tag: Tensor, tensor: Tensor, maxImages: number, badColor: Uint8Array): Tensor {
  if (tag.rank !== 0) throw invalidArgument("Tags must be a scalar");
  const s = tensor.shape;
  if (s.length !== 4 || (s[3] !== 1 && s[3] !== 3 && s[3] !== 4)) {
    throw invalidArgument(`Tensor must be 4-D with last dim 1, 3, or 4, not ${shapeString(s)}`);
  }
  const [batch, h, w, depth] = s as [number, number, number, number];
  if (batch >= 2 ** 31 || h >= 2 ** 31 || w >= 2 ** 31 || h * w >= 2 ** 29) {
    throw invalidArgument(`Tensor too large for summary ${shapeString(s)}`);
  }
  if (s.some((d) => d === 0) && batch !== 0) {
    throw invalidArgument(`input tensor must have non-zero dims. Found: [${s.join(", ")}].`);
  }
  const isFloat = tensor.dtype !== DataType.DT_UINT8;
  if (isFloat && badColor.length < depth) {
    throw invalidArgument(
      `expected depth <= bad_color.size, got depth = ${depth}, bad_color.size = ${badColor.length}`,
    );
  }
  const baseTag = tagOf(tag);
  const hw = h * w;
  const size = hw * depth;
  const values: SummaryValueInit[] = [];
  const src = isFloat ? floatValues(tensor) : (tensor.data as Uint8Array);
  const round = rounder(tensor.dtype);
  const n = Math.min(maxImages, batch);
  for (let i = 0; i < n; i++) {
    let pixels: Uint8Array;
    if (isFloat) {
      pixels = new Uint8Array(size);
      normalizeImage(src, i * size, hw, depth, badColor, round, pixels);
    } else {
      pixels = (src as Uint8Array).subarray(i * size, (i + 1) * size);
    }
    // libpng refuses an empty image.
    if (hw === 0) throw internal("PNG encoding failed");
    const png = encodePng({ width: w, height: h, channels: depth, bitDepth: 8, pixels }, -1);
    values.push({
      // The tag depends on how many images were asked for, not how many there are.
      tag: maxImages > 1 ? `${baseTag}/image/${i}` : `${baseTag}/image`,
      value: { case: "image", value: { height: h, width: w, colorspace: depth, encodedImageString: png } },
    });
  }
  return summaryTensor(values);
}

export const imageSummaryConfig: KernelConfig = {
  op: {
    name: "ImageSummary",
    inputs: ["tag: string", "tensor: T"],
    outputs: ["summary: string"],
    attrs: [
      "max_images: int >= 1 = 3",
      "T: {uint8, float, half, double} = DT_FLOAT",
      "bad_color: tensor = { dtype: DT_UINT8 tensor_shape: { dim { size: 4 } } int_val: 255 int_val: 0 int_val: 0 int_val: 255 }",
    ],
  },
  kernel: cpuKernel("ImageSummary", (c) => {
    checkTypeConstraint(c, "T", [T.uint8, T.float, T.half, T.double]);
    getAttrType(c.attrs, "T");
    const maxImages = getAttrInt(c.attrs, "max_images");
    if (maxImages >= 2 ** 31) throw invalidArgument("max_images must be < 2^31");
    const badColor = badColorOf(c.attrs);
    return {
      compute: (ctx) => ctx.setOutput(0, imageSummary(ctx.input(0), ctx.input(1), maxImages, badColor)),
    };
  }),
};
