// TF's BatchToSpace (core/kernels/batchtospace_op.cc): BatchToSpaceND of a 4-D NHWC input with a
// square block_size over height and width.

import { getAttrInt } from "../framework/op-def.js";
import { DataType } from "../framework/types.js";
import { batchToSpaceNDJob } from "./BatchToSpaceND.js";
import { checkRank4 } from "./SpaceToBatch.js";
import { computeJob } from "./util/element-slices.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { intVector } from "./util/tensor-util.js";

export const batchToSpaceConfig: KernelConfig = {
  op: {
    name: "BatchToSpace",
    inputs: ["input: T", "crops: Tidx"],
    outputs: ["output: T"],
    attrs: ["T: type", "block_size: int >= 2", "Tidx: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("BatchToSpace", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    const bs = getAttrInt(c.attrs, "block_size");
    const block = intVector(DataType.DT_INT64, [bs, bs]);
    return {
      compute(ctx) {
        checkRank4(ctx.input(0));
        return computeJob(ctx, batchToSpaceNDJob(ctx.input(0), block, ctx.input(1)));
      },
    };
  }),
};
