// The functional-op lowering on graphs TF 2.21 built (kernels/testdata/functional-fixtures.json):
// what it makes of If and While, and how errors inside inlined functions name their node.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { type GraphDef, GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { createFunctionLibrary } from "../framework/function.js";
import { lookUpOp } from "../framework/op-def.js";
import { Tensor } from "../framework/tensor.js";
import { tensorToProto } from "../framework/tensor-proto.js";
import { DataType } from "../framework/types.js";
import "../kernels/register-all.js";
import { createSession, runStep } from "../../../test/support/session.js";
import { createMaster } from "../master/master.js";
import { lowerFunctionalOps } from "./lower-functional-ops.js";

const fixtures = JSON.parse(
  readFileSync(new URL("../kernels/testdata/functional-fixtures.json", import.meta.url), "utf8"),
) as { graphs: { name: string; graph: string }[] };

function graphOf(name: string): GraphDef {
  const g = fixtures.graphs.find((x) => x.name === name);
  assert.ok(g, name);
  return fromBinary(GraphDefSchema, Buffer.from(g.graph, "base64"));
}

function lower(g: GraphDef) {
  const library = createFunctionLibrary(g.library);
  return lowerFunctionalOps(g.node, { library, lookupOp: (n) => lookUpOp(n) ?? library.opDef(n) });
}

describe("lowering TF 2.x functional control flow", () => {
  it("turns every marked While into frames, keeping its name on an IdentityN", () => {
    const g = graphOf("v2_while");
    const whiles = g.node.filter((n) => n.op === "StatelessWhile" || n.op === "While");
    assert.ok(whiles.length > 0);
    const lowered = lower(g);
    const ops = new Set(lowered.map((n) => n.op));
    assert.ok(!ops.has("StatelessWhile") && !ops.has("While") && !ops.has("StatelessIf"), [...ops].join());
    for (const op of ["Enter", "Merge", "Switch", "LoopCond", "NextIteration", "Exit"])
      assert.ok(ops.has(op), op);
    for (const w of whiles) assert.equal(lowered.find((n) => n.name === w.name)?.op, "IdentityN");
    const names = lowered.map((n) => n.name);
    assert.equal(new Set(names).size, names.length, "node names are unique");
  });

  it("refuses a function that reaches itself through the loops it contains", () => {
    const g = graphOf("v2_while");
    // Point an inner loop's body at the outer loop's body: lowering would inline it forever.
    const outer = g.node.find((n) => n.op === "StatelessWhile" && n.name.endsWith("while_2"));
    const body = outer?.attr.body?.value;
    assert.ok(body?.case === "func", "the fixture's nested loop");
    const fdef = g.library!.function.find((f) => f.signature?.name === body.value.name)!;
    const inner = fdef.nodeDef.find((n) => n.op === "StatelessWhile");
    assert.ok(inner && inner.attr.body?.value.case === "func");
    inner.attr.body.value.value.name = body.value.name;
    assert.throws(
      () => lower(g),
      (e: { code: number; message: string }) => e.code === 3 && e.message.includes("is recursive"),
    );
  });

  it("refuses a lowered graph past its node budget", () => {
    const g = graphOf("v2_while");
    const library = createFunctionLibrary(g.library);
    assert.throws(
      () =>
        lowerFunctionalOps(g.node, {
          library,
          lookupOp: (n) => lookUpOp(n) ?? library.opDef(n),
          maxNodes: g.node.length + 10,
        }),
      (e: { code: number; message: string }) =>
        e.code === 3 && e.message.includes("once its functional control flow is inlined"),
    );
  });

  it("leaves a graph without marked ops as it is", () => {
    const g = graphOf("v2_while_kernels");
    assert.equal(lower(g), g.node);
  });

  describe("errors inside an inlined function name the node as the function does", () => {
    const master = createMaster({ cpuDevices: 1 });
    after(() => master.close());
    it("an Assert in a lowered cond branch", async () => {
      const sessionHandle = await createSession(master, graphOf("v2_assert"));
      const x = tensorToProto(new Tensor(DataType.DT_FLOAT, [], Float32Array.of(-1)));
      await assert.rejects(
        runStep(master, sessionHandle, {
          feed: [{ name: "v2_assert/x:0", tensor: x }],
          fetch: ["v2_assert/guarded:0"],
        }),
        (e: { message: string }) => e.message.endsWith("assertion failed: [-1]\n\t [[{{node Assert}}]]"),
      );
    });
  });
});
