// The gRPC fast path: unary MasterService calls over HTTP/2 (h2c and TLS h2), served on node:http2's
// stream API instead of Fastify's compat layer and connect-es. A small RunStep spent most of its
// server CPU in that machinery (Http2ServerRequest/Response, per-call AbortControllers, async
// iterable pipes, their garbage); here a call is one HEADERS frame in, one buffered body, one
// engine call and one write of the response chunks (rpc/run-step-codec.ts), which is the shape of
// TF's own gRPC server (docs/architecture.md, "Request path"; docs/benchmarks.md has the numbers).
//
// Only the calls that need nothing but this path are claimed, decided from the HEADERS alone: POST,
// content-type application/grpc or application/grpc+proto, a MasterService method under either
// name, an allowed Host, a well-formed grpc-timeout and a request encoding we decode. Anything else
// (and every other path and protocol but Connect and gRPC-Web, which have their own fast path in
// rpc/web-unary.ts, sharing this module's routes, body reader and log helpers) goes to Fastify +
// connect-es, which answer the odd cases (403 for a foreign Host, INVALID_ARGUMENT for a bad
// grpc-timeout, UNIMPLEMENTED for an unknown grpc-encoding) in the one place they are implemented. What both paths do for a claimed
// call is shared, not copied: the engine calls, cancellation, deadline and error mapping
// (rpc/master-service.ts), authentication (auth/), metrics and the log line (metrics.ts). The wire
// answers are connect-es's: the same status codes and messages (grpc-message percent-encoded as it
// does), response content-type application/grpc+proto, compression negotiated the same way; errors
// go out as gRPC trailers-only responses (one HEADERS frame that ends the stream).

import http2 from "node:http2";
import { type DescMessage, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";
import type { AuthResult } from "../auth/authenticator.js";
import { isAllowedHost } from "../auth/host-check.js";
import type { GatewayMetrics, RpcLog, RpcTracker } from "../metrics.js";
import { decodeRequest } from "./graph-requests.js";
import type { MasterCalls, RpcCall } from "./master-service.js";
import { type EncodedMessage, encodeRunCallableResponse, encodeRunStepResponse } from "./run-step-codec.js";
import { MasterServiceProtoPath, MasterServiceTfPath } from "./services.js";
import { BodyGather, feedContentPaths } from "./shared-body.js";

export interface GrpcUnaryOptions {
  readonly calls: MasterCalls;
  /** Largest request message, after decompression (connect's readMaxBytes). */
  readonly readMaxBytes: number;
  /** Largest response message (connect's writeMaxBytes). */
  readonly writeMaxBytes: number;
  /** Responses this long or longer are compressed when the client accepts an encoding we have. */
  readonly compressMinBytes: number;
  /** The encodings accepted on requests and offered on responses, in preference order. */
  readonly compressions: readonly Compression[];
  readonly allowedHosts: readonly string[] | undefined;
  authenticate(authorization: string | undefined, remoteAddress: string | undefined): Promise<AuthResult>;
  /**
   * Sent on every response besides the gRPC ones (the CORS headers a request without Origin gets
   * from Fastify: requests with an Origin are left to Fastify).
   */
  readonly responseHeaders: Readonly<Record<string, string>>;
  /** Aborted (with the ConnectError to answer) when in-flight calls must stop for shutdown. */
  readonly shutdownSignal: AbortSignal;
  readonly metrics: Pick<GatewayMetrics, "startRpc">;
  readonly log: RpcLog;
}

/** Takes a new HTTP/2 stream if this path serves it (true), else leaves it to the next handler. */
export type StreamClaim = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => boolean;

/** A MasterService method as the fast paths serve it (rpc/web-unary.ts shares these). */
export interface Route {
  readonly service: string;
  readonly method: string;
  readonly input: DescMessage;
  readonly output: DescMessage;
  /** The response with `reserve` bytes in front (the frame header). */
  encode(response: never, reserve: number): EncodedMessage;
  readonly call: (req: never, call: RpcCall) => Promise<unknown>;
}

const http2constants = http2.constants;
const maxTimerMs = 2 ** 31 - 1;
const frameHeaderBytes = 5;
const responseContentType = "application/grpc+proto";
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

/** Both service names' methods by path. */
export function buildRoutes(calls: MasterCalls): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const service of [MasterServiceProtoPath, MasterServiceTfPath]) {
    for (const method of service.methods) {
      const name = method.localName as keyof MasterCalls;
      const encode =
        name === "runStep"
          ? encodeRunStepResponse
          : name === "runCallable"
            ? encodeRunCallableResponse
            : (res: MessageShape<DescMessage>, reserve: number) => encodeWhole(method.output, res, reserve);
      routes.set(`/${service.typeName}/${method.name}`, {
        service: service.typeName,
        method: method.name,
        input: method.input,
        output: method.output,
        encode: encode as Route["encode"],
        call: calls[name] as Route["call"],
      });
    }
  }
  return routes;
}

