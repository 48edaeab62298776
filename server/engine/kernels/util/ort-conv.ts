// A native (onnxruntime) Conv2D of one large image in calls of about ORT_PIECE_MACS multiply-adds
// (docs/architecture.md, "Long kernels in slices"): a run cannot be interrupted, so one call for a
// large image would hold the device thread, and a cancelled step, for as long as it computes.
//
// The pieces give the bits of one call because of how MLAS computes a convolution whose filter is
// an input (MlasConvPrepare and MlasConv in onnxruntime's core/mlas/lib/convolve.cpp,
// MlasSgemmOperation and MlasGemmBatch in sgemm.cpp):
//
// - Each output is a dot product over k = filter rows · columns · depth (per group), in k's order:
//   in one run when k <= 128, else in runs of 128 whose partial sums are added to the output in
//   turn; in longer runs, which round differently, when one intra-op thread's share of a call's
//   output pixels is 64 or fewer.
// - A call's output pixels are shared among its threads in 16-aligned ranges, unless the filters
//   (per group) outnumber them; then the filters are shared and each thread takes every pixel.
//   MLAS gives a call one thread per 2^16 multiply-adds, up to the intra-op pool's size.
// - A single filter (a convolution of one, or one thread's share of the filters) runs MLAS's
//   one-row kernel, which rounds differently from the others; and over all of k at once when MLAS
//   multiplies the input directly (no im2col: 1×1 filters, no padding, unit strides), in runs of
//   128 otherwise.
//
// So an image is cut in whichever of two ways keeps every output's runs and kernel:
// - bands of output rows, as on XNNPACK (conv-util.ts): each band a convolution of the input rows
//   it reads, with the padding it still needs, so every output reads the same taps in the same
//   order. When k > 128, every call (the whole image's too) is large enough that each thread's
//   share has more than 64 pixels; when a group's filters are fewer than twice the threads, every
//   call has more pixels than filters; a single filter's bands are multiplied directly iff the
//   image is.
// - otherwise groups of output channels (ungrouped convolutions only): each call has the image's
//   pixels, hence their sharing, while it is large enough to use every thread and has two filters
//   or more; where the filters outnumber the pixels, each call's still do, two a thread at least.
// A convolution that fits neither (k > 128 with few output pixels, and grouped or with few
// filters) stays one call. The calls take the filter in ONNX's layout, transposed once
// (oihwFilter), not in every call. kernels/native-slices.test.ts compares the pieces with one call
// over many shapes and thread counts.

import type { Tensor } from "../../framework/tensor.js";
import type { Conv2DGeometry } from "./conv-util.js";
import { type OrtRuntime, onnxConvPads, ortConv2DRun, ortConv2DTensors } from "./ort.js";
import { blocks } from "./ort-matmul.js";
import { COPY_PIECE_ELEMENTS, rowsPerPiece, type Slices, settle, transposePart } from "./slices.js";

/** k up to which MLAS sums a dot product in one run (MLAS_SGEMM_STRIDEK). */
const MLAS_STRIDE_K = 128;

/** Multiply-adds per MLAS thread (MLAS_SGEMM_THREAD_COMPLEXITY). */
const MLAS_THREAD_MACS = 2 ** 16;

/** Fewest pixels of a thread's share that keeps runs of 128 k. */
const LEAST_SHARE = 65;

/** How an image's convolution is cut: bands of `size` output rows or groups of `size` channels. */
export type ConvImageCut =
  | { readonly by: "rows" | "channels"; readonly size: number; readonly least: number }
  | { readonly by: "none" };

const multiplyAdds = (g: Conv2DGeometry) => g.filterRows * g.filterCols * g.patchDepth;
const filtersPerGroup = (g: Conv2DGeometry) => (g.outDepth * g.patchDepth) / g.inDepth;

/**
 * The cut of one image of geometry g (batch ignored) into calls of about `piece` multiply-adds,
 * for ORT sessions of `threads` intra-op threads; "none" when it fits in one or no cut keeps the
 * bits.
 */
export function convImageCut(g: Conv2DGeometry, piece: number, threads: number): ConvImageCut {
  const pixels = g.outRows * g.outCols;
  if (pixels * g.outDepth * multiplyAdds(g) <= piece) return { by: "none" };
  return bandCut(g, piece, threads) ?? channelCut(g, piece, threads) ?? { by: "none" };
}

/**
 * Whether a call for one image of a batch computes each output as one call for the batch does. For
 * a batch MLAS runs each image (and group) on one thread, over all its pixels; alone, an image's
 * pixels are shared among the threads, which keeps the runs when each share has more than 64.
 */
