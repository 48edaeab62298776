// Stateful random ops against TensorFlow 2.21 itself (testdata/random-fixtures.json, written by
// testdata/gen_random_fixtures.py): for each (seed, seed2) two consecutive runs of one kernel, so
// both TF's Philox stream and GuardedPhiloxRandom's per-step reservation are checked. float32,
// half, bfloat16 and the integer dtypes compare bit for bit; float64 normals within 2 ulp (TF's
// double Box-Muller uses glibc's double log/sincos, we use V8's).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { AttrValueSchema } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { attr } from "../../../test/support/attr.js";
import { TfCode } from "../framework/errors.js";
import { float32ToHalfArray } from "../framework/float16.js";
import { addDefaultAttrs, inputTypesForNode, lookUpOp, outputTypesForNode } from "../framework/op-def.js";
import { findKernel, isAsyncKernel, type OpKernelContext } from "../framework/op-kernel.js";
import { fromValues, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { run1, tensorOf, testDevice } from "./testing/testing.js";
import { fma, logf } from "./util/glibc-float-math.js";
import { PhiloxRandom } from "./util/philox-random.js";

interface Case {
  op: string;
  dtype: string;
  dtypeEnum: number;
  shape: number[];
  seed: number;
  seed2: number;
  first: (number | string)[];
  second: (number | string)[];
  minval?: string;
  maxval?: string;
}
interface MultinomialCase {
  logits: (number | string)[][];
  dtype: string;
  dtypeEnum: number;
  numSamples: number;
  seed: number;
  seed2: number;
  outputDtypeEnum: number;
  first: number[][];
  second: number[][];
}
const fx = JSON.parse(readFileSync(new URL("./testdata/random-fixtures.json", import.meta.url), "utf8")) as {
  cases: Case[];
  multinomial: MultinomialCase[];
};

const bigAttr = (v: bigint) => create(AttrValueSchema, { value: { case: "i", value: v } });

/** Creates the kernel once (like a registered partition) and computes it `runs` times. */
function runTwice(c: Case): Tensor[] {
  const def = lookUpOp(c.op)!;
  const dt = c.dtypeEnum as DataType;
  const attrs = addDefaultAttrs(def, {
    seed: bigAttr(BigInt(c.seed)),
    seed2: bigAttr(BigInt(c.seed2)),
    T: attr.type(DataType.DT_INT32),
    ...(c.op === "RandomUniformInt" ? { Tout: attr.type(dt) } : { dtype: attr.type(dt) }),
  });
  const kernel = findKernel(c.op, "CPU")!.create({
    nodeName: "r",
    op: c.op,
    opDef: def,
    attrs,
    inputTypes: inputTypesForNode(def, attrs),
    outputTypes: outputTypesForNode(def, attrs),
    requestedInputs: [],
    device: testDevice,
  });
  assert.ok(!isAsyncKernel(kernel));
  const inputs: Tensor[] = [tensorOf(DataType.DT_INT32, [c.shape.length], c.shape)];
  if (c.minval !== undefined) {
    inputs.push(fromValues(dt, [], [BigInt(c.minval)]), fromValues(dt, [], [BigInt(c.maxval!)]));
  }
  const outs: Tensor[] = [];
  for (let r = 0; r < 2; r++) {
    const slices = kernel.compute({
      input: (i: number) => inputs[i]!,
      setOutput: (_i: number, t: Tensor) => outs.push(t),
    } as unknown as OpKernelContext);
    // A large fill continues in slices (util/element-slices.ts); run them as the executor would.
    if (slices) for (let s = slices.next(); !s.done; s = slices.next());
  }
  return outs;
}

function asRecorded(t: Tensor): (number | string)[] {
  const d = t.data;
  if (d instanceof Float32Array) return Array.from(new Uint32Array(d.buffer, d.byteOffset, d.length));
  if (d instanceof BigInt64Array) return Array.from(d, (v) => v.toString());
  return Array.from(d as Float64Array | Uint16Array | Int32Array);
}

describe("random ops vs TensorFlow 2.21 (Philox4x32-10, two steps per kernel)", () => {
  for (const c of fx.cases) {
    it(`${c.op} ${c.dtype} ${JSON.stringify(c.shape)} seed=(${c.seed}, ${c.seed2})`, () => {
      const [first, second] = runTwice(c);
      for (const [got, want] of [
        [first!, c.first],
        [second!, c.second],
      ] as const) {
        assert.deepEqual(got.shape, c.shape);
        const values = asRecorded(got);
        if (c.dtype === "float64" && c.op !== "RandomUniform") {
          values.forEach((v, i) => {
            const w = want[i] as number;
            assert.ok(
              Math.abs((v as number) - w) <= 4.5e-16 * Math.max(1, Math.abs(w)),
              `${i}: ${v} vs ${w}`,
            );
          });
        } else {
          assert.deepEqual(values, want);
        }
      }
    });
  }
});

describe("Multinomial vs TensorFlow 2.21 (two steps per kernel)", () => {
  for (const c of fx.multinomial) {
    it(`${c.dtype} ${c.logits.length}x${c.logits[0]!.length} num_samples=${c.numSamples} seed=(${c.seed}, ${c.seed2})`, () => {
      const def = lookUpOp("Multinomial")!;
      const dt = c.dtypeEnum as DataType;
      const attrs = addDefaultAttrs(def, {
        seed: bigAttr(BigInt(c.seed)),
        seed2: bigAttr(BigInt(c.seed2)),
        T: attr.type(dt),
        output_dtype: attr.type(c.outputDtypeEnum as DataType),
      });
      const kernel = findKernel("Multinomial", "CPU")!.create({
        nodeName: "m",
        op: "Multinomial",
        opDef: def,
        attrs,
        inputTypes: inputTypesForNode(def, attrs),
        outputTypes: outputTypesForNode(def, attrs),
        requestedInputs: [],
        device: testDevice,
      });
      assert.ok(!isAsyncKernel(kernel));
      const flat = c.logits.flat().map((v) => (typeof v === "string" ? Number(v) : v));
      const logitsShape = [c.logits.length, c.logits[0]!.length];
      const inputs = [
        dt === DataType.DT_HALF
          ? new Tensor(dt, logitsShape, float32ToHalfArray(Float32Array.from(flat)))
          : fromValues(dt, logitsShape, flat),
        tensorOf(DataType.DT_INT32, [], [c.numSamples]),
      ];
      for (const want of [c.first, c.second]) {
        let out: Tensor | undefined;
        const slices = kernel.compute({
          input: (i: number) => inputs[i]!,
          setOutput: (_i: number, t: Tensor) => {
            out = t;
          },
        } as unknown as OpKernelContext);
        if (slices) for (let s = slices.next(); !s.done; s = slices.next());
        assert.equal(out!.dtype, c.outputDtypeEnum);
        assert.deepEqual(out!.shape, [c.logits.length, c.numSamples]);
        assert.deepEqual(Array.from(out!.data as Int32Array | BigInt64Array, Number), want.flat());
      }
    });
  }
});

describe("random ops: errors, budgets and seeds", () => {
  const shape = (v: number[]) => tensorOf(DataType.DT_INT32, [v.length], v);
  const rejects = (p: Promise<unknown>, code: number, fragment: string) =>
    assert.rejects(p, (e: { code: number; message: string }) => {
      assert.equal(e.code, code, e.message);
      assert.ok(e.message.includes(fragment), e.message);
      return true;
    });

  it("shape must be a vector; negative dims are rejected", async () => {
    const attrs = { dtype: attr.type(DataType.DT_FLOAT), T: attr.type(DataType.DT_INT32) };
    await rejects(
      run1("RandomUniform", { attrs, inputs: [tensorOf(DataType.DT_INT32, [], [3])] }),
      TfCode.INVALID_ARGUMENT,
      "shape must be a vector of {int32,int64}, got shape []",
    );
    await rejects(
      run1("RandomStandardNormal", { attrs, inputs: [shape([2, -1])] }),
      TfCode.INVALID_ARGUMENT,
      "Dimension -1 must be >= 0",
    );
  });

  it("a terabyte request fails before allocating", async () => {
    const attrs = { dtype: attr.type(DataType.DT_FLOAT), T: attr.type(DataType.DT_INT32) };
    await rejects(
      run1("TruncatedNormal", { attrs, inputs: [shape([1 << 20, 1 << 20])] }),
      TfCode.RESOURCE_EXHAUSTED,
      "OOM when allocating tensor with shape[1048576,1048576] and type float",
    );
  });

  it("RandomUniformInt checks its bounds like TF", async () => {
    const I = DataType.DT_INT32;
    const attrs = { Tout: attr.type(I), T: attr.type(I) };
    await rejects(
      run1("RandomUniformInt", { attrs, inputs: [shape([2]), tensorOf(I, [], [5]), tensorOf(I, [], [3])] }),
      TfCode.INVALID_ARGUMENT,
      "Need minval < maxval, got 5 >= 3",
    );
    await rejects(
      run1("RandomUniformInt", { attrs, inputs: [shape([2]), tensorOf(I, [1], [0]), tensorOf(I, [], [3])] }),
      TfCode.INVALID_ARGUMENT,
      "minval must be 0-D, got shape [1]",
    );
  });

  it("seed = seed2 = 0 draws a fresh random stream per kernel", async () => {
    const attrs = { dtype: attr.type(DataType.DT_FLOAT), T: attr.type(DataType.DT_INT32) };
    const a = await run1("RandomUniform", { attrs, inputs: [shape([64])] });
    const b = await run1("RandomUniform", { attrs, inputs: [shape([64])] });
    assert.notDeepEqual(Array.from(a.data as Float32Array), Array.from(b.data as Float32Array));
    for (const v of a.data as Float32Array) assert.ok(v >= 0 && v < 1);
  });

  it("Philox4x32-10 matches the Random123 known-answer vector", () => {
    // Random123's kat_vectors: philox4x32 10 rounds, counter = 0, key = 0.
    const g = new PhiloxRandom(0n, 0n);
    assert.deepEqual(Array.from(g.next()), [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
  });

  it("fma is a single rounding; logf is glibc's", () => {
    assert.equal(fma(1 + 2 ** -52, 1 - 2 ** -52, -1), -(2 ** -104));
    assert.equal(fma(0.1, 10, -1), 5.551115123125783e-17);
    assert.equal(logf(1), 0);
    assert.equal(logf(Math.fround(Math.E)), Math.fround(0.99999994));
  });
});
