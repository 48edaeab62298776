// TF's AssignAdd and AssignSub (core/kernels/dense_update_ops.cc DenseUpdateOp): ref += value,
// ref -= value (same shapes, no broadcasting), outputting the ref.

import { failedPrecondition, invalidArgument } from "../framework/errors.js";
import type { KernelRegistration } from "../framework/op-kernel.js";
import { sameShape } from "../framework/tensor.js";
import { addFns } from "./Add.js";
import { subFns } from "./Sub.js";
import { type BinaryFns, binaryOp } from "./util/cwise.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";

function denseUpdateKernel(op: string, fns: BinaryFns): KernelRegistration {
  return cpuKernel(op, (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    const input0 = c.requestedInputs[0] ?? "";
    return {
      compute(ctx) {
        const cell = ctx.inputRef(0);
        const update = ctx.input(1);
        const params = cell.value;
        if (params === undefined) {
          // TF's executor rejects the uninitialised ref before the kernel runs (AssignAdd does not
          // allow uninitialised input), so users see the executor's wording.
          throw failedPrecondition(`Attempting to use uninitialized value ${input0}`);
        }
        if (!sameShape(params.shape, update.shape)) {
          throw invalidArgument("Parameters and update must be the same size");
        }
        cell.value = binaryOp(op, params, update, fns);
        ctx.setOutputRef(0, cell);
      },
    };
  });
}

const decl = (name: string) => ({
  name,
  inputs: ["ref: Ref(T)", "value: T"],
  outputs: ["output_ref: Ref(T)"],
  attrs: ["T: numbertype", "use_locking: bool = false"],
});

export const assignAddConfig: KernelConfig = {
  op: decl("AssignAdd"),
  kernel: denseUpdateKernel("AssignAdd", addFns),
};
export const assignSubConfig: KernelConfig = {
  op: decl("AssignSub"),
  kernel: denseUpdateKernel("AssignSub", subFns),
};
