// createReflectionIndex: the answers to each kind of reflection query, from the real descriptors.

import assert from "node:assert/strict";
import { test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { createReflectionIndex, type ReflectionAnswer } from "./reflection.js";
import { servedServices } from "./services.js";

const index = createReflectionIndex(servedServices);

function fileNames(answer: ReflectionAnswer): string[] {
  assert.equal(answer.case, "fileDescriptorResponse");
  return answer.value.fileDescriptorProto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name);
}

test("list_services: both MasterService names, health and both reflection versions", () => {
  const answer = index.answer({ case: "listServices", value: "" }, new Set());
  assert.equal(answer.case, "listServicesResponse");
  assert.deepEqual(
    answer.value.service.map((s) => s.name),
    [
      "tensorflow.grpc.MasterService",
      "tensorflow.MasterService",
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
    ],
  );
});

test("file_containing_symbol: services, methods, messages, nested enums; with imports, transitively", () => {
  const names = fileNames(
    index.answer({ case: "fileContainingSymbol", value: "tensorflow.MasterService" }, new Set()),
  );
  assert.equal(names[0], "tensorflow/core/protobuf/master_service_tf.proto");
  for (const dependency of [
    "tensorflow/core/protobuf/master.proto",
    "tensorflow/core/framework/graph.proto",
    "tensorflow/core/framework/tensor.proto",
    "tensorflow/core/protobuf/config.proto",
  ]) {
    assert.ok(names.includes(dependency), dependency);
  }
  assert.equal(new Set(names).size, names.length, "no file twice");
  const method = fileNames(
    index.answer({ case: "fileContainingSymbol", value: "tensorflow.grpc.MasterService.RunStep" }, new Set()),
  );
  assert.equal(method[0], "tensorflow/core/protobuf/master_service.proto");
  const message = fileNames(
    index.answer({ case: "fileContainingSymbol", value: "tensorflow.TensorProto" }, new Set()),
  );
  assert.equal(message[0], "tensorflow/core/framework/tensor.proto");
  const nestedEnum = fileNames(
    index.answer(
      { case: "fileContainingSymbol", value: "grpc.health.v1.HealthCheckResponse.ServingStatus" },
      new Set(),
    ),
  );
  assert.deepEqual(nestedEnum, ["grpc/health/v1/health.proto"]);
});

test("files already sent on the stream are left out, except the one asked for", () => {
  const sent = new Set<string>();
  const first = fileNames(
    index.answer({ case: "fileByFilename", value: "tensorflow/core/protobuf/master.proto" }, sent),
  );
  assert.ok(first.length > 1);
  const again = fileNames(
    index.answer({ case: "fileByFilename", value: "tensorflow/core/protobuf/master.proto" }, sent),
  );
  assert.deepEqual(again, ["tensorflow/core/protobuf/master.proto"]);
});

test("unknown names and extensions answer NOT_FOUND; extension numbers of a known type are listed", () => {
  for (const query of [
    { case: "fileByFilename", value: "nope.proto" },
    { case: "fileContainingSymbol", value: "tensorflow.Nope" },
    { case: "fileContainingSymbol", value: "tensorflow.MasterService.Nope" },
    {
      case: "fileContainingExtension",
      value: { containingType: "tensorflow.GraphDef", extensionNumber: 1000 },
    },
    { case: "allExtensionNumbersOfType", value: "tensorflow.Nope" },
  ] as const) {
    const answer = index.answer(query, new Set());
    assert.equal(answer.case, "errorResponse", JSON.stringify(query));
    assert.equal(answer.value.errorCode, 5);
    assert.match(answer.value.errorMessage, /not found/);
  }
  const numbers = index.answer(
    { case: "allExtensionNumbersOfType", value: "tensorflow.GraphDef" },
    new Set(),
  );
  assert.deepEqual(numbers, {
    case: "allExtensionNumbersResponse",
    value: { baseTypeName: "tensorflow.GraphDef", extensionNumber: [] },
  });
  const empty = index.answer({ case: undefined }, new Set());
  assert.equal(empty.case, "errorResponse");
  assert.equal(empty.value.errorCode, 3);
});
