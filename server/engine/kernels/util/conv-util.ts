// Shared pieces of TF's convolution and pooling kernels: attr checks (util/padding.cc
// CheckValidPadding, the string-enum attrs of REGISTER_OP), windowed output sizes
// (framework/kernel_shape_util.cc GetWindowedOutputSizeVerbose), the im2col + GEMM core of
// Conv2D and its backprops (kernels/conv_ops.cc, conv_grad_input_ops.h, conv_grad_filter_ops.cc),
// and the float64 scratch every NN kernel computes in.
//
// Float kernels read their inputs as float64 (half/bfloat16 through float32), accumulate in float64
// and round once when the result is stored; TF accumulates in the dtype (Eigen contractions in float
// for float32), so float32 results may differ from TF's in the last bits, never more (see the
// tolerance note in nn-fixtures.test.ts). Large float32 convolutions and their gradients run on
// XNNPACK instead (xnn.ts), accumulating in float32 like TF: the *Xnn functions below. The long
// loops are generators (util/slices.ts) that yield between blocks, so the kernels run in slices.

import { invalidArgument, unimplemented } from "../../framework/errors.js";
import { getAttrIntList, getAttrString, opSignatureString } from "../../framework/op-def.js";
import type { OpKernelConstruction } from "../../framework/op-kernel.js";
import { allocData, type NumericArray, type Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { matMulFloat } from "../MatMul.js";
import { drainSync, rowsPerPiece, type Slices, XNN_PIECE_MACS } from "./slices.js";
import { numericData } from "./tensor-util.js";
import { transposeInto, type XnnKernels } from "./xnn.js";

export type Padding = "SAME" | "VALID" | "EXPLICIT";

/**
 * A string attr with an enumerated value set ("padding: {'SAME', 'VALID'}" in REGISTER_OP). The op
 * declarations spell these as plain strings (the op-def parser has no string enums), so kernels
 * check them at construction with TF's ValidateAttrValue text.
 */
export function getEnumAttr<S extends string>(
  c: OpKernelConstruction,
  name: string,
  allowed: readonly S[],
): S {
  const v = getAttrString(c.attrs, name);
  if (!(allowed as readonly string[]).includes(v)) {
    throw invalidArgument(
      `Value for attr '${name}' of "${v}" is not in the list of allowed values: ${allowed.map((a) => `"${a}"`).join(", ")}` +
        `\n\t; NodeDef: {{node ${c.nodeName}}}; ${opSignatureString(c.opDef)}`,
    );
  }
  return v as S;
}

/** A list(int) attr with a minimum length ("ksize: list(int) >= 4"), checked like ValidateNodeDef. */
export function getIntListAttrMin(c: OpKernelConstruction, name: string, min: number): number[] {
  const v = getAttrIntList(c.attrs, name);
  if (v.length < min) {
    throw invalidArgument(
      `Length for attr '${name}' of ${v.length} must be at least minimum ${min}` +
        `\n\t; NodeDef: {{node ${c.nodeName}}}; ${opSignatureString(c.opDef)}`,
    );
  }
  return v;
}

/** TF's CheckValidPadding for NHWC-ordered explicit paddings of a rank-`numDims` tensor. */
export function checkValidPadding(
  padding: Padding,
  explicit: readonly number[],
  numDims = 4,
  channelsLast = true,
): void {
  if (padding === "EXPLICIT") {
    if (explicit.length !== 2 * numDims) {
      throw invalidArgument(
        `explicit_paddings attribute must contain ${2 * numDims} values, but got: ${explicit.length}`,
      );
    }
    if (explicit.some((p) => p < 0))
      throw invalidArgument("All elements of explicit_paddings must be nonnegative");
    // Batch is dimension 0; depth is the last (NHWC) or dimension 1 (NCHW).
    const d = channelsLast ? numDims - 1 : 1;
    if (explicit[0] !== 0 || explicit[1] !== 0 || explicit[2 * d] !== 0 || explicit[2 * d + 1] !== 0) {
      throw invalidArgument("Nonzero explicit padding in the batch or depth dimensions is not supported");
    }
  } else if (explicit.length !== 0) {
    throw invalidArgument(
      "explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT",
    );
  }
}

export interface Window {
  /** Output size along the dimension. */
  readonly out: number;
  /** Padding added before (top/left) and after (bottom/right). */
  readonly before: number;
  readonly after: number;
}

/**
 * TF's GetWindowedOutputSizeVerbose: the output size and paddings of a sliding window over one
 * dimension. `explicitBefore/After` are used for EXPLICIT padding.
 */
export function windowedOutputSize(
  inputSize: number,
  filterSize: number,
  dilation: number,
  stride: number,
  padding: Padding,
  explicitBefore = 0,
  explicitAfter = 0,
): Window {
  if (stride <= 0) throw invalidArgument(`Stride must be > 0, but got ${stride}`);
  if (dilation < 1) throw invalidArgument(`Dilation rate must be >= 1, but got ${dilation}`);
  const eff = (filterSize - 1) * dilation + 1;
  let out: number;
  let before = 0;
  let after = 0;
  if (padding === "VALID") {
    out = Math.trunc((inputSize - eff + stride) / stride);
  } else if (padding === "EXPLICIT") {
    out = Math.trunc((inputSize + explicitBefore + explicitAfter - eff + stride) / stride);
    before = explicitBefore;
    after = explicitAfter;
  } else {
    out = Math.trunc((inputSize + stride - 1) / stride);
    const needed = Math.max(0, (out - 1) * stride + eff - inputSize);
    before = Math.floor(needed / 2);
    after = needed - before;
  }
  if (out < 0) {
    throw invalidArgument(
      `Computed output size would be negative: ${out} [input_size: ${inputSize}, effective_filter_size: ${eff}, stride: ${stride}]`,
    );
  }
  return { out, before, after };
}

/** The common attrs of Conv2D-like ops, resolved once at construction. */
export interface ConvAttrs {
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padding: Padding;
  readonly explicitPaddings: readonly number[];
  readonly dataFormat: "NHWC" | "NCHW";
}

export function getConvAttrs(c: OpKernelConstruction): ConvAttrs {
  return {
    strides: getAttrIntList(c.attrs, "strides"),
    dilations: getAttrIntList(c.attrs, "dilations"),
    padding: getEnumAttr(c, "padding", ["SAME", "VALID", "EXPLICIT"] as const),
    explicitPaddings: getAttrIntList(c.attrs, "explicit_paddings"),
    dataFormat: getEnumAttr(c, "data_format", ["NHWC", "NCHW"] as const),
  };
}

/** Spatial geometry of a 2-D NHWC convolution (TF's Conv2DDimensions). */
export interface Conv2DGeometry {
  readonly batch: number;
  readonly inRows: number;
  readonly inCols: number;
  readonly inDepth: number;
  readonly filterRows: number;
  readonly filterCols: number;
  /** Filter input depth (in_depth / groups). */
  readonly patchDepth: number;
  readonly outDepth: number;
  readonly strideRows: number;
  readonly strideCols: number;
  readonly dilationRows: number;
  readonly dilationCols: number;
  readonly outRows: number;
  readonly outCols: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** Spatial windows of a convolution from its attrs (NHWC strides/dilations/explicit paddings). */
export function convWindows(
  a: ConvAttrs,
  inRows: number,
  inCols: number,
  filterRows: number,
  filterCols: number,
  dilationRows = a.dilations[1]!,
  dilationCols = a.dilations[2]!,
): [Window, Window] {
  const ep = a.explicitPaddings;
  const rows = windowedOutputSize(inRows, filterRows, dilationRows, a.strides[1]!, a.padding, ep[2], ep[3]);
  const cols = windowedOutputSize(inCols, filterCols, dilationCols, a.strides[2]!, a.padding, ep[4], ep[5]);
  return [rows, cols];
}

/** Float64 scratch of n elements, budgeted like a tensor (TF's allocate_temp). */
export function scratch(n: number): Float64Array {
  return allocData(DataType.DT_DOUBLE, n) as Float64Array;
}

/** A real tensor's elements as float64 (half/bfloat16 decoded; shares nothing with the tensor). */
export function toFloat64(t: Tensor): Float64Array {
  const src = numericData(t);
  const out = scratch(src.length);
  out.set(src);
  return out;
}

/** TF's Unimplemented text for non-NHWC Conv2D on CPU. */
export function conv2DFormatUnimplemented(fmt: string): Error {
  return unimplemented(
    `The Conv2D op currently only supports the NHWC tensor format on the CPU. The op was given the format: ${fmt}`,
  );
}

/** Rows of the im2col matrix processed per GEMM call: keeps a block of patches in L2. */
function blockRows(k: number): number {
  const r = Math.max(4, Math.floor(32768 / Math.max(1, k)));
  return r - (r % 4);
}

/**
 * Copies the patches of output rows [r0, r0 + rows) into `a` (rows × k, k = fr·fc·cg), taking
 * channels [c0, c0 + cg) of each input pixel; padding reads as zero. Row r is (b, oh, ow) in
 * row-major order.
 */
function im2col(
  x: NumericArray | Float64Array,
  g: Conv2DGeometry,
  c0: number,
  cg: number,
  r0: number,
  rows: number,
  a: Float64Array | Float32Array,
): void {
  const { inRows, inCols, inDepth, filterRows, filterCols, outRows, outCols } = g;
  const k = filterRows * filterCols * cg;
  const perImage = outRows * outCols;
  for (let i = 0; i < rows; i++) {
    const r = r0 + i;
    const b = Math.floor(r / perImage);
    const rem = r - b * perImage;
    const oh = Math.floor(rem / outCols);
    const ow = rem - oh * outCols;
    const ih0 = oh * g.strideRows - g.padTop;
    const iw0 = ow * g.strideCols - g.padLeft;
    let o = i * k;
    for (let fh = 0; fh < filterRows; fh++) {
      const ih = ih0 + fh * g.dilationRows;
      if (ih < 0 || ih >= inRows) {
        a.fill(0, o, o + filterCols * cg);
        o += filterCols * cg;
        continue;
      }
      const rowBase = (b * inRows + ih) * inCols;
      for (let fw = 0; fw < filterCols; fw++) {
        const iw = iw0 + fw * g.dilationCols;
        if (iw < 0 || iw >= inCols) {
          a.fill(0, o, o + cg);
        } else {
          const s = (rowBase + iw) * inDepth + c0;
          for (let c = 0; c < cg; c++) a[o + c] = x[s + c]!;
        }
        o += cg;
      }
    }
  }
}

/**
 * Forward 2-D convolution (grouped when inDepth > patchDepth) of real floating inputs: im2col in
 * blocks of rows, each multiplied with the filter by MatMul's register-tiled GEMM. `out` receives
 * [batch, outRows, outCols, outDepth] row-major.
 */
export function conv2DFloat(
  x: NumericArray,
  filter: NumericArray,
  g: Conv2DGeometry,
  out: NumericArray,
): void {
  drainSync(conv2DFloatSlices(x, filter, g, out));
}

/** conv2DFloat in slices: one im2col block and its GEMM per piece. */
export function* conv2DFloatSlices(
  x: NumericArray,
  filter: NumericArray,
  g: Conv2DGeometry,
  out: NumericArray,
): Slices<void> {
  const groups = g.inDepth / g.patchDepth;
  const cg = g.patchDepth;
  const ocg = g.outDepth / groups;
  const k = g.filterRows * g.filterCols * cg;
  const m = g.batch * g.outRows * g.outCols;
  if (m === 0 || ocg === 0) return;
  const rowsPerBlock = blockRows(k);
  const a = scratch(Math.min(m, rowsPerBlock) * k);
  const bt = scratch(ocg * k);
  const tmp = groups > 1 ? scratch(Math.min(m, rowsPerBlock) * ocg) : undefined;
  for (let grp = 0; grp < groups; grp++) {
    // bt[oc][p] = filter[p][grp·ocg + oc]: the filter is [fr, fc, cg, outDepth] = k × outDepth.
    for (let p = 0; p < k; p++) {
      const src = p * g.outDepth + grp * ocg;
      for (let oc = 0; oc < ocg; oc++) bt[oc * k + p] = filter[src + oc]!;
    }
    for (let r0 = 0; r0 < m; r0 += rowsPerBlock) {
      const rows = Math.min(rowsPerBlock, m - r0);
      im2col(x, g, grp * cg, cg, r0, rows, a);
      if (tmp === undefined) {
        matMulFloat(a, bt, out.subarray(r0 * g.outDepth) as NumericArray, rows, k, ocg);
      } else {
        matMulFloat(a, bt, tmp, rows, k, ocg);
        for (let i = 0; i < rows; i++) {
          const o = (r0 + i) * g.outDepth + grp * ocg;
          for (let oc = 0; oc < ocg; oc++) out[o + oc] = tmp[i * ocg + oc]!;
        }
      }
      yield;
    }
  }
}

/** Forward convolution of int32 inputs: sums and products wrap mod 2^32 like Eigen's int32. */
export function* conv2DInt(
  x: Int32Array,
  filter: Int32Array,
  g: Conv2DGeometry,
  out: Int32Array,
): Slices<void> {
  const groups = g.inDepth / g.patchDepth;
  const cg = g.patchDepth;
  const ocg = g.outDepth / groups;
  let r = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outRows; oh++) {
      yield;
      for (let ow = 0; ow < g.outCols; ow++, r++) {
        const o = r * g.outDepth;
        for (let fh = 0; fh < g.filterRows; fh++) {
          const ih = oh * g.strideRows - g.padTop + fh * g.dilationRows;
          if (ih < 0 || ih >= g.inRows) continue;
          for (let fw = 0; fw < g.filterCols; fw++) {
            const iw = ow * g.strideCols - g.padLeft + fw * g.dilationCols;
            if (iw < 0 || iw >= g.inCols) continue;
            const xs = ((b * g.inRows + ih) * g.inCols + iw) * g.inDepth;
            const fs = (fh * g.filterCols + fw) * cg * g.outDepth;
            for (let oc = 0; oc < g.outDepth; oc++) {
              const grp = Math.floor(oc / ocg);
              let s = out[o + oc]!;
              for (let c = 0; c < cg; c++) {
                s = (s + Math.imul(x[xs + grp * cg + c]!, filter[fs + c * g.outDepth + oc]!)) | 0;
              }
              out[o + oc] = s;
            }
          }
        }
      }
    }
  }
}

