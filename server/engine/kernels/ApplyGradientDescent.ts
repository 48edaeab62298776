// TF's ApplyGradientDescent and ResourceApplyGradientDescent (core/kernels/training_ops.cc):
// var -= alpha * delta, on a ref variable or a resource variable.

import { failedPrecondition, invalidArgument } from "../framework/errors.js";
import { sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import { mulFns } from "./Mul.js";
import { subFns } from "./Sub.js";
import { binaryOp } from "./util/cwise.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { handleFromInput, lookupVar } from "./util/variables.js";

export function gradientDescentStep(v: Tensor, alpha: Tensor, delta: Tensor): Tensor {
  if (alpha.rank !== 0) throw invalidArgument(`alpha is not a scalar: ${shapeString(alpha.shape)}`);
  if (!sameShape(v.shape, delta.shape)) {
    throw invalidArgument(
      `var and delta do not have the same shape${shapeString(v.shape)} ${shapeString(delta.shape)}`,
    );
  }
  return binaryOp("ApplyGradientDescent", v, binaryOp("ApplyGradientDescent", delta, alpha, mulFns), subFns);
}

export const applyGradientDescentConfig: KernelConfig = {
  op: {
    name: "ApplyGradientDescent",
    inputs: ["var: Ref(T)", "alpha: T", "delta: T"],
    outputs: ["out: Ref(T)"],
    attrs: ["T: numbertype", "use_locking: bool = false"],
  },
  kernel: cpuKernel("ApplyGradientDescent", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    const input0 = c.requestedInputs[0] ?? "";
    return {
      compute(ctx) {
        const cell = ctx.inputRef(0);
        if (cell.value === undefined) {
          throw failedPrecondition(`Attempting to use uninitialized variables: ${input0}`);
        }
        cell.value = gradientDescentStep(cell.value, ctx.input(1), ctx.input(2));
        ctx.setOutputRef(0, cell);
      },
    };
  }),
};

export const resourceApplyGradientDescentConfig: KernelConfig = {
  op: {
    name: "ResourceApplyGradientDescent",
    inputs: ["var: resource", "alpha: T", "delta: T"],
    attrs: ["T: numbertype", "use_locking: bool = false"],
    isStateful: true,
  },
  kernel: cpuKernel("ResourceApplyGradientDescent", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return {
      compute(ctx) {
        const h = handleFromInput(ctx);
        const v = lookupVar(ctx, h);
        if (v.value === undefined) {
          throw failedPrecondition(`Attempting to use uninitialized variables: ${h.name}`);
        }
        v.value = gradientDescentStep(v.value, ctx.input(1), ctx.input(2));
      },
    };
  }),
};
