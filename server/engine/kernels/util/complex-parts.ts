// Shared plumbing of TF's complex <-> real element-wise kernels (core/kernels/cwise_op_complex.cc,
// cwise_op_real.cc, cwise_op_imag.cc, cwise_op_abs.cc's ComplexAbs, cwise_op_arg.cc): each pairs a
// complex type attr with a real one, and TF registers only the matching pairs (complex64 with
// float, complex128 with double). Complex storage interleaves (re, im) in a Float32Array
// (complex64) or Float64Array (complex128).

import { invalidArgument } from "../../framework/errors.js";
import { getAttrType } from "../../framework/op-def.js";
import type { OpKernelConstruction } from "../../framework/op-kernel.js";
import { allocData, Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";

/** The real type TF pairs with a complex type. */
export function realPartType(complex: DataType): DataType {
  return complex === DataType.DT_COMPLEX128 ? DataType.DT_DOUBLE : DataType.DT_FLOAT;
}

const dtName = (t: DataType) => `DT_${dataTypeString(t).toUpperCase()}`;

/**
 * TF's kernel lookup failure unless (complexAttr, realAttr) is (complex64, float) or
 * (complex128, double): the op allows every combination, TF's CPU kernels only these two.
 */
export function checkComplexPair(c: OpKernelConstruction, complexAttr: string, realAttr: string): DataType {
  const ct = getAttrType(c.attrs, complexAttr);
  const rt = getAttrType(c.attrs, realAttr);
  const ok =
    (ct === DataType.DT_COMPLEX64 && rt === DataType.DT_FLOAT) ||
    (ct === DataType.DT_COMPLEX128 && rt === DataType.DT_DOUBLE);
  if (!ok) {
    const pairs: [DataType, DataType][] = [
      [DataType.DT_COMPLEX128, DataType.DT_DOUBLE],
      [DataType.DT_COMPLEX64, DataType.DT_FLOAT],
    ];
    throw invalidArgument(
      `No OpKernel was registered to support Op '${c.op}' used by {{node ${c.nodeName}}} with these attrs: ` +
        `[${complexAttr}=${dtName(ct)}, ${realAttr}=${dtName(rt)}]\nRegistered devices: [CPU]\nRegistered kernels:\n` +
        pairs
          .map(([x, r]) => `  device='CPU'; ${complexAttr} in [${dtName(x)}]; ${realAttr} in [${dtName(r)}]`)
          .join("\n"),
    );
  }
  return ct;
}

/** f(re, im) for every element of a complex tensor, as a tensor of its real type. */
export function complexToReal(x: Tensor, f: (re: number, im: number) => number): Tensor {
  const dt = realPartType(x.dtype);
  const n = x.numElements;
  const a = x.data as Float32Array | Float64Array;
  const out = allocData(dt, n, x.shape) as Float32Array | Float64Array;
  for (let i = 0; i < n; i++) out[i] = f(a[2 * i]!, a[2 * i + 1]!);
  return new Tensor(dt, x.shape, out);
}

/** A "input: T -> output: Tout" op taking complex T to its real Tout element-wise. */
export function complexToRealConfig(
  name: string,
  args: readonly [string, string],
  f: (re: number, im: number) => number,
): KernelConfig {
  return {
    op: {
      name,
      inputs: [`${args[0]}: T`],
      outputs: [`${args[1]}: Tout`],
      attrs: ["T: {complex64, complex128} = DT_COMPLEX64", "Tout: {float, double} = DT_FLOAT"],
    },
    kernel: cpuKernel(name, (c) => {
      checkComplexPair(c, "T", "Tout");
      return { compute: (ctx) => ctx.setOutput(0, complexToReal(ctx.input(0), f)) };
    }),
  };
}
