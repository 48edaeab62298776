// The Connect and gRPC-Web fast path: unary MasterService calls in the Connect protocol (a POST of
// the bare message, application/proto or application/json, over HTTP/1.1 or HTTP/2) and in
// gRPC-Web (application/grpc-web, application/grpc-web+proto and application/grpc-web+json, over
// either), served straight off node:http and node:http2 (rpc/http-exchange.ts) instead of Fastify
// and connect-es. The reasons are the gRPC fast path's (rpc/grpc-unary.ts; docs/benchmarks.md has
// the profile and figures): for a small RunStep the per-call framework objects, async-iterable
// pipes and their garbage cost several times the engine's work.
//
// A call is claimed from its request line and headers alone, and only when nothing in them needs
// a rule implemented elsewhere: POST, a MasterService method under either name, one of the content
// types above, an allowed Host, a well-formed deadline header, a request encoding we have.
// Everything else (GET, CORS preflights, streaming content types, gRPC-Web text, unknown
// encodings, a foreign Host, other paths) goes on to Fastify and connect-es untouched, which answer
// it in the one place those answers are implemented. Browsers' calls are served here: their
// answers carry the CORS headers @fastify/cors would add for their Origin (app.ts,
// corsResponseHeaders).
//
// What a client sees is connect-es's, rule for rule (test/web-fast-path.test.ts compares the two
// paths answer by answer): Connect errors as JSON bodies {"code","message"} with connect-es's HTTP
// status for each code; the same order of checks (body size, decompression, decoding, each
// gRPC-Web message in turn, then authentication, then the call); the same messages; responses
// compressed only past --compress-min-bytes and as the client's Accept-Encoding (Connect) or
// grpc-accept-encoding (gRPC-Web) allows; JSON written as connect-es writes it (a big graph's JSON
// is read off the RPC thread, rpc/graph-requests.ts); gRPC-Web's status in a trailer frame at the
// end of the body (HTTP 200 always). The call itself (deadline, cancellation, authentication, body limits,
// decoding, the engine call, metrics and the log line) is rpc/unary-call.ts, shared with the gRPC
// fast path; this module is the Connect and gRPC-Web framing around it.

import { Code, ConnectError } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";
import {
  codeToHttpStatus,
  contentTypeUnaryJson,
  contentTypeUnaryProto,
  errorToJsonBytes,
} from "@connectrpc/connect/protocol-connect";
import { setTrailerStatus, trailerFlag, trailerSerialize } from "@connectrpc/connect/protocol-grpc-web";
import { isAllowedHost } from "../auth/host-check.js";
import type { RpcEncoding, RpcProtocol, RpcTracker } from "../metrics.js";
import type { Http1RequestClaim } from "../net/one-port-server.js";
import { requestBodyPool } from "./body-pool.js";
import {
  BodyReader,
  frameMessage,
  type GrpcUnaryOptions,
  negotiateResponse,
  parseGrpcTimeout,
  type StreamClaim,
} from "./grpc-unary.js";
import { type HttpExchange, http1Exchange, http2Exchange } from "./http-exchange.js";
import { BodyGather, feedContentPaths } from "./shared-body.js";
import {
  asConnectError,
  buildRoutes,
  encodeResponse,
  header,
  type InFlightCalls,
  inFlightCalls,
  type Route,
  serveUnaryCall,
  sizeLimitError,
  type UnaryBody,
  type UnaryReply,
} from "./unary-call.js";

export interface WebUnaryOptions extends GrpcUnaryOptions {
  /**
   * The CORS headers Fastify's @fastify/cors would add to the answer of a request with this Origin
   * (app.ts, corsResponseHeaders): browsers' calls are served here too, their preflights are not.
   */
  corsHeaders(origin: string): Readonly<Record<string, string>>;
}

