// The summary kernels (ScalarSummary, HistogramSummary, ImageSummary with its PNG encoding,
// AudioSummaryV2 with its WAV encoding, AudioSummary, TensorSummary, TensorSummaryV2,
// MergeSummary) against TensorFlow 2.21 itself: testdata/summary-fixtures.json, written by
// testdata/gen_summary_fixtures.py. Every serialized Summary must be TF's byte for byte, so event
// files written from them are the ones TF writes; errors by code and message.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fromBinary, toJson } from "@bufbuild/protobuf";
import { SummarySchema } from "../../../gen/tensorflow/core/framework/summary_pb.js";
import { type BxCase, base64Values, runBxCase } from "./testing/binary-fixture-format.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/summary-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  cases: BxCase[];
};

const label = (c: BxCase): string => {
  const what = c.error
    ? `error: ${c.error.message.slice(0, 60)}`
    : c.inputs.map((t) => `[${t.shape}]`).join(" ");
  const attrs = Object.entries(c.attrs)
    .filter(([k]) => k !== "N")
    .map(([k, v]) => `${k}=${v[0] === "tensor" ? "<tensor>" : String(v[1])}`)
    .join(" ");
  return `${c.op} ${attrs} ${what}`;
};

/** A readable view of a serialized Summary for a failure message. */
function show(b64: string): string {
  try {
    return JSON.stringify(toJson(SummarySchema, fromBinary(SummarySchema, Buffer.from(b64, "base64")))).slice(
      0,
      800,
    );
  } catch {
    return b64.slice(0, 200);
  }
}

describe(`summary kernels vs TensorFlow ${fx.tensorflow}`, () => {
  fx.cases.forEach((c, k) => {
    it(`#${k} ${label(c)}`, async () => {
      const outputs = await runBxCase(c);
      if (outputs === undefined) return;
      const got = outputs[0]!;
      const want = c.outputs![0]!;
      assert.deepEqual(got.shape, want.shape);
      const g = base64Values(got);
      g.forEach((v, i) => {
        if (v !== want.values[i])
          assert.fail(`summary ${i} differs\n  ours ${show(v)}\n  TF   ${show(want.values[i] as string)}`);
      });
    });
  });
});
