// The web client (web-client/) against a real server, in Node (connect-web runs on fetch): a
// Session over each browser protocol, typed tensors in and out, TF errors as TfStepError.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { DataType } from "../gen/tensorflow/core/framework/types_pb.js";
import { ConfigProtoSchema } from "../gen/tensorflow/core/protobuf/config_pb.js";
import { Code as TfCode } from "../gen/xla/tsl/protobuf/error_codes_pb.js";
import {
  createMasterClient,
  fromTensorProto,
  type Protocol,
  Session,
  TfStepError,
  tensor,
  toTensorProto,
} from "../web-client/index.js";
import { attr } from "./support/attr.js";
import { constNode, graph, linearExpected, linearGraph, node } from "./support/graphs.js";
import { type RunningServer, startServer } from "./support/server.js";

let server: RunningServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.close();
});

for (const protocol of ["connect", "connect-json", "grpc-web"] as Protocol[]) {
  describe(`web client over ${protocol}`, () => {
    test("Session.create, run with typed feeds and fetches, extend, close", async () => {
      const client = createMasterClient(server.url, { protocol });
      const s = await Session.create(client, linearGraph(), create(ConfigProtoSchema));
      const x = [
        [1, 2],
        [3, 4],
      ];
      const out = await s.run({ feeds: { "x:0": tensor(x) }, fetches: ["y:0"] });
      assert.equal(out["y:0"]!.dtype, DataType.DT_FLOAT);
      assert.deepEqual(out["y:0"]!.shape, [2, 3]);
      assert.deepEqual([...(out["y:0"]!.values as Float32Array)], linearExpected(x.flat()));
      await s.extend(
        graph(
          node("names", "Const", {
            attrs: {
              dtype: attr.type(DataType.DT_STRING),
              value: attr.tensor(toTensorProto(tensor(["héllo", ""]))),
            },
          }),
          constNode("k", DataType.DT_INT32, [2], [7, -1]),
        ),
      );
      const more = await s.run({ fetches: ["names:0", "k:0"] });
      assert.deepEqual(more["names:0"]!.values, ["héllo", ""]);
      assert.deepEqual([...(more["k:0"]!.values as Int32Array)], [7, -1]);
      await assert.rejects(
        s.run({ fetches: ["y:0"] }),
        (e: unknown) =>
          e instanceof TfStepError &&
          e.code === TfCode.INVALID_ARGUMENT &&
          e.message.includes("You must feed a value for placeholder tensor 'x'"),
      );
      await s.close();
    });
  });
}

test("tensor helpers round-trip every supported dtype", () => {
  const cases = [
    tensor(new Float32Array([1.5, -2]), [2]),
    tensor(new Float64Array([1e-300, 3]), [2], DataType.DT_DOUBLE),
    tensor([1, -2, 3], [3], DataType.DT_INT32),
    tensor([5n, -(2n ** 62n)], [2]),
    tensor([true, false, true]),
    tensor(["a", "b".repeat(300)]),
    tensor([[1, 2, 3]], undefined, DataType.DT_UINT8),
  ];
  for (const t of cases) {
    const back = fromTensorProto(toTensorProto(t));
    assert.equal(back.dtype, t.dtype);
    assert.deepEqual(back.shape, t.shape);
    assert.deepEqual(
      [...(back.values as ArrayLike<unknown> & Iterable<unknown>)],
      [...(t.values as Iterable<unknown>)],
    );
  }
  assert.throws(() => tensor([1, 2, 3], [2, 2]), /3 values do not fill shape \[2,2\]/);
});
