// The gRPC fast path: unary MasterService calls over HTTP/2 (h2c and TLS h2), served on node:http2's
// stream API instead of Fastify's compat layer and connect-es. A small RunStep spent most of its
// server CPU in that machinery (Http2ServerRequest/Response, per-call AbortControllers, async
// iterable pipes, their garbage); here a call is one HEADERS frame in, one buffered body, one
// engine call and one write of the response chunks (rpc/run-step-codec.ts), which is the shape of
// TF's own gRPC server (docs/architecture.md, "Request path"; docs/benchmarks.md has the numbers).
//
// Only the calls that need nothing but this path are claimed, decided from the HEADERS alone: POST,
// content-type application/grpc, application/grpc+proto or application/grpc+json (a big graph's
// JSON is then read off the RPC thread, rpc/graph-requests.ts), a MasterService method under either
// name, an allowed Host, a well-formed grpc-timeout and a request encoding we decode. Anything else
// (and every other path and protocol but Connect and gRPC-Web, which have their own fast path in
// rpc/web-unary.ts, sharing this module's body reader, timeout parsing and encoding negotiation)
// goes to Fastify + connect-es, which answer the odd cases (403 for a foreign Host,
// INVALID_ARGUMENT for a bad grpc-timeout, UNIMPLEMENTED for an unknown grpc-encoding) in the one
// place they are implemented. What happens to a claimed call between its HEADERS and its answer
// (deadline, cancellation, authentication, body limits, decoding, the engine call, metrics and
// the log line) is rpc/unary-call.ts, shared with the other fast path; this module is the gRPC
// framing around it: which streams it claims, the request's frames and the response's HEADERS,
// DATA and trailers. The wire answers are connect-es's: the same status codes and messages
// (grpc-message percent-encoded as it does), response content-type application/grpc+proto or
// application/grpc+json, JSON written as connect-es writes it, compression negotiated the same
// way; errors go out as gRPC trailers-only responses (one HEADERS frame that ends the stream).

import http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";
import { isAllowedHost } from "../auth/host-check.js";
import type { RpcEncoding, RpcTracker } from "../metrics.js";
import { requestBodyPool } from "./body-pool.js";
import { afterWrites, http2Exchange } from "./http-exchange.js";
import type { MasterCalls } from "./master-service.js";
import type { EncodedMessage } from "./run-step-codec.js";
import { BodyGather, feedContentPaths } from "./shared-body.js";
import {
  asConnectError,
  buildRoutes,
  encodeResponse,
  header,
  inFlightCalls,
  type Route,
  serveUnaryCall,
  sizeLimitError,
  type UnaryCallOptions,
  type UnaryReply,
} from "./unary-call.js";

export interface GrpcUnaryOptions extends UnaryCallOptions {
  readonly calls: MasterCalls;
  /** Largest response message (connect's writeMaxBytes). */
  readonly writeMaxBytes: number;
  /** Responses this long or longer are compressed when the client accepts an encoding we have. */
  readonly compressMinBytes: number;
  /** The encodings accepted on requests and offered on responses, in preference order. */
  readonly compressions: readonly Compression[];
  readonly allowedHosts: readonly string[] | undefined;
  /**
   * Sent on every response besides the gRPC ones (the CORS headers a request without Origin gets
   * from Fastify: requests with an Origin are left to Fastify).
   */
  readonly responseHeaders: Readonly<Record<string, string>>;
}

/** Takes a new HTTP/2 stream if this path serves it (true), else leaves it to the next handler. */
export type StreamClaim = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => boolean;

const http2constants = http2.constants;
const frameHeaderBytes = 5;
/** connect-es's gRPC content types: the JSON ones capture "json". */
const grpcContentType = /^application\/grpc(?:\+(?:(json)(?:; ?charset=utf-?8)?|proto))?$/i;
const responseContentTypes: Readonly<Record<RpcEncoding, string>> = {
  proto: "application/grpc+proto",
  json: "application/grpc+json",
};
const grpcTimeout = /^(\d{1,8})([HMSmun])$/;
const timeoutUnitMs: Readonly<Record<string, number>> = {
  H: 3_600_000,
  M: 60_000,
  S: 1000,
  m: 1,
  u: 1e-3,
  n: 1e-6,
};

