// Functional control flow against TensorFlow 2.21 itself: testdata/functional-fixtures.json, written
// by testdata/gen_functional_fixtures.py. Each graph (tf.cond, tf.while_loop, tf.switch_case,
// tf.debugging.Assert as TF 2.x builds them) runs once lowered to frames, as a session lowers ops
// marked _lower_using_switch_merge, and once with the mark removed so the If/While/Case kernels run;
// raw If/Case/While cover non-bool predicates, default branches and non-scalar loop conditions.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { TfCode } from "../framework/errors.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type GraphCase, runGraphFixtures } from "./testing/graph-fixtures.js";
import { toBool } from "./util/functional-ops.js";

const fx = JSON.parse(
  readFileSync(new URL("./testdata/functional-fixtures.json", import.meta.url), "utf8"),
) as { tensorflow: string; graphs: GraphCase[] };

test("the fixtures hold lowered and kernel runs of each TF 2.x graph", () => {
  const names = fx.graphs.map((g) => g.name);
  for (const n of names.filter((x) => x.startsWith("v2_") && !x.endsWith("_kernels")))
    assert.ok(names.includes(`${n}_kernels`), `${n} has no kernel run`);
});

runGraphFixtures(`functional control flow vs TensorFlow ${fx.tensorflow}`, fx.graphs);

test("a predicate TF's ToBool rejects is INVALID_ARGUMENT with TF's text", () => {
  // TF 2.21 aborts its process on this (IfOp reports it with the synchronous macro), so no fixture.
  const half = new Tensor(DataType.DT_HALF, [], Uint16Array.of(0x3c00));
  assert.throws(
    () => toBool(half),
    (e: { code: number; message: string }) =>
      e.code === TfCode.INVALID_ARGUMENT && e.message === "half cannot be converted to a boolean",
  );
});
