// TF's LookupTableRemoveV2 (core/kernels/lookup_table_op.cc): removes keys from a mutable table
// (absent keys are ignored); HashTables are read-only (UNIMPLEMENTED).

import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { matchSignature, remove, tableInput } from "./util/lookup-table.js";

export const lookupTableRemoveV2Config: KernelConfig = {
  op: {
    name: "LookupTableRemoveV2",
    inputs: ["table_handle: resource", "keys: Tin"],
    attrs: ["Tin: type"],
    isStateful: true,
  },
  kernel: cpuKernel("LookupTableRemoveV2", (c) => ({
    compute(ctx) {
      const table = tableInput(ctx);
      matchSignature(c, table, false, false);
      remove(table, ctx.input(1));
    },
  })),
};
