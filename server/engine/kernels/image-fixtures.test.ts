// The image kernels tf.image emits (resizes and their gradients, CropAndResize and its gradients,
// AdjustContrastv2, RGBToHSV/HSVToRGB, AdjustSaturation, AdjustHue, ScaleAndTranslate and its
// gradient, NonMaxSuppressionV3-V5, ExtractImagePatches, DrawBoundingBoxes/V2,
// SampleDistortedBoundingBox/V2 with seeds) against TensorFlow 2.21 itself:
// testdata/image-fixtures.json, written by testdata/gen_image_fixtures.py with tf.raw_ops. Every
// output's dtype, shape and values must be TF's exactly: the kernels follow TF's arithmetic
// (float32, or half/bfloat16 rounded per step, glibc's sinf for the Lanczos kernel) step by step.
// Errors by code and message.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Tensor } from "../framework/tensor.js";
import { type DataType, dataTypeString } from "../framework/types.js";
import { type FxKernelCase, type FxNumber, num, runFixtureCase, valuesOf } from "./testing/fixture-format.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/image-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  cases: FxKernelCase[];
};

const dtypeOf = (c: FxKernelCase): string => {
  const t = c.attrs.T;
  return t && t[0] === "type" ? dataTypeString(t[1] as DataType) : "";
};

const label = (c: FxKernelCase): string => {
  const flags = Object.entries(c.attrs)
    .filter(([k, v]) => k !== "T" && v[0] !== "type")
    .map(([k, v]) => `${k}=${String(v[1])}`)
    .join(" ");
  const what = c.error
    ? `error: ${c.error.message.slice(0, 60)}`
    : c.inputs.map((t) => `[${t.shape}]`).join(" ");
  return `${c.op} ${dtypeOf(c)} ${flags} ${what}`;
};

describe(`image kernels vs TensorFlow ${fx.tensorflow}`, () => {
  fx.cases.forEach((c, k) => {
    it(`#${k} ${label(c)}`, async () => {
      const outputs = await runFixtureCase(c);
      if (outputs === undefined) return;
      for (const [i, want] of c.outputs!.entries()) {
        const got: Tensor = outputs[i]!;
        assert.equal(got.dtype, want.dtype, `output ${i} dtype`);
        assert.deepEqual(got.shape, want.shape, `output ${i} shape`);
        const values = valuesOf(got);
        const same = (g: unknown, w: FxNumber): boolean => {
          const e = num(w);
          return typeof g === "number" && Number.isNaN(e) ? Number.isNaN(g) : g === w || g === e;
        };
        const bad = want.values.flatMap((w, j) => {
          const g = values[j];
          // Complex values are [re, im] pairs.
          const ok = Array.isArray(w)
            ? Array.isArray(g) && same(g[0], w[0]) && same(g[1], w[1])
            : same(g, w as FxNumber);
          return ok ? [] : [`[${j}] ${String(g)}, TF ${String(w)}`];
        });
        assert.deepEqual(
          bad.slice(0, 8),
          [],
          `output ${i}: ${bad.length} of ${want.values.length} values differ`,
        );
      }
    });
  });
});
