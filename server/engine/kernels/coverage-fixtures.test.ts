// The ops no other fixture covered (test/op-coverage.test.ts finds them), against TensorFlow 2.21
// itself: testdata/coverage-fixtures.json, written by testdata/gen_coverage_fixtures.py.
//   - kernels: one tf.raw_ops call each, looped over the dtypes the op registers; every output's
//     dtype, shape and values (floats to a couple of ulps of their dtype), or TF's error code and
//     message;
//   - graphs: tf.compat.v1 GraphDefs (ref/resource variables, TF1 control flow on refs, a stateful
//     function call, the deprecated PlaceholderV2) run step by step in one session on tfgate's
//     master, with TF's fetched values or its error code and message.

import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { type DataType, dataTypeString } from "../framework/types.js";
import type { FxKernelCase } from "./testing/fixture-format.js";
import { runFixtureCase } from "./testing/fixture-format.js";
import { assertTensor, type GraphCase, runGraphFixtures } from "./testing/graph-fixtures.js";

type KernelCase = FxKernelCase;
const fx = JSON.parse(
  readFileSync(new URL("./testdata/coverage-fixtures.json", import.meta.url), "utf8"),
) as {
  tensorflow: string;
  kernels: KernelCase[];
  graphs: GraphCase[];
};

const dtypeOf = (c: KernelCase): string => {
  const t = c.attrs.T ?? c.attrs.dtype ?? c.attrs.Tidx;
  return t && t[0] === "type" ? dataTypeString(t[1] as DataType) : "";
};

describe(`kernels vs TensorFlow ${fx.tensorflow} (coverage fixtures)`, () => {
  fx.kernels.forEach((c, k) => {
    const what = c.error
      ? `error: ${c.error.message.slice(0, 60)}`
      : `${c.inputs.map((t) => `[${t.shape}]`).join(" ")}`;
    it(`#${k} ${c.op} ${dtypeOf(c)} ${what}`, async () => {
      const outputs = await runFixtureCase(c);
      if (outputs === undefined) return;
      for (const [i, want] of c.outputs!.entries()) assertTensor(outputs[i], want, `output ${i}`);
    });
  });
});

runGraphFixtures(`tf.compat.v1 graphs vs TensorFlow ${fx.tensorflow} (coverage fixtures)`, fx.graphs);
