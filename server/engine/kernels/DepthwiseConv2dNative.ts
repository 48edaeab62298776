// TF's DepthwiseConv2dNative on CPU (core/kernels/depthwise_conv_op.cc): each input channel c is
// convolved with its own filter[:, :, c, 0..multiplier), giving in_depth·multiplier outputs
// (output channel c·multiplier + m). Like TF's CPU kernel: NHWC only, equal row and column
// strides, no dilations. Also the geometry its two gradient kernels share.

import { invalidArgument, unimplemented } from "../framework/errors.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { type NumericArray, shapeString, type Tensor } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import { type ConvAttrs, checkValidPadding, convWindows, getConvAttrs, scratch } from "./util/conv-util.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  type ElementPass,
  encodedOutput,
  runWhole,
} from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer } from "./util/tensor-util.js";

export interface DepthwiseGeometry {
  readonly batch: number;
  readonly inRows: number;
  readonly inCols: number;
  readonly inDepth: number;
  readonly filterRows: number;
  readonly filterCols: number;
  readonly multiplier: number;
  readonly stride: number;
  readonly outRows: number;
  readonly outCols: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** Construction checks of TF's depthwise kernels (forward and both gradients). */
export function getDepthwiseAttrs(c: OpKernelConstruction, forward: boolean): ConvAttrs {
  const a = getConvAttrs(c);
  if (a.strides.length !== 4) throw invalidArgument("Sliding window strides field must specify 4 dimensions");
  const nhwc = a.dataFormat === "NHWC";
  const [h, w, n, ch] = nhwc ? [1, 2, 0, 3] : [2, 3, 0, 1];
  if (a.strides[h] !== a.strides[w]) {
    throw invalidArgument(
      "Current implementation only supports equal length strides in the row and column dimensions.",
    );
  }
  if (a.strides[n] !== 1 || a.strides[ch] !== 1) {
    throw invalidArgument(
      "Current implementation does not yet support strides in the batch and depth dimensions.",
    );
  }
  checkValidPadding(a.padding, a.explicitPaddings, 4, nhwc);
  // The forward CPU kernel rejects dilations; TF's CPU gradient kernels ignore the attr.
  if (forward && a.dilations.some((d) => d !== 1)) {
    throw unimplemented(
      `Current kernel implementation does not support dilations, received [${a.dilations.join(" ")}]`,
    );
  }
  return a;
}

export function depthwiseFormatUnimplemented(): Error {
  return unimplemented("Depthwise convolution on CPU is only supported for NHWC format");
}

/** The checks of TF's EXTRACT_AND_VERIFY_DIMENSIONS (depthwise_conv_grad_op.cc) for NHWC shapes. */
export function depthwiseBackpropGeometry(
  label: string,
  inputShape: readonly number[],
  filterShape: readonly number[],
  dyShape: readonly number[],
  a: ConvAttrs,
): DepthwiseGeometry {
  if (inputShape.length !== 4) throw invalidArgument(`${label}: input must be 4-dimensional`);
  if (filterShape.length !== 4) throw invalidArgument(`${label}: filter must be 4-dimensional`);
  if (dyShape.length !== 4) throw invalidArgument(`${label}: out_backprop must be 4-dimensional`);
  if (inputShape[0] !== dyShape[0]) {
    throw invalidArgument(`${label}: input and out_backprop must have the same batch size`);
  }
  const inDepth = inputShape[3]!;
  if (inDepth !== filterShape[2])
    throw invalidArgument(`${label}: input and filter must have the same in_depth`);
  const multiplier = filterShape[3]!;
  if (multiplier * inDepth !== dyShape[3]) {
    throw invalidArgument(`${label}: depth_multiplier * in_depth not equal to out_depth`);
  }
  const [rows, cols] = convWindows(a, inputShape[1]!, inputShape[2]!, filterShape[0]!, filterShape[1]!, 1, 1);
  if (rows.out !== dyShape[1]) {
    throw invalidArgument(
      `${label}: Number of rows of out_backprop doesn't match computed: actual = ${dyShape[1]}, computed = ${rows.out}`,
    );
  }
  if (cols.out !== dyShape[2]) {
    throw invalidArgument(
      `${label}: Number of cols of out_backprop doesn't match computed: actual = ${dyShape[2]}, computed = ${cols.out}`,
    );
  }
  return {
    batch: inputShape[0]!,
    inRows: inputShape[1]!,
    inCols: inputShape[2]!,
    inDepth,
    filterRows: filterShape[0]!,
    filterCols: filterShape[1]!,
    multiplier,
    stride: a.strides[1]!,
    outRows: rows.out,
    outCols: cols.out,
    padTop: rows.before,
    padLeft: cols.before,
  };
}

/**
 * Calls f(xIndex, wIndex, yIndex) for every (input, filter, output) triple of a depthwise
 * convolution in output rows [start, end) of its batch·outRows rows, skipping padding. Consecutive
 * ranges together make exactly the walk over all rows.
 */
function forEachDepthwiseTapIn(
  g: DepthwiseGeometry,
  start: number,
  end: number,
  f: (xi: number, wi: number, yi: number) => void,
): void {
  const outDepth = g.inDepth * g.multiplier;
  for (let row = start; row < end; row++) {
    const b = Math.floor(row / g.outRows);
    const oh = row - b * g.outRows;
    for (let ow = 0; ow < g.outCols; ow++) {
      const yBase = ((b * g.outRows + oh) * g.outCols + ow) * outDepth;
      for (let fh = 0; fh < g.filterRows; fh++) {
        const ih = oh * g.stride - g.padTop + fh;
        if (ih < 0 || ih >= g.inRows) continue;
        for (let fw = 0; fw < g.filterCols; fw++) {
          const iw = ow * g.stride - g.padLeft + fw;
          if (iw < 0 || iw >= g.inCols) continue;
          const xBase = ((b * g.inRows + ih) * g.inCols + iw) * g.inDepth;
          const wBase = (fh * g.filterCols + fw) * outDepth;
          for (let c = 0; c < g.inDepth; c++) {
            for (let m = 0; m < g.multiplier; m++)
              f(xBase + c, wBase + c * g.multiplier + m, yBase + c * g.multiplier + m);
          }
        }
      }
    }
  }
}

/**
 * A depthwise kernel (forward or gradient) as an ElementJob (util/element-slices.ts): `tap`
 * accumulates into `acc` over the convolution's output rows (in slices, whole rows in their order,
 * so every sum is folded in the same order), then acc becomes the output of `dtype` and `shape`.
 */
export function depthwiseJob(
  g: DepthwiseGeometry,
  inputs: readonly { passes: readonly ElementPass[] }[],
  acc: Float64Array,
  tap: (xi: number, wi: number, yi: number) => void,
  dtype: DataType,
  shape: readonly number[],
): ElementJob<Tensor> {
  const tapsPerRow = g.outCols * g.filterRows * g.filterCols * g.inDepth * g.multiplier;
  const taps: ElementPass = {
    n: g.batch * g.outRows,
    // A tap is a call through a function value: a few times a plain loop's element.
    cost: Math.max(1, 4 * tapsPerRow),
    run: (s, e) => forEachDepthwiseTapIn(g, s, e, tap),
  };
  const out = computeBuffer(dtype, acc.length, shape) as NumericArray;
  const copy = (s: number, e: number) => {
    for (let i = s; i < e; i++) out[i] = acc[i]!;
  };
  const encoded = encodedOutput(dtype, shape, out);
  return {
    passes: [...inputs.flatMap((i) => i.passes), taps, { n: acc.length, run: copy }, ...encoded.passes],
    result: encoded.result,
  };
}

export function depthwiseConv2dNative(input: Tensor, filter: Tensor, a: ConvAttrs): Tensor {
  return runWhole(depthwiseConv2dNativeJob(input, filter, a));
}

export function depthwiseConv2dNativeJob(input: Tensor, filter: Tensor, a: ConvAttrs): ElementJob<Tensor> {
  if (a.dataFormat !== "NHWC") throw depthwiseFormatUnimplemented();
  if (input.rank !== 4) throw invalidArgument(`input must be 4-dimensional${shapeString(input.shape)}`);
  if (filter.rank !== 4) throw invalidArgument(`filter must be 4-dimensional: ${shapeString(filter.shape)}`);
  const inDepth = input.shape[3]!;
  if (inDepth !== filter.shape[2]) {
    throw invalidArgument(`input and filter must have the same depth: ${inDepth} vs ${filter.shape[2]}`);
  }
  const [rows, cols] = convWindows(a, input.shape[1]!, input.shape[2]!, filter.shape[0]!, filter.shape[1]!);
  const g: DepthwiseGeometry = {
    batch: input.shape[0]!,
    inRows: input.shape[1]!,
    inCols: input.shape[2]!,
    inDepth,
    filterRows: filter.shape[0]!,
    filterCols: filter.shape[1]!,
    multiplier: filter.shape[3]!,
    stride: a.strides[1]!,
    outRows: rows.out,
    outCols: cols.out,
    padTop: rows.before,
    padLeft: cols.before,
  };
  const shape = [g.batch, g.outRows, g.outCols, inDepth * g.multiplier];
  const n = g.batch * g.outRows * g.outCols * inDepth * g.multiplier;
  const acc = scratch(n);
  const x = decodedInput(input);
  const w = decodedInput(filter);
  const [xd, wd] = [x.data, w.data];
  return depthwiseJob(
    g,
    [x, w],
    acc,
    (xi, wi, yi) => {
      acc[yi]! += xd[xi]! * wd[wi]!;
    },
    input.dtype,
    shape,
  );
}

export const DEPTHWISE_ATTRS = [
  "T: {half, bfloat16, float, double}",
  "strides: list(int)",
  "padding: {'SAME', 'VALID', 'EXPLICIT'}",
  "explicit_paddings: list(int) = []",
  "data_format: {'NHWC', 'NCHW'} = 'NHWC'",
  "dilations: list(int) = [1, 1, 1, 1]",
] as const;

export const depthwiseConv2dNativeConfig: KernelConfig = {
  op: {
    name: "DepthwiseConv2dNative",
    inputs: ["input: T", "filter: T"],
    outputs: ["output: T"],
    // padding: {'SAME', 'VALID', 'EXPLICIT'}; data_format: {'NHWC', 'NCHW'} (string enums in TF).
    attrs: DEPTHWISE_ATTRS,
  },
  kernel: cpuKernel("DepthwiseConv2dNative", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    const a = getDepthwiseAttrs(c, true);
    return { compute: (ctx) => computeJob(ctx, depthwiseConv2dNativeJob(ctx.input(0), ctx.input(1), a)) };
  }),
};
