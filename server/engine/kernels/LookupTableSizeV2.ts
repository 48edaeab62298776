// TF's LookupTableSizeV2 (core/kernels/lookup_table_op.cc): the number of entries, as an int64
// scalar (0 for an uninitialized HashTable).

import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";
import { size, tableInput } from "./lookup-table.js";

export const lookupTableSizeV2Config: KernelConfig = {
  op: {
    name: "LookupTableSizeV2",
    inputs: ["table_handle: resource"],
    outputs: ["size: int64"],
    isStateful: true,
  },
  kernel: cpuKernel("LookupTableSizeV2", () => ({
    compute(ctx) {
      ctx.setOutput(0, scalar(DataType.DT_INT64, BigInt(size(tableInput(ctx)))));
    },
  })),
};
