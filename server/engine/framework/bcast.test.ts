import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { broadcastGradientArgs, broadcastShapes, broadcastStrides, forEachBroadcastRun } from "./bcast.js";

describe("BCast", () => {
  it("computes TF/numpy broadcast shapes", () => {
    assert.deepEqual(broadcastShapes([2, 3], [3]), [2, 3]);
    assert.deepEqual(broadcastShapes([2, 1], [1, 3]), [2, 3]);
    assert.deepEqual(broadcastShapes([], [4, 5]), [4, 5]);
    assert.deepEqual(broadcastShapes([0, 1], [1, 3]), [0, 3]);
    assert.deepEqual(broadcastShapes([5, 1, 2], [3, 1]), [5, 3, 2]);
  });
  it("reports TF's Incompatible shapes text", () => {
    assert.throws(
      () => broadcastShapes([2], [3]),
      (e: { code: number; message: string }) =>
        e.code === 3 && e.message === "Incompatible shapes: [2] vs. [3]",
    );
    assert.throws(
      () => broadcastShapes([2, 3], [0]),
      (e: { message: string }) => e.message === "Incompatible shapes: [2,3] vs. [0]",
    );
  });
  it("walks broadcast runs in row-major order", () => {
    const out = [2, 3];
    const seen: [number, number, number][] = [];
    forEachBroadcastRun(
      out,
      broadcastStrides([2, 1], out),
      broadcastStrides([3], out),
      (o, a, b, count, as, bs) => {
        for (let j = 0; j < count; j++) seen.push([o + j, a + j * as, b + j * bs]);
      },
    );
    assert.deepEqual(seen, [
      [0, 0, 0],
      [1, 0, 1],
      [2, 0, 2],
      [3, 1, 0],
      [4, 1, 1],
      [5, 1, 2],
    ]);
  });
  it("BroadcastGradientArgs reduction indices", () => {
    assert.deepEqual(broadcastGradientArgs([2, 3], [3]), [[], [0]]);
    assert.deepEqual(broadcastGradientArgs([2, 1], [1, 3]), [[1], [0]]);
    assert.deepEqual(broadcastGradientArgs([1], [1]), [[0], [0]]);
  });
});
