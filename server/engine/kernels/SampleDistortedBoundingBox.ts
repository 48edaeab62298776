// TF's SampleDistortedBoundingBox and SampleDistortedBoundingBoxV2 on CPU
// (core/kernels/image/sample_distorted_bounding_box_op.cc): up to max_attempts random crops
// (aspect ratio and area drawn from the ranges, position uniform) until one covers enough of a
// given box; the crop as Slice's begin/size and as a normalised box. The kernel's Philox
// generator reserves 4·max_attempts samples per step, as TF's, so seeded runs draw TF's crops.
// What tf.image.sample_distorted_bounding_box emits.

import { failedPrecondition, invalidArgument } from "../framework/errors.js";
import { floatString, getAttrBool, getAttrFloat, getAttrInt, getAttrList } from "../framework/op-def.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { f32, roundHalfEven } from "./util/image-resize.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { type PhiloxRandom, SingleSampleAdapter, uint32ToFloat } from "./util/philox-random.js";
import { generatorFromAttrs, SEED_ATTRS } from "./util/random-op.js";
import { intVector } from "./util/tensor-util.js";

/** [minX, minY, maxX, maxY] in pixels. */
type Rect = [number, number, number, number];

const area = (r: Rect): number => f32((r[2] - r[0]) * (r[3] - r[1]));

function intersect(a: Rect, b: Rect): Rect {
  const r: Rect = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[0] > r[2] || r[1] > r[3] ? [0, 0, 0, 0] : r;
}

/** TF's SatisfiesOverlapConstraints: the crop has a pixel and covers enough of some box. */
function coversEnough(crop: Rect, minCovered: number, boxes: readonly Rect[]): boolean {
  if (area(crop) < 1) return false;
  return boxes.some((b) => area(b) >= 1 && f32(area(intersect(crop, b)) / area(b)) >= minCovered);
}

/** SimplePhilox over one step's reserved generator: RandFloat and Uniform(n). */
class SimplePhilox {
  private readonly single: SingleSampleAdapter;
  constructor(gen: PhiloxRandom) {
    this.single = new SingleSampleAdapter(gen);
  }
  randFloat(): number {
    return uint32ToFloat(this.single.next());
  }
  /** TF's ExactUniformInt<uint32>: masked for powers of two, else rejection sampling. */
  uniform(n: number): number {
    if (n === 0) return 0 * this.single.next();
    if ((n & (n - 1)) === 0) return (this.single.next() & (n - 1)) >>> 0;
    const rem = (0xffffffff % n) + 1;
    let r: number;
    do r = this.single.next();
    while (r < rem);
    return r % n;
  }
}

/** TF's GenerateRandomCrop; undefined when the constraints cannot be met. */
function randomCrop(
  width: number,
  height: number,
  minRel: number,
  maxRel: number,
  aspect: number,
  random: SimplePhilox,
): Rect | undefined {
  if (maxRel <= 0 || aspect <= 0 || width <= 0 || height <= 0 || minRel > maxRel) return undefined;
  const minArea = f32(f32(minRel * width) * height);
  const maxArea = f32(f32(maxRel * width) * height);
  let h = roundHalfEven(f32(Math.sqrt(f32(minArea / aspect))));
  let maxH = roundHalfEven(f32(Math.sqrt(f32(maxArea / aspect))));
  if (roundHalfEven(f32(maxH * aspect)) > width) {
    // The largest height whose rounded width fits; TF computes it in double with a 1e-7 margin.
    maxH = Math.trunc((width + 0.5 - f32(1e-7)) / aspect);
    if (roundHalfEven(f32(maxH * aspect)) > width) maxH -= 1;
  }
  if (maxH > height) maxH = height;
  if (h >= maxH) h = maxH;
  if (h < maxH) h += random.uniform(maxH - h + 1);
  let w = roundHalfEven(f32(h * aspect));
  let a = f32(w * h);
  if (a < minArea) {
    h += 1;
    w = roundHalfEven(f32(h * aspect));
    a = f32(w * h);
  }
  if (a > maxArea) {
    h -= 1;
    w = roundHalfEven(f32(h * aspect));
    a = f32(w * h);
  }
  if (a < minArea || a > maxArea || w > width || h > height || w <= 0 || h <= 0) return undefined;
  const y = h < height ? random.uniform(height - h) : 0;
  const x = w < width ? random.uniform(width - w) : 0;
  return [x, y, x + w, y + h];
}

interface SampleAttrs {
  readonly minObjectCovered: number;
  readonly useImage: boolean;
  readonly aspect: [number, number];
  readonly area: [number, number];
  readonly maxAttempts: number;
}

