// TF's Conv2D (core/kernels/conv_ops.cc, conv_ops_impl.h): 2-D convolution of an NHWC input with
// an [rows, cols, in/groups, out] filter; strides, dilations, SAME/VALID/EXPLICIT padding and
// grouped convolutions (in_depth a multiple of the filter's depth), as TF's CPU kernel supports.
// NCHW is UNIMPLEMENTED on CPU, as in TF. Large float32 convolutions run on onnxruntime over the
// intra-op pool (util/ort.ts, util/dense-kernel.ts), medium non-grouped ones on XNNPACK (xnn.ts);
// other floats run im2col + MatMul's GEMM (conv-util.ts).

import { invalidArgument, unimplemented } from "../framework/errors.js";
import { type NumericArray, shapeString, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  type Conv2DGeometry,
  type ConvAttrs,
  checkValidPadding,
  conv2DFloatSlices,
  conv2DFormatUnimplemented,
  conv2DInt,
  conv2DXnn,
  convMacs,
  convWindows,
  getConvAttrs,
} from "./util/conv-util.js";
import { denseKernel } from "./util/dense-kernel.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { ortConv2DSlices } from "./util/ort-slices.js";
import { drainSync, outputSlices, type Slices } from "./util/slices.js";
import { computeBuffer, finish, numericData } from "./util/tensor-util.js";
import { useXnn } from "./util/xnn.js";

/** TF's InitConv2DParameters checks (construction time). */
export function checkConv2DAttrs(a: ConvAttrs): void {
  const nhwc = a.dataFormat === "NHWC";
  const [n, h, w, c] = nhwc ? [0, 1, 2, 3] : [0, 2, 3, 1];
  if (a.dilations.length !== 4) {
    throw invalidArgument("Sliding window dilations field must specify 4 dimensions");
  }
  if (a.strides.length !== 4) throw invalidArgument("Sliding window strides field must specify 4 dimensions");
  if (a.strides[n] !== 1 || a.strides[c] !== 1) {
    throw unimplemented(
      "Current implementation does not yet support strides in the batch and depth dimensions.",
    );
  }
  if (!(a.strides[h]! > 0 && a.strides[w]! > 0)) {
    throw invalidArgument("Row and column strides should be larger than 0.");
  }
  if (a.dilations[n] !== 1 || a.dilations[c] !== 1) {
    throw unimplemented(
      "Current implementation does not yet support dilations in the batch and depth dimensions.",
    );
  }
  if (!(a.dilations[h]! > 0 && a.dilations[w]! > 0))
    throw invalidArgument("Dilated rates should be larger than 0.");
  checkValidPadding(a.padding, a.explicitPaddings, 4, nhwc);
}

/** TF's ComputeConv2DDimension for NHWC input and HWIO filter. */
export function conv2DGeometry(input: Tensor, filter: Tensor, a: ConvAttrs): Conv2DGeometry {
  if (input.rank !== 4) {
    throw invalidArgument(`convolution input must be 4-dimensional: ${shapeString(input.shape)}`);
  }
  if (filter.rank !== 4) {
    throw invalidArgument(`convolution filter must be 4-dimensional: ${shapeString(filter.shape)}`);
  }
  const nhwc = a.dataFormat === "NHWC";
  const inDepth = input.shape[nhwc ? 3 : 1]!;
  const [filterRows, filterCols, patchDepth, outDepth] = filter.shape as [number, number, number, number];
  if (patchDepth <= 0) throw invalidArgument(`filter depth must be stricly positive, got ${patchDepth}`);
  if (inDepth % patchDepth !== 0) {
    throw invalidArgument(
      `input depth must be evenly divisible by filter depth: ${inDepth} vs ${patchDepth}`,
    );
  }
  if (filter.numElements === 0) {
    throw invalidArgument("filter must not have zero elements (i.e. all dimensions must be non-zero)");
  }
  const groups = inDepth / patchDepth;
  if (outDepth % groups !== 0 || outDepth < groups) {
    throw invalidArgument(
      `output depth must be evenly divisible by number of groups: ${outDepth} vs ${groups}`,
    );
  }
  if (!nhwc) throw conv2DFormatUnimplemented(a.dataFormat);
  const [rows, cols] = convWindows(a, input.shape[1]!, input.shape[2]!, filterRows, filterCols);
  return {
    batch: input.shape[0]!,
    inRows: input.shape[1]!,
    inCols: input.shape[2]!,
    inDepth,
    filterRows,
    filterCols,
    patchDepth,
    outDepth,
    strideRows: a.strides[1]!,
    strideCols: a.strides[2]!,
    dilationRows: a.dilations[1]!,
    dilationCols: a.dilations[2]!,
    outRows: rows.out,
    outCols: cols.out,
    padTop: rows.before,
    padLeft: cols.before,
  };
}

