// Element-wise kernels, reductions, Fill, Cast, Select, Tile, ArgMax, the copies (Transpose,
// Slice, StridedSlice, BroadcastTo, Reverse, ConcatV2, Pack, Split, Unpack, Pad, MirrorPad), the
// gathers, segment reductions, ScatterNd, the variable scatters and ScatterNd's updating forms,
// the sparse segment reductions and their gradients, DynamicPartition, DynamicStitch, Softmax,
// Cumsum, MirrorPadGrad, pooling (2-D and 3-D, with the gradients), the random fills, Multinomial,
// Range, LinSpace, OneHot, ClipByValue, the matrix band/diagonal ops, ReverseSequence, Where,
// Bincount, the space/depth/batch copies, the resizes with their gradients, TopKV2, InTopK, the
// softmax cross-entropy losses, L2Loss, BiasAddGrad, LRN, Unique, the colour-space ops,
// CheckNumerics, Roll, Bucketize, PopulationCount and Cross in slices
// (util/element-slices.ts) give the bits of the same job run whole, for every storage kind and
// with broadcasting, cut at piece sizes that split the innermost runs at odd places; the kernels
// take the sliced path only for large tensors; slices abandoned midway (what the executor does to
// a cancelled step) stop there, with no output; and a sliced variable scatter stores its value
// only when it ends.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { AttrValue } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { attr } from "../../../test/support/attr.js";
import { forEachBroadcastRun, forEachBroadcastRunIn, stridesOf } from "../framework/bcast.js";
import {
  bfloat16ToFloat,
  float32ToBfloat16Array,
  float32ToHalfArray,
  floatToBfloat16,
  floatToHalf,
  halfToFloat,
} from "../framework/float16.js";
import { addDefaultAttrs, inputTypesForNode, lookUpOp, outputTypesForNode } from "../framework/op-def.js";
import {
  findKernel,
  isAsyncKernel,
  type KernelSlices,
  type OpKernelContext,
  type RefCell,
} from "../framework/op-kernel.js";
import { createResourceMgr } from "../framework/resource-mgr.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { addFns } from "./Add.js";
import { addN } from "./AddN.js";
import { adjustHue, adjustHueJob } from "./AdjustHue.js";
import { adjustSaturation, adjustSaturationJob } from "./AdjustSaturation.js";
import { argReduceJob } from "./ArgMax.js";
import { atan2 } from "./Atan2.js";
import { avgPool, avgPoolJob } from "./AvgPool.js";
import { avgPool3D, avgPool3DJob } from "./AvgPool3D.js";
import { avgPool3DGrad, avgPool3DGradJob } from "./AvgPool3DGrad.js";
import { avgPoolGrad, avgPoolGradJob } from "./AvgPoolGrad.js";
import { batchToSpaceND, batchToSpaceNDJob } from "./BatchToSpaceND.js";
import { biasAdd } from "./BiasAdd.js";
import { biasAddGrad, biasAddGradJob } from "./BiasAddGrad.js";
import { broadcastToJob } from "./BroadcastTo.js";
import { bucketize, bucketizeJob } from "./Bucketize.js";
import { castJob } from "./Cast.js";
import { checkNumerics, checkNumericsJob } from "./CheckNumerics.js";
import { clipByValue, clipByValueJob } from "./ClipByValue.js";
import { concat, concatJob } from "./ConcatV2.js";
import { cosFns } from "./Cos.js";
import { cross, crossJob } from "./Cross.js";
import { scan, scanJob } from "./Cumsum.js";
import { depthToSpace, depthToSpaceJob } from "./DepthToSpace.js";
import { depthwiseConv2dNativeJob } from "./DepthwiseConv2dNative.js";
import { depthwiseConv2dNativeBackpropFilterJob } from "./DepthwiseConv2dNativeBackpropFilter.js";
import { depthwiseConv2dNativeBackpropInputJob } from "./DepthwiseConv2dNativeBackpropInput.js";
import { dynamicPartition, dynamicPartitionJob } from "./DynamicPartition.js";
import { dynamicStitch, dynamicStitchJob } from "./DynamicStitch.js";
import { equal } from "./Equal.js";
import { erf } from "./Erf.js";
import { fillJob, onesLike } from "./Fill.js";
import { gatherNd, gatherNdJob } from "./GatherNd.js";
import { gather, gatherJob } from "./GatherV2.js";
import { hsvToRgb, hsvToRgbJob } from "./HSVToRGB.js";
import { inTopK, inTopKJob } from "./InTopKV2.js";
import { l2Loss, l2LossJob } from "./L2Loss.js";
import { lessFns } from "./Less.js";
import { linSpace, linSpaceJob } from "./LinSpace.js";
import { logicalNot } from "./LogicalNot.js";
import { lrn, lrnJob } from "./LRN.js";
import { matrixBandPart, matrixBandPartJob } from "./MatrixBandPart.js";
import { LEFT_LEFT } from "./MatrixDiag.js";
import { matrixDiagPart, matrixDiagPartJob } from "./MatrixDiagPartV3.js";
import { matrixDiag, matrixDiagJob } from "./MatrixDiagV3.js";
import { matrixSetDiag, matrixSetDiagJob } from "./MatrixSetDiagV3.js";
import { maxPool, maxPoolJob } from "./MaxPool.js";
import { maxPool3D, maxPool3DJob } from "./MaxPool3D.js";
import { maxPool3DGrad, maxPool3DGradJob } from "./MaxPool3DGrad.js";
import { maxPoolGrad, maxPoolGradJob } from "./MaxPoolGrad.js";
import { maxPoolGradWithArgmax, maxPoolGradWithArgmaxJob } from "./MaxPoolGradWithArgmax.js";
import { maxPoolWithArgmax, maxPoolWithArgmaxJob } from "./MaxPoolWithArgmax.js";
import { mirrorPad, mirrorPadJob } from "./MirrorPad.js";
import { mirrorPadGrad, mirrorPadGradJob } from "./MirrorPadGrad.js";
import { mulFns } from "./Mul.js";
import { multinomial, multinomialJob } from "./Multinomial.js";
import { oneHot, oneHotJob } from "./OneHot.js";
import { packJob, unpack, unpackJob } from "./Pack.js";
import { pad, padJob } from "./Pad.js";
import { populationCount, populationCountJob } from "./PopulationCount.js";
import { sampleGamma, sampleGammaJob } from "./RandomGamma.js";
import { randomStandardNormal, randomStandardNormalJob } from "./RandomStandardNormal.js";
import { randomUniform, randomUniformJob } from "./RandomUniform.js";
import { randomUniformInt, randomUniformIntJob } from "./RandomUniformInt.js";
import { range, rangeJob } from "./Range.js";
import { realDivFns } from "./RealDiv.js";
import { resizeBilinear, resizeBilinearJob } from "./ResizeBilinear.js";
import { resizeBilinearGrad, resizeBilinearGradJob } from "./ResizeBilinearGrad.js";
import { resizeNearestNeighbor, resizeNearestNeighborJob } from "./ResizeNearestNeighbor.js";
import { resizeNearestNeighborGrad, resizeNearestNeighborGradJob } from "./ResizeNearestNeighborGrad.js";
import { resourceGatherJob } from "./ResourceGather.js";
import { reverseSequence, reverseSequenceJob } from "./ReverseSequence.js";
import { reverseJob } from "./ReverseV2.js";
import { rgbToHsv, rgbToHsvJob } from "./RGBToHSV.js";
import { roll, rollJob } from "./Roll.js";
import { scatterNd, scatterNdJob } from "./ScatterNd.js";
import { selectJob, selectV2Job } from "./Select.js";
import { sliceJob } from "./Slice.js";
import { softmax, softmaxJob } from "./Softmax.js";
import { softmaxCrossEntropyJob, softmaxCrossEntropyWithLogits } from "./SoftmaxCrossEntropyWithLogits.js";
import { spaceToBatchND, spaceToBatchNDJob } from "./SpaceToBatchND.js";
import { spaceToDepth, spaceToDepthJob } from "./SpaceToDepth.js";
import {
  sparseSoftmaxCrossEntropyJob,
  sparseSoftmaxCrossEntropyWithLogits,
} from "./SparseSoftmaxCrossEntropyWithLogits.js";
import { split, splitJob } from "./Split.js";
import { splitVJob } from "./SplitV.js";
import { sqrtFns } from "./Sqrt.js";
import { stridedSlice, stridedSliceJob } from "./StridedSlice.js";
import { tileJob } from "./Tile.js";
import { topK, topKJob } from "./TopKV2.js";
import { transpose, transposeJob } from "./Transpose.js";
import { truncatedNormal, truncatedNormalJob } from "./TruncatedNormal.js";
import { assertSameBits } from "./testing/bits.js";
import { resourceVar, run1, runKernel, startKernel, testDevice } from "./testing/testing.js";
import { bincount, bincountJob, denseBincount, denseBincountJob } from "./util/bincount-op.js";
import type { ConvAttrs } from "./util/conv-util.js";
import { binaryJob, unaryJob } from "./util/cwise.js";
import { type ElementJob, jobSlices, runWhole, SLICED_MIN_ELEMENTS } from "./util/element-slices.js";
import { GuardedPhiloxRandom, PhiloxRandom } from "./util/philox-random.js";
import { samplePoisson, samplePoissonJob } from "./util/random-poisson.js";
import { type ReduceKind, reduceJob, reductionPlan } from "./util/reduction.js";
import { scatterRows, scatterRowsJob } from "./util/scatter-functor.js";
import { scatterNdInto, scatterNdIntoJob } from "./util/scatter-nd-functor.js";
import {
  sortedSegmentJob,
  sortedSegmentReduce,
  unsortedSegmentJob,
  unsortedSegmentReduce,
} from "./util/segment-reduction.js";
import {
  sparseSegmentGrad,
  sparseSegmentGradJob,
  sparseSegmentReduce,
  sparseSegmentReduceJob,
} from "./util/sparse-segment-reduction.js";
import { philoxFromKeyCounter, philoxFromSeed, uniformFullIntFill } from "./util/stateless-random.js";
import { stridedCopyRange } from "./util/tensor-util.js";
import { unique, uniqueJob } from "./util/unique-op.js";
import { where, whereJob } from "./Where.js";

const F = DataType.DT_FLOAT;
const I32 = DataType.DT_INT32;

function random(n: number, seed: number): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out.push(s / 2 ** 32 - 0.5);
  }
  return out;
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A tensor of `dtype` and `shape` from seeded values in [-0.5, 0.5) (scaled for integers). */
function tensor(dtype: DataType, shape: readonly number[], seed: number): Tensor {
  const n = count(shape);
  const v = random(n, seed);
  switch (dtype) {
    case DataType.DT_FLOAT:
      // A NaN and an infinity among them, so max/min/ArgMax see them.
      if (n > 10) [v[3], v[7]] = [Number.NaN, Number.POSITIVE_INFINITY];
      return new Tensor(dtype, shape, Float32Array.from(v));
    case DataType.DT_DOUBLE:
      return new Tensor(dtype, shape, Float64Array.from(v));
    case DataType.DT_HALF:
      return new Tensor(dtype, shape, float32ToHalfArray(v));
    case DataType.DT_BFLOAT16:
      return new Tensor(dtype, shape, float32ToBfloat16Array(v));
    case DataType.DT_INT32:
      return new Tensor(
        dtype,
        shape,
        Int32Array.from(v, (x) => Math.round(x * 2000)),
      );
    case DataType.DT_UINT8:
      return new Tensor(
        dtype,
        shape,
        Uint8Array.from(v, (x) => Math.round((x + 0.5) * 255)),
      );
    case DataType.DT_INT64:
      return new Tensor(
        dtype,
        shape,
        BigInt64Array.from(v, (x) => BigInt(Math.round(x * 1e6))),
      );
    case DataType.DT_BOOL:
      return new Tensor(
        dtype,
        shape,
        Uint8Array.from(v, (x) => (x > 0 ? 1 : 0)),
      );
    case DataType.DT_COMPLEX64: {
      const w = random(2 * n, seed + 1);
      return new Tensor(dtype, shape, Float32Array.from(w));
    }
    case DataType.DT_STRING:
      return new Tensor(
        dtype,
        shape,
        v.map((x) => new TextEncoder().encode(x.toFixed(3))),
      );
    default:
      throw new Error(`no test data for dtype ${dtype}`);
  }
}

function assertSameTensor(got: Tensor, want: Tensor, what: string): void {
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const g = got.data;
  const w = want.data;
  if (ArrayBuffer.isView(g) && ArrayBuffer.isView(w)) {
    const gb = Buffer.from(g.buffer, g.byteOffset, g.byteLength);
    const wb = Buffer.from(w.buffer, w.byteOffset, w.byteLength);
    assert.ok(gb.equals(wb), `${what}: the bytes differ`);
  } else assert.deepEqual(g, w, `${what}: the elements differ`);
}

/**
 * The job made twice: once run whole, once in slices of `piece` elements. Same bits, and the sliced
 * run really was cut (at least `minPieces` pieces).
 */
function assertSlicedIsWhole(make: () => ElementJob<Tensor>, what: string, piece = 97, minPieces = 5): void {
  const whole = runWhole(make());
  const g = jobSlices(make(), piece);
  let pieces = 0;
  let r = g.next();
  for (; !r.done; r = g.next()) {
    assert.equal(r.value, undefined, "element slices never wait");
    pieces++;
  }
  assert.ok(pieces >= minPieces, `${what}: only ${pieces} pieces`);
  assertSameTensor(r.value, whole, what);
}

test("ranges of a broadcast walk, cut anywhere, make exactly the walk in one piece", () => {
  const cases: [number[], number[], number[]][] = [
    [[], [], []],
    [[1000], [1000], [1]],
    [
      [5, 7, 11],
      [5, 1, 11],
      [7, 1],
    ],
    [
      [3, 4, 1],
      [1, 4, 1],
      [3, 1, 1],
    ],
    [
      [2, 3, 5, 7],
      [2, 3, 5, 7],
      [5, 1],
    ],
  ];
  for (const [out, a, b] of cases) {
    const pad = (s: number[]) => [...new Array<number>(out.length - s.length).fill(1), ...s];
    const as = stridesOf(pad(a)).map((st, d) => (pad(a)[d] === 1 && out[d] !== 1 ? 0 : st));
    const bs = stridesOf(pad(b)).map((st, d) => (pad(b)[d] === 1 && out[d] !== 1 ? 0 : st));
    const want: number[] = [];
    forEachBroadcastRun(out, as, bs, (o, ai, bi, n, aStep, bStep) => {
      for (let j = 0; j < n; j++) want.push(o + j, ai + j * aStep, bi + j * bStep);
    });
    const total = count(out);
    for (const piece of [1, 2, 3, 6, 13, 1000]) {
      const got: number[] = [];
      for (let s = 0; s < total; s += piece) {
        forEachBroadcastRunIn(out, as, bs, s, Math.min(total, s + piece), (o, ai, bi, n, aStep, bStep) => {
          for (let j = 0; j < n; j++) got.push(o + j, ai + j * aStep, bi + j * bStep);
        });
      }
      assert.deepEqual(got, want, `[${out}] in pieces of ${piece}`);
    }
  }
});

test("binary element-wise ops in slices have the bits of one run, with and without broadcasting", () => {
  const shapes: [number[], number[]][] = [
    [
      [13, 17, 19],
      [13, 17, 19],
    ],
    [[13, 17, 19], []],
    [[], [13, 17, 19]],
    [
      [13, 1, 19],
      [17, 1],
    ],
    [[19], [13, 17, 1]],
  ];
  const dtypes = [F, DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16, I32, DataType.DT_INT64];
  for (const [xs, ys] of shapes) {
    for (const dt of dtypes) {
      const x = tensor(dt, xs, 1);
      const y = tensor(dt, ys, 2);
      for (const [name, fns] of [
        ["Add", addFns],
        ["Mul", mulFns],
      ] as const) {
        assertSlicedIsWhole(() => binaryJob(name, x, y, fns), `${name} ${dt} [${xs}] [${ys}]`);
      }
      if (dt !== I32 && dt !== DataType.DT_INT64)
        assertSlicedIsWhole(() => binaryJob("RealDiv", x, y, realDivFns), `RealDiv ${dt} [${xs}] [${ys}]`);
      assertSlicedIsWhole(
        () => binaryJob("Less", x, y, lessFns, DataType.DT_BOOL),
        `Less ${dt} [${xs}] [${ys}]`,
      );
    }
  }
  const c = tensor(DataType.DT_COMPLEX64, [13, 17, 19], 3);
  const d = tensor(DataType.DT_COMPLEX64, [17, 1], 4);
  assertSlicedIsWhole(() => binaryJob("Mul", c, d, mulFns), "Mul complex64");
  const s = tensor(DataType.DT_STRING, [13, 17], 5);
  const t = tensor(DataType.DT_STRING, [17], 6);
  assertSlicedIsWhole(() => binaryJob("Add", s, t, addFns), "Add string", 7);
});