/** The grpc-timeout header in milliseconds; undefined when absent, NaN when malformed. */
export function parseGrpcTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = grpcTimeout.exec(value);
  if (match === null) return Number.NaN;
  return Number(match[1]) * (timeoutUnitMs[match[2] ?? ""] ?? Number.NaN);
}

/** The claim for the one-port server: serves what this path takes, declines the rest. */
export function createGrpcUnaryHandler(options: GrpcUnaryOptions): StreamClaim {
  const routes = buildRoutes(options.calls);
  const byName = new Map(options.compressions.map((c) => [c.name, c]));
  const inFlight = inFlightCalls(options.shutdownSignal);
  return (stream, headers) => {
    if (headers[":method"] !== "POST") return false;
    const route = routes.get(headers[":path"] ?? "");
    if (route === undefined) return false;
    const type = grpcContentType.exec(header(headers, "content-type") ?? "");
    if (type === null) return false;
    const messageEncoding: RpcEncoding = type[1] === undefined ? "proto" : "json";
    if (headers.origin !== undefined) return false;
    if (!isAllowedHost(header(headers, "host") ?? header(headers, ":authority"), options.allowedHosts))
      return false;
    const timeoutMs = parseGrpcTimeout(header(headers, "grpc-timeout"));
    if (Number.isNaN(timeoutMs)) return false;
    const encoding = header(headers, "grpc-encoding");
    const requestCompression =
      encoding === undefined || encoding === "identity" ? null : byName.get(encoding);
    if (requestCompression === undefined) return false;
    const responseCompression = negotiateResponse(
      options.compressions,
      requestCompression,
      header(headers, "grpc-accept-encoding"),
    );
    try {
      serveUnaryCall(
        http2Exchange(stream, headers),
        route,
        { protocol: "grpc", encoding: messageEncoding, timeoutMs, requestCompression },
        {
          // A large binary request goes into shared memory placed for its first feed (shared-body.ts).
          body: new BodyReader(
            options.readMaxBytes,
            messageEncoding === "proto" ? feedContentPaths[route.input.typeName] : undefined,
          ),
          reply: (tracker) => new Reply(stream, tracker, messageEncoding, responseCompression, options),
          closedMessage: "the client closed the http/2 stream",
        },
        options,
        inFlight,
      );
    } catch (error) {
      // A bug here must cost one call, not the process (this runs inside the server's emit).
      options.log.warn({ err: error, rpc: headers[":path"] }, "grpc fast path failed");
      if (!stream.destroyed) stream.close(http2constants.NGHTTP2_INTERNAL_ERROR);
    }
    return true;
  };
}

/** As connect-es: the first accepted encoding we have, else (no accept list) the request's own. */
export function negotiateResponse(
  available: readonly Compression[],
  request: Compression | null,
  accepted: string | undefined,
): Compression | null {
  if (accepted === undefined || accepted === "") return request;
  for (const name of accepted.split(",")) {
    const found = available.find((c) => c.name === name.trim());
    if (found !== undefined) return found;
  }
  return null;
}

/**
 * Collects a unary request body and splits it into gRPC frames as connect-es does: exactly one
 * message, none larger than readMaxBytes (checked as soon as a frame header arrives).
 */
export class BodyReader {
  private readonly body: BodyGather;
  /** Where the next frame header starts. */
  private nextFrame = 0;

  /** `alignPath`: the feed bytes a large body is placed for (shared-body.ts). */
  constructor(
    private readonly readMaxBytes: number,
    alignPath?: readonly number[],
  ) {
    this.body = new BodyGather(frameHeaderBytes, alignPath, requestBodyPool);
  }

  /** The pooled memory that holds exactly this body, if any (BodyGather.pooledMemory). */
  pooledMemory(): SharedArrayBuffer | undefined {
    return this.body.pooledMemory();
  }

