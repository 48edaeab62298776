// Shared pieces of TF's Conv3D and its backprops on CPU (core/kernels/conv_ops_3d.cc,
// conv_grad_ops_3d.cc): attrs, the NDHWC geometry, and one loop over every (output position,
// filter tap) pair that the forward pass and both gradients specialise. Values are read as float64
// and each output is accumulated in float64 and rounded once (TF sums in the dtype, so float32
// results may differ in the last bits). NCDHW runs through transposes to NDHWC.

import { invalidArgument } from "../../framework/errors.js";
import { getAttrIntList } from "../../framework/op-def.js";
import type { OpKernelConstruction } from "../../framework/op-kernel.js";
import { shapeString, type Tensor } from "../../framework/tensor.js";
import { transpose } from "../Transpose.js";
import {
  getEnumAttr,
  getIntListAttrMin,
  type Padding,
  type Window,
  windowedOutputSize,
} from "./conv-util.js";
import { checkTypeConstraint, T } from "./kernel-config.js";
import type { Pace } from "./paced-slices.js";
import type { Slices } from "./slices.js";

export const CONV3D_ATTRS = [
  "T: {half, bfloat16, float, double}",
  "strides: list(int) >= 5",
  "padding: {'SAME', 'VALID'}",
  "data_format: {'NDHWC', 'NCDHW'} = 'NDHWC'",
  "dilations: list(int) = [1, 1, 1, 1, 1]",
];

export interface Conv3DAttrs {
  /** Strides and dilations of the three spatial dims (NDHWC order). */
  readonly strides: readonly [number, number, number];
  readonly dilations: readonly [number, number, number];
  readonly padding: Padding;
  readonly channelsFirst: boolean;
}

const spatial = (v: readonly number[], first: boolean): [number, number, number] =>
  (first ? [v[2]!, v[3]!, v[4]!] : [v[1]!, v[2]!, v[3]!]) as [number, number, number];

export function getConv3DAttrs(c: OpKernelConstruction): Conv3DAttrs {
  checkTypeConstraint(c, "T", [T.half, T.bfloat16, T.float, T.double]);
  const strides = getIntListAttrMin(c, "strides", 5);
  const padding = getEnumAttr(c, "padding", ["SAME", "VALID"] as const);
  const fmt = getEnumAttr(c, "data_format", ["NDHWC", "NCDHW"] as const);
  const dilations = getAttrIntList(c.attrs, "dilations");
  const first = fmt === "NCDHW";
  if (strides.length !== 5) throw invalidArgument("Sliding window strides field must specify 5 dimensions");
  const [sn, sc] = first ? [strides[0], strides[1]] : [strides[0], strides[4]];
  if (sn !== 1 || sc !== 1) {
    throw invalidArgument(
      "Current implementation does not yet support strides in the batch and depth dimensions.",
    );
  }
  if (strides.some((s) => s <= 0)) throw invalidArgument("Strides must be positive.");
  if (dilations.length !== 5) throw invalidArgument("Dilation rates field must specify 5 dimensions");
  const [dn, dc] = first ? [dilations[0], dilations[1]] : [dilations[0], dilations[4]];
  if (dn !== 1 || dc !== 1) {
    throw invalidArgument(
      "Current implementation does not yet support dilation rates in the batch and depth dimensions.",
    );
  }
  if (dilations.some((d) => d <= 0)) throw invalidArgument("Dilated rates should be larger than 0.");
  return {
    strides: spatial(strides, first),
    dilations: spatial(dilations, first),
    padding,
    channelsFirst: first,
  };
}

/** NCDHW <-> NDHWC. */
export const toChannelsLast = (t: Tensor): Tensor => transpose(t, [0, 2, 3, 4, 1]);
export const toChannelsFirst = (t: Tensor): Tensor => transpose(t, [0, 4, 1, 2, 3]);
export const shapeToChannelsLast = (s: readonly number[]): number[] => [s[0]!, s[2]!, s[3]!, s[4]!, s[1]!];

export interface Conv3DGeometry {
  readonly batch: number;
  /** Input spatial sizes and depth. */
  readonly in: readonly [number, number, number];
  readonly inDepth: number;
  /** Filter spatial sizes and output depth. */
  readonly k: readonly [number, number, number];
  readonly outDepth: number;
  readonly out: readonly [Window, Window, Window];
  readonly a: Conv3DAttrs;
}

