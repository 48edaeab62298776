// Every message of the schema (all of proto/, through the transitive imports of the services and of
// summary.proto)
// survives binary and JSON round trips with every field set: a check that the generated code,
// the runtime and our .proto transcriptions agree (field numbers, types, proto2 presence, maps,
// oneofs, 64-bit integers, enums).

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  create,
  createRegistry,
  type DescField,
  type DescFile,
  type DescMessage,
  equals,
  fromBinary,
  fromJson,
  ScalarType,
  toBinary,
  toJson,
} from "@bufbuild/protobuf";
import { isWrapperDesc } from "@bufbuild/protobuf/wkt";
import { file_grpc_health_v1_health } from "../gen/grpc/health/v1/health_pb.js";
import { file_grpc_reflection_v1_reflection } from "../gen/grpc/reflection/v1/reflection_pb.js";
import { file_grpc_reflection_v1alpha_reflection } from "../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { file_tensorflow_core_framework_summary } from "../gen/tensorflow/core/framework/summary_pb.js";
import { file_tensorflow_core_protobuf_master_service } from "../gen/tensorflow/core/protobuf/master_service_pb.js";
import { file_tensorflow_core_protobuf_master_service_tf } from "../gen/tensorflow/core/protobuf/master_service_tf_pb.js";
import { file_tensorflow_core_protobuf_saved_model } from "../gen/tensorflow/core/protobuf/saved_model_pb.js";

function allFiles(roots: DescFile[]): DescFile[] {
  const seen = new Map<string, DescFile>();
  const visit = (f: DescFile) => {
    if (seen.has(f.name)) return;
    seen.set(f.name, f);
    f.dependencies.forEach(visit);
  };
  roots.forEach(visit);
  return [...seen.values()];
}

function allMessages(files: DescFile[]): DescMessage[] {
  const out: DescMessage[] = [];
  const visit = (m: DescMessage) => {
    out.push(m);
    m.nestedMessages.forEach(visit);
  };
  for (const f of files) f.messages.forEach(visit);
  return out;
}

function scalarSample(t: ScalarType): unknown {
  switch (t) {
    case ScalarType.STRING:
      return "tfgate ✓";
    case ScalarType.BYTES:
      return new Uint8Array([0, 1, 255]);
    case ScalarType.BOOL:
      return true;
    case ScalarType.DOUBLE:
      return 2.25;
    case ScalarType.FLOAT:
      return 1.5;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return -(2n ** 40n) - 3n;
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return 2n ** 63n + 5n;
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return -7;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return 4000000000;
  }
}

function mapKeySample(t: ScalarType): string | number | bigint | boolean {
  const v = scalarSample(t);
  return t === ScalarType.BOOL ? true : (v as string | number | bigint);
}

function enumSample(f: DescField & { enum: { values: { number: number }[] } }): number {
  return f.enum.values.find((v) => v.number !== 0)?.number ?? 0;
}

