// TensorFlow's While and StatelessWhile (core/kernels/functional_ops.cc WhileOp): while cond(vars)
// is true in TF's sense, vars = body(vars); the outputs are the final vars. Each call's results
// replace the previous iteration's values, so a long loop holds one iteration's tensors at a time.
// parallel_iterations has no effect here: iterations run one after another, as in TF's kernel.

import { throwIfAborted } from "../framework/call-cancellation.js";
import { invalidArgument } from "../framework/errors.js";
import type { OpDeclaration } from "../framework/op-def.js";
import type { AsyncOpKernel, OpKernelConstruction } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { inputsFrom, instantiateFuncAttr, setFunctionOutputs, toBool } from "./util/functional-ops.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

function whileDeclaration(name: string, isStateful: boolean): OpDeclaration {
  return {
    name,
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: [
      "T: list(type) >= 0",
      "cond: func",
      "body: func",
      "output_shapes: list(shape) = []",
      "parallel_iterations: int = 10",
    ],
    isStateful,
  };
}

function createWhile(c: OpKernelConstruction): AsyncOpKernel {
  const cond = instantiateFuncAttr(c, "cond");
  const body = instantiateFuncAttr(c, "body");
  return {
    async computeAsync(ctx) {
      let vars: Tensor[] = inputsFrom(ctx, 0);
      for (;;) {
        const condRets = await cond(vars, ctx.step);
        if (condRets.length !== 1) {
          throw invalidArgument(
            `Expected a single scalar return value from WhileOp cond, got ${condRets.length} tensors.`,
          );
        }
        if (!toBool(condRets[0]!)) break;
        throwIfAborted(ctx.step.signal);
        const next = await body(vars, ctx.step);
        if (next.length !== vars.length) {
          throw invalidArgument(
            `While loop body returned ${next.length} arguments. Expected: ${vars.length}`,
          );
        }
        vars = next;
      }
      setFunctionOutputs(ctx, c.outputTypes, vars);
    },
  };
}

export const WhileKernel: KernelConfig = {
  op: whileDeclaration("While", true),
  kernel: cpuKernel("While", createWhile),
};

export const StatelessWhileKernel: KernelConfig = {
  op: whileDeclaration("StatelessWhile", false),
  kernel: cpuKernel("StatelessWhile", createWhile),
};
