// TF's Einsum (core/kernels/linalg/einsum_op_impl.h, EinsumOp): a tensor contraction over one or
// two operands described by an equation (einsum-equation.ts). Like TF it runs in three phases:
//   1. each operand is arranged as [broadcasting..., batch..., free, contract]: dimensions sorted
//      by type, repeated labels reduced to their diagonal and reduce labels summed away;
//   2. the two operands are multiplied as batched matrices (BatchMatMulV2's batchMatMul, so large
//      float32 products run on XNNPACK), with transposes instead of copies where an operand
//      already has its contract dimensions before its free ones;
//   3. the product is reshaped to its labels, inflated onto a diagonal for repeated output labels
//      (i->ii, which gradients produce) and transposed to the output subscript's order.
// Phase 1's transpose and diagonal are one strided copy here (TF does two), and are skipped when
// the operand is already in order, as in TF.

import { broadcastShapes, broadcastStrides, forEachBroadcastRunIn, stridesOf } from "../framework/bcast.js";
import { invalidArgument, unimplemented } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { type NumericArray, numElements, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { batchMatMulSlices } from "./BatchMatMulV2.js";
import { transpose } from "./Transpose.js";
import {
  Dim,
  type EinsumDims,
  type EinsumEquation,
  parseEinsumEquation,
  processEinsumDims,
} from "./util/einsum-equation.js";
import {
  COMPLEX_TYPES,
  checkTypeConstraint,
  cpuKernel,
  FLOAT_TYPES,
  type KernelConfig,
  T,
} from "./util/kernel-config.js";
import { pacedCompute } from "./util/paced-slices.js";
import { reduce, reductionPlan } from "./util/reduction.js";
import { drainSync, JS_PIECE_MACS, rowsPerPiece, type Slices } from "./util/slices.js";
import {
  allocIndexable,
  computeBuffer,
  finish,
  intVector,
  lanesOf,
  numericData,
  storage,
  stridedCopy,
  withShape,
} from "./util/tensor-util.js";
import { xnnKernel } from "./util/xnn.js";

/** TF's StrideFunctor/InflateFunctor are instantiated up to this rank. */
const MAX_DIAGONAL_RANK = 6;

function checkDiagonalRank(rank: number): void {
  if (rank > MAX_DIAGONAL_RANK) {
    throw unimplemented(
      `Unsupported rank: ${rank} while handling repeated indices. Up to rank ${MAX_DIAGONAL_RANK} is supported.`,
    );
  }
}

/** The dimension order TF's ShouldSwapFreeAndContract accepts: contract sorts before free. */
const SWAPPED_ORDER: readonly number[] = [0, 1, 3, 2, 4];

/**
 * True when the operand's labels already run batch, contract, free, reduce (labels ascending
 * within a type): then it is multiplied transposed instead of being rearranged.
 */
function shouldSwapFreeAndContract(labels: readonly number[], types: readonly Dim[]): boolean {
  for (let i = 0; i + 1 < labels.length; i++) {
    const a = SWAPPED_ORDER[types[labels[i]!]!]!;
    const b = SWAPPED_ORDER[types[labels[i + 1]!]!]!;
    if (a > b || (a === b && labels[i]! > labels[i + 1]!)) return false;
  }
  return true;
}

interface Operand {
  /** [broadcasting..., batch..., rows, cols]: rows×cols is free×contract, or contract×free if swapped. */
  readonly tensor: Tensor;
  readonly swapped: boolean;
  /** The free labels in the order they occupy the free dimension. */
  readonly freeLabels: number[];
}

/** Phase 1 for one operand (TF's ReduceOperand). */
function reduceOperand(
  x: Tensor,
  labels: readonly number[],
  counts: readonly number[],
  dims: EinsumDims,
): Operand {
  const { types } = dims;
  const rank = x.rank;
  const swapped = shouldSwapFreeAndContract(labels, types);
  const perm = Array.from({ length: rank }, (_, i) => i);
  if (!swapped) {
    perm.sort((i, j) => {
      const li = labels[i]!;
      const lj = labels[j]!;
      return types[li]! - types[lj]! || li - lj;
    });
  }
  // The distinct labels in their new order (repeats are adjacent after sorting), each with its
  // size and the sum of the strides of its axes: striding by that walks the diagonal.
  const inStrides = stridesOf(x.shape);
  const order: number[] = [];
  const shape: number[] = [];
  const strides: number[] = [];
  for (const axis of perm) {
    const label = labels[axis]!;
    if (order.length > 0 && order[order.length - 1] === label) {
      strides[strides.length - 1]! += inStrides[axis]!;
      continue;
    }
    order.push(label);
    shape.push(x.shape[axis]!);
    strides.push(inStrides[axis]!);
  }
  const hasRepeats = counts.some((c) => c > 1);
  if (hasRepeats) checkDiagonalRank(order.length);
  const identity = perm.every((p, i) => p === i);
  let arranged = x;
  if (hasRepeats || (!identity && rank >= 2)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const out = allocIndexable(x.dtype, n, shape);
    stridedCopy(storage(x), strides, 0, out, 0, shape, lanesOf(x.dtype));
    arranged = new Tensor(x.dtype, shape, out as unknown as Tensor["data"]);
  }
  // Compact to [broadcasting..., batch..., free, contract] (swapped: contract, free), summing the
  // trailing reduce dimensions.
  const sizes = [1, 1, 1, 1, 1];
  const outShape: number[] = [];
  const freeLabels: number[] = [];
  order.forEach((label, k) => {
    const t = types[label]!;
    if (t === Dim.Broadcasting || t === Dim.Batch) outShape.push(shape[k]!);
    else if (t === Dim.Free) freeLabels.push(label);
    sizes[t]! *= shape[k]!;
  });
  const rows = swapped ? sizes[Dim.Contract]! : sizes[Dim.Free]!;
  const cols = swapped ? sizes[Dim.Free]! : sizes[Dim.Contract]!;
  outShape.push(rows, cols);
  const reduceSize = sizes[Dim.Reduce]!;
  if (reduceSize === 1) return { tensor: withShape(arranged, outShape), swapped, freeLabels };
  const outer = outShape.reduce((a, b) => a * b, 1);
  const flat = withShape(arranged, [outer, reduceSize]);
  const summed = reduce("sum", flat, reductionPlan(flat.shape, intVector(DataType.DT_INT32, [1]), false));
  return { tensor: withShape(summed, outShape), swapped, freeLabels };
}

/** The batch dimensions of an operand (all but its last two). */
const batchOf = (t: Tensor) => t.shape.slice(0, -2);

/** Phase 2 (TF's ContractOperands): the batched product, batch dimensions broadcast. */
function* contractOperands(ops: readonly Operand[]): Slices<Tensor> {
  if (ops.length === 1) return ops[0]!.tensor;
  const [a, b] = ops as [Operand, Operand];
  let batch: number[];
  try {
    batch = broadcastShapes(batchOf(a.tensor), batchOf(b.tensor));
  } catch {
    throw invalidArgument(
      `In[0] and In[1] must have compatible batch dimensions: ${shapeString(a.tensor.shape)} vs. ${shapeString(b.tensor.shape)}`,
    );
  }
  const freeDim = (o: Operand) => o.tensor.shape[o.tensor.rank - (o.swapped ? 1 : 2)]!;
  const shape = [...batch, freeDim(a), freeDim(b)];
  if (a.tensor.numElements === 0 || b.tensor.numElements === 0) return Tensor.zeros(a.tensor.dtype, shape);
  const small = yield* smallBatchedProduct(a, b, batch, shape);
  if (small) return small;
  // Plain transposes (never conjugates): a is used as [.., free, contract], b as [.., contract, free].
  const product = yield* batchMatMulSlices(a.tensor, b.tensor, a.swapped, !b.swapped, false);
  return withShape(product, shape);
}

/** Per-matrix multiply-adds up to which many tiny products skip batchMatMul's per-matrix setup. */
const SMALL_PRODUCT_MACS = 1024;

/**
 * The batched product for real floating types when each matrix product is tiny (element-wise
 * products, row-wise dot products: "ij,ij->ij" is a million 1×1·1×1 products), in one loop
 * accumulating in float64. Undefined when batchMatMul should do it.
 */
function* smallBatchedProduct(
  a: Operand,
  b: Operand,
  batch: number[],
  shape: number[],
): Slices<Tensor | undefined> {
  const dt = a.tensor.dtype;
  if (!FLOAT_TYPES.includes(dt)) return undefined;
  const [m, n] = shape.slice(-2) as [number, number];
  const ar = a.tensor.shape.slice(-2) as [number, number];
  const k = a.swapped ? ar[0] : ar[1];
  if (m * k * n > SMALL_PRODUCT_MACS) return undefined;
  const x = numericData(a.tensor);
  const y = numericData(b.tensor);
  // Element (i, p) of a and (p, j) of b within one matrix, for either arrangement.
  const [ai, ap] = a.swapped ? [1, m] : [k, 1];
  const [bp, bj] = b.swapped ? [n, 1] : [1, k];
  const mk = m * k;
  const kn = k * n;
  const mn = m * n;
  const out = computeBuffer(dt, numElements(shape), shape) as NumericArray;
  const run = (o: number, xa: number, yb: number) => {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += x[xa + i * ai + p * ap]! * y[yb + p * bp + j * bj]!;
        out[o + i * n + j] = sum;
      }
    }
  };
  const as = broadcastStrides(batchOf(a.tensor), batch);
  const bs = broadcastStrides(batchOf(b.tensor), batch);
  const body = (o: number, xa: number, yb: number, count: number, aStep: number, bStep: number) => {
    for (let c = 0; c < count; c++) run((o + c) * mn, (xa + c * aStep) * mk, (yb + c * bStep) * kn);
  };
  // Consecutive ranges of the batch walk it as one run would (forEachBroadcastRunIn).
  const total = numElements(batch);
  const step = rowsPerPiece(mn * k + mn, JS_PIECE_MACS);
  for (let start = 0; start < total; start += step) {
    forEachBroadcastRunIn(batch, as, bs, start, Math.min(total, start + step), body);
    if (start + step < total) yield;
  }
  return finish(dt, shape, out);
}

