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
import { BodyGather, feedContentPaths, joinShared, payloadOffset } from "./shared-body.js";

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

  describe("gathered as the body arrives", () => {
    const path = feedContentPaths["tensorflow.RunStepRequest"]!;

    function runStepMessage(elements: number, handle = "h"): { message: Uint8Array; content: Uint8Array } {
      const tensor = floatTensor(elements);
      const message = toBinary(
        RunStepRequestSchema,
        create(RunStepRequestSchema, {
          sessionHandle: handle,
          feed: [{ name: "x:0", tensor }],
          fetch: ["y:0"],
        }),
      );
      return { message, content: tensor.tensorContent };
    }

    /** `bytes` cut into chunks: the first `firstSize` long, the rest `size`. */
    function cut(bytes: Uint8Array, firstSize: number, size: number): Buffer[] {
      const chunks = [Buffer.from(bytes.subarray(0, firstSize))];
      for (let i = firstSize; i < bytes.length; i += size)
        chunks.push(Buffer.from(bytes.subarray(i, i + size)));
      return chunks;
    }

    it("a gRPC frame announced by its header: shared memory, feed aligned, the same bytes, whatever the chunking", () => {
      for (const [firstSize, size] of [
        [16_384, 16_384],
        [1, 13_000],
        [7, 65_536],
        [200_000, 1_000_000],
      ] as const) {
        for (let handleLength = 1; handleLength < 9; handleLength++) {
          const { message, content } = runStepMessage(300_000, "h".repeat(handleLength));
          const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), message]);
          frame.writeUInt32BE(message.length, 1);
          const gather = new BodyGather(5, path);
          gather.expect(frame.length);
          for (const chunk of cut(frame, firstSize, size)) gather.push(chunk);
          const body = gather.bytes();
          assert.ok(body.buffer instanceof SharedArrayBuffer);
          assert.ok(body.equals(frame));
          const decoded = fromBinary(RunStepRequestSchema, body.subarray(5));
          assert.equal(
            decoded.feed[0]!.tensor!.tensorContent.byteOffset % 8,
            0,
            `${firstSize}/${handleLength}`,
          );
          assert.ok(sameBytes(decoded.feed[0]!.tensor!.tensorContent, content));
        }
      }
    });

    it("a bare Connect message, with and without a Content-Length", () => {
      const { message, content } = runStepMessage(400_000, "abc");
      for (const announced of [true, false]) {
        const gather = new BodyGather(0, path);
        if (announced) gather.expect(message.length);
        for (const chunk of cut(message, 3, 16_384)) gather.push(chunk);
        const body = gather.bytes();
        assert.ok(body.buffer instanceof SharedArrayBuffer);
        assert.ok(sameBytes(message, body));
        const decoded = fromBinary(RunStepRequestSchema, body);
        assert.equal(decoded.feed[0]!.tensor!.tensorContent.byteOffset % 8, 0);
        assert.ok(sameBytes(decoded.feed[0]!.tensor!.tensorContent, content));
      }
    });

    it("a body that stops short of, or runs past, its announced length keeps every byte in order", () => {
      const { message } = runStepMessage(300_000);
      const short = message.subarray(0, message.length - 1000);
      const long = Buffer.concat([message, Buffer.from([1, 2, 3, 4, 5, 6, 7])]);
      for (const bytes of [short, long]) {
        const gather = new BodyGather(0, path);
        gather.expect(message.length);
        for (const chunk of cut(bytes, 16_384, 16_384)) gather.push(chunk);
        assert.equal(gather.length, bytes.length);
        assert.ok(sameBytes(bytes, gather.bytes()));
        for (const at of [0, 17, bytes.length - 1]) assert.equal(gather.byteAt(at), bytes[at]);
      }
    });

    it("goes into shared memory once half of the announced body has arrived, not before", () => {
      const { message } = runStepMessage(1_000_000);
      const gather = new BodyGather(0, path);
      gather.expect(message.length);
      const chunks = cut(message, 16_384, 16_384);
      let pushed = 0;
      for (const chunk of chunks) {
        gather.push(chunk);
        pushed += chunk.length;
        assert.equal(gather.shared, pushed * 2 >= message.length, `after ${pushed} bytes`);
      }
      assert.ok(sameBytes(message, gather.bytes()));
      // A client that announces far more than it sends gets no large allocation until the end.
      const stalled = new BodyGather(0, path);
      stalled.expect(64 * 1024 * 1024);
      stalled.push(Buffer.from(message));
      assert.equal(stalled.shared, false);
      const body = stalled.bytes();
      assert.ok(
        body.buffer instanceof SharedArrayBuffer,
        "a large body is joined into shared memory at its end",
      );
      assert.equal(body.length, message.length);
    });

    it("small, unplaceable and ordinary-memory bodies stay in ordinary memory", () => {
      const { message } = runStepMessage(1000);
      const small = new BodyGather(0, path);
      small.expect(message.length);
      small.push(Buffer.from(message));
      assert.ok(!(small.bytes().buffer instanceof SharedArrayBuffer));
      const large = runStepMessage(300_000).message;
      const compressed = new BodyGather(0, path);
      compressed.keepOrdinary();
      for (const gather of [new BodyGather(0, undefined), compressed]) {
        gather.expect(large.length);
        for (const chunk of cut(large, 16_384, 16_384)) gather.push(chunk);
        const body = gather.bytes();
        assert.ok(!(body.buffer instanceof SharedArrayBuffer));
        assert.ok(sameBytes(large, body));
      }
    });
  });
});
