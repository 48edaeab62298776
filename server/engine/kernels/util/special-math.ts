// Special functions JS's Math lacks, for the element-wise math kernels: erf, erfc and lgamma
// (from stdlib's math packages, which are accurate to < 1 ulp in double), digamma, the Hurwitz
// zeta function and polygamma. The last three follow the scheme Eigen uses (asymptotic series
// after shifting the argument up; Euler–Maclaurin for zeta) and also come in float32 arithmetic,
// because TF's float kernels compute them in float and the results near their roots depend on
// every rounding. TF's other float kernels use Eigen's own float approximations, which agree with
// the double results to a few ulp, not bit for bit (math-fixtures.test.ts measures the bounds).

import stdlibErf from "@stdlib/math-base-special-erf";
import stdlibErfc from "@stdlib/math-base-special-erfc";
import stdlibGammaln from "@stdlib/math-base-special-gammaln";
import { logf } from "./glibc-float-math.js";

/** The error function. */
export function erf(x: number): number {
  return stdlibErf(x);
}

/** The complementary error function 1 - erf(x), without its cancellation. */
export function erfc(x: number): number {
  return stdlibErfc(x);
}

/** log|Γ(x)| (C's lgamma: +inf at -inf, where stdlib's gammaln gives -inf). */
export function lgamma(x: number): number {
  return x === -Infinity ? Infinity : stdlibGammaln(x);
}

// The asymptotic series of ψ(s) - log(s) + 1/(2s) in z = 1/s², highest degree first: Bernoulli
// numbers B2k/(2k) (Cephes' and Eigen's coefficients, in their evaluation order).
const DIGAMMA_A = [
  0.08333333333333333, -0.021092796092796094, 0.007575757575757576, -0.004166666666666667,
  0.003968253968253968, -0.008333333333333333, 0.08333333333333333,
];
const DIGAMMA_A_FLOAT = [
  -0.004166666666666667, 0.003968253968253968, -0.008333333333333333, 0.08333333333333333,
].map(Math.fround);
const PI_FLOAT = Math.fround(Math.PI);

/**
 * ψ(x) = d/dx log Γ(x) in double precision; NaN at the poles (non-positive integers, including 0)
 * and at -inf. The recurrence ψ(x + 1) = ψ(x) + 1/x lifts x to ≥ 10 for the asymptotic series;
 * negative x use the reflection ψ(x) = ψ(1 - x) - π / tan(πx), with x reduced to the nearest
 * integer first so that tan's argument is exact.
 */
export function digamma(x: number): number {
  return digammaIn(x, (v) => v, Math.log, DIGAMMA_A, 1e17, Math.PI);
}

/**
 * ψ(x) computed in float32 arithmetic, as TF's float and half kernels do (Eigen's digamma<float>,
 * with its shorter series): every operation is rounded to float32 and log is glibc's logf. Near
 * the root at 1.4616… only the same arithmetic gives TF's result (it returns exactly 0 there).
 */
export function digammaFloat(x: number): number {
  return digammaIn(Math.fround(x), Math.fround, logf, DIGAMMA_A_FLOAT, 1e8, PI_FLOAT);
}

function digammaIn(
  x: number,
  r: (v: number) => number,
  log: (v: number) => number,
  series: readonly number[],
  seriesLimit: number,
  pi: number,
): number {
  let reflection = 0;
  const negative = x <= 0;
  if (negative) {
    let p = Math.floor(x);
    if (p === x) return Number.NaN;
    let nz = r(x - p);
    if (nz !== 0.5) {
      if (nz > 0.5) {
        p += 1;
        nz = r(x - p);
      }
      reflection = r(pi / r(Math.tan(r(pi * nz))));
    }
    x = r(1 - x);
  }
  let s = x;
  let w = 0;
  while (s < 10) {
    w = r(w + r(1 / s));
    s = r(s + 1);
  }
  let y = 0;
  if (s < seriesLimit) {
    const z = r(1 / r(s * s));
    let p = series[0]!;
    for (let i = 1; i < series.length; i++) p = r(r(p * z) + series[i]!);
    y = r(z * p);
  }
  y = r(r(r(log(s) - r(0.5 / s)) - y) - w);
  return negative ? r(y - reflection) : y;
}

