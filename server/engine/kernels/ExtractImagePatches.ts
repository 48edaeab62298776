// TF's ExtractImagePatches (core/kernels/image/extract_image_patches_op.cc): each output pixel of
// an NHWC image holds the ksize_rows x ksize_cols patch (sampled every `rates` pixels) around it,
// flattened as (row, col, channel); positions in the SAME padding are zeros.

import { invalidArgument, outOfRange, unimplemented } from "../framework/errors.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { getEnumAttr, getIntListAttrMin, type Padding, windowedOutputSize } from "./conv-util.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./kernel-config.js";
import { allocIndexable, lanesOf, storage } from "./tensor-util.js";

function spatialAttr(c: OpKernelConstruction, name: string): [number, number] {
  const v = getIntListAttrMin(c, name, 4);
  if (v[0] !== 1 || v[3] !== 1) throw unimplemented(`Only support ${name} across space.`);
  if (v[1]! < 1 || v[2]! < 1) throw outOfRange(`${name} is out of range.`);
  return [v[1]!, v[2]!];
}

interface PatchAttrs {
  readonly ksize: [number, number];
  readonly strides: [number, number];
  readonly rates: [number, number];
  readonly padding: Padding;
}

export function extractImagePatches(images: Tensor, a: PatchAttrs): Tensor {
  if (images.rank !== 4) throw invalidArgument(`input must be 4-dimensional${shapeString(images.shape)}`);
  const [batch, inRows, inCols, depth] = images.shape as [number, number, number, number];
  const [kr, kc] = a.ksize;
  const [rr, rc] = a.rates;
  const rows = windowedOutputSize(inRows, kr + (kr - 1) * (rr - 1), 1, a.strides[0], a.padding);
  const cols = windowedOutputSize(inCols, kc + (kc - 1) * (rc - 1), 1, a.strides[1], a.padding);
  const shape = [batch, rows.out, cols.out, kr * kc * depth];
  const n = shape.reduce((x, y) => x * y, 1);
  const out = allocIndexable(images.dtype, n, shape);
  const src = storage(images);
  const lanes = lanesOf(images.dtype);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < rows.out; oy++) {
      for (let ox = 0; ox < cols.out; ox++) {
        for (let i = 0; i < kr; i++) {
          const y = oy * a.strides[0] - rows.before + i * rr;
          for (let j = 0; j < kc; j++) {
            const x = ox * a.strides[1] - cols.before + j * rc;
            const inside = y >= 0 && y < inRows && x >= 0 && x < inCols;
            const base = ((b * inRows + y) * inCols + x) * depth;
            for (let d = 0; d < depth; d++, o++) {
              // Storage is zero-filled: padding positions stay zero.
              if (inside) for (let l = 0; l < lanes; l++) out[o * lanes + l] = src[(base + d) * lanes + l];
            }
          }
        }
      }
    }
  }
  return new Tensor(images.dtype, shape, out as unknown as Tensor["data"]);
}

export const extractImagePatchesConfig: KernelConfig = {
  op: {
    name: "ExtractImagePatches",
    inputs: ["images: T"],
    outputs: ["patches: T"],
    attrs: [
      "ksizes: list(int) >= 4",
      "strides: list(int) >= 4",
      "rates: list(int) >= 4",
      "T: {bfloat16, half, float, double, int8, int16, int32, int64, uint8, uint16, uint32, uint64, complex64, complex128, bool}",
      "padding: {'SAME', 'VALID'}",
    ],
  },
  kernel: cpuKernel("ExtractImagePatches", (c) => {
    const ksize = spatialAttr(c, "ksizes");
    const strides = spatialAttr(c, "strides");
    const rates = spatialAttr(c, "rates");
    const padding = getEnumAttr(c, "padding", ["SAME", "VALID"] as const);
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    const a = { ksize, strides, rates, padding };
    return { compute: (ctx) => ctx.setOutput(0, extractImagePatches(ctx.input(0), a)) };
  }),
};