test("half and bfloat16 inputs are decoded before the loop reads them, also a broadcast scalar", () => {
  // Sliced against whole cannot see this (both would read the same undecoded storage): compare
  // with the element function applied to the decoded values.
  for (const [dt, decode, encode] of [
    [DataType.DT_HALF, halfToFloat, floatToHalf],
    [DataType.DT_BFLOAT16, bfloat16ToFloat, floatToBfloat16],
  ] as const) {
    const x = tensor(dt, [37, 41], 37);
    const y = tensor(dt, [], 38);
    const xs = x.data as Uint16Array;
    const ys = y.data as Uint16Array;
    for (const [what, job, want] of [
      ["x · scalar", () => binaryJob("Mul", x, y, mulFns), (i: number) => decode(xs[i]!) * decode(ys[0]!)],
      ["scalar · x", () => binaryJob("Mul", y, x, mulFns), (i: number) => decode(ys[0]!) * decode(xs[i]!)],
      ["x + x", () => binaryJob("Add", x, x, addFns), (i: number) => decode(xs[i]!) + decode(xs[i]!)],
      ["cos x", () => unaryJob("Cos", x, cosFns), (i: number) => Math.cos(decode(xs[i]!))],
    ] as const) {
      for (const got of [runWhole(job()), drainJob(job())]) {
        const g = got.data as Uint16Array;
        for (let i = 0; i < g.length; i++) {
          const w = encode(Math.fround(want(i)));
          if (g[i] !== w) assert.fail(`${dt} ${what}: element ${i} is ${g[i]}, want ${w}`);
        }
      }
    }
  }
});

/** A job run in slices of 97 elements to its end. */
function drainJob(job: ElementJob<Tensor>): Tensor {
  const g = jobSlices(job, 97);
  for (let r = g.next(); ; r = g.next()) if (r.done) return r.value;
}

test("unary element-wise ops in slices have the bits of one run", () => {
  for (const dt of [F, DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16]) {
    const x = tensor(dt, [31, 29, 7], 7);
    assertSlicedIsWhole(() => unaryJob("Cos", x, cosFns), `Cos ${dt}`);
    assertSlicedIsWhole(() => unaryJob("Sqrt", x, sqrtFns), `Sqrt ${dt}`);
  }
  const c = tensor(DataType.DT_COMPLEX64, [31, 29], 8);
  assertSlicedIsWhole(() => unaryJob("Sqrt", c, sqrtFns), "Sqrt complex64");
});

test("reductions in slices fold in the same order as one run: same bits for every kind and axes", () => {
  const shape = [23, 29, 31];
  const axesSets = [[0, 1, 2], [0], [1], [2], [0, 2], [-1, 1]];
  const kinds: ReduceKind[] = ["sum", "mean", "prod", "max", "min"];
  for (const dt of [F, DataType.DT_DOUBLE, DataType.DT_HALF, I32, DataType.DT_UINT8, DataType.DT_INT64]) {
    const x = tensor(dt, shape, 9);
    for (const axes of axesSets) {
      for (const kind of kinds) {
        for (const keepDims of [false, true]) {
          const a = new Tensor(I32, [axes.length], Int32Array.from(axes));
          assertSlicedIsWhole(
            () => reduceJob(kind, x, reductionPlan(x.shape, a, keepDims)),
            `${kind} ${dt} axes [${axes}] keep_dims ${keepDims}`,
          );
        }
      }
    }
  }
  const c = tensor(DataType.DT_COMPLEX64, shape, 10);
  for (const kind of ["sum", "mean", "prod"] as const) {
    const a = new Tensor(I32, [1], Int32Array.from([1]));
    assertSlicedIsWhole(() => reduceJob(kind, c, reductionPlan(c.shape, a, false)), `${kind} complex64`);
  }
});

test("a float32 Sum of 2^21 elements in 2^18-element slices has the bits of one run", () => {
  const x = new Tensor(F, [2048, 1024], Float32Array.from(random(2 ** 21, 11)));
  const all = new Tensor(I32, [2], Int32Array.from([0, 1]));
  assertSlicedIsWhole(() => reduceJob("sum", x, reductionPlan(x.shape, all, false)), "sum", 2 ** 18, 8);
  const rows = new Tensor(I32, [1], Int32Array.from([0]));
  assertSlicedIsWhole(
    () => reduceJob("sum", x, reductionPlan(x.shape, rows, false)),
    "sum over 0",
    2 ** 18,
    8,
  );
});

test("Fill, Cast, Select, SelectV2, Tile and ArgMax in slices have the bits of one run", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_INT64, DataType.DT_COMPLEX64, DataType.DT_STRING]) {
    assertSlicedIsWhole(() => fillJob([37, 41], tensor(dt, [], 12)), `Fill ${dt}`);
  }
  const casts: [DataType, DataType][] = [
    [F, I32],
    [F, DataType.DT_HALF],
    [F, DataType.DT_BFLOAT16],
    [DataType.DT_HALF, DataType.DT_DOUBLE],
    [DataType.DT_INT64, I32],
    [DataType.DT_INT64, F],
    [I32, DataType.DT_INT64],
    [F, DataType.DT_INT64],
    [F, DataType.DT_COMPLEX64],
    [DataType.DT_COMPLEX64, F],
    [DataType.DT_COMPLEX64, DataType.DT_BOOL],
    [F, DataType.DT_BOOL],
    [DataType.DT_INT64, DataType.DT_BOOL],
  ];
  for (const [from, to] of casts) {
    const x = tensor(from, [37, 41], 13);
    assertSlicedIsWhole(() => castJob(x, to), `Cast ${from} → ${to}`);
  }
  const xf = tensor(F, [37, 41], 14);
  assertSlicedIsWhole(() => castJob(xf, DataType.DT_BFLOAT16, true), "Cast float → bfloat16 truncating");
  const t = tensor(F, [37, 41], 15);
  const e = tensor(F, [37, 41], 16);
  assertSlicedIsWhole(() => selectJob(tensor(DataType.DT_BOOL, [37, 41], 17), t, e), "Select same shape");
  assertSlicedIsWhole(() => selectJob(tensor(DataType.DT_BOOL, [37], 18), t, e), "Select batch vector");
  assertSlicedIsWhole(
    () => selectV2Job(tensor(DataType.DT_BOOL, [41], 19), t, tensor(F, [37, 1], 20)),
    "SelectV2 broadcasting",
  );
  const c = tensor(DataType.DT_COMPLEX64, [37, 41], 21);
  assertSlicedIsWhole(() => selectJob(tensor(DataType.DT_BOOL, [37, 41], 22), c, c), "Select complex64");
  assertSlicedIsWhole(() => tileJob(tensor(F, [3, 5, 7], 23), [4, 3, 5]), "Tile float");
  assertSlicedIsWhole(() => tileJob(tensor(DataType.DT_STRING, [3, 5], 24), [7, 3]), "Tile string");
  const a = tensor(F, [23, 29, 31], 25);
  const ai = tensor(DataType.DT_INT64, [23, 29, 31], 26);
  for (const axis of [0, 1, 2, -1]) {
    for (const out of [DataType.DT_INT64, I32]) {
      assertSlicedIsWhole(() => argReduceJob(a, axis, true, out), `ArgMax axis ${axis}`);
      assertSlicedIsWhole(() => argReduceJob(a, axis, false, out), `ArgMin axis ${axis}`);
      assertSlicedIsWhole(() => argReduceJob(ai, axis, true, out), `ArgMax int64 axis ${axis}`);
    }
  }
});

test("DepthwiseConv2dNative and its gradients in slices of output rows have the bits of one run", () => {
  const attrs = (padding: "SAME" | "VALID", stride: number): ConvAttrs => ({
    strides: [1, stride, stride, 1],
    padding,
    explicitPaddings: [],
    dataFormat: "NHWC",
    dilations: [1, 1, 1, 1],
  });
  for (const dt of [F, DataType.DT_HALF]) {
    for (const [padding, stride] of [
      ["SAME", 1],
      ["VALID", 2],
    ] as const) {
      const a = attrs(padding, stride);
      const x = tensor(dt, [2, 13, 11, 3], 30);
      const w = tensor(dt, [3, 3, 3, 2], 31);
      const y = runWhole(depthwiseConv2dNativeJob(x, w, a));
      const dy = tensor(dt, y.shape, 32);
      const what = `${dt} ${padding} stride ${stride}`;
      assertSlicedIsWhole(() => depthwiseConv2dNativeJob(x, w, a), `forward ${what}`, 200);
      const sizes = (s: readonly number[]) => new Tensor(I32, [4], Int32Array.from(s));
      assertSlicedIsWhole(
        () => depthwiseConv2dNativeBackpropInputJob(sizes(x.shape), w, dy, a),
        `backprop input ${what}`,
        200,
      );
      assertSlicedIsWhole(
        () => depthwiseConv2dNativeBackpropFilterJob(x, sizes(w.shape), dy, a),
        `backprop filter ${what}`,
        200,
        3,
      );
    }
  }
});

test("a strided copy cut into ranges anywhere writes what the index formula gives", () => {
  // [shape, source strides, source offset]: a transpose, a reversed axis, a broadcast (stride 0),
  // a strided window, a scalar.
  const cases: [number[], number[], number][] = [
    [[7, 5, 3], [1, 21, 7], 0],
    [[6, 11], [11, -1], 10],
    [[4, 9, 2], [0, 2, 1], 0],
    [[5, 4], [24, 3], 5],
    [[], [], 3],
  ];
  const src = Float64Array.from({ length: 200 }, (_, i) => i);
  for (const [shape, strides, offset] of cases) {
    const n = count(shape);
    const want = Array.from({ length: n }, (_, i) => {
      let rem = i;
      let at = offset;
      for (let d = shape.length - 1; d >= 0; d--) {
        at += (rem % shape[d]!) * strides[d]!;
        rem = Math.floor(rem / shape[d]!);
      }
      return at;
    });
    for (const piece of [1, 2, 4, 7, 13, n]) {
      const dst = new Float64Array(n).fill(-1);
      for (let s = 0; s < n; s += piece)
        stridedCopyRange(src, strides, offset, dst, 0, shape, 1, s, Math.min(n, s + piece));
      assert.deepEqual(Array.from(dst), want, `[${shape}] strides [${strides}] in pieces of ${piece}`);
    }
  }
});

test("Transpose, Slice, StridedSlice, BroadcastTo and Reverse in slices have the bits of one run", () => {
  const masks = { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 };
  for (const dt of [
    F,
    DataType.DT_HALF,
    DataType.DT_INT64,
    DataType.DT_COMPLEX64,
    DataType.DT_STRING,
    DataType.DT_BOOL,
  ]) {
    const x = tensor(dt, [13, 17, 19], 40);
    for (const perm of [
      [2, 0, 1],
      [1, 0, 2],
      [0, 2, 1],
    ]) {
      assertSlicedIsWhole(() => transposeJob(x, perm), `Transpose ${dt} [${perm}]`);
    }
    assertSlicedIsWhole(() => sliceJob(x, [2, 3, 1], [9, -1, 17]), `Slice ${dt}`);
    assertSlicedIsWhole(
      () => stridedSliceJob(x, [12, 1, 0], [0, 17, 19], [-2, 3, 1], masks),
      `StridedSlice ${dt} reversed and strided`,
    );
    assertSlicedIsWhole(
      () =>
        stridedSliceJob(x, [4, 0, 0], [5, 17, 19], [1, 1, 1], {
          ...masks,
          shrinkAxisMask: 1,
        }),
      `StridedSlice ${dt} shrinking an axis`,
      61,
    );
    assertSlicedIsWhole(() => broadcastToJob(tensor(dt, [17, 1], 41), [13, 17, 19]), `BroadcastTo ${dt}`);
    assertSlicedIsWhole(() => reverseJob(x, [true, false, true]), `Reverse ${dt}`);
  }
});

test("ConcatV2, Pack, GatherV2 and ResourceGather in slices have the bits of one run", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_INT64, DataType.DT_COMPLEX64, DataType.DT_STRING]) {
    const a = tensor(dt, [13, 7, 19], 50);
    const b = tensor(dt, [13, 3, 19], 51);
    const empty = tensor(dt, [13, 0, 19], 52);
    const c = tensor(dt, [13, 1, 19], 53);
    for (const parts of [
      [a, b],
      [a, empty, b, c],
      [empty, c, empty],
    ]) {
      assertSlicedIsWhole(() => concatJob(parts, 1), `ConcatV2 ${dt} ${parts.length} parts along 1`, 37);
    }
    assertSlicedIsWhole(() => concatJob([a, a, a], 0), `ConcatV2 ${dt} along 0`);
    assertSlicedIsWhole(() => concatJob([a, tensor(dt, [13, 7, 5], 54)], -1), `ConcatV2 ${dt} along -1`, 23);
    for (const axis of [0, 1, 3, -1]) {
      assertSlicedIsWhole(() => packJob([a, a, a], axis), `Pack ${dt} axis ${axis}`);
    }
    const idx = new Tensor(I32, [4, 3], Int32Array.from([0, 12, 5, 5, 1, 9, 3, 0, 11, 2, 7, 6]));
    for (const axis of [0, 1, 2]) {
      const i = new Tensor(I32, [5], Int32Array.from([0, 6, 2, 2, 4]));
      assertSlicedIsWhole(() => gatherJob(a, i, axis), `GatherV2 ${dt} axis ${axis}`);
    }
    assertSlicedIsWhole(() => gatherJob(a, idx, 0), `GatherV2 ${dt} 2-d indices`, 61);
    const batched = new Tensor(
      I32,
      [13, 2],
      Int32Array.from(random(26, 55), (x) => Math.floor((x + 0.5) * 7)),
    );
    assertSlicedIsWhole(() => gatherJob(a, batched, 1, 1), `GatherV2 ${dt} batch_dims 1`);
    assertSlicedIsWhole(() => resourceGatherJob(a, idx, 0), `ResourceGather ${dt}`, 61);
    assertSlicedIsWhole(() => resourceGatherJob(a, batched, 1), `ResourceGather ${dt} batch_dims 1`);
  }
});

test("GatherNd in slices has the bits of one run; a bad index fails before any slice", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_INT64, DataType.DT_COMPLEX64, DataType.DT_STRING]) {
    const a = tensor(dt, [13, 7, 19], 56);
    // [shape, values, piece]: the last case picks single elements, so it is cut at every one.
    const cases: [number[], number[], number][] = [
      [[5, 1], [0, 12, 3, 3, 7], 29],
      [[2, 2, 2], [0, 6, 12, 0, 5, 5, 1, 2], 29],
      [[3, 0], [], 29],
      [[4, 3], [0, 0, 0, 12, 6, 18, 3, 2, 1, 3, 2, 1], 1],
    ];
    for (const [shape, v, piece] of cases) {
      const idx = new Tensor(I32, shape, Int32Array.from(v));
      assertSlicedIsWhole(() => gatherNdJob(a, idx, "g"), `GatherNd ${dt} indices [${shape}]`, piece, 3);
    }
  }
  const a = tensor(F, [13, 7, 19], 57);
  const bad = new Tensor(I32, [3, 2], Int32Array.from([0, 0, 12, 7, 1, 1]));
  assert.throws(
    () => gatherNdJob(a, bad, "g"),
    /indices\[1\] = \[12, 7\] does not index into param shape \[13,7,19\], node name: g/,
  );
});

