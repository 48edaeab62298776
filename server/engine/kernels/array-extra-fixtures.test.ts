// The linear-algebra and array ops of ordinary tf.compat.v1 programs (Qr, the V3 matrix-diagonal
// ops, MatrixBandPart, Roll, ReverseSequence, space/depth/batch rearrangements, InTopKV2,
// searchsorted, HistogramFixedWidth, bitwise ops, ExtractImagePatches, MaxPoolWithArgmax and
// Conv3D with their gradients) against TensorFlow 2.21 itself (testdata/array-extra-fixtures.json,
// written by testdata/gen_array_extra_fixtures.py): outputs by dtype, shape and value, errors by
// code and message.
//
// Exact everywhere except Qr and the other linear-algebra kernels, which TF computes in the dtype
// (Eigen) while tfgate computes in float64 and rounds once: results agree to a few ulps of the
// dtype relative to the output's largest magnitude (TOLERANCE), and the float convolutions, whose
// sums TF orders differently.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { AttrValue } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { attr } from "../../../test/support/attr.js";
import { TfCode } from "../framework/errors.js";
import { fromValues } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import {
  buildAttrs,
  type FxKernelCase,
  type FxTensor,
  type FxValue,
  num,
  toTensor,
  valuesOf,
} from "./testing/fixture-format.js";
import { type GraphCase, runGraphFixtures } from "./testing/graph-fixtures.js";
import { runKernel } from "./testing/testing.js";

const fx = JSON.parse(
  readFileSync(new URL("./testdata/array-extra-fixtures.json", import.meta.url), "utf8"),
) as { tensorflow: string; cases: FxKernelCase[]; graphs: GraphCase[] };

const LINALG_TOLERANCE: Partial<Record<DataType, number>> = {
  [DataType.DT_FLOAT]: 1e-5,
  [DataType.DT_COMPLEX64]: 1e-5,
  [DataType.DT_DOUBLE]: 1e-13,
  [DataType.DT_COMPLEX128]: 1e-13,
};

/** Relative tolerance by op and dtype (absent: exact). */
const TOLERANCE: Record<string, Partial<Record<DataType, number>>> = {
  Qr: {
    [DataType.DT_FLOAT]: 2e-6,
    [DataType.DT_COMPLEX64]: 2e-6,
    [DataType.DT_DOUBLE]: 1e-14,
    [DataType.DT_COMPLEX128]: 1e-14,
    [DataType.DT_HALF]: 4e-3,
  },
  MatrixTriangularSolve: LINALG_TOLERANCE,
  MatrixInverse: LINALG_TOLERANCE,
  Lu: LINALG_TOLERANCE,
  MatrixSolveLs: LINALG_TOLERANCE,
  LogMatrixDeterminant: LINALG_TOLERANCE,
  MatrixDeterminant: LINALG_TOLERANCE,
  MatrixSolve: LINALG_TOLERANCE,
  Cholesky: LINALG_TOLERANCE,
  AvgPool3D: { [DataType.DT_FLOAT]: 1e-6, [DataType.DT_BFLOAT16]: 1e-2 },
  AvgPool3DGrad: { [DataType.DT_FLOAT]: 1e-6, [DataType.DT_BFLOAT16]: 1e-2 },
  Conv3D: {
    [DataType.DT_FLOAT]: 2e-6,
    [DataType.DT_HALF]: 2e-3,
    [DataType.DT_BFLOAT16]: 1e-2,
    [DataType.DT_DOUBLE]: 1e-14,
  },
  Conv3DBackpropInputV2: {
    [DataType.DT_FLOAT]: 2e-6,
    [DataType.DT_HALF]: 2e-3,
    [DataType.DT_BFLOAT16]: 1e-2,
    [DataType.DT_DOUBLE]: 1e-14,
  },
  Conv3DBackpropFilterV2: {
    [DataType.DT_FLOAT]: 2e-6,
    [DataType.DT_HALF]: 2e-3,
    [DataType.DT_BFLOAT16]: 1e-2,
    [DataType.DT_DOUBLE]: 1e-14,
  },
};

/** A value as comparable text: numbers and "nan"/"inf" by value, other strings as they are. */
const norm = (v: FxValue): string => {
  if (Array.isArray(v)) return `(${v.map((x) => norm(x)).join(",")})`;
  if (typeof v === "number" || v === "nan" || v === "inf" || v === "-inf") return String(num(v));
  return v;
};

const parts = (v: FxValue): number[] => (Array.isArray(v) ? v.map((x) => num(x)) : [num(v)]);