function encodeWhole(
  schema: DescMessage,
  message: MessageShape<DescMessage>,
  reserve: number,
): EncodedMessage {
  const body = toBinary(schema, message);
  const out = Buffer.allocUnsafe(reserve + body.length);
  out.fill(0, 0, reserve);
  out.set(body, reserve);
  return { chunks: [out], byteLength: body.length };
}

/** A request header as one string (repeated values joined as Node joins them). */
export function header(headers: http2.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The claim for the one-port server: serves what this path takes, declines the rest. */
export function createGrpcUnaryHandler(options: GrpcUnaryOptions): StreamClaim {
  const routes = buildRoutes(options.calls);
  const byName = new Map(options.compressions.map((c) => [c.name, c]));
  const inFlight = new Set<(reason: unknown) => void>();
  options.shutdownSignal.addEventListener("abort", () => {
    for (const abort of inFlight) abort(options.shutdownSignal.reason);
  });
  return (stream, headers) => {
    if (headers[":method"] !== "POST") return false;
    const route = routes.get(headers[":path"] ?? "");
    if (route === undefined) return false;
    const type = header(headers, "content-type")?.toLowerCase();
    if (type !== "application/grpc" && type !== "application/grpc+proto") return false;
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
      serve(stream, headers, route, {
        timeoutMs,
        requestCompression,
        responseCompression,
        options,
        inFlight,
      });
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

let callsServed = 0;

/** One call's log: the reqId is spelled out only for a line that is written. */
class CallLog {
  constructor(
    private readonly log: RpcLog,
    private readonly prefix: string,
    private readonly n: number,
  ) {}

  info(line: object, message: string): void {
    this.log.info({ reqId: `${this.prefix}-${this.n}`, ...line }, message);
  }

  warn(line: object, message: string): void {
    this.log.warn({ reqId: `${this.prefix}-${this.n}`, ...line }, message);
  }
}

/**
 * The log for one call: its lines carry a reqId as Fastify's do ("grpc-<n>" for this path,
 * "connect-<n>" and "grpc-web-<n>" for rpc/web-unary.ts, "req-<n>" for Fastify).
 */
export function callLog(log: RpcLog, prefix = "grpc"): RpcLog {
  return new CallLog(log, prefix, ++callsServed) as unknown as RpcLog;
}

/** For the "error" events of a stream whose end is handled on "close". */
const ignore = (): void => {};
const noDeadline = (): undefined => undefined;

interface CallSetup {
  readonly timeoutMs: number | undefined;
  readonly requestCompression: Compression | null;
  readonly responseCompression: Compression | null;
  readonly options: GrpcUnaryOptions;
  /** Each in-flight call's way to end it for shutdown. */
  readonly inFlight: Set<(reason: unknown) => void>;
}

function serve(
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  route: Route,
  setup: CallSetup,
): void {
  const { options, inFlight } = setup;
  const tracker = options.metrics.startRpc(
    route,
    { protocol: "grpc", encoding: "proto" },
    callLog(options.log),
  );
  const controller = new AbortController();
  const deadline = setup.timeoutMs === undefined ? undefined : Date.now() + setup.timeoutMs;
  // Node's timers hold at most 2^31-1 ms (24.8 days) and fire at once for longer delays (connect-es
  // has that bug: "1000H" times out immediately); a deadline that far away never fires here.
  const timer =
    setup.timeoutMs === undefined || setup.timeoutMs > maxTimerMs
      ? undefined
      : setTimeout(
          () => controller.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded)),
          setup.timeoutMs,
        );
  // A stream reset by the client (or closed with its session) can still emit an error; the call's
  // end is handled on "close".
  stream.on("error", ignore);
  stream.once("close", () => {
    clearTimeout(timer);
    inFlight.delete(shutdown);
    // A stream that closes before its answer was written was reset or lost with its session: the
    // engine's step is cancelled. After the answer there is nothing left to cancel (and no error
    // to build: a ConnectError captures a stack).
    if (!reply.sent && !controller.signal.aborted) {
      controller.abort(new ConnectError("the client closed the http/2 stream", Code.Canceled));
    }
    tracker.end();
  });
  // Authentication runs while the body arrives (a JWT check can take a moment).
  const auth: Authentication = {
    pending: options.authenticate(header(headers, "authorization"), stream.session?.socket?.remoteAddress),
    result: undefined,
  };
  auth.pending.then((result) => {
    auth.result = result;
  }, ignore);
  const reply = new Reply(stream, tracker, setup.responseCompression, options);
  // The client gets the shutdown's UNAVAILABLE (app.ts): a code that tells it to retry elsewhere.
  const shutdown = (reason: unknown): void => {
    controller.abort(reason);
    reply.error(reason);
  };
  inFlight.add(shutdown);
  const body = new BodyReader(options.readMaxBytes, feedContentPaths[route.input.typeName]);
  stream.on("data", (chunk: Buffer) => {
    const tooLarge = body.push(chunk);
    if (tooLarge !== undefined) {
      stream.removeAllListeners("data");
      stream.resume();
      reply.error(tooLarge, false);
    }
  });
  stream.once("end", () => {
    if (reply.sent) return;
    const call = {
      signal: controller.signal,
      timeoutMs: deadline === undefined ? noDeadline : () => deadline - Date.now(),
      // `shutdown` above writes the shutdown's answer as it aborts the signal.
      answersShutdown: true,
    };
    const stage = { handler: false };
    let running: Promise<unknown>;
    try {
      running = run(route, body, setup, auth, call, stage);
    } catch (error) {
      reply.error(error, stage.handler);
      return;
    }
    running.then(
      (response) => reply.message(route, response),
      (error: unknown) => reply.error(error, stage.handler),
    );
  });
}

/** A call's authentication, started with its HEADERS; `result` once it resolved. */
interface Authentication {
  readonly pending: Promise<AuthResult>;
  result: AuthResult | undefined;
}

/**
 * Reads, decodes, authenticates and calls. Plain functions that wait only for what is not there yet
 * (a compressed body, a big graph decoded in slices, an authentication still running): for a small
 * call each stage is synchronous and the engine's promise is the only one (docs/benchmarks.md,
 * "Balancing the RPC loop"). Throws (rather than rejects) what fails synchronously.
 */
function run(
  route: Route,
  body: BodyReader,
  setup: CallSetup,
  auth: Authentication,
  call: Omit<RpcCall, "principal">,
  stage: { handler: boolean },
): Promise<unknown> {
  // connect-es reads and parses the request before its interceptors refuse an unauthenticated call,
  // so a malformed body is reported first on both paths.
  const bytes = body.message(setup.requestCompression, setup.options.readMaxBytes);
  if (bytes instanceof Promise) return bytes.then((b) => decodeAndCall(route, b, auth, call, stage));
  return decodeAndCall(route, bytes, auth, call, stage);
}

function parseError(e: unknown): ConnectError {
  return new ConnectError(`parse binary: ${e instanceof Error ? e.message : String(e)}`, Code.Internal);
}

function decodeAndCall(
  route: Route,
  bytes: Uint8Array,
  auth: Authentication,
  call: Omit<RpcCall, "principal">,
  stage: { handler: boolean },
): Promise<unknown> {
  let request: MessageShape<DescMessage> | Promise<MessageShape<DescMessage>>;
  try {
    // A big graph's request is decoded in slices (rpc/graph-requests.ts).
    request = decodeRequest(route.input, bytes);
  } catch (e) {
    throw parseError(e);
  }
  if (request instanceof Promise) {
    return request.then(
      (decoded) => callAuthenticated(route, decoded, auth, call, stage),
      (e: unknown) => {
        throw parseError(e);
      },
    );
  }
  return callAuthenticated(route, request, auth, call, stage);
}

function callAuthenticated(
  route: Route,
  request: MessageShape<DescMessage>,
  auth: Authentication,
  call: Omit<RpcCall, "principal">,
  stage: { handler: boolean },
): Promise<unknown> {
  // From here on connect-es's interceptors see the call, so its log line carries the failure.
  stage.handler = true;
  const invoke = (caller: AuthResult): Promise<unknown> => {
    if ("denied" in caller) throw new ConnectError(caller.denied, Code.Unauthenticated);
    return route.call(request as never, { ...call, principal: caller.principal });
  };
  return auth.result === undefined ? auth.pending.then(invoke) : invoke(auth.result);
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
    this.body = new BodyGather(frameHeaderBytes, alignPath);
  }

  /** Adds a chunk; returns the error when a frame announces more than readMaxBytes. */
  push(chunk: Buffer): ConnectError | undefined {
    const body = this.body;
    body.push(chunk);
    while (body.length - this.nextFrame >= frameHeaderBytes) {
      const size = this.uint32At(this.nextFrame + 1);
      if (size > this.readMaxBytes) {
        return new ConnectError(
          `message size ${size} is larger than configured readMaxBytes ${this.readMaxBytes}`,
          Code.ResourceExhausted,
        );
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
   * The one request message, decompressed; the errors connect-es gives for any other body (thrown,
   * or the promise's, when the message was compressed). Synchronous for an uncompressed message:
   * a small call waits for nothing here.
   */
  message(compression: Compression | null, readMaxBytes: number): Uint8Array | Promise<Uint8Array> {
    const all = this.bytes();
    if (all.length === 0) {
      throw new ConnectError("protocol error: missing input message for unary method", Code.Unimplemented);
    }
    const first = frameHeaderBytes + (all.length >= frameHeaderBytes ? all.readUInt32BE(1) : 0);
    if (all.length < first || all.length < frameHeaderBytes) {
      throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
    }
    const flags = all[0] ?? 0;
    const data: Uint8Array = all.subarray(frameHeaderBytes, first);
    if ((flags & 1) === 1) {
      if (compression === null) {
        throw new ConnectError(
          "received compressed envelope, but do not know how to decompress",
          Code.Internal,
        );
      }
      return compression.decompress(data, readMaxBytes).then((inflated) => {
        BodyReader.checkRest(all, first);
        return inflated;
      });
    }
    BodyReader.checkRest(all, first);
    return data;
  }

  /** Refuses a body with more after its first message (a second message, or part of one). */
  private static checkRest(all: Buffer, first: number): void {
    const rest = all.length - first;
    if (rest > 0) {
      const complete = rest >= frameHeaderBytes && rest >= frameHeaderBytes + all.readUInt32BE(first + 1);
      throw complete
        ? new ConnectError(
            "protocol error: received extra input message for unary method",
            Code.Unimplemented,
          )
        : new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
    }
  }
}

/** Writes the one answer of a call: the message and grpc-status 0, or a trailers-only error. */
class Reply {
  sent = false;

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    private readonly tracker: RpcTracker,
    private readonly compression: Compression | null,
    private readonly options: GrpcUnaryOptions,
  ) {}

  private responseHeaders(): http2.OutgoingHttpHeaders {
    const headers: http2.OutgoingHttpHeaders = {
      ":status": 200,
      ...this.options.responseHeaders,
      "content-type": responseContentType,
    };
    if (this.compression !== null) headers["grpc-encoding"] = this.compression.name;
    return headers;
  }

  async message(route: Route, response: unknown): Promise<void> {
    if (this.sent || this.stream.destroyed) return;
    let encoded: EncodedMessage;
    try {
      encoded = route.encode(response as never, frameHeaderBytes);
      if (encoded.byteLength > this.options.writeMaxBytes) {
        throw new ConnectError(
          `message size ${encoded.byteLength} is larger than configured writeMaxBytes ${this.options.writeMaxBytes}`,
          Code.ResourceExhausted,
        );
      }
      if (this.compression !== null && encoded.byteLength >= this.options.compressMinBytes) {
        const whole = Buffer.concat(encoded.chunks).subarray(frameHeaderBytes);
        const compressed = await this.compression.compress(whole);
        const out = Buffer.allocUnsafe(frameHeaderBytes + compressed.length);
        out.set(compressed, frameHeaderBytes);
        encoded = { chunks: [out], byteLength: compressed.length };
        out[0] = 1;
      } else {
        (encoded.chunks[0] as Uint8Array)[0] = 0;
      }
    } catch (error) {
      this.error(error);
      return;
    }
    if (this.sent || this.stream.destroyed) return;
    this.sent = true;
    this.tracker.succeeded(response);
    const first = encoded.chunks[0] as Uint8Array;
    new DataView(first.buffer, first.byteOffset, frameHeaderBytes).setUint32(1, encoded.byteLength);
    const stream = this.stream;
    stream.respond(this.responseHeaders(), { waitForTrailers: true });
    stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.cork();
    for (const chunk of encoded.chunks) stream.write(chunk);
    stream.uncork();
    stream.end();
  }

  /**
   * Answers with `error`. `handled`: the call reached its implementation (the log line names the
   * failure, as connect-es's metrics interceptor does); protocol errors before it log the code only.
   */
  error(error: unknown, handled = true): void {
    if (this.sent || this.stream.destroyed) return;
    this.sent = true;
    const e =
      error instanceof ConnectError
        ? error
        : new ConnectError("internal error", Code.Internal, undefined, undefined, error);
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