test("segment reductions in slices that end inside a row fold in the order of one run", () => {
  const dtypes = [F, DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16, I32, DataType.DT_INT64];
  // Sorted ids with gaps (rows 1, 4 and 6 named by no id) and runs of 1 to 4 rows.
  const sorted = new Tensor(I32, [9], Int32Array.from([0, 2, 2, 3, 3, 3, 3, 5, 7]));
  const unsorted = new Tensor(I32, [9], Int32Array.from([4, 0, -1, 4, 2, 4, 0, 5, 4]));
  const numSegments = new Tensor(I32, [], Int32Array.from([7]));
  for (const dt of dtypes) {
    // 19 columns: float min/max fold 16 in packets and 3 one by one.
    const x = tensor(dt, [9, 19], 58);
    for (const r of ["sum", "prod", "min", "max"] as const) {
      assertSlicedIsWhole(() => sortedSegmentJob(x, sorted, r), `Segment ${r} ${dt}`, 7);
      assertSlicedIsWhole(
        () => unsortedSegmentJob(x, unsorted, numSegments, r),
        `UnsortedSegment ${r} ${dt}`,
        7,
      );
    }
    assertSlicedIsWhole(() => sortedSegmentJob(x, sorted, "sum", true), `SegmentMean ${dt}`, 7);
  }
  const c = tensor(DataType.DT_COMPLEX64, [9, 5], 59);
  assertSlicedIsWhole(() => sortedSegmentJob(c, sorted, "prod"), "SegmentProd complex64", 3);
  assertSlicedIsWhole(
    () => unsortedSegmentJob(c, unsorted, numSegments, "sum"),
    "UnsortedSegmentSum complex64",
    3,
  );
  // A row-by-row fold per segment (the form the pass replaces) gives the same float32 bits.
  const x = tensor(F, [9, 19], 58);
  const xs = x.data as Float32Array;
  const want = new Float32Array(7 * 19);
  for (let i = 0; i < 9; i++) {
    const id = (unsorted.data as Int32Array)[i]!;
    if (id >= 0) for (let j = 0; j < 19; j++) want[id * 19 + j] = want[id * 19 + j]! + xs[i * 19 + j]!;
  }
  assertSameTensor(
    drainJob(unsortedSegmentJob(x, unsorted, numSegments, "sum")),
    new Tensor(F, [7, 19], want),
    "UnsortedSegmentSum rows",
  );
  // Bad ids fail when the job is made, before any slice.
  const late = new Tensor(I32, [9], Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 7]));
  assert.throws(
    () => unsortedSegmentJob(x, late, numSegments, "sum"),
    /segment_ids\[8\] = 7 is out of range \[0, 7\)/,
  );
  const down = new Tensor(I32, [9], Int32Array.from([0, 1, 3, 2, 4, 5, 6, 7, 8]));
  assert.throws(() => sortedSegmentJob(x, down, "sum"), /segment ids are not increasing/);
});

/** assertSlicedIsWhole for a job of several outputs. */
function assertSlicedOutputsAreWhole(make: () => ElementJob<Tensor[]>, what: string, piece: number): void {
  const whole = runWhole(make());
  const g = jobSlices(make(), piece);
  let pieces = 0;
  let r = g.next();
  for (; !r.done; r = g.next()) pieces++;
  assert.ok(pieces >= 3, `${what}: only ${pieces} pieces`);
  assert.equal(r.value.length, whole.length, `${what}: outputs`);
  for (const [i, t] of r.value.entries()) assertSameTensor(t, whole[i]!, `${what} output ${i}`);
}

test("Split, SplitV and Unpack in slices that span outputs have the bits of one run", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_INT64, DataType.DT_COMPLEX64, DataType.DT_STRING]) {
    const x = tensor(dt, [12, 7, 10], 62);
    for (const axis of [0, 1, 2, -1]) {
      const n = [4, 7, 5, 5][axis < 0 ? 3 : axis]!;
      assertSlicedOutputsAreWhole(() => splitJob(x, axis, n), `Split ${dt} axis ${axis}`, 23);
      assertSlicedOutputsAreWhole(
        () => unpackJob(x, x.shape.at(axis)!, axis),
        `Unpack ${dt} axis ${axis}`,
        23,
      );
    }
    const sizes = new Tensor(I32, [4], Int32Array.from([3, 0, -1, 2]));
    for (const axis of [0, 2]) {
      assertSlicedOutputsAreWhole(() => splitVJob(x, sizes, axis, 4), `SplitV ${dt} axis ${axis}`, 31);
    }
  }
  const x = tensor(F, [12, 7, 10], 63);
  assert.throws(
    () => splitVJob(x, new Tensor(I32, [2], Int32Array.from([3, 3])), 0, 2),
    /Determined shape must/,
  );
});

test("half and bfloat16 segment sums and ScatterNd decode, fold and encode as the element loops did", () => {
  const ids = Int32Array.from([2, 0, 2, -1, 2]);
  for (const [dt, decode, encode] of [
    [DataType.DT_HALF, halfToFloat, floatToHalf],
    [DataType.DT_BFLOAT16, bfloat16ToFloat, floatToBfloat16],
  ] as const) {
    const x = tensor(dt, [5, 6], 66);
    const xs = x.data as Uint16Array;
    // UnsortedSegmentSum: each output element rounded to the dtype after every addition.
    const seg = new Float32Array(3 * 6);
    // ScatterNd: float32 sums, encoded once.
    const scat = new Float32Array(3 * 6);
    for (let i = 0; i < 5; i++) {
      const id = ids[i]!;
      if (id < 0) continue;
      for (let j = 0; j < 6; j++) {
        const v = decode(xs[i * 6 + j]!);
        seg[id * 6 + j] = decode(encode(Math.fround(seg[id * 6 + j]! + v)));
        scat[id * 6 + j] = Math.fround(scat[id * 6 + j]! + v);
      }
    }
    const want = (f: Float32Array) =>
      new Tensor(
        dt,
        [3, 6],
        Uint16Array.from(f, (v) => encode(v)),
      );
    const n = new Tensor(I32, [], Int32Array.from([3]));
    const segIds = new Tensor(I32, [5], ids);
    assertSameTensor(
      drainJob(unsortedSegmentJob(x, segIds, n, "sum")),
      want(seg),
      `UnsortedSegmentSum ${dt}`,
    );
    const idx = new Tensor(I32, [4, 1], Int32Array.from([2, 0, 2, 2]));
    const rows = new Tensor(dt, [4, 6], Uint16Array.from([...xs.slice(0, 18), ...xs.slice(24, 30)]));
    assertSameTensor(drainJob(scatterNdJob(idx, rows, [3, 6])), want(scat), `ScatterNd ${dt}`);
  }
});

test("Softmax and LogSoftmax in slices that cut rows anywhere have the bits of one run", () => {
  for (const dt of [F, DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16]) {
    for (const shape of [[13, 17, 19], [3, 1000], [700, 1], [5000]]) {
      const x = tensor(dt, shape, 60);
      for (const log of [false, true]) {
        assertSlicedIsWhole(
          () => softmaxJob(x, log),
          `${log ? "LogSoftmax" : "Softmax"} ${dt} [${shape}]`,
          89,
        );
      }
    }
  }
  // The row's steps as one loop each, per row (the form the passes replace), give the same bits.
  const x = tensor(F, [9, 301], 61);
  const xs = x.data as Float32Array;
  for (const log of [false, true]) {
    const want = new Float32Array(xs.length);
    for (let b = 0; b < xs.length; b += 301) {
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < 301; j++) max = Math.max(max, xs[b + j]!);
      let sum = 0;
      for (let j = 0; j < 301; j++) sum += Math.exp(xs[b + j]! - max);
      const ls = Math.log(sum);
      for (let j = 0; j < 301; j++)
        want[b + j] = log ? xs[b + j]! - max - ls : Math.exp(xs[b + j]! - max) / sum;
    }
    assertSameTensor(
      softmax(x, log),
      new Tensor(F, [9, 301], want),
      `${log ? "LogSoftmax" : "Softmax"} rows`,
    );
    assertSameTensor(
      drainJob(softmaxJob(x, log)),
      new Tensor(F, [9, 301], want),
      `${log ? "LogSoftmax" : "Softmax"} sliced rows`,
    );
  }
});

test("Pad and PadV2 in slices have the bits of one run", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_INT64, DataType.DT_COMPLEX64, DataType.DT_STRING]) {
    const x = tensor(dt, [11, 13, 7], 70);
    const pads: [number, number][] = [
      [2, 3],
      [0, 4],
      [1, 0],
    ];
    assertSlicedIsWhole(() => padJob(x, pads), `Pad ${dt}`);
    assertSlicedIsWhole(() => padJob(x, pads, tensor(dt, [], 71)), `PadV2 ${dt}`);
    assertSlicedIsWhole(() => padJob(tensor(dt, [], 72), [], tensor(dt, [], 73)), `PadV2 ${dt} scalar`, 1, 1);
  }
});

test("MirrorPad in slices has the bits of one run", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_INT64, DataType.DT_COMPLEX64, DataType.DT_STRING]) {
    const x = tensor(dt, [11, 13, 7], 74);
    const pads: [number, number][] = [
      [2, 3],
      [0, 4],
      [1, 0],
    ];
    for (const mode of ["REFLECT", "SYMMETRIC"] as const) {
      assertSlicedIsWhole(() => mirrorPadJob(x, pads, mode), `MirrorPad ${dt} ${mode}`);
    }
    assertSlicedIsWhole(
      () => mirrorPadJob(tensor(dt, [], 75), [], "REFLECT"),
      `MirrorPad ${dt} scalar`,
      1,
      1,
    );
  }
  assert.throws(
    () =>
      mirrorPadJob(
        tensor(F, [3, 4], 76),
        [
          [3, 0],
          [0, 0],
        ],
        "REFLECT",
      ),
    /paddings must be less than the dimension size: 3, 0 not less than 3/,
  );
});

test("ScatterNd in slices adds duplicate rows in the order of one run; a bad index fails before any slice", () => {
  const dtypes = [
    F,
    DataType.DT_DOUBLE,
    DataType.DT_HALF,
    I32,
    DataType.DT_INT64,
    DataType.DT_BOOL,
    DataType.DT_COMPLEX64,
  ];
  for (const dt of dtypes) {
    // Rows 0 and 3 land on the same slice, as do 1 and 4.
    const idx = new Tensor(I32, [5, 2], Int32Array.from([1, 2, 0, 0, 3, 1, 1, 2, 0, 0]));
    const updates = tensor(dt, [5, 7, 3], 77);
    assertSlicedIsWhole(() => scatterNdJob(idx, updates, [4, 3, 7, 3]), `ScatterNd ${dt}`, 13);
  }
  const idx = new Tensor(I32, [3, 1], Int32Array.from([0, 5, 4]));
  assert.throws(
    () => scatterNdJob(idx, tensor(F, [3, 2], 78), [5, 2]),
    /indices\[1\] = \[5\] does not index into shape \[5,2\]/,
  );
});

test("Cumsum and Cumprod in slices that end inside a line have the bits of one run", () => {
  const dtypes = [
    F,
    DataType.DT_DOUBLE,
    DataType.DT_HALF,
    DataType.DT_BFLOAT16,
    I32,
    DataType.DT_INT64,
    DataType.DT_COMPLEX64,
  ];
  for (const dt of dtypes) {
    const x = tensor(dt, [11, 13, 17], 80);
    for (const axis of [0, 1, 2, -1]) {
      for (const kind of ["sum", "prod"] as const) {
        for (const [exclusive, reverse] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as const) {
          assertSlicedIsWhole(
            () => scanJob(kind, x, axis, exclusive, reverse),
            `${kind} ${dt} axis ${axis} exclusive ${exclusive} reverse ${reverse}`,
            // Pieces of 97 / cost 4 = 24 steps: lines of 11, 13 and 17 are cut at many places.
            97,
          );
        }
      }
    }
  }
});

test("MaxPool in slices of output rows has the bits of one run", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_DOUBLE, I32, DataType.DT_INT64]) {
    const x = tensor(dt, [2, 13, 11, 6], 90);
    for (const [ksize, strides, padding] of [
      [[1, 3, 3, 1], [1, 1, 1, 1], "SAME"],
      [[1, 2, 3, 1], [1, 2, 2, 1], "VALID"],
      [[1, 1, 1, 3], [1, 1, 1, 3], "VALID"],
    ] as const) {
      const a = { ksize, strides, padding, explicitPaddings: [] };
      assertSlicedIsWhole(() => maxPoolJob(x, a), `MaxPool ${dt} ksize [${ksize}] ${padding}`, 200);
    }
  }
});

test("AvgPool in slices of output rows has the bits of one run", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_BFLOAT16, DataType.DT_DOUBLE]) {
    const x = tensor(dt, [2, 13, 11, 6], 91);
    for (const [ksize, strides, padding] of [
      [[1, 3, 3, 1], [1, 1, 1, 1], "SAME"],
      [[1, 2, 3, 1], [1, 2, 2, 1], "VALID"],
    ] as const) {
      const a = { ksize, strides, padding, explicitPaddings: [] };
      assertSlicedIsWhole(() => avgPoolJob(x, a), `AvgPool ${dt} ksize [${ksize}] ${padding}`, 200);
    }
  }
});

/** Output `i` of a job with several outputs, as a job of one. */
function outputOf(job: ElementJob<readonly Tensor[]>, i: number): ElementJob<Tensor> {
  return { passes: job.passes, result: () => job.result()[i]! };
}

/**
 * tensor(), but doubles with full 53-bit mantissas: sums of tensor()'s doubles (32-bit fractions)
 * are exact, so the order of a gradient's additions would not show in their bits.
 */
function gradient(dt: DataType, shape: readonly number[], seed: number): Tensor {
  if (dt !== DataType.DT_DOUBLE) return tensor(dt, shape, seed);
  return new Tensor(
    dt,
    shape,
    Float64Array.from(random(count(shape), seed), (v) => v / 3),
  );
}

// Overlapping windows (stride 1) make an input element the maximum, or a member, of several
// windows, so the gradients add several terms into it and their order shows in the bits.
const POOL_GEOMETRIES = [
  [[1, 3, 3, 1], [1, 1, 1, 1], "SAME"],
  [[1, 2, 3, 1], [1, 2, 1, 1], "VALID"],
] as const;

test("MaxPoolGrad and MaxPoolWithArgmax with its gradient in slices have the bits of one run", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_BFLOAT16, DataType.DT_DOUBLE, I32, DataType.DT_INT64]) {
    const x = tensor(dt, [2, 13, 11, 6], 92);
    for (const [ksize, strides, padding] of POOL_GEOMETRIES) {
      const a = { ksize, strides, padding, explicitPaddings: [] };
      const what = `${dt} ksize [${ksize}] ${padding}`;
      const y = maxPool(x, a);
      const dy = gradient(dt, y.shape, 93);
      assertSlicedIsWhole(() => maxPoolGradJob(x, y, dy, a), `MaxPoolGrad ${what}`, 200);
      for (const includeBatch of [false, true]) {
        for (const i of [0, 1]) {
          assertSlicedIsWhole(
            () => outputOf(maxPoolWithArgmaxJob(x, a, includeBatch, DataType.DT_INT64), i),
            `MaxPoolWithArgmax ${what} output ${i}`,
            200,
          );
        }
        const [, arg] = maxPoolWithArgmax(x, a, includeBatch, DataType.DT_INT64);
        assertSlicedIsWhole(
          () => maxPoolGradWithArgmaxJob(x, dy, arg, a, includeBatch),
          `MaxPoolGradWithArgmax ${what}`,
        );
      }
    }
  }
});

test("a bad argmax fails MaxPoolGradWithArgmax before any slice, naming the first one", () => {
  const a = { ksize: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: "VALID" as const, explicitPaddings: [] };
  const x = tensor(F, [2, 4, 4, 1], 94);
  const arg = new Tensor(
    DataType.DT_INT64,
    [2, 2, 2, 1],
    BigInt64Array.from([0n, 2n, 8n, 99n, 0n, 16n, 8n, 10n]),
  );
  assert.throws(
    () => maxPoolGradWithArgmaxJob(x, tensor(F, [2, 2, 2, 1], 95), arg, a, false),
    /Invalid output gradient index: 99, 0, 16/,
  );
});

