// Shared pieces of TF's 3-D pooling kernels on CPU (core/kernels/pooling_ops_3d.cc): attrs with
// TF's checks, the NDHWC window geometry, and a walk over each output's window clipped to the
// input (padding never takes part: it is skipped by max and not counted by the average).

import { invalidArgument, unimplemented } from "../../framework/errors.js";
import type { OpKernelConstruction } from "../../framework/op-kernel.js";
import { type NumericArray, numElements, type Tensor } from "../../framework/tensor.js";
import type { DataType } from "../../framework/types.js";
import { getEnumAttr, getIntListAttrMin, type Padding, scratch, windowedOutputSize } from "./conv-util.js";
import {
  decodedInput,
  type ElementJob,
  type ElementPass,
  encodedOutput,
  runWhole,
} from "./element-slices.js";
import { checkTypeConstraint, T } from "./kernel-config.js";
import { computeBuffer } from "./tensor-util.js";

export const POOL3D_ATTRS = [
  "ksize: list(int) >= 5",
  "strides: list(int) >= 5",
  "padding: {'SAME', 'VALID'}",
  "data_format: {'NDHWC', 'NCDHW'} = 'NDHWC'",
];

export interface Pool3DAttrs {
  readonly ksize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
}

export function getPool3DAttrs(c: OpKernelConstruction, typeAttr = "T"): Pool3DAttrs {
  checkTypeConstraint(c, typeAttr, [T.float, T.bfloat16]);
  const ksize = getIntListAttrMin(c, "ksize", 5);
  const strides = getIntListAttrMin(c, "strides", 5);
  const padding = getEnumAttr(c, "padding", ["SAME", "VALID"] as const);
  const fmt = getEnumAttr(c, "data_format", ["NDHWC", "NCDHW"] as const);
  if (fmt !== "NDHWC") throw invalidArgument(`Default Pooling3dOp only supports NDHWC on device type CPU`);
  if (ksize.length !== 5) throw invalidArgument("Sliding window ksize field must specify 5 dimensions");
  if (strides.length !== 5) throw invalidArgument("Sliding window stride field must specify 5 dimensions");
  if (ksize[0] !== 1 || strides[0] !== 1)
    throw unimplemented("Pooling is not yet supported on the batch dimension.");
  if (ksize[4] !== 1 || strides[4] !== 1)
    throw unimplemented("Pooling is not yet supported on the depth dimension.");
  return { ksize, strides, padding };
}

export interface Pool3DGeometry {
  readonly batch: number;
  readonly in: readonly [number, number, number];
  readonly depth: number;
  readonly out: readonly [number, number, number];
  readonly before: readonly [number, number, number];
  readonly a: Pool3DAttrs;
}

export function pool3DGeometry(shape: readonly number[], a: Pool3DAttrs): Pool3DGeometry {
  if (shape.length !== 5) throw invalidArgument("tensor_in must be 5-dimensional");
  const w = [0, 1, 2].map((i) =>
    windowedOutputSize(shape[i + 1]!, a.ksize[i + 1]!, 1, a.strides[i + 1]!, a.padding),
  );
  return {
    batch: shape[0]!,
    in: [shape[1]!, shape[2]!, shape[3]!],
    depth: shape[4]!,
    out: [w[0]!.out, w[1]!.out, w[2]!.out],
    before: [w[0]!.before, w[1]!.before, w[2]!.before],
    a,
  };
}

export const pool3DOutputShape = (g: Pool3DGeometry): number[] => [g.batch, ...g.out, g.depth];

/** Output rows of a 3-D pooling: one per (batch, plane, row), each of `out[2]` output pixels. */
export const pool3DOutputRows = (g: Pool3DGeometry): number => g.batch * g.out[0] * g.out[1];

/** Work of one output row relative to a plain typed-array loop: every channel of every window. */
export const pool3DRowCost = (g: Pool3DGeometry): number =>
  g.out[2] * g.depth * g.a.ksize[1]! * g.a.ksize[2]! * g.a.ksize[3]!;

/**
 * For each output pixel (index of its first channel) calls visit(o, inputs) with the flat input
 * pixel indices (first channel) of its window, clipped to the input.
 */
export function forEachWindow(
  g: Pool3DGeometry,
  visit: (o: number, inputs: readonly number[]) => void,
): void {
  forEachWindowInRows(g, 0, pool3DOutputRows(g), visit);
}

