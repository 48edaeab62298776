// The digits tab's image preprocessing, the way the demo model's training data was made
// (scripts/train-demo-model.py): the ink's bounding box scaled so its longer side is 20 pixels,
// centred in a 28x28 image, each output pixel the mean ink over the source pixels it covers,
// scaled so the darkest pixel is 1. Pure (no DOM), so it can be tested on its own.

export const SIZE = 28;
const BOX = 20;

/**
 * `ink` (width x height, row-major, 0 = paper .. 1 = ink) to the model's 28x28 input, or
 * undefined when nothing is drawn.
 */
export function toModelInput(ink: Float32Array, width: number, height: number): Float32Array | undefined {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! > 0.1) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return undefined;
  const side = Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const step = side / BOX; // source pixels per output pixel
  const cx = (x0 + x1 + 1) / 2;
  const cy = (y0 + y1 + 1) / 2;
  const out = new Float32Array(SIZE * SIZE);
  let max = 0;
  for (let ty = 0; ty < SIZE; ty++) {
    for (let tx = 0; tx < SIZE; tx++) {
      const sx = cx + (tx - SIZE / 2) * step;
      const sy = cy + (ty - SIZE / 2) * step;
      const v = meanInk(ink, width, height, sx, sy, step);
      out[ty * SIZE + tx] = v;
      max = Math.max(max, v);
    }
  }
  if (max > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! / max;
  return out;
}

/** Mean ink over the source square [sx, sx+step) x [sy, sy+step) (outside the canvas: paper). */
function meanInk(
  ink: Float32Array,
  width: number,
  height: number,
  sx: number,
  sy: number,
  step: number,
): number {
  const xa = Math.floor(sx);
  const ya = Math.floor(sy);
  const xb = Math.max(xa + 1, Math.ceil(sx + step));
  const yb = Math.max(ya + 1, Math.ceil(sy + step));
  let sum = 0;
  for (let y = ya; y < yb; y++) {
    if (y < 0 || y >= height) continue;
    for (let x = xa; x < xb; x++) {
      if (x >= 0 && x < width) sum += ink[y * width + x]!;
    }
  }
  return sum / ((xb - xa) * (yb - ya));
}
