// Kernels against fixtures generated once with numpy (testdata/numpy-compare-activation-shape.json):
// comparisons, min/max, floor division, powers, activations, softmax and shape ops.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { DataType, dataTypeFromString } from "../framework/types.js";
import { allClose, run1, runKernel, tensorOf, valuesOf } from "./testing/testing.js";

type Num = number | null | "inf" | "-inf";
interface Case {
  op: string;
  dtype: string;
  x: Num[];
  xShape: number[];
  y: Num[];
  yShape: number[];
  z: Num[];
  zShape: number[];
}
interface Fixtures {
  binary: Case[];
  unary: { op: string; dtype: string; x: Num[]; shape: number[]; y: Num[] }[];
  other: {
    op: string;
    x: Num[];
    shape: number[];
    y: Num[];
    yShape: number[];
    perm?: number[];
    multiples?: number[];
    begin?: number[];
    size?: number[];
    indices?: number[][];
    axis?: number;
  }[];
}

const fx = JSON.parse(
  readFileSync(new URL("./testdata/numpy-compare-activation-shape.json", import.meta.url), "utf8"),
) as Fixtures;
const num = (v: Num): number =>
  v === null ? Number.NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v;
const dt = (name: string): DataType => dataTypeFromString(name)!;
const tol = (name: string) =>
  name === "half" ? 2e-3 : name === "float" ? 2e-6 : name === "double" ? 1e-12 : 0;
const boolOps = new Set(["Less", "LessEqual", "Greater", "GreaterEqual", "Equal", "NotEqual"]);
const F = DataType.DT_FLOAT;
const I32 = DataType.DT_INT32;

describe("binary ops vs numpy", () => {
  for (const c of fx.binary) {
    it(`${c.op} ${c.dtype}`, async () => {
      const t = dt(c.dtype);
      const z = await run1(c.op, {
        attrs: { T: attr.type(t) },
        inputs: [tensorOf(t, c.xShape, c.x.map(num)), tensorOf(t, c.yShape, c.y.map(num))],
      });
      assert.equal(z.dtype, boolOps.has(c.op) ? DataType.DT_BOOL : t);
      assert.deepEqual(z.shape, c.zShape);
      const got = valuesOf(z);
      assert.ok(
        allClose(got, c.z.map(num), c.op === "Pow" && c.dtype === "half" ? 5e-3 : tol(c.dtype)),
        `${got} vs ${c.z}`,
      );
    });
  }
});

describe("unary ops vs numpy", () => {
  for (const c of fx.unary) {
    it(`${c.op} ${c.dtype}`, async () => {
      const t = dt(c.dtype);
      const y = await run1(c.op, {
        attrs: { T: attr.type(t) },
        inputs: [tensorOf(t, c.shape, c.x.map(num))],
      });
      const got = valuesOf(y);
      assert.ok(allClose(got, c.y.map(num), tol(c.dtype) * 4), `${got} vs ${c.y}`);
    });
  }
});

describe("shape ops vs numpy", () => {
  for (const c of fx.other) {
    it(`${c.op} ${JSON.stringify({ axis: c.axis, perm: c.perm, multiples: c.multiples, begin: c.begin })}`, async () => {
      const x = tensorOf(F, c.shape, c.x.map(num));
      let y: Awaited<ReturnType<typeof run1>>;
      const T = attr.type(F);
      switch (c.op) {
        case "Transpose":
          y = await run1("Transpose", {
            attrs: { T },
            inputs: [x, tensorOf(I32, [c.perm!.length], c.perm!)],
          });
          break;
        case "Tile":
          y = await run1("Tile", {
            attrs: { T },
            inputs: [x, tensorOf(I32, [c.multiples!.length], c.multiples!)],
          });
          break;
        case "Slice":
          y = await run1("Slice", {
            attrs: { T, Index: attr.type(I32) },
            inputs: [x, tensorOf(I32, [3], c.begin!), tensorOf(I32, [3], c.size!)],
          });
          break;
        case "GatherV2":
          y = await run1("GatherV2", {
            attrs: { Tparams: T, Tindices: attr.type(I32), Taxis: attr.type(I32) },
            inputs: [x, tensorOf(I32, [2, 2], c.indices!.flat()), tensorOf(I32, [], [c.axis!])],
          });
          break;
        case "ConcatV2": {
          const x2 = tensorOf(
            F,
            c.shape,
            c.x.map((v) => num(v) * 2),
          );
          y = await run1("ConcatV2", {
            attrs: { T, N: attr.int(2) },
            inputs: [x, x2, tensorOf(I32, [], [c.axis!])],
          });
          break;
        }
        case "Pack": {
          const x2 = tensorOf(
            F,
            c.shape,
            c.x.map((v) => num(v) * 2),
          );
          y = await run1("Pack", { attrs: { T, N: attr.int(2), axis: attr.int(c.axis!) }, inputs: [x, x2] });
          break;
        }
        default:
          y = await run1(c.op, {
            attrs: { T, output_type: attr.type(I32) },
            inputs: [x, tensorOf(I32, [], [c.axis!])],
          });
      }
      assert.deepEqual(y.shape, c.yShape);
      assert.deepEqual(valuesOf(y), c.y.map(num));
    });
  }
  it("Unpack inverts Pack", async () => {
    const x = tensorOf(F, [2, 3], [1, 2, 3, 4, 5, 6]);
    const r = await runKernel("Unpack", {
      attrs: { T: attr.type(F), num: attr.int(3), axis: attr.int(1) },
      inputs: [x],
    });
    assert.deepEqual(
      r.outputs.map((t) => valuesOf(t!)),
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    );
  });
});
