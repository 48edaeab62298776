// TF's ExtractImagePatches on CPU (core/kernels/image/extract_image_patches_op.cc, Eigen's
// extract_image_patches): for every window position, the ksize_rows × ksize_cols pixels at
// `rates` spacing, flattened into the depth dimension (row-major over the window, then
// channels); pixels in the SAME padding are zeros. What tf.image.extract_patches emits.

import { invalidArgument, outOfRange, unimplemented } from "../framework/errors.js";
import { getAttrIntList, getAttrString } from "../framework/op-def.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { type Padding, windowedOutputSize } from "./util/conv-util.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./util/kernel-config.js";
import { lanesOf, storage } from "./util/tensor-util.js";

/** TF's ParseAttributeVec4: [1, rows, cols, 1] with rows, cols ≥ 1. */
function spatialAttr(c: OpKernelConstruction, name: string): [number, number] {
  const v = getAttrIntList(c.attrs, name);
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
  const s = images.shape;
  if (s.length !== 4) throw invalidArgument(`input must be 4-dimensional${shapeString(s)}`);
  const [batch, inRows, inCols, depth] = s as [number, number, number, number];
  const [kr, kc] = a.ksize;
  const [sr, sc] = a.strides;
  const [rr, rc] = a.rates;
  const rows = windowedOutputSize(inRows, kr + (kr - 1) * (rr - 1), 1, sr, a.padding);
  const cols = windowedOutputSize(inCols, kc + (kc - 1) * (rc - 1), 1, sc, a.padding);
  const out = Tensor.zeros(images.dtype, [batch, rows.out, cols.out, kr * kc * depth]);
  if (out.numElements === 0) return out;
  const src = storage(images);
  const dst = storage(out);
  const lanes = lanesOf(images.dtype);
  let k = 0;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rows.out; r++) {
      for (let c = 0; c < cols.out; c++) {
        for (let i = 0; i < kr; i++) {
          const y = r * sr - rows.before + i * rr;
          for (let j = 0; j < kc; j++) {
            const x = c * sc - cols.before + j * rc;
            const inside = y >= 0 && y < inRows && x >= 0 && x < inCols;
            const p = ((b * inRows + y) * inCols + x) * depth;
            for (let d = 0; d < depth; d++, k++) {
              // Outside the image the zeros Tensor.zeros left stay.
              if (!inside) continue;
              for (let l = 0; l < lanes; l++) dst[k * lanes + l] = src[(p + d) * lanes + l];
            }
          }
        }
      }
    }
  }
  return out;
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
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    const a: PatchAttrs = {
      ksize: spatialAttr(c, "ksizes"),
      strides: spatialAttr(c, "strides"),
      rates: spatialAttr(c, "rates"),
      padding: getAttrString(c.attrs, "padding") as Padding,
    };
    return { compute: (ctx) => ctx.setOutput(0, extractImagePatches(ctx.input(0), a)) };
  }),
};
