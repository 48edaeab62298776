// TF's Reshape (core/kernels/reshape_op.h): same elements, new shape; one dimension may be -1.
// The output shares the input's storage.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

/** The shape `sizes` asks for, with -1 resolved (TF's ValidateSizes and checks). */
export function reshapeTarget(input: Tensor, sizes: Tensor): number[] {
  if (sizes.rank > 1) {
    throw invalidArgument(`sizes input must be 1-D, not ${shapeString(sizes.shape)}`);
  }
  const dims = readInts(sizes);
  const n = input.numElements;
  let product = 1;
  let unknownIndex = -1;
  const shape: number[] = [];
  for (let d = 0; d < dims.length; d++) {
    const size = dims[d]!;
    if (size === -1) {
      if (unknownIndex !== -1) {
        throw invalidArgument(`Only one input size may be -1, not both ${unknownIndex} and ${d}`);
      }
      unknownIndex = d;
      shape.push(1);
    } else {
      if (size < 0) throw invalidArgument(`Size ${d} must be non-negative, not ${size}`);
      shape.push(size);
      product *= size;
    }
  }
  if (unknownIndex !== -1) {
    if (product <= 0) {
      throw invalidArgument(
        "Reshape cannot infer the missing input size for an empty tensor unless all specified input sizes are non-zero",
      );
    }
    const missing = Math.floor(n / product);
    if (product * missing !== n) {
      throw invalidArgument(
        `Input to reshape is a tensor with ${n} values, but the requested shape requires a multiple of ${product}`,
      );
    }
    shape[unknownIndex] = missing;
  }
  const total = shape.reduce((a, b) => a * b, 1);
  if (total !== n) {
    throw invalidArgument(
      `Input to reshape is a tensor with ${n} values, but the requested shape has ${total}`,
    );
  }
  return shape;
}

export function reshape(input: Tensor, sizes: Tensor): Tensor {
  return new Tensor(input.dtype, reshapeTarget(input, sizes), input.data);
}

export const reshapeConfig: KernelConfig = {
  op: {
    name: "Reshape",
    inputs: ["tensor: T", "shape: Tshape"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tshape: {int32, int64} = DT_INT32"],
  },
  kernel: simpleKernel("Reshape", (ctx) => ctx.setOutput(0, reshape(ctx.input(0), ctx.input(1)))),
};