/**
 * The inverse of im2col (TF's Col2im): adds each patch row of output rows [r0, r0 + rows) of
 * `cols` (rows × k, k = fr·fc·inDepth) onto the input pixels it was read from; padding taps are
 * dropped. Unit dilations (TF's CPU backprops reject others).
 */
function col2im(
  cols: ArrayLike<number>,
  g: Conv2DGeometry,
  r0: number,
  rows: number,
  dx: Float64Array | Float32Array,
): void {
  const { inRows, inCols, inDepth, filterRows, filterCols, outRows, outCols } = g;
  const k = filterRows * filterCols * inDepth;
  const perImage = outRows * outCols;
  for (let i = 0; i < rows; i++) {
    const r = r0 + i;
    const b = Math.floor(r / perImage);
    const rem = r - b * perImage;
    const oh = Math.floor(rem / outCols);
    const ow = rem - oh * outCols;
    let p = i * k;
    for (let fh = 0; fh < filterRows; fh++) {
      const ih = oh * g.strideRows - g.padTop + fh;
      if (ih < 0 || ih >= inRows) {
        p += filterCols * inDepth;
        continue;
      }
      for (let fw = 0; fw < filterCols; fw++) {
        const iw = ow * g.strideCols - g.padLeft + fw;
        if (iw >= 0 && iw < inCols) {
          const d = ((b * inRows + ih) * inCols + iw) * inDepth;
          for (let c = 0; c < inDepth; c++) dx[d + c]! += cols[p + c]!;
        }
        p += inDepth;
      }
    }
  }
}

