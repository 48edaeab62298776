// Test-only: runs a kernel once with a StepContext whose log is captured (testing.ts's fake
// context discards log lines).

import type { AttrValue } from "../../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { addDefaultAttrs, inputTypesForNode, lookUpOp, outputTypesForNode } from "../../framework/op-def.js";
import { findKernel, finishSlices, type OpKernel, type OpKernelContext } from "../../framework/op-kernel.js";
import type { Tensor } from "../../framework/tensor.js";
import { testDevice } from "./testing.js";

export async function runKernelWithLog(
  op: string,
  inputs: Tensor[],
  attrs: Record<string, AttrValue>,
  lines: string[],
): Promise<Tensor | undefined> {
  const def = lookUpOp(op)!;
  const all = addDefaultAttrs(def, attrs);
  const kernel = findKernel(op, "CPU")!.create({
    nodeName: op,
    op,
    opDef: def,
    attrs: all,
    inputTypes: inputTypesForNode(def, all),
    outputTypes: outputTypesForNode(def, all),
    requestedInputs: [],
    device: testDevice,
  }) as OpKernel;
  let out: Tensor | undefined;
  await finishSlices(
    kernel.compute({
      numInputs: inputs.length,
      input: (i: number) => inputs[i]!,
      setOutput: (_i: number, t: Tensor) => {
        out = t;
      },
      forwardableInput: () => undefined,
      step: { log: (level: string, message: string) => lines.push(`${level} ${message}`) },
    } as unknown as OpKernelContext),
  );
  return out;
}
