// The kernel fixtures' JSON format, shared by the tests that run them (array-, math- and
// coverage-fixtures): what the generators in testdata/ write (testdata/tf_fixtures.py) and how it
// becomes engine tensors and attrs, and back. A tensor is {dtype, shape, values}: floats as
// numbers or "nan"/"inf"/"-inf", 64-bit integers as decimal strings, strings as UTF-8 text,
// complex numbers as [re, im], bools as 0/1.

import assert from "node:assert/strict";
import type { AttrValue } from "../../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { attr } from "../../../../test/support/attr.js";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "../../framework/float16.js";
import { Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { runKernel } from "./testing.js";

export type FxNumber = number | string;
export type FxValue = FxNumber | [FxNumber, FxNumber];

export interface FxTensor {
  readonly dtype: number;
  readonly shape: number[];
  readonly values: FxValue[];
}

export interface FxError {
  readonly code: number;
  readonly message: string;
}

/** One tf.raw_ops call: its attrs as [kind, value], inputs, and TF's outputs or error. */
export interface FxKernelCase {
  readonly op: string;
  readonly attrs: Record<string, [string, unknown]>;
  readonly inputs: FxTensor[];
  readonly outputs?: FxTensor[];
  readonly error?: FxError;
}

/** A fixture number: "nan", "inf" and "-inf" spelled out, everything else as is. */
export const num = (v: FxNumber): number =>
  v === "nan" ? Number.NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v);

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** The engine tensor a fixture tensor describes (half and bfloat16 rounded from the numbers). */
export function toTensor(t: FxTensor): Tensor {
  const dt = t.dtype as DataType;
  const out = Tensor.zeros(dt, t.shape);
  const d = out.data as unknown as { [i: number]: unknown };
  t.values.forEach((v, i) => {
    switch (dt) {
      case DataType.DT_STRING:
        d[i] = utf8.encode(v as string);
        break;
      case DataType.DT_INT64:
      case DataType.DT_UINT64:
        d[i] = BigInt(v as string);
        break;
      case DataType.DT_COMPLEX64:
      case DataType.DT_COMPLEX128:
        d[2 * i] = num((v as [FxNumber, FxNumber])[0]);
        d[2 * i + 1] = num((v as [FxNumber, FxNumber])[1]);
        break;
      case DataType.DT_HALF:
        d[i] = floatToHalf(num(v as FxNumber));
        break;
      case DataType.DT_BFLOAT16:
        d[i] = floatToBfloat16(num(v as FxNumber));
        break;
      default:
        d[i] = num(v as FxNumber);
    }
  });
  return out;
}

/** An engine tensor's values in the fixture's terms (half and bfloat16 as the numbers they hold). */
export function valuesOf(t: Tensor): FxValue[] {
  const d = t.data as unknown as ArrayLike<unknown>;
  const out: FxValue[] = [];
  for (let i = 0; i < t.numElements; i++) {
    switch (t.dtype) {
      case DataType.DT_STRING:
        out.push(fromUtf8.decode((d as unknown as Uint8Array[])[i]!));
        break;
      case DataType.DT_INT64:
      case DataType.DT_UINT64:
        out.push(String(d[i]));
        break;
      case DataType.DT_COMPLEX64:
      case DataType.DT_COMPLEX128:
        out.push([d[2 * i] as number, d[2 * i + 1] as number]);
        break;
      case DataType.DT_HALF:
        out.push(halfToFloat(d[i] as number));
        break;
      case DataType.DT_BFLOAT16:
        out.push(bfloat16ToFloat(d[i] as number));
        break;
      default:
        out.push(d[i] as number);
    }
  }
  return out;
}

/** The fixture's attrs as AttrValues. */
export function buildAttrs(attrs: Record<string, [string, unknown]>): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const [name, [kind, v]] of Object.entries(attrs)) {
    if (kind === "type") out[name] = attr.type(v as DataType);
    else if (kind === "typeList") out[name] = attr.typeList(v as DataType[]);
    else if (kind === "int") out[name] = attr.int(v as number);
    else if (kind === "bool") out[name] = attr.bool(v as boolean);
    else if (kind === "float") out[name] = attr.float(v as number);
    else if (kind === "shape") out[name] = attr.shape((v as (number | null)[]).map((d) => d ?? -1));
    else if (kind === "intList") out[name] = attr.intList(v as number[]);
    else if (kind === "floatList") out[name] = attr.floatList(v as number[]);
    else out[name] = attr.string(v as string);
  }
  return out;
}

/**
 * Runs one kernel case. A case that records TF's error must fail with its code and exact message
 * (undefined is returned); otherwise the outputs are returned, as many as TF produced.
 */
export async function runFixtureCase(c: FxKernelCase): Promise<(Tensor | undefined)[] | undefined> {
  const run = runKernel(c.op, { attrs: buildAttrs(c.attrs), inputs: c.inputs.map(toTensor), nodeName: c.op });
  if (c.error) {
    const want = c.error;
    await assert.rejects(run, (e: { code: number; message: string }) => {
      assert.equal(e.code, want.code, e.message);
      assert.equal(e.message, want.message);
      return true;
    });
    return undefined;
  }
  const r = await run;
  assert.equal(r.outputs.length, c.outputs!.length, "number of outputs");
  return r.outputs;
}
