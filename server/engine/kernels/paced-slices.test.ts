// Kernels that run in slices by a Pace (util/paced-slices.ts; docs/architecture.md, "Long kernels
// in slices": the linear-algebra kernels, the 3-D convolutions, the FFTs) give the bits of a whole run: each
// kernel's generator is stepped one piece at a time, interleaved with a second run of the same
// kernel on other operands (so no state is shared between runs), and compared byte for byte with
// the drained kernel, for odd shapes, batches and every dtype the kernel takes. Pieces are small
// here, so every run is cut in many places.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cholesky, choleskySlices } from "./Cholesky.js";
import { choleskyGrad, choleskyGradSlices } from "./CholeskyGrad.js";
import { conv3D, conv3DSlices } from "./Conv3D.js";
import { conv3DBackpropFilter, conv3DBackpropFilterSlices } from "./Conv3DBackpropFilterV2.js";
import { conv3DBackpropInput, conv3DBackpropInputSlices } from "./Conv3DBackpropInputV2.js";
import { logMatrixDeterminant, logMatrixDeterminantSlices } from "./LogMatrixDeterminant.js";
import { lu, luSlices } from "./Lu.js";
import { matrixDeterminant, matrixDeterminantSlices } from "./MatrixDeterminant.js";
import { matrixInverse, matrixInverseSlices } from "./MatrixInverse.js";
import { matrixSolve, matrixSolveSlices } from "./MatrixSolve.js";
import { matrixSolveLs, matrixSolveLsSlices } from "./MatrixSolveLs.js";
import { matrixTriangularSolve, matrixTriangularSolveSlices } from "./MatrixTriangularSolve.js";
import { qr, qrSlices } from "./Qr.js";
import { selfAdjointEigV2, selfAdjointEigV2Slices } from "./SelfAdjointEigV2.js";
import { svd, svdSlices } from "./Svd.js";
import { seededFloats } from "./testing/bits.js";
import type { Conv3DAttrs } from "./util/conv3d-util.js";
import { Pace } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";
import { type FftKind, fftSlices } from "./util/spectral.js";

/** Work per piece in these runs: small, so even these small matrices are cut in many places. */
const PIECE = 2 ** 12;

const { DT_FLOAT, DT_DOUBLE, DT_COMPLEX64, DT_COMPLEX128 } = DataType;
const ALL = [DT_FLOAT, DT_DOUBLE, DT_COMPLEX64, DT_COMPLEX128];
const REAL = [DT_FLOAT, DT_DOUBLE];

/** A tensor of seeded values; `dominant` adds 2n to each matrix's diagonal (positive definite). */
function operand(dtype: DataType, shape: readonly number[], seed: number, dominant = false): Tensor {
  const lanes = dtype === DT_COMPLEX64 || dtype === DT_COMPLEX128 ? 2 : 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const v = seededFloats(n * lanes, seed);
  const data = dtype === DT_FLOAT || dtype === DT_COMPLEX64 ? v : Float64Array.from(v);
  if (dominant) {
    const k = shape.at(-1)!;
    for (let i = 0; i < n; i++) if (Math.floor(i / k) % k === i % k) data[i * lanes]! += 2 * k;
  }
  return new Tensor(dtype, shape, data);
}

type Outputs = Tensor | readonly Tensor[];
const list = (o: Outputs): readonly Tensor[] => (o instanceof Tensor ? [o] : o);

