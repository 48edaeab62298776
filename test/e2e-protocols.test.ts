// End to end over real sockets: every protocol (Connect JSON, Connect binary, gRPC, gRPC-Web) ×
// both MasterService paths, plus @grpc/grpc-js on the path TensorFlow clients use, each running
// y = x·W + b with a fed x and checking the numbers against an independent computation.

import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { after, before, describe, test } from "node:test";
import { deflateRawSync, deflateSync } from "node:zlib";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import {
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  RunStepRequestSchema,
  type RunStepResponse,
  RunStepResponseSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { compressionDeflate } from "../server/rpc/compression.js";
import { type MasterServiceProtoPath, MasterServiceTfPath } from "../server/rpc/services.js";
import {
  DataType,
  linearExpected,
  linearGraph,
  tensorProto,
  tensorShape,
  tensorValues,
} from "./support/graphs.js";
import {
  masterClient,
  masterServicePaths,
  protocols,
  type RunningServer,
  startServer,
  transportFor,
} from "./support/server.js";

let server: RunningServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.close();
});

const x = [1, 2, -3, 0.5, 10, 20];

for (const protocol of protocols) {
  for (const path of masterServicePaths) {
    describe(`${protocol} on ${path.name}`, () => {
      test("ListDevices reports one CPU device per core (the default)", async () => {
        const client = masterClient(protocol, server.url, path.service);
        const res = await client.listDevices({});
        const names = [...res.localDevice, ...res.remoteDevice].map((d) => d.name);
        assert.deepEqual(
          names,
          Array.from(
            { length: availableParallelism() },
            (_, i) => `/job:localhost/replica:0/task:0/device:CPU:${i}`,
          ),
        );
        assert.equal(res.localDevice[0]!.deviceType, "CPU");
        assert.equal(res.localDevice[0]!.memoryLimit, 268435456n);
        assert.notEqual(res.localDevice[0]!.incarnation, 0n);
      });

      test("CreateSession, RunStep y = x·W + b, CloseSession", async () => {
        const client = masterClient(protocol, server.url, path.service);
        const created = await client.createSession({ graphDef: linearGraph() });
        assert.match(created.sessionHandle, /^[0-9a-f]{32}$/);
        assert.equal(created.graphVersion, 0n);
        const res = await client.runStep({
          sessionHandle: created.sessionHandle,
          feed: [{ name: "x:0", tensor: tensorProto(DataType.DT_FLOAT, [3, 2], x) }],
          fetch: ["y:0"],
        });
        assert.equal(res.tensor.length, 1);
        assert.equal(res.tensor[0]!.name, "y:0");
        assert.equal(res.tensor[0]!.tensor?.dtype, DataType.DT_FLOAT);
        assert.deepEqual(tensorShape(res.tensor[0]!.tensor), [3, 3]);
        assert.deepEqual(tensorValues(res.tensor[0]!.tensor), linearExpected(x));
        await client.closeSession({ sessionHandle: created.sessionHandle });
        await assert.rejects(
          client.runStep({ sessionHandle: created.sessionHandle, fetch: ["y:0"] }),
          (e: unknown) =>
            e instanceof ConnectError && e.code === Code.Aborted && e.rawMessage.includes("is not found"),
        );
      });

      test("kernel errors keep TF's code and message", async () => {
        const client = masterClient(protocol, server.url, path.service);
        const { sessionHandle } = await client.createSession({ graphDef: linearGraph() });
        await assert.rejects(
          client.runStep({ sessionHandle, fetch: ["y:0"] }),
          (e: unknown) =>
            e instanceof ConnectError &&
            e.code === Code.InvalidArgument &&
            e.rawMessage.includes(
              "You must feed a value for placeholder tensor 'x' with dtype float and shape [?,2]",
            ),
        );
        // store_errors_in_response_body: the call succeeds and the status travels in the body.
        const res = await client.runStep({ sessionHandle, fetch: ["y:0"], storeErrorsInResponseBody: true });
        assert.equal(res.statusCode, Code.InvalidArgument);
        assert.match(res.statusErrorMessage, /You must feed a value for placeholder tensor 'x'/);
        await client.closeSession({ sessionHandle });
      });
    });
  }
}