test("AvgPoolGrad in slices of grad rows has the bits of one run", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_BFLOAT16, DataType.DT_DOUBLE]) {
    for (const [ksize, strides, padding] of POOL_GEOMETRIES) {
      const a = { ksize, strides, padding, explicitPaddings: [] };
      const shape = [2, 13, 11, 6];
      const outShape = avgPool(tensor(dt, shape, 96), a).shape;
      const dy = gradient(dt, outShape, 97);
      assertSlicedIsWhole(
        () => avgPoolGradJob(new Tensor(I32, [4], Int32Array.from(shape)), dy, a),
        `AvgPoolGrad ${dt} ksize [${ksize}] ${padding}`,
        200,
      );
    }
  }
});

test("3-D pooling and its gradients in slices of output rows have the bits of one run", () => {
  const geometries = [
    [[1, 2, 3, 3, 1], [1, 1, 1, 1, 1], "SAME"],
    [[1, 3, 2, 2, 1], [1, 2, 1, 2, 1], "VALID"],
  ] as const;
  const shape = [2, 5, 7, 6, 3];
  for (const dt of [F, DataType.DT_HALF, DataType.DT_BFLOAT16, DataType.DT_DOUBLE]) {
    const x = tensor(dt, shape, 98);
    for (const [ksize, strides, padding] of geometries) {
      const a = { ksize, strides, padding };
      const what = `${dt} ksize [${ksize}] ${padding}`;
      assertSlicedIsWhole(() => maxPool3DJob(x, a), `MaxPool3D ${what}`, 200);
      assertSlicedIsWhole(() => avgPool3DJob(x, a), `AvgPool3D ${what}`, 200);
      const y = maxPool3D(x, a);
      const dy = gradient(dt, y.shape, 99);
      assertSlicedIsWhole(() => maxPool3DGradJob(x, y, dy, a), `MaxPool3DGrad ${what}`, 200);
      const sizes = new Tensor(I32, [5], Int32Array.from(shape));
      assertSlicedIsWhole(() => avgPool3DGradJob(sizes, dy, a), `AvgPool3DGrad ${what}`, 200);
    }
  }
});

test("MirrorPadGrad in slices that start anywhere has the bits of one run", () => {
  for (const dt of [
    F,
    DataType.DT_HALF,
    DataType.DT_BFLOAT16,
    I32,
    DataType.DT_INT64,
    DataType.DT_COMPLEX64,
  ]) {
    const dy = gradient(dt, [11, 13, 7], 100);
    for (const mode of ["REFLECT", "SYMMETRIC"] as const) {
      const paddings = new Tensor(I32, [3, 2], Int32Array.from([2, 3, 0, 4, 1, 0]));
      assertSlicedIsWhole(() => mirrorPadGradJob(dy, paddings, mode), `MirrorPadGrad ${dt} ${mode}`);
    }
  }
});

const floats = (shape: number[], seed: number) => tensor(F, shape, seed);

test("kernels take the sliced path only for large tensors; small ones finish within compute", () => {
  const small = startKernel("Cos", { attrs: { T: attr.type(F) }, inputs: [floats([64, 64], 27)] });
  assert.equal(small.slices, undefined);
  assert.ok(small.outputs[0], "a small Cos sets its output at once");
  const big = startKernel("Cos", { attrs: { T: attr.type(F) }, inputs: [floats([SLICED_MIN_ELEMENTS], 28)] });
  assert.ok(big.slices, "a large Cos continues in slices");
  assert.equal(big.outputs[0], undefined, "no output before the slices have run");
  let pieces = 0;
  for (let r = big.slices.next(); !r.done; r = big.slices.next()) pieces++;
  assert.ok(pieces >= 4, `only ${pieces} pieces`);
  assert.ok(big.outputs[0], "the output is set when the slices end");
});

test("kernels that call the element machinery themselves take the sliced path too, with the bits of the whole call", () => {
  const n = SLICED_MIN_ELEMENTS;
  const x = floats([n / 64, 64], 33);
  const y = floats([n / 64, 64], 34);
  const bool = tensor(DataType.DT_BOOL, [n], 35);
  const cases: [string, Tensor[], () => Tensor][] = [
    ["BiasAdd", [x, floats([64], 36)], () => biasAdd(x, floats([64], 36))],
    ["Equal", [x, x], () => equal(x, x)],
    ["Atan2", [x, y], () => atan2(x, y)],
    ["Erf", [x], () => erf(x)],
    ["LogicalNot", [bool], () => logicalNot(bool)],
    ["AddN", [x, y, x], () => addN([x, y, x])],
    ["OnesLike", [x], () => onesLike(x)],
  ];
  for (const [op, inputs, whole] of cases) {
    const attrs =
      op === "LogicalNot" ? {} : { T: attr.type(F), ...(op === "AddN" ? { N: attr.int(3) } : {}) };
    const run = startKernel(op, { attrs, inputs });
    assert.ok(run.slices, `${op} over ${n} elements continues in slices`);
    let pieces = 0;
    for (let r = run.slices.next(); !r.done; r = run.slices.next()) pieces++;
    assert.ok(pieces >= 4, `${op}: only ${pieces} pieces`);
    const got = run.outputs[0];
    assert.ok(got, `${op} set its output`);
    assertSameTensor(got, whole(), op);
  }
});

const ints = (v: number[]) => new Tensor(I32, [v.length], Int32Array.from(v));

/** An op, its inputs for `rows` rows of 64, attrs besides T = float, and its whole-run output. */
type LargeCase = [
  string,
  (rows: number) => Tensor[],
  Record<string, ReturnType<typeof attr.int>>,
  (t: Tensor[]) => Tensor,
];

/** An op of one or more outputs, its attrs, its inputs for `rows` rows of 64, and its whole-run outputs. */
type LargeOutputsCase = readonly [
  string,
  Record<string, AttrValue>,
  (rows: number) => Tensor[],
  (t: Tensor[]) => Tensor[],
];

/** Each op over 64 rows finishes within compute; over SLICED_MIN_ELEMENTS it runs in slices, to the whole run's bits. */
function assertLargeOnlySliced(cases: readonly LargeCase[]): void {
  assertLargeOnlySlicedOutputs(
    cases.map(([op, inputsOf, extra, whole]) => [
      op,
      { T: attr.type(F), ...extra },
      inputsOf,
      (t: Tensor[]) => [whole(t)],
    ]),
  );
}

/**
 * Each op over 64 rows finishes within compute with every output set; over SLICED_MIN_ELEMENTS it
 * runs in slices, sets no output until they end, then every output with the whole run's bits.
 */
function assertLargeOnlySlicedOutputs(cases: readonly LargeOutputsCase[]): void {
  for (const [op, attrs, inputsOf, whole] of cases) {
    const small = startKernel(op, { attrs, inputs: inputsOf(64) });
    assert.equal(small.slices, undefined, `a small ${op} runs within compute`);
    const inputs = inputsOf(SLICED_MIN_ELEMENTS / 64);
    const big = startKernel(op, { attrs, inputs });
    assert.ok(big.slices, `a large ${op} continues in slices`);
    assert.ok(
      big.outputs.every((t) => t === undefined),
      `${op}: no output before the slices have run`,
    );
    let pieces = 0;
    for (let r = big.slices.next(); !r.done; r = big.slices.next()) pieces++;
    assert.ok(pieces >= 4, `${op}: only ${pieces} pieces`);
    whole(inputs).forEach((want, i) => {
      assert.ok(small.outputs[i], `a small ${op} sets output ${i} at once`);
      const got = big.outputs[i];
      assert.ok(got, `${op} set output ${i}`);
      assertSameTensor(got, want, `${op} output ${i}`);
    });
  }
}

test("the copies, gathers, Pad, Softmax, Cumsum and MaxPool take the sliced path only over large tensors", () => {
  const i32 = { Tidx: attr.type(I32) };
  const cases: LargeCase[] = [
    [
      "Transpose",
      (r) => [floats([r, 64], 40), ints([1, 0])],
      { Tperm: attr.type(I32) },
      ([x]) => transpose(x!, [1, 0]),
    ],
    [
      "ConcatV2",
      (r) => [floats([r, 32], 41), floats([r, 32], 42), new Tensor(I32, [], Int32Array.from([1]))],
      { N: attr.int(2), ...i32 },
      ([a, b]) => concat([a!, b!], 1),
    ],
    [
      "GatherV2",
      (r) => [
        floats([r, 64], 43),
        ints(Array.from({ length: r }, (_, i) => (i * 7) % r)),
        new Tensor(I32, [], Int32Array.from([0])),
      ],
      { Tparams: attr.type(F), Tindices: attr.type(I32), Taxis: attr.type(I32) },
      ([p, i]) => gather(p!, i!, 0),
    ],
    [
      "StridedSlice",
      (r) => [floats([r, 130], 44), ints([0, 1]), ints([r, 129]), ints([1, 1])],
      { Index: attr.type(I32) },
      ([x]) =>
        stridedSlice(x!, [0, 1], [x!.shape[0]!, 129], [1, 1], {
          beginMask: 0,
          endMask: 0,
          ellipsisMask: 0,
          newAxisMask: 0,
          shrinkAxisMask: 0,
        }),
    ],
    [
      "Pad",
      (r) => [floats([r, 64], 45), new Tensor(I32, [2, 2], Int32Array.from([0, 0, 1, 1]))],
      { Tpaddings: attr.type(I32) },
      ([x]) =>
        pad(x!, [
          [0, 0],
          [1, 1],
        ]),
    ],
    ["Softmax", (r) => [floats([r, 64], 46)], {}, ([x]) => softmax(x!)],
    [
      "Cumsum",
      (r) => [floats([r, 64], 47), new Tensor(I32, [], Int32Array.from([0]))],
      i32,
      ([x]) => scan("sum", x!, 0, false, false),
    ],
    [
      "MaxPool",
      (r) => [floats([1, r / 16, 16, 64], 48)],
      {
        ksize: attr.intList([1, 2, 2, 1]),
        strides: attr.intList([1, 1, 1, 1]),
        padding: attr.string("SAME"),
      },
      ([x]) =>
        maxPool(x!, { ksize: [1, 2, 2, 1], strides: [1, 1, 1, 1], padding: "SAME", explicitPaddings: [] }),
    ],
  ];
  assertLargeOnlySliced(cases);
});

test("GatherNd, the segment reductions, MirrorPad and ScatterNd take the sliced path only over large tensors", () => {
  const cases: LargeCase[] = [
    [
      "GatherNd",
      (r) => [
        floats([r, 64], 49),
        new Tensor(
          I32,
          [r, 1],
          Int32Array.from({ length: r }, (_, i) => (i * 5) % r),
        ),
      ],
      { Tparams: attr.type(F), Tindices: attr.type(I32) },
      ([p, i]) => gatherNd(p!, i!, "GatherNd"),
    ],
    [
      "UnsortedSegmentSum",
      (r) => [
        floats([r, 64], 50),
        new Tensor(
          I32,
          [r],
          Int32Array.from({ length: r }, (_, i) => (i * 5) % 97),
        ),
        new Tensor(I32, [], Int32Array.from([97])),
      ],
      { Tindices: attr.type(I32), Tnumsegments: attr.type(I32) },
      ([x, i, n]) => unsortedSegmentReduce(x!, i!, n!, "sum"),
    ],
    [
      "SegmentSum",
      (r) => [
        floats([r, 64], 51),
        new Tensor(
          I32,
          [r],
          Int32Array.from({ length: r }, (_, i) => i >> 3),
        ),
      ],
      { Tindices: attr.type(I32) },
      ([x, i]) => sortedSegmentReduce(x!, i!, "sum"),
    ],
    [
      "MirrorPad",
      (r) => [floats([r, 64], 52), new Tensor(I32, [2, 2], Int32Array.from([0, 0, 2, 1]))],
      { Tpaddings: attr.type(I32), mode: attr.string("REFLECT") },
      ([x]) =>
        mirrorPad(
          x!,
          [
            [0, 0],
            [2, 1],
          ],
          "REFLECT",
        ),
    ],
    [
      "ScatterNd",
      (r) => [
        new Tensor(
          I32,
          [r, 1],
          Int32Array.from({ length: r }, (_, i) => (i * 3) % 101),
        ),
        floats([r, 64], 53),
        ints([101, 64]),
      ],
      { Tindices: attr.type(I32) },
      ([i, u]) => scatterNd(i!, u!, [101, 64]),
    ],
  ];
  assertLargeOnlySliced(cases);
});

test("the pooling gradients, 3-D pooling and MirrorPadGrad take the sliced path only over large tensors", () => {
  const pool = {
    ksize: attr.intList([1, 2, 2, 1]),
    strides: attr.intList([1, 1, 1, 1]),
    padding: attr.string("SAME"),
  };
  const a = { ksize: [1, 2, 2, 1], strides: [1, 1, 1, 1], padding: "SAME" as const, explicitPaddings: [] };
  const pool3 = {
    ksize: attr.intList([1, 2, 2, 2, 1]),
    strides: attr.intList([1, 1, 1, 1, 1]),
    padding: attr.string("SAME"),
  };
  const a3 = { ksize: [1, 2, 2, 2, 1], strides: [1, 1, 1, 1, 1], padding: "SAME" as const };
  // rows of 64 elements as images of 16 × 64 (2-D) or planes of 4 × 4 × 64 (3-D); stride 1 SAME keeps the shape.
  const image = (r: number) => [1, r / 16, 16, 64];
  const volume = (r: number) => [1, r / 16, 4, 4, 64];
  const cases: LargeCase[] = [
    [
      "MaxPoolGrad",
      (r) => [floats(image(r), 110), floats(image(r), 111), floats(image(r), 112)],
      pool,
      ([x, y, dy]) => maxPoolGrad(x!, y!, dy!, a),
    ],
    [
      "AvgPoolGrad",
      (r) => [ints(image(r)), floats(image(r), 113)],
      pool,
      ([s, dy]) => avgPoolGrad(s!, dy!, a),
    ],
    [
      "MaxPoolGradWithArgmax",
      (r) => {
        const x = floats(image(r), 114);
        return [x, floats(image(r), 115), maxPoolWithArgmax(x, a, false, DataType.DT_INT64)[1]];
      },
      { ...pool, Targmax: attr.type(DataType.DT_INT64) },
      ([x, dy, arg]) => maxPoolGradWithArgmax(x!, dy!, arg!, a, false),
    ],
    ["MaxPool3D", (r) => [floats(volume(r), 116)], pool3, ([x]) => maxPool3D(x!, a3)],
    ["AvgPool3D", (r) => [floats(volume(r), 117)], pool3, ([x]) => avgPool3D(x!, a3)],
    [
      "MaxPool3DGrad",
      (r) => [floats(volume(r), 118), floats(volume(r), 119), floats(volume(r), 120)],
      { ...pool3, TInput: attr.type(F) },
      ([x, y, dy]) => maxPool3DGrad(x!, y!, dy!, a3),
    ],
    [
      "AvgPool3DGrad",
      (r) => [ints(volume(r)), floats(volume(r), 121)],
      pool3,
      ([s, dy]) => avgPool3DGrad(s!, dy!, a3),
    ],
    [
      "MirrorPadGrad",
      (r) => [floats([r, 64], 122), new Tensor(I32, [2, 2], Int32Array.from([0, 0, 2, 1]))],
      { Tpaddings: attr.type(I32), mode: attr.string("SYMMETRIC") },
      ([dy, p]) => mirrorPadGrad(dy!, p!, "SYMMETRIC"),
    ],
  ];
  assertLargeOnlySliced(cases);
  const inputsOf = (r: number) => [floats(image(r), 123)];
  const attrs = { T: attr.type(F), ...pool, Targmax: attr.type(DataType.DT_INT64) };
  assertLargeOnlySlicedOutputs([
    ["MaxPoolWithArgmax", attrs, inputsOf, ([x]) => maxPoolWithArgmax(x!, a, false, DataType.DT_INT64)],
  ]);
});

test("Split and Unpack take the sliced path only over large tensors and set every output at the end", () => {
  const dim0 = new Tensor(I32, [], Int32Array.from([1]));
  assertLargeOnlySlicedOutputs([
    [
      "Split",
      { T: attr.type(F), num_split: attr.int(4) },
      (r: number) => [dim0, floats([r, 64], 64)],
      (t: Tensor[]) => split(t[1]!, 1, 4),
    ],
    [
      "Unpack",
      { T: attr.type(F), num: attr.int(4), axis: attr.int(1) },
      (r: number) => [floats([r, 4, 16], 65)],
      (t: Tensor[]) => unpack(t[0]!, 4, 1),
    ],
  ]);
});

