// TensorFlow's If and StatelessIf (core/kernels/functional_ops.cc IfOp): calls then_branch when the
// predicate is true in TF's sense (functional-ops.ts toBool), else else_branch, with the remaining
// inputs as arguments. StatelessIf promises that neither branch has side effects.

import type { OpDeclaration } from "../framework/op-def.js";
import type { AsyncOpKernel, OpKernelConstruction } from "../framework/op-kernel.js";
import { inputsFrom, instantiateFuncAttr, setFunctionOutputs, toBool } from "./util/functional-ops.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

function ifDeclaration(name: string, isStateful: boolean): OpDeclaration {
  return {
    name,
    inputs: ["cond: Tcond", "input: Tin"],
    outputs: ["output: Tout"],
    attrs: [
      "Tcond: type",
      "Tin: list(type) >= 0",
      "Tout: list(type) >= 0",
      "then_branch: func",
      "else_branch: func",
      "output_shapes: list(shape) = []",
    ],
    isStateful,
  };
}

function createIf(c: OpKernelConstruction): AsyncOpKernel {
  const thenBranch = instantiateFuncAttr(c, "then_branch");
  const elseBranch = instantiateFuncAttr(c, "else_branch");
  return {
    async computeAsync(ctx) {
      const branch = toBool(ctx.input(0)) ? thenBranch : elseBranch;
      const rets = await branch(inputsFrom(ctx, 1), ctx.step);
      setFunctionOutputs(ctx, c.outputTypes, rets);
    },
  };
}

export const IfKernel: KernelConfig = {
  op: ifDeclaration("If", true),
  kernel: cpuKernel("If", createIf),
};

export const StatelessIfKernel: KernelConfig = {
  op: ifDeclaration("StatelessIf", false),
  kernel: cpuKernel("StatelessIf", createIf),
};