/** A message init with every field set (nested messages down to `depth`). */
function sample(desc: DescMessage, depth: number): Record<string, unknown> {
  // An Any must name a type the JSON codec can find in the registry (below); an empty NoneValue.
  if (desc.typeName === "google.protobuf.Any") {
    return { typeUrl: "type.googleapis.com/tensorflow.NoneValue", value: new Uint8Array() };
  }
  const init: Record<string, unknown> = {};
  const value = (f: DescField): unknown => {
    switch (f.fieldKind) {
      case "scalar":
        return scalarSample(f.scalar);
      case "enum":
        return enumSample(f);
      case "message":
        // Singular wrapper fields (google.protobuf.BoolValue...) are plain values in protobuf-es.
        if (isWrapperDesc(f.message)) return scalarSample(f.message.fields[0]!.scalar!);
        return depth > 0 ? sample(f.message, depth - 1) : undefined;
      case "list": {
        const item =
          f.listKind === "scalar"
            ? scalarSample(f.scalar)
            : f.listKind === "enum"
              ? enumSample(f as DescField & { enum: { values: { number: number }[] } })
              : depth > 0
                ? sample(f.message, depth - 1)
                : undefined;
        return item === undefined ? undefined : [item, item];
      }
      case "map": {
        const v =
          f.mapKind === "scalar"
            ? scalarSample(f.scalar)
            : f.mapKind === "enum"
              ? enumSample(f as DescField & { enum: { values: { number: number }[] } })
              : depth > 0
                ? sample(f.message, depth - 1)
                : undefined;
        return v === undefined ? undefined : { [String(mapKeySample(f.mapKey))]: v };
      }
    }
  };
  for (const f of desc.fields) {
    if (f.oneof !== undefined) continue;
    const v = value(f);
    if (v !== undefined) init[f.localName] = v;
  }
  for (const o of desc.oneofs) {
    const f = o.fields[0]!;
    const v = value(f);
    if (v !== undefined)
      init[o.localName] = {
        case: f.localName,
        value: f.fieldKind === "message" ? create(f.message, v as never) : v,
      };
  }
  return init;
}

const files = allFiles([
  file_tensorflow_core_protobuf_master_service,
  file_tensorflow_core_protobuf_master_service_tf,
  file_tensorflow_core_protobuf_saved_model,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
  // What the summary ops serialize (not reachable from the services).
  file_tensorflow_core_framework_summary,
]);
// For the JSON form of google.protobuf.Any fields (MetaGraphDef, SavedObject).
const registry = createRegistry(...files);
const messages = allMessages(files).filter((m) => !m.name.endsWith("Entry") || !m.proto.options?.mapEntry);

test("the schema closure has every file and message of the spec", () => {
  const names = new Set(files.map((f) => f.name));
  for (const f of [
    "tensorflow/core/framework/graph.proto",
    "tensorflow/core/framework/graph_debug_info.proto",
    "tensorflow/core/framework/cost_graph.proto",
    "tensorflow/core/framework/step_stats.proto",
    "tensorflow/core/framework/device_attributes.proto",
    "tensorflow/core/protobuf/config.proto",
    "tensorflow/core/protobuf/master.proto",
    "tensorflow/core/protobuf/named_tensor.proto",
  ]) {
    assert.ok(names.has(f.replace(/\.proto$/, "")), f);
  }
  const master = files.find((f) => f.name === "tensorflow/core/protobuf/master")!;
  assert.equal(master.messages.length, 20);
  assert.ok(messages.length > 100, `only ${messages.length} messages`);
  const gdi = files.find((f) => f.name === "tensorflow/core/framework/graph_debug_info")!;
  assert.equal(gdi.edition, 998, "graph_debug_info.proto must stay proto2");
});

test("every message round-trips through binary and JSON with all fields set", () => {
  let checked = 0;
  for (const desc of messages) {
    const msg = create(desc, sample(desc, 2) as never);
    const bin = fromBinary(desc, toBinary(desc, msg));
    assert.ok(equals(desc, bin, msg), `${desc.typeName}: binary round trip differs`);
    const json = fromJson(desc, toJson(desc, msg, { registry }), { registry });
    assert.ok(equals(desc, json, msg), `${desc.typeName}: JSON round trip differs`);
    checked++;
  }
  assert.equal(checked, messages.length);
});

test("the samples really set fields (so the round trips above can fail)", () => {
  const gd = messages.find((m) => m.typeName === "tensorflow.GraphDef")!;
  const msg = create(gd, sample(gd, 2) as never) as unknown as { node: { name: string; attr: object }[] };
  assert.equal(msg.node.length, 2);
  assert.equal(msg.node[0]!.name, "tfgate ✓");
  assert.equal(Object.keys(msg.node[0]!.attr).length, 1);
  assert.ok(toBinary(gd, msg as never).length > 50);
});
