// TF's AssignAddVariableOp / AssignSubVariableOp (core/kernels/resource_variable_ops.cc
// AssignUpdateVariableOp): var += value / var -= value on an existing resource variable.

import { invalidArgument } from "../framework/errors.js";
import type { KernelRegistration } from "../framework/op-kernel.js";
import { sameShape, shapeString } from "../framework/tensor.js";
import { addFns } from "./Add.js";
import { subFns } from "./Sub.js";
import { type BinaryFns, binaryOp } from "./util/cwise.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { handleFromInput, lookupVar } from "./util/variables.js";

function updateKernel(op: string, fns: BinaryFns): KernelRegistration {
  return cpuKernel(op, (c) => {
    checkTypeConstraint(c, "dtype", NUMBER_TYPES);
    return {
      compute(ctx) {
        const v = lookupVar(ctx, handleFromInput(ctx));
        const value = ctx.input(1);
        const current = v.value;
        const varShape = current?.shape ?? [];
        if (current === undefined || !sameShape(varShape, value.shape)) {
          throw invalidArgument(
            `Cannot update variable with shape ${shapeString(varShape)} using a Tensor with shape ${shapeString(value.shape)}, shapes must be equal.`,
          );
        }
        if (current.dtype !== value.dtype)
          throw invalidArgument("DType of variable handle and value does not match.");
        v.value = binaryOp(op, current, value, fns);
      },
    };
  });
}

const decl = (name: string) => ({
  name,
  inputs: ["resource: resource", "value: dtype"],
  attrs: ["dtype: type"],
  isStateful: true,
});

export const assignAddVariableOpConfig: KernelConfig = {
  op: decl("AssignAddVariableOp"),
  kernel: updateKernel("AssignAddVariableOp", addFns),
};

export const assignSubVariableOpConfig: KernelConfig = {
  op: decl("AssignSubVariableOp"),
  kernel: updateKernel("AssignSubVariableOp", subFns),
};
