// TF's EncodeBase64 (core/kernels/base64_ops.cc, tf.io.encode_base64): web-safe base64 ('-' and
// '_' for '+' and '/'), '=' padding only when pad is set.

import { getAttrBool } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export function encodeBase64(input: Tensor, pad: boolean): Tensor {
  const src = input.data as Uint8Array[];
  const out = allocData(DataType.DT_STRING, src.length, input.shape) as Uint8Array[];
  for (let i = 0; i < src.length; i++) {
    const text = Buffer.from(src[i]!).toString("base64url");
    const padded = pad ? text + "=".repeat((4 - (text.length % 4)) % 4) : text;
    out[i] = new Uint8Array(Buffer.from(padded, "latin1"));
  }
  return new Tensor(DataType.DT_STRING, input.shape, out);
}

export const encodeBase64Config: KernelConfig = {
  op: {
    name: "EncodeBase64",
    inputs: ["input: string"],
    outputs: ["output: string"],
    attrs: ["pad: bool = false"],
  },
  kernel: cpuKernel("EncodeBase64", (c) => {
    const pad = getAttrBool(c.attrs, "pad");
    return { compute: (ctx) => ctx.setOutput(0, encodeBase64(ctx.input(0), pad)) };
  }),
};
