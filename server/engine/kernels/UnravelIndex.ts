// TF's UnravelIndex (core/kernels/unravel_index_op.cc): flat indices into coordinates of an array
// of shape `dims` (row-major). Only the upper bound is checked, as in TF: a negative index unravels
// with C++'s truncating division.

import { invalidArgument } from "../framework/errors.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { dataTypeString } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

export function unravelIndex(indices: Tensor, dimsT: Tensor): Tensor {
  if (indices.rank > 1) {
    throw invalidArgument(`The indices can only be scalar or vector, got "${shapeString(indices.shape)}"`);
  }
  if (dimsT.rank !== 1)
    throw invalidArgument(`The indices can only be 1-D, got "${shapeString(dimsT.shape)}"`);
  const dims = readInts(dimsT);
  let prod = 1;
  dims.forEach((d, i) => {
    if (d === 0)
      throw invalidArgument(`Input dims cannot contain a dim of zero, but dims contains zero at index ${i}`);
    if (d < 0) throw invalidArgument(`Input dims cannot be negative. Got dim = ${d} at index ${i}`);
    if (prod > 2147483647 / d) {
      throw invalidArgument(`Input dims product is causing integer overflow: (${dims.join(", ")})`);
    }
    prod *= d;
  });
  const idx = readInts(indices);
  if (idx.length === 0) {
    throw invalidArgument(
      `received empty tensor indices: Tensor<type: ${dataTypeString(indices.dtype)} shape: ${shapeString(indices.shape)} values: >`,
    );
  }
  if (idx.some((v) => v >= prod)) throw invalidArgument("index is out of bound as with dims");
  const n = idx.length;
  const shape = indices.rank === 0 ? [dims.length] : [dims.length, n];
  const out = allocData(indices.dtype, dims.length * n, shape) as Int32Array | BigInt64Array;
  const strides = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
  dims.forEach((d, i) => {
    for (let j = 0; j < n; j++) {
      const v = Math.trunc(idx[j]! / strides[i]!) % d;
      if (out instanceof BigInt64Array) out[i * n + j] = BigInt(v);
      else out[i * n + j] = v;
    }
  });
  return new Tensor(indices.dtype, shape, out);
}

export const unravelIndexConfig: KernelConfig = {
  op: {
    name: "UnravelIndex",
    inputs: ["indices: Tidx", "dims: Tidx"],
    outputs: ["output: Tidx"],
    attrs: ["Tidx: {int32, int64} = DT_INT32"],
  },
  kernel: simpleKernel("UnravelIndex", (ctx) => ctx.setOutput(0, unravelIndex(ctx.input(0), ctx.input(1)))),
};
