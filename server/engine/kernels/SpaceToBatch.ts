// TF's SpaceToBatch (core/kernels/spacetobatch_op.cc): SpaceToBatchND of a 4-D NHWC input with a
// square block_size over height and width.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { spaceToBatchNDJob } from "./SpaceToBatchND.js";
import { computeJob } from "./util/element-slices.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { intVector } from "./util/tensor-util.js";

export function checkRank4(input: Tensor): void {
  if (input.rank !== 4)
    // TF's text has no space before "instead".
    throw invalidArgument(`Input rank should be: 4instead of: ${input.rank}`);
}

export const spaceToBatchConfig: KernelConfig = {
  op: {
    name: "SpaceToBatch",
    inputs: ["input: T", "paddings: Tpaddings"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tpaddings: {int32, int64} = DT_INT32", "block_size: int >= 2"],
  },
  kernel: cpuKernel("SpaceToBatch", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    const bs = getAttrInt(c.attrs, "block_size");
    const block = intVector(DataType.DT_INT64, [bs, bs]);
    return {
      compute(ctx) {
        checkRank4(ctx.input(0));
        return computeJob(ctx, spaceToBatchNDJob(ctx.input(0), block, ctx.input(1)));
      },
    };
  }),
};