export function aloneKeepsBits(g: Conv2DGeometry, threads: number): boolean {
  return g.outRows * g.outCols >= leastCallPixels(g, threads);
}

/**
 * Fewest output pixels of a call that keeps each output's runs and kernel. Over t threads the
 * convolution's ranges are ceil(p / t) rounded up to 16 (the last what remains, at least
 * p / t - 16(t - 1)), the GEMM's whole 16-pixel blocks shared evenly (at least p / t - 31): with
 * p / t >= max(96, 65 + 16(t - 1)) every share has more than 64 pixels.
 */
function leastCallPixels(g: Conv2DGeometry, threads: number): number {
  let least = LEAST_SHARE;
  if (multiplyAdds(g) > MLAS_STRIDE_K)
    least = Math.max(least, threads * Math.max(96, LEAST_SHARE + 16 * (threads - 1)));
  const filters = filtersPerGroup(g);
  if (filters < 2 * threads) least = Math.max(least, filters + 1);
  return least;
}

function bandCut(g: Conv2DGeometry, piece: number, threads: number): ConvImageCut | undefined {
  const least = Math.ceil(leastCallPixels(g, threads) / g.outCols);
  const size = Math.max(least, Math.floor(piece / (g.outCols * g.outDepth * multiplyAdds(g))));
  if (g.outRows < size + least) return undefined;
  const cut = { by: "rows", size, least } as const;
  // A single filter sums over all of k at once when MLAS multiplies the input directly, in runs
  // of 128 otherwise: an unpadded band of a padded 1×1 convolution would change the way.
  if (filtersPerGroup(g) === 1 && multiplyAdds(g) > MLAS_STRIDE_K) {
    const whole = multipliesDirectly(g);
    for (const [o0, rows] of blocks(g.outRows, size, least)) {
      if (multipliesDirectly(bandOf(g, o0, o0 + rows).geometry) !== whole) return undefined;
    }
  }
  return cut;
}

function channelCut(g: Conv2DGeometry, piece: number, threads: number): ConvImageCut | undefined {
  if (g.patchDepth !== g.inDepth) return undefined;
  const pixels = g.outRows * g.outCols;
  const perFilter = pixels * multiplyAdds(g);
  let least = Math.max(2, Math.ceil((MLAS_THREAD_MACS * threads) / perFilter));
  if (g.outDepth >= pixels) {
    if (g.outDepth < 2 * threads) return undefined;
    least = Math.max(least, pixels + 1, 2 * threads);
  }
  const size = Math.max(least, Math.floor(piece / perFilter));
  if (g.outDepth < size + least) return undefined;
  return { by: "channels", size, least };
}

/**
 * MlasConvPrepare's test for multiplying the input directly (no im2col): unit strides, no padding,
 * and a 1×1 filter or, for one input channel per group, a filter as wide as the input or as tall
 * and one column wide.
 */
function multipliesDirectly(g: Conv2DGeometry): boolean {
  if (g.strideRows !== 1 || g.strideCols !== 1 || onnxConvPads(g).some((p) => p !== 0)) return false;
  if (g.filterRows === 1 && g.filterCols === 1) return true;
  if (g.patchDepth !== 1 || g.dilationRows !== 1 || g.dilationCols !== 1) return false;
  return g.filterCols === g.inCols || (g.filterRows === g.inRows && g.filterCols === 1);
}

/**
 * Output rows [o0, o1) of one image as a convolution of the input rows they read (from row
 * `first`), its top padding what of the original the band still needs (the bottom follows from the
 * output size); no input rows when every tap is padding.
 */
function bandOf(
  g: Conv2DGeometry,
  o0: number,
  o1: number,
): { readonly geometry: Conv2DGeometry; readonly first: number } {
  const effRows = (g.filterRows - 1) * g.dilationRows + 1;
  const top = o0 * g.strideRows - g.padTop;
  const bottom = (o1 - 1) * g.strideRows - g.padTop + effRows;
  const first = Math.max(0, top);
  const inRows = Math.max(0, Math.min(g.inRows, bottom) - first);
  return { geometry: { ...g, batch: 1, inRows, outRows: o1 - o0, padTop: first - top }, first };
}

/**
 * A filter laid out for ortConv2DImage's calls, made once for all of a kernel's images: ONNX's
 * OIHW (output channel major, so a group of channels is a contiguous part), so that ORT does not
 * transpose the whole filter again in every call.
 */
