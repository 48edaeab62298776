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
//   packed m / TILE_ROWS times in all, a small share of the multiply-adds. On several threads a
//   block of WIDE_BLOCK_ROWS rows may span all of B instead: MLAS then gives each thread its own
//   columns of B to pack, and the device thread has no panel to gather.
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
import { allocResult, gemmGraph, intraOpThreads, type OrtRuntime } from "./ort.js";
import { COPY_PIECE_ELEMENTS, rowsPerPiece, type Slices, settle, transposePart } from "./slices.js";

/**
 * Multiply-adds per native MatMul tile against a panel of b's columns: 4–8 ms of one thread on the
 * VMs measured (MLAS at 65–130 GFLOP/s per thread), 10–20 ms on a busy machine; the longest a
 * cancelled step, or another session's step on the device, waits for a native call on one thread.
 * A call that spans all of b's columns (the whole product, or a block of rows) may take a piece per
 * intra-op thread, about as long as a piece on one: on several threads such calls spare the device
 * thread the panels' gathers and strided result copies that it makes alone, and a fork and join
 * of the threads per call (see matMulTile).
 */
export const ORT_PIECE_MACS = 2 ** 29;

/**
 * Rows of op(a) per call: MLAS packs the call's B columns once for all of them, so the packing
 * costs about 1/TILE_ROWS of the multiply-adds (measured on a 2048³ product, one thread: tiles of
 * 512 rows within 1% of one call, full-width blocks of 256 rows 6% slower, of 128 rows 18%).
 */
const TILE_ROWS = 512;

/** Fewest rows of a full-width block. */
const MIN_BLOCK_ROWS = 64;

/**
 * Rows of a full-width block preferred to TILE_ROWS-row tiles against panels when the call has
 * more than one thread and b's columns are many: MLAS then splits the columns among the threads,
 * each packing only its share of B, so the block re-packs B without the threads duplicating it,
 * and no panel is gathered.
 */
const WIDE_BLOCK_ROWS = 256;

/** Tile widths are multiples of MLAS's 16-column kernel width. */
const TILE_ALIGN = 16;

/**
 * Narrowest panel of a tile. MLAS blocks k by 128 unless a call's (or one thread's share of it)
 * has at most 64 columns and fewer than k, when it takes longer k blocks, which rounds the sums
 * differently (MlasSgemmOperation in onnxruntime's core/mlas/lib/sgemm.cpp; a thread's share is
 * all the columns when MLAS splits the rows, as it does for a tile at least as tall as wide):
 * panels of at least 80 columns keep every tile's bits those of one call for the whole product.
 */
export const MIN_PANEL_COLS = 80;

/** The tile of an m×k · k×n product: `rows` of op(a) against `cols` of op(b). */
export interface MatMulTile {
  readonly rows: number;
  readonly cols: number;
}

/**
 * One call when the product fits in a piece per thread (`piece` · `threads`); else full-width row
 * blocks of as many rows as fit in that when TILE_ROWS rows of them do, or, on several threads and
 * at least MIN_PANEL_COLS·2 columns of b per thread, WIDE_BLOCK_ROWS rows (see there; each
 * thread's share of the columns stays far above the 64 where MLAS would block k differently); else
 * TILE_ROWS rows against as many columns as fit in `piece`, a multiple of 16 from MIN_PANEL_COLS
 * (then a tile may exceed a piece) to TILE_ROWS - MIN_PANEL_COLS: every tile, the wider last panel
 * included, stays taller than wide, so MLAS splits its rows among its threads and each thread
 * multiplies all of the tile's columns. A product of fewer rows than that needs goes in full-width
 * row blocks of at least MIN_BLOCK_ROWS rows, longer than a piece when k·n is large (B is packed
 * again for each block: fewer rows would cost more than they save).
 *
 * On two threads of this VM, a 2048³ product in 256-row blocks of all of b took 5–9% less time
 * than in 512 × 432 tiles (docs/benchmarks.md, "Two cores"); on one thread they were even.
 */
export function matMulTile(
  m: number,
  k: number,
  n: number,
  piece: number = ORT_PIECE_MACS,
  threads = 1,
): MatMulTile {
  const call = piece * Math.max(1, threads);
  if (m * k * n <= call) return { rows: m, cols: n };
  const wide = threads > 1 && n >= threads * 2 * MIN_PANEL_COLS;
  const fullRows = Math.min(m, wide ? WIDE_BLOCK_ROWS : TILE_ROWS);
  if (fullRows * k * n <= call) return { rows: Math.floor(call / (k * n)), cols: n };
  const rows = Math.min(m, TILE_ROWS);
  if (rows < 2 * MIN_PANEL_COLS)
    return { rows: Math.max(MIN_BLOCK_ROWS, Math.floor(call / (k * n))), cols: n };
  const fit = Math.floor(piece / (rows * k) / TILE_ALIGN) * TILE_ALIGN;
  const cols = Math.min(Math.max(MIN_PANEL_COLS, fit), rows - MIN_PANEL_COLS);
  return { rows, cols: Math.min(n, cols) };
}

/**
 * The start and size of each of `total`'s blocks of `size`, the last taking in a remainder
 * smaller than `least`.
 */