/** What the headers decided about a claimed call. */
interface Plan {
  readonly protocol: Exclude<RpcProtocol, "grpc">;
  readonly encoding: RpcEncoding;
  readonly timeoutMs: number | undefined;
  readonly requestCompression: Compression | null;
  readonly responseCompression: Compression | null;
  /** The CORS headers every answer carries (those for the request's Origin, if any). */
  readonly responseHeaders: Readonly<Record<string, string>>;
}

const connectUnaryType = /^application\/(?:(json)(?:; ?charset=utf-?8)?|proto)$/i;
/** connect-es's gRPC-Web content types but the text ones (which it refuses): JSON captures "json". */
const grpcWebType = /^application\/grpc-web(?:\+(?:(json)(?:; ?charset=utf-?8)?|proto))?$/i;
const connectTimeout = /^\d{1,10}$/;
const frameHeaderBytes = 5;
/** A successful gRPC-Web call's trailer frame: "grpc-status: 0\r\n". */
const okTrailer = grpcWebTrailerFrame([["grpc-status", "0"]]);

/** The claims for the one-port server: HTTP/2 streams and HTTP/1.1 requests. */
export function createWebUnaryHandlers(options: WebUnaryOptions): {
  readonly stream: StreamClaim;
  readonly http1: Http1RequestClaim;
} {
  const routes = buildRoutes(options.calls);
  const byName = new Map(options.compressions.map((c) => [c.name, c]));
  const inFlight = inFlightCalls(options.shutdownSignal);
  const decide = (method: string | undefined, path: string | undefined, headers: HttpExchange["headers"]) => {
    if (method !== "POST") return undefined;
    const route = routes.get(path ?? "");
    if (route === undefined) return undefined;
    if (!isAllowedHost(header(headers, "host") ?? header(headers, ":authority"), options.allowedHosts))
      return undefined;
    const plan = planCall(headers, byName, options);
    return plan === undefined ? undefined : { route, plan };
  };
  const claim = (exchange: () => HttpExchange, decided: ReturnType<typeof decide>, path: unknown) => {
    if (decided === undefined) return false;
    try {
      serve(exchange(), decided.route, decided.plan, options, inFlight);
    } catch (error) {
      // A bug here must cost one call, not the process (this runs inside the server's emit).
      options.log.warn({ err: error, rpc: path }, "web fast path failed");
    }
    return true;
  };
  return {
    stream: (stream, headers) =>
      claim(
        () => http2Exchange(stream, headers),
        decide(headers[":method"], headers[":path"], headers),
        headers[":path"],
      ),
    http1: (req, res) =>
      claim(() => http1Exchange(req, res), decide(req.method, req.url, req.headers), req.url),
  };
}

/** The protocol, deadline and encodings of a call, or undefined when it is not ours to serve. */
function planCall(
  headers: HttpExchange["headers"],
  byName: ReadonlyMap<string, Compression>,
  options: WebUnaryOptions,
): Plan | undefined {
  const type = header(headers, "content-type");
  if (type === undefined) return undefined;
  const connect = connectUnaryType.exec(type);
  const grpcWebMatch = connect === null ? grpcWebType.exec(type) : null;
  const grpcWeb = grpcWebMatch !== null;
  if (connect === null && !grpcWeb) return undefined;
  const timeoutMs = grpcWeb
    ? parseGrpcTimeout(header(headers, "grpc-timeout"))
    : parseConnectTimeout(header(headers, "connect-timeout-ms"));
  if (Number.isNaN(timeoutMs)) return undefined;
  const encoding = header(headers, grpcWeb ? "grpc-encoding" : "content-encoding");
  const requestCompression = encoding === undefined || encoding === "identity" ? null : byName.get(encoding);
  if (requestCompression === undefined) return undefined;
  const accepted = header(headers, grpcWeb ? "grpc-accept-encoding" : "accept-encoding");
  const origin = header(headers, "origin");
  return {
    protocol: grpcWeb ? "grpc-web" : "connect",
    encoding: (connect ?? grpcWebMatch)?.[1] === undefined ? "proto" : "json",
    timeoutMs,
    requestCompression,
    responseCompression: negotiateResponse(options.compressions, requestCompression, accepted),
    responseHeaders: origin === undefined ? options.responseHeaders : options.corsHeaders(origin),
  };
}

