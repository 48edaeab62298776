// What TF's stateless random kernels share (core/kernels/stateless_random_ops.cc GenerateKey,
// stateless_random_ops_v2.cc, random_ops_util.h, stateless_random_ops_v2_util.h): the Philox key
// and counter derived from a seed pair, the key/counter/alg inputs of the V2 ops and their checks,
// and the op configs of the seed-pair (v1) and key/counter (v2) forms. A stateless op's output
// depends only on its inputs: the generator starts at the derived key/counter on every run, and
// the fill is the stateful ops' FillPhiloxRandom, so values are TF's bit for bit.

import { invalidArgument } from "../../framework/errors.js";
import { getAttrType } from "../../framework/op-def.js";
import type { OpKernelContext } from "../../framework/op-kernel.js";
import { allocData, shapeString, Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString } from "../../framework/types.js";
import { sampleGammaJob } from "../RandomGamma.js";
import { randomUniformIntJob } from "../RandomUniformInt.js";
import { computeJob, type ElementJob, oneLoop } from "./element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import { PhiloxRandom } from "./philox-random.js";
import { outputShapeFromInput } from "./random-op.js";

/** TF's rng_alg.h Algorithm ids (RNG_ALG_*). */
export const RNG_ALG_PHILOX = 1;
const RNG_ALG_AUTO_SELECT = 3;

const U32 = 0xffffffffn;

/** A generator whose counter words and key words are given (PhiloxRandom(counter, key)). */
function philoxOf(counter: readonly bigint[], key: readonly bigint[]): PhiloxRandom {
  const g = new PhiloxRandom(0n, 0n);
  for (let i = 0; i < 4; i++) g.counter[i] = Number(counter[i]! & U32);
  g.key[0] = Number(key[0]! & U32);
  g.key[1] = Number(key[1]! & U32);
  return g;
}

/** seed must be a 2-vector (checked by every seed-taking stateless kernel before anything else). */
export function checkSeedShape(seed: Tensor): void {
  if (seed.rank !== 1 || seed.shape[0] !== 2) {
    throw invalidArgument(`seed must have shape [2], not ${shapeString(seed.shape)}`);
  }
}

/**
 * GenerateKey: the seed pair (int32 values sign-extended to 64 bits), taken as a Philox counter,
 * is scrambled into one Philox output under a fixed key, so that either half of the seed may be
 * weak. Its first two words become the key, the last two the counter's high half (low half 0).
 */
export function philoxFromSeed(seed: Tensor): PhiloxRandom {
  let s0: bigint;
  let s1: bigint;
  if (seed.dtype === DataType.DT_INT32) {
    const d = seed.data as Int32Array;
    [s0, s1] = [BigInt(d[0]!), BigInt(d[1]!)];
  } else if (seed.dtype === DataType.DT_INT64) {
    const d = seed.data as BigInt64Array;
    [s0, s1] = [d[0]!, d[1]!];
  } else {
    throw invalidArgument(`Invalid seed type: ${dataTypeString(seed.dtype)}`);
  }
  const [a, b] = [BigInt.asUintN(64, s0), BigInt.asUintN(64, s1)];
  const mix = philoxOf([a & U32, a >> 32n, b & U32, b >> 32n], [0x3ec8f720n, 0x02461e29n]).next();
  return philoxOf([0n, 0n, BigInt(mix[2]!), BigInt(mix[3]!)], [BigInt(mix[0]!), BigInt(mix[1]!)]);
}

/** GetPhiloxRandomFromCounterKeyMem: uint64 key and counter words, low 32 bits first. */
export function philoxFromKeyCounter(key: bigint, counter0: bigint, counter1: bigint): PhiloxRandom {
  return philoxOf(
    [counter0 & U32, counter0 >> 32n, counter1 & U32, counter1 >> 32n],
    [key & U32, key >> 32n],
  );
}

