// The ops no other fixture covered (test/op-coverage.test.ts finds them), against TensorFlow 2.21
// itself: testdata/coverage-fixtures.json, written by testdata/gen_coverage_fixtures.py.
//   - kernels: one tf.raw_ops call each, looped over the dtypes the op registers; every output's
//     dtype, shape and values (floats to a couple of ulps of their dtype), or TF's error code and
//     message;
//   - graphs: tf.compat.v1 GraphDefs (ref/resource variables, TF1 control flow on refs, a stateful
//     function call, the deprecated PlaceholderV2) run step by step in one session on tfgate's
//     master, with TF's fetched values or its error code and message.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { create, fromBinary } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import {
  CloseSessionRequestSchema,
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../../../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { tensorFromProto, tensorToProto } from "../framework/tensor-proto.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { createMaster, type Master } from "../master/master.js";
import {
  buildAttrs,
  type FxError,
  type FxKernelCase,
  type FxNumber,
  type FxTensor,
  num,
  toTensor,
  valuesOf,
} from "./fixture-format.js";
import { runKernel } from "./testing.js";

type KernelCase = FxKernelCase;
interface GraphCase {
  readonly name: string;
  readonly graph: string;
  readonly ops: string[];
  readonly steps: {
    targets: string[];
    fetches: string[];
    feeds?: Record<string, FxTensor>;
    outputs?: FxTensor[];
    error?: FxError;
  }[];
}

const fx = JSON.parse(
  readFileSync(new URL("./testdata/coverage-fixtures.json", import.meta.url), "utf8"),
) as {
  tensorflow: string;
  kernels: KernelCase[];
  graphs: GraphCase[];
};

/** Relative tolerance per float dtype: about two units in the last place. */
const FLOAT_TOLERANCE: Partial<Record<DataType, number>> = {
  [DataType.DT_FLOAT]: 2 ** -22,
  [DataType.DT_DOUBLE]: 2 ** -51,
  [DataType.DT_HALF]: 2 ** -10,
  [DataType.DT_BFLOAT16]: 2 ** -7,
};

/** Asserts dtype, shape and every value of `got` against TF's tensor. */
function assertTensor(got: Tensor | undefined, want: FxTensor, what: string): void {
  assert.ok(got, `${what}: no output`);
  assert.equal(
    got.dtype,
    want.dtype,
    `${what} dtype: ${dataTypeString(got.dtype)}, TF ${dataTypeString(want.dtype as DataType)}`,
  );
  assert.deepEqual(got.shape, want.shape, `${what} shape`);
  const values = valuesOf(got);
  const tol = FLOAT_TOLERANCE[want.dtype as DataType];
  want.values.forEach((w, i) => {
    const g = values[i];
    const at = `${what}[${i}]`;
    if (tol === undefined) assert.equal(g, w, at);
    else {
      const e = num(w as FxNumber);
      const v = g as number;
      if (Number.isNaN(e)) assert.ok(Number.isNaN(v), `${at}: ${v}, TF NaN`);
      else assert.ok(v === e || Math.abs(v - e) <= tol * Math.abs(e), `${at}: ${v}, TF ${e}`);
    }
  });
}

const dtypeOf = (c: KernelCase): string => {
  const t = c.attrs.T ?? c.attrs.dtype ?? c.attrs.Tidx;
  return t && t[0] === "type" ? dataTypeString(t[1] as DataType) : "";
};

describe(`kernels vs TensorFlow ${fx.tensorflow} (coverage fixtures)`, () => {
  fx.kernels.forEach((c, k) => {
    const what = c.error
      ? `error: ${c.error.message.slice(0, 60)}`
      : `${c.inputs.map((t) => `[${t.shape}]`).join(" ")}`;
    it(`#${k} ${c.op} ${dtypeOf(c)} ${what}`, async () => {
      const p = runKernel(c.op, {
        attrs: buildAttrs(c.attrs),
        inputs: c.inputs.map(toTensor),
        nodeName: c.op,
      });
      if (c.error) {
        await assert.rejects(p, (e: { code: number; message: string }) => {
          assert.equal(e.code, c.error!.code, e.message);
          assert.equal(e.message, c.error!.message);
          return true;
        });
        return;
      }
      const r = await p;
      assert.equal(r.outputs.length, c.outputs!.length, "number of outputs");
      for (const [i, want] of c.outputs!.entries()) assertTensor(r.outputs[i], want, `output ${i}`);
    });
  });
});

describe(`tf.compat.v1 graphs vs TensorFlow ${fx.tensorflow} (coverage fixtures)`, () => {
  let master: Master;
  before(() => {
    master = createMaster();
  });
  after(() => master.close());
  for (const g of fx.graphs) {
    it(`${g.name}: ${g.steps.length} steps give TF's values (${g.ops.join(", ")})`, async () => {
      const graphDef = fromBinary(GraphDefSchema, Buffer.from(g.graph, "base64"));
      const { sessionHandle } = await master.createSession(create(CreateSessionRequestSchema, { graphDef }));
      try {
        for (const [k, step] of g.steps.entries()) {
          const run = master.runStep(
            create(RunStepRequestSchema, {
              sessionHandle,
              feed: Object.entries(step.feeds ?? {}).map(([name, t]) => ({
                name,
                tensor: tensorToProto(toTensor(t)),
              })),
              fetch: step.fetches,
              target: step.targets,
            }),
          );
          if (step.error) {
            await assert.rejects(run, (e: unknown) => {
              assert.ok(isTfError(e), String(e));
              assert.equal(e.code, step.error!.code, e.message);
              assert.ok(e.message.includes(step.error!.message), `step ${k}: ${e.message}`);
              return true;
            });
            continue;
          }
          const r = await run;
          step.outputs!.forEach((want, i) => {
            const named = r.tensor.find((t) => t.name === step.fetches[i]);
            assert.ok(named?.tensor, `step ${k}: no ${step.fetches[i]}`);
            assertTensor(tensorFromProto(named.tensor), want, `step ${k} ${step.fetches[i]}`);
          });
        }
      } finally {
        await master.closeSession(create(CloseSessionRequestSchema, { sessionHandle }));
      }
    });
  }
});
