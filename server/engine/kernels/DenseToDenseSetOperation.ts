// TF's DenseToDenseSetOperation (core/kernels/set_kernels.cc): tf.sets.intersection / union /
// difference of two dense tensors, row by row along the last dimension; see set-ops.ts.

import type { KernelConfig } from "./util/kernel-config.js";
import { denseToDenseSetOperation, setOperationConfig } from "./util/set-ops.js";

export const denseToDenseSetOperationConfig: KernelConfig = setOperationConfig(
  "DenseToDenseSetOperation",
  ["set1: T", "set2: T"],
  (op, [set1, set2]) => denseToDenseSetOperation(op, set1!, set2!),
);
