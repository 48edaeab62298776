// TensorFlow conformance: the real GraphDefs in ../shared/testdata/tf-graphs run exactly as
// cases.json says (CreateSession + RunStep steps on one session), the way TensorFlow's own client
// calls: gRPC on /tensorflow.MasterService/*, store_errors_in_response_body set, a request_id on
// every RunStep. One real server; Reset before each case clears the default container, so every
// case starts with fresh variables (the README of the test data asks for that).
//
// Cases that need features tfgate does not have yet are skipped with the reason, never passed.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { create, fromJson, type JsonObject } from "@bufbuild/protobuf";
import { fromText } from "@bufbuild/protobuf/txtpb";
import { ConnectError } from "@connectrpc/connect";
import { GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import { ConfigProtoSchema } from "../gen/tensorflow/core/protobuf/config_pb.js";
import { CreateSessionRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { tfCodeName } from "../server/engine/framework/errors.js";
import { bfloat16ToFloat, halfToFloat } from "../server/engine/framework/float16.js";
import { fromValues } from "../server/engine/framework/tensor.js";
import { tensorFromProto, tensorToProto } from "../server/engine/framework/tensor-proto.js";
import { DataType } from "../server/engine/framework/types.js";
import { MasterServiceTfPath } from "../server/rpc/services.js";
import { masterClient, type RunningServer, startServer } from "./support/server.js";
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

function assertConnectError(e: unknown, want: CaseError): true {
  assert.ok(e instanceof ConnectError, `expected a ConnectError, got ${String(e)}`);
  assert.equal(tfCodeName(e.code), want.code, e.rawMessage);
  assert.ok(
    e.rawMessage.includes(want.message_contains),
    `message ${JSON.stringify(e.rawMessage)} lacks ${JSON.stringify(want.message_contains)}`,
  );
  return true;
}

const dir = testdataDir();
const cases: Case[] = dir ? JSON.parse(readFileSync(join(dir, "cases.json"), "utf8")) : [];

test("conformance data is present", (t) => {
  requireTestdata(t);
});

describe("tf-graphs conformance (cases.json), over gRPC as TensorFlow's client calls", () => {
  let server: RunningServer;
  let master: ReturnType<typeof masterClient>;
  let requestId = 1000n;
  before(async () => {
    server = await startServer({ master: { cpuDevices: 1 } });
    master = masterClient("grpc", server.url, MasterServiceTfPath);
  });
  after(async () => {
    await server.close();
  });

  for (const c of cases) {
    test(c.name, async () => {
      await master.reset({});
      const graphDef = fromText(GraphDefSchema, readFileSync(join(dir!, c.graph), "utf8"));
      const config = c.config ? fromJson(ConfigProtoSchema, c.config) : undefined;
      const req = create(CreateSessionRequestSchema, { graphDef, ...(config ? { config } : {}) });
      if (c.expect_create_error) {
        await assert.rejects(master.createSession(req), (e) => assertConnectError(e, c.expect_create_error!));
        return;
      }
      const { sessionHandle } = await master.createSession(req);
      try {
        for (const [i, step] of c.steps.entries()) {
          const res = await master.runStep({
            sessionHandle,
            feed: Object.entries(step.feeds).map(([name, t]) => ({ name, tensor: feedProto(t) })),
            fetch: step.fetches,
            target: step.targets,
            storeErrorsInResponseBody: true,
            requestId: requestId++,
          });
          if (step.expect_error) {
            assert.equal(
              tfCodeName(res.statusCode),
              step.expect_error.code,
              `step ${i}: ${res.statusErrorMessage}`,
            );
            assert.ok(
              res.statusErrorMessage.includes(step.expect_error.message_contains),
              `step ${i}: ${JSON.stringify(res.statusErrorMessage)} lacks ${JSON.stringify(step.expect_error.message_contains)}`,
            );
            continue;
          }
          assert.equal(res.statusCode, 0, `step ${i}: ${res.statusErrorMessage}`);
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
        await master.closeSession({ sessionHandle });
      }
    });
  }
});