/** connect-timeout-ms in milliseconds; undefined when absent, NaN when malformed. */
function parseConnectTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return connectTimeout.test(value) ? Number(value) : Number.NaN;
}

/** Connect or gRPC-Web framing around the shared call (rpc/unary-call.ts). */
function serve(
  exchange: HttpExchange,
  route: Route,
  plan: Plan,
  options: WebUnaryOptions,
  inFlight: InFlightCalls,
): void {
  // A large binary request goes into shared memory placed for its first feed (rpc/shared-body.ts).
  const feedPath = plan.encoding === "proto" ? feedContentPaths[route.input.typeName] : undefined;
  const connect = plan.protocol === "connect";
  const body: UnaryBody = connect
    ? new ConnectBody(
        options.readMaxBytes,
        header(exchange.headers, "content-length"),
        plan.requestCompression === null ? feedPath : undefined,
      )
    : new BodyReader(options.readMaxBytes, feedPath);
  serveUnaryCall(
    exchange,
    route,
    plan,
    {
      body,
      reply: (tracker) =>
        connect
          ? new ConnectReply(exchange, tracker, plan, options)
          : new GrpcWebReply(exchange, tracker, plan, options),
      closedMessage: "the client closed the connection",
    },
    options,
    inFlight,
  );
}

/**
 * A Connect unary body: the bare message, bounded by readMaxBytes (and by Content-Length). With
 * `alignPath` (an uncompressed binary request), a large body is gathered into shared memory as it
 * arrives, placed for its first feed (rpc/shared-body.ts).
 */
class ConnectBody implements UnaryBody {
  private readonly body: BodyGather;
  private readonly promised: number | undefined;

  constructor(
    private readonly readMaxBytes: number,
    contentLength: string | undefined,
    alignPath: readonly number[] | undefined,
  ) {
    const n = contentLength === undefined ? Number.NaN : Number(contentLength);
    this.promised = Number.isSafeInteger(n) && n >= 0 ? n : undefined;
    this.body = new BodyGather(0, alignPath, requestBodyPool);
    if (this.promised !== undefined && this.promised <= readMaxBytes) this.body.expect(this.promised);
  }

  /**
   * The pooled memory that holds exactly this body, if any (BodyGather.pooledMemory). A body
   * without Content-Length goes into that memory only when joined, so it is joined here.
   */
  pooledMemory(): SharedArrayBuffer | undefined {
    if (this.promised === undefined) this.body.bytes();
    return this.body.pooledMemory();
  }

  private get length(): number {
    return this.body.length;
  }

  /** Adds a chunk; returns the error when the body is (or is announced) larger than allowed. */
  push(chunk: Buffer): ConnectError | undefined {
    if (this.length === 0 && this.promised !== undefined && this.promised > this.readMaxBytes) {
      return sizeLimitError(this.promised, "readMaxBytes", this.readMaxBytes);
    }
    this.body.push(chunk);
    if (this.promised !== undefined && this.length > this.promised) {
      return new ConnectError(
        `protocol error: promised ${this.promised} bytes, received ${this.length}`,
        Code.InvalidArgument,
      );
    }
    if (this.promised === undefined && this.length > this.readMaxBytes) {
      return new ConnectError(
        `message size is larger than configured readMaxBytes ${this.readMaxBytes}`,
        Code.ResourceExhausted,
      );
    }
    return undefined;
  }

