// The demo page's digit preprocessing (web/digits.ts): the drawing's ink, cropped to its bounding
// box, scaled so the longer side is 20 pixels and centred in 28x28, as the demo model was trained.

import assert from "node:assert/strict";
import { test } from "node:test";
import { SIZE, toModelInput } from "../web/digits.js";

/** A w x h canvas of paper with the rectangle [x0, x1) x [y0, y1) inked. */
function canvas(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Float32Array {
  const ink = new Float32Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * w + x] = 1;
  return ink;
}

/** Bounding box of the cells above 0.5 in a 28x28 image. */
function box(img: Float32Array): [number, number, number, number] {
  let [x0, y0, x1, y1] = [SIZE, SIZE, -1, -1];
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      if (img[y * SIZE + x]! > 0.5) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  return [x0, y0, x1, y1];
}

test("an empty drawing is no input", () => {
  assert.equal(toModelInput(new Float32Array(280 * 280), 280, 280), undefined);
});

test("a square drawn in a corner becomes a centred 20x20 square with ink 1", () => {
  const img = toModelInput(canvas(280, 280, 10, 20, 110, 120), 280, 280)!;
  assert.equal(img.length, SIZE * SIZE);
  assert.equal(Math.max(...img), 1);
  assert.deepEqual(box(img), [4, 4, 23, 23]);
});

test("a tall stroke keeps its aspect: 20 pixels high, centred, narrow", () => {
  const img = toModelInput(canvas(280, 280, 200, 30, 220, 250), 280, 280)!;
  const [x0, y0, x1, y1] = box(img);
  assert.deepEqual([y0, y1], [4, 23]);
  assert.ok(x1 - x0 <= 2 && x0 >= 12 && x1 <= 15, `x from ${x0} to ${x1}`);
});
