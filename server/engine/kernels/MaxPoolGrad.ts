// TF's MaxPoolGrad on CPU (core/kernels/maxpooling_op.cc, MaxPoolingGradOp): routes each gradient
// to the maximum of its window in orig_input, recomputed here (the first maximum in row-major order
// on ties, as TF's SpatialMaxPoolWithArgMaxHelper); orig_output only has its shape checked.

import { invalidArgument, unimplemented } from "../framework/errors.js";
import { allocData, type NumericArray, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { getPoolAttrs, maxPoolArgmax, type PoolAttrs, poolGeometry } from "./util/pooling-util.js";
import { computeBuffer, finish, isHalfLike, numericData } from "./util/tensor-util.js";

export function maxPoolGrad(origInput: Tensor, origOutput: Tensor, grad: Tensor, a: PoolAttrs): Tensor {
  if (origInput.rank !== 4) throw invalidArgument("tensor_in must be 4-dimensional");
  if (origOutput.rank !== 4) throw invalidArgument("tensor_out must be 4-dimensional");
  if (grad.rank !== 4) throw invalidArgument("out_backprop must be 4-dimensional");
  const g = poolGeometry(origInput.shape, a);
  const outShape = [g.batch, g.outRows, g.outCols, g.outDepth];
  if (!sameShape(origOutput.shape, outShape)) {
    throw invalidArgument(
      `Expected orig_output shape to be ${shapeString(outShape)}, but got ${shapeString(origOutput.shape)}`,
    );
  }
  if (!sameShape(grad.shape, outShape)) {
    throw invalidArgument(
      `Expected grad shape to be ${shapeString(outShape)}, but got ${shapeString(grad.shape)}`,
    );
  }
  const dt = origInput.dtype;
  const n = origInput.numElements;
  if (dt === DataType.DT_INT64 || dt === DataType.DT_UINT64) {
    const arg = maxPoolArgmax(origInput.data as BigInt64Array, g);
    const dy = grad.data as BigInt64Array;
    const out = allocData(dt, n, origInput.shape) as BigInt64Array;
    for (let o = 0; o < arg.length; o++) if (arg[o]! >= 0) out[arg[o]!]! += dy[o]!;
    return new Tensor(dt, origInput.shape, out);
  }
  const x = numericData(origInput);
  const arg = maxPoolArgmax(x, g);
  const dy = numericData(grad);
  const out = computeBuffer(dt, n, origInput.shape) as NumericArray;
  if (isHalfLike(dt) || dt === DataType.DT_FLOAT || dt === DataType.DT_DOUBLE) {
    const acc = new Float64Array(n);
    for (let o = 0; o < arg.length; o++) if (arg[o]! >= 0) acc[arg[o]!]! += dy[o]!;
    (out as Float32Array | Float64Array).set(acc);
  } else {
    // Integers wrap like C++ (the output array narrows on store).
    for (let o = 0; o < arg.length; o++) if (arg[o]! >= 0) out[arg[o]!] = (out[arg[o]!]! + dy[o]!) | 0;
  }
  return finish(dt, origInput.shape, out);
}

export const maxPoolGradConfig: KernelConfig = {
  op: {
    name: "MaxPoolGrad",
    inputs: ["orig_input: T", "orig_output: T", "grad: T"],
    outputs: ["output: T"],
    // padding: {'SAME', 'VALID', 'EXPLICIT'}; data_format: {'NHWC', 'NCHW'} (string enums in TF).
    attrs: [
      "ksize: list(int) >= 4",
      "strides: list(int) >= 4",
      "padding: {'SAME', 'VALID', 'EXPLICIT'}",
      "explicit_paddings: list(int) = []",
      "data_format: {'NHWC', 'NCHW'} = 'NHWC'",
      "T: realnumbertype = float",
    ],
  },
  kernel: cpuKernel("MaxPoolGrad", (c) => {
    checkTypeConstraint(c, "T", [
      T.float,
      T.double,
      T.int32,
      T.uint8,
      T.int16,
      T.int8,
      T.int64,
      T.bfloat16,
      T.uint16,
      T.half,
      T.uint32,
      T.uint64,
    ]);
    const a = getPoolAttrs(c, "MaxPoolingGradOp", ["SAME", "VALID", "EXPLICIT"]);
    if (a.ksize[3] !== 1 || a.strides[3] !== 1) {
      throw unimplemented("MaxPoolingGrad is not yet supported on the depth dimension.");
    }
    return { compute: (ctx) => ctx.setOutput(0, maxPoolGrad(ctx.input(0), ctx.input(1), ctx.input(2), a)) };
  }),
};
