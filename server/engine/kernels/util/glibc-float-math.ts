// glibc's single-precision logf and sincosf (sysdeps/ieee754/flt-32/e_logf.c, e_logf_data.c,
// s_sincosf.c, s_sincosf.h, sincosf_poly.h, s_sincosf_data.c; the ARM optimized-routines
// algorithms glibc ships since 2.28), ported operation for operation.
//
// Why: TF's Box-Muller transform (random_distributions_utils.h BoxMullerFloat) calls logf and
// sincosf, and those are not correctly rounded (logf ≤ 0.82 ulp, sincosf ≤ 0.56 ulp): computing
// log/sin/cos in double and rounding gives a different float32 for about 1.5% of normal samples.
// With the same polynomials and tables the results are TF's bit for bit.
//
// On x86-64 with FMA (every CPU TF's wheels target today) glibc selects its -mfma builds of these
// functions, where GCC contracts each a*b + c into one fused multiply-add; `fma` below follows
// that. Constants are glibc's hexadecimal ones printed as shortest round-trip decimals. JS has no fused multiply-add, so fma() is computed exactly with error-free transforms.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const asuint = (x: number): number => {
  f32[0] = x;
  return u32[0]!;
};
const asfloat = (i: number): number => {
  u32[0] = i >>> 0;
  return f32[0]!;
};

const SPLIT = 134217729; // 2^27 + 1 (Veltkamp)

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
/** The gap between |x| and the next double away from zero. */
function ulpOf(x: number): number {
  f64[0] = Math.abs(x);
  u64[0] = u64[0]! + 1n;
  return f64[0]! - Math.abs(x);
}

/**
 * a·b + c with a single rounding (IEEE fusedMultiplyAdd) for finite operands whose product neither
 * overflows nor underflows (all uses here): error-free TwoProduct and TwoSum reduce a·b + c to
 * r + residual exactly, and r is moved by one ulp when the residual says round-to-nearest-even
 * would have chosen its neighbour.
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl; // p + e = a·b
  const s = p + c;
  let v = s - p;
  const ts = p - (s - v) + (c - v); // s + ts = p + c
  const u = ts + e;
  v = u - ts;
  const uu = ts - (u - v) + (e - v); // u + uu = ts + e
  const r = s + u;
  v = r - s;
  const err = s - (r - v) + (u - v); // r + err = s + u; exact value = r + err + uu
  if (uu === 0 && err === 0) return r;
  const res = err + uu;
  v = res - err;
  const resErr = err - (res - v) + (uu - v); // res + resErr = err + uu
  if (r === 0) return res;
  const half = ulpOf(r) / 2;
  const mag = Math.abs(res);
  if (mag < half) return r;
  const step = Math.sign(res) * (Math.sign(res) === Math.sign(r) ? 2 * half : half * (isPow2(r) ? 1 : 2));
  if (mag > half) return r + step;
  // Exactly halfway on res; resErr breaks the tie, else round to even.
  if (resErr !== 0) return Math.sign(resErr) === Math.sign(res) ? r + step : r;
  f64[0] = r;
  return (u64[0]! & 1n) === 0n ? r : r + step;
}

function isPow2(x: number): boolean {
  f64[0] = x;
  return (u64[0]! & 0xfffffffffffffn) === 0n;
}

// --- logf -----------------------------------------------------------------------------------

const LOGF_INVC = [
  1.398907162146528, 1.3403141896637998, 1.286432210124115, 1.2367150214269895, 1.1906977166711752,
  1.1479821020556429, 1.1082251448272158, 1.0711297413057381, 1.036437278977283, 1, 0.9492859795739057,
  0.8951049428609004, 0.8476821620351103, 0.8050314851692001, 0.7664671008843108, 0.731428603316328,
];
const LOGF_LOGC = [
  -0.33569133332882284, -0.2929040563774074, -0.2518726580937369, -0.21245868807117255, -0.17453945183745634,
  -0.1380057072319758, -0.10275976698545139, -0.06871392447020525, -0.0357891387398228, 0,
  0.05204517742929496, 0.11081431298787942, 0.1652495223695143, 0.21687389031699977, 0.2659635028121397,
  0.3127556664073557,
];
const LOGF_LN2 = Math.LN2; // glibc's 0x1.62e42fefa39efp-1, the same double
const LOGF_A0 = -0.25089342214237154;
const LOGF_A1 = 0.333456765744066;
const LOGF_A2 = -0.4999997485802103;
const OFF = 0x3f330000;

/** glibc's logf (FMA build) of a float32 value; returns a float32 value. */
export function logf(x: number): number {
  let ix = asuint(x);
  if (ix === 0x3f800000) return 0;
  if ((ix - 0x00800000) >>> 0 >= 0x7f800000 - 0x00800000) {
    if ((ix * 2) >>> 0 === 0) return -Infinity;
    if (ix === 0x7f800000) return x;
    if (ix & 0x80000000 || (ix * 2) >>> 0 >= 0xff000000) return Number.NaN;
    ix = asuint(Math.fround(x * 8388608.0));
    ix = (ix - (23 << 23)) >>> 0;
  }
  const tmp = (ix - OFF) >>> 0;
  const i = (tmp >>> (23 - 4)) % 16;
  const k = (tmp | 0) >> 23;
  const iz = (ix - (tmp & (0x1ff << 23))) >>> 0;
  const invc = LOGF_INVC[i]!;
  const logc = LOGF_LOGC[i]!;
  const z = asfloat(iz);
  const r = fma(z, invc, -1);
  const y0 = fma(k, LOGF_LN2, logc);
  const r2 = r * r;
  let y = fma(LOGF_A1, r, LOGF_A2);
  y = fma(LOGF_A0, r2, y);
  y = fma(y, r2, y0 + r);
  return Math.fround(y);
}

