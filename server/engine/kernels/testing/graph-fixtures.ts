// Kernel and graph fixtures share this: TF's tensors compared with tfgate's (dtype, shape, values to
// a couple of ulps of float dtypes), and graph fixtures (a GraphDef and steps that TF ran in one
// tf.compat.v1 session) run step by step through tfgate's master, with TF's values or its error.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../../../../gen/tensorflow/core/framework/graph_pb.js";
import { closeSession, createSession, runStep } from "../../../../test/support/session.js";
import { isTfError } from "../../framework/errors.js";
import type { Tensor } from "../../framework/tensor.js";
import { tensorFromProto, tensorToProto } from "../../framework/tensor-proto.js";
import { DataType, dataTypeString } from "../../framework/types.js";
import { createMaster, type Master, type MasterOptions } from "../../master/master.js";
import { type FxError, type FxNumber, type FxTensor, num, toTensor, valuesOf } from "./fixture-format.js";

export interface GraphCase {
  readonly name: string;
  /** The GraphDef, binary, base64. */
  readonly graph: string;
  readonly ops: string[];
  readonly steps: {
    targets: string[];
    fetches: string[];
    feeds?: Record<string, FxTensor>;
    /** The step's deadline (RunOptions.timeout_in_ms), for a step that waits. */
    timeout_ms?: number;
    outputs?: FxTensor[];
    error?: FxError;
  }[];
}

/** Relative tolerance per float dtype: about two units in the last place. */
const FLOAT_TOLERANCE: Partial<Record<DataType, number>> = {
  [DataType.DT_FLOAT]: 2 ** -22,
  [DataType.DT_DOUBLE]: 2 ** -51,
  [DataType.DT_HALF]: 2 ** -10,
  [DataType.DT_BFLOAT16]: 2 ** -7,
};

/** Asserts dtype, shape and every value of `got` against TF's tensor. */
export function assertTensor(got: Tensor | undefined, want: FxTensor, what: string): void {
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
    if (tol === undefined) assert.deepEqual(g, w, at);
    else {
      const e = num(w as FxNumber);
      const v = g as number;
      if (Number.isNaN(e)) assert.ok(Number.isNaN(v), `${at}: ${v}, TF NaN`);
      else assert.ok(v === e || Math.abs(v - e) <= tol * Math.abs(e), `${at}: ${v}, TF ${e}`);
    }
  });
}

/** One test per graph case: a session on a fresh master runs its steps in order. */
export function runGraphFixtures(
  title: string,
  graphs: readonly GraphCase[],
  options: Partial<MasterOptions> = {},
): void {
  describe(title, () => {
    let master: Master;
    before(() => {
      master = createMaster(options);
    });
    after(() => master.close());
    for (const g of graphs) {
      it(`${g.name}: ${g.steps.length} steps give TF's values (${g.ops.join(", ")})`, async () => {
        const graphDef = fromBinary(GraphDefSchema, Buffer.from(g.graph, "base64"));
        const sessionHandle = await createSession(master, graphDef);
        try {
          for (const [k, step] of g.steps.entries()) {
            const run = runStep(master, sessionHandle, {
              feed: Object.entries(step.feeds ?? {}).map(([name, t]) => ({
                name,
                tensor: tensorToProto(toTensor(t)),
              })),
              fetch: step.fetches,
              target: step.targets,
              ...(step.timeout_ms === undefined ? {} : { options: { timeoutInMs: BigInt(step.timeout_ms) } }),
            });
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
          await closeSession(master, sessionHandle);
        }
      });
    }
  });
}