/** WriteKeyToMem / WriteCounterToMem: a generator's key as uint64[1], its counter as uint64[2]. */
export function keyCounterTensors(gen: PhiloxRandom): [Tensor, Tensor] {
  const word = (lo: number, hi: number) => BigInt(lo) | (BigInt(hi) << 32n);
  const key = allocData(DataType.DT_UINT64, 1) as BigUint64Array;
  key[0] = word(gen.key[0]!, gen.key[1]!);
  const counter = allocData(DataType.DT_UINT64, 2) as BigUint64Array;
  counter[0] = word(gen.counter[0]!, gen.counter[1]!);
  counter[1] = word(gen.counter[2]!, gen.counter[3]!);
  return [new Tensor(DataType.DT_UINT64, [1], key), new Tensor(DataType.DT_UINT64, [2], counter)];
}

/** An int32 scalar tensor holding the Philox algorithm id (what GetAlg and GetKeyCounterAlg return). */
export function philoxAlgTensor(): Tensor {
  const d = allocData(DataType.DT_INT32, 1) as Int32Array;
  d[0] = RNG_ALG_PHILOX;
  return new Tensor(DataType.DT_INT32, [], d);
}

/** The key/counter/alg inputs of a V2 op, checked (GetKeyCounterAlgFromInputs). */
export interface KeyCounterAlg {
  readonly key: Tensor;
  readonly counter: Tensor;
  readonly alg: number;
}

/**
 * Reads inputs (keyAt, keyAt + 1, keyAt + 2) as key, counter, alg: alg must be a scalar (its
 * auto-select id means Philox), key a 1-vector and counter a vector of at least one word (TF 2.21
 * checks the minimum of any algorithm; a Philox counter of one word reads its second word as 0 here).
 */
export function keyCounterAlgFromInputs(ctx: OpKernelContext, keyAt: number): KeyCounterAlg {
  const [key, counter, algT] = [ctx.input(keyAt), ctx.input(keyAt + 1), ctx.input(keyAt + 2)];
  if (algT.rank !== 0) {
    throw invalidArgument(`input ${keyAt + 2} (0-based) must have shape [], not ${shapeString(algT.shape)}`);
  }
  const id = (algT.data as Int32Array)[0]!;
  const alg = id === RNG_ALG_AUTO_SELECT ? RNG_ALG_PHILOX : id;
  if (key.rank !== 1 || key.shape[0] !== 1) {
    throw invalidArgument(
      `key must have shape [1], not ${shapeString(key.shape)}. (Note that batched keys are not supported yet.)`,
    );
  }
  if (counter.rank !== 1 || counter.shape[0]! < 1) {
    throw invalidArgument(
      `counter must be a vector with length at least 1; got shape: ${shapeString(counter.shape)}. ` +
        "(Note that batched counters are not supported yet.)",
    );
  }
  return { key, counter, alg };
}

/** The generator for checked key/counter/alg inputs; only Philox runs on CPU. */
export function philoxForAlg(kca: KeyCounterAlg): PhiloxRandom {
  if (kca.alg !== RNG_ALG_PHILOX) throw invalidArgument(`Unsupported algorithm id: ${kca.alg}`);
  const k = kca.key.data as BigUint64Array;
  const c = kca.counter.data as BigUint64Array;
  return philoxFromKeyCounter(k[0]!, c[0]!, c.length > 1 ? c[1]! : 0n);
}

/**
 * The distribution part of a stateless kernel (TF's Fill): a job filling a tensor of `shape`
 * (non-empty) from a generator it may not advance, after its own input checks (`gen` is called
 * when the checks pass, so an unsupported algorithm is reported after them, as TF does). Every
 * check happens here, before the job's first slice.
 */
export type StatelessFill = (
  ctx: OpKernelContext,
  gen: () => PhiloxRandom,
  shape: readonly number[],
  dtype: DataType,
) => ElementJob<Tensor>;