// --- sincosf --------------------------------------------------------------------------------

const HPI_INV = 10680707.430881744;
const HPI = 1.5707963267948966;
const SIGN = [1, -1, -1, 1];
const C0 = [1, -1];
const C1 = [-0.49999999725108224, 0.49999999725108224];
const C2 = [0.041666623324344516, -0.041666623324344516];
const C3 = [-0.001388676379437604, 0.001388676379437604];
const C4 = [2.4390450703564542e-5, -2.4390450703564542e-5];
const S1 = -0.16666654943701084;
const S2 = 0.008332178146138854;
const S3 = -0.00019517298981385725;

const abstop12 = (x: number): number => (asuint(x) >>> 20) & 0x7ff;
const ABSTOP_PIO4 = abstop12(0.7853981852531433);
const ABSTOP_TINY = abstop12(0.000244140625);
const ABSTOP_120 = abstop12(120);

/**
 * glibc's sincosf (FMA build) for a float32 value with |y| < 120 (Box-Muller's angles are in
 * [0, 2π)); larger arguments fall back to correctly rounded double evaluation.
 * Writes sin to out[at], cos to out[at + 1] (float32 values).
 */
export function sincosf(y: number, out: Float64Array, at: number): void {
  let x = y;
  const top = abstop12(y);
  let t = 0;
  let n = 0;
  if (top < ABSTOP_PIO4) {
    if (top < ABSTOP_TINY) {
      out[at] = y;
      out[at + 1] = 1;
      return;
    }
  } else if (top < ABSTOP_120) {
    const r = x * HPI_INV;
    n = (((r | 0) + 0x800000) | 0) >> 24;
    x = fma(-n, HPI, x);
    const s = SIGN[n & 3]!;
    if (n & 2) t = 1;
    x = x * s;
  } else {
    out[at] = Math.fround(Math.sin(y));
    out[at + 1] = Math.fround(Math.cos(y));
    return;
  }
  const x2 = x * x;
  const x4 = x2 * x2;
  const x3 = x2 * x;
  const c2 = fma(x2, C4[t]!, C3[t]!);
  const s1 = fma(x2, S3, S2);
  const c1 = fma(x2, C1[t]!, C0[t]!);
  const x5 = x3 * x2;
  const x6 = x4 * x2;
  const s = fma(x3, S1, x);
  const c = fma(x4, C2[t]!, c1);
  const sinv = Math.fround(fma(x5, s1, s));
  const cosv = Math.fround(fma(x6, c2, c));
  if (n & 1) {
    out[at] = cosv;
    out[at + 1] = sinv;
  } else {
    out[at] = sinv;
    out[at + 1] = cosv;
  }
}
