// TF's MaxPoolWithArgmax on CPU (core/kernels/maxpooling_op.cc MaxPoolingWithArgmaxOp): NHWC max
// pooling that also returns where each maximum came from, as a flat index into the input
// ((y·width + x)·channels + c, plus the batch offset when include_batch_in_index). Ties and NaN
// resolve as in MaxPool (the first maximum in row-major order wins).

import { invalidArgument, unimplemented } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { allocData, type NumericArray, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { getEnumAttr, getIntListAttrMin } from "./util/conv-util.js";
import {
  computeJobOutputs,
  decodedInput,
  type ElementJob,
  type ElementPass,
  encodedOutput,
  runWhole,
} from "./util/element-slices.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
  T,
} from "./util/kernel-config.js";
import { maxPoolArgmaxRows, type PoolAttrs, poolGeometry } from "./util/pooling-util.js";
import { computeBuffer } from "./util/tensor-util.js";

export const ARGMAX_POOL_T =
  "T: {float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64}";

export const ARGMAX_POOL_ATTRS = [
  "ksize: list(int) >= 4",
  "strides: list(int) >= 4",
  "padding: {'SAME', 'VALID'}",
  "include_batch_in_index: bool = false",
];

export function maxPoolWithArgmax(
  input: Tensor,
  a: PoolAttrs,
  includeBatch: boolean,
  argType: DataType,
): [Tensor, Tensor] {
  return runWhole(maxPoolWithArgmaxJob(input, a, includeBatch, argType));
}

/**
 * maxPoolWithArgmax as an ElementJob (util/element-slices.ts): the argmax of each window in passes
 * over whole output rows (a window is always scanned by one call), then both outputs.
 */
export function maxPoolWithArgmaxJob(
  input: Tensor,
  a: PoolAttrs,
  includeBatch: boolean,
  argType: DataType,
): ElementJob<[Tensor, Tensor]> {
  if (input.rank !== 4) throw invalidArgument("tensor_in must be 4-dimensional (2)");
  if (input.numElements === 0) throw invalidArgument("tensor_in must not be empty (2)");
  const g = poolGeometry(input.shape, a);
  const shape = [g.batch, g.outRows, g.outCols, g.depth];
  const n = shape.reduce((x, y) => x * y, 1);
  const big = input.dtype === DataType.DT_INT64 || input.dtype === DataType.DT_UINT64;
  const decoded = big ? { data: input.data as BigInt64Array, passes: [] } : decodedInput(input);
  const x = decoded.data as ArrayLike<number | bigint>;
  const arg = new Int32Array(n).fill(-1);
  const argmax: ElementPass = {
    n: g.batch * g.outRows,
    run: (r0, r1) => maxPoolArgmaxRows(x, g, arg, r0, r1),
    cost: g.outCols * g.depth * g.windowRows * g.windowCols,
  };
  const perBatch = g.inRows * g.inCols * g.depth;
  const outArg = allocData(argType, n, shape) as BigInt64Array | Int32Array;
  const perOut = n / g.batch;
  // An int64 argmax (the default) written as two 32-bit words: the bits of BigInt(i) for an int32 i,
  // without making a BigInt per element.
  const words =
    outArg instanceof BigInt64Array ? new Int32Array(outArg.buffer, outArg.byteOffset, 2 * n) : undefined;
  const out = (big ? allocData(input.dtype, n, shape) : computeBuffer(input.dtype, n, shape)) as {
    [i: number]: number | bigint;
  };
  const encoded = big
    ? { passes: [], result: () => new Tensor(input.dtype, shape, out as BigInt64Array) }
    : encodedOutput(input.dtype, shape, out as NumericArray);
  const write = (s: number, e: number) => {
    for (let o = s; o < e; o++) {
      const i = includeBatch ? arg[o]! : arg[o]! - Math.floor(o / perOut) * perBatch;
      if (words) {
        words[2 * o] = i;
        words[2 * o + 1] = i < 0 ? -1 : 0;
      } else outArg[o] = i;
      out[o] = x[arg[o]!]!;
    }
  };
  return {
    passes: [...decoded.passes, argmax, { n, run: write }, ...encoded.passes],
    result: () => [encoded.result(), new Tensor(argType, shape, outArg)],
  };
}

/** Reads the shared attrs with TF's constructor checks (4 ksize/strides, no batch pooling). */
export function argmaxPoolAttrs(
  c: OpKernelConstruction,
  argTypes: readonly DataType[],
): { a: PoolAttrs; includeBatch: boolean; argType: DataType } {
  checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
  const argType = checkTypeConstraint(c, "Targmax", argTypes);
  const ksize = getIntListAttrMin(c, "ksize", 4);
  const strides = getIntListAttrMin(c, "strides", 4);
  const padding = getEnumAttr(c, "padding", ["SAME", "VALID"] as const);
  if (ksize.length !== 4) throw invalidArgument("Sliding window ksize field must specify 4 dimensions");
  if (strides.length !== 4) throw invalidArgument("Sliding window stride field must specify 4 dimensions");
  if (ksize[0] !== 1 || strides[0] !== 1) {
    throw unimplemented("Pooling is not yet supported on the batch dimension.");
  }
  return {
    a: { ksize, strides, padding, explicitPaddings: [] },
    includeBatch: getAttrBool(c.attrs, "include_batch_in_index"),
    argType,
  };
}

export const maxPoolWithArgmaxConfig: KernelConfig = {
  op: {
    name: "MaxPoolWithArgmax",
    inputs: ["input: T"],
    outputs: ["output: T", "argmax: Targmax"],
    attrs: [
      ARGMAX_POOL_ATTRS[0]!,
      ARGMAX_POOL_ATTRS[1]!,
      "Targmax: {int32, int64} = DT_INT64",
      ARGMAX_POOL_ATTRS[2]!,
      ARGMAX_POOL_ATTRS[3]!,
      ARGMAX_POOL_T,
    ],
  },
  kernel: cpuKernel("MaxPoolWithArgmax", (c) => {
    const { a, includeBatch, argType } = argmaxPoolAttrs(c, [T.int32, T.int64]);
    return {
      compute: (ctx) => computeJobOutputs(ctx, maxPoolWithArgmaxJob(ctx.input(0), a, includeBatch, argType)),
    };
  }),
};
