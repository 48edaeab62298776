// TF's LookupTableSizeV2 (core/kernels/lookup_table_op.cc): the number of entries, as an int64
// scalar (0 for an uninitialized HashTable).

import type { OpKernel } from "../framework/op-kernel.js";
import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { size, tableInput } from "./util/lookup-table.js";

const create = (): OpKernel => ({
  compute(ctx) {
    ctx.setOutput(0, scalar(DataType.DT_INT64, BigInt(size(tableInput(ctx)))));
  },
});

export const lookupTableSizeV2Config: KernelConfig = {
  op: {
    name: "LookupTableSizeV2",
    inputs: ["table_handle: resource"],
    outputs: ["size: int64"],
    isStateful: true,
  },
  kernel: cpuKernel("LookupTableSizeV2", create),
};

/** The original op: the table named by a Ref(string) [container, name]. */
export const lookupTableSizeConfig: KernelConfig = {
  op: {
    name: "LookupTableSize",
    inputs: ["table_handle: Ref(string)"],
    outputs: ["size: int64"],
  },
  kernel: cpuKernel("LookupTableSize", create),
};
