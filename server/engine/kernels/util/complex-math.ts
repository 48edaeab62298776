// Complex elementary functions on (re, im) pairs, writing the result into out[0], out[1], for the
// complex kernels of the element-wise math ops (TF computes them with std::complex, i.e. the C99
// complex functions; principal branches as C99 Annex G defines them). Finite arguments only are
// handled with care; infinities and NaNs follow from the formulas.

export type ComplexFn = (re: number, im: number, out: Float64Array) => void;

export const csinh: ComplexFn = (a, b, o) => {
  o[0] = Math.sinh(a) * Math.cos(b);
  o[1] = Math.cosh(a) * Math.sin(b);
};

export const ccosh: ComplexFn = (a, b, o) => {
  o[0] = Math.cosh(a) * Math.cos(b);
  o[1] = Math.sinh(a) * Math.sin(b);
};

/** sin(z) = -i·sinh(i·z). */
export const csin: ComplexFn = (a, b, o) => {
  csinh(-b, a, o);
  const re = o[0]!;
  o[0] = o[1]!;
  o[1] = -re;
};

/** cos(z) = cosh(i·z). */
export const ccos: ComplexFn = (a, b, o) => ccosh(-b, a, o);

/** tanh(z) = (sinh 2a + i·sin 2b) / (cosh 2a + cos 2b), with the large-|a| limit ±1. */
export const ctanh: ComplexFn = (a, b, o) => {
  if (Math.abs(a) > 20) {
    // cosh 2a dominates: tanh → sign(a) + i·4·sin b·cos b·e^(-2|a|).
    o[0] = Math.sign(a);
    o[1] = 4 * Math.sin(b) * Math.cos(b) * Math.exp(-2 * Math.abs(a));
    return;
  }
  const d = Math.cosh(2 * a) + Math.cos(2 * b);
  o[0] = Math.sinh(2 * a) / d;
  o[1] = Math.sin(2 * b) / d;
};

/** tan(z) = -i·tanh(i·z). */
export const ctan: ComplexFn = (a, b, o) => {
  ctanh(-b, a, o);
  const re = o[0]!;
  o[0] = o[1]!;
  o[1] = -re;
};

export const clog: ComplexFn = (a, b, o) => {
  o[0] = Math.log(Math.hypot(a, b));
  o[1] = Math.atan2(b, a);
};

/** Principal square root (non-negative real part, imaginary part with b's sign). */
export const csqrt: ComplexFn = (a, b, o) => {
  if (a === 0 && b === 0) {
    o[0] = 0;
    o[1] = b;
    return;
  }
  const t = Math.sqrt((Math.abs(a) + Math.hypot(a, b)) / 2);
  if (a >= 0) {
    o[0] = t;
    o[1] = b / (2 * t);
  } else {
    o[0] = Math.abs(b) / (2 * t);
    o[1] = b < 0 || Object.is(b, -0) ? -t : t;
  }
};

const tmp = new Float64Array(2);

/** asinh(z) = log(z + sqrt(z² + 1)), evaluated for re ≥ 0 and mirrored (asinh is odd). */
export const casinh: ComplexFn = (a, b, o) => {
  const neg = a < 0 || (a === 0 && Object.is(a, -0));
  const x = neg ? -a : a;
  const y = neg ? -b : b;
  csqrt(x * x - y * y + 1, 2 * x * y, tmp);
  clog(x + tmp[0]!, y + tmp[1]!, o);
  if (neg) {
    o[0] = -o[0]!;
    o[1] = -o[1]!;
  }
};

/** asin(z) = -i·asinh(i·z). */
export const casin: ComplexFn = (a, b, o) => {
  casinh(-b, a, o);
  const re = o[0]!;
  o[0] = o[1]!;
  o[1] = -re;
};

/** acos(z) = π/2 - asin(z). */
export const cacos: ComplexFn = (a, b, o) => {
  casin(a, b, o);
  o[0] = Math.PI / 2 - o[0]!;
  o[1] = -o[1]!;
};

/** atanh(z) = ½·log((1 + z) / (1 - z)), in the cancellation-free form. */
export const catanh: ComplexFn = (a, b, o) => {
  const num = (1 + a) * (1 + a) + b * b;
  const den = (1 - a) * (1 - a) + b * b;
  o[0] = 0.25 * Math.log(num / den);
  o[1] = 0.5 * Math.atan2(2 * b, (1 - a) * (1 + a) - b * b);
};

/** atan(z) = -i·atanh(i·z). */
export const catan: ComplexFn = (a, b, o) => {
  catanh(-b, a, o);
  const re = o[0]!;
  o[0] = o[1]!;
  o[1] = -re;
};

/** acosh(z) = log(z + sqrt(z + 1)·sqrt(z - 1)). */
export const cacosh: ComplexFn = (a, b, o) => {
  csqrt(a + 1, b, tmp);
  const pr = tmp[0]!;
  const pi = tmp[1]!;
  csqrt(a - 1, b, tmp);
  const qr = tmp[0]!;
  const qi = tmp[1]!;
  clog(a + (pr * qr - pi * qi), b + (pr * qi + pi * qr), o);
};

/** log(1 + z) without losing the small-|z| digits: ½·log1p(2a + a² + b²) + i·arg(1 + z). */
export const clog1p: ComplexFn = (a, b, o) => {
  o[0] = 0.5 * Math.log1p(2 * a + a * a + b * b);
  o[1] = Math.atan2(b, 1 + a);
};

/** exp(z) - 1 = (expm1(a) - 2·e^a·sin²(b/2)) + i·e^a·sin b. */
export const cexpm1: ComplexFn = (a, b, o) => {
  const em1 = Math.expm1(a);
  const e = em1 + 1;
  const h = Math.sin(b / 2);
  o[0] = em1 - 2 * e * h * h;
  o[1] = e * Math.sin(b);
};
