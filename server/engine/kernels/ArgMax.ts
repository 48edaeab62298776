// TF's ArgMax and ArgMin (core/kernels/argmax_op.cc): index of the largest/smallest element along
// an axis (first occurrence on ties; NaN counts as largest for ArgMax as in Eigen).

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, decodedInput, type ElementJob, runWhole } from "./util/element-slices.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

export function argReduce(x: Tensor, axisIn: number, isMax: boolean, outType: DataType): Tensor {
  return runWhole(argReduceJob(x, axisIn, isMax, outType));
}

/**
 * argReduce as an ElementJob (util/element-slices.ts). The input is walked once in row-major order,
 * each element compared with the best so far of its output slot: every slot still sees its axis's
 * elements in increasing index order with the same comparisons as a loop per slot, so the answer
 * is the same, and the walk can stop between any two elements.
 */
export function argReduceJob(
  x: Tensor,
  axisIn: number,
  isMax: boolean,
  outType: DataType,
): ElementJob<Tensor> {
  const rank = x.rank;
  if (axisIn < -rank || axisIn >= rank) {
    throw invalidArgument(`Expected dimension in the range [${-rank}, ${rank}), but got ${axisIn}`);
  }
  const axis = axisIn < 0 ? axisIn + rank : axisIn;
  const len = x.shape[axis]!;
  if (len === 0) throw invalidArgument(`Reduction axis ${axis} is empty in shape ${shapeString(x.shape)}`);
  const shape = x.shape.filter((_, d) => d !== axis);
  const stride = stridesOf(x.shape)[axis]!;
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const n = outer * stride;
  const big = x.data instanceof BigInt64Array || x.data instanceof BigUint64Array;
  const input = big ? { data: x.data as BigInt64Array, passes: [] } : decodedInput(x);
  const vals = input.data;
  // The best index and value so far of each output slot: scratch charged to the step.
  const best = allocData(DataType.DT_DOUBLE, n) as Float64Array;
  const bestValue = (big ? allocData(x.dtype, n) : allocData(DataType.DT_DOUBLE, n)) as {
    [i: number]: number | bigint;
  };
  // Input element i is (o, k, t) with i = (o·len + k)·stride + t; its slot is o·stride + t.
  const fold = (start: number, end: number) => {
    let t = start % stride;
    let k = Math.floor(start / stride) % len;
    let slot = Math.floor(start / (stride * len)) * stride + t;
    for (let i = start; i < end; i++) {
      const v = vals[i]!;
      // NaN never compares better (TF 2.21: argmax([1, nan, 3]) = 2).
      if (k === 0) {
        bestValue[slot] = v;
        best[slot] = 0;
      } else if (isMax ? v > bestValue[slot]! : v < bestValue[slot]!) {
        bestValue[slot] = v;
        best[slot] = k;
      }
      slot++;
      if (++t === stride) {
        t = 0;
        slot -= stride;
        if (++k === len) {
          k = 0;
          slot += stride;
        }
      }
    }
  };
  const out = allocData(outType, n, shape);
  const write = (start: number, end: number) => {
    if (outType === DataType.DT_INT64)
      for (let i = start; i < end; i++) (out as BigInt64Array)[i] = BigInt(best[i]!);
    else for (let i = start; i < end; i++) (out as Int32Array)[i] = best[i]!;
  };
  return {
    passes: [...input.passes, { n: x.numElements, run: fold, cost: 2 }, { n, run: write }],
    result: () => new Tensor(outType, shape, out),
  };
}

function config(name: "ArgMax" | "ArgMin"): KernelConfig {
  return {
    op: {
      name,
      inputs: ["input: T", "dimension: Tidx"],
      outputs: ["output: output_type"],
      attrs: [
        "T: {float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64, qint8, quint8, qint32, qint16, quint16, bool}",
        // TF widened ArgMax's index and output types; ArgMin kept int32/int64.
        name === "ArgMax" ? "Tidx: {int16, int32, int64} = DT_INT32" : "Tidx: {int32, int64} = DT_INT32",
        name === "ArgMax"
          ? "output_type: {int16, uint16, int32, int64} = DT_INT64"
          : "output_type: {int32, int64} = DT_INT64",
      ],
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", [...REAL_NUMBER_TYPES, DataType.DT_BOOL]);
      const outType = getAttrType(c.attrs, "output_type");
      return {
        compute(ctx) {
          const dim = ctx.input(1);
          if (dim.rank !== 0)
            throw invalidArgument(
              `dim must be a scalar, but received tensor of shape: ${shapeString(dim.shape)}`,
            );
          return computeJob(ctx, argReduceJob(ctx.input(0), readInts(dim)[0]!, name === "ArgMax", outType));
        },
      };
    }),
  };
}

export const argMaxConfig = config("ArgMax");
export const argMinConfig = config("ArgMin");
