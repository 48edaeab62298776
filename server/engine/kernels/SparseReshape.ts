// TF's SparseReshape (core/kernels/reshape_util.cc): a SparseTensor's indices for a new dense
// shape with the same number of elements (one dimension may be -1 and is inferred). Each index is
// turned into its row-major position in the old shape and back into an index of the new one; the
// values do not change, so only indices and the new shape are output. tf.sparse.reshape emits it.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { int64Matrix, int64Vector, readIndexValues, stridesOf } from "./util/sparse-util.js";
import { readInts } from "./util/tensor-util.js";

/** The new shape with its -1 dimension inferred, checked against the old element count. */
function targetShape(inputShape: readonly number[], requested: readonly number[]): number[] {
  const denseSize = inputShape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  let product = 1;
  let unknown = -1;
  requested.forEach((size, d) => {
    if (size === -1) {
      if (unknown !== -1) {
        throw invalidArgument(`only one output dimension may be -1, not both ${unknown} and ${d}`);
      }
      unknown = d;
      out.push(1);
    } else {
      if (size < 0) throw invalidArgument(`size ${d} must be non-negative, not ${size}`);
      product *= size;
      out.push(size);
    }
  });
  const shapes = () => `input_shape=${shapeString(inputShape)} output_shape=${shapeString(out)}`;
  if (unknown !== -1) {
    if (product <= 0) {
      throw invalidArgument(
        "reshape cannot infer the missing input size for an empty tensor unless all specified input sizes are non-zero",
      );
    }
    const missing = Math.floor(denseSize / product);
    if (product * missing !== denseSize) {
      throw invalidArgument(
        `Input to reshape is a SparseTensor with ${denseSize} dense values, but the requested shape requires a multiple of ${product}. ${shapes()}`,
      );
    }
    out[unknown] = missing;
  }
  const n = out.reduce((a, b) => a * b, 1);
  if (n !== denseSize) {
    throw invalidArgument(
      `Input to reshape is a tensor with ${denseSize} dense values, but the requested shape has ${n}. ${shapes()}`,
    );
  }
  return out;
}

export function sparseReshape(indices: Tensor, inputShapeT: Tensor, newShapeT: Tensor): [Tensor, Tensor] {
  if (indices.rank !== 2) throw invalidArgument("Input must be a matrix.");
  if (inputShapeT.rank !== 1) throw invalidArgument("Input shape must be a vector.");
  if (newShapeT.rank !== 1) {
    throw invalidArgument(
      `Target shape should be a vector but received shape ${shapeString(newShapeT.shape)}`,
    );
  }
  const inputShape = readInts(inputShapeT);
  if (indices.shape[1] !== inputShape.length) {
    throw invalidArgument("Input tensor rank must match input shape length.");
  }
  const outShape = targetShape(inputShape, readInts(newShapeT));
  const nnz = indices.shape[0]!;
  const inRank = inputShape.length;
  const outRank = outShape.length;
  const ix = readIndexValues(indices);
  const inStrides = stridesOf(inputShape);
  const outStrides = stridesOf(outShape);
  const out: number[] = [];
  for (let i = 0; i < nnz; i++) {
    let id = 0;
    for (let d = 0; d < inRank; d++) id += ix[i * inRank + d]! * inStrides[d]!;
    for (let d = 0; d < outRank; d++) {
      const q = Math.trunc(id / outStrides[d]!);
      out.push(q);
      id -= q * outStrides[d]!;
    }
  }
  return [int64Matrix(out, nnz, outRank), int64Vector(outShape)];
}

export const sparseReshapeConfig: KernelConfig = {
  op: {
    name: "SparseReshape",
    inputs: ["input_indices: int64", "input_shape: int64", "new_shape: int64"],
    outputs: ["output_indices: int64", "output_shape: int64"],
  },
  kernel: simpleKernel("SparseReshape", (ctx) => {
    const [indices, shape] = sparseReshape(ctx.input(0), ctx.input(1), ctx.input(2));
    ctx.setOutput(0, indices);
    ctx.setOutput(1, shape);
  }),
};
