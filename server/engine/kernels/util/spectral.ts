// TF's FFT kernels (core/kernels/fft_ops.cc, FFTBase/FFTCPU): complex FFT/IFFT and real
// RFFT/IRFFT over the innermost 1, 2 or 3 dimensions. TF runs ducc in the dtype's own precision;
// here every transform runs in float64 (radix-2 for power-of-two lengths, Bluestein's chirp-z
// otherwise) and is rounded once to the output type, so results agree with TF to rounding, not
// bit for bit. Large transforms run in slices (util/paced-slices.ts): the work yields between
// lines of an axis and between blocks of the copies, so the arithmetic is one run's.

import { invalidArgument } from "../../framework/errors.js";
import { getAttrType } from "../../framework/op-def.js";
import type { KernelSlices, OpKernelContext } from "../../framework/op-kernel.js";
import { checkAllocation, shapeString, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";
import { Pace, pacedCompute } from "./paced-slices.js";
import type { Slices } from "./slices.js";
import { readInts } from "./tensor-util.js";

/** A complex vector as separate real and imaginary float64 parts. */
interface Cvec {
  re: Float64Array;
  im: Float64Array;
}

const isPow2 = (n: number) => (n & (n - 1)) === 0;

/** An unnormalised in-place DFT of one fixed length and direction. */
export type Dft = (re: Float64Array, im: Float64Array) => void;

/**
 * Iterative radix-2 transform of length n (a power of two), sign -1 forward and +1 inverse. The
 * twiddles are tabulated once from cos/sin (not by recurrence) to keep float64 accuracy.
 */
function radix2(n: number, sign: number): Dft {
  const half = n >> 1;
  const wr = new Float64Array(half);
  const wi = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    wr[k] = Math.cos((2 * Math.PI * k) / n);
    wi[k] = sign * Math.sin((2 * Math.PI * k) / n);
  }
  return (re, im) => {
    for (let i = 1, j = 0; i < n; i++) {
      let bit = n >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) {
        const tr = re[i]!;
        re[i] = re[j]!;
        re[j] = tr;
        const ti = im[i]!;
        im[i] = im[j]!;
        im[j] = ti;
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const h = len >> 1;
      const step = n / len;
      for (let s = 0; s < n; s += len) {
        for (let k = 0; k < h; k++) {
          const c = wr[k * step]!;
          const d = wi[k * step]!;
          const a = s + k;
          const b = a + h;
          const xr = re[b]! * c - im[b]! * d;
          const xi = re[b]! * d + im[b]! * c;
          re[b] = re[a]! - xr;
          im[b] = im[a]! - xi;
          re[a] = re[a]! + xr;
          im[a] = im[a]! + xi;
        }
      }
    }
  };
}

/**
 * Bluestein's chirp-z for any length n: the DFT as a circular convolution of power-of-two length
 * m >= 2n-1, with the chirp and the transformed kernel computed once per plan.
 */
function bluestein(n: number, sign: number): Dft {
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const fwd = radix2(m, -1);
  const inv = radix2(m, 1);
  // chirp w_k = exp(sign·iπk²/n), with k² reduced mod 2n so the angle stays small and exact.
  const cr = new Float64Array(n);
  const ci = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const ang = (sign * Math.PI * ((k * k) % (2 * n))) / n;
    cr[k] = Math.cos(ang);
    ci[k] = Math.sin(ang);
  }
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  br[0] = cr[0]!;
  bi[0] = -ci[0]!;
  for (let k = 1; k < n; k++) {
    br[k] = br[m - k] = cr[k]!;
    bi[k] = bi[m - k] = -ci[k]!;
  }
  fwd(br, bi);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  return (re, im) => {
    ar.fill(0);
    ai.fill(0);
    for (let k = 0; k < n; k++) {
      ar[k] = re[k]! * cr[k]! - im[k]! * ci[k]!;
      ai[k] = re[k]! * ci[k]! + im[k]! * cr[k]!;
    }
    fwd(ar, ai);
    for (let k = 0; k < m; k++) {
      const xr = ar[k]! * br[k]! - ai[k]! * bi[k]!;
      ai[k] = ar[k]! * bi[k]! + ai[k]! * br[k]!;
      ar[k] = xr;
    }
    inv(ar, ai);
    for (let k = 0; k < n; k++) {
      const xr = ar[k]! / m;
      const xi = ai[k]! / m;
      re[k] = xr * cr[k]! - xi * ci[k]!;
      im[k] = xr * ci[k]! + xi * cr[k]!;
    }
  };
}

