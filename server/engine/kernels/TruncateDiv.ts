// TF's TruncateDiv (core/kernels/cwise_op_div.cc): x / y rounded toward zero (C++ integer division
// for integers, trunc(x / y) for floats) with broadcasting.
//
// The float quotient is rounded to the tensor's precision before truncating, as TF computes it in
// that precision: trunc of the double quotient would differ when it lies just below an integer
// that the float32 quotient rounds up to. TF's integer kernel reports division by zero through
// its generic binary-op error path, an INTERNAL error (observed with TF 2.21).

import { internal } from "../framework/errors.js";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "../framework/float16.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type BinaryFns, binaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import {
  checkTypeConstraint,
  cpuKernel,
  FLOAT_TYPES,
  INT_TYPES,
  type KernelConfig,
} from "./util/kernel-config.js";

function divisionByZero(): Error {
  return internal("Unexpected error in binary operator (only integer div and mod should have errors)");
}

const roundTo: Partial<Record<DataType, (v: number) => number>> = {
  [DataType.DT_FLOAT]: Math.fround,
  [DataType.DT_HALF]: (v) => halfToFloat(floatToHalf(Math.fround(v))),
  [DataType.DT_BFLOAT16]: (v) => bfloat16ToFloat(floatToBfloat16(Math.fround(v))),
};

function truncateDivFns(dtype: DataType): BinaryFns {
  const round = roundTo[dtype] ?? ((v: number) => v);
  return {
    float: (a, b) => Math.trunc(round(a / b)),
    int: (a, b) => {
      if (b === 0) throw divisionByZero();
      return Math.trunc(a / b);
    },
    bigint: (a, b) => {
      if (b === 0n) throw divisionByZero();
      return a / b;
    },
  };
}

export function truncateDiv(x: Tensor, y: Tensor): Tensor {
  return runWhole(truncateDivJob(x, y));
}

/** truncateDiv as an ElementJob (util/element-slices.ts). */
export function truncateDivJob(x: Tensor, y: Tensor): ElementJob<Tensor> {
  return binaryJob("TruncateDiv", x, y, truncateDivFns(x.dtype));
}

export const truncateDivConfig: KernelConfig = {
  op: {
    name: "TruncateDiv",
    inputs: ["x: T", "y: T"],
    outputs: ["z: T"],
    attrs: [
      "T: {bfloat16, half, float, double, uint8, int8, uint16, int16, int32, uint32, uint64, int64, complex64, complex128}",
    ],
  },
  kernel: cpuKernel("TruncateDiv", (c) => {
    checkTypeConstraint(c, "T", [...FLOAT_TYPES, ...INT_TYPES]);
    return {
      compute(ctx: OpKernelContext) {
        return computeJob(ctx, truncateDivJob(ctx.input(0), ctx.input(1)));
      },
    };
  }),
};
