// The string ops (tf.strings.*, tf.compat.v1.string_split, tf.fingerprint) against TensorFlow 2.21
// itself: testdata/strings-fixtures.json, written by testdata/gen_strings_fixtures.py. Every case is
// one tf.raw_ops call; outputs must match exactly (dtype, shape, every byte of every string), errors
// by code and message.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import {
  type AttrValue,
  AttrValue_ListValueSchema,
  AttrValueSchema,
} from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import {
  buildAttrs,
  type FxKernelCase,
  type FxTensor,
  toTensor,
  valuesOf,
} from "./testing/fixture-format.js";
import { runKernel } from "./testing/testing.js";

/** A fixture tensor; strings that are not valid UTF-8 come base64-encoded. */
type StringsTensor = FxTensor & { readonly encoding?: "base64" };
type StringsCase = FxKernelCase & { readonly inputs: StringsTensor[]; readonly outputs?: StringsTensor[] };

const fx = JSON.parse(readFileSync(new URL("./testdata/strings-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  cases: StringsCase[];
};

function fromFixture(t: StringsTensor): Tensor {
  if (t.encoding !== "base64") return toTensor(t);
  const out = toTensor({ ...t, values: t.values.map(() => "") });
  const d = out.data as Uint8Array[];
  t.values.forEach((v, i) => {
    d[i] = new Uint8Array(Buffer.from(v as string, "base64"));
  });
  return out;
}

/** fixture-format's attrs plus ["stringList", [...]] (RaggedTensorToTensor's row_partition_types). */
function attrsOf(attrs: Record<string, [string, unknown]>): Record<string, AttrValue> {
  const plain = Object.fromEntries(Object.entries(attrs).filter(([, [kind]]) => kind !== "stringList"));
  const out = buildAttrs(plain);
  const utf8 = new TextEncoder();
  for (const [name, [kind, v]] of Object.entries(attrs)) {
    if (kind !== "stringList") continue;
    const s = (v as string[]).map((x) => utf8.encode(x));
    out[name] = create(AttrValueSchema, {
      value: { case: "list", value: create(AttrValue_ListValueSchema, { s }) },
    });
  }
  return out;
}

function assertTensor(got: Tensor | undefined, want: StringsTensor, what: string): void {
  assert.ok(got, `${what}: no output`);
  assert.equal(got.dtype, want.dtype, `${what} dtype ${dataTypeString(got.dtype)}`);
  assert.deepEqual(got.shape, want.shape, `${what} shape`);
  if (want.encoding === "base64") {
    const values = (got.data as Uint8Array[]).map((b) => Buffer.from(b).toString("base64"));
    assert.deepEqual(values, want.values, `${what} values (base64)`);
  } else if (got.dtype === DataType.DT_STRING) {
    // Valid UTF-8 in TF's output must be the same bytes here (a lossy decode would hide U+FFFD).
    const values = (got.data as Uint8Array[]).map((b) => Buffer.from(b).toString("base64"));
    const wantB64 = want.values.map((v) => Buffer.from(v as string, "utf8").toString("base64"));
    assert.deepEqual(values, wantB64, `${what} values`);
  } else assert.deepEqual(valuesOf(got), want.values, `${what} values`);
}

describe(`string kernels vs TensorFlow ${fx.tensorflow} (strings fixtures)`, () => {
  fx.cases.forEach((c, k) => {
    const attrs = Object.entries(c.attrs)
      .filter(([n]) => n !== "T" && n !== "Tsplits")
      .map(([n, [, v]]) => `${n}=${JSON.stringify(v)}`.slice(0, 30))
      .join(" ");
    const what = c.error
      ? `error: ${c.error.message.slice(0, 50)}`
      : c.inputs.map((t) => `[${t.shape}]`).join(" ");
    it(`#${k} ${c.op} ${attrs} ${what}`, async () => {
      const p = runKernel(c.op, {
        attrs: attrsOf(c.attrs),
        inputs: c.inputs.map(fromFixture),
        nodeName: c.op,
      });
      if (c.error) {
        await assert.rejects(p, (e: { code: number; message: string }) => {
          assert.equal(e.code, c.error!.code, e.message);
          assert.equal(e.message, c.error!.message);
          return true;
        });
        return;
      }
      const r = await p;
      assert.equal(r.outputs.length, c.outputs!.length, "number of outputs");
      for (const [i, want] of c.outputs!.entries()) assertTensor(r.outputs[i], want, `output ${i}`);
    });
  });
});
