// The WorkerService schema (proto/tensorflow/core/protobuf/worker.proto and its closure) against
// the descriptors TF 2.21 itself was compiled with: test/tf/proto_descriptors.py reads them out of
// TensorFlow's libraries, and every message, field name, number, label and type, enum and reserved
// range must match (comments and options are ours). The service paths are TF's hand-written
// /tensorflow.WorkerService/<Method> (worker_service_tf.proto), checked against the method list
// TF's gRPC worker serves.
//
// Needs the TensorFlow venv (scripts/setup-tf.sh): without it the test skips, except under CI=true.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { clone, fromBinary } from "@bufbuild/protobuf";
import type { GenFile } from "@bufbuild/protobuf/codegenv2";
import {
  type DescriptorProto,
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";
import { file_tensorflow_core_protobuf_device_filters } from "../gen/tensorflow/core/protobuf/device_filters_pb.js";
import { file_tensorflow_core_protobuf_tensorflow_server } from "../gen/tensorflow/core/protobuf/tensorflow_server_pb.js";
import { file_tensorflow_core_protobuf_worker } from "../gen/tensorflow/core/protobuf/worker_pb.js";
import { WorkerService as WorkerServiceProto } from "../gen/tensorflow/core/protobuf/worker_service_pb.js";
import { WorkerService } from "../gen/tensorflow/core/protobuf/worker_service_tf_pb.js";
import { runTfPython, tfAvailable } from "./support/tf-cluster.js";

const script = join(fileURLToPath(new URL(".", import.meta.url)), "tf", "proto_descriptors.py");

/** What the wire depends on: names, numbers, labels, types, nesting, enums, reserved ranges. */
function wireShape(fd: FileDescriptorProto) {
  const message = (m: DescriptorProto): unknown => ({
    name: m.name,
    fields: m.field.map((f) => [f.name, f.number, f.label, f.type, f.typeName, f.oneofIndex ?? -1]),
    nested: m.nestedType.map(message),
    enums: m.enumType.map((e) => [e.name, e.value.map((v) => [v.name, v.number])]),
    reserved: m.reservedRange.map((r) => [r.start, r.end]),
    oneofs: m.oneofDecl.map((o) => o.name),
  });
  return {
    name: fd.name,
    package: fd.package,
    dependency: [...fd.dependency],
    messages: fd.messageType.map(message),
    enums: fd.enumType.map((e) => [e.name, e.value.map((v) => [v.name, v.number])]),
  };
}

test("worker.proto, tensorflow_server.proto and device_filters.proto match TF 2.21's compiled descriptors", async (t) => {
  const tf = tfAvailable();
  if (!tf.ok) return t.skip(tf.message);
  const files: GenFile[] = [
    file_tensorflow_core_protobuf_worker,
    file_tensorflow_core_protobuf_tensorflow_server,
    file_tensorflow_core_protobuf_device_filters,
  ];
  const run = await runTfPython([script, ...files.map((f) => `${f.name}.proto`)]);
  assert.equal(run.code, 0, run.stderr.slice(-3000));
  const theirs = JSON.parse(run.stdout) as Record<string, string>;
  for (const f of files) {
    const tfFile = fromBinary(FileDescriptorProtoSchema, Buffer.from(theirs[`${f.name}.proto`]!, "base64"));
    assert.deepEqual(wireShape(clone(FileDescriptorProtoSchema, f.proto)), wireShape(tfFile), f.name);
  }
});

test("WorkerService: TF's sixteen methods, at /tensorflow.WorkerService/<Method> and in the proto's package", () => {
  // The paths TF's GrpcWorkerService registers (grpc_worker_service_impl.cc).
  const tfMethods = [
    "GetStatus",
    "CreateWorkerSession",
    "DeleteWorkerSession",
    "RegisterGraph",
    "DeregisterGraph",
    "RunGraph",
    "CleanupGraph",
    "CleanupAll",
    "RecvTensor",
    "MarkRecvFinished",
    "Logging",
    "Tracing",
    "RecvBuf",
    "GetStepSequence",
    "CompleteGroup",
    "CompleteInstance",
  ];
  assert.equal(WorkerService.typeName, "tensorflow.WorkerService");
  assert.equal(WorkerServiceProto.typeName, "tensorflow.grpc.WorkerService");
  assert.deepEqual(
    WorkerService.methods.map((m) => m.name),
    tfMethods,
  );
  WorkerService.methods.forEach((m, i) => {
    const twin = WorkerServiceProto.methods[i]!;
    assert.equal(twin.name, m.name);
    assert.equal(twin.input.typeName, m.input.typeName);
    assert.equal(twin.output.typeName, m.output.typeName);
  });
});
