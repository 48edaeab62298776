// Function libraries (GraphDef.library): calls by function name and through PartitionedCall,
// polymorphic functions (attr placeholders), nested calls, recursion rejected, library merging on
// Extend.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { AttrValueSchema } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { type FunctionDef, FunctionDefSchema } from "../gen/tensorflow/core/framework/function_pb.js";
import { GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import { ExtendSessionRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import type { Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, node, tensorValues } from "./support/graphs.js";
import { createSession, runStep, withMaster } from "./support/session.js";

const F = DataType.DT_FLOAT;

/** square_plus(x: T) -> y: T = x * x + x, polymorphic in T. */
const squarePlus: FunctionDef = create(FunctionDefSchema, {
  signature: {
    name: "square_plus",
    inputArg: [{ name: "x", typeAttr: "T" }],
    outputArg: [{ name: "y", typeAttr: "T" }],
    attr: [{ name: "T", type: "type" }],
  },
  nodeDef: [
    { name: "sq", op: "Mul", input: ["x", "x"], attr: { T: { value: { case: "placeholder", value: "T" } } } },
    {
      name: "plus",
      op: "AddV2",
      input: ["sq:z:0", "x"],
      attr: { T: { value: { case: "placeholder", value: "T" } } },
    },
  ],
  ret: { y: "plus:z:0" },
});

/** twice(x: float) -> y: float = square_plus(square_plus(x)) — a nested call. */
const twice: FunctionDef = create(FunctionDefSchema, {
  signature: { name: "twice", inputArg: [{ name: "x", type: F }], outputArg: [{ name: "y", type: F }] },
  nodeDef: [
    { name: "a", op: "square_plus", input: ["x"], attr: { T: attr.type(F) } },
    { name: "b", op: "square_plus", input: ["a:y:0"], attr: { T: attr.type(F) } },
  ],
  ret: { y: "b:y:0" },
});

/** loop(x) calls itself. */
const loop: FunctionDef = create(FunctionDefSchema, {
  signature: { name: "loop", inputArg: [{ name: "x", type: F }], outputArg: [{ name: "y", type: F }] },
  nodeDef: [{ name: "again", op: "loop", input: ["x"] }],
  ret: { y: "again:y:0" },
});

async function withSession(
  nodes: ReturnType<typeof node>[],
  fns: FunctionDef[],
  f: (m: Master, h: string) => Promise<void>,
) {
  await withMaster(
    async (m) => {
      const graphDef = create(GraphDefSchema, {
        node: nodes,
        library: { function: fns },
        versions: { producer: 27 },
      });
      const sessionHandle = await createSession(m, graphDef);
      await f(m, sessionHandle);
    },
    { cpuDevices: 1 },
  );
}

const fetch1 = async (m: Master, h: string, name: string) =>
  tensorValues((await runStep(m, h, { fetch: [name] })).tensor[0]!.tensor);

describe("function libraries", () => {
  test("a call by function name, instantiated for float and int32", () =>
    withSession(
      [
        constNode("xf", F, [2], [2, -3]),
        constNode("xi", DataType.DT_INT32, [2], [4, 5]),
        node("f", "square_plus", { inputs: ["xf"], attrs: { T: attr.type(F) } }),
        node("i", "square_plus", { inputs: ["xi"], attrs: { T: attr.type(DataType.DT_INT32) } }),
      ],
      [squarePlus],
      async (m, h) => {
        assert.deepEqual(await fetch1(m, h, "f:0"), [6, 6]);
        assert.deepEqual(await fetch1(m, h, "i:0"), [20, 30]);
      },
    ));

  test("nested calls and PartitionedCall", () =>
    withSession(
      [
        constNode("x", F, [], [1]),
        node("t", "twice", { inputs: ["x"] }),
        node("p", "PartitionedCall", {
          inputs: ["x"],
          attrs: {
            Tin: create(AttrValueSchema, {
              value: { case: "list", value: { type: [F] } },
            }),
            Tout: create(AttrValueSchema, {
              value: { case: "list", value: { type: [F] } },
            }),
            f: create(AttrValueSchema, {
              value: { case: "func", value: { name: "twice" } },
            }),
          },
        }),
      ],
      [squarePlus, twice],
      async (m, h) => {
        // square_plus(1) = 2, square_plus(2) = 6
        assert.deepEqual(await fetch1(m, h, "t:0"), [6]);
        assert.deepEqual(await fetch1(m, h, "p:0"), [6]);
      },
    ));

  test("a recursive function is rejected with INVALID_ARGUMENT when run, and the session survives", () =>
    withSession([constNode("x", F, [], [1]), node("r", "loop", { inputs: ["x"] })], [loop], async (m, h) => {
      await assert.rejects(
        runStep(m, h, { fetch: ["r:0"] }),
        (e: unknown) =>
          isTfError(e) &&
          tfCodeName(e.code) === "INVALID_ARGUMENT" &&
          /Function loop is recursive/.test(e.message),
      );
      assert.deepEqual(await fetch1(m, h, "x:0"), [1]);
    }));

  test("a body node whose op is not registered is NOT_FOUND naming the op, even when its output is used", () =>
    withSession(
      [constNode("x", F, [], [1]), node("u", "uses_unknown", { inputs: ["x"] })],
      [
        create(FunctionDefSchema, {
          signature: {
            name: "uses_unknown",
            inputArg: [{ name: "x", type: F }],
            outputArg: [{ name: "y", type: F }],
          },
          nodeDef: [
            { name: "mystery", op: "NoSuchOpAnywhere", input: ["x"] },
            { name: "after", op: "Identity", input: ["mystery:output:0"], attr: { T: attr.type(F) } },
          ],
          ret: { y: "after:output:0" },
        }),
      ],
      async (m, h) => {
        await assert.rejects(
          runStep(m, h, { fetch: ["u:0"] }),
          (e: unknown) =>
            isTfError(e) &&
            tfCodeName(e.code) === "NOT_FOUND" &&
            e.message.includes("Op type not registered 'NoSuchOpAnywhere'"),
        );
      },
    ));

  test("Extend may resend the library; a different function under an existing name is INVALID_ARGUMENT", () =>
    withSession([constNode("x", F, [], [3])], [squarePlus], async (m, h) => {
      const extend = (v: bigint, fns: FunctionDef[], nodes: ReturnType<typeof node>[]) =>
        m.extendSession(
          create(ExtendSessionRequestSchema, {
            sessionHandle: h,
            currentGraphVersion: v,
            graphDef: { node: nodes, library: { function: fns } },
          }),
        );
      await extend(
        0n,
        [squarePlus],
        [node("y", "square_plus", { inputs: ["x"], attrs: { T: attr.type(F) } })],
      );
      assert.deepEqual(await fetch1(m, h, "y:0"), [12]);
      const changed = create(FunctionDefSchema, { ...squarePlus, ret: { y: "sq:z:0" } });
      await assert.rejects(
        extend(1n, [changed], []),
        (e: unknown) =>
          isTfError(e) &&
          tfCodeName(e.code) === "INVALID_ARGUMENT" &&
          e.message.includes("because a different function with the same name already exists"),
      );
    }));
});