/**
 * TF's Conv2D (attrs already checked with checkConv2DAttrs). Non-grouped float32 convolutions of at
 * least XNN_MIN_MACS multiply-adds use XNNPACK when this thread has loaded it (see xnnKernel).
 */
export function conv2D(input: Tensor, filter: Tensor, a: ConvAttrs): Tensor {
  return drainSync(conv2DSlices(input, filter, a));
}

/** conv2D as slices (util/slices.ts): bands of output rows on XNNPACK, im2col blocks on JS. */
export function* conv2DSlices(input: Tensor, filter: Tensor, a: ConvAttrs): Slices<Tensor> {
  const g = conv2DGeometry(input, filter, a);
  const shape = [g.batch, g.outRows, g.outCols, g.outDepth];
  const n = g.batch * g.outRows * g.outCols * g.outDepth;
  const out = computeBuffer(input.dtype, n, shape) as NumericArray;
  const x = input.dtype === DataType.DT_FLOAT && g.patchDepth === g.inDepth ? useXnn(convMacs(g)) : undefined;
  if (
    x &&
    (yield* conv2DXnn(x, input.data as Float32Array, filter.data as Float32Array, g, out as Float32Array))
  ) {
    return finish(input.dtype, shape, out);
  }
  if (input.dtype === DataType.DT_INT32) {
    yield* conv2DInt(input.data as Int32Array, filter.data as Int32Array, g, out as Int32Array);
  } else {
    yield* conv2DFloatSlices(numericData(input), numericData(filter), g, out);
  }
  return finish(input.dtype, shape, out);
}

export const conv2DConfig: KernelConfig = {
  op: {
    name: "Conv2D",
    inputs: ["input: T", "filter: T"],
    outputs: ["output: T"],
    // padding: {'SAME', 'VALID', 'EXPLICIT'} and data_format: {'NHWC', 'NCHW'} are string enums in
    // TF; the kernel checks their values (getEnumAttr).
    attrs: [
      "T: {half, bfloat16, float, double, int32}",
      "strides: list(int)",
      "use_cudnn_on_gpu: bool = true",
      "padding: {'SAME', 'VALID', 'EXPLICIT'}",
      "explicit_paddings: list(int) = []",
      "data_format: {'NHWC', 'NCHW'} = 'NHWC'",
      "dilations: list(int) = [1, 1, 1, 1]",
    ],
  },
  kernel: cpuKernel("Conv2D", (c) => {
    const dt = checkTypeConstraint(c, "T", [T.half, T.bfloat16, T.float, T.double, T.int32]);
    const a = getConvAttrs(c);
    checkConv2DAttrs(a);
    return denseKernel(dt === DataType.DT_FLOAT, {
      macs: (ctx) => convMacs(conv2DGeometry(ctx.input(0), ctx.input(1), a)),
      compute: (ctx) => outputSlices(ctx, conv2DSlices(ctx.input(0), ctx.input(1), a)),
      native: (ctx, rt) => {
        const [input, filter] = [ctx.input(0), ctx.input(1)];
        return ortConv2DSlices(rt, input, filter, conv2DGeometry(input, filter, a));
      },
    });
  }),
};
