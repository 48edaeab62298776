// What the image fixtures cannot show: hostile shapes and sizes. A zero dimension next to huge
// ones (allowed: such a tensor holds no elements) must not drive loops or tables by the huge
// dimensions, and a huge requested output must be RESOURCE_EXHAUSTED before anything is built.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { isTfError, tfCodeName } from "../framework/errors.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { runKernel, tensorOf } from "./testing/testing.js";

const F = DataType.DT_FLOAT;
const I = DataType.DT_INT32;
const BIG = 2 ** 30;
const empty = (shape: number[]) => Tensor.zeros(F, shape);
const box = () => tensorOf(F, [1, 4], [0, 0, 1, 1]);
const index0 = () => tensorOf(I, [1], [0]);

async function quickly(op: string, inputs: Tensor[], want: number[], attrs = {}) {
  const started = Date.now();
  const r = await runKernel(op, { inputs, attrs: { T: attr.type(F), ...attrs } });
  assert.deepEqual(r.outputs[0]!.shape, want);
  assert.ok(Date.now() - started < 2000, `${op} took ${Date.now() - started} ms`);
}

describe("image kernels with empty tensors of huge dimensions finish at once", () => {
  test("CropAndResize with depth 0 and a huge crop size", () =>
    quickly(
      "CropAndResize",
      [empty([1, 2, 2, 0]), box(), index0(), tensorOf(I, [2], [BIG, BIG])],
      [1, BIG, BIG, 0],
    ));
  test("CropAndResizeGradImage and GradBoxes with depth-0 gradients of huge crops", async () => {
    await quickly(
      "CropAndResizeGradImage",
      [empty([1, BIG, BIG, 0]), box(), index0(), tensorOf(I, [4], [1, 4, 4, 0])],
      [1, 4, 4, 0],
    );
    await quickly(
      "CropAndResizeGradBoxes",
      [empty([1, BIG, BIG, 0]), empty([1, 4, 4, 0]), box(), index0()],
      [1, 4],
    );
  });
  test("resize gradients of depth-0 gradients with huge resized sizes", async () => {
    await quickly("ResizeBilinearGrad", [empty([1, BIG, BIG, 0]), empty([1, 3, 3, 0])], [1, 3, 3, 0]);
    await quickly("ResizeBicubicGrad", [empty([1, BIG, BIG, 0]), empty([1, 3, 3, 0])], [1, 3, 3, 0]);
    await quickly(
      "ResizeNearestNeighborGrad",
      [empty([1, BIG, BIG, 0]), tensorOf(I, [2], [3, 3])],
      [1, 3, 3, 0],
    );
  });
});

describe("huge requested outputs are RESOURCE_EXHAUSTED", () => {
  for (const op of ["ResizeBilinear", "ResizeNearestNeighbor", "ResizeBicubic", "ResizeArea"]) {
    test(op, async () => {
      await assert.rejects(
        runKernel(op, {
          inputs: [empty([1, 2, 2, 1]), tensorOf(I, [2], [BIG, BIG])],
          attrs: { T: attr.type(F) },
        }),
        (e: unknown) => isTfError(e) && tfCodeName(e.code) === "RESOURCE_EXHAUSTED",
      );
    });
  }
  test("CropAndResize", async () => {
    await assert.rejects(
      runKernel("CropAndResize", {
        inputs: [empty([1, 2, 2, 1]), box(), index0(), tensorOf(I, [2], [BIG, BIG])],
        attrs: { T: attr.type(F) },
      }),
      (e: unknown) => isTfError(e) && tfCodeName(e.code) === "RESOURCE_EXHAUSTED",
    );
  });
  test("NonMaxSuppressionV4 padded to a huge max_output_size", async () => {
    await assert.rejects(
      runKernel("NonMaxSuppressionV4", {
        inputs: [
          box(),
          tensorOf(F, [1], [0.5]),
          tensorOf(I, [], [2 ** 31 - 1]),
          tensorOf(F, [], [0.5]),
          tensorOf(F, [], [0]),
        ],
        attrs: { T: attr.type(F), T_threshold: attr.type(F), pad_to_max_output_size: attr.bool(true) },
      }),
      (e: unknown) => isTfError(e) && tfCodeName(e.code) === "RESOURCE_EXHAUSTED",
    );
  });
});
