// TensorFlow's Optional ops (core/kernels/data/optional_ops.cc): a DT_VARIANT scalar holding either
// nothing or a tuple of tensors. Functional conds built inside tf.function bodies return their
// gradient intermediates wrapped in Optionals (OptionalFromValue in the branch that ran,
// OptionalNone in the other), and the gradient unwraps them with OptionalGetValue.

import { invalidArgument } from "../framework/errors.js";
import { getAttrTypeList } from "../framework/op-def.js";
import { Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { isOptionalValue, OptionalValue } from "../framework/variant.js";
import { cpuKernel, type KernelConfig, simpleKernel } from "./util/kernel-config.js";

const variant = (v: OptionalValue) => new Tensor(DataType.DT_VARIANT, [], [v]);

function optionalInput(t: Tensor): OptionalValue {
  const v = t.rank === 0 ? t.data[0] : undefined;
  if (!isOptionalValue(v))
    throw invalidArgument("Input tensor must be a scalar containing an Optional variant.");
  return v;
}

export const OptionalFromValueKernel: KernelConfig = {
  op: {
    name: "OptionalFromValue",
    inputs: ["components: Toutput_types"],
    outputs: ["optional: variant"],
    attrs: ["Toutput_types: list(type) >= 1"],
  },
  kernel: simpleKernel("OptionalFromValue", (ctx) => {
    const values: Tensor[] = [];
    for (let i = 0; i < ctx.numInputs; i++) values.push(ctx.input(i));
    ctx.setOutput(0, variant(new OptionalValue(values)));
  }),
};

export const OptionalNoneKernel: KernelConfig = {
  op: { name: "OptionalNone", inputs: [], outputs: ["optional: variant"] },
  kernel: simpleKernel("OptionalNone", (ctx) => ctx.setOutput(0, variant(new OptionalValue(undefined)))),
};

export const OptionalHasValueKernel: KernelConfig = {
  op: { name: "OptionalHasValue", inputs: ["optional: variant"], outputs: ["has_value: bool"] },
  kernel: simpleKernel("OptionalHasValue", (ctx) => {
    const has = optionalInput(ctx.input(0)).values !== undefined;
    ctx.setOutput(0, new Tensor(DataType.DT_BOOL, [], Uint8Array.of(has ? 1 : 0)));
  }),
};

export const OptionalGetValueKernel: KernelConfig = {
  op: {
    name: "OptionalGetValue",
    inputs: ["optional: variant"],
    outputs: ["components: output_types"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1"],
  },
  kernel: cpuKernel("OptionalGetValue", (c) => {
    const types = getAttrTypeList(c.attrs, "output_types");
    return {
      compute(ctx) {
        const values = optionalInput(ctx.input(0)).values;
        if (values === undefined) throw invalidArgument("The given optional does not have a value.");
        if (values.length !== types.length) {
          throw invalidArgument(
            `The expected number of components (${types.length}) does not match the number of components in the optional variant (${values.length}).`,
          );
        }
        values.forEach((t, i) => {
          if (t.dtype !== types[i]) {
            throw invalidArgument(
              `Input optional variant component ${i} has dtype ${dataTypeString(t.dtype)} but expected ${dataTypeString(types[i]!)}.`,
            );
          }
          ctx.setOutput(i, t);
        });
      },
    };
  }),
};
