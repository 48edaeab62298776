// Defines every op and registers every CPU kernel (TF's static REGISTER_OP / REGISTER_KERNEL_BUILDER
// initialisers) when imported, once per process or worker thread. Nothing else may register the
// configs listed here: a second definition of an op or kernel throws.

import { defineOp } from "../framework/op-def.js";
import { registerKernel } from "../framework/op-kernel.js";
import { kernelConfigs } from "./registry.js";
import type { KernelConfig } from "./util/kernel-config.js";

/** Every kernel config of the registry, sorted by op name. */
export const allKernelConfigs: readonly KernelConfig[] = [...kernelConfigs].sort((a, b) =>
  a.op.name < b.op.name ? -1 : a.op.name > b.op.name ? 1 : 0,
);

let registered = false;

/**
 * Defines every op and registers every kernel; later calls do nothing. Importing this module
 * already calls it, so ops are available as soon as the import resolves.
 */
export function registerAllKernels(): void {
  if (registered) return;
  registered = true;
  for (const c of allKernelConfigs) {
    defineOp(c.op);
    registerKernel(c.kernel);
  }
}

registerAllKernels();
