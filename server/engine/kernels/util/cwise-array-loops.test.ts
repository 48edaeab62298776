// The whole-array loops of hot element-wise ops (cwise.ts, FloatArray) against the per-element
// functions they stand for: bit-identical results for every float dtype, special values included.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { absFns } from "../Abs.js";
import { acosFns } from "../Acos.js";
import { acoshFns } from "../Acosh.js";
import { addFns } from "../Add.js";
import { asinFns } from "../Asin.js";
import { asinhFns } from "../Asinh.js";
import { atanFns } from "../Atan.js";
import { atan2Fns } from "../Atan2.js";
import { atanhFns } from "../Atanh.js";
import { ceilFns } from "../Ceil.js";
import { cosFns } from "../Cos.js";
import { coshFns } from "../Cosh.js";
import { divFns } from "../Div.js";
import { divNoNanFns } from "../DivNoNan.js";
import { eluFns } from "../Elu.js";
import { expFns } from "../Exp.js";
import { expm1Fns } from "../Expm1.js";
import { floorFns } from "../Floor.js";
import { floorDivFns } from "../FloorDiv.js";
import { logFns } from "../Log.js";
import { log1pFns } from "../Log1p.js";
import { maximumFns } from "../Maximum.js";
import { minimumFns } from "../Minimum.js";
import { mulFns } from "../Mul.js";
import { mulNoNanFns } from "../MulNoNan.js";
import { negFns } from "../Neg.js";
import { powFns } from "../Pow.js";
import { realDivFns } from "../RealDiv.js";
import { reciprocalFns } from "../Reciprocal.js";
import { reluFns } from "../Relu.js";
import { relu6Fns } from "../Relu6.js";
import { rintFns } from "../Rint.js";
import { roundFns } from "../Round.js";
import { rsqrtFns } from "../Rsqrt.js";
import { seluFns } from "../Selu.js";
import { sigmoidFns } from "../Sigmoid.js";
import { signFns } from "../Sign.js";
import { sinFns } from "../Sin.js";
import { sinhFns } from "../Sinh.js";
import { softsignFns } from "../Softsign.js";
import { sqrtFns } from "../Sqrt.js";
import { squareFns } from "../Square.js";
import { squaredDifferenceFns } from "../SquaredDifference.js";
import { subFns } from "../Sub.js";
import { tanFns } from "../Tan.js";
import { tanhFns } from "../Tanh.js";
import { xdivyFns } from "../Xdivy.js";
import { xlog1pyFns } from "../Xlog1py.js";
import { xlogyFns } from "../Xlogy.js";
import { type BinaryFns, binaryJob, binaryOp, type UnaryFns, unaryJob, unaryOp } from "./cwise.js";
import { type ElementJob, jobSlices, runWhole } from "./element-slices.js";
import { fromFloat32, numericData } from "./tensor-util.js";

const special = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2.75,
  3e38,
  -3e38,
  1e-45,
  -1e-45,
  Infinity,
  -Infinity,
  NaN,
  65504,
  -65520,
  // Ties and small negatives, for the rounding ops.
  1.5,
  2.5,
  -0.5,
  -1.5,
  -0.25,
];

function values(n: number, seed: number): number[] {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return Array.from({ length: n }, (_, i) =>
    i < special.length
      ? special[(i + seed) % special.length]!
      : (next() - 0.5) * 10 ** Math.floor(next() * 8 - 3),
  );
}

const dtypes = [DataType.DT_FLOAT, DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16] as const;

function tensor(dtype: DataType, v: readonly number[]): Tensor {
  if (dtype === DataType.DT_DOUBLE) return new Tensor(dtype, [v.length], Float64Array.from(v));
  return fromFloat32(dtype, [v.length], Float32Array.from(v));
}

/**
 * Each element's bits, so -0, infinities and every finite value compare exactly; a NaN is "NaN".
 * Which NaN bits a store writes is the engine's choice (ECMAScript's SetValueInBuffer lets a NaN
 * be written as any NaN encoding), and V8's differ between its tiers: under Node 24 the
 * interpreted and the optimised `a * Math.log(b)` gave 0x7fe00000 and 0x7fc00000 for the same NaN
 * operands. TF does not promise NaN payloads either; its tests compare NaNs as NaNs.
 */
