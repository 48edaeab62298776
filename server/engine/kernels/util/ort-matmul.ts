// TF's MatMul on onnxruntime (ort.ts) cut into tiles, so that a cancelled step or another
// session's step on the same device thread waits for one tile at most (docs/architecture.md, "Long
// kernels in slices"). TF runs the whole product in one Eigen contraction on its intra-op pool; a
// run of ORT cannot be interrupted, so the product is cut here instead, in the shape that costs
// MLAS least:
//
// - MLAS packs the B operand of every call before it multiplies, and each intra-op thread packs the
//   B columns of its own share. A block of few rows against all of B re-packs B per block, which
//   cost a third of the time of a 2048³ product in 64-row blocks (docs/benchmarks.md, "Long
//   kernels"). So a tile has TILE_ROWS rows (or more, when it spans all of B's columns): B is
//   packed m / TILE_ROWS times in all, a small share of the multiply-adds.
// - Every operand and result crosses once, and nothing is transposed in JS that MLAS can read as
//   it is (a transpose of a large matrix costs ~5 ns an element here, ~15% of a 2048³ product on
//   one thread): the binding refuses shared memory (where large tensors live), so op(a) is copied
//   once (transposed only for transpose_a); tiles go panel by panel of op(b)'s columns, each
//   gathered once in b's own orientation (MLAS's transB reads an n×k b in place); and ORT writes
//   each tile's result into one reused buffer that is copied to its place in the output.
//
// Each output element is one MLAS dot product over all of k, whichever tile computes it, so the
// tiles give the bits of one call for the whole product (tested in kernels/sliced-kernels.test.ts).

import type { Tensor } from "../../framework/tensor.js";
import { allocResult, gemmGraph, type OrtRuntime, ortMatMul } from "./ort.js";
import { COPY_PIECE_ELEMENTS, rowsPerPiece, type Slices, settle, transposePart } from "./slices.js";

/**
 * Multiply-adds per native MatMul tile: about 4 ms on this VM's two cores when they are free and
 * 8 ms on one (MLAS at ~130 GFLOP/s per thread), 10–20 ms on a busy machine; the longest a
 * cancelled step, or another session's step on the device, waits for a native call.
 */
export const ORT_PIECE_MACS = 2 ** 29;

/**
 * Rows of op(a) per call: MLAS packs the call's B columns once for all of them, so the packing
 * costs about 1/TILE_ROWS of the multiply-adds (measured on a 2048³ product, one thread: tiles of
 * 512 rows within 1% of one call, full-width blocks of 256 rows 6% slower, of 128 rows 18%).
 */
const TILE_ROWS = 512;

/** Tile widths are multiples of MLAS's 16-column kernel width. */
const TILE_ALIGN = 16;

/** The tile of an m×k · k×n product: `rows` of op(a) against `cols` of op(b). */
export interface MatMulTile {
  readonly rows: number;
  readonly cols: number;
}

/**
 * One call when the product fits in `piece`; else full-width row blocks when TILE_ROWS rows of
 * them fit (as many rows as fit), else TILE_ROWS rows against as many columns as fit (a multiple of
 * 16, at least 16: a product whose k alone exceeds a piece gets tiles longer than a piece).
 */
export function matMulTile(m: number, k: number, n: number, piece: number = ORT_PIECE_MACS): MatMulTile {
  if (m * k * n <= piece) return { rows: m, cols: n };
  const rows = Math.min(m, TILE_ROWS);
  if (rows * k * n <= piece) return { rows: Math.floor(piece / (k * n)), cols: n };
  const cols = Math.max(TILE_ALIGN, Math.floor(piece / (rows * k) / TILE_ALIGN) * TILE_ALIGN);
  return { rows, cols: Math.min(n, cols) };
}

/**
 * op(a) · op(b) for rank-2 float32 a and b (shapes already validated: the product is m×k · k×n),
 * as tiles of about `piece` multiply-adds (one call when it fits in one).
 */
export function* ortMatMulSlices(
  rt: OrtRuntime,
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
  m: number,
  k: number,
  n: number,
  piece: number = ORT_PIECE_MACS,
): Slices<Tensor> {
  const { rows, cols } = matMulTile(m, k, n, piece);
  if (rows >= m && cols >= n) return yield* settle(ortMatMul(rt, a, b, transposeA, transposeB, m, n));
  const out = allocResult([m, n]);
  const od = out.data as Float32Array;
  // op(a) row-major (m×k) in ordinary memory, made once: every panel of b reads all of it.
  const ad = a.data as Float32Array;
  const aOwn = transposeA ? yield* transposed(ad, k, m) : yield* ownCopy(ad);
  const bd = b.data as Float32Array;
  const key = `Gemm/0${transposeB ? 1 : 0}`;
  const graph = gemmGraph(0, transposeB ? 1 : 0);
  const panel = cols >= n ? yield* ownCopy(bd) : new Float32Array(k * cols);
  const tile = new Float32Array(Math.min(rows, m) * cols);
  for (let c0 = 0; c0 < n; c0 += cols) {
    const c = Math.min(cols, n - c0);
    if (cols < n) {
      yield* panelOf(bd, transposeB, k, n, c0, c, panel);
    }
    const bTensor = rt.tensor(panel.subarray(0, k * c), transposeB ? [c, k] : [k, c]);
    for (let r0 = 0; r0 < m; r0 += rows) {
      const r = Math.min(rows, m - r0);
      const result = tile.subarray(0, r * c);
      const aTensor = rt.tensor(aOwn.subarray(r0 * k, (r0 + r) * k), [r, k]);
      const res = yield* settle(rt.runTensors(key, graph, [aTensor, bTensor], rt.tensor(result, [r, c])));
      if (res.dims[0] !== r || res.dims[1] !== c) {
        throw new Error(`onnxruntime returned [${res.dims}] where [${r},${c}] was expected`);
      }
      if (c === n) od.set(result, r0 * n);
      else for (let i = 0; i < r; i++) od.set(result.subarray(i * c, (i + 1) * c), (r0 + i) * n + c0);
    }
  }
  return out;
}

/**
 * Columns [c0, c0 + c) of op(b) into `panel`, in b's orientation: from a k×n b its k rows' runs
 * of c (k×c), from an n×k b (transposeB) its rows c0.. as they are (c×k).
 */
function* panelOf(
  bd: Float32Array,
  transposeB: boolean,
  k: number,
  n: number,
  c0: number,
  c: number,
  panel: Float32Array,
): Slices<void> {
  if (transposeB) {
    panel.set(bd.subarray(c0 * k, (c0 + c) * k));
  } else {
    for (let i = 0; i < k; i++) panel.set(bd.subarray(i * n + c0, i * n + c0 + c), i * c);
  }
  yield;
}

/** `data` outside shared memory (the binding refuses it), copied in pieces when it is shared. */
function* ownCopy(data: Float32Array): Slices<Float32Array> {
  if (!(data.buffer instanceof SharedArrayBuffer)) return data;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i += COPY_PIECE_ELEMENTS) {
    out.set(data.subarray(i, i + COPY_PIECE_ELEMENTS), i);
    yield;
  }
  return out;
}

/** The transpose (c×r) of the row-major r×c matrix `src`, in pieces. */
function* transposed(src: Float32Array, r: number, c: number): Slices<Float32Array> {
  const out = new Float32Array(r * c);
  const step = rowsPerPiece(c, COPY_PIECE_ELEMENTS);
  for (let i0 = 0; i0 < r; i0 += step) {
    transposePart(src, c, i0, Math.min(r, i0 + step), 0, c, out.subarray(i0), r);
    yield;
  }
  return out;
}