  /** Synchronous (throws) unless the body is compressed, as the gRPC frame reader is. */
  message(compression: Compression | null, readMaxBytes: number): Uint8Array | Promise<Uint8Array> {
    if (this.promised !== undefined && this.promised > readMaxBytes) {
      throw sizeLimitError(this.promised, "readMaxBytes", readMaxBytes);
    }
    if (this.promised !== undefined && this.length < this.promised) {
      throw new ConnectError(
        `protocol error: promised ${this.promised} bytes, received ${this.length}`,
        Code.InvalidArgument,
      );
    }
    const bytes = this.body.bytes();
    return compression === null ? bytes : compression.decompress(bytes, readMaxBytes);
  }

  /** A Connect unary body is one message: nothing follows it. */
  second(): undefined {
    return undefined;
  }
}

/** What both replies share: answered once, tracked, the response headers every answer carries. */
abstract class Reply implements UnaryReply {
  sent = false;

  constructor(
    protected readonly exchange: HttpExchange,
    protected readonly tracker: RpcTracker,
    protected readonly plan: Plan,
    protected readonly options: WebUnaryOptions,
  ) {}

  /** False (and nothing to do) once answered or gone. */
  private canAnswer(): boolean {
    return !this.sent && this.exchange.writable();
  }

  async message(route: Route, response: unknown, written?: () => void): Promise<void> {
    if (!this.canAnswer()) return;
    let answer: Answer;
    try {
      answer = await this.encode(route, response);
    } catch (error) {
      this.error(error);
      return;
    }
    if (!this.canAnswer()) return;
    this.sent = true;
    this.tracker.succeeded(response);
    this.exchange.respond(answer.status, answer.headers, answer.chunks, written);
  }

  /** `handled`: the call reached its implementation (rpc/unary-call.ts, UnaryReply.error). */
  error(error: unknown, handled = true): void {
    if (!this.canAnswer()) return;
    this.sent = true;
    const e = asConnectError(error);
    this.tracker.failed(e, handled);
    const answer = this.encodeError(e);
    if (!(answer instanceof Promise)) {
      this.exchange.respond(answer.status, answer.headers, answer.chunks);
      return;
    }
    // Only an error body past --compress-min-bytes takes this turn (it is compressed).
    answer.then(
      (a) => {
        if (this.exchange.writable()) this.exchange.respond(a.status, a.headers, a.chunks);
      },
      (failure: unknown) => {
        this.options.log.warn({ err: failure }, "web fast path: the error answer failed");
        if (this.exchange.writable()) this.exchange.respond(500, {}, []);
      },
    );
  }

  protected abstract encode(route: Route, response: unknown): Promise<Answer>;
  protected abstract encodeError(error: ConnectError): Answer | Promise<Answer>;

  /** The message bytes, or the error connect-es gives for a response over writeMaxBytes. */
  protected checkWriteMax(byteLength: number): void {
    if (byteLength > this.options.writeMaxBytes) {
      throw sizeLimitError(byteLength, "writeMaxBytes", this.options.writeMaxBytes);
    }
  }

  /** True when a body (or gRPC-Web frame) of `byteLength` bytes goes out compressed. */
  protected compresses(byteLength: number): boolean {
    return this.plan.responseCompression !== null && byteLength >= this.options.compressMinBytes;
  }
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | number>;
  readonly chunks: readonly Uint8Array[];
}

/** Connect unary: the bare message with HTTP 200, or a JSON error with the code's HTTP status. */
class ConnectReply extends Reply {
  private get contentType(): string {
    return this.plan.encoding === "proto" ? contentTypeUnaryProto : contentTypeUnaryJson;
  }

  protected async encode(route: Route, response: unknown): Promise<Answer> {
    const { chunks, byteLength } = encodeResponse(route, this.plan.encoding, response, 0);
    this.checkWriteMax(byteLength);
    return this.finish(200, { "content-type": this.contentType }, chunks, byteLength);
  }