export function* oihwFilter(filter: Tensor, g: Conv2DGeometry): Slices<Float32Array> {
  // HWIO is a (taps · in) × out matrix; its transpose is out × taps × in, whose every filter then
  // swaps taps and in. Two cache-friendly passes rather than one strided one.
  const taps = g.filterRows * g.filterCols;
  const perFilter = taps * g.patchDepth;
  const src = filter.data as Float32Array;
  const byOut = new Float32Array(src.length);
  const rows = rowsPerPiece(g.outDepth, COPY_PIECE_ELEMENTS);
  for (let r0 = 0; r0 < perFilter; r0 += rows) {
    const r1 = Math.min(perFilter, r0 + rows);
    transposePart(src, g.outDepth, r0, r1, 0, g.outDepth, byOut.subarray(r0), perFilter);
    yield;
  }
  const dst = new Float32Array(src.length);
  const filters = rowsPerPiece(perFilter, COPY_PIECE_ELEMENTS);
  for (let o0 = 0; o0 < g.outDepth; o0 += filters) {
    for (let o = o0; o < Math.min(g.outDepth, o0 + filters); o++) {
      const at = o * perFilter;
      transposePart(byOut.subarray(at), g.patchDepth, 0, taps, 0, g.patchDepth, dst.subarray(at), taps);
    }
    yield;
  }
  return dst;
}

/**
 * One image's convolution (`image`: its [inRows, inCols, inDepth] values, `oihw` the filter from
 * oihwFilter) cut as `cut` says, into `out` (its [outRows, outCols, outDepth] values).
 */
export function* ortConv2DImage(
  rt: OrtRuntime,
  image: Float32Array,
  oihw: Float32Array,
  g: Conv2DGeometry,
  cut: ConvImageCut,
  out: Float32Array,
): Slices<void> {
  const one: Conv2DGeometry = { ...g, batch: 1 };
  // An image not cut is one band.
  if (cut.by === "channels") {
    yield* channelGroups(rt, image, oihw, one, cut.size, cut.least, out);
  } else {
    const rows = cut.by === "rows" ? cut.size : g.outRows;
    yield* bands(rt, image, oihw, one, rows, cut.by === "rows" ? cut.least : 1, out);
  }
}

const filterDims = (g: Conv2DGeometry, n: number) => [n, g.patchDepth, g.filterRows, g.filterCols];

function* bands(
  rt: OrtRuntime,
  image: Float32Array,
  oihw: Float32Array,
  g: Conv2DGeometry,
  size: number,
  least: number,
  out: Float32Array,
): Slices<void> {
  const pixel = g.inCols * g.inDepth;
  const outRow = g.outCols * g.outDepth;
  const filter = rt.tensor(oihw, filterDims(g, g.outDepth));
  // ORT writes each band's result here (ordinary memory: `out` may be shared), the last band the
  // longest.
  const result = new Float32Array(Math.min(g.outRows, size + least - 1) * outRow);
  for (const [o0, rows] of blocks(g.outRows, size, least)) {
    const { geometry, first } = bandOf(g, o0, o0 + rows);
    if (geometry.inRows === 0) {
      // Every tap is padding: MLAS sums zero products from +0, so these outputs are +0.
      out.fill(0, o0 * outRow, (o0 + rows) * outRow);
      continue;
    }
    const data = image.subarray(first * pixel, (first + geometry.inRows) * pixel);
    const input = rt.tensor(data, [1, geometry.inRows, g.inCols, g.inDepth]);
    const shape = [1, rows, g.outCols, g.outDepth];
    const into = result.subarray(0, rows * outRow);
    const res = yield* settle(ortConv2DRun(rt, input, filter, geometry, "OIHW", rt.tensor(into, shape)));
    if (res.dims.some((d, i) => d !== shape[i])) {
      throw new Error(`onnxruntime returned [${res.dims}] where [${shape}] was expected`);
    }
    out.set(into, o0 * outRow);
  }
}

function* channelGroups(
  rt: OrtRuntime,
  image: Float32Array,
  oihw: Float32Array,
  g: Conv2DGeometry,
  size: number,
  least: number,
  out: Float32Array,
): Slices<void> {
  // The image crosses into ORT once for all the groups (a copy when it lives in shared memory).
  const input = rt.tensor(image, [1, g.inRows, g.inCols, g.inDepth]);
  const pixels = g.outRows * g.outCols;
  const perFilter = g.patchDepth * g.filterRows * g.filterCols;
  for (const [c0, n] of blocks(g.outDepth, size, least)) {
    const filter = rt.tensor(oihw.subarray(c0 * perFilter, (c0 + n) * perFilter), filterDims(g, n));
    const part = yield* settle(ortConv2DTensors(rt, input, filter, { ...g, outDepth: n }, "OIHW"));
    const pd = part.data as Float32Array;
    for (let p = 0; p < pixels; p++) out.set(pd.subarray(p * n, (p + 1) * n), p * g.outDepth + c0);
  }
}
