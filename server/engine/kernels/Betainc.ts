// TF's Betainc (core/kernels/betainc_op.cc): the regularized incomplete beta function I_x(a, b),
// element-wise. a, b and x must have the same shape, except that any of them may be a scalar; TF's
// float kernel computes in float32 arithmetic (special-gamma.ts follows Eigen's Cephes port).

import { invalidArgument } from "../framework/errors.js";
import { allocData, type NumericArray, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { betainc as betaincScalar, DOUBLE_ARITH, FLOAT_ARITH } from "./util/special-gamma.js";

function checkPair(p: Tensor, q: Tensor, names: string): void {
  if (p.shape.length > 0 && q.shape.length > 0 && !sameShape(p.shape, q.shape)) {
    throw invalidArgument(
      `Shapes of ${names} are inconsistent: ${shapeString(p.shape)} vs. ${shapeString(q.shape)}`,
    );
  }
}

export function betainc(a: Tensor, b: Tensor, x: Tensor): Tensor {
  checkPair(a, b, "a and b");
  checkPair(a, x, "a and x");
  checkPair(b, x, "b and x");
  const shape = x.shape.length > 0 ? x.shape : b.shape.length > 0 ? b.shape : a.shape;
  const n = shape.reduce((p, d) => p * d, 1);
  const A = a.dtype === DataType.DT_DOUBLE ? DOUBLE_ARITH : FLOAT_ARITH;
  const out = allocData(a.dtype, n, shape) as NumericArray;
  const av = a.data as NumericArray;
  const bv = b.data as NumericArray;
  const xv = x.data as NumericArray;
  const at = (v: NumericArray, t: Tensor, i: number) => v[t.shape.length === 0 ? 0 : i]!;
  for (let i = 0; i < n; i++) out[i] = betaincScalar(at(av, a, i), at(bv, b, i), at(xv, x, i), A);
  return new Tensor(a.dtype, shape, out);
}

export const betaincConfig: KernelConfig = {
  op: { name: "Betainc", inputs: ["a: T", "b: T", "x: T"], outputs: ["z: T"], attrs: ["T: {float, double}"] },
  kernel: cpuKernel("Betainc", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double]);
    return { compute: (ctx) => ctx.setOutput(0, betainc(ctx.input(0), ctx.input(1), ctx.input(2))) };
  }),
};