/** An unnormalised in-place DFT of length n (sign -1 forward, +1 inverse). */
export function makeDft(n: number, sign: number): Dft {
  if (n <= 1) return () => {};
  return isPow2(n) ? radix2(n, sign) : bluestein(n, sign);
}

/** About the float64 operations of one DFT of length n (Bluestein: three transforms of 2n+). */
function dftWork(n: number): number {
  if (n <= 1) return 1;
  if (isPow2(n)) return 5 * n * Math.log2(n);
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  return 15 * m * Math.log2(m);
}

/** Elements per pace check in the copy loops. */
const COPY_BLOCK = 2 ** 14;

/**
 * Transforms axis `axis` of a row-major complex buffer of shape `dims` in place, one line at a
 * time through a scratch vector.
 */
function* transformAxis(
  buf: Cvec,
  dims: readonly number[],
  axis: number,
  sign: number,
  pace: Pace,
): Slices<void> {
  const n = dims[axis]!;
  if (n <= 1) return;
  const lineWork = dftWork(n) + 4 * n;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = buf.re.length / (n * inner);
  const line: Cvec = { re: new Float64Array(n), im: new Float64Array(n) };
  const dft = makeDft(n, sign);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      for (let k = 0; k < n; k++) {
        line.re[k] = buf.re[base + k * inner]!;
        line.im[k] = buf.im[base + k * inner]!;
      }
      dft(line.re, line.im);
      for (let k = 0; k < n; k++) {
        buf.re[base + k * inner] = line.re[k]!;
        buf.im[base + k * inner] = line.im[k]!;
      }
      if (pace.due(lineWork)) yield;
    }
  }
}

/** How one op reads and writes: complex or real input, forward or inverse, over `rank` axes. */
export interface FftKind {
  readonly rank: number;
  readonly forward: boolean;
  readonly real: boolean;
}

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/**
 * Copies the leading `dims` corner of input (interleaved complex when `complex`, else real) into
 * a new float64 work buffer of shape dims: TF crops every transformed axis to its FFT length.
 */
function* gather(input: Tensor, dims: readonly number[], complex: boolean, pace: Pace): Slices<Cvec> {
  const n = dims.reduce((a, b) => a * b, 1);
  checkAllocation(DataType.DT_COMPLEX128, n, dims);
  const buf: Cvec = { re: new Float64Array(n), im: new Float64Array(n) };
  const src = input.data as Float32Array | Float64Array;
  const inStrides = stridesOf(input.shape);
  const outStrides = stridesOf(dims);
  for (let j = 0; j < n; j++) {
    let at = 0;
    let rest = j;
    for (let d = 0; d < dims.length; d++) {
      const q = Math.floor(rest / outStrides[d]!);
      rest -= q * outStrides[d]!;
      at += q * inStrides[d]!;
    }
    if (complex) {
      buf.re[j] = src[2 * at]!;
      buf.im[j] = src[2 * at + 1]!;
    } else {
      buf.re[j] = src[at]!;
    }
    if (j % COPY_BLOCK === COPY_BLOCK - 1 && pace.due(COPY_BLOCK * dims.length)) yield;
  }
  return buf;
}

