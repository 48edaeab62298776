// The whole-array loops of hot element-wise ops (cwise.ts, FloatArray) against the per-element
// functions they stand for: bit-identical results for every float dtype, special values included.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { absFns } from "../Abs.js";
import { addFns } from "../Add.js";
import { mulFns } from "../Mul.js";
import { negFns } from "../Neg.js";
import { reluFns } from "../Relu.js";
import { subFns } from "../Sub.js";
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

/** The bytes of a tensor's storage, so NaN payloads and -0 compare exactly. */
function bytes(t: Tensor): Uint8Array {
  const d = t.data as ArrayBufferView;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
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
  ];
  for (const [name, fns] of binary) {
    it(`${name}: float, double, half, bfloat16; same shapes and broadcast`, () => {
      assert.ok(fns.floatExpr, `${name} has an array loop`);
      for (const dtype of dtypes) {
        const x = tensor(dtype, values(1003, 3));
        const y = tensor(dtype, values(1003, 11));
        const fast = binaryOp(name, x, y, fns);
        assert.deepEqual(
          bytes(fast),
          bytes(binaryOp(name, x, y, binaryPerElement(fns))),
          `${name} dtype ${dtype}`,
        );
        // A scalar operand broadcasts through the generic loop; the answer is the same either way.
        const s = tensor(dtype, [1.5]);
        const scalarFast = binaryOp(name, x, new Tensor(dtype, [], s.data), fns);
        const scalarSlow = binaryOp(name, x, new Tensor(dtype, [], s.data), binaryPerElement(fns));
        assert.deepEqual(bytes(scalarFast), bytes(scalarSlow));
        assert.equal(numericData(scalarFast).length, 1003);
        const leftFast = binaryOp(name, new Tensor(dtype, [], s.data), y, fns);
        const leftSlow = binaryOp(name, new Tensor(dtype, [], s.data), y, binaryPerElement(fns));
        assert.deepEqual(bytes(leftFast), bytes(leftSlow));
        // In ranges, as a sliced kernel runs it: the same bytes as one pass.
        for (const [p, q] of [
          [x, y],
          [x, new Tensor(dtype, [], s.data)],
          [new Tensor(dtype, [], s.data), y],
        ] as const) {
          assert.deepEqual(
            bytes(ranged(binaryJob(name, p, q, fns))),
            bytes(binaryOp(name, p, q, binaryPerElement(fns))),
          );
        }
      }
    });
  }
});