/** A stateless op's declaration and dtype set, and where its extra inputs start. */
export interface StatelessOpSpec {
  readonly name: string;
  readonly extraInputs?: readonly string[];
  readonly attrs: readonly string[];
  /** The V2 form's shape-type attr (TF names it Tshape, or shape_dtype for the gamma op). */
  readonly shapeAttr?: string;
  /** The dtypes TF registers CPU kernels for (the "dtype" attr). */
  readonly kernelTypes: readonly DataType[];
  readonly fill: StatelessFill;
}

/** Checks the dtype constraint at construction, then runs `compute` with the output dtype. */
function statelessKernel(
  spec: StatelessOpSpec,
  compute: (ctx: OpKernelContext, dtype: DataType) => ReturnType<typeof computeJob>,
): KernelConfig["kernel"] {
  return cpuKernel(spec.name, (c) => {
    checkTypeConstraint(c, "dtype", spec.kernelTypes);
    const dtype = getAttrType(c.attrs, "dtype");
    return { compute: (ctx) => compute(ctx, dtype) };
  });
}

/**
 * A seed-pair op (StatelessRandomOpBase): "shape, seed[, extra] -> output". The shape is read and
 * the seed's shape checked first; an empty output is returned before the seed's type is read.
 */
export function statelessV1Config(spec: StatelessOpSpec): KernelConfig {
  return {
    op: {
      name: spec.name,
      inputs: ["shape: T", "seed: Tseed", ...(spec.extraInputs ?? [])],
      outputs: ["output: dtype"],
      attrs: spec.attrs,
    },
    kernel: statelessKernel(spec, (ctx, dtype) => {
      const shape = outputShapeFromInput(ctx.input(0));
      const seed = ctx.input(1);
      checkSeedShape(seed);
      if (shape.includes(0)) {
        ctx.setOutput(0, Tensor.zeros(dtype, shape));
        return;
      }
      const gen = philoxFromSeed(seed);
      return computeJob(
        ctx,
        spec.fill(ctx, () => gen, shape, dtype),
      );
    }),
  };
}

/**
 * A key/counter/alg op (StatelessRandomOpBaseWithKeyCounter): "shape, key, counter, alg[, extra]
 * -> output". Key, counter and alg are checked before the shape; the algorithm only once the
 * output is known to be non-empty.
 */
export function statelessV2Config(spec: StatelessOpSpec): KernelConfig {
  const shapeAttr = spec.shapeAttr ?? "Tshape";
  return {
    op: {
      name: spec.name,
      inputs: [
        `shape: ${shapeAttr}`,
        "key: uint64",
        "counter: uint64",
        "alg: int32",
        ...(spec.extraInputs ?? []),
      ],
      outputs: ["output: dtype"],
      attrs: [...spec.attrs, `${shapeAttr}: {int32, int64} = DT_INT32`],
    },
    kernel: statelessKernel(spec, (ctx, dtype) => {
      const kca = keyCounterAlgFromInputs(ctx, 1);
      const shape = outputShapeFromInput(ctx.input(0));
      if (shape.includes(0)) {
        ctx.setOutput(0, Tensor.zeros(dtype, shape));
        return;
      }
      return computeJob(
        ctx,
        spec.fill(ctx, () => philoxForAlg(kca), shape, dtype),
      );
    }),
  };
}

/** The `dtype` attr of the float-valued stateless ops. */
export const STATELESS_FLOAT_DTYPE = "dtype: {half, bfloat16, float, double} = DT_FLOAT";
/** The `Tseed` attr of the seed-pair ops. */
export const TSEED = "Tseed: {int32, int64} = DT_INT64";
/** The `T` (shape type) attr of the seed-pair float ops. */
export const V1_SHAPE_T = "T: {int32, int64} = DT_INT32";

/** The fill of the float ops: `dist(gen, shape, dtype)` from a fresh generator. */
export function floatFill(
  dist: (gen: PhiloxRandom, shape: readonly number[], dtype: DataType) => ElementJob<Tensor>,
): StatelessFill {
  return (_ctx, gen, shape, dtype) => dist(gen(), shape, dtype);
}

