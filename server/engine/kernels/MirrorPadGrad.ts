// TF's MirrorPadGrad (core/kernels/image/mirror_pad_op.cc): the gradient of MirrorPad, which TF's
// autodiff emits for it. Each output element sums the gradient of its own position and of every
// padded position that mirrored it.

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument, unimplemented } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { type NumericArray, numElements, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  computeJob,
  decodedInput,
  doneJob,
  type ElementJob,
  encodedOutput,
  runWhole,
} from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { computeBuffer, lanesOf, readInts } from "./util/tensor-util.js";

export function mirrorPadGrad(grad: Tensor, paddings: Tensor, mode: "REFLECT" | "SYMMETRIC"): Tensor {
  return runWhole(mirrorPadGradJob(grad, paddings, mode));
}

/**
 * mirrorPadGrad as an ElementJob (util/element-slices.ts): paddings checked now; one pass over
 * grad's elements in row-major order adding each where it came from, so every output element
 * takes its terms in the order of one run however the pass is cut.
 */
export function mirrorPadGradJob(
  grad: Tensor,
  paddings: Tensor,
  mode: "REFLECT" | "SYMMETRIC",
): ElementJob<Tensor> {
  const rank = grad.rank;
  if (rank > 5) throw unimplemented(`inputs rank not in [0,5]: ${rank}`);
  if (!(paddings.rank === 2 && paddings.shape[1] === 2)) {
    throw invalidArgument(`paddings must be a matrix with 2 columns: ${shapeString(paddings.shape)}`);
  }
  if (paddings.shape[0] !== rank) {
    throw invalidArgument(
      `The first dimension of paddings must be the rank of inputs${shapeString(paddings.shape)} ${shapeString(grad.shape)}`,
    );
  }
  const p = readInts(paddings);
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) {
    const [before, after] = [p[2 * d]!, p[2 * d + 1]!];
    if (before < 0 || after < 0) throw invalidArgument(`Paddings must be non-negative: ${before}, ${after}`);
    const size = grad.shape[d]! - (before + after);
    if (mode === "SYMMETRIC" && !(before <= size && after <= size)) {
      throw invalidArgument(
        `paddings must be no greater than the output dimension size: ${before}, ${after} greater than ${size}`,
      );
    }
    if (mode === "REFLECT" && !(before < size && after < size)) {
      throw invalidArgument(
        `paddings must be less than the output dimension size: ${before}, ${after} not less than ${size}`,
      );
    }
    shape.push(size);
  }
  if (shapeString(shape) === shapeString(grad.shape)) return doneJob(grad);
  const lanes = lanesOf(grad.dtype);
  const big = grad.dtype === DataType.DT_INT64 || grad.dtype === DataType.DT_UINT64;
  const decoded = big ? { data: grad.data as BigInt64Array, passes: [] } : decodedInput(grad);
  const src = decoded.data as ArrayLike<number | bigint>;
  const n = numElements(shape);
  const buf = computeBuffer(grad.dtype, n, shape);
  const out = buf as unknown as { [i: number]: number | bigint };
  const encoded = big
    ? { passes: [], result: () => new Tensor(grad.dtype, shape, buf) }
    : encodedOutput(grad.dtype, shape, buf as NumericArray);
  const outStrides = stridesOf(shape);
  const gradStrides = stridesOf(grad.shape);
  const add = (start: number, end: number) => {
    // The padded position of element `start`, then counted up element by element.
    const idx = gradStrides.map((st, d) => Math.floor(start / st) % grad.shape[d]!);
    for (let i = start; i < end; i++) {
      // Where padded position idx came from in the unpadded tensor.
      let o = 0;
      for (let d = 0; d < rank; d++) {
        const size = shape[d]!;
        let j = idx[d]! - p[2 * d]!;
        if (j < 0) j = mode === "REFLECT" ? -j : -j - 1;
        else if (j >= size) j = mode === "REFLECT" ? 2 * size - 2 - j : 2 * size - 1 - j;
        o += j * outStrides[d]!;
      }
      for (let l = 0; l < lanes; l++) {
        const k = o * lanes + l;
        out[k] = big
          ? (out[k] as bigint) + (src[i * lanes + l] as bigint)
          : (out[k] as number) + (src[i * lanes + l] as number);
      }
      for (let d = rank - 1; d >= 0; d--) {
        if (++idx[d]! < grad.shape[d]!) break;
        idx[d] = 0;
      }
    }
  };
  // Index arithmetic over every dimension for each element.
  const pass = { n: grad.numElements, run: add, cost: 1 + rank };
  return { passes: [...decoded.passes, pass, ...encoded.passes], result: encoded.result };
}

export const mirrorPadGradConfig: KernelConfig = {
  op: {
    name: "MirrorPadGrad",
    inputs: ["input: T", "paddings: Tpaddings"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tpaddings: {int32, int64} = DT_INT32", "mode: {'REFLECT', 'SYMMETRIC'}"],
  },
  kernel: cpuKernel("MirrorPadGrad", (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    const mode = getAttrString(c.attrs, "mode") as "REFLECT" | "SYMMETRIC";
    return { compute: (ctx) => computeJob(ctx, mirrorPadGradJob(ctx.input(0), ctx.input(1), mode)) };
  }),
};
