// The stateless random ops, StatelessMultinomial, StatelessShuffle, RandomShuffle, RandomGamma and
// RandomPoisson against
// TensorFlow 2.21 itself: testdata/stateless-random-fixtures.json, written by
// testdata/gen_stateless_random_fixtures.py.
//   - cases: one tf.raw_ops call each; outputs compare exactly (TF's Philox streams and
//     distributions are followed bit for bit), except float64 normals and gamma draws, within
//     2 ulp (TF's double Box-Muller and gamma rejection call glibc's double log/sin/cos/pow/log1p,
//     we call V8's; their float, half and bfloat16 values are exact); errors by code and message;
//   - stateful: RandomShuffle's, RandomGamma's and RandomPoisson's kernel created once and run twice, as a session
//     runs one node twice, so the second run continues the seeded stream;
//   - graphs: Keras Dense layers built in a tf.compat.v1 graph, run on tfgate's master (initialise,
//     then read the variables): the initialised kernels must be TF's bit for bit.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { closeSession, createSession, runStep } from "../../../test/support/session.js";
import { addDefaultAttrs, inputTypesForNode, lookUpOp, outputTypesForNode } from "../framework/op-def.js";
import { findKernel, isAsyncKernel, type OpKernelContext } from "../framework/op-kernel.js";
import type { Tensor } from "../framework/tensor.js";
import { tensorFromProto } from "../framework/tensor-proto.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { createMaster, type Master } from "../master/master.js";
import {
  buildAttrs,
  type FxKernelCase,
  type FxTensor,
  num,
  runFixtureCase,
  toTensor,
  valuesOf,
} from "./testing/fixture-format.js";
import { runKernel, testDevice } from "./testing/testing.js";

const fx = JSON.parse(
  readFileSync(new URL("./testdata/stateless-random-fixtures.json", import.meta.url), "utf8"),
) as { tensorflow: string; cases: FxKernelCase[]; stateful: FxKernelCase[]; graphs: GraphCase[] };

interface GraphCase {
  readonly name: string;
  readonly graph: string;
  readonly ops: string[];
  readonly steps: { targets: string[]; fetches: string[]; outputs?: FxTensor[] }[];
}

/** Ops whose float64 values go through double transcendentals (glibc's in TF, V8's here). */
const DOUBLE_MATH = new Set([
  "StatelessRandomNormal",
  "StatelessTruncatedNormal",
  "StatelessRandomNormalV2",
  "StatelessTruncatedNormalV2",
  "StatelessRandomGammaV2",
  "StatelessRandomGammaV3",
  "RandomGamma",
]);

function assertTensor(got: Tensor | undefined, want: FxTensor, what: string, ulps: boolean): void {
  assert.ok(got, `${what}: no output`);
  assert.equal(got.dtype, want.dtype, `${what} dtype ${dataTypeString(got.dtype)}`);
  assert.deepEqual(got.shape, want.shape, `${what} shape`);
  const values = valuesOf(got);
  want.values.forEach((w, i) => {
    const g = values[i];
    if (ulps && want.dtype === DataType.DT_DOUBLE) {
      const e = num(w as number);
      // About two units in the last place, relative (gamma draws can be tiny).
      assert.ok(Math.abs((g as number) - e) <= 2 ** -51 * Math.abs(e), `${what}[${i}]: ${g}, TF ${e}`);
    } else if (typeof w === "number" || w === "nan" || w === "inf" || w === "-inf") {
      assert.ok(Object.is(g, num(w)) || g === num(w), `${what}[${i}]: ${g}, TF ${w}`);
    } else {
      assert.deepEqual(g, w, `${what}[${i}]`);
    }
  });
}

const dtypeOf = (c: FxKernelCase): string => {
  const t = c.attrs.dtype ?? c.attrs.T ?? c.attrs.Tseed;
  return t && t[0] === "type" ? dataTypeString(t[1] as DataType) : "";
};

describe(`stateless random ops vs TensorFlow ${fx.tensorflow}`, () => {
  fx.cases.forEach((c, k) => {
    const what = c.error
      ? `error: ${c.error.message.slice(0, 60)}`
      : c.inputs.map((t) => `[${t.shape}]`).join(" ");
    it(`#${k} ${c.op} ${dtypeOf(c)} ${what}`, async () => {
      const outputs = await runFixtureCase(c);
      if (outputs === undefined) return;
      c.outputs!.forEach((want, i) => {
        assertTensor(outputs[i], want, `output ${i}`, DOUBLE_MATH.has(c.op));
      });
    });
  });
});