/**
 * Gradient of a (non-grouped) convolution with respect to its input: dy · filterᵀ per block of
 * output rows (MatMul's GEMM), scattered back onto the input pixels (TF's Col2im). Returns the
 * float64 sums, [batch, inRows, inCols, inDepth].
 */
export function* conv2DBackpropInputFloat(
  filter: NumericArray,
  dy: NumericArray,
  g: Conv2DGeometry,
): Slices<Float64Array> {
  const { inRows, inCols, inDepth, filterRows, filterCols, outDepth } = g;
  const k = filterRows * filterCols * inDepth;
  const m = g.batch * g.outRows * g.outCols;
  const dx = scratch(g.batch * inRows * inCols * inDepth);
  if (m === 0 || k === 0) return dx;
  // The filter [fr, fc, in, out] is k × outDepth: exactly the "n × k" right operand matMulFloat takes.
  const w = scratch(k * outDepth);
  w.set(filter);
  const rowsPerBlock = blockRows(Math.max(k, outDepth));
  const a = scratch(Math.min(m, rowsPerBlock) * outDepth);
  const cols = scratch(Math.min(m, rowsPerBlock) * k);
  for (let r0 = 0; r0 < m; r0 += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, m - r0);
    for (let i = 0; i < rows * outDepth; i++) a[i] = dy[r0 * outDepth + i]!;
    matMulFloat(a, w, cols, rows, outDepth, k);
    col2im(cols, g, r0, rows, dx);
    yield;
  }
  return dx;
}

