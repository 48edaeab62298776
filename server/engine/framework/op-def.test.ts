// The op registry against TensorFlow 2.21's own OpDefs: every op tfgate registers must summarize
// exactly as TF's SummarizeOpDef does (test/tf/op-summaries.json, made by
// test/tf/export_op_summaries.py), so argument names, attr types, defaults, minimums, allowed
// values and op flags are TF's — and so are the "Op<name=…>" tails of attr and type errors.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import {
  AttrValue_ListValueSchema,
  AttrValueSchema,
} from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { allKernelConfigs } from "../kernels/register-all.js";
import { TfCode } from "./errors.js";
import {
  addDefaultAttrs,
  defineOp,
  getAttrString,
  lookUpOp,
  opSignatureString,
  validateAttrs,
} from "./op-def.js";
import { DataType } from "./types.js";

const summaries: Record<string, string> = JSON.parse(
  readFileSync(new URL("../../../test/tf/op-summaries.json", import.meta.url), "utf8"),
).ops;

describe("op definitions match TensorFlow 2.21", () => {
  const regenerate =
    "regenerate: node --import tsx scripts/list-ops.ts | .venv-tf/bin/python test/tf/export_op_summaries.py";
  it("every registered op has TF's summary on record", () => {
    const missing = allKernelConfigs.map((c) => c.op.name).filter((n) => summaries[n] === undefined);
    assert.deepEqual(missing, [], `ops without a TF summary (${regenerate})`);
  });
  for (const c of allKernelConfigs) {
    const want = summaries[c.op.name];
    if (want === undefined) continue;
    it(c.op.name, () => assert.equal(opSignatureString(lookUpOp(c.op.name)!), want));
  }
});

describe("string enums and list minimums", () => {
  const s = (v: string) =>
    create(AttrValueSchema, { value: { case: "s", value: new TextEncoder().encode(v) } });
  const dtype = (t: DataType) => create(AttrValueSchema, { value: { case: "type", value: t } });
  const types = (n: number) =>
    create(AttrValueSchema, {
      value: { case: "list", value: create(AttrValue_ListValueSchema, { type: Array(n).fill(1) }) },
    });

  it("a value outside an enum is rejected with TF's text", () => {
    const op = lookUpOp("MirrorPad")!;
    assert.throws(
      () =>
        validateAttrs(
          op,
          addDefaultAttrs(op, {
            T: dtype(DataType.DT_FLOAT),
            Tpaddings: dtype(DataType.DT_INT32),
            mode: s("WRAP"),
          }),
          "m",
        ),
      (e: { code: number; message: string }) => {
        assert.equal(e.code, TfCode.INVALID_ARGUMENT);
        assert.ok(
          e.message.startsWith(
            `Value for attr 'mode' of "WRAP" is not in the list of allowed values: "REFLECT", "SYMMETRIC"\n\t; NodeDef: {{node m}}; Op<name=MirrorPad;`,
          ),
          e.message,
        );
        return true;
      },
    );
  });

  it("a list shorter than its minimum is rejected with TF's text", () => {
    const op = lookUpOp("Assert")!;
    assert.throws(
      () => validateAttrs(op, addDefaultAttrs(op, { T: types(0) }), "a"),
      (e: { message: string }) =>
        e.message.startsWith(
          "Length for attr 'T' of 0 must be at least minimum 1\n\t; NodeDef: {{node a}}; Op<name=Assert;",
        ),
    );
  });

  it("quoted defaults are proto text: escapes stand for their characters", () => {
    const op = defineOp({ name: "TestEscapes", attrs: ["a: string = 'x\\ny\\'z'", "b: {'p', \"q\"} = 'q'"] });
    assert.equal(getAttrString(addDefaultAttrs(op, {}), "a"), "x\ny'z");
    assert.equal(
      opSignatureString(op),
      `Op<name=TestEscapes; signature= -> ; attr=a:string,default="x\\ny\\'z"; attr=b:string,default="q",allowed=["p", "q"]>`,
    );
  });
});