/** The FFT lengths and output shape, with TF's checks and messages. */
function plan(kind: FftKind, input: Tensor, lenT: Tensor | undefined): { fft: number[]; outShape: number[] } {
  const { rank, forward, real } = kind;
  const shape = input.shape;
  if (shape.length < rank) {
    throw invalidArgument(`Input must have rank of at least ${rank} but got: ${shapeString(shape)}`);
  }
  const lead = shape.length - rank;
  if (!real) return { fft: shape.slice(lead), outShape: shape.slice() };
  if (lenT === undefined || lenT.rank !== 1 || lenT.shape[0] !== rank)
    throw invalidArgument(`fft_length must have shape [${rank}]`);
  const lengths = readInts(lenT);
  const outShape = shape.slice();
  lengths.forEach((len, i) => {
    if (len < 0) throw invalidArgument(`fft_length[${i}] must >= 0, but got: ${len}`);
    const inner = i === rank - 1;
    const need = !forward && inner ? Math.floor(len / 2) + 1 : len;
    const have = shape[lead + i]!;
    if (have !== 0 && have < need) {
      throw invalidArgument(
        `Input dimension ${lead + i} must have length of at least ${need} but got: ${have}`,
      );
    }
    outShape[lead + i] = forward && inner && len !== 0 ? Math.floor(len / 2) + 1 : len;
  });
  return { fft: lengths, outShape };
}

const COMPLEX_OF: Partial<Record<DataType, DataType>> = {
  [DataType.DT_FLOAT]: DataType.DT_COMPLEX64,
  [DataType.DT_DOUBLE]: DataType.DT_COMPLEX128,
};

/** TF's runtime dtype check, made after the output is allocated; TF prints the DataType enum numbers. */
function checkTypes(kind: FftKind, inT: DataType, outT: DataType): void {
  const s = (t: DataType) => String(t);
  if (!kind.real) {
    if (inT !== outT) throw invalidArgument(`Wrong types for FFT: in=${s(inT)} out=${s(outT)}`);
  } else if (kind.forward) {
    if (COMPLEX_OF[inT] !== outT) {
      throw invalidArgument(`Wrong types for forward real FFT: in=${s(inT)} out=${s(outT)}`);
    }
  } else if (COMPLEX_OF[outT] !== inT) {
    throw invalidArgument(`Wrong types for backward real FFT: in=${s(inT)} out=${s(outT)}`);
  }
}

/**
 * Clears the rounding noise in the imaginary parts of the DC and (even n) Nyquist bins of every
 * innermost line transformed from real data: those bins are real, as TF's r2c returns them.
 */
function zeroRealBins(buf: Cvec, n: number): void {
  for (let r = 0; r < buf.im.length; r += n) {
    buf.im[r] = 0;
    if (n % 2 === 0) buf.im[r + n / 2] = 0;
  }
}

/** The transform itself on a non-empty input; writes into out's storage. */
function* compute(
  kind: FftKind,
  input: Tensor,
  fft: readonly number[],
  out: Tensor,
  pace: Pace,
): Slices<void> {
  const { rank, forward, real } = kind;
  const lead = input.rank - rank;
  const batch = input.shape.slice(0, lead);
  const scale = forward ? 1 : 1 / fft.reduce((a, b) => a * b, 1);
  const dst = out.data as Float32Array | Float64Array;
  if (real && !forward) {
    // C2R: inverse complex transforms over the outer axes, then a Hermitian line per innermost row.
    const last = fft[rank - 1]!;
    const half = Math.floor(last / 2) + 1;
    const dims = [...batch, ...fft.slice(0, rank - 1), half];
    const buf = yield* gather(input, dims, true, pace);
    for (let a = lead; a < dims.length - 1; a++) yield* transformAxis(buf, dims, a, 1, pace);
    const rows = buf.re.length / half;
    const line: Cvec = { re: new Float64Array(last), im: new Float64Array(last) };
    const dft = makeDft(last, 1);
    const lineWork = dftWork(last) + 3 * last;
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < last; k++) {
        const mirrored = k >= half;
        const src = r * half + (mirrored ? last - k : k);
        line.re[k] = buf.re[src]!;
        line.im[k] = mirrored ? -buf.im[src]! : buf.im[src]!;
      }
      dft(line.re, line.im);
      for (let k = 0; k < last; k++) dst[r * last + k] = line.re[k]! * scale;
      if (pace.due(lineWork)) yield;
    }
    return;
  }
  let dims = [...batch, ...fft];
  let buf = yield* gather(input, dims, !real, pace);
  const sign = forward ? -1 : 1;
  if (real) {
    // R2C transforms the real innermost axis first, whose DC and Nyquist bins are exactly real,
    // and keeps only its fft/2+1 non-redundant bins for the outer axes.
    yield* transformAxis(buf, dims, dims.length - 1, sign, pace);
    zeroRealBins(buf, fft[rank - 1]!);
    ({ buf, dims } = keepLeadingBins(buf, dims, out.shape[out.rank - 1]!));
    for (let a = lead; a < dims.length - 1; a++) yield* transformAxis(buf, dims, a, sign, pace);
  } else {
    for (let a = lead; a < dims.length; a++) yield* transformAxis(buf, dims, a, sign, pace);
  }
  for (let j = 0; j < buf.re.length; j++) {
    dst[2 * j] = buf.re[j]! * scale;
    dst[2 * j + 1] = buf.im[j]! * scale;
    if (j % COPY_BLOCK === COPY_BLOCK - 1 && pace.due(COPY_BLOCK)) yield;
  }
}