const fmt = (v: number): string => floatString(v);

function getSampleAttrs(c: OpKernelConstruction, v1: boolean): SampleAttrs {
  let minObjectCovered = 0;
  if (v1) {
    minObjectCovered = getAttrFloat(c.attrs, "min_object_covered");
    if (!(minObjectCovered >= 0)) {
      throw invalidArgument(`Min object covered must be non-negative: ${fmt(minObjectCovered)}`);
    }
  }
  const useImage = getAttrBool(c.attrs, "use_image_if_no_bounding_boxes");
  const aspect = getAttrList(c.attrs, "aspect_ratio_range").f;
  if (aspect.length !== 2) throw invalidArgument("Aspect ratio range field must specify 2 dimensions");
  if (!(aspect[0]! > 0 && aspect[1]! > 0)) {
    throw invalidArgument(
      `Aspect ratio range must be non-negative: [${fmt(aspect[0]!)}, ${fmt(aspect[1]!)}]`,
    );
  }
  const areaRange = getAttrList(c.attrs, "area_range").f;
  if (areaRange.length !== 2) throw invalidArgument("Area range field must specify 2 dimensions");
  if (!(areaRange[0]! > 0 && areaRange[1]! > 0)) {
    throw invalidArgument(`Area range must be non-negative: [${fmt(areaRange[0]!)}, ${fmt(areaRange[1]!)}]`);
  }
  if (!(areaRange[0]! <= 1 && areaRange[1]! <= 1)) {
    throw invalidArgument(
      `Area range must be less then or equal to 1.0: [${fmt(areaRange[0]!)}, ${fmt(areaRange[1]!)}]`,
    );
  }
  const maxAttempts = getAttrInt(c.attrs, "max_attempts");
  if (maxAttempts <= 0) throw invalidArgument(`Max attempts must be non-negative: ${maxAttempts}`);
  return {
    minObjectCovered,
    useImage,
    aspect: [f32(aspect[0]!), f32(aspect[1]!)],
    area: [f32(areaRange[0]!), f32(areaRange[1]!)],
    maxAttempts,
  };
}

function readImageSize(imageSize: Tensor): [number, number] {
  if (imageSize.shape.length !== 1) {
    throw invalidArgument(`image_size must be 1-dimensional${shapeString(imageSize.shape)}`);
  }
  if (imageSize.shape[0] !== 3)
    throw invalidArgument(`image_size must contain 3 elements${shapeString(imageSize.shape)}`);
  const d = imageSize.data as ArrayLike<number | bigint>;
  // TF reads them as uint64: a negative size is out of range too.
  const h = Number(d[0]!);
  const w = Number(d[1]!);
  if (!(h >= 0 && h < 2 ** 31 - 1)) throw invalidArgument("image height cannot be >= int32 max");
  if (!(w >= 0 && w < 2 ** 31 - 1)) throw invalidArgument("image width cannot be >= int32 max");
  return [h, w];
}

function checkBoxesShape(boxes: Tensor): void {
  const s = boxes.shape;
  if (s.length !== 3) {
    throw invalidArgument(`input boxes must be 3-dimensional [batch, num_boxes, coords]: ${shapeString(s)}`);
  }
  if (s[2] !== 4)
    throw invalidArgument(`bounding boxes must have shape [4] or [*, 4], got ${shapeString(s)}`);
}

/** The boxes in pixels (TF truncates coordinate·size to int). */
function readBoxes(boxes: Tensor, width: number, height: number): Rect[] {
  const v = boxes.data as Float32Array;
  const out: Rect[] = [];
  for (let b = 0; b < v.length; b += 4) {
    for (let i = 0; i < 4; i++) {
      if (!(v[b + i]! >= 0 && v[b + i]! <= 1)) {
        throw invalidArgument(`All bounding box coordinates must be in [0.0, 1.0]: ${fmt(v[b + i]!)}`);
      }
    }
    const px = (u: number, size: number) => Math.trunc(f32(u * size));
    out.push([px(v[b + 1]!, width), px(v[b]!, height), px(v[b + 3]!, width), px(v[b + 2]!, height)]);
  }
  return out;
}