  /** Adds a chunk; returns the error when a frame announces more than readMaxBytes. */
  push(chunk: Buffer): ConnectError | undefined {
    const body = this.body;
    body.push(chunk);
    while (body.length - this.nextFrame >= frameHeaderBytes) {
      const size = this.uint32At(this.nextFrame + 1);
      if (size > this.readMaxBytes) {
        return sizeLimitError(size, "readMaxBytes", this.readMaxBytes);
      }
      // The first frame's length is what a large body is placed for (a unary call has one frame).
      if (this.nextFrame === 0) {
        if ((body.byteAt(0) & 1) === 1) body.keepOrdinary();
        else body.expect(frameHeaderBytes + size);
      }
      this.nextFrame += frameHeaderBytes + size;
    }
    return undefined;
  }

  /** The big-endian uint32 at `offset` of the body. */
  private uint32At(offset: number): number {
    let value = 0;
    for (let i = 0; i < 4; i++) value = value * 256 + this.body.byteAt(offset + i);
    return value;
  }

  private bytes(): Buffer {
    return this.body.bytes();
  }

  /**
   * The first request message, decompressed; the errors connect-es gives when there is none or it
   * is cut short (thrown, or the promise's, when the message was compressed). Synchronous for an
   * uncompressed message: a small call waits for nothing here.
   */
  message(compression: Compression | null, readMaxBytes: number): Uint8Array | Promise<Uint8Array> {
    if (this.bytes().length === 0) {
      throw new ConnectError("protocol error: missing input message for unary method", Code.Unimplemented);
    }
    return this.messageAt(0, compression, readMaxBytes);
  }

  /**
   * What follows the first message: undefined when nothing does, else the second message
   * (decompressed), which connect-es decodes before it refuses it; the error for a partial one.
   */
  second(
    compression: Compression | null,
    readMaxBytes: number,
  ): Uint8Array | Promise<Uint8Array> | undefined {
    const all = this.bytes();
    const next = frameHeaderBytes + all.readUInt32BE(1);
    if (next === all.length) return undefined;
    return this.messageAt(next, compression, readMaxBytes);
  }

  /** The message framed at `offset`, decompressed. */
  private messageAt(
    offset: number,
    compression: Compression | null,
    readMaxBytes: number,
  ): Uint8Array | Promise<Uint8Array> {
    const all = this.bytes();
    const start = offset + frameHeaderBytes;
    if (all.length < start || all.length < start + all.readUInt32BE(offset + 1)) {
      throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
    }
    const data: Uint8Array = all.subarray(start, start + all.readUInt32BE(offset + 1));
    if (((all[offset] ?? 0) & 1) === 0) return data;
    if (compression === null) {
      throw new ConnectError(
        "received compressed envelope, but do not know how to decompress",
        Code.Internal,
      );
    }
    return compression.decompress(data, readMaxBytes);
  }
}

/**
 * A response message as one gRPC (and gRPC-Web) frame, in the frame header's bytes the encoder
 * reserved in front: flags 0, or compressed with `compression` (a new buffer) and flags 1.
 */
export function frameMessage(
  encoded: EncodedMessage,
  compression: Compression | null,
): EncodedMessage | Promise<EncodedMessage> {
  if (compression === null) return withFrameHeader(encoded, 0);
  const whole = Buffer.concat(encoded.chunks).subarray(frameHeaderBytes);
  return compression.compress(whole).then((compressed) => {
    const out = Buffer.allocUnsafe(frameHeaderBytes + compressed.byteLength);
    out.set(compressed, frameHeaderBytes);
    return withFrameHeader({ chunks: [out], byteLength: compressed.byteLength }, 1);
  });
}

function withFrameHeader(encoded: EncodedMessage, flags: number): EncodedMessage {
  const first = encoded.chunks[0] as Uint8Array;
  first[0] = flags;
  new DataView(first.buffer, first.byteOffset, frameHeaderBytes).setUint32(1, encoded.byteLength);
  return encoded;
}