function bytes(t: Tensor): string[] {
  const d = t.data;
  if (d instanceof Float32Array || d instanceof Float64Array) {
    const bits = d instanceof Float32Array ? new Uint32Array(d.buffer, d.byteOffset, d.length) : undefined;
    const wide = d instanceof Float64Array ? new BigUint64Array(d.buffer, d.byteOffset, d.length) : undefined;
    return Array.from(d, (v, i) => (Number.isNaN(v) ? "NaN" : String(bits?.[i] ?? wide![i])));
  }
  // half or bfloat16 storage: exponent all ones and a non-zero mantissa is a NaN.
  const [exponent, mantissa] = t.dtype === DataType.DT_HALF ? [0x7c00, 0x3ff] : [0x7f80, 0x7f];
  return Array.from(d as Uint16Array, (b) =>
    (b & exponent) === exponent && (b & mantissa) !== 0 ? "NaN" : String(b),
  );
}

/** A job run in ranges of 100 elements (not a multiple of the unrolled loop's eight). */
function ranged(job: ElementJob<Tensor>): Tensor {
  const slices = jobSlices(job, 100);
  for (;;) {
    const r = slices.next();
    if (r.done === true) return r.value;
  }
}

/** The same op without its array loop: the generic per-element path. */
function unaryPerElement(fns: UnaryFns): UnaryFns {
  const { floatExpr: _, ...rest } = fns;
  return rest;
}
function binaryPerElement(fns: BinaryFns): BinaryFns {
  const { floatExpr: _, ...rest } = fns;
  return rest;
}

