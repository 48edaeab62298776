// The thread that reads big graph requests' JSON (json-graph-thread.ts): each request's body is
// parsed and converted as connect-es reads JSON (unknown fields refused), and answered in binary.

import { parentPort } from "node:worker_threads";
import { type DescMessage, fromJsonString, toBinary } from "@bufbuild/protobuf";
import {
  CreateSessionRequestSchema,
  ExtendSessionRequestSchema,
} from "../../gen/tensorflow/core/protobuf/master_pb.js";

export interface JsonGraphRequest {
  readonly id: number;
  readonly typeName: string;
  readonly body: Uint8Array;
}

export type JsonGraphReply =
  | { readonly id: number; readonly bytes: Uint8Array }
  | { readonly id: number; readonly error: string };

const schemas = new Map<string, DescMessage>(
  [CreateSessionRequestSchema, ExtendSessionRequestSchema].map((s) => [s.typeName, s]),
);
const textDecoder = new TextDecoder();

function convert(request: JsonGraphRequest): JsonGraphReply {
  const schema = schemas.get(request.typeName);
  if (schema === undefined)
    return { id: request.id, error: `no JSON graph request named ${request.typeName}` };
  try {
    const message = fromJsonString(schema, textDecoder.decode(request.body), { ignoreUnknownFields: false });
    return { id: request.id, bytes: toBinary(schema, message) };
  } catch (e) {
    return { id: request.id, error: e instanceof Error ? e.message : String(e) };
  }
}

parentPort?.on("message", (request: JsonGraphRequest) => {
  const reply = convert(request);
  parentPort?.postMessage(reply, "bytes" in reply ? [reply.bytes.buffer as ArrayBuffer] : []);
});
