// TF's BiasAdd (core/kernels/bias_op.cc): adds a 1-D bias along the channel dimension (last for
// NHWC, dimension 1 for NCHW).

import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { addFns } from "./Add.js";
import { binaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { withShape } from "./util/tensor-util.js";

export function biasAdd(value: Tensor, bias: Tensor, dataFormat = "NHWC"): Tensor {
  return runWhole(biasAddJob(value, bias, dataFormat));
}

/** biasAdd as an ElementJob (util/element-slices.ts). */
export function biasAddJob(value: Tensor, bias: Tensor, dataFormat = "NHWC"): ElementJob<Tensor> {
  if (value.rank < 2) throw invalidArgument(`Input tensor must be at least 2D: ${shapeString(value.shape)}`);
  if (bias.rank !== 1) throw invalidArgument(`Biases must be 1D: ${shapeString(bias.shape)}`);
  const channelDim = dataFormat === "NCHW" ? 1 : value.rank - 1;
  if (bias.shape[0] !== value.shape[channelDim]) {
    throw invalidArgument(
      `Must provide as many biases as the last dimension of the input tensor: ${shapeString(bias.shape)} vs. ${shapeString(value.shape)}`,
    );
  }
  const bShape = value.shape.map((d, i) => (i === channelDim ? d : 1)).slice(channelDim);
  return binaryJob("BiasAdd", value, withShape(bias, bShape), addFns);
}

export const biasAddConfig: KernelConfig = {
  op: {
    name: "BiasAdd",
    inputs: ["value: T", "bias: T"],
    outputs: ["output: T"],
    attrs: ["T: numbertype", "data_format: {'NHWC', 'NCHW'} = 'NHWC'"],
  },
  kernel: cpuKernel("BiasAdd", (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    const fmt = getAttrString(c.attrs, "data_format");
    if (fmt !== "NHWC" && fmt !== "NCHW") throw invalidArgument("Invalid data format");
    return { compute: (ctx) => computeJob(ctx, biasAddJob(ctx.input(0), ctx.input(1), fmt)) };
  }),
};
