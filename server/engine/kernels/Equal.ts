// TF's Equal and NotEqual (core/kernels/cwise_op_equal_to_1.cc, cwise_op_not_equal_to_1.cc):
// element-wise comparison of any dtype with broadcasting. With incompatible_shape_error=false,
// shapes that do not broadcast compare as a scalar false (Equal) / true (NotEqual) instead of
// failing.

import { broadcastShapes } from "../framework/bcast.js";
import { getAttrBool } from "../framework/op-def.js";
import { scalar, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type BinaryFns, binaryJob } from "./util/cwise.js";
import { computeJob, doneJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const enc = new TextEncoder();
const T1 = enc.encode("1");
const T0 = new Uint8Array(0);

function fnsFor(want: boolean): BinaryFns {
  const r = (eq: boolean) => (eq === want ? 1 : 0);
  return {
    float: (a, b) => r(a === b),
    bool: (a, b) => r(a === b),
    bigintToNumber: (a, b) => r(a === b),
    complexToNumber: (ar, ai, br, bi) => r(ar === br && ai === bi),
    // Strings compare bytes; the result is encoded back into the bool tensor by compare().
    string: (a, b) => (r(bytesEqual(a, b)) ? T1 : T0),
  };
}

export const equalFns = fnsFor(true);
export const notEqualFns = fnsFor(false);

function compare(op: string, x: Tensor, y: Tensor, fns: BinaryFns, incompatibleShapeError: boolean): Tensor {
  return runWhole(compareJob(op, x, y, fns, incompatibleShapeError));
}

/** Equal or NotEqual as an ElementJob (util/element-slices.ts). */
function compareJob(
  op: string,
  x: Tensor,
  y: Tensor,
  fns: BinaryFns,
  incompatibleShapeError: boolean,
): ElementJob<Tensor> {
  if (!incompatibleShapeError) {
    try {
      broadcastShapes(x.shape, y.shape);
    } catch {
      return doneJob(scalar(DataType.DT_BOOL, op === "NotEqual"));
    }
  }
  if (x.dtype === DataType.DT_STRING) {
    const strings = binaryJob(op, x, y, fns);
    return {
      passes: strings.passes,
      result: () => {
        const s = strings.result();
        return new Tensor(
          DataType.DT_BOOL,
          s.shape,
          Uint8Array.from(s.data as Uint8Array[], (b) => (b.length > 0 ? 1 : 0)),
        );
      },
    };
  }
  return binaryJob(op, x, y, fns, DataType.DT_BOOL);
}

export function equal(x: Tensor, y: Tensor, incompatibleShapeError = true): Tensor {
  return compare("Equal", x, y, equalFns, incompatibleShapeError);
}

export function notEqual(x: Tensor, y: Tensor, incompatibleShapeError = true): Tensor {
  return compare("NotEqual", x, y, notEqualFns, incompatibleShapeError);
}

function config(name: "Equal" | "NotEqual"): KernelConfig {
  const fns = name === "Equal" ? equalFns : notEqualFns;
  return {
    op: {
      name,
      inputs: ["x: T", "y: T"],
      outputs: ["z: bool"],
      attrs: ["T: type", "incompatible_shape_error: bool = true"],
      isCommutative: true,
    },
    kernel: cpuKernel(name, (c) => {
      const strict = getAttrBool(c.attrs, "incompatible_shape_error");
      return { compute: (ctx) => computeJob(ctx, compareJob(name, ctx.input(0), ctx.input(1), fns, strict)) };
    }),
  };
}

export const equalConfig = config("Equal");
export const notEqualConfig = config("NotEqual");
