// TF's LookupTableExportV2 (core/kernels/lookup_table_op.cc): every key and value, as two vectors
// in the table's order; an uninitialized HashTable is ABORTED.

import type { OpKernel } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { exportValues, tableInput } from "./util/lookup-table.js";

const create = (): OpKernel => ({
  compute(ctx) {
    const [keys, values] = exportValues(tableInput(ctx));
    ctx.setOutput(0, keys);
    ctx.setOutput(1, values);
  },
});

export const lookupTableExportV2Config: KernelConfig = {
  op: {
    name: "LookupTableExportV2",
    inputs: ["table_handle: resource"],
    outputs: ["keys: Tkeys", "values: Tvalues"],
    attrs: ["Tkeys: type", "Tvalues: type"],
    isStateful: true,
  },
  kernel: cpuKernel("LookupTableExportV2", create),
};

/** The original op: the table named by a Ref(string) [container, name]. */
export const lookupTableExportConfig: KernelConfig = {
  op: {
    name: "LookupTableExport",
    inputs: ["table_handle: Ref(string)"],
    outputs: ["keys: Tkeys", "values: Tvalues"],
    attrs: ["Tkeys: type", "Tvalues: type"],
  },
  kernel: cpuKernel("LookupTableExport", create),
};
