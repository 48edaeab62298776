// TF's Cumsum (core/kernels/scan_ops.cc): the running sum along `axis`, optionally exclusive
// and/or reversed. The accumulator is rounded to the output dtype after every step, as Eigen's
// scan does (float32 sums in float32, integers wrap).

import { invalidArgument } from "../framework/errors.js";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "../framework/float16.js";
import { getAttrBool } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { lanesOf, scalarValue } from "./util/tensor-util.js";

export type ScanKind = "sum" | "prod";

function rounder(dtype: DataType): (x: number) => number {
  switch (dtype) {
    case DataType.DT_FLOAT:
    case DataType.DT_COMPLEX64:
      return Math.fround;
    case DataType.DT_HALF:
      return (x) => halfToFloat(floatToHalf(x));
    case DataType.DT_BFLOAT16:
      return (x) => bfloat16ToFloat(floatToBfloat16(x));
    case DataType.DT_DOUBLE:
    case DataType.DT_COMPLEX128:
      return (x) => x;
    default: {
      const cell = allocData(dtype, 1) as Int32Array;
      return (x) => {
        cell[0] = x;
        return cell[0]!;
      };
    }
  }
}

/** Scans `x` along the normalised `axis`. */
export function scan(
  kind: ScanKind,
  x: Tensor,
  axisIn: number,
  exclusive: boolean,
  reverse: boolean,
): Tensor {
  return runWhole(scanJob(kind, x, axisIn, exclusive, reverse));
}

/** The running value of one line of a scan: started afresh per line, then visits its elements in scan order. */
interface LineScan {
  start(): void;
  visit(i: number): void;
}

/**
 * scan as an ElementJob (util/element-slices.ts): one pass over the steps of every line (an index of
 * the other dimensions) in line order, each line's steps in scan order. A range may end inside a
 * line: the running value stays with the job and the next range goes on from it, so every element
 * sees the same operations in the same order as in one run.
 */
export function scanJob(
  kind: ScanKind,
  x: Tensor,
  axisIn: number,
  exclusive: boolean,
  reverse: boolean,
): ElementJob<Tensor> {
  const rank = x.rank;
  if (!(axisIn >= -rank && axisIn < rank)) {
    throw invalidArgument(`ScanOp: Expected scan axis in the range [${-rank}, ${rank}), but got ${axisIn}`);
  }
  const axis = axisIn < 0 ? axisIn + rank : axisIn;
  const n = x.numElements;
  const len = x.shape[axis]!;
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = len === 0 ? 0 : n / (len * inner);
  const dt = x.dtype;
  const outData = allocData(dt, n, x.shape);
  const big = dt === DataType.DT_INT64 || dt === DataType.DT_UINT64;
  const line = big
    ? bigLineScan(kind, x, outData as BigInt64Array, exclusive)
    : numberLineScan(kind, x, outData, exclusive);
  const run = (s: number, e: number) => {
    const l = Math.floor(s / len);
    let k = s - l * len;
    let p = Math.floor(l / inner);
    let q = l - p * inner;
    for (let t = s; t < e; t++) {
      if (k === 0) line.start();
      line.visit((p * len + (reverse ? len - 1 - k : k)) * inner + q);
      if (++k === len) {
        k = 0;
        if (++q === inner) {
          q = 0;
          p++;
        }
      }
    }
  };
  return oneLoop(outer * inner * len, run, () => new Tensor(dt, x.shape, outData), 4);
}

/** int64/uint64 lines: BigInt accumulators wrapped to 64 bits after every step. */
function bigLineScan(kind: ScanKind, x: Tensor, o: BigInt64Array, exclusive: boolean): LineScan {
  const a = x.data as BigInt64Array;
  const wrap =
    x.dtype === DataType.DT_INT64
      ? (v: bigint) => BigInt.asIntN(64, v)
      : (v: bigint) => BigInt.asUintN(64, v);
  let acc = 0n;
  return {
    start: () => {
      acc = kind === "sum" ? 0n : 1n;
    },
    visit: (i) => {
      if (exclusive) {
        o[i] = acc;
        acc = wrap(kind === "sum" ? acc + a[i]! : acc * a[i]!);
      } else {
        acc = wrap(kind === "sum" ? acc + a[i]! : acc * a[i]!);
        o[i] = acc;
      }
    },
  };
}

/** Every other dtype: a number accumulator (two for complex) rounded to the dtype after every step. */
function numberLineScan(kind: ScanKind, x: Tensor, outData: Tensor["data"], exclusive: boolean): LineScan {
  const dt = x.dtype;
  const lanes = lanesOf(dt);
  const half = dt === DataType.DT_HALF || dt === DataType.DT_BFLOAT16;
  const round = rounder(dt);
  const decode = dt === DataType.DT_HALF ? halfToFloat : bfloat16ToFloat;
  const encode = dt === DataType.DT_HALF ? floatToHalf : floatToBfloat16;
  const a = x.data as unknown as ArrayLike<number>;
  const o = outData as unknown as { [i: number]: number };
  const get = half ? (i: number) => decode(a[i]!) : (i: number) => a[i]!;
  const put = half ? (i: number, v: number) => (o[i] = encode(v)) : (i: number, v: number) => (o[i] = v);
  const isInt32 = dt === DataType.DT_INT32 || dt === DataType.DT_UINT32;
  const mul = isInt32
    ? (u: number, v: number) => round(Math.imul(u, v))
    : (u: number, v: number) => round(u * v);
  let re = 0;
  let im = 0;
  const write = (i: number) => {
    put(i * lanes, re);
    if (lanes === 2) put(i * lanes + 1, im);
  };
  return {
    start: () => {
      re = kind === "sum" ? 0 : 1;
      im = 0;
    },
    visit: (i) => {
      if (exclusive) write(i);
      if (lanes === 2) {
        const br = a[2 * i]!;
        const bi = a[2 * i + 1]!;
        if (kind === "sum") {
          re = round(re + br);
          im = round(im + bi);
        } else {
          const r = round(re * br - im * bi);
          im = round(re * bi + im * br);
          re = r;
        }
      } else {
        re = kind === "sum" ? round(re + get(i)) : mul(re, get(i));
      }
      if (!exclusive) write(i);
    },
  };
}

export function scanConfig(name: "Cumsum" | "Cumprod", kind: ScanKind): KernelConfig {
  return {
    op: {
      name,
      inputs: ["x: T", "axis: Tidx"],
      outputs: ["out: T"],
      attrs: [
        "exclusive: bool = false",
        "reverse: bool = false",
        "T: numbertype",
        "Tidx: {int32, int64} = DT_INT32",
      ],
    },
    kernel: cpuKernel(name, (c) => {
      const exclusive = getAttrBool(c.attrs, "exclusive");
      const reverse = getAttrBool(c.attrs, "reverse");
      return {
        compute(ctx) {
          const axis = ctx.input(1);
          if (axis.rank !== 0) {
            throw invalidArgument(`ScanOp: axis must be a scalar, not ${shapeString(axis.shape)}`);
          }
          return computeJob(ctx, scanJob(kind, ctx.input(0), scalarValue(axis), exclusive, reverse));
        },
      };
    }),
  };
}

export const cumsumConfig: KernelConfig = scanConfig("Cumsum", "sum");