/**
 * forEachWindow over the output rows [r0, r1) (row r = image, plane and row of the output, in
 * row-major order): rows walked in consecutive ranges visit the windows in the order of one walk.
 */
export function forEachWindowInRows(
  g: Pool3DGeometry,
  r0: number,
  r1: number,
  visit: (o: number, inputs: readonly number[]) => void,
): void {
  const [D, H, W] = g.in;
  const [od, oh, ow] = g.out;
  const [, kd, kh, kw] = g.a.ksize as [number, number, number, number];
  const [, sd, sh, sw] = g.a.strides as [number, number, number, number];
  const [pd, ph, pw] = g.before;
  const C = g.depth;
  const idx: number[] = [];
  for (let r = r0; r < r1; r++) {
    const y = r % oh;
    const z = Math.floor(r / oh) % od;
    const b = Math.floor(r / (oh * od));
    for (let x = 0; x < ow; x++) {
      idx.length = 0;
      const z0 = z * sd - pd;
      const y0 = y * sh - ph;
      const x0 = x * sw - pw;
      for (let i = Math.max(0, z0); i < Math.min(D, z0 + kd); i++) {
        for (let j = Math.max(0, y0); j < Math.min(H, y0 + kh); j++) {
          for (let k = Math.max(0, x0); k < Math.min(W, x0 + kw); k++)
            idx.push((((b * D + i) * H + j) * W + k) * C);
        }
      }
      visit((r * ow + x) * C, idx);
    }
  }
}

/**
 * A forward 3-D pooling: out[window, c] = reduce(the window's values of channel c), read from
 * x at the given flat element offsets. MaxPool3D and AvgPool3D differ only in `reduce`.
 */
export function pool3D(input: Tensor, a: Pool3DAttrs, reduce: Pool3DReduce): Tensor {
  return runWhole(pool3DJob(input, a, reduce));
}

export type Pool3DReduce = (x: NumericArray, offsets: readonly number[], c: number) => number;

/**
 * pool3D as an ElementJob (util/element-slices.ts): a pass over whole output rows (each window
 * reduced by one call), after the half/bfloat16 decoding and before the encoding.
 */
export function pool3DJob(input: Tensor, a: Pool3DAttrs, reduce: Pool3DReduce): ElementJob<Tensor> {
  const g = pool3DGeometry(input.shape, a);
  const shape = pool3DOutputShape(g);
  const decoded = decodedInput(input);
  const x = decoded.data;
  const out = computeBuffer(input.dtype, numElements(shape), shape) as NumericArray;
  const encoded = encodedOutput(input.dtype, shape, out);
  const rows: ElementPass = {
    n: pool3DOutputRows(g),
    run: (r0, r1) =>
      forEachWindowInRows(g, r0, r1, (o, window) => {
        for (let c = 0; c < g.depth; c++) out[o + c] = reduce(x, window, c);
      }),
    cost: pool3DRowCost(g),
  };
  return { passes: [...decoded.passes, rows, ...encoded.passes], result: encoded.result };
}

/**
 * A 3-D pooling gradient as an ElementJob: `scatter` adds each output pixel's gradients into `acc`
 * (float64, one slot per input element) in a pass over whole output rows in row-major order, so
 * every slot takes its terms in the order of one walk however the rows are cut; then acc is
 * stored as `dtype` (rounded to its storage, half/bfloat16 through float32 as finish does).
 * `decoding`: the passes that decode the operands `scatter` reads.
 */
export function pool3DGradJob(
  g: Pool3DGeometry,
  dtype: DataType,
  shape: readonly number[],
  decoding: readonly ElementPass[],
  scatter: (acc: Float64Array, o: number, window: readonly number[]) => void,
): ElementJob<Tensor> {
  const n = numElements(shape);
  const acc = scratch(n);
  const out = computeBuffer(dtype, n, shape) as NumericArray;
  const encoded = encodedOutput(dtype, shape, out);
  const rows: ElementPass = {
    n: pool3DOutputRows(g),
    run: (r0, r1) => forEachWindowInRows(g, r0, r1, (o, window) => scatter(acc, o, window)),
    cost: pool3DRowCost(g),
  };
  const store: ElementPass = {
    n,
    run: (s, e) => {
      for (let i = s; i < e; i++) out[i] = acc[i]!;
    },
  };
  return { passes: [...decoding, rows, store, ...encoded.passes], result: encoded.result };
}
