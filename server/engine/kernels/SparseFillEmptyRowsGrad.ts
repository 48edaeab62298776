// TF's SparseFillEmptyRowsGrad (core/kernels/sparse_fill_empty_rows_op.cc): the gradient of
// SparseFillEmptyRows. Each input value's gradient is the output gradient at its reverse_index_map
// position; the default value's gradient sums the output gradients no input entry maps to (the
// filled rows), in output order. tf.gradients of tf.sparse.fill_empty_rows emits it.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { scalarOps } from "./util/sparse-values.js";
import { readInts } from "./util/tensor-util.js";

export function sparseFillEmptyRowsGrad(reverseIndexMap: Tensor, gradValues: Tensor): [Tensor, Tensor] {
  if (reverseIndexMap.rank !== 1) {
    throw invalidArgument(`reverse_index_map must be a vector, saw: ${shapeString(reverseIndexMap.shape)}`);
  }
  if (gradValues.rank !== 1) {
    throw invalidArgument(`grad_values must be a vector, saw: ${shapeString(gradValues.shape)}`);
  }
  const ops = scalarOps(gradValues.dtype);
  const grads = ops.read(gradValues);
  const full = grads.length;
  const visited = new Array<boolean>(full).fill(false);
  const dValues = readInts(reverseIndexMap).map((r) => {
    if (r < 0 || r >= full) {
      throw invalidArgument(`Elements in reverse index must be in [0, ${full}) but got ${r}`);
    }
    visited[r] = true;
    return grads[r]!;
  });
  let dDefault = ops.zero;
  grads.forEach((g, j) => {
    if (!visited[j]) dDefault = ops.add(dDefault, g);
  });
  return [ops.write([dValues.length], dValues), ops.write([], [dDefault])];
}

export const sparseFillEmptyRowsGradConfig: KernelConfig = {
  op: {
    name: "SparseFillEmptyRowsGrad",
    inputs: ["reverse_index_map: int64", "grad_values: T"],
    outputs: ["d_values: T", "d_default_value: T"],
    attrs: ["T: type"],
  },
  kernel: cpuKernel("SparseFillEmptyRowsGrad", (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    return {
      compute: (ctx) => {
        const [dValues, dDefault] = sparseFillEmptyRowsGrad(ctx.input(0), ctx.input(1));
        ctx.setOutput(0, dValues);
        ctx.setOutput(1, dDefault);
      },
    };
  }),
};
