// TF's DecodeJSONExample (core/kernels/example_parsing_ops.cc DecodeJSONExampleOp): each string is
// a tensorflow.Example in protobuf's JSON mapping; the output is its binary encoding, written as
// protobuf's JSON-to-binary converter writes it (fields in the JSON's order, repeated values one
// field each). TF's messages for bad JSON come from protobuf (their spacing varies from run to
// run); ours keep TF's "Error while parsing JSON: " start and name the problem in our words.

import { invalidArgument } from "../framework/errors.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

class Writer {
  readonly bytes: number[] = [];
  varint(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      this.bytes.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.bytes.push(Number(x));
  }
  tag(field: number, wireType: number): void {
    this.varint(BigInt(field * 8 + wireType));
  }
  message(field: number, body: Writer): void {
    this.tag(field, 2);
    this.varint(BigInt(body.bytes.length));
    this.bytes.push(...body.bytes);
  }
  raw(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(BigInt(data.length));
    this.bytes.push(...data);
  }
}

const fail = (detail: string) => invalidArgument(`Error while parsing JSON: ${detail}`);

function object(v: Json, where: string): { [k: string]: Json } {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw fail(`${where}: expected an object`);
  return v;
}

function list(v: Json, where: string): Json[] {
  const o = object(v, where);
  for (const k of Object.keys(o)) if (k !== "value") throw fail(`${where}: no such field: '${k}'`);
  const values = o.value ?? [];
  if (!Array.isArray(values)) throw fail(`${where}.value: expected an array`);
  return values;
}

function floatValue(v: Json, where: string): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
  throw fail(`${where}: not a float`);
}

/** TF's threads flush float denormals to zero, so the conversion to float does too. */
function flushDenormal(v: number): number {
  const f = Math.fround(v);
  return f !== 0 && Math.abs(f) < 2 ** -126 ? (f < 0 ? -0 : 0) : f;
}

function intValue(v: Json, where: string): bigint {
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^-?\d+$/.test(v)) {
    const b = BigInt(v);
    if (BigInt.asIntN(64, b) === b) return b;
  }
  throw fail(`${where}: not an int64`);
}

function bytesValue(v: Json, where: string): Uint8Array {
  if (typeof v !== "string" || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v)) throw fail(`${where}: not base64`);
  return new Uint8Array(Buffer.from(v.replace(/-/g, "+").replace(/_/g, "/"), "base64"));
}

function feature(v: Json, where: string): Writer {
  const w = new Writer();
  for (const [k, body] of Object.entries(object(v, where))) {
    const at = `${where}.${k}`;
    if (k === "bytesList" || k === "bytes_list") {
      const l = new Writer();
      for (const x of list(body, at)) l.raw(1, bytesValue(x, at));
      w.message(1, l);
    } else if (k === "floatList" || k === "float_list") {
      const l = new Writer();
      for (const x of list(body, at)) {
        l.tag(1, 5);
        l.bytes.push(...new Uint8Array(new Float32Array([flushDenormal(floatValue(x, at))]).buffer));
      }
      w.message(2, l);
    } else if (k === "int64List" || k === "int64_list") {
      const l = new Writer();
      for (const x of list(body, at)) {
        l.tag(1, 0);
        l.varint(intValue(x, at));
      }
      w.message(3, l);
    } else throw fail(`${where}: no such field: '${k}'`);
  }
  return w;
}

const encoder = new TextEncoder();

/** An Example in protobuf's JSON mapping → its binary encoding. */
export function exampleFromJson(text: string): Uint8Array {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (e) {
    throw fail(`invalid JSON (${(e as Error).message})`);
  }
  const out = new Writer();
  for (const [k, v] of Object.entries(object(root, "Example"))) {
    if (k !== "features") throw fail(`no such field: '${k}'`);
    const features = new Writer();
    for (const [fk, fv] of Object.entries(object(v, "features"))) {
      if (fk !== "feature") throw fail(`features: no such field: '${fk}'`);
      for (const [key, f] of Object.entries(object(fv, "features.feature"))) {
        const entry = new Writer();
        entry.raw(1, encoder.encode(key));
        entry.message(2, feature(f, `features.feature[${key}]`));
        features.message(1, entry);
      }
    }
    out.message(1, features);
  }
  return Uint8Array.from(out.bytes);
}

const utf8 = new TextDecoder();

function compute(ctx: OpKernelContext): void {
  const input = ctx.input(0);
  const out = (input.data as Uint8Array[]).map((b) => exampleFromJson(utf8.decode(b)));
  ctx.setOutput(0, new Tensor(DataType.DT_STRING, input.shape, out));
}

export const decodeJSONExampleConfig: KernelConfig = {
  op: { name: "DecodeJSONExample", inputs: ["json_examples: string"], outputs: ["binary_examples: string"] },
  kernel: simpleKernel("DecodeJSONExample", compute),
};
