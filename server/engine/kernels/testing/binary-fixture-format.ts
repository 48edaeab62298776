// The fixture format of the summary and image-codec generators (testdata/gen_summary_fixtures.py,
// gen_image_codec_fixtures.py): fixture-format.ts's, except that a string tensor marked
// "base64": true carries base64 values (PNG, JPEG, WAV and serialized protos are not UTF-8), and
// attrs may be ["tensor", tensor] or ["stringList", [...]].

import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import {
  type AttrValue,
  AttrValue_ListValueSchema,
  AttrValueSchema,
} from "../../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { Tensor } from "../../framework/tensor.js";
import { tensorToProto } from "../../framework/tensor-proto.js";
import { DataType } from "../../framework/types.js";
import { buildAttrs, type FxError, type FxTensor, toTensor } from "./fixture-format.js";
import { runKernel } from "./testing.js";

export interface BxTensor extends FxTensor {
  readonly base64?: boolean;
}

export interface BxCase {
  readonly op: string;
  readonly attrs: Record<string, [string, unknown]>;
  readonly inputs: BxTensor[];
  readonly outputs?: BxTensor[];
  readonly error?: FxError;
}

export function bxTensor(t: BxTensor): Tensor {
  if (!t.base64) return toTensor(t);
  const values = t.values.map((v) => new Uint8Array(Buffer.from(v as string, "base64")));
  return new Tensor(DataType.DT_STRING, t.shape, values);
}

function bxAttrs(attrs: Record<string, [string, unknown]>): Record<string, AttrValue> {
  const plain: Record<string, [string, unknown]> = {};
  const out: Record<string, AttrValue> = {};
  const utf8 = new TextEncoder();
  for (const [name, [kind, v]] of Object.entries(attrs)) {
    if (kind === "tensor") {
      out[name] = create(AttrValueSchema, {
        value: { case: "tensor", value: tensorToProto(bxTensor(v as BxTensor)) },
      });
    } else if (kind === "stringList") {
      out[name] = create(AttrValueSchema, {
        value: {
          case: "list",
          value: create(AttrValue_ListValueSchema, { s: (v as string[]).map((x) => utf8.encode(x)) }),
        },
      });
    } else {
      plain[name] = [kind, v];
    }
  }
  return { ...buildAttrs(plain), ...out };
}

/** Runs a case; TF's error must come back by code and text (undefined), else the outputs. */
export async function runBxCase(c: BxCase): Promise<Tensor[] | undefined> {
  const run = runKernel(c.op, { attrs: bxAttrs(c.attrs), inputs: c.inputs.map(bxTensor), nodeName: c.op });
  if (c.error) {
    const want = c.error;
    await assert.rejects(run, (e: { code: number; message: string }) => {
      assert.equal(e.message, want.message);
      assert.equal(e.code, want.code, e.message);
      return true;
    });
    return undefined;
  }
  const r = await run;
  assert.equal(r.outputs.length, c.outputs!.length, "number of outputs");
  return r.outputs.map((t) => t!);
}

/** A string tensor's elements in base64, the way the fixtures hold them. */
export function base64Values(t: Tensor): string[] {
  return (t.data as Uint8Array[]).slice(0, t.numElements).map((b) => Buffer.from(b).toString("base64"));
}
