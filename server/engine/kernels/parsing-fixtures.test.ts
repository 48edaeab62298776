// tf.Example parsing (ParseExampleV2, ParseSingleExample), DecodeRaw and ScalarSummary against
// TensorFlow 2.21 itself: testdata/parsing-fixtures.json, written by
// testdata/gen_parsing_fixtures.py with tf.raw_ops over Examples built with tf.train.Example
// (dense with defaults and variable length, sparse, ragged, malformed records, type and count
// mismatches). Strings there are base64 (serialized protos are bytes), so this file decodes them
// itself and otherwise runs each case through fixture-format.ts's runner.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import {
  type AttrValue,
  AttrValue_ListValueSchema,
  AttrValueSchema,
} from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { TensorShapeProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { buildAttrs, type FxError, type FxTensor, toTensor } from "./testing/fixture-format.js";
import { assertTensor } from "./testing/graph-fixtures.js";
import { runKernel } from "./testing/testing.js";

type B64 = { b64: string };
interface Case {
  op: string;
  attrs: Record<string, [string, unknown]>;
  inputs: (FxTensor & { values: unknown[] })[];
  outputs?: (FxTensor & { values: unknown[] })[];
  error?: FxError;
}

const fx = JSON.parse(readFileSync(new URL("./testdata/parsing-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  cases: Case[];
};

const isString = (t: FxTensor) => t.dtype === DataType.DT_STRING;

function tensorOf(t: Case["inputs"][number]): Tensor {
  if (!isString(t)) return toTensor(t);
  const values = (t.values as B64[]).map((v) => new Uint8Array(Buffer.from(v.b64, "base64")));
  return new Tensor(DataType.DT_STRING, t.shape, values);
}

const list = (value: Partial<{ s: Uint8Array[]; shape: ReturnType<typeof shapeProto>[] }>): AttrValue =>
  create(AttrValueSchema, { value: { case: "list", value: create(AttrValue_ListValueSchema, value) } });

const shapeProto = (dims: (number | null)[]) =>
  create(TensorShapeProtoSchema, { dim: dims.map((d) => ({ size: BigInt(d ?? -1) })) });

function attrsOf(attrs: Case["attrs"]): Record<string, AttrValue> {
  const rest: Case["attrs"] = {};
  const out: Record<string, AttrValue> = {};
  for (const [name, [kind, v]] of Object.entries(attrs)) {
    if (kind === "stringList")
      out[name] = list({ s: (v as string[]).map((x) => new TextEncoder().encode(x)) });
    else if (kind === "shapeList") out[name] = list({ shape: (v as (number | null)[][]).map(shapeProto) });
    else if (kind === "emptyList") out[name] = list({});
    else rest[name] = [kind, v];
  }
  return { ...buildAttrs(rest), ...out };
}

function assertOutput(got: Tensor | undefined, want: Case["inputs"][number], what: string): void {
  if (!isString(want)) {
    assertTensor(got, want, what);
    return;
  }
  assert.ok(got, `${what}: no output`);
  assert.equal(got.dtype, want.dtype, `${what} dtype`);
  assert.deepEqual(got.shape, want.shape, `${what} shape`);
  const values = (got.data as Uint8Array[]).map((b) => Buffer.from(b).toString("base64"));
  assert.deepEqual(
    values,
    (want.values as B64[]).map((v) => v.b64),
    `${what} values`,
  );
}

describe(`tf.Example parsing, DecodeRaw and ScalarSummary vs TensorFlow ${fx.tensorflow}`, () => {
  fx.cases.forEach((c, k) => {
    it(`${k} ${c.op}${c.error ? ` → ${c.error.message.slice(0, 60)}` : ""}`, async () => {
      const run = runKernel(c.op, {
        attrs: attrsOf(c.attrs),
        inputs: c.inputs.map(tensorOf),
        nodeName: c.op,
      });
      if (c.error) {
        const want = c.error;
        await assert.rejects(run, (e: { code: number; message: string }) => {
          assert.equal(e.code, want.code, e.message);
          assert.equal(e.message, want.message);
          return true;
        });
        return;
      }
      const r = await run;
      assert.equal(r.outputs.length, c.outputs!.length, "number of outputs");
      for (const [i, w] of c.outputs!.entries()) assertOutput(r.outputs[i], w, `output ${i}`);
    });
  });
});
