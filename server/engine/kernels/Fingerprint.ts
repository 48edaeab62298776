// TF's Fingerprint (core/kernels/fingerprint_op.cc, tf.fingerprint): one 8-byte FarmHash
// Fingerprint64 (little-endian) per row of `data` (its first dim). A numeric row is fingerprinted
// as its raw bytes; a string row of one string as that string; a string row of several strings
// as the concatenation of their own fingerprints.

import { invalidArgument } from "../framework/errors.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { fingerprint64 } from "./util/farmhash.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

const SIZE = 8;

function putLE(out: Uint8Array, at: number, v: bigint): void {
  for (let k = 0; k < SIZE; k++) out[at + k] = Number((v >> BigInt(8 * k)) & 0xffn);
}

/** A numeric tensor's storage as bytes (TF's memcpy-able types are stored little-endian here too). */
function rawBytes(t: Tensor): Uint8Array {
  const d = t.data;
  if (!ArrayBuffer.isView(d)) {
    throw invalidArgument(`Fingerprint of ${dataTypeString(t.dtype)} is not supported`);
  }
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

export function fingerprint(data: Tensor, methodT: Tensor): Tensor {
  if (methodT.rank !== 0 || methodT.dtype !== DataType.DT_STRING) {
    throw invalidArgument(`\`method\` should be a scalar string: ${shapeString(methodT.shape)}`);
  }
  const method = new TextDecoder().decode((methodT.data as Uint8Array[])[0]!);
  if (method !== "farmhash64") throw invalidArgument(`Unsupported fingerprint method: ${method}`);
  if (data.rank < 1) {
    throw invalidArgument(`\`data\` should have at least one dimension: ${shapeString(data.shape)}`);
  }
  const rows = data.shape[0]!;
  const perRow = rows === 0 ? 0 : data.numElements / rows;
  const out = allocData(DataType.DT_UINT8, rows * SIZE, [rows, SIZE]) as Uint8Array;
  if (data.dtype === DataType.DT_STRING) {
    const src = data.data as Uint8Array[];
    for (let r = 0; r < rows; r++) {
      if (perRow === 1) putLE(out, r * SIZE, fingerprint64(src[r]!));
      else {
        const cat = new Uint8Array(perRow * SIZE);
        for (let k = 0; k < perRow; k++) putLE(cat, k * SIZE, fingerprint64(src[r * perRow + k]!));
        putLE(out, r * SIZE, fingerprint64(cat));
      }
    }
  } else {
    const bytes = rawBytes(data);
    const width = rows === 0 ? 0 : bytes.length / rows;
    for (let r = 0; r < rows; r++)
      putLE(out, r * SIZE, fingerprint64(bytes.subarray(r * width, (r + 1) * width)));
  }
  return new Tensor(DataType.DT_UINT8, [rows, SIZE], out);
}

export const fingerprintConfig: KernelConfig = {
  op: {
    name: "Fingerprint",
    inputs: ["data: T", "method: string"],
    outputs: ["fingerprint: uint8"],
    attrs: ["T: type"],
  },
  kernel: simpleKernel("Fingerprint", (ctx) => ctx.setOutput(0, fingerprint(ctx.input(0), ctx.input(1)))),
};