// Euler–Maclaurin correction divisors (2j)!/B2j for the Hurwitz zeta tail (Cephes' and Eigen's
// table).
const ZETA_A = [
  12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1892437580.3183792, 7.47242496e10, -2950130727918.164,
  116467828143500.67, -4597978722407473, 181521054019435460, -7166165256175667000,
];

/**
 * The Hurwitz zeta function ζ(x, q) = Σ (k + q)^-x, by Euler–Maclaurin summation as Eigen's
 * zeta (after Cephes): sum terms directly until k + q > 9, then add the integral and up to 12
 * Bernoulli correction terms. `r` rounds every operation (Math.fround for TF's float kernel);
 * `eps` is the precision's machine epsilon that ends the sums. Domain: inf at x = 1, NaN for
 * x < 1; for q ≤ 0 only integer x is defined (inf at a non-positive integer q when x is even).
 */
function zetaIn(x: number, q: number, r: (v: number) => number, eps: number, isFloat: boolean): number {
  if (x === 1) return Infinity;
  if (x < 1 || Number.isNaN(x) || Number.isNaN(q)) return Number.NaN;
  if (q <= 0) {
    if (q === Math.floor(q)) return x === Math.floor(x) && Math.trunc(x) % 2 === 0 ? Infinity : Number.NaN;
    if (x !== Math.floor(x)) return Number.NaN;
  }
  const pow = (a: number, b: number) => r(a ** b);
  let s = pow(q, -x);
  let a = q;
  let b = 0;
  let i = 0;
  // The float series stops after 9 terms; the double one also keeps going until a > 9.
  while (i < 9 || (!isFloat && a <= 9)) {
    i += 1;
    a = r(a + 1);
    b = pow(a, -x);
    s = r(s + b);
    if (Math.abs(r(b / s)) < eps) return s;
  }
  if (b === 0) return s;
  const w = a;
  s = r(s + r(r(b * w) / r(x - 1)));
  s = r(s - r(0.5 * b));
  a = 1;
  let k = 0;
  for (let j = 0; j < 12; j++) {
    a = r(a * r(x + k));
    b = r(b / w);
    const t = r(r(a * b) / ZETA_A[j]!);
    s = r(s + t);
    if (Math.abs(r(t / s)) < eps) break;
    k += 1;
    a = r(a * r(x + k));
    b = r(b / w);
    k += 1;
  }
  return s;
}

export function zeta(x: number, q: number): number {
  return zetaIn(x, q, (v) => v, 2 ** -53, false);
}

/**
 * float32 rounding with subnormal results flushed to (signed) zero, as TF's CPU threads run with
 * flush-to-zero: ζ(5, 1e9) is 0 in TF's float kernel, not 1e-45.
 */
function froundFlush(v: number): number {
  const f = Math.fround(v);
  return Math.abs(f) < 2 ** -126 ? f * 0 : f;
}

export function zetaFloat(x: number, q: number): number {
  return zetaIn(Math.fround(x), Math.fround(q), froundFlush, 2 ** -24, true);
}

/**
 * ψ⁽ⁿ⁾(x) as Eigen computes it: NaN unless n is a non-negative integer, ψ(x) for n = 0, else
 * (-1)^(n+1)·exp(lgamma(n + 1))·ζ(n + 1, x) (the factorial through exp∘lgamma, as TF does).
 */
export function polygamma(n: number, x: number): number {
  if (Math.floor(n) !== n || n < 0 || Number.isNaN(n)) return Number.NaN;
  if (n === 0) return digamma(x);
  const factorial = Math.exp(lgamma(n + 1));
  return (-1) ** (n + 1) * factorial * zeta(n + 1, x);
}

export function polygammaFloat(n: number, x: number): number {
  n = Math.fround(n);
  if (Math.floor(n) !== n || n < 0 || Number.isNaN(n)) return Number.NaN;
  if (n === 0) return digammaFloat(x);
  const factorial = Math.fround(Math.exp(Math.fround(lgamma(n + 1))));
  return froundFlush(Math.fround((-1) ** (n + 1) * factorial) * zetaFloat(n + 1, x));
}
