// TF's MirrorPad (core/kernels/image/mirror_pad_op.cc): pads by reflecting the input, excluding
// (REFLECT) or including (SYMMETRIC) the border element.

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { allocData, numElements, Tensor } from "../framework/tensor.js";
import { readPaddings } from "./Pad.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { lanesOf, storage } from "./util/tensor-util.js";

export type MirrorPadMode = "REFLECT" | "SYMMETRIC";

export function mirrorPad(input: Tensor, pads: readonly [number, number][], mode: MirrorPadMode): Tensor {
  return runWhole(mirrorPadJob(input, pads, mode));
}

/**
 * mirrorPad as an ElementJob (util/element-slices.ts): paddings checked and the output allocated
 * now; the pass finds each output element's source by reflecting its index, over any range of
 * output elements.
 */
export function mirrorPadJob(
  input: Tensor,
  pads: readonly [number, number][],
  mode: MirrorPadMode,
): ElementJob<Tensor> {
  const offset = mode === "SYMMETRIC" ? 0 : 1;
  pads.forEach(([before, after], d) => {
    const size = input.shape[d]!;
    if (!(before <= size - offset && after <= size - offset)) {
      throw invalidArgument(
        `paddings must be less than the dimension size: ${before}, ${after} not less than ${size}`,
      );
    }
  });
  const shape = input.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const data = allocData(input.dtype, numElements(shape), shape);
  const dst = data as unknown as { [i: number]: unknown };
  const src = storage(input);
  const lanes = lanesOf(input.dtype);
  const inStrides = stridesOf(input.shape);
  const rank = shape.length;
  const run = (start: number, end: number) => {
    // The multi-index of `start`, then stepped like an odometer.
    const idx = new Array<number>(rank).fill(0);
    for (let d = rank - 1, rest = start; d >= 0; d--) {
      idx[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    for (let i = start; i < end; i++) {
      let s = 0;
      for (let d = 0; d < rank; d++) {
        const size = input.shape[d]!;
        let j = idx[d]! - pads[d]![0];
        if (j < 0) j = mode === "REFLECT" ? -j : -j - 1;
        else if (j >= size) j = mode === "REFLECT" ? 2 * size - 2 - j : 2 * size - 1 - j;
        s += j * inStrides[d]!;
      }
      for (let l = 0; l < lanes; l++) dst[i * lanes + l] = src[s * lanes + l];
      for (let d = rank - 1; d >= 0; d--) {
        if (++idx[d]! < shape[d]!) break;
        idx[d] = 0;
      }
    }
  };
  // Index arithmetic per dimension for every element: a few times a plain copy's cost.
  return oneLoop(numElements(shape), run, () => new Tensor(input.dtype, shape, data), lanes * (2 + rank));
}

export const mirrorPadConfig: KernelConfig = {
  op: {
    name: "MirrorPad",
    inputs: ["input: T", "paddings: Tpaddings"],
    outputs: ["output: T"],
    // TF: "mode: {'REFLECT', 'SYMMETRIC'}"; our REGISTER_OP parser has no string enums, so the
    // kernel validates it.
    attrs: ["T: type", "Tpaddings: {int32, int64} = DT_INT32", "mode: {'REFLECT', 'SYMMETRIC'}"],
  },
  kernel: cpuKernel("MirrorPad", (c) => {
    const mode = getAttrString(c.attrs, "mode");
    if (mode !== "REFLECT" && mode !== "SYMMETRIC") {
      throw invalidArgument(
        `Value for attr 'mode' of "${mode}" is not in the list of allowed values: "REFLECT", "SYMMETRIC"`,
      );
    }
    return {
      compute(ctx) {
        const input = ctx.input(0);
        return computeJob(ctx, mirrorPadJob(input, readPaddings(input, ctx.input(1)), mode));
      },
    };
  }),
};
