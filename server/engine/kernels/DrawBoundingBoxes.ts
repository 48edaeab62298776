// TF's DrawBoundingBoxes and DrawBoundingBoxesV2 on CPU (core/kernels/image/draw_bounding_box_op.cc):
// copies the images and draws each box's one-pixel outline in a colour from the given table (V2)
// or TF's default ten-colour table, cycling per box. Inverted boxes and boxes wholly outside the
// image are skipped. What tf.image.draw_bounding_boxes emits.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";

/** TF's default colours (RGBA); for one channel, every colour's first component is 1. */
function defaultColors(depth: number): number[][] {
  const table = [
    [1, 1, 0, 1],
    [0, 0, 1, 1],
    [1, 0, 0, 1],
    [0, 1, 0, 1],
    [0.5, 0, 0.5, 1],
    [0.5, 0.5, 0, 1],
    [0.5, 0, 0, 1],
    [0, 0, 0.5, 1],
    [0, 1, 1, 1],
    [1, 0, 1, 1],
  ];
  if (depth === 1) for (const c of table) c[0] = 1;
  return table;
}

function colorTable(colors: Tensor | undefined, depth: number): number[][] {
  if (colors === undefined) return defaultColors(depth);
  const s = colors.shape;
  if (s.length !== 2) throw invalidArgument(`colors must be a 2-D matrix${shapeString(s)}`);
  if (s[1]! < depth) {
    throw invalidArgument(
      `colors must have equal or more channels than the image provided: ${shapeString(s)}`,
    );
  }
  if (colors.numElements === 0) return defaultColors(depth);
  const v = colors.data as Float32Array;
  return Array.from({ length: s[0]! }, (_, i) => Array.from({ length: depth }, (_, j) => v[i * s[1]! + j]!));
}

/** C's conversion of a float to int64 on x86: truncation, INT64_MIN for NaN and out-of-range. */
const toInt64 = (v: number): number =>
  Number.isFinite(v) && Math.abs(v) < 2 ** 63 ? Math.trunc(v) : -(2 ** 63);

export function drawBoundingBoxes(images: Tensor, boxes: Tensor, colors: Tensor | undefined): Tensor {
  if (images.shape.length !== 4) throw invalidArgument("The rank of the images should be 4");
  if (boxes.shape.length !== 3) throw invalidArgument("The rank of the boxes tensor should be 3");
  if (images.shape[0] !== boxes.shape[0]) throw invalidArgument("The batch sizes should be the same");
  const [batch, height, width, depth] = images.shape as [number, number, number, number];
  if (depth !== 4 && depth !== 1 && depth !== 3) {
    throw invalidArgument("Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)");
  }
  if (boxes.shape[2] !== 4) {
    throw invalidArgument(
      `The size of the third dimension of the box must be 4. Received: ${boxes.shape[2]}`,
    );
  }
  const table = colorTable(colors, depth);
  const out = computeBuffer(images.dtype, images.numElements, images.shape) as Float32Array;
  out.set(numericData(images));
  const bx = boxes.data as Float32Array;
  const numBoxes = boxes.shape[1]!;
  const paint = (b: number, y: number, x: number, color: number[]) => {
    const p = ((b * height + y) * width + x) * depth;
    for (let c = 0; c < depth; c++) out[p + c] = color[c]!;
  };
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < numBoxes; k++) {
      const color = table[k % table.length]!;
      const at = (b * numBoxes + k) * 4;
      const top = toInt64(Math.fround(bx[at]! * (height - 1)));
      const left = toInt64(Math.fround(bx[at + 1]! * (width - 1)));
      const bottom = toInt64(Math.fround(bx[at + 2]! * (height - 1)));
      const right = toInt64(Math.fround(bx[at + 3]! * (width - 1)));
      // Inverted, or wholly outside: not drawn.
      if (top > bottom || left > right) continue;
      if (top >= height || bottom < 0 || left >= width || right < 0) continue;
      const y0 = Math.max(top, 0);
      const y1 = Math.min(bottom, height - 1);
      const x0 = Math.max(left, 0);
      const x1 = Math.min(right, width - 1);
      if (top >= 0) for (let x = x0; x <= x1; x++) paint(b, top, x, color);
      if (bottom < height) for (let x = x0; x <= x1; x++) paint(b, bottom, x, color);
      if (left >= 0) for (let y = y0; y <= y1; y++) paint(b, y, left, color);
      if (right < width) for (let y = y0; y <= y1; y++) paint(b, y, right, color);
    }
  }
  return finish(images.dtype, images.shape, out);
}

const attrs = ["T: {float, half} = DT_FLOAT"];

export const drawBoundingBoxesConfig: KernelConfig = {
  op: { name: "DrawBoundingBoxes", inputs: ["images: T", "boxes: float"], outputs: ["output: T"], attrs },
  kernel: cpuKernel("DrawBoundingBoxes", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.float]);
    return { compute: (ctx) => ctx.setOutput(0, drawBoundingBoxes(ctx.input(0), ctx.input(1), undefined)) };
  }),
};

export const drawBoundingBoxesV2Config: KernelConfig = {
  op: {
    name: "DrawBoundingBoxesV2",
    inputs: ["images: T", "boxes: float", "colors: float"],
    outputs: ["output: T"],
    attrs,
  },
  kernel: cpuKernel("DrawBoundingBoxesV2", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.float]);
    return {
      compute: (ctx) => ctx.setOutput(0, drawBoundingBoxes(ctx.input(0), ctx.input(1), ctx.input(2))),
    };
  }),
};
