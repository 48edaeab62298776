// functionDefsEqual: equal by meaning, as TF's FunctionDefsEqual decides when a library may hold
// two definitions of one name (docs/semantics.md, "ExtendSession and graph versions").

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { AttrValueSchema } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import {
  type FunctionDef,
  FunctionDefLibrarySchema,
  FunctionDefSchema,
} from "../../../gen/tensorflow/core/framework/function_pb.js";
import { NodeDefSchema } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { createFunctionLibrary } from "./function.js";
import { functionDefsEqual } from "./function-def-equal.js";

const b = (v: boolean) => create(AttrValueSchema, { value: { case: "b", value: v } });
const s = (v: string) =>
  create(AttrValueSchema, { value: { case: "s", value: new TextEncoder().encode(v) } });

/** One function, its maps and body filled in the order given (as two serialisations may differ). */
function fn(
  order: "forward" | "reverse",
  change: Partial<{ ret: string; noinline: boolean }> = {},
): FunctionDef {
  const pairs = <T>(xs: [string, T][]) => Object.fromEntries(order === "forward" ? xs : [...xs].reverse());
  const nodes = [
    create(NodeDefSchema, {
      name: "a",
      op: "Identity",
      input: ["x", "^c1", "^c2"],
      attr: pairs([
        ["T", create(AttrValueSchema, { value: { case: "type", value: 1 } })],
        ["_note", s("n")],
      ]),
    }),
    create(NodeDefSchema, { name: "b", op: "NoOp", input: ["^a"] }),
  ];
  if (order === "reverse") nodes[0]!.input = ["x", "^c2", "^c1"];
  return create(FunctionDefSchema, {
    signature: { name: "f", inputArg: [{ name: "x", type: 1 }], outputArg: [{ name: "y", type: 1 }] },
    attr: pairs([
      ["_noinline", b(change.noinline ?? true)],
      ["_tag", s("t")],
    ]),
    nodeDef: order === "forward" ? nodes : [...nodes].reverse(),
    ret: pairs([
      ["y", change.ret ?? "a:output:0"],
      ["z", "a:output:0"],
    ]),
    controlRet: pairs([
      ["b", "b"],
      ["a", "a"],
    ]),
  });
}

describe("functionDefsEqual", () => {
  it("ignores the order of map entries, body nodes and control inputs", () => {
    assert.equal(functionDefsEqual(fn("forward"), fn("reverse")), true);
    // A library may hold both (an Extend resending the library in another order).
    createFunctionLibrary(create(FunctionDefLibrarySchema, { function: [fn("forward"), fn("reverse")] }));
  });

  it("tells apart a different body, attr, ret or signature", () => {
    assert.equal(functionDefsEqual(fn("forward"), fn("forward", { ret: "b:output:0" })), false);
    assert.equal(functionDefsEqual(fn("forward"), fn("forward", { noinline: false })), false);
    const other = fn("forward");
    other.nodeDef[0]!.input = ["^c1", "^c2"];
    assert.equal(functionDefsEqual(fn("forward"), other), false);
    const renamed = fn("forward");
    renamed.signature!.inputArg[0]!.name = "w";
    assert.equal(functionDefsEqual(fn("forward"), renamed), false);
    const extraAttr = fn("forward");
    extraAttr.attr._more = b(true);
    assert.equal(functionDefsEqual(fn("forward"), extraAttr), false);
  });

  it("counts an attr without a value as absent", () => {
    const unset = fn("forward");
    unset.attr._unset = create(AttrValueSchema);
    assert.equal(functionDefsEqual(fn("forward"), unset), true);
  });
});
