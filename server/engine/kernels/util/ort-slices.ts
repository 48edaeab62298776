// Native (onnxruntime) BatchMatMul and Conv2D in slices (docs/architecture.md, "Long kernels in
// slices"). One ORT call cannot be interrupted (the Node binding has no run termination), so a
// large batched product or convolution as one call holds the device thread, and a cancelled step,
// for as long as it computes. These cut the work into calls of about ORT_PIECE_MACS multiply-adds,
// as ortMatMulSlices does for MatMul: batch matrices in groups (and a single large matrix in row
// slices through ortMatMulSlices), convolutions in groups of whole images (a single large image in
// bands of rows or groups of channels through ort-conv.ts). Each output element is
// computed by the same MLAS kernel over the same operands whichever call covers it; the slicing
// tests compare the pieces with one call (kernels/sliced-kernels.test.ts).

import { broadcastStrides } from "../../framework/bcast.js";
import { allocData, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import type { Conv2DGeometry } from "./conv-util.js";
import { intraOpThreads, type OrtRuntime, ortBatchMatMul, ortConv2D } from "./ort.js";
import { aloneKeepsBits, type ConvImageCut, convImageCut, oihwFilter, ortConv2DImage } from "./ort-conv.js";
import { blocks, ORT_PIECE_MACS, ortMatMulSlices } from "./ort-matmul.js";
import { type Slices, settle } from "./slices.js";

const F = DataType.DT_FLOAT;

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Output batch index b's matrix offsets (in matrices) in x and y, batch dimensions broadcast. */
function batchOffsets(batch: readonly number[], x: Tensor, y: Tensor): (b: number) => [number, number] {
  const xs = broadcastStrides(x.shape.slice(0, -2), batch);
  const ys = broadcastStrides(y.shape.slice(0, -2), batch);
  return (b) => {
    let xo = 0;
    let yo = 0;
    for (let d = batch.length - 1; d >= 0; d--) {
      const i = b % batch[d]!;
      b = (b - i) / batch[d]!;
      xo += i * xs[d]!;
      yo += i * ys[d]!;
    }
    return [xo, yo];
  };
}

/** Matrices [b0, b1) of a batch gathered into one [b1 - b0, rows, cols] tensor. */
function gather(t: Tensor, b0: number, b1: number, offset: (b: number) => number): Tensor {
  const [rows, cols] = t.shape.slice(-2) as [number, number];
  const size = rows * cols;
  const src = t.data as Float32Array;
  const out = new Float32Array((b1 - b0) * size);
  for (let b = b0; b < b1; b++) {
    const o = offset(b) * size;
    out.set(src.subarray(o, o + size), (b - b0) * size);
  }
  return new Tensor(F, [b1 - b0, rows, cols], out);
}

/**
 * ortBatchMatMul in calls of about ORT_PIECE_MACS multiply-adds: groups of whole output matrices,
 * or, when one matrix is that large, each matrix in row slices (ortMatMulSlices). `shape` is the
 * result's; shapes are already validated.
 */
export function* ortBatchMatMulSlices(
  rt: OrtRuntime,
  x: Tensor,
  y: Tensor,
  adjX: boolean,
  adjY: boolean,
  shape: readonly number[],
): Slices<Tensor> {
  const batch = shape.slice(0, -2);
  const [m, n] = shape.slice(-2) as [number, number];
  const k = adjX ? x.shape[x.rank - 2]! : x.shape[x.rank - 1]!;
  const count = product(batch);
  const macs = m * k * n;
  if (count === 0 || count * macs <= ORT_PIECE_MACS)
    return yield* settle(ortBatchMatMul(rt, x, y, adjX, adjY, shape));
  const out = new Tensor(F, [...shape], allocData(F, count * m * n, shape));
  const od = out.data as Float32Array;
  const offsets = batchOffsets(batch, x, y);
  const group = Math.max(1, Math.floor(ORT_PIECE_MACS / Math.max(1, macs)));
  for (let b0 = 0; b0 < count; b0 += group) {
    const b1 = Math.min(count, b0 + group);
    let part: Tensor;
    if (b1 - b0 === 1 && macs > ORT_PIECE_MACS) {
      const [xo, yo] = offsets(b0);
      const xm = matrixAt(x, xo);
      const ym = matrixAt(y, yo);
      part = yield* ortMatMulSlices(rt, xm, ym, adjX, adjY, m, k, n);
    } else {
      const xs = gather(x, b0, b1, (b) => offsets(b)[0]);
      const ys = gather(y, b0, b1, (b) => offsets(b)[1]);
      part = yield* settle(ortBatchMatMul(rt, xs, ys, adjX, adjY, [b1 - b0, m, n]));
    }
    od.set(part.data as Float32Array, b0 * m * n);
  }
  return out;
}

/** The rank-2 matrix at matrix offset `o` of t's batch. */
function matrixAt(t: Tensor, o: number): Tensor {
  const [rows, cols] = t.shape.slice(-2) as [number, number];
  const data = (t.data as Float32Array).subarray(o * rows * cols, (o + 1) * rows * cols);
  return new Tensor(F, [rows, cols], data);
}

/**
 * ortConv2D in calls of about `piece` multiply-adds: groups of whole images (NHWC: a group is a
 * contiguous part of the input and of the output), or, when one image is larger, each image cut
 * into bands of output rows or groups of output channels (ort-conv.ts). An image of a batch runs
 * alone only when that keeps the bits of the batch's call (aloneKeepsBits); otherwise groups have
 * two images at least, a call for several images computing each as the batch's call does.
 */
export function* ortConv2DSlices(
  rt: OrtRuntime,
  input: Tensor,
  filter: Tensor,
  g: Conv2DGeometry,
  piece: number = ORT_PIECE_MACS,
): Slices<Tensor> {
  const threads = intraOpThreads();
  const alone = g.batch === 1 || aloneKeepsBits(g, threads);
  const least = alone ? 1 : 2;
  const perImage = g.outRows * g.outCols * g.outDepth * g.filterRows * g.filterCols * g.patchDepth;
  const group = Math.max(least, Math.floor(piece / Math.max(1, perImage)));
  const cut: ConvImageCut = alone ? convImageCut(g, piece, threads) : { by: "none" };
  if (group >= g.batch && cut.by === "none") return yield* settle(ortConv2D(rt, input, filter, g));
  const oihw = cut.by === "none" ? undefined : yield* oihwFilter(filter, g);
  const outShape = [g.batch, g.outRows, g.outCols, g.outDepth];
  const out = new Tensor(F, outShape, allocData(F, product(outShape), outShape));
  const od = out.data as Float32Array;
  const inSize = g.inRows * g.inCols * g.inDepth;
  const outSize = g.outRows * g.outCols * g.outDepth;
  const id = input.data as Float32Array;
  for (const [b0, count] of blocks(g.batch, group, least)) {
    const images = id.subarray(b0 * inSize, (b0 + count) * inSize);
    if (oihw !== undefined) {
      yield* ortConv2DImage(rt, images, oihw, g, cut, od.subarray(b0 * outSize, (b0 + 1) * outSize));
      continue;
    }
    const shape = [count, g.inRows, g.inCols, g.inDepth];
    const part = yield* settle(ortConv2D(rt, new Tensor(F, shape, images), filter, { ...g, batch: count }));
    od.set(part.data as Float32Array, b0 * outSize);
  }
  return out;
}