describe("element-wise array loops match their element functions", () => {
  const unary: [string, UnaryFns][] = [
    ["Neg", negFns],
    ["Abs", absFns],
    ["Relu", reluFns],
    ["Relu6", relu6Fns],
    ["Square", squareFns],
    ["Reciprocal", reciprocalFns],
    ["Rsqrt", rsqrtFns],
    ["Sign", signFns],
    ["Floor", floorFns],
    ["Ceil", ceilFns],
    ["Round", roundFns],
    ["Rint", rintFns],
    ["Sqrt", sqrtFns],
    ["Exp", expFns],
    ["Expm1", expm1Fns],
    ["Log", logFns],
    ["Log1p", log1pFns],
    ["Sigmoid", sigmoidFns],
    ["Tanh", tanhFns],
    ["Sin", sinFns],
    ["Cos", cosFns],
    ["Tan", tanFns],
    ["Asin", asinFns],
    ["Acos", acosFns],
    ["Atan", atanFns],
    ["Sinh", sinhFns],
    ["Cosh", coshFns],
    ["Asinh", asinhFns],
    ["Acosh", acoshFns],
    ["Atanh", atanhFns],
    ["Elu", eluFns],
    ["Selu", seluFns],
    ["Softsign", softsignFns],
  ];
  for (const [name, fns] of unary) {
    it(`${name}: float, double, half, bfloat16`, () => {
      assert.ok(fns.floatExpr, `${name} has an array loop`);
      for (const dtype of dtypes) {
        const x = tensor(dtype, values(1003, 7));
        const fast = unaryOp(name, x, fns);
        const slow = unaryOp(name, x, unaryPerElement(fns));
        assert.equal(fast.dtype, dtype);
        assert.deepEqual(bytes(fast), bytes(slow), `${name} dtype ${dtype}`);
        assert.deepEqual(
          bytes(ranged(unaryJob(name, x, fns))),
          bytes(slow),
          `${name} dtype ${dtype} in ranges`,
        );
        // Over its own input (TF's forward_input, which half and bfloat16 never take): each
        // element is read before it is written.
        if (dtype === DataType.DT_FLOAT || dtype === DataType.DT_DOUBLE) {
          const own = tensor(dtype, values(1003, 7));
          assert.deepEqual(bytes(runWhole(unaryJob(name, own, fns, dtype, own))), bytes(slow));
        }
      }
    });
  }
  const binary: [string, BinaryFns][] = [
    ["Add", addFns],
    ["Sub", subFns],
    ["Mul", mulFns],
    ["Div", divFns],
    ["RealDiv", realDivFns],
    ["DivNoNan", divNoNanFns],
    ["MulNoNan", mulNoNanFns],
    ["Maximum", maximumFns],
    ["Minimum", minimumFns],
    ["SquaredDifference", squaredDifferenceFns],
    ["FloorDiv", floorDivFns],
    ["Pow", powFns],
    ["Atan2", atan2Fns],
    ["Xdivy", xdivyFns],
    ["Xlogy", xlogyFns],
    ["Xlog1py", xlog1pyFns],
  ];
  for (const [name, fns] of binary) {
    it(`${name}: float, double, half, bfloat16; same shapes and broadcast`, () => {
      assert.ok(fns.floatExpr, `${name} has an array loop`);
      for (const dtype of dtypes) {
        const x = tensor(dtype, values(1003, 3));
        const y = tensor(dtype, values(1003, 11));
        const slow = binaryOp(name, x, y, binaryPerElement(fns));
        assert.deepEqual(bytes(binaryOp(name, x, y, fns)), bytes(slow), `${name} dtype ${dtype}`);
        assert.deepEqual(bytes(ranged(binaryJob(name, x, y, fns))), bytes(slow), `${name} in ranges`);
        // Over either input's storage (binaryConfig forwards one for float and double when
        // nothing broadcasts): each element of both is read before it is written.
        if (dtype === DataType.DT_FLOAT || dtype === DataType.DT_DOUBLE) {
          const ownX = tensor(dtype, values(1003, 3));
          assert.deepEqual(bytes(runWhole(binaryJob(name, ownX, y, fns, dtype, ownX))), bytes(slow));
          const ownY = tensor(dtype, values(1003, 11));
          assert.deepEqual(bytes(runWhole(binaryJob(name, x, ownY, fns, dtype, ownY))), bytes(slow));
        }
        // A scalar on either side, whole and in ranges; zeros and NaN too, which some ops treat
        // apart (Maximum, DivNoNan, Xdivy).
        for (const v of [1.5, 0, -0, Number.NaN, -2.5]) {
          const s = new Tensor(dtype, [], tensor(dtype, [v]).data);
          for (const [p, q] of [
            [x, s],
            [s, y],
          ] as const) {
            const want = bytes(binaryOp(name, p, q, binaryPerElement(fns)));
            const got = binaryOp(name, p, q, fns);
            assert.equal(numericData(got).length, 1003);
            assert.deepEqual(bytes(got), want, `${name} dtype ${dtype} scalar ${v}`);
            assert.deepEqual(
              bytes(ranged(binaryJob(name, p, q, fns))),
              want,
              `${name} scalar ${v} in ranges`,
            );
          }
        }
      }
    });
  }
});

describe("element-wise ops where code generation is refused", () => {
  it("fall back to their per-element loops (node --disallow-code-generation-from-strings)", () => {
    const script = `
      import { Tensor } from "./server/engine/framework/tensor.ts";
      import { DataType } from "./server/engine/framework/types.ts";
      import { negFns } from "./server/engine/kernels/Neg.ts";
      import { addFns } from "./server/engine/kernels/Add.ts";
      import { binaryOp, unaryOp } from "./server/engine/kernels/util/cwise.ts";
      let refused = false;
      try { new Function("return 1"); } catch { refused = true; }
      const x = new Tensor(DataType.DT_FLOAT, [3], Float32Array.from([1.5, -2, 4]));
      const s = new Tensor(DataType.DT_DOUBLE, [], Float64Array.from([0.25]));
      const y = new Tensor(DataType.DT_DOUBLE, [2], Float64Array.from([1, -3]));
      console.log(JSON.stringify({
        refused,
        neg: Array.from(unaryOp("Neg", x, negFns).data),
        add: Array.from(binaryOp("Add", s, y, addFns).data),
      }));`;
    const root = new URL("../../../../", import.meta.url).pathname;
    const child = spawnSync(
      process.execPath,
      ["--disallow-code-generation-from-strings", "--import", "tsx", "--input-type=module", "-e", script],
      { cwd: root, encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout.trim()), {
      refused: true,
      neg: [-1.5, 2, -4],
      add: [1.25, -2.75],
    });
  });
});