/**
 * Writes src (shape `shape`, row-major) into dst at offsets Σ idx[d]·dstStrides[d]: the reverse of
 * stridedCopy, used to place values on a diagonal.
 */
function scatterStrided(
  src: ArrayLike<unknown>,
  dst: { [i: number]: unknown },
  shape: readonly number[],
  dstStrides: readonly number[],
  lanes: number,
): void {
  const rank = shape.length;
  const total = shape.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(rank).fill(0);
  let o = 0;
  for (let i = 0; i < total; i++) {
    for (let l = 0; l < lanes; l++) dst[o * lanes + l] = src[i * lanes + l];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      o += dstStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      o -= dstStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * Phase 3's inflation (TF's StrideOrInflate with should_inflate): each label of `labels` repeated
 * counts[label] times, the values on the diagonal and zeros elsewhere. Returns the new labels too.
 */
function inflate(x: Tensor, labels: readonly number[], counts: readonly number[]): [Tensor, number[]] {
  if (counts.every((c) => c <= 1)) return [x, [...labels]];
  checkDiagonalRank(labels.length);
  const shape: number[] = [];
  const inflatedLabels: number[] = [];
  labels.forEach((label, k) => {
    for (let c = 0; c < counts[label]!; c++) {
      shape.push(x.shape[k]!);
      inflatedLabels.push(label);
    }
  });
  const outStrides = stridesOf(shape);
  const diagStrides: number[] = [];
  let axis = 0;
  for (const label of labels) {
    let s = 0;
    for (let c = 0; c < counts[label]!; c++) s += outStrides[axis++]!;
    diagStrides.push(s);
  }
  const out = Tensor.zeros(x.dtype, shape);
  scatterStrided(
    x.data as ArrayLike<unknown>,
    out.data as unknown as { [i: number]: unknown },
    x.shape,
    diagStrides,
    lanesOf(x.dtype),
  );
  return [out, inflatedLabels];
}

/** TF's Einsum on already parsed `eq`. */
export function einsumParsed(eq: EinsumEquation, inputs: readonly Tensor[]): Tensor {
  return drainSync(einsumSlices(eq, inputs));
}

/**
 * einsumParsed with its contraction in slices (the batched product's, util/slices.ts); the
 * reductions, diagonals and transposes around it run whole.
 */
export function* einsumSlices(eq: EinsumEquation, inputs: readonly Tensor[]): Slices<Tensor> {
  const dims = processEinsumDims(
    eq,
    inputs.map((t) => t.shape),
  );
  const ops = inputs.map((x, i) => reduceOperand(x, dims.inputLabels[i]!, dims.inputCounts[i]!, dims));
  const product = yield* contractOperands(ops);
  // The product's labels: broadcasting, then batch (each ascending), then every operand's free ones.
  const numLabels = dims.types.length;
  const resultLabels: number[] = [];
  for (const t of [Dim.Broadcasting, Dim.Batch]) {
    for (let l = 0; l < numLabels; l++) if (dims.types[l] === t) resultLabels.push(l);
  }
  const resultShape = product.shape.slice(0, -2);
  for (const o of ops) {
    for (const l of o.freeLabels) {
      resultLabels.push(l);
      resultShape.push(dims.labelSizes[l]!);
    }
  }
  const [inflated, labels] = inflate(withShape(product, resultShape), resultLabels, dims.outputCounts);
  // Map result positions to output positions; repeated labels keep their left-to-right order.
  const position = new Array<number>(numLabels).fill(-1);
  labels.forEach((l, i) => {
    if (position[l] === -1) position[l] = i;
  });
  const perm = dims.outputLabels.map((l) => position[l]!++);
  if (inflated.rank < 2 || perm.every((p, i) => p === i)) return inflated;
  return transpose(inflated, perm);
}

export function einsum(equation: string, inputs: readonly Tensor[]): Tensor {
  return einsumParsed(parseEinsumEquation(equation), inputs);
}

/**
 * Multiply-adds of the whole contraction: every named label's size multiplied, times the largest
 * input's broadcasting (ellipsis) dimensions. 0 when the shapes do not fit the equation (the
 * kernel then fails at once).
 */
function einsumWork(eq: EinsumEquation, inputs: readonly Tensor[]): number {
  let dims: EinsumDims;
  try {
    dims = processEinsumDims(
      eq,
      inputs.map((t) => t.shape),
    );
  } catch {
    return 0;
  }
  const named = dims.labelSizes.length;
  const broadcast = inputs.map((t, i) =>
    dims.inputLabels[i]!.reduce((p, l, axis) => (l >= named ? p * t.shape[axis]! : p), 1),
  );
  return dims.labelSizes.reduce((a, b) => a * b, 1) * Math.max(1, ...broadcast);
}

/** Multiply-adds of one matrix product of the contraction (free × contract × free sizes). */
function einsumMacs(eq: EinsumEquation, ctx: OpKernelContext): number {
  const inputs = Array.from({ length: ctx.numInputs }, (_, i) => ctx.input(i).shape);
  const dims = processEinsumDims(eq, inputs);
  let macs = 1;
  dims.types.forEach((t, l) => {
    if (t === Dim.Free || t === Dim.Contract) macs *= dims.labelSizes[l]!;
  });
  return inputs.length === 2 ? macs : 0;
}

export const einsumConfig: KernelConfig = {
  op: {
    name: "Einsum",
    inputs: ["inputs: N * T"],
    outputs: ["output: T"],
    attrs: ["equation: string", "N: int >= 1", "T: type"],
  },
  kernel: cpuKernel("Einsum", (c) => {
    const dt = checkTypeConstraint(c, "T", [...FLOAT_TYPES, ...COMPLEX_TYPES, T.int32, T.int64]);
    const eq = parseEinsumEquation(getAttrString(c.attrs, "equation"));
    return xnnKernel(
      dt === DataType.DT_FLOAT,
      (ctx) => einsumMacs(eq, ctx),
      (ctx) => {
        const inputs = Array.from({ length: ctx.numInputs }, (_, i) => ctx.input(i));
        return pacedCompute(ctx, einsumWork(eq, inputs), function* () {
          return [yield* einsumSlices(eq, inputs)];
        });
      },
    );
  }),
};