test("a large Sum abandoned between slices stops there: no output, and the rest never runs", () => {
  const n = 4 * SLICED_MIN_ELEMENTS;
  const x = floats([n], 29);
  const axes = new Tensor(I32, [1], Int32Array.from([0]));
  const sum = startKernel("Sum", { attrs: { T: attr.type(F) }, inputs: [x, axes] });
  assert.ok(sum.slices, "a large Sum continues in slices");
  // What the executor does to a cancelled step's kernel: a few slices, then close the generator.
  for (let i = 0; i < 3; i++) assert.equal(sum.slices.next().done, false);
  const closed = sum.slices.return(undefined);
  assert.equal(closed.done, true);
  assert.equal(sum.slices.next().done, true, "a closed kernel runs no further piece");
  assert.equal(sum.outputs[0], undefined, "an abandoned Sum sets no output");
});

const SCATTER_KINDS = ["Add", "Sub", "Mul", "Div", "Min", "Max", "Update"] as const;

test("variable scatters of every kind in slices apply rows named twice in the order of one run", () => {
  // Rows 3 and 1 are named three and two times; position 6 is out of range.
  const idx = [3, 1, 3, 0, 3, 1, 9, 2];
  const cases: [DataType, readonly (typeof SCATTER_KINDS)[number][]][] = [
    [F, SCATTER_KINDS],
    [DataType.DT_DOUBLE, SCATTER_KINDS],
    [DataType.DT_HALF, SCATTER_KINDS],
    [DataType.DT_BFLOAT16, SCATTER_KINDS],
    [I32, ["Add", "Sub", "Mul", "Min", "Max", "Update"]],
    [DataType.DT_UINT8, ["Add", "Mul", "Max", "Update"]],
    [DataType.DT_INT64, ["Add", "Sub", "Mul", "Min", "Update"]],
    [DataType.DT_COMPLEX64, ["Add", "Mul", "Div", "Update"]],
    [DataType.DT_BOOL, ["Update"]],
    [DataType.DT_STRING, ["Update"]],
  ];
  for (const [dt, kinds] of cases) {
    const params = tensor(dt, [5, 4, 3], 81);
    for (const kind of kinds) {
      for (const updates of [tensor(dt, [idx.length, 4, 3], 82), tensor(dt, [], 83)]) {
        for (const untilBad of [true, false]) {
          const what = `Scatter${kind} ${dt} updates [${updates.shape}] ${untilBad ? "up to" : "past"} the bad index`;
          const made = scatterRowsJob(params, 5, idx, updates, kind, untilBad);
          assert.equal(made.bad, 6, `${what}: the bad position`);
          assertSlicedIsWhole(() => scatterRowsJob(params, 5, idx, updates, kind, untilBad).job, what, 5);
        }
      }
    }
  }
  // ScatterNd's updating forms: index tuples over the two leading dimensions, the last bad one reported.
  const params = tensor(F, [4, 3, 5], 84);
  const tuples = new Tensor(I32, [6, 2], Int32Array.from([1, 2, 0, 0, 4, 0, 1, 2, 3, 1, 0, -1]));
  const updates = tensor(F, [6, 5], 85);
  for (const kind of ["Add", "Sub", "Min", "Max", "Update"] as const) {
    assert.equal(scatterNdIntoJob(params, tuples, updates, kind).bad, 5);
    assertSlicedIsWhole(() => scatterNdIntoJob(params, tuples, updates, kind).job, `ScatterNd${kind}`, 3);
  }
});

test("sparse segment reductions and their gradients in slices fold rows in the order of one run", () => {
  // Segments of 1 to 20 rows, so each of TF's groupings (up to 9 rows in one sum, then groups
  // of 8) is cut somewhere; some ids are skipped.
  const ids: number[] = [];
  const rows: number[] = [];
  let id = 0;
  for (let size = 1; size <= 20; size++) {
    for (let k = 0; k < size; k++) {
      ids.push(id);
      rows.push((ids.length * 7) % 23);
    }
    id += size % 3 === 0 ? 2 : 1;
  }
  const segIds = ints(ids);
  const indices = ints(rows);
  const numSegments = new Tensor(I32, [], Int32Array.from([id + 3]));
  for (const dt of [F, DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16, I32]) {
    const data = tensor(dt, [23, 7], 86);
    const kinds = dt === I32 ? (["sum"] as const) : (["sum", "mean", "sqrtn"] as const);
    for (const kind of kinds) {
      for (const n of [undefined, numSegments]) {
        assertSlicedIsWhole(
          () => sparseSegmentReduceJob(data, indices, segIds, n, kind),
          `SparseSegment ${kind} ${dt}${n ? " WithNumSegments" : ""}`,
          5,
        );
      }
      if (dt === I32) continue;
      const grad = tensor(dt, [id + 1, 7], 87);
      const dim0 = new Tensor(I32, [], Int32Array.from([23]));
      for (const v2 of [false, true]) {
        assertSlicedOutputsAreWhole(
          () => sparseSegmentGradJob(grad, indices, segIds, dim0, kind, v2),
          `SparseSegment ${kind} Grad${v2 ? "V2" : ""} ${dt}`,
          5,
        );
      }
    }
  }
  const data = tensor(F, [23, 7], 88);
  const late = ints(rows.map((r, i) => (i === 100 ? 23 : r)));
  assert.throws(
    () => sparseSegmentReduceJob(data, late, segIds, undefined, "sum"),
    /Bad: indices\[100\] == 23 out of range \[0, 23\)/,
  );
  const grad = tensor(F, [id + 1, 7], 89);
  const small = new Tensor(I32, [], Int32Array.from([20]));
  assert.throws(
    () => sparseSegmentGradJob(grad, indices, segIds, small, "mean", false),
    /Index 2\d out of range \[0, 20\)\./,
  );
});

test("DynamicPartition and DynamicStitch in slices have the bits of one run", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_INT64, DataType.DT_COMPLEX64, DataType.DT_STRING]) {
    const data = tensor(dt, [29, 3, 5], 90);
    const parts = ints(Array.from({ length: 29 }, (_, i) => (i * 5) % 4));
    assertSlicedOutputsAreWhole(() => dynamicPartitionJob(data, parts, 4), `DynamicPartition ${dt}`, 7);
    // Index 2 is named by both inputs and twice in the second: the last one wins.
    const i0 = ints([4, 2, 0]);
    const i1 = new Tensor(I32, [2, 2], Int32Array.from([2, 5, 6, 2]));
    const d0 = tensor(dt, [3, 3, 5], 91);
    const d1 = tensor(dt, [2, 2, 3, 5], 92);
    assertSlicedIsWhole(() => dynamicStitchJob([i0, i1], [d0, d1]), `DynamicStitch ${dt}`, 7);
  }
  assert.throws(
    () => dynamicPartitionJob(tensor(F, [3, 2], 93), ints([0, 4, 1]), 4),
    /partitions\[1\] = 4 is not in \[0, 4\)/,
  );
  assert.throws(
    () => dynamicStitchJob([ints([1, -1])], [tensor(F, [2, 2], 94)]),
    /indices\[1\] is out of range/,
  );
});

test("TensorScatter, the sparse segment reductions and DynamicStitch take the sliced path only over large tensors", () => {
  const rowsOf = (r: number) => Array.from({ length: r }, (_, i) => (i * 3) % 101);
  const cases: LargeCase[] = [
    [
      "TensorScatterAdd",
      (r) => [
        floats([101, 64], 95),
        new Tensor(I32, [r, 1], Int32Array.from(rowsOf(r))),
        floats([r, 64], 96),
      ],
      { Tindices: attr.type(I32) },
      ([t, i, u]) => scatterNdInto(t!, i!, u!, "Add").value,
    ],
    [
      "SparseSegmentSum",
      (r) => [floats([101, 64], 97), ints(rowsOf(r)), ints(Array.from({ length: r }, (_, i) => i >> 4))],
      {},
      ([d, i, s]) => sparseSegmentReduce(d!, i!, s!, undefined, "sum"),
    ],
    [
      "DynamicStitch",
      (r) => [ints(Array.from({ length: r }, (_, i) => r - 1 - i)), floats([r, 64], 98)],
      { N: attr.int(1) },
      ([i, d]) => dynamicStitch([i!], [d!]),
    ],
  ];
  assertLargeOnlySliced(cases);
});

test("DynamicPartition and SparseSegmentMeanGradV2 take the sliced path only over large tensors and set every output at the end", () => {
  const segIds = (r: number) => ints(Array.from({ length: r }, (_, i) => i >> 2));
  assertLargeOnlySlicedOutputs([
    [
      "DynamicPartition",
      { T: attr.type(F), num_partitions: attr.int(3) },
      (r: number) => [floats([r, 64], 99), ints(Array.from({ length: r }, (_, i) => i % 3))],
      (t: Tensor[]) => dynamicPartition(t[0]!, t[1]!, 3),
    ],
    [
      "SparseSegmentMeanGradV2",
      { T: attr.type(F) },
      (r: number) => [
        floats([r / 4, 64], 100),
        ints(Array.from({ length: r }, (_, i) => (i * 7) % r)),
        segIds(r),
        new Tensor(I32, [], Int32Array.from([r])),
      ],
      (t: Tensor[]) => sparseSegmentGrad(t[0]!, t[1]!, t[2]!, t[3]!, "mean", true),
    ],
  ]);
});

/** Runs a kernel's remaining slices to the end. */
function drainSlices(slices: KernelSlices): void {
  for (let r = slices.next(); !r.done; r = slices.next());
}

/** A large float32 variable value, rows named by a scatter (some twice) and their updates. */
function largeScatter(seed: number) {
  const rows = SLICED_MIN_ELEMENTS / 64;
  const idx = Array.from({ length: 1000 }, (_, i) => (i * 37) % 997);
  return {
    rows,
    old: floats([rows, 64], seed),
    idx,
    indices: ints(idx),
    updates: floats([1000, 64], seed + 1),
  };
}

test("a sliced variable scatter stores its value when it ends: a reader between slices and a cancelled step see the old value", async () => {
  const { rows, old, idx, indices, updates } = largeScatter(101);
  const oldBits = Float32Array.from(old.data as Float32Array);
  const want = scatterRows(old, rows, idx, updates, "Add").value;
  const resources = createResourceMgr();
  const h = await resourceVar(resources, "v", old);
  const read = () => run1("ReadVariableOp", { attrs: { dtype: attr.type(F) }, inputs: [h], resources });
  const cell: RefCell = { value: old, name: "ref" };
  const attrs = { dtype: attr.type(F), T: attr.type(F), Tindices: attr.type(I32) };
  for (const finish of [false, true]) {
    const resource = startKernel("ResourceScatterAdd", { attrs, inputs: [h, indices, updates], resources });
    const ref = startKernel("ScatterAdd", { attrs, inputs: [cell, indices, updates] });
    for (const run of [resource, ref]) {
      assert.ok(run.slices, "a large scatter continues in slices");
      for (let i = 0; i < 3; i++) assert.equal(run.slices.next().done, false);
    }
    assertSameTensor(await read(), old, "a reader between slices sees the old value");
    assert.equal(cell.value, old, "the ref variable holds the old value between slices");
    for (const run of [resource, ref]) {
      // Cancelled: what the executor does to a cancelled step's kernel, close the generator.
      if (!finish) assert.equal(run.slices!.return(undefined).done, true);
      else drainSlices(run.slices!);
    }
    if (!finish) {
      assertSameTensor(
        await read(),
        old,
        "a cancelled scatter leaves the resource variable at its old value",
      );
      assert.equal(cell.value, old, "a cancelled scatter leaves the ref variable at its old value");
      assert.equal(ref.refs[0], undefined, "a cancelled ScatterAdd outputs no ref");
    }
  }
  assertSameTensor(await read(), want, "ResourceScatterAdd in slices");
  assertSameTensor(cell.value!, want, "ScatterAdd in slices");
  assertSameBits(old.data as Float32Array, oldBits, "the old value, never written");
});

test("a value another step stores between slices is the one a sliced scatter updates, as TF orders writes", async () => {
  const { rows, old, idx, updates } = largeScatter(103);
  const other = floats([rows, 64], 105);
  const want = scatterNdInto(
    other,
    new Tensor(I32, [1000, 1], Int32Array.from(idx)),
    updates,
    "Update",
  ).value;
  const resources = createResourceMgr();
  const h = await resourceVar(resources, "v", old);
  const tuples = new Tensor(I32, [1000, 1], Int32Array.from(idx));
  const run = startKernel("ResourceScatterNdUpdate", {
    attrs: { T: attr.type(F), Tindices: attr.type(I32) },
    inputs: [h, tuples, updates],
    resources,
  });
  assert.ok(run.slices, "a large ResourceScatterNdUpdate continues in slices");
  for (let i = 0; i < 3; i++) assert.equal(run.slices.next().done, false);
  await runKernel("AssignVariableOp", { attrs: { dtype: attr.type(F) }, inputs: [h, other], resources });
  drainSlices(run.slices);
  const got = await run1("ReadVariableOp", { attrs: { dtype: attr.type(F) }, inputs: [h], resources });
  assertSameTensor(got, want, "the scatter applied to the other step's value");
});

test("a sliced variable scatter with a bad index stores the rows before it, then fails with TF's message", () => {
  const { rows, old, idx, updates } = largeScatter(107);
  const bad = idx.map((v, i) => (i === 600 ? rows : v));
  const cell: RefCell = { value: old, name: "ref" };
  const run = startKernel("ScatterUpdate", {
    attrs: { T: attr.type(F), Tindices: attr.type(I32) },
    inputs: [cell, ints(bad), updates],
  });
  assert.ok(run.slices, "a large ScatterUpdate continues in slices");
  assert.throws(
    () => drainSlices(run.slices!),
    new RegExp(`indices\\[600\\] = ${rows} is not in \\[0, ${rows}\\)`),
  );
  assertSameTensor(
    cell.value!,
    scatterRows(old, rows, bad, updates, "Update").value,
    "the rows before the bad index",
  );
  assert.notEqual(cell.value, old);
});

/** A fresh generator at the same place of one stream (the stateless ops' view of a seed). */
const philox = () => new PhiloxRandom(0x12345678abcdefn, 0x0fedcba987654321n);

test("the random fills in slices give the whole fill's bits: every distribution and dtype, cut at odd group counts", () => {
  const D = DataType;
  const floatTypes = [D.DT_FLOAT, D.DT_DOUBLE, D.DT_HALF, D.DT_BFLOAT16];
  const makers: [string, () => ElementJob<Tensor>][] = [];
  for (const dt of floatTypes) {
    makers.push([`uniform ${dt}`, () => randomUniformJob(philox(), [7, 143], dt)]);
    makers.push([`normal ${dt}`, () => randomStandardNormalJob(philox(), [7, 143], dt)]);
    makers.push([`truncated normal ${dt}`, () => truncatedNormalJob(philox(), [7, 143], dt)]);
  }
  for (const [dt, lo, hi] of [
    [D.DT_INT32, -7n, 1000003n],
    [D.DT_INT64, -(2n ** 40n), 2n ** 50n + 3n],
  ] as const) {
    makers.push([`uniform int ${dt}`, () => randomUniformIntJob(philox(), [1001], dt, lo, hi)]);
  }
  const noCtx = undefined as unknown as OpKernelContext;
  for (const dt of [D.DT_INT32, D.DT_UINT32, D.DT_INT64, D.DT_UINT64]) {
    makers.push([`full int ${dt}`, () => uniformFullIntFill(noCtx, philox, [1001], dt)]);
  }
  for (const [what, make] of makers) {
    // A piece below a group's cost is one group; the larger ones cut after odd numbers of groups.
    for (const piece of [1, 3001, 9973]) assertSlicedIsWhole(make, `${what}, pieces of ${piece}`, piece, 3);
  }
});

