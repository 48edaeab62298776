// TF's DecodeRaw (core/kernels/decode_raw_op.cc): reinterprets each string's bytes as a vector of
// out_type elements (little or big endian); every string must hold the same whole number of them.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrType } from "../framework/op-def.js";
import { Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const T = DataType;
const SIZES = new Map<DataType, number>([
  [T.DT_HALF, 2],
  [T.DT_BFLOAT16, 2],
  [T.DT_FLOAT, 4],
  [T.DT_DOUBLE, 8],
  [T.DT_INT32, 4],
  [T.DT_UINT16, 2],
  [T.DT_UINT8, 1],
  [T.DT_INT16, 2],
  [T.DT_INT8, 1],
  [T.DT_INT64, 8],
  [T.DT_COMPLEX64, 8],
  [T.DT_COMPLEX128, 16],
  [T.DT_BOOL, 1],
]);

/** Writes element k (from `bytes` at `at`) into the output storage. */
function readElement(dtype: DataType, v: DataView, at: number, le: boolean, out: unknown[], k: number): void {
  switch (dtype) {
    case T.DT_FLOAT:
      out[k] = v.getFloat32(at, le);
      return;
    case T.DT_DOUBLE:
      out[k] = v.getFloat64(at, le);
      return;
    case T.DT_INT32:
      out[k] = v.getInt32(at, le);
      return;
    case T.DT_UINT16:
    case T.DT_HALF:
    case T.DT_BFLOAT16:
      out[k] = v.getUint16(at, le);
      return;
    case T.DT_INT16:
      out[k] = v.getInt16(at, le);
      return;
    case T.DT_UINT8:
      out[k] = v.getUint8(at);
      return;
    case T.DT_BOOL:
      out[k] = v.getUint8(at) !== 0 ? 1 : 0;
      return;
    case T.DT_INT8:
      out[k] = v.getInt8(at);
      return;
    case T.DT_INT64:
      out[k] = v.getBigInt64(at, le);
      return;
    case T.DT_COMPLEX64:
      out[2 * k] = v.getFloat32(at, le);
      out[2 * k + 1] = v.getFloat32(at + 4, le);
      return;
    default:
      out[2 * k] = v.getFloat64(at, le);
      out[2 * k + 1] = v.getFloat64(at + 8, le);
  }
}

export const decodeRawConfig: KernelConfig = {
  op: {
    name: "DecodeRaw",
    inputs: ["bytes: string"],
    outputs: ["output: out_type"],
    attrs: [
      "out_type: {half,float,double,int32,uint16,uint8,int16,int8,int64,complex64,complex128,bool,bfloat16}",
      "little_endian: bool = true",
    ],
  },
  kernel: cpuKernel("DecodeRaw", (c) => {
    const dtype = getAttrType(c.attrs, "out_type");
    const le = getAttrBool(c.attrs, "little_endian");
    const size = SIZES.get(dtype)!;
    return {
      compute(ctx) {
        const input = ctx.input(0);
        const strs = input.data as Uint8Array[];
        if (strs.length === 0) {
          ctx.setOutput(0, Tensor.zeros(dtype, [...input.shape, 0]));
          return;
        }
        const len = strs[0]!.length;
        if (len % size !== 0) {
          throw invalidArgument(
            `Input to DecodeRaw has length ${len} that is not a multiple of ${size}, the size of ${dataTypeString(dtype)}`,
          );
        }
        const width = len / size;
        const out = Tensor.zeros(dtype, [...input.shape, width]);
        const d = out.data as unknown as unknown[];
        strs.forEach((s, i) => {
          if (s.length !== len) {
            throw invalidArgument(
              `DecodeRaw requires input strings to all be the same size, but element ${i} has size ${len} != ${s.length}`,
            );
          }
          const v = new DataView(s.buffer, s.byteOffset, s.byteLength);
          for (let k = 0; k < width; k++) readElement(dtype, v, k * size, le, d, i * width + k);
        });
        ctx.setOutput(0, out);
      },
    };
  }),
};