describe("@grpc/grpc-js on /tensorflow.MasterService (TensorFlow's path)", () => {
  const call = <Req, Res>(
    client: grpc.Client,
    method: string,
    req: Req,
    serialize: (r: Req) => Uint8Array,
    deserialize: (b: Uint8Array) => Res,
  ) =>
    new Promise<Res>((resolve, reject) => {
      client.makeUnaryRequest(
        `/tensorflow.MasterService/${method}`,
        (r: Req) => Buffer.from(serialize(r)),
        (b: Buffer) => deserialize(b),
        req,
        (err, res) => (err ? reject(err) : resolve(res as Res)),
      );
    });

  test("CreateSession and RunStep with a plain gRPC client", async () => {
    const client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    try {
      const created = await call(
        client,
        "CreateSession",
        create(CreateSessionRequestSchema, { graphDef: linearGraph() }),
        (r) => toBinary(CreateSessionRequestSchema, r),
        (b) => fromBinary(CreateSessionResponseSchema, b),
      );
      const res: RunStepResponse = await call(
        client,
        "RunStep",
        create(RunStepRequestSchema, {
          sessionHandle: created.sessionHandle,
          feed: [{ name: "x", tensor: tensorProto(DataType.DT_FLOAT, [3, 2], x) }],
          fetch: ["y"],
        }),
        (r) => toBinary(RunStepRequestSchema, r),
        (b) => fromBinary(RunStepResponseSchema, b),
      );
      assert.equal(res.tensor[0]!.name, "y");
      assert.deepEqual(tensorValues(res.tensor[0]!.tensor), linearExpected(x));
    } finally {
      client.close();
    }
  });

  test("deflate-compressed requests (grpc.default_compression_algorithm = 1) are accepted", async () => {
    // grpc-js compresses until the server's grpc-accept-encoding says it cannot take deflate; a
    // fresh client per call makes every request here a compressed one.
    const options = { "grpc.default_compression_algorithm": 1 };
    const fresh = () =>
      new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure(), options);
    const callDeflated = <Req, Res>(
      method: string,
      req: Req,
      serialize: (r: Req) => Uint8Array,
      deserialize: (b: Uint8Array) => Res,
    ) => {
      const client = fresh();
      return new Promise<Res>((resolve, reject) => {
        client.makeUnaryRequest(
          `/tensorflow.MasterService/${method}`,
          (r: Req) => Buffer.from(serialize(r)),
          (b: Buffer) => deserialize(b),
          req,
          (err, res) => (err ? reject(err) : resolve(res as Res)),
        );
      }).finally(() => client.close());
    };
    const created = await callDeflated(
      "CreateSession",
      create(CreateSessionRequestSchema, { graphDef: linearGraph() }),
      (r) => toBinary(CreateSessionRequestSchema, r),
      (b) => fromBinary(CreateSessionResponseSchema, b),
    );
    const res: RunStepResponse = await callDeflated(
      "RunStep",
      create(RunStepRequestSchema, {
        sessionHandle: created.sessionHandle,
        feed: [{ name: "x:0", tensor: tensorProto(DataType.DT_FLOAT, [3, 2], x) }],
        fetch: ["y:0"],
      }),
      (r) => toBinary(RunStepRequestSchema, r),
      (b) => fromBinary(RunStepResponseSchema, b),
    );
    assert.deepEqual(tensorValues(res.tensor[0]!.tensor), linearExpected(x));
  });
});

describe("deflate request compression on Connect and gRPC (connect-node clients)", () => {
  for (const protocol of ["connect-binary", "connect-json", "grpc"] as const) {
    test(`${protocol}: a deflate-compressed RunStep`, async () => {
      const client = createClient(
        MasterServiceTfPath as unknown as typeof MasterServiceProtoPath,
        transportFor(protocol, server.url, { sendCompression: compressionDeflate, compressMinBytes: 0 }),
      );
      const created = await client.createSession({ graphDef: linearGraph() });
      const res = await client.runStep({
        sessionHandle: created.sessionHandle,
        feed: [{ name: "x:0", tensor: tensorProto(DataType.DT_FLOAT, [3, 2], x) }],
        fetch: ["y:0"],
      });
      assert.deepEqual(tensorValues(res.tensor[0]!.tensor), linearExpected(x));
      await client.closeSession({ sessionHandle: created.sessionHandle });
    });
  }

  test("Content-Encoding: deflate, zlib-wrapped or raw; a malformed body is INVALID_ARGUMENT", async () => {
    const post = (encoding: string, payload: Buffer) =>
      server.app.inject({
        method: "POST",
        url: "/tensorflow.MasterService/ListDevices",
        headers: { "content-type": "application/json", "content-encoding": encoding },
        payload,
      });
    for (const body of [deflateSync("{}"), deflateRawSync("{}")]) {
      const r = await post("deflate", body);
      assert.equal(r.statusCode, 200, r.body);
    }
    const bad = await post("deflate", Buffer.from([1, 2, 3, 4, 5]));
    assert.equal(bad.json<{ code: string }>().code, "invalid_argument", bad.body);
  });
});
