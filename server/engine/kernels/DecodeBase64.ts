// TF's DecodeBase64 (core/kernels/base64_ops.cc, lib/strings/base64.cc, tf.io.decode_base64):
// web-safe base64 only. Up to two '=' are dropped from the end of a string whose length is a
// multiple of 4; any other '=' or character outside the web-safe alphabet is "Invalid character
// found in base64." (checked group by group, so before a trailing group of one character, which is
// an error of its own); unused low bits of the last character are ignored.

import { invalidArgument } from "../framework/errors.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;
const EQ = 0x3d;

export function decodeBase64Bytes(s: Uint8Array): Uint8Array {
  let len = s.length;
  if (len % 4 === 0 && len > 0 && s[len - 1] === EQ) len -= s[len - 2] === EQ ? 2 : 1;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  const take = (i: number) => {
    const v = VALUE[s[i]!]!;
    if (v < 0) throw invalidArgument("Invalid character found in base64.");
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  };
  // Whole 4-character groups first (a bad character there is reported before a bad length).
  const whole = len - (len % 4);
  for (let i = 0; i < whole; i++) take(i);
  if (len % 4 === 1) throw invalidArgument("Base64 string length cannot be 1 modulo 4.");
  for (let i = whole; i < len; i++) take(i);
  return out.subarray(0, o);
}

export function decodeBase64(input: Tensor): Tensor {
  const src = input.data as Uint8Array[];
  const out = allocData(DataType.DT_STRING, src.length, input.shape) as Uint8Array[];
  for (let i = 0; i < src.length; i++) out[i] = decodeBase64Bytes(src[i]!);
  return new Tensor(DataType.DT_STRING, input.shape, out);
}

export const decodeBase64Config: KernelConfig = {
  op: { name: "DecodeBase64", inputs: ["input: string"], outputs: ["output: string"] },
  kernel: simpleKernel("DecodeBase64", (ctx) => ctx.setOutput(0, decodeBase64(ctx.input(0)))),
};
