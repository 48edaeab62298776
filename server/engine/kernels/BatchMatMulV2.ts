// TF's BatchMatMulV2 (core/kernels/matmul_op_impl.h, BaseBatchMatMulOp): matrix products over the
// last two dimensions with broadcasting batch dimensions; adj_x/adj_y transpose (and conjugate,
// for complex) the matrices. Large float32 products run on onnxruntime whole (its MatMul broadcasts
// batch dimensions as V2 does, util/dense-kernel.ts); otherwise each float32 matrix product runs on
// XNNPACK when it is large enough (MatMul.ts), broadcasting and batching staying here. Large
// products run in slices (util/slices.ts): batch by batch, each product by rows.

import { broadcastShapes, broadcastStrides, stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { allocData, type NumericArray, shapeString, Tensor } from "../framework/tensor.js";
import { DataType, isComplexType } from "../framework/types.js";
import { matMulSlices } from "./MatMul.js";
import { denseKernel } from "./util/dense-kernel.js";
import {
  COMPLEX_TYPES,
  checkTypeConstraint,
  cpuKernel,
  FLOAT_TYPES,
  type KernelConfig,
  T,
} from "./util/kernel-config.js";
import { ortBatchMatMulSlices } from "./util/ort-slices.js";
import { drainSync, JS_PIECE_MACS, outputSlices, rowsPerPiece, type Slices } from "./util/slices.js";
import { lanesOf } from "./util/tensor-util.js";

function conjugate(t: Tensor): Tensor {
  const d = Float64Array.from(t.data as Float64Array);
  for (let i = 1; i < d.length; i += 2) d[i] = -d[i]!;
  const out = allocData(t.dtype, t.numElements, t.shape) as Float64Array;
  out.set(d);
  return new Tensor(t.dtype, t.shape, out);
}

/**
 * The result's batch dimensions and matrix size of x · y (adjX/adjY applied), checked with TF
 * 2.21's BatchMatMul texts (checked with a real TF client by test/tf-differential.test.ts).
 */
export function batchMatMulShape(
  x: Tensor,
  y: Tensor,
  adjX: boolean,
  adjY: boolean,
): { batch: number[]; d0: number; d1: number; d3: number } {
  if (x.rank < 2) throw invalidArgument(`In[0] ndims must be >= 2: ${x.rank}`);
  if (y.rank < 2) throw invalidArgument(`In[1] ndims must be >= 2: ${y.rank}`);
  let batch: number[];
  try {
    batch = broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2));
  } catch {
    throw invalidArgument(
      `In[0] and In[1] must have compatible batch dimensions: ${shapeString(x.shape)} vs. ${shapeString(y.shape)}`,
    );
  }
  let [d0, d1] = x.shape.slice(-2) as [number, number];
  let [d2, d3] = y.shape.slice(-2) as [number, number];
  if (adjX) [d0, d1] = [d1, d0];
  if (adjY) [d2, d3] = [d3, d2];
  if (d1 !== d2) {
    throw invalidArgument(
      `Matrix size-incompatible: In[0]: ${shapeString(x.shape)}, In[1]: ${shapeString(y.shape)}`,
    );
  }
  return { batch, d0, d1, d3 };
}

/**
 * x · y over the last two dimensions, batch dimensions broadcast. adjX/adjY transpose a side and,
 * for complex types, conjugate it too unless `conjugateAdjoints` is false (plain transposes, as
 * TF's Einsum asks for).
 */
export function batchMatMul(
  x: Tensor,
  y: Tensor,
  adjX = false,
  adjY = false,
  conjugateAdjoints = true,
): Tensor {
  return drainSync(batchMatMulSlices(x, y, adjX, adjY, conjugateAdjoints));
}