export function* blocks(total: number, size: number, least: number): Generator<readonly [number, number]> {
  for (let at = 0, len = 0; at < total; at += len) {
    len = total - at - size < least ? total - at : size;
    yield [at, len];
  }
}

/**
 * op(a) · op(b) for rank-2 float32 a and b (shapes already validated: the product is m×k · k×n),
 * as matMulTile cuts it for `piece` and this thread's intra-op threads (one call when it fits).
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
  const { rows, cols } = matMulTile(m, k, n, piece, intraOpThreads());
  // A product that fits in one call goes through the tile loop as one tile too: its operand
  // copies and result buffer come from the scratch pool, where ortMatMul would allocate fresh
  // memory for each operand copy, for ORT's result and for the copy the binding makes of it.
  const out = allocResult([m, n]);
  const scratch = new Scratch();
  try {
    yield* tiles(rt, out.data as Float32Array, a, b, transposeA, transposeB, m, k, n, rows, cols, scratch);
  } finally {
    scratch.release();
  }
  return out;
}

/** The tile loop of ortMatMulSlices, writing op(a) · op(b) into `od`. */
function* tiles(
  rt: OrtRuntime,
  od: Float32Array,
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
  m: number,
  k: number,
  n: number,
  rows: number,
  cols: number,
  scratch: Scratch,
): Slices<void> {
  // op(a) row-major (m×k) in ordinary memory, made once: every panel of b reads all of it.
  const ad = a.data as Float32Array;
  const aOwn = transposeA ? yield* transposed(ad, k, m, scratch) : yield* ownCopy(ad, scratch);
  const bd = b.data as Float32Array;
  const key = `Gemm/0${transposeB ? 1 : 0}`;
  const graph = gemmGraph(0, transposeB ? 1 : 0);
  // a · a (a Gram matrix, a square) hands ORT one copy of the operand.
  const sameOperand = bd === ad && !transposeA && !transposeB;
  // In tiles, the last panel takes in a remainder narrower than MIN_PANEL_COLS and the last row
  // block one shorter than the widest panel, so that every tile stays taller than wide (see
  // matMulTile). Full-width blocks keep their size (the last one is what remains).
  const tiled = cols < n;
  const widest = tiled ? Math.min(n, cols + MIN_PANEL_COLS - 1) : n;
  const panel = tiled ? scratch.take(k * widest) : sameOperand ? aOwn : yield* ownCopy(bd, scratch);
  const tile = scratch.take(Math.min(m, tiled ? rows + widest - 1 : rows) * widest);
  for (const [c0, c] of blocks(n, cols, tiled ? MIN_PANEL_COLS : 1)) {
    if (tiled) yield* panelOf(bd, transposeB, k, n, c0, c, panel);
    const bTensor = rt.tensor(panel.subarray(0, k * c), transposeB ? [c, k] : [k, c]);
    for (const [r0, r] of blocks(m, rows, tiled ? widest : 1)) {
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
}

/**
 * Ordinary memory the tiles borrow from this thread's idle buffers: a kernel that held a
 * 2048² product's operand copies, panel and tile buffers gives them back when it ends, so the next
 * one does not allocate (and the collector does not chase) tens of MiB per call. Buffers are
 * borrowed, not shared: another kernel's slices may run between this one's.
 */
class Scratch {
  private readonly held: Float32Array[] = [];

  /** n elements of ordinary memory (contents undefined). */
  take(n: number): Float32Array {
    const i = idle.findIndex((buf) => buf.length >= n);
    const buf = i >= 0 ? idle.splice(i, 1)[0]! : new Float32Array(n);
    this.held.push(buf);
    return buf.subarray(0, n);
  }

  /** Gives the buffers back: those up to SCRATCH_KEEP_ELEMENTS stay idle, IDLE_BUFFERS at most. */
  release(): void {
    for (const buf of this.held) if (buf.length <= SCRATCH_KEEP_ELEMENTS) idle.push(buf);
    this.held.length = 0;
    idle.sort((x, y) => x.length - y.length);
    while (idle.length > IDLE_BUFFERS) idle.pop();
  }
}

/** This thread's idle scratch buffers, smallest first. */
const idle: Float32Array[] = [];
/** Largest buffer kept idle: 16 MiB, a 2048² operand. */
const SCRATCH_KEEP_ELEMENTS = 2048 * 2048;
const IDLE_BUFFERS = 4;

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
function* ownCopy(data: Float32Array, scratch: Scratch): Slices<Float32Array> {
  if (!(data.buffer instanceof SharedArrayBuffer)) return data;
  const out = scratch.take(data.length);
  for (let i = 0; i < data.length; i += COPY_PIECE_ELEMENTS) {
    out.set(data.subarray(i, i + COPY_PIECE_ELEMENTS), i);
    yield;
  }
  return out;
}

/** The transpose (c×r) of the row-major r×c matrix `src`, in pieces. */
function* transposed(src: Float32Array, r: number, c: number, scratch: Scratch): Slices<Float32Array> {
  const out = scratch.take(r * c);
  const step = rowsPerPiece(c, COPY_PIECE_ELEMENTS);
  for (let i0 = 0; i0 < r; i0 += step) {
    transposePart(src, c, i0, Math.min(r, i0 + step), 0, c, out.subarray(i0), r);
    yield;
  }
  return out;
}
