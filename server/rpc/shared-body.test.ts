import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { TensorProtoSchema } from "../../gen/tensorflow/core/framework/tensor_pb.js";
import {
  RunCallableRequestSchema,
  RunStepRequestSchema,
} from "../../gen/tensorflow/core/protobuf/master_pb.js";
import { tensorFromProto } from "../engine/framework/tensor-proto.js";
import { DataType } from "../engine/framework/types.js";
import { feedContentPaths, joinShared, payloadOffset } from "./shared-body.js";

/** A gRPC frame of `message`, cut into chunks of `size` bytes as a socket would deliver it. */
function framedChunks(message: Uint8Array, size: number): Uint8Array[] {
  const frame = new Uint8Array(5 + message.length);
  new DataView(frame.buffer).setUint32(1, message.length);
  frame.set(message, 5);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < frame.length; i += size) chunks.push(frame.subarray(i, i + size));
  return chunks;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function floatTensor(n: number, dtype: DataType = DataType.DT_FLOAT) {
  const content = new Uint8Array(n * (dtype === DataType.DT_DOUBLE ? 8 : 4));
  for (let i = 0; i < content.length; i++) content[i] = (i * 31) & 0xff;
  const count = dtype === DataType.DT_DOUBLE ? content.length / 8 : content.length / 4;
  return create(TensorProtoSchema, {
    dtype,
    tensorShape: { dim: [{ size: BigInt(count) }] },
    tensorContent: content,
  });
}

describe("large request bodies in shared memory", () => {
  it("RunStep: the first feed's tensor_content starts 8-aligned, whatever precedes it, and is adopted", () => {
    for (let handleLength = 0; handleLength < 12; handleLength++) {
      for (const dtype of [DataType.DT_FLOAT, DataType.DT_DOUBLE]) {
        const tensor = floatTensor(300_000, dtype);
        const request = create(RunStepRequestSchema, {
          sessionHandle: "h".repeat(handleLength),
          feed: [{ name: `x${"y".repeat(handleLength)}:0`, tensor }],
          fetch: ["y:0"],
        });
        const chunks = framedChunks(toBinary(RunStepRequestSchema, request), 16_384);
        const length = chunks.reduce((n, c) => n + c.length, 0);
        const body = joinShared(chunks, length, feedContentPaths["tensorflow.RunStepRequest"]!);
        assert.ok(body.buffer instanceof SharedArrayBuffer);
        const decoded = fromBinary(RunStepRequestSchema, body.subarray(5));
        const content = decoded.feed[0]!.tensor!.tensorContent;
        assert.equal(content.byteOffset % 8, 0, `handle of ${handleLength}`);
        assert.ok(sameBytes(content, tensor.tensorContent));
        assert.equal(decoded.sessionHandle, request.sessionHandle);
        // The engine takes the bytes where they are: no copy.
        const t = tensorFromProto(decoded.feed[0]!.tensor!, "TensorProto", { own: true });
        assert.equal((t.data as Float32Array).buffer, body.buffer);
      }
    }
  });

  it("RunCallable: the first feed is placed the same way", () => {
    const tensor = floatTensor(300_000);
    const request = create(RunCallableRequestSchema, { sessionHandle: "abc", handle: 7n, feed: [tensor] });
    const chunks = framedChunks(toBinary(RunCallableRequestSchema, request), 65_536);
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const body = joinShared(chunks, length, feedContentPaths["tensorflow.RunCallableRequest"]!);
    const decoded = fromBinary(RunCallableRequestSchema, body.subarray(5));
    assert.equal(decoded.feed[0]!.tensorContent.byteOffset % 8, 0);
    assert.ok(sameBytes(decoded.feed[0]!.tensorContent, tensor.tensorContent));
  });

  it("bytes it cannot place are joined unchanged: compressed frames, a first chunk that stops early, garbage", () => {
    const tensor = floatTensor(1000);
    const message = toBinary(
      RunStepRequestSchema,
      create(RunStepRequestSchema, { feed: [{ name: "x:0", tensor }] }),
    );
    const path = feedContentPaths["tensorflow.RunStepRequest"]!;
    for (const chunks of [
      framedChunks(message, 3), // the first chunk ends inside the frame header
      [Uint8Array.of(1, 0, 0, 0, 4, 9, 9, 9, 9)], // compressed flag
      [Uint8Array.of(0, 0, 0, 0, 6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)], // a varint that never ends
      [Uint8Array.of(0, 0, 0, 0, 2, 0x0b, 0x00)], // wire type 3 (groups): not walked
    ]) {
      const length = chunks.reduce((n, c) => n + c.length, 0);
      const body = joinShared(chunks, length, path);
      assert.equal(body.length, length);
      assert.deepEqual(new Uint8Array(body), Uint8Array.from(chunks.flatMap((c) => [...c])));
    }
    assert.equal(payloadOffset(Uint8Array.of(0x12, 0x80), 0, 2, path), undefined);
  });
});