/** batchMatMul as slices (util/slices.ts): each matrix product is cut into row slices. */
export function* batchMatMulSlices(
  x: Tensor,
  y: Tensor,
  adjX = false,
  adjY = false,
  conjugateAdjoints = true,
): Slices<Tensor> {
  const { batch, d0, d1, d3 } = batchMatMulShape(x, y, adjX, adjY);
  const nb = batch.reduce((a, b) => a * b, 1);
  // Small matrices never fill a piece of their own: many of them make one.
  const perPiece = rowsPerPiece(d0 * d1 * d3 + d0 * d3, JS_PIECE_MACS);
  const shape = [...batch, d0, d3];
  const lanes = lanesOf(x.dtype);
  const out = allocData(x.dtype, nb * d0 * d3, shape) as NumericArray;
  const xs = broadcastStrides(x.shape.slice(0, -2), batch);
  const ys = broadcastStrides(y.shape.slice(0, -2), batch);
  const os = stridesOf(batch);
  const xm = x.shape.slice(-2);
  const ym = y.shape.slice(-2);
  const xSize = xm[0]! * xm[1]! * lanes;
  const ySize = ym[0]! * ym[1]! * lanes;
  for (let b = 0; b < nb; b++) {
    let rem = b;
    let xi = 0;
    let yi = 0;
    for (let d = 0; d < batch.length; d++) {
      const k = Math.floor(rem / os[d]!);
      rem -= k * os[d]!;
      xi += k * xs[d]!;
      yi += k * ys[d]!;
    }
    const xd = (x.data as NumericArray).subarray(xi * xSize, (xi + 1) * xSize);
    const yd = (y.data as NumericArray).subarray(yi * ySize, (yi + 1) * ySize);
    let xt = new Tensor(x.dtype, xm, xd);
    let yt = new Tensor(y.dtype, ym, yd);
    if (isComplexType(x.dtype) && conjugateAdjoints) {
      if (adjX) xt = conjugate(xt);
      if (adjY) yt = conjugate(yt);
    }
    const p = yield* matMulSlices(xt, yt, adjX, adjY);
    (out as Float64Array).set(p.data as Float64Array, b * d0 * d3 * lanes);
    if (b % perPiece === perPiece - 1) yield;
  }
  return new Tensor(x.dtype, shape, out);
}

/** TF's BatchMatMul (v1) ValidateInputTensors: equal ranks and batch dimensions, no broadcasting. */
function checkBatchMatMulV1(x: Tensor, y: Tensor): void {
  if (x.rank !== y.rank) {
    throw invalidArgument(
      `In[0] and In[1] has different ndims: ${shapeString(x.shape)} vs. ${shapeString(y.shape)}`,
    );
  }
  if (x.rank < 2) throw invalidArgument(`In[0] and In[1] ndims must be >= 2: ${x.rank}`);
  for (let i = 0; i < x.rank - 2; i++) {
    if (x.shape[i] !== y.shape[i]) {
      throw invalidArgument(
        `In[0].dim(${i}) and In[1].dim(${i}) must be the same: ${shapeString(x.shape)} vs ${shapeString(y.shape)}`,
      );
    }
  }
}

/** Multiply-adds of all the node's matrix products (throws on bad shapes). */
function batchMatMulMacs(x: Tensor, y: Tensor, adjX: boolean, adjY: boolean): number {
  const { batch, d0, d1, d3 } = batchMatMulShape(x, y, adjX, adjY);
  return batch.reduce((a, b) => a * b, 1) * d0 * d1 * d3;
}

function config(name: "BatchMatMulV2" | "BatchMatMul"): KernelConfig {
  return {
    op: {
      name,
      inputs: ["x: T", "y: T"],
      outputs: ["output: T"],
      attrs: [
        // The legacy BatchMatMul allows fewer integer types than V2 (TF's math_ops.cc).
        name === "BatchMatMul"
          ? "T: {bfloat16, half, float, double, int32, int64, complex64, complex128}"
          : "T: {bfloat16, half, float, double, int16, int32, int64, uint8, uint16, uint32, uint64, complex64, complex128}",
        "adj_x: bool = false",
        "adj_y: bool = false",
        "grad_x: bool = false",
        "grad_y: bool = false",
      ],
    },
    kernel: cpuKernel(name, (c) => {
      const dt = checkTypeConstraint(c, "T", [
        ...FLOAT_TYPES,
        ...COMPLEX_TYPES,
        T.int16,
        T.int32,
        T.int64,
        T.uint8,
        T.uint16,
        T.uint32,
        T.uint64,
      ]);
      const adjX = getAttrBool(c.attrs, "adj_x");
      const adjY = getAttrBool(c.attrs, "adj_y");
      return denseKernel(dt === DataType.DT_FLOAT, {
        macs: (ctx) => batchMatMulMacs(ctx.input(0), ctx.input(1), adjX, adjY),
        compute: (ctx) => {
          const x = ctx.input(0);
          const y = ctx.input(1);
          if (name === "BatchMatMul") checkBatchMatMulV1(x, y);
          return outputSlices(ctx, batchMatMulSlices(x, y, adjX, adjY));
        },
        native: (ctx, rt) => {
          const x = ctx.input(0);
          const y = ctx.input(1);
          if (name === "BatchMatMul") checkBatchMatMulV1(x, y);
          const { batch, d0, d3 } = batchMatMulShape(x, y, adjX, adjY);
          return ortBatchMatMulSlices(rt, x, y, adjX, adjY, [...batch, d0, d3]);
        },
      });
    }),
  };
}

export const batchMatMulV2Config = config("BatchMatMulV2");
export const batchMatMulConfig = config("BatchMatMul");
