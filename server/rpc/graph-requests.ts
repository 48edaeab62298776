// Decoding the two MasterService requests that carry a whole GraphDef (CreateSession and
// ExtendSession) in slices, so a big graph's request never holds the RPC thread for its whole
// decode (graph/graph-def-wire.ts; docs/architecture.md, "Big graphs and the event loop"). Every
// other request, and a small graph's, is decoded at once. The message and the errors are
// fromBinary's.
//
// The fast paths (rpc/unary-call.ts) decode requests themselves: binary ones with decodeRequest,
// JSON ones (Connect, gRPC and gRPC-Web alike) with decodeJsonRequest, which reads a big graph's
// JSON on a thread of its own (json-graph-thread.ts). connect-es decodes a request before the
// handler sees it, from the method's input descriptor, and has no hook for that; so for the binary
// encodings (Connect, gRPC and gRPC-Web with protobuf bodies) the two methods are served by a
// handler whose input descriptor lacks the graph_def field: connect-es then keeps the graph's bytes
// as an unknown field, undecoded, and the handler decodes the request again from those bytes, in
// slices. JSON requests keep the ordinary handler there (JSON has no unknown-field passthrough):
// connect-es reads them whole, which only the calls the fast paths leave to it come to.

import {
  clone,
  createFileRegistry,
  type DescFile,
  type DescMessage,
  type DescMethod,
  fromBinary,
  fromJsonString,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import type { UniversalHandler } from "@connectrpc/connect/protocol";
import {
  CreateSessionRequestSchema,
  ExtendSessionRequestSchema,
  file_tensorflow_core_protobuf_master,
} from "../../gen/tensorflow/core/protobuf/master_pb.js";
import { runInSlices } from "../engine/framework/slices.js";
import { fromBinaryWithGraphSliced, SLICED_DECODE_MIN_BYTES } from "../engine/graph/graph-def-wire.js";
import { jsonToBinaryOffThread } from "./json-graph-thread.js";

/** The graph_def field numbers of master.proto's requests that carry one. */
const graphDefField = new Map<string, number>([
  [CreateSessionRequestSchema.typeName, 1],
  [ExtendSessionRequestSchema.typeName, 2],
]);

/** fromBinary(schema, bytes), in slices for a big CreateSession or ExtendSession request. */
export function decodeRequest<D extends DescMessage>(
  schema: D,
  bytes: Uint8Array,
): MessageShape<D> | Promise<MessageShape<D>> {
  const field = graphDefField.get(schema.typeName);
  if (field === undefined || bytes.length < SLICED_DECODE_MIN_BYTES) return fromBinary(schema, bytes);
  return runInSlices(fromBinaryWithGraphSliced(schema, bytes, field));
}

/** connect-es's JSON options for MasterService (app.ts: unknown fields are refused). */
const jsonOptions = { ignoreUnknownFields: false };
const textDecoder = new TextDecoder();

/**
 * fromJsonString(schema, UTF-8 `body`) as connect-es reads JSON, with its errors. A big
 * CreateSession or ExtendSession body is read on the JSON thread (json-graph-thread.ts) and comes
 * back in binary, decoded here in slices: the RPC thread never parses it in one piece.
 */
export async function decodeJsonRequest<D extends DescMessage>(
  schema: D,
  body: Uint8Array,
): Promise<MessageShape<D>> {
  if (!graphDefField.has(schema.typeName) || body.length < SLICED_DECODE_MIN_BYTES) {
    return fromJsonString(schema, textDecoder.decode(body), jsonOptions);
  }
  return decodeRequest(schema, await jsonToBinaryOffThread(schema.typeName, body));
}

/**
 * master.proto's two requests without their graph_def field, under the same names (in a registry
 * of their own), so errors that name a message read as they do for the real one.
 */
function graphlessRequests(): Map<string, DescMessage> {
  const file = file_tensorflow_core_protobuf_master;
  const proto = clone(FileDescriptorProtoSchema, file.proto);
  proto.name = `tfgate/graph-deferred/${proto.name}`;
  for (const m of proto.messageType) {
    const field = graphDefField.get(`${proto.package}.${m.name}`);
    if (field !== undefined) m.field = m.field.filter((f) => f.number !== field);
  }
  const deps = new Map<string, DescFile>();
  const visit = (d: DescFile): void => {
    if (deps.has(d.proto.name)) return;
    deps.set(d.proto.name, d);
    for (const dep of d.dependencies) visit(dep);
  };
  for (const dep of file.dependencies) visit(dep);
  const registry = createFileRegistry(proto, (name) => deps.get(name));
  const out = new Map<string, DescMessage>();
  for (const typeName of graphDefField.keys()) {
    const desc = registry.getMessage(typeName);
    if (desc === undefined) throw new Error(`master.proto has no ${typeName}`);
    out.set(typeName, desc);
  }
  return out;
}

/** Content types whose body is protobuf binary (the JSON ones name json). */
const binaryContentType =
  /^application\/(proto|connect\+proto|grpc|grpc\+proto|grpc-web|grpc-web\+proto)(;|$)/i;

type UnaryImpl = (req: never, ctx: HandlerContext) => Promise<unknown>;

/**
 * Makes the router's CreateSession and ExtendSession handlers (both service names) decode binary
 * requests' graphs in slices. `impl` is the service implementation the router was given.
 */
export function decodeGraphsInSlices(router: ConnectRouter, service: object): void {
  const impl = service as { readonly [method: string]: UnaryImpl | undefined };
  const graphless = graphlessRequests();
  const count = router.handlers.length;
  for (let i = 0; i < count; i++) {
    const ordinary = router.handlers[i]!;
    const real = ordinary.method.input;
    const input = graphless.get(real.typeName);
    const call = impl[ordinary.method.localName];
    if (input === undefined || call === undefined || ordinary.method.methodKind !== "unary") continue;
    const method = { ...ordinary.method, input } as DescMethod;
    const serve = async (partial: MessageShape<DescMessage>, ctx: HandlerContext) => {
      // The graph's record is still in the message, as an unknown field: the bytes round-trip.
      let req: MessageShape<DescMessage>;
      try {
        req = await decodeRequest(real, toBinary(input, partial));
      } catch (e) {
        // What connect-es answers for a request it cannot decode.
        throw new ConnectError(`parse binary: ${e instanceof Error ? e.message : String(e)}`, Code.Internal);
      }
      return call(req as never, ctx);
    };
    router.rpc(method, serve as never);
    const deferred = router.handlers.pop()!;
    const handler = (request: Parameters<UniversalHandler>[0]) =>
      binaryContentType.test(request.header.get("Content-Type") ?? "")
        ? deferred(request)
        : ordinary(request);
    router.handlers[i] = Object.assign(handler, {
      service: ordinary.service,
      method: ordinary.method,
      requestPath: ordinary.requestPath,
      protocolNames: ordinary.protocolNames,
      allowedMethods: ordinary.allowedMethods,
      supportedContentType: ordinary.supportedContentType,
    });
  }
}