/** Input gradient of an int32 convolution (wrapping arithmetic). */
export function* conv2DBackpropInputInt(
  filter: Int32Array,
  dy: Int32Array,
  g: Conv2DGeometry,
  dx: Int32Array,
): Slices<void> {
  let r = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outRows; oh++) {
      yield;
      for (let ow = 0; ow < g.outCols; ow++, r++) {
        for (let fh = 0; fh < g.filterRows; fh++) {
          const ih = oh * g.strideRows - g.padTop + fh;
          if (ih < 0 || ih >= g.inRows) continue;
          for (let fw = 0; fw < g.filterCols; fw++) {
            const iw = ow * g.strideCols - g.padLeft + fw;
            if (iw < 0 || iw >= g.inCols) continue;
            const d = ((b * g.inRows + ih) * g.inCols + iw) * g.inDepth;
            const fs = (fh * g.filterCols + fw) * g.inDepth * g.outDepth;
            for (let c = 0; c < g.inDepth; c++) {
              let s = dx[d + c]!;
              for (let oc = 0; oc < g.outDepth; oc++) {
                s = (s + Math.imul(dy[r * g.outDepth + oc]!, filter[fs + c * g.outDepth + oc]!)) | 0;
              }
              dx[d + c] = s;
            }
          }
        }
      }
    }
  }
}