function bytesOf(t: Tensor): Uint8Array {
  const d = t.data as Float32Array;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Steps two runs alternately, a piece each; returns their results and the pieces of each. */
function interleaved(a: Slices<Outputs>, b: Slices<Outputs>): { results: Outputs[]; pieces: number[] } {
  const runs = [a, b];
  const results: (Outputs | undefined)[] = [undefined, undefined];
  const pieces = [0, 0];
  for (let live = 2; live > 0; ) {
    live = 0;
    runs.forEach((g, i) => {
      if (results[i] !== undefined) return;
      const r = g.next();
      if (r.done) results[i] = r.value;
      else {
        assert.equal(r.value, undefined, "linear-algebra slices never wait");
        pieces[i]!++;
        live++;
      }
    });
  }
  return { results: results as Outputs[], pieces };
}

/** Checks a kernel's sliced runs on two operand sets against its whole runs. */
function check<A extends unknown[]>(
  what: string,
  whole: (...args: A) => Outputs,
  sliced: (...args: [...A, Pace]) => Slices<Outputs>,
  args: [A, A],
): void {
  const run = (a: A) => sliced(...a, new Pace(PIECE));
  const { results, pieces } = interleaved(run(args[0]), run(args[1]));
  args.forEach((a, i) => {
    assert.ok(pieces[i]! >= 10, `${what} #${i}: only ${pieces[i]} pieces`);
    const want = list(whole(...a));
    const got = list(results[i]!);
    assert.equal(got.length, want.length);
    want.forEach((w, o) => {
      assert.deepEqual(got[o]!.shape, w.shape, `${what} #${i} output ${o}: shape`);
      assert.ok(Buffer.from(bytesOf(got[o]!)).equals(bytesOf(w)), `${what} #${i} output ${o}: bits differ`);
    });
  });
}

test("MatrixInverse, MatrixDeterminant, LogMatrixDeterminant and Lu in slices have the bits of whole runs", () => {
  for (const dt of ALL) {
    const a = operand(dt, [3, 71, 71], 1);
    const b = operand(dt, [97, 97], 2);
    check(`MatrixInverse ${dt}`, matrixInverse, matrixInverseSlices, [
      [a, false],
      [b, true],
    ]);
    check(`MatrixDeterminant ${dt}`, matrixDeterminant, matrixDeterminantSlices, [[a], [b]]);
    check(`LogMatrixDeterminant ${dt}`, logMatrixDeterminant, logMatrixDeterminantSlices, [[a], [b]]);
    check(`Lu ${dt}`, lu, luSlices, [
      [a, DataType.DT_INT32],
      [b, DataType.DT_INT64],
    ]);
  }
});

test("MatrixSolve, MatrixTriangularSolve and MatrixSolveLs in slices have the bits of whole runs", () => {
  const l2 = new Tensor(DT_DOUBLE, [], new Float64Array([0.25]));
  for (const dt of ALL) {
    const a = operand(dt, [3, 71, 71], 3, true);
    const b = operand(dt, [3, 71, 13], 4);
    const c = operand(dt, [97, 97], 5, true);
    const d = operand(dt, [97, 5], 6);
    check(`MatrixSolve ${dt}`, matrixSolve, matrixSolveSlices, [
      [a, b, false],
      [c, d, true],
    ]);
    // rhs batch broadcast against one matrix
    check(`MatrixTriangularSolve ${dt}`, matrixTriangularSolve, matrixTriangularSolveSlices, [
      [c, operand(dt, [5, 97, 41], 7), true, false],
      [a, b, false, true],
    ]);
    const tall = operand(dt, [2, 101, 67], 8);
    const wide = operand(dt, [67, 101], 9);
    check(`MatrixSolveLs ${dt}`, matrixSolveLs, matrixSolveLsSlices, [
      [tall, operand(dt, [2, 101, 3], 10), l2, true],
      [wide, operand(dt, [67, 7], 11), l2, true],
    ]);
  }
  for (const dt of REAL) {
    check(`MatrixSolveLs fast=false ${dt}`, matrixSolveLs, matrixSolveLsSlices, [
      [operand(dt, [2, 53, 41], 12), operand(dt, [2, 53, 3], 13), l2, false],
      [operand(dt, [37, 61], 14), operand(dt, [37, 2], 15), l2, false],
    ]);
  }
});

test("Cholesky and CholeskyGrad in slices have the bits of whole runs", () => {
  for (const dt of ALL) {
    check(`Cholesky ${dt}`, cholesky, choleskySlices, [
      [operand(dt, [3, 131, 131], 16, true)],
      [operand(dt, [173, 173], 17, true)],
    ]);
  }
  for (const dt of REAL) {
    const l = cholesky(operand(dt, [3, 101, 101], 18, true));
    const m = cholesky(operand(dt, [127, 127], 19, true));
    check(`CholeskyGrad ${dt}`, choleskyGrad, choleskyGradSlices, [
      [l, operand(dt, [3, 101, 101], 20)],
      [m, operand(dt, [127, 127], 21)],
    ]);
  }
});

test("Qr, Svd and SelfAdjointEigV2 in slices have the bits of whole runs", () => {
  for (const dt of ALL) {
    check(`Qr ${dt}`, qr, qrSlices, [
      [operand(dt, [3, 83, 61], 22), false],
      [operand(dt, [59, 97], 23), true],
    ]);
    check(`Svd ${dt}`, svd, svdSlices, [
      [operand(dt, [2, 47, 31], 24), true, false],
      [operand(dt, [29, 53], 25), true, true],
    ]);
    check(`SelfAdjointEigV2 ${dt}`, selfAdjointEigV2, selfAdjointEigV2Slices, [
      [operand(dt, [3, 53, 53], 26), true],
      [operand(dt, [79, 79], 27), false],
    ]);
  }
});

test("Conv3D and its gradients in slices of output rows have the bits of whole runs", () => {
  const ints = (v: readonly number[]) => new Tensor(DataType.DT_INT32, [v.length], Int32Array.from(v));
  const same: Conv3DAttrs = {
    strides: [1, 2, 1],
    dilations: [1, 1, 1],
    padding: "SAME",
    channelsFirst: false,
  };
  const valid: Conv3DAttrs = {
    strides: [2, 1, 3],
    dilations: [1, 1, 1],
    padding: "VALID",
    channelsFirst: true,
  };
  for (const dt of REAL) {
    const x1 = operand(dt, [2, 7, 9, 5, 3], 30);
    const w1 = operand(dt, [3, 2, 3, 3, 4], 31);
    // NCDHW
    const x2 = operand(dt, [1, 5, 25, 6, 8], 32);
    const w2 = operand(dt, [2, 3, 2, 5, 6], 33);
    check(`Conv3D ${dt}`, conv3D, conv3DSlices, [
      [x1, w1, same],
      [x2, w2, valid],
    ]);
    const dy1 = operand(dt, conv3D(x1, w1, same).shape, 34);
    const dy2 = operand(dt, conv3D(x2, w2, valid).shape, 35);
    check(`Conv3DBackpropInputV2 ${dt}`, conv3DBackpropInput, conv3DBackpropInputSlices, [
      [ints(x1.shape), w1, dy1, same],
      [ints(x2.shape), w2, dy2, valid],
    ]);
    check(`Conv3DBackpropFilterV2 ${dt}`, conv3DBackpropFilter, conv3DBackpropFilterSlices, [
      [x1, ints(w1.shape), dy1, same],
      [x2, ints(w2.shape), dy2, valid],
    ]);
  }
});

test("the FFT kernels in slices of lines have the bits of whole runs", () => {
  const ints = (v: readonly number[]) => new Tensor(DataType.DT_INT32, [v.length], Int32Array.from(v));
  const fft = (kind: FftKind, x: Tensor, len: Tensor | undefined, out: DataType) =>
    drainSync(fftSlices(kind, x, len, out));
  for (const [c, r] of [
    [DT_COMPLEX64, DT_FLOAT],
    [DT_COMPLEX128, DT_DOUBLE],
  ] as const) {
    for (const rank of [1, 2, 3]) {
      for (const forward of [true, false]) {
        const kind = { rank, forward, real: false };
        // a power-of-two length (radix-2) and an odd one (Bluestein)
        check(`complex ${forward ? "" : "I"}FFT rank ${rank} ${c}`, fft, fftSlices, [
          [kind, operand(c, [3, 5, 6, 32], 40), undefined, c],
          [kind, operand(c, [2, 7, 9, 27], 41), undefined, c],
        ]);
      }
      const lens = [6, 9, 30].slice(3 - rank);
      check(`RFFT rank ${rank} ${r}`, fft, fftSlices, [
        [{ rank, forward: true, real: true }, operand(r, [3, 6, 9, 30], 42), ints(lens), c],
        [
          { rank, forward: true, real: true },
          operand(r, [2, 8, 8, 64], 43),
          ints([8, 8, 64].slice(3 - rank)),
          c,
        ],
      ]);
      check(`IRFFT rank ${rank} ${r}`, fft, fftSlices, [
        [{ rank, forward: false, real: true }, operand(c, [3, 6, 9, 16], 44), ints(lens), r],
        [
          { rank, forward: false, real: true },
          operand(c, [2, 8, 8, 33], 45),
          ints([8, 8, 64].slice(3 - rank)),
          r,
        ],
      ]);
    }
  }
});
