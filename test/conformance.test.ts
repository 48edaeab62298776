// TensorFlow conformance: the real GraphDefs in ../shared/testdata/tf-graphs run through the
// engine's master exactly as cases.json says (CreateSession + RunStep steps on one session), each
// case on a fresh master (variables live in the worker's default container).
//
// Cases that need features tfgate does not have yet are skipped with the reason, never passed.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { create, fromJson, type JsonObject } from "@bufbuild/protobuf";
import { fromText } from "@bufbuild/protobuf/txtpb";
import { GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import { ConfigProtoSchema } from "../gen/tensorflow/core/protobuf/config_pb.js";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { bfloat16ToFloat, halfToFloat } from "../server/engine/framework/float16.js";
import { fromValues } from "../server/engine/framework/tensor.js";
import { tensorFromProto, tensorToProto } from "../server/engine/framework/tensor-proto.js";
import { DataType } from "../server/engine/framework/types.js";
import { createMaster } from "../server/engine/master/master.js";
import { requireTestdata, testdataDir } from "./support/testdata.js";

interface CaseTensor {
  readonly dtype: string;
  readonly shape: number[];
  readonly values: (number | boolean | string)[];
}
interface CaseError {
  readonly code: string;
  readonly message_contains: string;
}
interface CaseStep {
  readonly targets: string[];
  readonly feeds: Record<string, CaseTensor>;
  readonly fetches: string[];
  readonly expect?: Record<string, CaseTensor>;
  readonly expect_error?: CaseError;
}
interface Case {
  readonly graph: string;
  readonly name: string;
  readonly tags: string[];
  readonly config?: JsonObject;
  readonly steps: CaseStep[];
  readonly expect_create_error?: CaseError;
}

/** Features a case needs that tfgate does not have yet, by tag. */
const notYet: Record<string, string> = {};

function dtypeOf(name: string): DataType {
  const v = (DataType as unknown as Record<string, number>)[name];
  if (v === undefined) throw new Error(`unknown dtype ${name}`);
  return v as DataType;
}

function feedProto(t: CaseTensor) {
  const dtype = dtypeOf(t.dtype);
  const values = dtype === DataType.DT_INT64 ? t.values.map((v) => BigInt(v as number)) : t.values;
  return tensorToProto(fromValues(dtype, t.shape, values));
}

function flatValues(t: ReturnType<typeof tensorFromProto>): (number | boolean | string)[] {
  const d = t.data;
  switch (t.dtype) {
    case DataType.DT_BFLOAT16:
      return [...(d as Uint16Array)].map(bfloat16ToFloat);
    case DataType.DT_HALF:
      return [...(d as Uint16Array)].map(halfToFloat);
    case DataType.DT_BOOL:
      return [...(d as Uint8Array)].map((v) => v !== 0);
    case DataType.DT_INT64:
    case DataType.DT_UINT64:
      return [...(d as BigInt64Array)].map((v) => Number(v));
    case DataType.DT_STRING:
      return (d as Uint8Array[]).map((b) => new TextDecoder().decode(b));
    default:
      return [...(d as Float32Array)];
  }
}

function assertTfError(e: unknown, want: CaseError): true {
  assert.ok(isTfError(e), `expected a TfError, got ${String(e)}`);
  assert.equal(tfCodeName(e.code), want.code, e.message);
  assert.ok(
    e.message.includes(want.message_contains),
    `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(want.message_contains)}`,
  );
  return true;
}

const dir = testdataDir();
const cases: Case[] = dir ? JSON.parse(readFileSync(join(dir, "cases.json"), "utf8")) : [];

test("conformance data is present", (t) => {
  requireTestdata(t);
});

describe("tf-graphs conformance (cases.json)", () => {
  for (const c of cases) {
    const missing = c.tags.map((tag) => notYet[tag]).find((r) => r !== undefined);
    test(c.name, { skip: missing }, async () => {
      const master = createMaster();
      try {
        const graphDef = fromText(GraphDefSchema, readFileSync(join(dir!, c.graph), "utf8"));
        const config = c.config ? fromJson(ConfigProtoSchema, c.config) : undefined;
        const req = create(CreateSessionRequestSchema, { graphDef, ...(config ? { config } : {}) });
        if (c.expect_create_error) {
          await assert.rejects(master.createSession(req), (e) => assertTfError(e, c.expect_create_error!));
          return;
        }
        const { sessionHandle } = await master.createSession(req);
        for (const [i, step] of c.steps.entries()) {
          const run = master.runStep(
            create(RunStepRequestSchema, {
              sessionHandle,
              feed: Object.entries(step.feeds).map(([name, t]) => ({ name, tensor: feedProto(t) })),
              fetch: step.fetches,
              target: step.targets,
            }),
          );
          if (step.expect_error) {
            await assert.rejects(run, (e) => assertTfError(e, step.expect_error!), `step ${i}`);
            continue;
          }
          const res = await run;
          const got = new Map(res.tensor.map((nt) => [nt.name, tensorFromProto(nt.tensor!)]));
          for (const [name, want] of Object.entries(step.expect ?? {})) {
            const t = got.get(name);
            assert.ok(t, `step ${i}: no tensor named ${name} in ${[...got.keys()].join(", ")}`);
            assert.equal(t.dtype, dtypeOf(want.dtype), `step ${i}: dtype of ${name}`);
            assert.deepEqual([...t.shape], want.shape, `step ${i}: shape of ${name}`);
            assert.deepEqual(flatValues(t), want.values, `step ${i}: values of ${name}`);
          }
        }
      } finally {
        await master.close();
      }
    });
  }
});