/**
 * Gradient of a (non-grouped) convolution with respect to its filter: Σ over blocks of output rows
 * of patchesᵀ · dy (MatMul's GEMM on transposed blocks). Returns float64 [fr, fc, in, out].
 */
export function* conv2DBackpropFilterFloat(
  x: NumericArray,
  dy: NumericArray,
  g: Conv2DGeometry,
): Slices<Float64Array> {
  const { inDepth, filterRows, filterCols, outDepth } = g;
  const k = filterRows * filterCols * inDepth;
  const m = g.batch * g.outRows * g.outCols;
  const dw = scratch(k * outDepth);
  if (m === 0 || k === 0 || outDepth === 0) return dw;
  const rowsPerBlock = blockRows(k + outDepth);
  const patches = scratch(Math.min(m, rowsPerBlock) * k);
  const pt = scratch(Math.min(m, rowsPerBlock) * k);
  const dyt = scratch(Math.min(m, rowsPerBlock) * outDepth);
  const part = scratch(k * outDepth);
  for (let r0 = 0; r0 < m; r0 += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, m - r0);
    im2col(x, g, 0, inDepth, r0, rows, patches);
    for (let i = 0; i < rows; i++) {
      for (let p = 0; p < k; p++) pt[p * rows + i] = patches[i * k + p]!;
      for (let oc = 0; oc < outDepth; oc++) dyt[oc * rows + i] = dy[(r0 + i) * outDepth + oc]!;
    }
    matMulFloat(pt, dyt, part, k, rows, outDepth);
    for (let i = 0; i < k * outDepth; i++) dw[i]! += part[i]!;
    yield;
  }
  return dw;
}