/** SampleDistortedBoundingBoxBaseOp::DoCompute: [begin, size, bboxes]. */
export function sampleDistortedBoundingBox(
  imageSize: Tensor,
  boxesT: Tensor,
  minCoveredT: Tensor | undefined,
  a: SampleAttrs,
  gen: PhiloxRandom,
): [Tensor, Tensor, Tensor] {
  const [height, width] = readImageSize(imageSize);
  checkBoxesShape(boxesT);
  let minCovered = a.minObjectCovered;
  if (minCoveredT !== undefined) {
    if (minCoveredT.shape.length !== 0) {
      throw invalidArgument(`min_object_covered must be 0-D, got shape ${shapeString(minCoveredT.shape)}`);
    }
    minCovered = (minCoveredT.data as Float32Array)[0]!;
    if (!(minCovered >= 0))
      throw invalidArgument(`Min object covered must be non-negative: ${fmt(minCovered)}`);
  }
  const boxes = readBoxes(boxesT, width, height);
  const image: Rect = [0, 0, width, height];
  if (boxes.length === 0) {
    if (!a.useImage) {
      throw invalidArgument(
        "No bounding boxes provided as input. One must enable use_image_if_no_bounding_boxes if you wish to not provide any bounding boxes.",
      );
    }
    boxes.push(image);
  }
  const random = new SimplePhilox(gen);
  let crop: Rect | undefined;
  for (let i = 0; i < a.maxAttempts && crop === undefined; i++) {
    const aspect = f32(f32(random.randFloat() * f32(a.aspect[1] - a.aspect[0])) + a.aspect[0]);
    const c = randomCrop(width, height, a.area[0], a.area[1], aspect, random);
    if (c !== undefined && coversEnough(c, minCovered, boxes)) crop = c;
  }
  const [x0, y0, x1, y1] = crop ?? image;
  if (width < x1)
    throw failedPrecondition(`width must be > target_width + offset_width: ${width}vs ${x1 - x0} + ${x0}`);
  if (height < y1) {
    throw failedPrecondition(`height must be >= target_height: height = ${height}vs ${y1 - y0} + ${y0}`);
  }
  const bboxes = Tensor.zeros(DataType.DT_FLOAT, [1, 1, 4]);
  (bboxes.data as Float32Array).set([f32(y0 / height), f32(x0 / width), f32(y1 / height), f32(x1 / width)]);
  return [
    intVector32(imageSize.dtype, [y0, x0, 0]),
    intVector32(imageSize.dtype, [y1 - y0, x1 - x0, -1]),
    bboxes,
  ];
}

/** A vector of the image_size dtype (begin and size are T). */
function intVector32(dtype: DataType, values: number[]): Tensor {
  if (dtype === DataType.DT_INT64 || dtype === DataType.DT_INT32) return intVector(dtype, values);
  const t = Tensor.zeros(dtype, [values.length]);
  (t.data as Int8Array | Uint8Array | Int16Array).set(values);
  return t;
}

const SAMPLE_ATTRS = ["T: {uint8, int8, int16, int32, int64}", ...SEED_ATTRS] as const;
const RANGE_ATTRS = [
  "aspect_ratio_range: list(float) = [0.75, 1.33]",
  "area_range: list(float) = [0.05, 1]",
  "max_attempts: int = 100",
  "use_image_if_no_bounding_boxes: bool = false",
] as const;
const INTEGRAL = [T.uint8, T.int8, T.int16, T.int32, T.int64, T.uint16, T.uint32, T.uint64];

function config(name: string, v1: boolean): KernelConfig {
  return {
    op: {
      name,
      inputs: v1
        ? ["image_size: T", "bounding_boxes: float"]
        : ["image_size: T", "bounding_boxes: float", "min_object_covered: float"],
      outputs: ["begin: T", "size: T", "bboxes: float"],
      attrs: [...SAMPLE_ATTRS, ...(v1 ? ["min_object_covered: float = 0.1"] : []), ...RANGE_ATTRS],
      isStateful: true,
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", INTEGRAL);
      const a = getSampleAttrs(c, v1);
      const generator = generatorFromAttrs(c.attrs);
      return {
        compute: (ctx) => {
          // TF reserves 4·max_attempts 32-bit samples (max_attempts Philox outputs) per step.
          const gen = generator.reserveSamples128(a.maxAttempts);
          const outs = sampleDistortedBoundingBox(
            ctx.input(0),
            ctx.input(1),
            v1 ? undefined : ctx.input(2),
            a,
            gen,
          );
          outs.forEach((t, i) => {
            ctx.setOutput(i, t);
          });
        },
      };
    }),
  };
}

export const sampleDistortedBoundingBoxConfig = config("SampleDistortedBoundingBox", true);
export const sampleDistortedBoundingBoxV2Config = config("SampleDistortedBoundingBoxV2", false);
