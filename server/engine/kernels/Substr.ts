// TF's Substr (core/kernels/substr_op.cc): input[pos:pos+len] per element, in bytes or UTF-8
// characters; negative pos counts from the end; pos and len broadcast against the input. In
// UTF8_CHAR mode a character starts at every byte that is not a continuation byte (10xxxxxx), so
// invalid UTF-8 is cut the way TF cuts it.

import { broadcastShapes, broadcastStrides } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { allocData, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type CharUnit, checkUnit, utf8Length } from "./StringLength.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

/**
 * Byte offset of UTF-8 character `ch` in b (b.length when past the end). Like TF, a character is
 * one byte plus the continuation bytes after it, so continuation bytes at the very start belong to
 * the first character.
 */
function charOffset(b: Uint8Array, ch: number): number {
  let pos = 0;
  for (let k = 0; k < ch && pos < b.length; k++) {
    pos++;
    while (pos < b.length && (b[pos]! & 0xc0) === 0x80) pos++;
  }
  return pos;
}

/** The number of characters charOffset walks over (TF's character count for Substr). */
function charCount(b: Uint8Array): number {
  if (b.length === 0) return 0;
  return utf8Length(b) + ((b[0]! & 0xc0) === 0x80 ? 1 : 0);
}

const dec = new TextDecoder();

export function substr(input: Tensor, posT: Tensor, lenT: Tensor, unit: CharUnit): Tensor {
  if (!sameShape(posT.shape, lenT.shape)) {
    throw invalidArgument(
      `pos and len should have the same shape, got: ${shapeString(posT.shape)} vs. ${shapeString(lenT.shape)}`,
    );
  }
  const shape = broadcastShapes(input.shape, posT.shape);
  const n = shape.reduce((a, b) => a * b, 1);
  const inS = broadcastStrides(input.shape, shape);
  const pS = broadcastStrides(posT.shape, shape);
  const pos = readInts(posT);
  const len = readInts(lenT);
  const src = input.data as Uint8Array[];
  const out = allocData(DataType.DT_STRING, n, shape) as Uint8Array[];
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let si = 0;
    let pi = 0;
    for (let d = 0; d < shape.length; d++) {
      si += idx[d]! * inS[d]!;
      pi += idx[d]! * pS[d]!;
    }
    const s = src[si]!;
    const size = unit === "BYTE" ? s.length : charCount(s);
    let p = pos[pi]!;
    const l = len[pi]!;
    if (p < 0) p += size;
    if (p < 0 || p > size) {
      // TF names the string in BYTE mode only.
      const str = unit === "BYTE" ? ` b'${dec.decode(s)}'` : "";
      throw invalidArgument(`pos ${pos[pi]} out of range for string${str} at index ${i}`);
    }
    // A negative len is "to the end" in BYTE mode (TF's substr takes it as a size_t) and no
    // characters in UTF8_CHAR mode (TF counts characters forward while fewer than len).
    const wanted = l >= 0 ? l : unit === "BYTE" ? size : 0;
    const count = Math.min(wanted, size - p);
    if (unit === "BYTE") out[i] = s.slice(p, p + count);
    else out[i] = s.slice(charOffset(s, p), charOffset(s, p + count));
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return new Tensor(DataType.DT_STRING, shape, out);
}

export const substrConfig: KernelConfig = {
  op: {
    name: "Substr",
    inputs: ["input: string", "pos: T", "len: T"],
    outputs: ["output: string"],
    attrs: ["T: {int32, int64}", "unit: {'BYTE', 'UTF8_CHAR'} = 'BYTE'"],
  },
  kernel: cpuKernel("Substr", (c) => {
    const unit = checkUnit(getAttrString(c.attrs, "unit"));
    return { compute: (ctx) => ctx.setOutput(0, substr(ctx.input(0), ctx.input(1), ctx.input(2), unit)) };
  }),
};
