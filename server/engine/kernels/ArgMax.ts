// TF's ArgMax and ArgMin (core/kernels/argmax_op.cc): index of the largest/smallest element along
// an axis (first occurrence on ties; NaN counts as largest for ArgMax as in Eigen).

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { numericData, readInts } from "./util/tensor-util.js";

export function argReduce(x: Tensor, axisIn: number, isMax: boolean, outType: DataType): Tensor {
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
  const vals = big ? (x.data as BigInt64Array) : numericData(x);
  const out = allocData(outType, n, shape);
  for (let o = 0; o < outer; o++) {
    for (let s = 0; s < stride; s++) {
      const base = o * len * stride + s;
      let best = 0;
      let bv = vals[base]!;
      for (let k = 1; k < len; k++) {
        const v = vals[base + k * stride]!;
        // NaN never compares better (TF 2.21: argmax([1, nan, 3]) = 2).
        if (isMax ? v > bv : v < bv) {
          best = k;
          bv = v;
        }
      }
      const i = o * stride + s;
      if (outType === DataType.DT_INT64) (out as BigInt64Array)[i] = BigInt(best);
      else (out as Int32Array)[i] = best;
    }
  }
  return new Tensor(outType, shape, out);
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
          ctx.setOutput(0, argReduce(ctx.input(0), readInts(dim)[0]!, name === "ArgMax", outType));
        },
      };
    }),
  };
}

export const argMaxConfig = config("ArgMax");
export const argMinConfig = config("ArgMin");