/** Multiply-adds of a convolution (or either of its gradients) with geometry g. */
export function convMacs(g: Conv2DGeometry): number {
  return g.batch * g.outRows * g.outCols * g.outDepth * g.filterRows * g.filterCols * g.patchDepth;
}

/** Rows of the patch matrix per XNNPACK call: bounds the heap blocks at about 16 MiB. */
function xnnBlockRows(k: number): number {
  return Math.max(64, Math.floor(2 ** 22 / Math.max(1, k)));
}

/**
 * Forward convolution of float32 data on XNNPACK (non-grouped); false when the wasm heap cannot
 * hold it (nothing written).
 */
export function* conv2DXnn(
  x: XnnKernels,
  input: Float32Array,
  filter: Float32Array,
  g: Conv2DGeometry,
  out: Float32Array,
): Slices<boolean> {
  // Small enough for one piece: one call for the whole batch.
  if (convMacs(g) <= XNN_PIECE_MACS) return x.conv2D(g, input, filter, (v) => out.set(v));
  const rows = rowsPerPiece(convMacs(g) / (g.batch * g.outRows), XNN_PIECE_MACS);
  for (let b = 0; b < g.batch; b++) {
    for (let o0 = 0; o0 < g.outRows; o0 += rows) {
      if (!conv2DXnnBand(x, input, filter, g, b, o0, Math.min(g.outRows, o0 + rows), out)) return false;
      yield;
    }
  }
  return true;
}

/**
 * Output rows [o0, o1) of image b on XNNPACK: a convolution of the band of input rows they read,
 * its top padding what of the original padding the band still needs (the bottom padding follows
 * from the output size). Each output pixel reads the same taps in the same order as in one call
 * for the whole input, so its sum has the same bits.
 */
function conv2DXnnBand(
  x: XnnKernels,
  input: Float32Array,
  filter: Float32Array,
  g: Conv2DGeometry,
  b: number,
  o0: number,
  o1: number,
  out: Float32Array,
): boolean {
  const effRows = (g.filterRows - 1) * g.dilationRows + 1;
  const top = o0 * g.strideRows - g.padTop;
  const bottom = (o1 - 1) * g.strideRows - g.padTop + effRows;
  const r0 = Math.max(0, top);
  const r1 = Math.min(g.inRows, bottom);
  const pixel = g.inCols * g.inDepth;
  const at = (b * g.outRows + o0) * g.outCols * g.outDepth;
  if (r1 <= r0) {
    // Every tap is padding: XNNPACK's sums of zero products are +0.
    out.fill(0, at, at + (o1 - o0) * g.outCols * g.outDepth);
    return true;
  }
  const band: Conv2DGeometry = { ...g, batch: 1, inRows: r1 - r0, outRows: o1 - o0, padTop: r0 - top };
  const data = input.subarray((b * g.inRows + r0) * pixel, (b * g.inRows + r1) * pixel);
  return x.conv2D(band, data, filter, (v) => out.set(v, at));
}

