// TF's VariableShape (core/kernels/resource_variable_ops.cc): the shape of a resource variable's
// value, as int32 or int64 (tf.shape of a resource variable in TF1 graphs).

import { getAttrType } from "../framework/op-def.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { intVector } from "./util/tensor-util.js";
import { handleFromInput, lookupVar } from "./util/variables.js";

export const variableShapeConfig: KernelConfig = {
  op: {
    name: "VariableShape",
    inputs: ["input: resource"],
    outputs: ["output: out_type"],
    attrs: ["out_type: {int32, int64} = DT_INT32"],
    isStateful: true,
  },
  kernel: cpuKernel("VariableShape", (c) => {
    const outType = getAttrType(c.attrs, "out_type");
    return {
      compute(ctx) {
        const v = lookupVar(ctx, handleFromInput(ctx));
        const shape = v.value?.shape ?? [];
        ctx.setOutput(
          0,
          intVector(outType === DataType.DT_INT64 ? DataType.DT_INT64 : DataType.DT_INT32, shape),
        );
      },
    };
  }),
};
