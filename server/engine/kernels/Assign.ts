// TF's Assign (core/kernels/assign_op.h): stores `value` into the ref variable and outputs the ref.
// Allowed on uninitialised variables; with validate_shape the shapes must match (an uninitialised
// VariableV2 has its declared shape, as in TF).

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import type { RefCell } from "../framework/op-kernel.js";
import { sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { copyTensor } from "./util/tensor-util.js";
import { declaredShape } from "./util/variables.js";

export function assignRef(cell: RefCell, value: Tensor, validateShape: boolean): void {
  const lhsShape = cell.value?.shape ?? declaredShape(cell);
  if (validateShape && lhsShape !== undefined && !sameShape(lhsShape, value.shape)) {
    throw invalidArgument(
      `Assign requires shapes of both tensors to match. lhs shape= ${shapeString(lhsShape)} rhs shape= ${shapeString(value.shape)}`,
    );
  }
  // The variable outlives the step: copy so it never aliases a request buffer or another tensor.
  cell.value = copyTensor(value);
}

export const assignConfig: KernelConfig = {
  op: {
    name: "Assign",
    inputs: ["ref: Ref(T)", "value: T"],
    outputs: ["output_ref: Ref(T)"],
    attrs: ["T: type", "validate_shape: bool = true", "use_locking: bool = true"],
    allowsUninitializedInput: true,
  },
  kernel: cpuKernel("Assign", (c) => {
    const validateShape = getAttrBool(c.attrs, "validate_shape");
    return {
      compute(ctx) {
        const cell = ctx.inputRef(0);
        assignRef(cell, ctx.input(1), validateShape);
        ctx.setOutputRef(0, cell);
      },
    };
  }),
};