/**
 * Input gradient of a non-grouped float32 convolution on XNNPACK: per block of output rows,
 * dy · filterᵀ on XNNPACK, scattered onto the input pixels (TF's Col2im) straight from the heap into
 * `dx` (zeroed, [batch, inRows, inCols, inDepth]). False when the heap cannot hold a block.
 */
export function* conv2DBackpropInputXnn(
  x: XnnKernels,
  filter: Float32Array,
  dy: Float32Array,
  g: Conv2DGeometry,
  dx: Float32Array,
): Slices<boolean> {
  const { inDepth, filterRows, filterCols, outDepth } = g;
  const k = filterRows * filterCols * inDepth;
  const m = g.batch * g.outRows * g.outCols;
  const rowsPerBlock = xnnBlockRows(k);
  for (let r0 = 0; r0 < m; r0 += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, m - r0);
    const ok = x.gemm(
      rows,
      outDepth,
      k,
      (v) => v.set(dy.subarray(r0 * outDepth, (r0 + rows) * outDepth)),
      // The filter [fr, fc, in, out] is k × outDepth; the product needs outDepth × k.
      (v) => transposeInto(filter, 0, k, outDepth, v),
      (cols) => col2im(cols, g, r0, rows, dx),
    );
    // A block that does not fit leaves dx partly summed: the caller restarts on the JS path.
    if (!ok) return false;
    yield;
  }
  return true;
}

/**
 * Filter gradient of a non-grouped float32 convolution on XNNPACK: per block of output rows,
 * dyᵀ · patches (outDepth × k) on XNNPACK, summed (in float64 across blocks) and transposed into
 * `dw` ([fr, fc, in, out]). False when the heap cannot hold a block.
 */
export function* conv2DBackpropFilterXnn(
  x: XnnKernels,
  input: Float32Array,
  dy: Float32Array,
  g: Conv2DGeometry,
  dw: Float32Array,
): Slices<boolean> {
  const { inDepth, filterRows, filterCols, outDepth } = g;
  const k = filterRows * filterCols * inDepth;
  const m = g.batch * g.outRows * g.outCols;
  const rowsPerBlock = xnnBlockRows(k + outDepth);
  const acc = scratch(outDepth * k);
  for (let r0 = 0; r0 < m; r0 += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, m - r0);
    const ok = x.gemm(
      outDepth,
      rows,
      k,
      (v) => transposeInto(dy, r0 * outDepth, rows, outDepth, v),
      (v) => im2col(input, g, 0, inDepth, r0, rows, v),
      (part) => {
        for (let i = 0; i < outDepth * k; i++) acc[i]! += part[i]!;
      },
    );
    if (!ok) return false;
    yield;
  }
  for (let oc = 0; oc < outDepth; oc++) for (let p = 0; p < k; p++) dw[p * outDepth + oc] = acc[oc * k + p]!;
  return true;
}

/**
 * TF's ConvBackpropComputeDimensionsV2 for 2-D NHWC convolutions with unit dilations (TF's CPU
 * backprops reject others): checks the three shapes against each other with TF's `label: …` texts
 * and returns the geometry.
 */