/** A kernel made once (like a registered partition's) and a step's compute with the slices it returns. */
function persistentKernel(op: string, attrs: Record<string, AttrValue>) {
  const def = lookUpOp(op)!;
  const all = addDefaultAttrs(def, attrs);
  const kernel = findKernel(op, "CPU")!.create({
    nodeName: op.toLowerCase(),
    op,
    opDef: def,
    attrs: all,
    inputTypes: inputTypesForNode(def, all),
    outputTypes: outputTypesForNode(def, all),
    requestedInputs: [],
    device: testDevice,
  });
  assert.ok(!isAsyncKernel(kernel));
  return (inputs: Tensor[]) => {
    const out: Tensor[] = [];
    const ctx = { input: (i: number) => inputs[i]!, setOutput: (_: number, t: Tensor) => out.push(t) };
    const slices = kernel.compute(ctx as unknown as OpKernelContext) ?? undefined;
    return { slices, out };
  };
}

test("the stateful random ops take the sliced path only over large outputs, and each step continues the kernel's stream", () => {
  const seeds = { seed: attr.int(87654321), seed2: attr.int(1234) };
  const cases: [string, DataType, (g: PhiloxRandom, shape: number[]) => Tensor][] = [
    ["RandomUniform", F, (g, s) => randomUniform(g, s, F)],
    ["RandomStandardNormal", DataType.DT_HALF, (g, s) => randomStandardNormal(g, s, DataType.DT_HALF)],
    ["TruncatedNormal", DataType.DT_DOUBLE, (g, s) => truncatedNormal(g, s, DataType.DT_DOUBLE)],
  ];
  for (const [op, dt, whole] of cases) {
    const step = persistentKernel(op, { ...seeds, dtype: attr.type(dt), T: attr.type(I32) });
    const reference = new GuardedPhiloxRandom(87654321n, 1234n);
    // Small, large, small again: the large step's block is reserved as a whole step's would be.
    for (const n of [64, 2 ** 16, 64]) {
      const { slices, out } = step([ints([n])]);
      assert.equal(slices === undefined, n === 64, `${op} over ${n}: sliced only when large`);
      if (slices) {
        assert.equal(out.length, 0, `${op}: no output before the slices have run`);
        let pieces = 0;
        for (let r = slices.next(); !r.done; r = slices.next()) pieces++;
        assert.ok(pieces >= 4, `${op}: only ${pieces} pieces`);
      }
      assertSameTensor(out[0]!, whole(reference.reserveRandomOutputs(n, 256), [n]), `${op} over ${n}`);
    }
  }
  const intStep = persistentKernel("RandomUniformInt", {
    ...seeds,
    Tout: attr.type(DataType.DT_INT64),
    T: attr.type(I32),
  });
  const reference = new GuardedPhiloxRandom(87654321n, 1234n);
  const bounds = [
    new Tensor(DataType.DT_INT64, [], BigInt64Array.from([-5n])),
    new Tensor(DataType.DT_INT64, [], BigInt64Array.from([1n << 40n])),
  ];
  for (const n of [64, 2 ** 16]) {
    const { slices, out } = intStep([ints([n]), ...bounds]);
    assert.equal(slices === undefined, n === 64, `RandomUniformInt over ${n}: sliced only when large`);
    if (slices) drainSlices(slices);
    const want = randomUniformInt(
      reference.reserveRandomOutputs(n, 256),
      [n],
      DataType.DT_INT64,
      -5n,
      1n << 40n,
    );
    assertSameTensor(out[0]!, want, `RandomUniformInt over ${n}`);
  }
});

test("the stateless random ops take the sliced path only over large outputs, with the whole fill's bits", () => {
  const seed = new Tensor(DataType.DT_INT64, [2], BigInt64Array.from([17n, -3n]));
  const key = new Tensor(DataType.DT_UINT64, [1], BigUint64Array.from([0x1234567890abcdefn]));
  const counter = new Tensor(DataType.DT_UINT64, [2], BigUint64Array.from([5n, 1n << 40n]));
  const alg = new Tensor(I32, [], Int32Array.from([1]));
  const i32 = (v: number) => new Tensor(I32, [], Int32Array.from([v]));
  const v2Gen = () => philoxFromKeyCounter(0x1234567890abcdefn, 5n, 1n << 40n);
  const seedGen = () => philoxFromSeed(seed);
  const cases: [string, Record<string, AttrValue>, (shape: Tensor) => Tensor[], (n: number) => Tensor][] = [
    [
      "StatelessRandomUniform",
      { dtype: attr.type(F) },
      (s) => [s, seed],
      (n) => randomUniform(seedGen(), [n], F),
    ],
    [
      "StatelessRandomNormalV2",
      { dtype: attr.type(DataType.DT_BFLOAT16) },
      (s) => [s, key, counter, alg],
      (n) => randomStandardNormal(v2Gen(), [n], DataType.DT_BFLOAT16),
    ],
    [
      "StatelessTruncatedNormal",
      { dtype: attr.type(F) },
      (s) => [s, seed],
      (n) => truncatedNormal(seedGen(), [n], F),
    ],
    [
      "StatelessRandomUniformIntV2",
      { dtype: attr.type(I32) },
      (s) => [s, key, counter, alg, i32(-100), i32(77)],
      (n) => randomUniformInt(v2Gen(), [n], I32, -100n, 77n),
    ],
    [
      "StatelessRandomUniformFullIntV2",
      { dtype: attr.type(DataType.DT_UINT32) },
      (s) => [s, key, counter, alg],
      (n) =>
        runWhole(uniformFullIntFill(undefined as unknown as OpKernelContext, v2Gen, [n], DataType.DT_UINT32)),
    ],
  ];
  for (const [op, attrs, inputsOf, whole] of cases) {
    const small = startKernel(op, { attrs, inputs: inputsOf(ints([64])) });
    assert.equal(small.slices, undefined, `a small ${op} runs within compute`);
    assertSameTensor(small.outputs[0]!, whole(64), `${op} over 64`);
    const n = 2 ** 16;
    const big = startKernel(op, { attrs, inputs: inputsOf(ints([n])) });
    assert.ok(big.slices, `a large ${op} continues in slices`);
    assert.equal(big.outputs[0], undefined, `${op}: no output before the slices have run`);
    drainSlices(big.slices);
    assertSameTensor(big.outputs[0]!, whole(n), `${op} over ${n}`);
  }
});

test("a bad bound of a large RandomUniformInt fails before any slice, with TF's message", () => {
  const step = persistentKernel("RandomUniformInt", { Tout: attr.type(I32), T: attr.type(I32) });
  assert.throws(
    () =>
      step([
        ints([2 ** 20]),
        new Tensor(I32, [], Int32Array.from([3])),
        new Tensor(I32, [], Int32Array.from([3])),
      ]),
    /Need minval < maxval, got 3 >= 3/,
  );
});

test("Gamma draws and Multinomial samples in slices give the whole run's bits", () => {
  // Alphas of 0.2 (boosted), 1 (exponential) and 7.5, each its own branch of the sampler.
  const v = [0.2, 1, 7.5];
  const positive = (dt: DataType) =>
    dt === DataType.DT_HALF
      ? new Tensor(dt, [3], float32ToHalfArray(v))
      : new Tensor(dt, [3], dt === F ? Float32Array.from(v) : Float64Array.from(v));
  for (const dt of [F, DataType.DT_DOUBLE, DataType.DT_HALF]) {
    const make = () => sampleGammaJob(philox(), positive(dt), [37, 3], dt);
    for (const piece of [1, 2999]) assertSlicedIsWhole(make, `gamma ${dt}, pieces of ${piece}`, piece, 3);
  }
  const logits = tensor(F, [7, 33], 92);
  for (const out of [I32, DataType.DT_INT64]) {
    const make = () => multinomialJob(philox(), logits, 101, out);
    for (const piece of [1, 997, 5003])
      assertSlicedIsWhole(make, `multinomial ${out}, pieces of ${piece}`, piece);
  }
});

test("RandomGamma and Multinomial take the sliced path only when large, and each step continues the kernel's stream", () => {
  const seeds = { seed: attr.int(4321), seed2: attr.int(99) };
  const gammaStep = persistentKernel("RandomGamma", { ...seeds, T: attr.type(F), S: attr.type(I32) });
  const alpha = new Tensor(F, [3], Float32Array.from([0.5, 1, 3]));
  let reference = new GuardedPhiloxRandom(4321n, 99n);
  for (const samples of [2, 2 ** 12, 2]) {
    const { slices, out } = gammaStep([ints([samples]), alpha]);
    assert.equal(
      slices === undefined,
      samples === 2,
      `RandomGamma of ${samples} samples: sliced only when large`,
    );
    if (slices) drainSlices(slices);
    const n = samples * 3;
    const want = sampleGamma(reference.reserveRandomOutputs(n, 256), alpha, [samples, 3], F);
    assertSameTensor(out[0]!, want, `RandomGamma of ${samples} samples`);
  }
  const multinomialStep = persistentKernel("Multinomial", {
    ...seeds,
    T: attr.type(F),
    output_dtype: attr.type(I32),
  });
  const logits = tensor(F, [64, 16], 93);
  reference = new GuardedPhiloxRandom(4321n, 99n);
  for (const numSamples of [4, 2 ** 12, 3]) {
    const { slices, out } = multinomialStep([logits, new Tensor(I32, [], Int32Array.from([numSamples]))]);
    assert.equal(
      slices === undefined,
      numSamples < 8,
      `Multinomial of ${numSamples} samples: sliced only when large`,
    );
    if (slices) drainSlices(slices);
    const gen = reference.reserveRandomOutputs(64 * Math.trunc((numSamples + 3) / 4) * 8, 256);
    assertSameTensor(
      out[0]!,
      multinomial(gen, logits, numSamples, I32),
      `Multinomial of ${numSamples} samples`,
    );
  }
  const statelessGamma = (samples: number) =>
    startKernel("StatelessRandomGammaV2", {
      attrs: { dtype: attr.type(F), T: attr.type(I32), Tseed: attr.type(DataType.DT_INT64) },
      inputs: [ints([samples, 3]), new Tensor(DataType.DT_INT64, [2], BigInt64Array.from([5n, 6n])), alpha],
    });
  assert.equal(statelessGamma(2).slices, undefined, "a small StatelessRandomGammaV2 runs within compute");
  const big = statelessGamma(2 ** 12);
  assert.ok(big.slices, "a large StatelessRandomGammaV2 continues in slices");
  drainSlices(big.slices);
  const seed = new Tensor(DataType.DT_INT64, [2], BigInt64Array.from([5n, 6n]));
  assertSameTensor(
    big.outputs[0]!,
    sampleGamma(philoxFromSeed(seed), alpha, [2 ** 12, 3], F),
    "StatelessRandomGammaV2",
  );
});

test("Range, LinSpace, OneHot and ClipByValue in slices give the whole run's bits", () => {
  const D = DataType;
  // A float Range is a running sum: every value depends on the ones before it.
  for (const dt of [F, D.DT_DOUBLE, D.DT_HALF, D.DT_INT32, D.DT_INT64]) {
    const [start, limit, delta] = dt === F || dt === D.DT_DOUBLE ? [-3.3, 700.1, 0.7] : [-30, 9000, 9];
    assertSlicedIsWhole(() => rangeJob(start, limit, delta, dt), `Range ${dt}`);
  }
  for (const dt of [F, D.DT_DOUBLE, D.DT_BFLOAT16]) {
    assertSlicedIsWhole(() => linSpaceJob(dt, -1.1, 7.3, 1001), `LinSpace ${dt}`);
  }
  const idx = new Tensor(
    I32,
    [9, 11],
    Int32Array.from(random(99, 94), (v) => Math.round(v * 30)),
  );
  for (const [dt, axis] of [
    [F, -1],
    [D.DT_COMPLEX64, 1],
    [D.DT_INT64, 0],
  ] as const) {
    const [on, off] = [tensor(dt, [], 95), tensor(dt, [], 96)];
    assertSlicedIsWhole(() => oneHotJob(idx, 13, on, off, axis), `OneHot ${dt} axis ${axis}`);
  }
  for (const dt of [F, D.DT_HALF, D.DT_INT64, D.DT_COMPLEX64, D.DT_UINT8]) {
    const x = tensor(dt, [31, 17], 97);
    const lo = tensor(dt, [31, 17], 98);
    assertSlicedIsWhole(() => clipByValueJob(x, lo, tensor(dt, [], 99)), `ClipByValue ${dt}`);
  }
});

test("Range, LinSpace, OneHot and ClipByValue take the sliced path only over large tensors", () => {
  const n = SLICED_MIN_ELEMENTS;
  const scalar = (v: number) => new Tensor(F, [], Float32Array.from([v]));
  const cases: [string, Record<string, AttrValue>, (n: number) => Tensor[], (t: Tensor[]) => Tensor][] = [
    [
      "Range",
      { Tidx: attr.type(F) },
      (m) => [scalar(0.5), scalar(0.5 + m * 0.25), scalar(0.25)],
      ([s, l, d]) => range(s!.data[0] as number, l!.data[0] as number, d!.data[0] as number, F),
    ],
    [
      "LinSpace",
      { T: attr.type(F), Tidx: attr.type(I32) },
      (m) => [scalar(-2), scalar(9), new Tensor(I32, [], Int32Array.from([m]))],
      ([, , num]) => linSpace(F, -2, 9, num!.data[0] as number),
    ],
    [
      "OneHot",
      { T: attr.type(F), TI: attr.type(I32) },
      (m) => [
        ints(Array.from({ length: m / 8 }, (_, i) => (i * 5) % 9)),
        new Tensor(I32, [], Int32Array.from([8])),
        scalar(1),
        scalar(-1),
      ],
      ([i, , on, off]) => oneHot(i!, 8, on!, off!, -1),
    ],
    [
      "ClipByValue",
      { T: attr.type(F) },
      (m) => [floats([m], 100), scalar(-0.25), scalar(0.3)],
      ([x, lo, hi]) => clipByValue(x!, lo!, hi!),
    ],
  ];
  for (const [op, attrs, inputsOf, whole] of cases) {
    const small = startKernel(op, { attrs, inputs: inputsOf(64) });
    assert.equal(small.slices, undefined, `a small ${op} runs within compute`);
    const inputs = inputsOf(n);
    const big = startKernel(op, { attrs, inputs });
    assert.ok(big.slices, `a large ${op} continues in slices`);
    assert.equal(big.outputs[0], undefined, `${op}: no output before the slices have run`);
    drainSlices(big.slices);
    assertSameTensor(big.outputs[0]!, whole(inputs), op);
  }
});

test("MatrixBandPart and the matrix-diagonal ops in slices give the whole run's bits", () => {
  const D = DataType;
  const k = (lo: number, hi: number) => new Tensor(I32, [2], Int32Array.from([lo, hi]));
  const i32 = (v: number) => new Tensor(I32, [], Int32Array.from([v]));
  const i64 = (v: number) => new Tensor(D.DT_INT64, [], BigInt64Array.from([BigInt(v)]));
  const aligns = [LEFT_LEFT, { leftSuper: false, leftSub: true }, { leftSuper: true, leftSub: false }];
  for (const dt of [F, D.DT_COMPLEX64, D.DT_INT64]) {
    const x = tensor(dt, [3, 13, 9], 101);
    assertSlicedIsWhole(() => matrixBandPartJob(x, i64(2), i64(-1)), `MatrixBandPart ${dt}`);
    const pad = tensor(dt, [], 102);
    for (const a of aligns) {
      // Diagonals -3 … 2 of 13x9 matrices: 6 of up to 9 elements.
      const part = () => matrixDiagPartJob(x, k(-3, 2), pad, a);
      assertSlicedIsWhole(part, `MatrixDiagPart ${dt}`);
      const diags = runWhole(part());
      assertSlicedIsWhole(
        () => matrixDiagJob(diags, [k(-3, 2), i32(13), i32(9), pad], a),
        `MatrixDiag ${dt}`,
      );
      const other = tensor(dt, [3, 6, 9], 103);
      assertSlicedIsWhole(() => matrixSetDiagJob(x, other, k(-3, 2), a), `MatrixSetDiag ${dt}`);
    }
  }
});

