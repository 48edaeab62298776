// TF's PoolParameters (core/kernels/pooling_ops_common.cc/.h): the geometry of a 2-D NHWC pooling
// window (or of a depth window, for MaxPool) with TF's checks and texts, plus the construction-time
// attr checks the pooling kernels share.

import { invalidArgument, unimplemented } from "../../framework/errors.js";
import { getAttrIntList } from "../../framework/op-def.js";
import type { OpKernelConstruction } from "../../framework/op-kernel.js";
import {
  checkValidPadding,
  getEnumAttr,
  getIntListAttrMin,
  type Padding,
  windowedOutputSize,
} from "./conv-util.js";

export interface PoolAttrs {
  readonly ksize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly explicitPaddings: readonly number[];
}

/**
 * Reads and checks a pooling kernel's attrs: `cpuName` names the kernel in TF's "Default … only
 * supports NHWC on device type CPU" text; `paddings` are the padding values the op allows.
 */
export function getPoolAttrs(
  c: OpKernelConstruction,
  cpuName: string,
  paddings: readonly Padding[],
  formats: readonly string[] = ["NHWC", "NCHW"],
): PoolAttrs {
  const ksize = getIntListAttrMin(c, "ksize", 4);
  const strides = getIntListAttrMin(c, "strides", 4);
  const padding = getEnumAttr(c, "padding", paddings);
  const fmt = getEnumAttr(c, "data_format", formats);
  const explicitPaddings = paddings.includes("EXPLICIT") ? getAttrIntList(c.attrs, "explicit_paddings") : [];
  if (fmt !== "NHWC") throw invalidArgument(`Default ${cpuName} only supports NHWC on device type CPU`);
  if (ksize.length !== 4) throw invalidArgument("Sliding window ksize field must specify 4 dimensions");
  if (strides.length !== 4) throw invalidArgument("Sliding window stride field must specify 4 dimensions");
  if (padding === "EXPLICIT") checkValidPadding(padding, explicitPaddings);
  if (ksize[0] !== 1 || strides[0] !== 1) {
    throw unimplemented("Pooling is not yet supported on the batch dimension.");
  }
  return { ksize, strides, padding, explicitPaddings };
}

export interface PoolGeometry {
  readonly batch: number;
  readonly inRows: number;
  readonly inCols: number;
  readonly depth: number;
  readonly windowRows: number;
  readonly windowCols: number;
  readonly depthWindow: number;
  readonly strideRows: number;
  readonly strideCols: number;
  readonly outRows: number;
  readonly outCols: number;
  readonly outDepth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** TF's PoolParameters for an NHWC input shape. */
export function poolGeometry(shape: readonly number[], a: PoolAttrs): PoolGeometry {
  if (shape.length !== 4) {
    // TF prints the TensorFormat enum value (FORMAT_NHWC = 0).
    throw invalidArgument(`tensor_in_shape must have 2 spatial dimensions. ${shape.length} 0`);
  }
  if (a.ksize.some((k) => k <= 0)) {
    throw invalidArgument(
      `Sliding window ksize must be positive. The specified or inferred ksize is: ${a.ksize.join(",")}`,
    );
  }
  const [batch, inRows, inCols, depth] = shape as [number, number, number, number];
  const [, windowRows, windowCols, depthWindow] = a.ksize as [number, number, number, number];
  const [, strideRows, strideCols, depthStride] = a.strides as [number, number, number, number];
  if (!(depthWindow === 1 || (windowRows === 1 && windowCols === 1))) {
    throw unimplemented(
      "MaxPooling supports exactly one of pooling across depth or pooling across width/height.",
    );
  }
  if (depthWindow === 1) {
    const ep = a.explicitPaddings;
    const rows = windowedOutputSize(inRows, windowRows, 1, strideRows, a.padding, ep[2], ep[3]);
    const cols = windowedOutputSize(inCols, windowCols, 1, strideCols, a.padding, ep[4], ep[5]);
    if (a.padding === "EXPLICIT") {
      const check = (what: string, pad: number, window: number) => {
        if (pad >= window) {
          throw invalidArgument(`${what} padding ${pad} needs to be smaller than the window size ${window}`);
        }
      };
      check("Top", rows.before, windowRows);
      check("Bottom", rows.after, windowRows);
      check("Left", cols.before, windowCols);
      check("Right", cols.after, windowCols);
    }
    return {
      batch,
      inRows,
      inCols,
      depth,
      windowRows,
      windowCols,
      depthWindow,
      strideRows,
      strideCols,
      outRows: rows.out,
      outCols: cols.out,
      outDepth: depth,
      padTop: rows.before,
      padLeft: cols.before,
    };
  }
  if (depth % depthWindow !== 0) {
    throw unimplemented("Depthwise max pooling requires the depth window to evenly divide the input depth");
  }
  if (depthStride !== depthWindow) {
    throw unimplemented("Depthwise max pooling requires the depth window to equal the depth stride");
  }
  return {
    batch,
    inRows,
    inCols,
    depth,
    windowRows: 1,
    windowCols: 1,
    depthWindow,
    strideRows: 1,
    strideCols: 1,
    outRows: inRows,
    outCols: inCols,
    outDepth: depth / depthWindow,
    padTop: 0,
    padLeft: 0,
  };
}

/**
 * For each output element of a spatial max pool, the flat input index of its maximum: the first
 * one in row-major order on ties (TF's SpatialMaxPoolWithArgMaxHelper updates on `<` only).
 * −1 for an empty window.
 */
export function maxPoolArgmax<V extends number | bigint>(x: ArrayLike<V>, g: PoolGeometry): Int32Array {
  const n = g.batch * g.outRows * g.outCols * g.depth;
  const arg = new Int32Array(n).fill(-1);
  maxPoolArgmaxRows(x, g, arg, 0, g.batch * g.outRows);
  return arg;
}

/**
 * The part of maxPoolArgmax for output rows [r0, r1) (row r = image r / outRows, output row
 * r % outRows) into `arg` (filled with -1): each output's window is scanned whole by one call, so
 * rows computed in ranges give the same argmax.
 */
export function maxPoolArgmaxRows<V extends number | bigint>(
  x: ArrayLike<V>,
  g: PoolGeometry,
  arg: Int32Array,
  r0: number,
  r1: number,
): void {
  for (let r = r0; r < r1; r++) {
    const b = Math.floor(r / g.outRows);
    const oh = r - b * g.outRows;
    const h0 = Math.max(0, oh * g.strideRows - g.padTop);
    const h1 = Math.min(g.inRows, oh * g.strideRows - g.padTop + g.windowRows);
    for (let ow = 0; ow < g.outCols; ow++) {
      const w0 = Math.max(0, ow * g.strideCols - g.padLeft);
      const w1 = Math.min(g.inCols, ow * g.strideCols - g.padLeft + g.windowCols);
      const o = ((b * g.outRows + oh) * g.outCols + ow) * g.depth;
      for (let h = h0; h < h1; h++) {
        for (let w = w0; w < w1; w++) {
          const i = ((b * g.inRows + h) * g.inCols + w) * g.depth;
          for (let d = 0; d < g.depth; d++) {
            const best = arg[o + d]!;
            if (best < 0 || x[best]! < x[i + d]!) arg[o + d] = i + d;
          }
        }
      }
    }
  }
}
