// bench/h2load-wire.ts's judges of an answer, on hand-made responses (no server): a good answer of
// each protocol decodes; every way a protocol says "error" is refused, so the probe that sizes and
// re-checks each h2load run cannot take an error for the good answer.

import assert from "node:assert/strict";
import { test } from "node:test";
import { create, toBinary, toJsonString } from "@bufbuild/protobuf";
import { type RunStepResponse, RunStepResponseSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { DataType, tensorProto } from "../test/support/graphs.js";
import { frames, lengthPrefixed, protocols, WireCallError, type WireResponse } from "./h2load-wire.js";

const answer: RunStepResponse = create(RunStepResponseSchema, {
  tensor: [{ name: "c:0", tensor: tensorProto(DataType.DT_FLOAT, [], [42.5]) }],
});
const bytes = toBinary(RunStepResponseSchema, answer);

function response(body: Uint8Array, more: Partial<WireResponse> = {}): WireResponse {
  return { status: 200, headers: {}, trailers: {}, body: Buffer.from(body), ...more };
}

const refused = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof WireCallError, String(error));
    assert.match(error.message, message);
    return true;
  });

test("length-prefixed frames round-trip; a truncated body is refused", () => {
  const body = Buffer.concat([lengthPrefixed(bytes), lengthPrefixed(Buffer.from("grpc-status:0\r\n"), 0x80)]);
  const list = frames(body);
  assert.equal(list.length, 2);
  assert.deepEqual(new Uint8Array(list[0]!.data), bytes);
  assert.equal(list[1]!.flags, 0x80);
  refused(() => frames(body.subarray(0, 3)), /truncated frame header/);
  refused(() => frames(body.subarray(0, 8)), /truncated \d+-byte frame/);
});

test("gRPC: OK in the trailers decodes; a status in the trailers or a trailers-only answer is refused", () => {
  const ok = protocols.grpc.answer(
    RunStepResponseSchema,
    response(lengthPrefixed(bytes), { trailers: { "grpc-status": "0" } }),
  );
  assert.equal(ok.tensor[0]?.name, "c:0");
  refused(
    () =>
      protocols.grpc.answer(
        RunStepResponseSchema,
        response(new Uint8Array(0), {
          headers: { "grpc-status": "10", "grpc-message": "The%20same%20RunGraph%20request" },
        }),
      ),
    /grpc-status 10: The same RunGraph request/,
  );
  refused(
    () =>
      protocols.grpc.answer(
        RunStepResponseSchema,
        response(lengthPrefixed(bytes), { trailers: { "grpc-status": "5", "grpc-message": "gone" } }),
      ),
    /grpc-status 5: gone/,
  );
  refused(
    () => protocols.grpc.answer(RunStepResponseSchema, response(lengthPrefixed(bytes))),
    /no grpc-status/,
  );
  refused(
    () => protocols.grpc.answer(RunStepResponseSchema, response(lengthPrefixed(bytes), { status: 503 })),
    /HTTP 503/,
  );
  refused(
    () =>
      protocols.grpc.answer(
        RunStepResponseSchema,
        response(lengthPrefixed(bytes, 1), { trailers: { "grpc-status": "0" } }),
      ),
    /one uncompressed message/,
  );
});

test("gRPC-Web: the trailer frame's status decides", () => {
  const withTrailer = (trailer: string) =>
    Buffer.concat([lengthPrefixed(bytes), lengthPrefixed(Buffer.from(trailer), 0x80)]);
  const ok = protocols["grpc-web"].answer(RunStepResponseSchema, response(withTrailer("grpc-status:0\r\n")));
  assert.equal(ok.tensor[0]?.name, "c:0");
  refused(
    () =>
      protocols["grpc-web"].answer(
        RunStepResponseSchema,
        response(withTrailer("grpc-status: 3\r\ngrpc-message: bad feed\r\n")),
      ),
    /grpc-status 3: bad feed/,
  );
  refused(
    () =>
      protocols["grpc-web"].answer(
        RunStepResponseSchema,
        response(new Uint8Array(0), { headers: { "grpc-status": "16" } }),
      ),
    /grpc-status 16/,
  );
});

test("Connect binary and JSON: 200 with the message decodes; any other status is refused", () => {
  const ok = protocols["connect-proto"].answer(RunStepResponseSchema, response(bytes));
  assert.equal(ok.tensor[0]?.name, "c:0");
  const json = protocols["connect-json"].answer(
    RunStepResponseSchema,
    response(Buffer.from(toJsonString(RunStepResponseSchema, answer))),
  );
  assert.equal(json.tensor[0]?.name, "c:0");
  const error = Buffer.from(JSON.stringify({ code: "not_found", message: "Session nope is not found." }));
  for (const name of ["connect-proto", "connect-proto-h1", "connect-json"] as const) {
    refused(
      () => protocols[name].answer(RunStepResponseSchema, response(error, { status: 404 })),
      /HTTP 404: .*not_found/,
    );
  }
});

test("request bodies: framed for gRPC and gRPC-Web, bare for Connect, JSON for Connect JSON", () => {
  assert.deepEqual(
    new Uint8Array(protocols.grpc.body(RunStepResponseSchema, answer)),
    new Uint8Array(lengthPrefixed(bytes)),
  );
  assert.deepEqual(
    new Uint8Array(protocols["grpc-web"].body(RunStepResponseSchema, answer)),
    new Uint8Array(lengthPrefixed(bytes)),
  );
  assert.deepEqual(new Uint8Array(protocols["connect-proto"].body(RunStepResponseSchema, answer)), bytes);
  assert.equal(
    protocols["connect-json"].body(RunStepResponseSchema, answer).toString(),
    toJsonString(RunStepResponseSchema, answer),
  );
  assert.equal(protocols.grpc.headers.te, "trailers");
  assert.equal(protocols["connect-proto-h1"].http1, true);
});
