// TF's InTopK (core/kernels/in_topk_op.cc): InTopKV2 with k as an attr.

import { getAttrInt } from "../framework/op-def.js";
import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { inTopKJob } from "./InTopKV2.js";
import { computeJob } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const inTopKConfig: KernelConfig = {
  op: {
    name: "InTopK",
    inputs: ["predictions: float", "targets: T"],
    outputs: ["precision: bool"],
    attrs: ["k: int", "T: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("InTopK", (c) => {
    const k = scalar(DataType.DT_INT64, BigInt(getAttrInt(c.attrs, "k")));
    return { compute: (ctx) => computeJob(ctx, inTopKJob(ctx.input(0), ctx.input(1), k)) };
  }),
};
