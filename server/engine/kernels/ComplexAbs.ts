// TF's ComplexAbs (core/kernels/cwise_op_abs.cc): |z| = hypot(re, im) in the real type. TF calls
// std::abs (hypotf for complex64); the double hypot rounded once to float32 agrees with it except
// on rare double-rounding ties. TF's CPU threads treat subnormal doubles as zero
// (denormals-are-zero), so |5e-324 + 5e-324i| is 0 in complex128; float32 subnormals are normal
// doubles inside hypotf and are unaffected, which the same test leaves alone.

import type { Tensor } from "../framework/tensor.js";
import { complexToReal, complexToRealConfig } from "./util/complex-parts.js";

const MIN_NORMAL_DOUBLE = 2 ** -1022;
const daz = (v: number) => (Math.abs(v) < MIN_NORMAL_DOUBLE ? 0 : v);
const magnitude = (re: number, im: number) => Math.hypot(daz(re), daz(im));

export function complexAbs(x: Tensor): Tensor {
  return complexToReal(x, magnitude);
}

export const complexAbsConfig = complexToRealConfig("ComplexAbs", ["x", "y"], magnitude);