function assertTensor(op: string, got: ReturnType<typeof toTensor> | undefined, want: FxTensor): void {
  assert.ok(got, "no output");
  assert.equal(dataTypeString(got.dtype), dataTypeString(want.dtype as DataType), "dtype");
  assert.deepEqual(got.shape, want.shape, "shape");
  const values = valuesOf(got);
  const tol = TOLERANCE[op]?.[want.dtype as DataType] ?? 0;
  if (tol === 0) {
    assert.deepEqual(values.map(norm), want.values.map(norm));
    return;
  }
  const scale = Math.max(1e-30, ...want.values.flatMap((v) => parts(v).map(Math.abs)));
  want.values.forEach((w, i) => {
    const g = parts(values[i]!);
    for (const [k, e] of parts(w).entries()) {
      if (Number.isNaN(e)) assert.ok(Number.isNaN(g[k]!), `[${i}] ${g[k]}, TF NaN`);
      else
        assert.ok(
          g[k] === e || Math.abs(g[k]! - e) <= tol * scale,
          `[${i}]${k ? ".im" : ""}: ${g[k]}, TF ${e}`,
        );
    }
  });
}

/** buildAttrs, plus unknown-rank shapes (["shape", null]). */
function attrsOf(c: FxKernelCase): Record<string, AttrValue> {
  const rest: Record<string, [string, unknown]> = {};
  const out: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(c.attrs)) {
    if (v[0] === "shape" && v[1] === null) out[k] = attr.shape(undefined);
    else rest[k] = v;
  }
  return { ...buildAttrs(rest), ...out };
}

const label = (c: FxKernelCase): string => {
  const t = c.attrs.T;
  const dt = t && t[0] === "type" ? ` ${dataTypeString(t[1] as DataType)}` : "";
  const shapes = c.inputs.map((x) => `[${x.shape}]`).join(" ");
  return `${c.op}${dt} ${shapes}${c.error ? " (error)" : ""}`;
};

describe(`array extras vs TensorFlow ${fx.tensorflow}`, () => {
  fx.cases.forEach((c, k) => {
    it(`#${k} ${label(c)}`, async () => {
      const p = runKernel(c.op, { attrs: attrsOf(c), inputs: c.inputs.map(toTensor), nodeName: c.op });
      if (c.error) {
        await assert.rejects(p, (e: { code: number; message: string }) => {
          assert.equal(e.message.trimEnd(), c.error!.message);
          assert.equal(e.code, c.error!.code);
          return true;
        });
        return;
      }
      const r = await p;
      assert.equal(r.outputs.length, c.outputs!.length, "number of outputs");
      for (const [i, want] of c.outputs!.entries()) assertTensor(c.op, r.outputs[i], want);
    });
  });
});

describe("sizes read from tensors stay within the step's memory budget", () => {
  const i32 = (shape: number[], v: number[]) => fromValues(DataType.DT_INT32, shape, v);
  const f32 = (shape: number[], v: number[]) => fromValues(DataType.DT_FLOAT, shape, v);
  const F = attr.type(DataType.DT_FLOAT);
  const oom = async (op: string, attrs: Record<string, AttrValue>, inputs: ReturnType<typeof i32>[]) => {
    await assert.rejects(runKernel(op, { attrs, inputs }), (e: { code: number; message: string }) => {
      assert.equal(e.code, TfCode.RESOURCE_EXHAUSTED, e.message);
      assert.match(e.message, /OOM when allocating tensor/);
      return true;
    });
  };
  const pool = {
    ksize: attr.intList([1, 1, 1, 1, 1]),
    strides: attr.intList([1, 1, 1, 1, 1]),
    padding: attr.string("VALID"),
  };
  it("HistogramFixedWidth with a huge nbins", () =>
    oom("HistogramFixedWidth", { T: F }, [f32([1], [1]), f32([2], [0, 1]), i32([], [2 ** 31 - 1])]));
  it("MatrixDiagV3 with a huge num_rows", () =>
    oom("MatrixDiagV3", { T: F }, [
      f32([1], [1]),
      i32([], [0]),
      i32([], [2 ** 30]),
      i32([], [-1]),
      f32([], [0]),
    ]));
  // Strides as large as the claimed input keep the expected gradient 1x1x1.
  const wide = attr.intList([1, 1e6, 1e6, 1, 1]);
  it("AvgPool3DGrad with a huge orig_input_shape", () =>
    oom("AvgPool3DGrad", { T: F, ...pool, strides: wide }, [
      i32([5], [1, 1e6, 1e6, 1, 1]),
      f32([1, 1, 1, 1, 1], [1]),
    ]));
  it("Conv3DBackpropInputV2 with a huge input_sizes", () =>
    oom("Conv3DBackpropInputV2", { T: F, strides: wide, padding: pool.padding }, [
      i32([5], [1, 1e6, 1e6, 1, 1]),
      f32([1, 1, 1, 1, 1], [1]),
      f32([1, 1, 1, 1, 1], [1]),
    ]));
  it("a negative size is TF's shape error", async () => {
    await assert.rejects(
      runKernel("AvgPool3DGrad", {
        attrs: { T: F, ...pool },
        inputs: [i32([5], [1, -1, 1, 1, 1]), f32([1, 1, 1, 1, 1], [1])],
      }),
      { code: TfCode.INVALID_ARGUMENT, message: "Dimension -1 must be >= 0" },
    );
  });
});

// The slice-assign ops update variables: TF's sessions over small graphs, run through the master.
runGraphFixtures(`variable slice assignment vs TensorFlow ${fx.tensorflow}`, fx.graphs);
