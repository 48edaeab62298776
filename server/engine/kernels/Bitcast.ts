// TF's Bitcast (core/kernels/bitcast_op.cc): reinterprets the bytes of a tensor as another dtype.
// A wider output drops the last dimension (which must equal the size ratio); a narrower one adds a
// last dimension of the ratio.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { BYTES_PER_ELEMENT, type DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const TYPES =
  "{bfloat16, half, float, double, int64, int32, uint8, uint16, uint32, uint64, int8, int16, complex64, complex128, qint8, quint8, qint16, quint16, qint32}";

export function bitcast(x: Tensor, to: DataType): Tensor {
  const inSize = BYTES_PER_ELEMENT[x.dtype]!;
  const outSize = BYTES_PER_ELEMENT[to]!;
  let shape = [...x.shape];
  if (inSize < outSize) {
    const last = shape[shape.length - 1];
    if (shape.length === 0 || last !== outSize / inSize) {
      // TF names the dtypes by enum number here.
      throw invalidArgument(`Cannot bitcast from ${x.dtype} to ${to}`);
    }
    shape = shape.slice(0, -1);
  } else if (inSize > outSize) {
    shape.push(inSize / outSize);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocData(to, n, shape) as Uint8Array;
  const src = x.data as Uint8Array;
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(
    new Uint8Array(src.buffer, src.byteOffset, src.byteLength),
  );
  return new Tensor(to, shape, data);
}

export const bitcastConfig: KernelConfig = {
  op: {
    name: "Bitcast",
    inputs: ["input: T"],
    outputs: ["output: type"],
    attrs: [`T: ${TYPES}`, `type: ${TYPES}`],
  },
  kernel: cpuKernel("Bitcast", (c) => {
    const to = getAttrType(c.attrs, "type");
    return { compute: (ctx) => ctx.setOutput(0, bitcast(ctx.input(0), to)) };
  }),
};