test("MatrixBandPart and the matrix-diagonal ops take the sliced path only over large tensors", () => {
  const zero = new Tensor(I32, [], Int32Array.from([0]));
  const cases: LargeCase[] = [
    [
      "MatrixBandPart",
      (r) => [
        floats([r, 64], 104),
        new Tensor(I32, [], Int32Array.from([3])),
        new Tensor(I32, [], Int32Array.from([-1])),
      ],
      { Tindex: attr.type(I32) },
      ([x, lo, hi]) => matrixBandPart(x!, lo!, hi!),
    ],
    [
      "MatrixDiagPartV3",
      (r) => [
        floats([r / 64, 64, 64], 105),
        new Tensor(I32, [2], Int32Array.from([-60, 60])),
        floats([], 106),
      ],
      {},
      ([x, kk, pad]) => matrixDiagPart(x!, kk!, pad!, { leftSuper: false, leftSub: true }),
    ],
    [
      "MatrixDiagV3",
      (r) => [
        floats([r / 64, 64], 107),
        zero,
        new Tensor(I32, [], Int32Array.from([-1])),
        new Tensor(I32, [], Int32Array.from([-1])),
        floats([], 108),
      ],
      {},
      ([d, kk, nr, nc, pad]) => matrixDiag(d!, [kk!, nr!, nc!, pad!], { leftSuper: false, leftSub: true }),
    ],
    [
      "MatrixSetDiagV3",
      (r) => [floats([r, 64], 109), floats([64], 110), zero],
      {},
      ([x, d, kk]) => matrixSetDiag(x!, d!, kk!, { leftSuper: false, leftSub: true }),
    ],
  ];
  assertLargeOnlySliced(cases);
});

test("ReverseSequence and Where in slices give the whole run's bits", () => {
  const D = DataType;
  for (const dt of [F, D.DT_COMPLEX64, D.DT_STRING]) {
    const x = tensor(dt, [5, 7, 11], 111);
    const lens = new Tensor(D.DT_INT64, [11], BigInt64Array.from([0, 1, 7, 3, 5, 2, 6, 4, 7, 1, 0], BigInt));
    assertSlicedIsWhole(() => reverseSequenceJob(x, lens, 2, 1), `ReverseSequence ${dt}`);
  }
  for (const dt of [D.DT_BOOL, F, D.DT_HALF, D.DT_INT64, D.DT_COMPLEX64]) {
    assertSlicedIsWhole(() => whereJob(tensor(dt, [7, 3, 23], 112)), `Where ${dt}`);
  }
  assertSlicedIsWhole(() => whereJob(tensor(D.DT_BOOL, [1001], 113)), "Where of a vector");
});

test("ReverseSequence and Where take the sliced path only over large tensors", () => {
  const cases: LargeCase[] = [
    [
      "ReverseSequence",
      (r) => [
        floats([r, 64], 114),
        new Tensor(
          I32,
          [64],
          Int32Array.from({ length: 64 }, (_, i) => (i * 7) % 33),
        ),
      ],
      { seq_dim: attr.int(0), batch_dim: attr.int(1), Tlen: attr.type(I32) },
      ([x, lens]) => reverseSequence(x!, lens!, 1, 0),
    ],
    ["Where", (r) => [floats([r, 64], 115)], {}, ([x]) => where(x!)],
  ];
  assertLargeOnlySliced(cases);
});

test("SpaceToDepth, DepthToSpace, SpaceToBatchND and BatchToSpaceND in slices give the whole run's bits", () => {
  const D = DataType;
  const i32s = (shape: number[], v: number[]) => new Tensor(I32, shape, Int32Array.from(v));
  for (const dt of [F, D.DT_COMPLEX64, D.DT_INT64]) {
    const x = tensor(dt, [2, 6, 9, 5], 116);
    assertSlicedIsWhole(() => spaceToDepthJob(x, 3), `SpaceToDepth ${dt}`);
    assertSlicedIsWhole(() => depthToSpaceJob(tensor(dt, [2, 3, 5, 24], 117), 2), `DepthToSpace ${dt}`);
    // Padding on both sides of both spatial dimensions, then cropping it off again.
    const block = i32s([2], [2, 3]);
    const pads = i32s([2, 2], [1, 1, 2, 1]);
    assertSlicedIsWhole(() => spaceToBatchNDJob(x, block, pads), `SpaceToBatchND ${dt}`);
    const batched = spaceToBatchND(x, block, pads);
    assertSlicedIsWhole(() => batchToSpaceNDJob(batched, block, pads), `BatchToSpaceND ${dt}`);
  }
});

test("SpaceToDepth, DepthToSpace, SpaceToBatchND and BatchToSpaceND take the sliced path only over large tensors", () => {
  const i32s = (shape: number[], v: number[]) => new Tensor(I32, shape, Int32Array.from(v));
  const block = i32s([2], [2, 2]);
  const pads = i32s([2, 2], [0, 0, 1, 1]);
  const cases: LargeCase[] = [
    [
      "SpaceToDepth",
      (r) => [floats([1, r / 16, 16, 64], 118)],
      { block_size: attr.int(2) },
      ([x]) => spaceToDepth(x!, 2),
    ],
    [
      "DepthToSpace",
      (r) => [floats([1, r / 16, 16, 64], 119)],
      { block_size: attr.int(2) },
      ([x]) => depthToSpace(x!, 2),
    ],
    [
      "SpaceToBatchND",
      (r) => [floats([1, r / 16, 14, 64], 120), block, pads],
      {},
      ([x, b, p]) => spaceToBatchND(x!, b!, p!),
    ],
    [
      "BatchToSpaceND",
      (r) => [floats([4, r / 64, 16, 64], 121), block, pads],
      {},
      ([x, b, p]) => batchToSpaceND(x!, b!, p!),
    ],
  ];
  assertLargeOnlySliced(cases);
});

test("Bincount and DenseBincount in slices give the whole run's bits (float sums in one run's order)", () => {
  const D = DataType;
  const values = Int32Array.from(random(1003, 122), (v) => Math.floor((v + 0.5) * 40));
  const arr = new Tensor(I32, [17, 59], values);
  const size = new Tensor(I32, [], Int32Array.from([37]));
  for (const dt of [F, D.DT_DOUBLE, D.DT_INT64]) {
    const w = tensor(dt, [17, 59], 123);
    assertSlicedIsWhole(() => bincountJob(arr, size, w), `Bincount ${dt}`);
    assertSlicedIsWhole(() => denseBincountJob(arr, size, w, false), `DenseBincount ${dt}`);
    assertSlicedIsWhole(
      () => denseBincountJob(arr, size, tensor(dt, [0], 1), true),
      `DenseBincount binary ${dt}`,
    );
  }
});

test("Bincount and DenseBincount take the sliced path only over large inputs", () => {
  const size = new Tensor(I32, [], Int32Array.from([1000]));
  const arrOf = (r: number) =>
    new Tensor(
      I32,
      [r, 64],
      Int32Array.from({ length: r * 64 }, (_, i) => (i * 7919) % 1009),
    );
  const cases: LargeCase[] = [
    ["Bincount", (r) => [arrOf(r), size, floats([r, 64], 124)], {}, ([a, s, w]) => bincount(a!, s!, w!)],
    [
      "DenseBincount",
      (r) => [arrOf(r), size, floats([r, 64], 125)],
      { Tidx: attr.type(I32) },
      ([a, s, w]) => denseBincount(a!, s!, w!, false),
    ],
  ];
  assertLargeOnlySliced(cases);
});

test("ResizeBilinear, ResizeNearestNeighbor and their gradients in slices give the whole run's bits", () => {
  const D = DataType;
  const size = (h: number, w: number) => new Tensor(I32, [2], Int32Array.from([h, w]));
  const modes = [
    { alignCorners: false, halfPixelCenters: false },
    { alignCorners: true, halfPixelCenters: false },
    { alignCorners: false, halfPixelCenters: true },
  ];
  for (const a of modes) {
    for (const dt of [F, D.DT_HALF, D.DT_INT64]) {
      const x = tensor(dt, [2, 7, 5, 3], 126);
      assertSlicedIsWhole(() => resizeBilinearJob(x, size(11, 13), a), `ResizeBilinear ${dt}`);
      assertSlicedIsWhole(() => resizeBilinearJob(x, size(7, 5), a), `ResizeBilinear ${dt}, same size`, 41);
      assertSlicedIsWhole(() => resizeNearestNeighborJob(x, size(4, 13), a), `ResizeNearestNeighbor ${dt}`);
    }
    const dy = floats([2, 11, 13, 3], 127);
    for (const dt of [F, D.DT_DOUBLE, D.DT_HALF]) {
      const original = tensor(dt, [2, 7, 5, 3], 128);
      assertSlicedIsWhole(() => resizeBilinearGradJob(dy, original, a), `ResizeBilinearGrad ${dt}`);
    }
    for (const dt of [F, D.DT_BFLOAT16, D.DT_INT32]) {
      // Downsizing the gradient: several gradient elements add into each output element.
      const grads = tensor(dt, [2, 11, 13, 3], 129);
      assertSlicedIsWhole(
        () => resizeNearestNeighborGradJob(grads, size(4, 6), a),
        `ResizeNearestNeighborGrad ${dt}`,
      );
    }
  }
});

test("ResizeBilinear, ResizeNearestNeighbor and their gradients take the sliced path only over large tensors", () => {
  const size = (h: number, w: number) => new Tensor(I32, [2], Int32Array.from([h, w]));
  const a = { alignCorners: false, halfPixelCenters: true };
  const attrs = { half_pixel_centers: attr.bool(true) };
  const cases: LargeCase[] = [
    [
      "ResizeBilinear",
      (r) => [floats([1, r / 32, 16, 64], 130), size(r / 16, 32)],
      attrs,
      ([x, s]) => resizeBilinear(x!, s!, a),
    ],
    [
      "ResizeNearestNeighbor",
      (r) => [floats([1, r / 32, 16, 64], 131), size(r / 16, 32)],
      attrs,
      ([x, s]) => resizeNearestNeighbor(x!, s!, a),
    ],
    [
      "ResizeBilinearGrad",
      (r) => [floats([1, r / 16, 16, 64], 132), floats([1, r / 32, 8, 64], 133)],
      attrs,
      ([dy, o]) => resizeBilinearGrad(dy!, o!, a),
    ],
    [
      "ResizeNearestNeighborGrad",
      (r) => [floats([1, r / 16, 16, 64], 134), size(r / 32, 8)],
      attrs,
      ([dy, s]) => resizeNearestNeighborGrad(dy!, s!, a),
    ],
  ];
  assertLargeOnlySliced(cases);
});

test("Poisson draws in slices give the whole run's bits; a NaN rate fails before the first slice", () => {
  const rates = new Tensor(
    DataType.DT_DOUBLE,
    [4],
    Float64Array.from([0.5, 3, 40, Number.POSITIVE_INFINITY]),
  );
  for (const dt of [F, DataType.DT_HALF, DataType.DT_INT64]) {
    for (const piece of [1, 2999]) {
      assertSlicedIsWhole(
        () => samplePoissonJob(philox(), rates, [31, 4], dt),
        `Poisson ${dt}, pieces of ${piece}`,
        piece,
        3,
      );
    }
  }
  const attrs = { S: attr.type(I32), R: attr.type(DataType.DT_DOUBLE), dtype: attr.type(DataType.DT_INT64) };
  const step = persistentKernel("RandomPoissonV2", { ...attrs, seed: attr.int(5), seed2: attr.int(6) });
  const reference = new GuardedPhiloxRandom(5n, 6n);
  for (const samples of [2, 2 ** 12]) {
    const { slices, out } = step([ints([samples]), rates]);
    assert.equal(
      slices === undefined,
      samples === 2,
      `RandomPoissonV2 of ${samples} samples: sliced only when large`,
    );
    if (slices) drainSlices(slices);
    const n = samples * 4;
    const want = samplePoisson(
      reference.reserveRandomOutputs(n, 256),
      rates,
      [samples, 4],
      DataType.DT_INT64,
    );
    assertSameTensor(out[0]!, want, `RandomPoissonV2 of ${samples} samples`);
  }
  const nan = new Tensor(DataType.DT_DOUBLE, [2], Float64Array.from([1, Number.NaN]));
  assert.throws(
    () => step([ints([2 ** 12]), nan]),
    /Poisson sampling with rate NaN does not terminate for output type int64/,
  );
});

test("TopKV2 in slices of whole rows has the bits of one run, every row sorted as before", () => {
  for (const dt of [F, DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16, I32, DataType.DT_INT64]) {
    for (const shape of [
      [37, 19],
      [5, 3, 11],
    ]) {
      const cols = shape.at(-1)!;
      const x = tensor(dt, shape, 80);
      for (const k of [1, 5, cols]) {
        for (const it of [I32, DataType.DT_INT64]) {
          assertSlicedOutputsAreWhole(() => topKJob(x, k, it), `TopKV2 ${dt} [${shape}] k=${k} ${it}`, 97);
        }
      }
      const none = runWhole(topKJob(x, 0, I32));
      assert.deepEqual(
        none.map((t) => t.shape),
        [
          [...shape.slice(0, -1), 0],
          [...shape.slice(0, -1), 0],
        ],
      );
    }
  }
  // Ties keep the lower index first, NaN sorts largest; half values are the raw input's bits.
  const x = new Tensor(DataType.DT_HALF, [2, 4], float32ToHalfArray([1, Number.NaN, 3, 1, -0, 0, 2, 0]));
  const [values, indices] = drainOutputs(topKJob(x, 3, I32));
  assert.deepEqual(Array.from(indices!.data as Int32Array), [1, 2, 0, 2, 0, 1]);
  const raw = x.data as Uint16Array;
  assert.deepEqual(Array.from(values!.data as Uint16Array), [raw[1], raw[2], raw[0], raw[6], raw[4], raw[5]]);
  assert.throws(() => topKJob(x, 5, I32), /input must have at least k columns. Had 4, needed 5/);
});

test("SoftmaxCrossEntropyWithLogits in slices, of whole rows or cutting rows anywhere, has the bits of one run", () => {
  for (const dt of [F, DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16]) {
    for (const [fs, ls] of [
      [
        [13, 29],
        [13, 29],
      ],
      [
        [1, 29],
        [13, 29],
      ],
      [
        [13, 29],
        [13, 1],
      ],
      [
        [400, 1],
        [400, 1],
      ],
    ]) {
      const f = tensor(dt, fs!, 81);
      const l = tensor(dt, ls!, 82);
      // Rows of more than 8 classes in passes over the elements, and every row whole.
      for (const upTo of [8, undefined]) {
        assertSlicedOutputsAreWhole(
          () => softmaxCrossEntropyJob(f, l, upTo),
          `SoftmaxCrossEntropyWithLogits ${dt} [${fs}] [${ls}] rows up to ${upTo}`,
          23,
        );
      }
      assertSameOutputs(softmaxCrossEntropyJob(f, l, 8), softmaxCrossEntropyJob(f, l), "passes and rows");
    }
  }
  // One loop per row with the row's exps kept (the form the passes replace) gives the same bits.
  const [rows, cols] = [7, 301];
  const f = tensor(F, [rows, cols], 83);
  const l = tensor(F, [rows, cols], 84);
  const [xs, ys] = [f.data as Float32Array, l.data as Float32Array];
  const loss = new Float32Array(rows);
  const backprop = new Float32Array(rows * cols);
  const e = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, xs[o + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      e[c] = Math.exp(xs[o + c]! - max);
      sum += e[c]!;
    }
    let acc = 0;
    for (let c = 0; c < cols; c++) {
      acc += ys[o + c]! * (Math.log(sum) - (xs[o + c]! - max));
      backprop[o + c] = e[c]! / sum - ys[o + c]!;
    }
    loss[r] = acc;
  }
  for (const upTo of [8, undefined]) {
    const [gotLoss, gotBackprop] = drainOutputs(softmaxCrossEntropyJob(f, l, upTo));
    assertSameTensor(gotLoss!, new Tensor(F, [rows], loss), `SoftmaxCrossEntropyWithLogits loss ${upTo}`);
    assertSameTensor(gotBackprop!, new Tensor(F, [rows, cols], backprop), `backprop ${upTo}`);
  }
  const [wholeLoss, wholeBackprop] = softmaxCrossEntropyWithLogits(f, l);
  assertSameTensor(wholeLoss, new Tensor(F, [rows], loss), "SoftmaxCrossEntropyWithLogits loss");
  assertSameTensor(wholeBackprop, new Tensor(F, [rows, cols], backprop), "backprop");
});