const scalarBigInt = (t: Tensor): bigint => {
  const d = t.data;
  return d instanceof BigInt64Array || d instanceof BigUint64Array ? d[0]! : BigInt((d as Int32Array)[0]!);
};

/**
 * The fill of the bounded-integer ops: minval and maxval (inputs minAt, minAt + 1) must be scalars
 * with minval < maxval, then lo + bits % (hi - lo) like the stateful RandomUniformInt.
 */
export function uniformIntFill(minAt: number): StatelessFill {
  return (ctx, gen, shape, dtype) => {
    const [minval, maxval] = [ctx.input(minAt), ctx.input(minAt + 1)];
    if (minval.rank !== 0)
      throw invalidArgument(`minval must be 0-D, got shape ${shapeString(minval.shape)}`);
    if (maxval.rank !== 0)
      throw invalidArgument(`maxval must be 0-D, got shape ${shapeString(maxval.shape)}`);
    const [lo, hi] = [scalarBigInt(minval), scalarBigInt(maxval)];
    if (!(lo < hi)) throw invalidArgument(`Need minval < maxval, got ${lo} >= ${hi}`);
    return randomUniformIntJob(gen(), shape, dtype, lo, hi);
  };
}

/**
 * UniformFullIntDistribution: 32-bit dtypes take the four words of each Philox output as they
 * are, 64-bit dtypes two words each (low word first).
 */
export const uniformFullIntFill: StatelessFill = (_ctx, genOf, shape, dtype) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = allocData(dtype, n, shape);
  const base = genOf();
  const x = new Uint32Array(4);
  const result = () => new Tensor(dtype, shape, out);
  // Ranges of Philox outputs: output p gives elements 2p, 2p + 1 (64-bit) or 4p … 4p + 3.
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    const u = new BigUint64Array(out.buffer, out.byteOffset, n);
    const run = (start: number, end: number) => {
      const gen = base.clone();
      gen.skip(start);
      for (let p = start, i = 2 * start; p < end; p++, i += 2) {
        gen.next(x);
        u[i] = BigInt(x[0]!) | (BigInt(x[1]!) << 32n);
        if (i + 1 < n) u[i + 1] = BigInt(x[2]!) | (BigInt(x[3]!) << 32n);
      }
    };
    return oneLoop(Math.ceil(n / 2), run, result, FULL_INT64_GROUP_COST);
  }
  const o = out as Int32Array | Uint32Array;
  const u = new Uint32Array(o.buffer, o.byteOffset, n);
  const run = (start: number, end: number) => {
    const gen = base.clone();
    gen.skip(start);
    for (let p = start, i = 4 * start; p < end; p++, i += 4) {
      gen.next(x);
      for (let j = 0; j < 4 && i + j < n; j++) u[i + j] = x[j]!;
    }
  };
  return oneLoop(Math.ceil(n / 4), run, result, FULL_INT32_GROUP_COST);
};

/**
 * One Philox output against a plain loop's element: as four int32s (~200 ns on the loaded test
 * machine), as two int64s (~250 ns, BigInts).
 */
const FULL_INT32_GROUP_COST = 100;
const FULL_INT64_GROUP_COST = 130;

/**
 * The fill of the stateless gamma ops: alpha (input alphaAt) must be the trailing part of the
 * output shape and non-empty, then RandomGamma's draws.
 */
export function gammaFill(alphaAt: number): StatelessFill {
  return (ctx, gen, shape, dtype) => {
    const alpha = ctx.input(alphaAt);
    const lead = shape.length - alpha.rank;
    if (lead < 0 || alpha.shape.some((d, i) => d !== shape[lead + i])) {
      throw invalidArgument("Shape passed in must end with broadcasted shape.");
    }
    if (alpha.numElements <= 0) {
      throw invalidArgument(`Input alpha should have non-zero element count, got: ${alpha.numElements}`);
    }
    return sampleGammaJob(gen(), alpha, shape, dtype);
  };
}