  protected encodeError(error: ConnectError): Answer | Promise<Answer> {
    const headers: Record<string, string | number> = { "content-type": contentTypeUnaryJson };
    error.metadata.forEach((value, key) => {
      headers[key] = value;
    });
    const body = errorToJsonBytes(error, {});
    return this.finish(codeToHttpStatus(error.code), headers, [body], body.byteLength);
  }

  /** The answer with the CORS headers, compressed when it should be, and its Content-Length. */
  private finish(
    status: number,
    headers: Record<string, string | number>,
    chunks: readonly Uint8Array[],
    byteLength: number,
  ): Answer | Promise<Answer> {
    const compression = this.plan.responseCompression;
    if (compression === null || !this.compresses(byteLength)) {
      return {
        status,
        headers: { ...this.plan.responseHeaders, ...headers, "content-length": byteLength },
        chunks,
      };
    }
    return compression.compress(concat(chunks, byteLength)).then((compressed) => ({
      status,
      headers: {
        ...this.plan.responseHeaders,
        ...headers,
        "content-encoding": compression.name,
        "content-length": compressed.byteLength,
      },
      chunks: [compressed],
    }));
  }
}

/** gRPC-Web: HTTP 200, the message frame (on success), then the status in a trailer frame. */
class GrpcWebReply extends Reply {
  private headers(): Record<string, string | number> {
    const headers: Record<string, string | number> = {
      ...this.plan.responseHeaders,
      "content-type": grpcWebContentTypes[this.plan.encoding],
    };
    if (this.plan.responseCompression !== null) headers["grpc-encoding"] = this.plan.responseCompression.name;
    return headers;
  }

  protected async encode(route: Route, response: unknown): Promise<Answer> {
    const encoded = encodeResponse(route, this.plan.encoding, response, frameHeaderBytes);
    this.checkWriteMax(encoded.byteLength);
    const framing = frameMessage(
      encoded,
      this.compresses(encoded.byteLength) ? this.plan.responseCompression : null,
    );
    const framed = framing instanceof Promise ? await framing : framing;
    return {
      status: 200,
      headers: this.headers(),
      chunks: [...framed.chunks, await this.trailer(okTrailer)],
    };
  }

  protected encodeError(error: ConnectError): Answer | Promise<Answer> {
    const trailer = new Headers();
    setTrailerStatus(trailer, error);
    const frame = trailerFrame(trailerSerialize(trailer));
    const headers = this.headers();
    if (!this.compresses(frame.byteLength - frameHeaderBytes))
      return { status: 200, headers, chunks: [frame] };
    return this.trailer(frame).then((compressed) => ({ status: 200, headers, chunks: [compressed] }));
  }

  /** A trailer frame, compressed as connect-es compresses every frame past compressMinBytes. */
  private async trailer(frame: Buffer): Promise<Buffer> {
    const compression = this.plan.responseCompression;
    const length = frame.byteLength - frameHeaderBytes;
    if (compression === null || !this.compresses(length)) return frame;
    const compressed = await compression.compress(frame.subarray(frameHeaderBytes));
    return trailerFrame(compressed, trailerFlag | 1);
  }
}

const grpcWebContentTypes: Readonly<Record<RpcEncoding, string>> = {
  proto: "application/grpc-web+proto",
  json: "application/grpc-web+json",
};

function trailerFrame(data: Uint8Array, flags = trailerFlag): Buffer {
  const out = Buffer.allocUnsafe(frameHeaderBytes + data.byteLength);
  out[0] = flags;
  out.writeUInt32BE(data.byteLength, 1);
  out.set(data, frameHeaderBytes);
  return out;
}

function grpcWebTrailerFrame(fields: readonly [string, string][]): Buffer {
  return trailerFrame(Buffer.from(fields.map(([name, value]) => `${name}: ${value}\r\n`).join("")));
}

function concat(chunks: readonly Uint8Array[], byteLength: number): Buffer {
  return chunks.length === 1 ? Buffer.from(chunks[0] as Uint8Array) : Buffer.concat(chunks, byteLength);
}