/** Creates the kernel once (like a session's node) and computes it `runs` times on the same inputs. */
function runRepeatedly(c: FxKernelCase, runs: number): Tensor[] {
  const def = lookUpOp(c.op)!;
  const attrs = addDefaultAttrs(def, buildAttrs(c.attrs));
  const kernel = findKernel(c.op, "CPU")!.create({
    nodeName: "shuffle",
    op: c.op,
    opDef: def,
    attrs,
    inputTypes: inputTypesForNode(def, attrs),
    outputTypes: outputTypesForNode(def, attrs),
    requestedInputs: c.inputs.map((_, i) => `in${i}`),
    device: testDevice,
  });
  assert.ok(!isAsyncKernel(kernel));
  const inputs = c.inputs.map(toTensor);
  const outs: Tensor[] = [];
  for (let r = 0; r < runs; r++) {
    const slices = kernel.compute({
      input: (i: number) => inputs[i]!,
      setOutput: (_i: number, t: Tensor) => outs.push(t),
    } as unknown as OpKernelContext);
    // A large draw continues in slices (util/element-slices.ts); run them as the executor would.
    if (slices) for (let s = slices.next(); !s.done; s = slices.next());
  }
  return outs;
}

describe(`RandomShuffle, RandomGamma and RandomPoisson vs TensorFlow ${fx.tensorflow} (two runs of one seeded kernel)`, () => {
  fx.stateful.forEach((c, k) => {
    const seeds = `seed=(${c.attrs.seed![1]}, ${c.attrs.seed2![1]})`;
    it(`#${k} ${c.op} ${dtypeOf(c)} ${c.inputs.map((t) => `[${t.shape}]`).join(" ")} ${seeds}`, () => {
      if (c.error) {
        assert.throws(
          () => runRepeatedly(c, 1),
          (e: { code: number; message: string }) => {
            assert.equal(e.code, c.error!.code, e.message);
            assert.equal(e.message, c.error!.message);
            return true;
          },
        );
        return;
      }
      const outs = runRepeatedly(c, c.outputs!.length);
      c.outputs!.forEach((want, i) => {
        assertTensor(outs[i], want, `run ${i + 1}`, DOUBLE_MATH.has(c.op));
      });
    });
  });
});

describe(`Keras initialisers in tf.compat.v1 graphs vs TensorFlow ${fx.tensorflow}`, () => {
  // One master (its workers start once); the graphs' variable names differ, so they do not meet.
  let master: Master;
  before(() => {
    master = createMaster();
  });
  after(() => master.close());
  for (const g of fx.graphs) {
    it(`${g.name}: initialised kernels and biases are TF's (${g.ops.filter((o) => o.includes("Random")).join(", ")})`, async () => {
      const graphDef = fromBinary(GraphDefSchema, Buffer.from(g.graph, "base64"));
      const sessionHandle = await createSession(master, graphDef);
      try {
        for (const [k, step] of g.steps.entries()) {
          const r = await runStep(master, sessionHandle, { fetch: step.fetches, target: step.targets });
          (step.outputs ?? []).forEach((want, i) => {
            const named = r.tensor.find((t) => t.name === step.fetches[i]);
            assert.ok(named?.tensor, `step ${k}: no ${step.fetches[i]}`);
            assertTensor(tensorFromProto(named.tensor), want, `step ${k} ${step.fetches[i]}`, false);
          });
        }
      } finally {
        await closeSession(master, sessionHandle);
      }
    });
  }
});

describe("Poisson rates TF never finishes sampling", () => {
  // TF 2.21 loops forever on these (observed); tfgate gives up with INVALID_ARGUMENT.
  const poisson = (rate: number, dtype: DataType) =>
    runKernel("StatelessRandomPoisson", {
      attrs: buildAttrs({
        Rtype: ["type", DataType.DT_DOUBLE],
        dtype: ["type", dtype],
        T: ["type", DataType.DT_INT32],
        Tseed: ["type", DataType.DT_INT32],
      }),
      inputs: [
        toTensor({ dtype: DataType.DT_INT32, shape: [1], values: [2] }),
        toTensor({ dtype: DataType.DT_INT32, shape: [2], values: [1, 2] }),
        toTensor({ dtype: DataType.DT_DOUBLE, shape: [], values: [rate] }),
      ],
    });
  it("a NaN rate is INVALID_ARGUMENT", async () => {
    await assert.rejects(poisson(Number.NaN, DataType.DT_FLOAT), { code: 3 });
  });
  it("a rate whose draws exceed the output dtype is INVALID_ARGUMENT", async () => {
    await assert.rejects(poisson(1e6, DataType.DT_HALF), { code: 3 });
  });
});