test("SparseSoftmaxCrossEntropyWithLogits in slices has the bits of one run; bad labels fail before any slice", () => {
  for (const dt of [F, DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16]) {
    for (const [rows, cols] of [
      [13, 29],
      [400, 1],
      [3, 1000],
    ]) {
      const f = tensor(dt, [rows!, cols!], 85);
      for (const lt of [I32, DataType.DT_INT64]) {
        const ids = Array.from({ length: rows! }, (_, i) => (i * 7) % cols!);
        const labels =
          lt === I32
            ? new Tensor(I32, [rows!], Int32Array.from(ids))
            : new Tensor(lt, [rows!], BigInt64Array.from(ids, BigInt));
        for (const upTo of [8, undefined]) {
          assertSlicedOutputsAreWhole(
            () => sparseSoftmaxCrossEntropyJob(f, labels, upTo),
            `SparseSoftmaxCrossEntropyWithLogits ${dt} [${rows}, ${cols}] ${lt} rows up to ${upTo}`,
            23,
          );
        }
        assertSameOutputs(
          sparseSoftmaxCrossEntropyJob(f, labels, 8),
          sparseSoftmaxCrossEntropyJob(f, labels),
          "passes and rows",
        );
      }
    }
  }
  // Against one loop per row, as the kernel was written before it ran in passes.
  const [rows, cols] = [6, 257];
  const f = tensor(F, [rows, cols], 86);
  const xs = f.data as Float32Array;
  const ids = [0, 256, 3, 100, 7, 128];
  const loss = new Float32Array(rows);
  const backprop = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, xs[o + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(xs[o + c]! - max);
    loss[r] = Math.log(sum) - (xs[o + ids[r]!]! - max);
    for (let c = 0; c < cols; c++)
      backprop[o + c] = Math.exp(xs[o + c]! - max) / sum - (c === ids[r] ? 1 : 0);
  }
  for (const upTo of [8, undefined]) {
    const [gotLoss, gotBackprop] = drainOutputs(sparseSoftmaxCrossEntropyJob(f, ints(ids), upTo));
    assertSameTensor(
      gotLoss!,
      new Tensor(F, [rows], loss),
      `SparseSoftmaxCrossEntropyWithLogits loss ${upTo}`,
    );
    assertSameTensor(gotBackprop!, new Tensor(F, [rows, cols], backprop), `backprop ${upTo}`);
  }
  assert.throws(
    () => sparseSoftmaxCrossEntropyJob(f, ints([0, 1, 257, 2, -1, 3])),
    /Received a label value of 257 which is outside the valid range of \[0, 257\)\. {2}Label values: 0 1 257 2 -1 3/,
  );
});

test("InTopK in slices that end inside a row gives the verdicts of one run", () => {
  const [batch, classes] = [41, 37];
  const p = tensor(F, [batch, classes], 87); // a NaN in row 0, an infinity in row 0
  const ps = p.data as Float32Array;
  ps[5 * classes + 30] = Number.NEGATIVE_INFINITY;
  const targets = Array.from({ length: batch }, (_, i) => ((i * 11) % (classes + 3)) - 1); // some out of range
  for (const k of [-1, 0, 1, 5, classes, classes + 1]) {
    const kT = new Tensor(DataType.DT_INT64, [], BigInt64Array.from([BigInt(k)]));
    assertSlicedIsWhole(() => inTopKJob(p, ints(targets), kT), `InTopK k=${k}`, 23);
    // Fewer than k classes strictly higher, the target in range and every prediction finite.
    const want = new Uint8Array(batch);
    for (let b = 0; b < batch; b++) {
      const row = Array.from(ps.subarray(b * classes, (b + 1) * classes));
      const t = targets[b]!;
      if (t < 0 || t >= classes || !row.every(Number.isFinite)) continue;
      want[b] = row.filter((v) => v > row[t]!).length < k ? 1 : 0;
    }
    assertSameTensor(
      drainJob(inTopKJob(p, ints(targets), kT)),
      new Tensor(DataType.DT_BOOL, [batch], want),
      `k=${k}`,
    );
  }
});

test("L2Loss, BiasAddGrad and LRN in slices have the bits of one run", () => {
  for (const dt of [F, DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16]) {
    assertSlicedIsWhole(() => l2LossJob(tensor(dt, [5001], 88)), `L2Loss ${dt}`);
  }
  const xs = tensor(F, [5001], 88).data as Float32Array;
  let s = 0;
  for (const v of xs) s += v * v;
  assertSameTensor(
    l2Loss(tensor(F, [5001], 88)),
    new Tensor(F, [], Float32Array.from([s / 2])),
    "L2Loss sum",
  );
  for (const dt of [
    F,
    DataType.DT_DOUBLE,
    DataType.DT_HALF,
    I32,
    DataType.DT_UINT8,
    DataType.DT_INT64,
    DataType.DT_COMPLEX64,
  ]) {
    for (const shape of [
      [31, 7],
      [3, 7, 5, 11],
    ]) {
      for (const fmt of ["NHWC", "NCHW"] as const) {
        assertSlicedIsWhole(
          () => biasAddGradJob(tensor(dt, shape, 89), fmt),
          `BiasAddGrad ${dt} [${shape}] ${fmt}`,
          23,
        );
      }
    }
  }
  for (const dt of [F, DataType.DT_HALF]) {
    const x = tensor(dt, [2, 5, 3, 13], 91);
    for (const depthRadius of [0, 2, 20]) {
      const o = { depthRadius, bias: 1, alpha: Math.fround(0.3), beta: 0.75 };
      assertSlicedIsWhole(() => lrnJob(x, o), `LRN ${dt} r=${depthRadius}`, 23);
    }
  }
});

/** Two jobs of several outputs, run whole, give the same bits. */
function assertSameOutputs(a: ElementJob<Tensor[]>, b: ElementJob<Tensor[]>, what: string): void {
  const [x, y] = [runWhole(a), runWhole(b)];
  assert.equal(x.length, y.length, `${what}: outputs`);
  x.forEach((t, i) => {
    assertSameTensor(t, y[i]!, `${what} output ${i}`);
  });
}

/** Runs a job of several outputs in slices of 97 elements. */
function drainOutputs(job: ElementJob<Tensor[]>): Tensor[] {
  const g = jobSlices(job, 97);
  for (let r = g.next(); ; r = g.next()) if (r.done) return r.value;
}

test("TopKV2, the losses, InTopKV2, BiasAddGrad and LRN take the sliced path only over large tensors", () => {
  const scalarI32 = (v: number) => new Tensor(I32, [], Int32Array.from([v]));
  const labels = (r: number) =>
    new Tensor(
      DataType.DT_INT64,
      [r],
      BigInt64Array.from({ length: r }, (_, i) => BigInt((i * 7) % 64)),
    );
  const lrnAttrs = { depth_radius: attr.int(5), alpha: attr.float(0.25), beta: attr.float(0.75) };
  const lrnOpts = { depthRadius: 5, bias: 1, alpha: 0.25, beta: 0.75 };
  const cases: LargeOutputsCase[] = [
    ["TopKV2", { T: attr.type(F) }, (r) => [floats([r, 64], 93), scalarI32(5)], ([x]) => topK(x!, 5, I32)],
    [
      "SoftmaxCrossEntropyWithLogits",
      { T: attr.type(F) },
      (r) => [floats([r, 64], 94), floats([r, 64], 95)],
      ([f, l]) => softmaxCrossEntropyWithLogits(f!, l!),
    ],
    [
      "SparseSoftmaxCrossEntropyWithLogits",
      { T: attr.type(F) },
      (r) => [floats([r, 64], 96), labels(r)],
      ([f, l]) => sparseSoftmaxCrossEntropyWithLogits(f!, l!),
    ],
    [
      "InTopKV2",
      { T: attr.type(I32) },
      (r) => [floats([r, 64], 97), ints(Array.from({ length: r }, (_, i) => i % 64)), scalarI32(3)],
      ([p, t, k]) => [inTopK(p!, t!, k!)],
    ],
    ["L2Loss", { T: attr.type(F) }, (r) => [floats([r, 64], 98)], ([x]) => [l2Loss(x!)]],
    ["BiasAddGrad", { T: attr.type(F) }, (r) => [floats([r, 64], 99)], ([x]) => [biasAddGrad(x!)]],
    [
      "LRN",
      { T: attr.type(F), ...lrnAttrs },
      (r) => [floats([r, 1, 1, 64], 100)],
      ([x]) => [lrn(x!, lrnOpts)],
    ],
  ];
  assertLargeOnlySlicedOutputs(cases);
});

test("Unique in slices looks every slice up in the order of one run", () => {
  for (const dt of [F, DataType.DT_HALF, I32, DataType.DT_INT64, DataType.DT_BOOL, DataType.DT_STRING]) {
    // Few distinct values, so most slices find an earlier one.
    const v = tensor(dt, [400], 140);
    const few =
      dt === I32
        ? new Tensor(
            I32,
            [400],
            Int32Array.from(v.data as Int32Array, (x) => x % 13),
          )
        : v;
    for (const it of [I32, DataType.DT_INT64]) {
      assertSlicedOutputsAreWhole(() => uniqueJob(few, undefined, it), `Unique ${dt} ${it}`, 97);
    }
    const m = tensor(dt, [6, 40], 141);
    for (const axis of [0, 1, -1]) {
      const a = new Tensor(I32, [1], Int32Array.from([axis]));
      assertSlicedOutputsAreWhole(() => uniqueJob(m, a, I32), `UniqueV2 ${dt} axis ${axis}`, 97);
    }
  }
  const empty = new Tensor(F, [5, 0], new Float32Array(0));
  const a0 = new Tensor(I32, [1], Int32Array.from([0]));
  const [y, idx, count] = runWhole(uniqueJob(empty, a0, I32));
  assert.deepEqual(
    [y!.shape, Array.from(idx!.data as Int32Array), Array.from(count!.data as Int32Array)],
    [[1, 0], [0, 0, 0, 0, 0], [5]],
  );
});

test("Unique and UniqueWithCounts take the sliced path only over large inputs", () => {
  assertLargeOnlySlicedOutputs([
    [
      "UniqueWithCounts",
      { T: attr.type(I32) },
      (r) => [ints(Array.from({ length: r * 64 }, (_, i) => (i * 7919) % 1000))],
      ([x]) => unique(x!, undefined, I32),
    ],
    [
      "Unique",
      { T: attr.type(I32) },
      (r) => [ints(Array.from({ length: r * 64 }, (_, i) => (i * 31) % 777))],
      ([x]) => unique(x!, undefined, I32).slice(0, 2),
    ],
  ]);
});

test("RGBToHSV, HSVToRGB, AdjustHue, AdjustSaturation and CheckNumerics in slices have the bits of one run", () => {
  for (const dt of [F, DataType.DT_DOUBLE, DataType.DT_HALF, DataType.DT_BFLOAT16]) {
    const x = tensor(dt, [7, 11, 3], 180);
    assertSlicedIsWhole(() => rgbToHsvJob(x), `RGBToHSV ${dt}`, 23);
    assertSlicedIsWhole(() => hsvToRgbJob(x), `HSVToRGB ${dt}`, 23);
  }
  const rgb = new Tensor(
    F,
    [7, 11, 3],
    Float32Array.from(random(231, 181), (v) => v + 0.5),
  );
  const scalarF = (v: number) => new Tensor(F, [], Float32Array.from([v]));
  assertSlicedIsWhole(() => adjustHueJob(rgb, scalarF(0.3)), "AdjustHue", 23);
  assertSlicedIsWhole(() => adjustSaturationJob(rgb, scalarF(1.7)), "AdjustSaturation", 23);
  // CheckNumerics passes its input on, or fails when the job ends, whichever way it ran.
  assert.equal(drainJob(checkNumericsJob(rgb, "fine")), rgb);
  const bad = tensor(F, [700], 182); // a NaN and an infinity
  assert.throws(() => drainJob(checkNumericsJob(bad, "bad")), /bad : Tensor had Inf and NaN values/);
  const g = jobSlices(checkNumericsJob(bad, "bad"), 97);
  for (let i = 0; i < 8; i++) assert.equal(g.next().done, false, "no error before the last slice");
  assert.throws(() => g.next(), /Tensor had Inf and NaN values/);
});

test("RGBToHSV, HSVToRGB, AdjustHue, AdjustSaturation and CheckNumerics take the sliced path only over large tensors", () => {
  const pixels = (r: number, seed: number) =>
    new Tensor(
      F,
      [r, 21, 3],
      Float32Array.from(random(r * 63, seed), (v) => v + 0.5),
    );
  const scalarF = (v: number) => new Tensor(F, [], Float32Array.from([v]));
  const D = DataType.DT_DOUBLE;
  const cases: LargeCase[] = [
    ["RGBToHSV", (r) => [pixels(r, 183)], {}, ([x]) => rgbToHsv(x!)],
    ["HSVToRGB", (r) => [pixels(r, 184)], {}, ([x]) => hsvToRgb(x!)],
    ["AdjustHue", (r) => [pixels(r, 185), scalarF(0.3)], {}, ([x, d]) => adjustHue(x!, d!)],
    ["AdjustSaturation", (r) => [pixels(r, 186), scalarF(1.7)], {}, ([x, s]) => adjustSaturation(x!, s!)],
    [
      "CheckNumerics",
      (r) => [tensor(D, [r, 64], 187)],
      { T: attr.type(D), message: attr.string("fine") },
      ([x]) => checkNumerics(x!, "fine"),
    ],
  ];
  assertLargeOnlySliced(cases);
});

test("Roll and Bucketize in slices have the bits of one run", () => {
  for (const dt of [F, DataType.DT_HALF, DataType.DT_INT64, DataType.DT_COMPLEX64, DataType.DT_STRING]) {
    const x = tensor(dt, [5, 7, 11], 150);
    for (const [shifts, axes] of [
      [[3], [1]],
      [
        [-2, 9, 4],
        [0, 2, 0],
      ],
    ]) {
      const [s, a] = [ints(shifts!), ints(axes!)];
      assertSlicedIsWhole(() => rollJob(x, s, a), `Roll ${dt} ${shifts} on ${axes}`);
    }
  }
  for (const dt of [F, DataType.DT_DOUBLE, I32, DataType.DT_INT64]) {
    const x = tensor(dt, [37, 19], 151);
    const bounds =
      dt === F || dt === DataType.DT_DOUBLE ? [-0.3, -0.1, 0, 0.05, 0.2] : [-900, -10, 0, 7, 400];
    assertSlicedIsWhole(() => bucketizeJob(x, bounds), `Bucketize ${dt}`);
  }
});

test("Roll and Bucketize take the sliced path only over large tensors", () => {
  const cases: LargeCase[] = [
    [
      "Roll",
      (r) => [floats([r, 64], 115), ints([5, -3]), ints([0, 1])],
      { Tshift: attr.type(I32), Taxis: attr.type(I32) },
      ([x, sh, ax]) => roll(x!, sh!, ax!),
    ],
    [
      "Bucketize",
      (r) => [floats([r, 64], 117)],
      { boundaries: attr.floatList([-0.25, 0, 0.125]) },
      ([x]) => bucketize(x!, [-0.25, 0, 0.125]),
    ],
  ];
  assertLargeOnlySliced(cases);
});

test("PopulationCount and Cross in slices have the bits of one run", () => {
  for (const dt of [I32, DataType.DT_UINT8, DataType.DT_INT64]) {
    assertSlicedIsWhole(() => populationCountJob(tensor(dt, [31, 17], 170)), `PopulationCount ${dt}`);
  }
  for (const dt of [F, DataType.DT_DOUBLE, DataType.DT_HALF, I32, DataType.DT_INT64]) {
    const [a, b] = [tensor(dt, [61, 3], 171), tensor(dt, [61, 3], 172)];
    assertSlicedIsWhole(() => crossJob(a, b), `Cross ${dt}`, 23);
  }
});

test("PopulationCount and Cross take the sliced path only over large tensors", () => {
  const cases: LargeCase[] = [
    [
      "PopulationCount",
      (r) => [tensor(I32, [r, 64], 176)],
      { T: attr.type(I32) },
      ([x]) => populationCount(x!),
    ],
    ["Cross", (r) => [floats([r, 21, 3], 177), floats([r, 21, 3], 178)], {}, ([a, b]) => cross(a!, b!)],
  ];
  assertLargeOnlySliced(cases);
});
