// TF's StringJoin (core/kernels/string_join_op.cc): joins N string tensors element-wise with a
// separator; scalars broadcast, all non-scalar inputs must have the same shape.

import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { chargeStringBytes, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const enc = new TextEncoder();

export function stringJoin(inputs: readonly Tensor[], separator: string): Tensor {
  let shape: readonly number[] = [];
  let fixed = false;
  for (const t of inputs) {
    if (t.rank === 0) continue;
    if (fixed && !sameShape(shape, t.shape)) {
      throw invalidArgument(`Input shapes do not match: ${shapeString(shape)} vs. ${shapeString(t.shape)}`);
    }
    shape = t.shape;
    fixed = true;
  }
  const n = shape.reduce((a, b) => a * b, 1);
  const sep = enc.encode(separator);
  // A long scalar broadcast against many elements is copied into each: charged before it is built.
  let total = sep.length * Math.max(0, inputs.length - 1) * n;
  for (const t of inputs) {
    const strings = t.data as Uint8Array[];
    if (t.rank === 0) total += (strings[0]?.length ?? 0) * n;
    else for (const s of strings) total += s.length;
  }
  chargeStringBytes(total, shape);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const parts = inputs.map((t) => (t.data as Uint8Array[])[t.rank === 0 ? 0 : i]!);
    const len = parts.reduce((a, p) => a + p.length, 0) + sep.length * Math.max(0, parts.length - 1);
    const b = new Uint8Array(len);
    let pos = 0;
    parts.forEach((p, k) => {
      if (k > 0) {
        b.set(sep, pos);
        pos += sep.length;
      }
      b.set(p, pos);
      pos += p.length;
    });
    out.push(b);
  }
  return new Tensor(DataType.DT_STRING, shape, out);
}

export const stringJoinConfig: KernelConfig = {
  op: {
    name: "StringJoin",
    inputs: ["inputs: N * string"],
    outputs: ["output: string"],
    attrs: ["N: int >= 0", "separator: string = ''"],
  },
  kernel: cpuKernel("StringJoin", (c) => {
    const sep = getAttrString(c.attrs, "separator");
    return {
      compute: (ctx) =>
        ctx.setOutput(
          0,
          stringJoin(
            Array.from({ length: ctx.numInputs }, (_, i) => ctx.input(i)),
            sep,
          ),
        ),
    };
  }),
};