export function convBackpropGeometry(
  label: string,
  inputShape: readonly number[],
  filterShape: readonly number[],
  dyShape: readonly number[],
  a: ConvAttrs,
): Conv2DGeometry {
  if (inputShape.length !== 4) throw invalidArgument(`${label}: input must be 4-dimensional`);
  if (filterShape.length !== 4) throw invalidArgument(`${label}: filter must be 4-dimensional`);
  if (dyShape.length !== 4) throw invalidArgument(`${label}: out_backprop must be 4-dimensional`);
  const batch = inputShape[0]!;
  if (batch !== dyShape[0]) {
    throw invalidArgument(
      `${label}: input and out_backprop must have the same batch size. Input batch: ${batch}, outbackprop batch: ${dyShape[0]}, batch_dim: 0`,
    );
  }
  const inDepth = inputShape[3]!;
  const patchDepth = filterShape[2]!;
  if (patchDepth <= 0) throw invalidArgument(`${label}: filter depth must be strictly greated than zero`);
  if (inDepth % patchDepth !== 0) {
    throw invalidArgument(`${label}: input depth must be evenly divisible by filter depth`);
  }
  const outDepth = filterShape[3]!;
  if (outDepth !== dyShape[3]) {
    throw invalidArgument(`${label}: filter and out_backprop must have the same out_depth`);
  }
  const windows: Window[] = [];
  for (let i = 0; i < 2; i++) {
    const dim = i + 1;
    const ep = a.explicitPaddings;
    const w = windowedOutputSize(
      inputShape[dim]!,
      filterShape[i]!,
      1,
      a.strides[dim]!,
      a.padding,
      ep[2 * dim],
      ep[2 * dim + 1],
    );
    if (w.out !== dyShape[dim]) {
      throw invalidArgument(
        `${label}: Size of out_backprop doesn't match computed: actual = ${dyShape[dim]}, computed = ${w.out} ` +
          `spatial_dim: ${dim} input: ${inputShape[dim]} filter: ${filterShape[i]} output: ${dyShape[dim]} ` +
          `stride: ${a.strides[dim]} dilation: 1`,
      );
    }
    windows.push(w);
  }
  return {
    batch,
    inRows: inputShape[1]!,
    inCols: inputShape[2]!,
    inDepth,
    filterRows: filterShape[0]!,
    filterCols: filterShape[1]!,
    patchDepth,
    outDepth,
    strideRows: a.strides[1]!,
    strideCols: a.strides[2]!,
    dilationRows: 1,
    dilationCols: 1,
    outRows: windows[0]!.out,
    outCols: windows[1]!.out,
    padTop: windows[0]!.before,
    padLeft: windows[1]!.before,
  };
}

/**
 * Construction-time checks of TF's Conv2DCustomBackpropInputOp / Conv2DCustomBackpropFilterOp
 * (NHWC only, unit dilations, strides 1 in batch and depth). `opName` is the C++ class name TF
 * puts in the NHWC message; `stridesUnimplemented` says whether a batch/depth stride is
 * UNIMPLEMENTED (input) or INVALID_ARGUMENT (filter), as in TF 2.21.
 */
export function checkConvBackpropAttrs(a: ConvAttrs, opName: string, stridesUnimplemented: boolean): void {
  if (a.dataFormat !== "NHWC") throw invalidArgument(`${opName} only supports NHWC.`);
  if (a.strides.length !== 4) throw invalidArgument("Sliding window strides field must specify 4 dimensions");
  if (a.strides[0] !== 1 || a.strides[3] !== 1) {
    const text = "Current implementation does not yet support strides in the batch and depth dimensions.";
    throw stridesUnimplemented ? unimplemented(text) : invalidArgument(text);
  }
  if (!(a.strides[1]! > 0 && a.strides[2]! > 0)) {
    throw invalidArgument("Row and column strides should be larger than 0.");
  }
  if (a.dilations.length !== 4) {
    throw invalidArgument("Sliding window dilations field must specify 4 dimensions");
  }
  if (a.dilations[0] !== 1 || a.dilations[3] !== 1) {
    throw unimplemented(
      "Current implementation does not yet support dilations in the batch and depth dimensions.",
    );
  }
  if (a.dilations[1] !== 1 || a.dilations[2] !== 1) {
    throw invalidArgument("Current CPU implementations do not yet support dilation rates larger than 1.");
  }
  checkValidPadding(a.padding, a.explicitPaddings);
}

/** TensorShapeUtils::MakeShape from a sizes vector: negative dims are TF's INVALID_ARGUMENT. */
export function makeShape(sizes: readonly number[]): number[] {
  for (const d of sizes) if (d < 0) throw invalidArgument(`Dimension ${d} must be >= 0`);
  return [...sizes];
}
