// Node-name grammar against what a TF 2.21 master accepts in CreateSession (observed with a
// Const named each way and an Identity reading it): dashes after the first character, and
// single '>' between segments.

import assert from "node:assert/strict";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { isTfError } from "../framework/errors.js";
import { validateExternalGraphDefSyntax } from "./validate.js";

const graphWith = (name: string) =>
  create(GraphDefSchema, {
    node: [
      { name, op: "Const" },
      { name: "i", op: "Identity", input: [name, `^${name}`] },
    ],
  });

test("node names TF accepts and rejects", () => {
  for (const name of ["a-b", "MS-SSIM/ShapeN", "a>b", "a>.b", "a/-b", "a_b>c/d-e"]) {
    assert.doesNotThrow(() => validateExternalGraphDefSyntax(graphWith(name)), name);
  }
  for (const name of ["a>", "a>>b", "a>-b", "-a", "/a", "bad name!", ""]) {
    assert.throws(
      () => validateExternalGraphDefSyntax(graphWith(name)),
      (e: unknown) => isTfError(e) && e.message.startsWith(`Illegal op name '${name}'`),
      name,
    );
  }
});

test("inputs follow the same grammar, with an optional output index", () => {
  const g = (input: string) =>
    create(GraphDefSchema, { node: [{ name: "i", op: "Identity", input: [input] }] });
  for (const input of ["a-b:0", "a>b:12", "MS-SSIM/x", "^a-b"]) {
    assert.doesNotThrow(() => validateExternalGraphDefSyntax(g(input)), input);
  }
  for (const input of ["a>:0", "-a", "a:01", "^a>>b"]) {
    assert.throws(
      () => validateExternalGraphDefSyntax(g(input)),
      (e: unknown) => isTfError(e) && e.message.startsWith(`Illegal op input name '${input}'`),
      input,
    );
  }
});