export function conv3DGeometry(
  input: readonly number[],
  filter: readonly number[],
  a: Conv3DAttrs,
): Conv3DGeometry {
  if (input.length !== 5) throw invalidArgument(`input must be 5-dimensional: ${shapeString(input)}`);
  if (filter.length !== 5) throw invalidArgument("filter must be 5-dimensional");
  // TF's portable Conv3D checks divisibility (grouped convolutions), then that there is one group,
  // the only kind its CPU kernel runs.
  if (filter[3] === 0) throw invalidArgument("filter_depth must be non-zero");
  if (input[4]! % filter[3]! !== 0) {
    throw invalidArgument(
      `Input depth must be evenly divisible by filter depth: ${input[4]} vs ${filter[3]}`,
    );
  }
  if (input[4] !== filter[3]) {
    throw invalidArgument(
      `Number of channels in filter (${filter[3]}) must match last dimension of input (${input[4]})`,
    );
  }
  const out = [0, 1, 2].map((i) =>
    windowedOutputSize(input[i + 1]!, filter[i]!, a.dilations[i]!, a.strides[i]!, a.padding),
  ) as [Window, Window, Window];
  return {
    batch: input[0]!,
    in: [input[1]!, input[2]!, input[3]!],
    inDepth: input[4]!,
    k: [filter[0]!, filter[1]!, filter[2]!],
    outDepth: filter[4]!,
    out,
    a,
  };
}

export const outputShape = (g: Conv3DGeometry): number[] => [
  g.batch,
  g.out[0].out,
  g.out[1].out,
  g.out[2].out,
  g.outDepth,
];

/**
 * Calls visit(outBase, inBase, filterBase) for every output position and filter tap that lands
 * inside the input: outBase/inBase index the first channel of the output/input pixel, filterBase
 * the tap's [inDepth, outDepth] block. In row-major output order; yields after an output row
 * when `pace` says a piece is done (every visit costs inDepth·outDepth multiply-adds).
 */
export function* forEachTap(
  g: Conv3DGeometry,
  visit: (o: number, i: number, f: number) => void,
  pace: Pace,
): Slices<void> {
  const [D, H, W] = g.in;
  const [kd, kh, kw] = g.k;
  const [od, oh, ow] = [g.out[0].out, g.out[1].out, g.out[2].out];
  const [sd, sh, sw] = g.a.strides;
  const [dd, dh, dw] = g.a.dilations;
  const [pd, ph, pw] = [g.out[0].before, g.out[1].before, g.out[2].before];
  const C = g.inDepth;
  const M = g.outDepth;
  const rowWork = ow * kd * kh * kw * C * M + 1;
  for (let b = 0; b < g.batch; b++) {
    for (let z = 0; z < od; z++) {
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          const o = (((b * od + z) * oh + y) * ow + x) * M;
          for (let i = 0; i < kd; i++) {
            const iz = z * sd - pd + i * dd;
            if (iz < 0 || iz >= D) continue;
            for (let j = 0; j < kh; j++) {
              const iy = y * sh - ph + j * dh;
              if (iy < 0 || iy >= H) continue;
              for (let k = 0; k < kw; k++) {
                const ix = x * sw - pw + k * dw;
                if (ix < 0 || ix >= W) continue;
                visit(o, (((b * D + iz) * H + iy) * W + ix) * C, ((i * kh + j) * kw + k) * C * M);
              }
            }
          }
        }
        if (pace.due(rowWork)) yield;
      }
    }
  }
}

/**
 * About the multiply-adds of a 3-D convolution or gradient, for pacedCompute: every element of
 * the tensor on one side (`elements`, one depth of its pixels) meets every filter element of the
 * other depth (`depthAxis`: the filter's axis of that tensor's depth). 0 for a bad filter shape.
 */
export function conv3DWork(elements: number, filterShape: readonly number[], depthAxis: 3 | 4): number {
  if (filterShape.length !== 5) return 0;
  const f = filterShape.reduce((a, b) => a * b, 1);
  return (elements * f) / Math.max(1, filterShape[depthAxis]!);
}