/** Writes the one answer of a call: the message and grpc-status 0, or a trailers-only error. */
class Reply implements UnaryReply {
  sent = false;

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    private readonly tracker: RpcTracker,
    private readonly encoding: RpcEncoding,
    private readonly compression: Compression | null,
    private readonly options: GrpcUnaryOptions,
  ) {}

  private responseHeaders(): http2.OutgoingHttpHeaders {
    return grpcResponseHeaders(this.options.responseHeaders, this.encoding, this.compression);
  }

  async message(route: Route, response: unknown, written?: () => void): Promise<void> {
    if (this.sent || this.stream.destroyed) return;
    let encoded: EncodedMessage;
    try {
      encoded = encodeResponse(route, this.encoding, response, frameHeaderBytes);
      if (encoded.byteLength > this.options.writeMaxBytes) {
        throw sizeLimitError(encoded.byteLength, "writeMaxBytes", this.options.writeMaxBytes);
      }
      const compresses = encoded.byteLength >= this.options.compressMinBytes;
      const framed = frameMessage(encoded, compresses ? this.compression : null);
      encoded = framed instanceof Promise ? await framed : framed;
    } catch (error) {
      this.error(error);
      return;
    }
    if (this.sent || this.stream.destroyed) return;
    this.sent = true;
    this.tracker.succeeded(response);
    const stream = this.stream;
    stream.respond(
      successHeaders(this.options.responseHeaders, this.encoding, this.compression),
      respondWithTrailers,
    );
    // "wantTrailers" comes once per stream: a shared listener, no closure or once-wrapper per call.
    stream.on("wantTrailers", sendOkTrailers);
    stream.cork();
    for (const chunk of encoded.chunks) stream.write(chunk);
    stream.uncork();
    // A stream finishes once every write's bytes went to the socket, not merely to nghttp2.
    stream.end(written === undefined ? undefined : afterWrites(written));
  }

  /** Answers with `error` in one HEADERS frame (see UnaryReply.error for `handled`). */
  error(error: unknown, handled = true): void {
    if (this.sent || this.stream.destroyed) return;
    this.sent = true;
    const e = asConnectError(error);
    this.tracker.failed(e, handled);
    const headers: http2.OutgoingHttpHeaders = this.responseHeaders();
    e.metadata.forEach((value, key) => {
      headers[key] = value;
    });
    headers["grpc-status"] = String(e.code);
    headers["grpc-message"] = encodeURIComponent(e.rawMessage);
    this.stream.respond(headers, { endStream: true });
  }
}

const okTrailers: Readonly<http2.OutgoingHttpHeaders> = Object.freeze({ "grpc-status": "0" });
const respondWithTrailers: Readonly<http2.ServerStreamResponseOptions> = Object.freeze({
  waitForTrailers: true,
});

function sendOkTrailers(this: http2.ServerHttp2Stream): void {
  this.sendTrailers(okTrailers);
}

function grpcResponseHeaders(
  extra: Readonly<Record<string, string>>,
  encoding: RpcEncoding,
  compression: Compression | null,
): http2.OutgoingHttpHeaders {
  const headers: http2.OutgoingHttpHeaders = {
    ":status": 200,
    ...extra,
    "content-type": responseContentTypes[encoding],
  };
  if (compression !== null) headers["grpc-encoding"] = compression.name;
  return headers;
}

/**
 * A success answer's HEADERS, built once per server options, encoding and compression: Node's
 * respond() copies what it is given, so one frozen object serves every call.
 */
const builtSuccessHeaders = new WeakMap<object, Map<string, Readonly<http2.OutgoingHttpHeaders>>>();

function successHeaders(
  extra: Readonly<Record<string, string>>,
  encoding: RpcEncoding,
  compression: Compression | null,
): Readonly<http2.OutgoingHttpHeaders> {
  let byKind = builtSuccessHeaders.get(extra);
  if (byKind === undefined) {
    byKind = new Map();
    builtSuccessHeaders.set(extra, byKind);
  }
  const kind = compression === null ? encoding : `${encoding} ${compression.name}`;
  let headers = byKind.get(kind);
  if (headers === undefined) {
    headers = Object.freeze(grpcResponseHeaders(extra, encoding, compression));
    byKind.set(kind, headers);
  }
  return headers;
}
