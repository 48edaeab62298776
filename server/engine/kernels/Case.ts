// TensorFlow's Case and StatelessCase (core/kernels/functional_ops.cc CaseOp): calls
// branches[branch_index] with the remaining inputs; an index out of range runs the last branch,
// which is the default.

import { invalidArgument } from "../framework/errors.js";
import type { OpDeclaration } from "../framework/op-def.js";
import type { AsyncOpKernel, OpKernelConstruction } from "../framework/op-kernel.js";
import {
  funcListLength,
  inputsFrom,
  instantiateFuncAttr,
  setFunctionOutputs,
} from "./util/functional-ops.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

function caseDeclaration(name: string, isStateful: boolean): OpDeclaration {
  return {
    name,
    inputs: ["branch_index: int32", "input: Tin"],
    outputs: ["output: Tout"],
    attrs: [
      "Tin: list(type) >= 0",
      "Tout: list(type) >= 0",
      "branches: list(func) >= 1",
      "output_shapes: list(shape) = []",
    ],
    isStateful,
  };
}

function createCase(c: OpKernelConstruction): AsyncOpKernel {
  const branches = Array.from({ length: funcListLength(c, "branches") }, (_, i) =>
    instantiateFuncAttr(c, "branches", i),
  );
  return {
    async computeAsync(ctx) {
      const index = ctx.input(0);
      if (index.rank !== 0) throw invalidArgument("branch_index must be scalar");
      let branch = (index.data as Int32Array)[0]!;
      if (branch < 0 || branch >= branches.length) branch = branches.length - 1;
      const rets = await branches[branch]!(inputsFrom(ctx, 1), ctx.step);
      setFunctionOutputs(ctx, c.outputTypes, rets);
    },
  };
}

export const CaseKernel: KernelConfig = {
  op: caseDeclaration("Case", true),
  kernel: cpuKernel("Case", createCase),
};

export const StatelessCaseKernel: KernelConfig = {
  op: caseDeclaration("StatelessCase", false),
  kernel: cpuKernel("StatelessCase", createCase),
};