/**
 * About the work of a transform over the innermost `rank` axes of `shape` (the input's: the real
 * transforms' lengths are within a factor of two of it): every element through each axis's DFT.
 */
function fftWork(shape: readonly number[], rank: number): number {
  const elements = shape.reduce((a, b) => a * b, 1);
  const axes = shape.slice(Math.max(0, shape.length - rank));
  return axes.reduce((w, n) => w + (elements / Math.max(1, n)) * dftWork(2 * n), elements);
}

/** The first `keep` entries of every innermost line of buf (shape dims). */
function keepLeadingBins(buf: Cvec, dims: readonly number[], keep: number): { buf: Cvec; dims: number[] } {
  const full = dims[dims.length - 1]!;
  const rows = buf.re.length / full;
  const out: Cvec = { re: new Float64Array(rows * keep), im: new Float64Array(rows * keep) };
  for (let r = 0; r < rows; r++) {
    out.re.set(buf.re.subarray(r * full, r * full + keep), r * keep);
    out.im.set(buf.im.subarray(r * full, r * full + keep), r * keep);
  }
  return { buf: out, dims: [...dims.slice(0, -1), keep] };
}

/**
 * One FFT op on `input` (with `fftLength` for the real ones), in slices of about a millisecond;
 * `pace` smaller in tests.
 */
export function* fftSlices(
  kind: FftKind,
  input: Tensor,
  fftLength: Tensor | undefined,
  outDtype: DataType,
  pace = new Pace(),
): Slices<Tensor> {
  const { fft, outShape } = plan(kind, input, fftLength);
  const out = Tensor.zeros(outDtype, outShape);
  checkTypes(kind, input.dtype, outDtype);
  // TF passes empty inputs through untouched (its output stays unfilled; ours is zeros).
  if (input.numElements > 0 && out.numElements > 0) yield* compute(kind, input, fft, out, pace);
  return out;
}

function fftKernel(ctx: OpKernelContext, kind: FftKind, outDtype: DataType): KernelSlices | undefined {
  const input = ctx.input(0);
  const fftLength = kind.real ? ctx.input(1) : undefined;
  return pacedCompute(ctx, fftWork(input.shape, kind.rank), function* () {
    return [yield* fftSlices(kind, input, fftLength, outDtype)];
  });
}

const COMPLEX_ATTR = "Tcomplex: {complex64, complex128} = DT_COMPLEX64";
const REAL_ATTR = "Treal: {float, double} = DT_FLOAT";

/** The op definition and CPU kernel of one of TF's FFT ops. */
export function spectralOpConfig(name: string, rank: number, forward: boolean, real: boolean): KernelConfig {
  const kind: FftKind = { rank, forward, real };
  const inT = !real ? "Tcomplex" : forward ? "Treal" : "Tcomplex";
  const outT = !real ? "Tcomplex" : forward ? "Tcomplex" : "Treal";
  return {
    op: {
      name,
      inputs: real ? [`input: ${inT}`, "fft_length: int32"] : [`input: ${inT}`],
      outputs: [`output: ${outT}`],
      attrs: real ? [REAL_ATTR, COMPLEX_ATTR] : [COMPLEX_ATTR],
    },
    kernel: cpuKernel(name, (c) => {
      const outDtype = getAttrType(c.attrs, outT);
      return { compute: (ctx) => fftKernel(ctx, kind, outDtype) };
    }),
  };
}
