// The wire side of bench/h2load.ts: raw HTTP/2 (h2c) and HTTP/1.1 calls, the request bodies of the
// four protocols tfgate speaks (gRPC, gRPC-Web, Connect binary and JSON) and the checks that an
// answer is a good one (HTTP 200, grpc-status 0 wherever the protocol puts it, the message decodes).
// Nothing here knows how a server is built: the benchmark judges tfgate, TensorFlow's own server and
// a plain grpc-js server by the same bytes, which is also what keeps it valid while the RPC path
// behind the port changes.
//
// Framing (the gRPC and gRPC-Web specs, connectrpc.com/docs/protocol): gRPC and gRPC-Web prefix each
// message with a flag byte and a 4-byte big-endian length; gRPC-Web ends the body with a frame whose
// flag has bit 0x80 set, holding the trailers as "name: value\r\n" lines. A Connect unary call is
// the bare message (binary or JSON); its errors are non-200 answers with a JSON body.

import http from "node:http";
import http2 from "node:http2";
import {
  type DescMessage,
  fromBinary,
  fromJsonString,
  type MessageShape,
  toBinary,
  toJsonString,
} from "@bufbuild/protobuf";

export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** HTTP/2 trailers (empty for HTTP/1.1 and for a trailers-only answer). */
  readonly trailers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** A call answered, but not with a good answer (what it got is in the message). */
export class WireCallError extends Error {
  override readonly name = "WireCallError";
}

function flatHeaders(headers: http2.IncomingHttpHeaders | http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

/** One POST over its own h2c connection (prior knowledge, as gRPC clients and h2load use). */
export function h2Post(
  origin: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
  timeoutMs = 60_000,
): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(origin);
    const timer = setTimeout(() => {
      session.destroy();
      reject(new WireCallError(`${path}: no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      session.destroy();
      reject(error);
    };
    session.on("error", fail);
    const stream = session.request({ ":method": "POST", ":path": path, ...headers });
    let responseHeaders: Record<string, string> = {};
    let trailers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    stream.on("response", (h) => {
      responseHeaders = flatHeaders(h);
    });
    stream.on("trailers", (t) => {
      trailers = flatHeaders(t);
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("error", fail);
    stream.on("end", () => {
      clearTimeout(timer);
      session.close();
      resolve({
        status: Number(responseHeaders[":status"]),
        headers: responseHeaders,
        trailers,
        body: Buffer.concat(chunks),
      });
    });
    stream.end(body);
  });
}

/** One POST over its own HTTP/1.1 connection. */
export function h1Post(
  origin: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
  timeoutMs = 60_000,
): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${origin}${path}`, {
      method: "POST",
      headers: { ...headers, "content-length": String(body.byteLength) },
      agent: false,
      timeout: timeoutMs,
    });
    request.on("timeout", () =>
      request.destroy(new WireCallError(`${path}: no answer within ${timeoutMs} ms`)),
    );
    request.on("error", reject);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: flatHeaders(response.headers),
          trailers: {},
          body: Buffer.concat(chunks),
        }),
      );
    });
    request.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Framing

/** A length-prefixed message (gRPC, gRPC-Web): flag byte, 4-byte big-endian length, the bytes. */
export function lengthPrefixed(message: Uint8Array, flags = 0): Buffer {
  const out = Buffer.allocUnsafe(5 + message.byteLength);
  out[0] = flags;
  out.writeUInt32BE(message.byteLength, 1);
  out.set(message, 5);
  return out;
}

interface Frame {
  readonly flags: number;
  readonly data: Buffer;
}

/** The length-prefixed frames of a body; throws if the body does not split into whole frames. */
export function frames(body: Buffer): Frame[] {
  const out: Frame[] = [];
  let at = 0;
  while (at < body.length) {
    if (at + 5 > body.length) throw new WireCallError(`a truncated frame header at byte ${at}`);
    const length = body.readUInt32BE(at + 1);
    if (at + 5 + length > body.length)
      throw new WireCallError(`a truncated ${length}-byte frame at byte ${at}`);
    out.push({ flags: body[at]!, data: body.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return out;
}

/** "grpc-status:0\r\ngrpc-message:\r\n" (a gRPC-Web trailer frame) as lowercase name → value. */
function trailerLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

/** Throws unless `status` (grpc-status and grpc-message, wherever they came from) says OK. */
function requireGrpcOk(where: string, status: Readonly<Record<string, string>>): void {
  const code = status["grpc-status"];
  if (code === "0") return;
  const message = status["grpc-message"] === undefined ? "" : decodeURIComponent(status["grpc-message"]);
  throw new WireCallError(
    code === undefined
      ? `${where}: no grpc-status in the answer`
      : `${where}: grpc-status ${code}: ${message}`,
  );
}

function requireHttp200(where: string, response: WireResponse): void {
  if (response.status !== 200) {
    throw new WireCallError(`${where}: HTTP ${response.status}: ${response.body.toString("utf8", 0, 500)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Protocols

export type ProtocolName = "grpc" | "connect-proto" | "connect-proto-h1" | "grpc-web" | "connect-json";

export interface WireProtocol {
  readonly name: ProtocolName;
  /** What the tables call it. */
  readonly label: string;
  /** HTTP/1.1 instead of h2c. */
  readonly http1: boolean;
  /** Request headers besides :method and :path (h2load's -H). */
  readonly headers: Readonly<Record<string, string>>;
  body<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): Buffer;
  /** The message of a good answer; throws WireCallError for any other answer. */
  answer<Desc extends DescMessage>(schema: Desc, response: WireResponse): MessageShape<Desc>;
}

function oneMessage(where: string, list: readonly Frame[]): Buffer {
  const data = list.filter((f) => (f.flags & 0x80) === 0);
  if (data.length !== 1 || (data[0]!.flags & 0x01) !== 0) {
    throw new WireCallError(`${where}: expected one uncompressed message, got ${data.length} frame(s)`);
  }
  return data[0]!.data;
}

const grpc: WireProtocol = {
  name: "grpc",
  label: "gRPC (h2c)",
  http1: false,
  headers: { "content-type": "application/grpc", te: "trailers" },
  body: (schema, message) => lengthPrefixed(toBinary(schema, message)),
  answer(schema, response) {
    requireHttp200("gRPC", response);
    // A trailers-only answer (an error, usually) carries grpc-status in its headers.
    requireGrpcOk("gRPC", Object.keys(response.trailers).length > 0 ? response.trailers : response.headers);
    return fromBinary(schema, oneMessage("gRPC", frames(response.body)));
  },
};

function connectBinary(name: "connect-proto" | "connect-proto-h1", http1: boolean): WireProtocol {
  return {
    name,
    label: http1 ? "Connect binary (HTTP/1.1)" : "Connect binary (h2c)",
    http1,
    headers: { "content-type": "application/proto", "connect-protocol-version": "1" },
    body: (schema, message) => Buffer.from(toBinary(schema, message)),
    answer(schema, response) {
      requireHttp200("Connect", response);
      return fromBinary(schema, response.body);
    },
  };
}

const grpcWeb: WireProtocol = {
  name: "grpc-web",
  label: "gRPC-Web (h2c)",
  http1: false,
  headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
  body: (schema, message) => lengthPrefixed(toBinary(schema, message)),
  answer(schema, response) {
    requireHttp200("gRPC-Web", response);
    const list = frames(response.body);
    const trailer = list.find((f) => (f.flags & 0x80) !== 0);
    requireGrpcOk(
      "gRPC-Web",
      trailer === undefined ? response.headers : trailerLines(trailer.data.toString("utf8")),
    );
    return fromBinary(schema, oneMessage("gRPC-Web", list));
  },
};

const connectJson: WireProtocol = {
  name: "connect-json",
  label: "Connect JSON (h2c)",
  http1: false,
  headers: { "content-type": "application/json", "connect-protocol-version": "1" },
  body: (schema, message) => Buffer.from(toJsonString(schema, message)),
  answer(schema, response) {
    requireHttp200("Connect JSON", response);
    return fromJsonString(schema, response.body.toString("utf8"));
  },
};

export const protocols: Readonly<Record<ProtocolName, WireProtocol>> = {
  grpc,
  "connect-proto": connectBinary("connect-proto", false),
  "connect-proto-h1": connectBinary("connect-proto-h1", true),
  "grpc-web": grpcWeb,
  "connect-json": connectJson,
};

/** One call of `protocol`, checked: the decoded answer and the raw response (its body size). */
export async function call<Req extends DescMessage, Res extends DescMessage>(
  origin: string,
  path: string,
  protocol: WireProtocol,
  requestSchema: Req,
  request: MessageShape<Req>,
  responseSchema: Res,
): Promise<{ message: MessageShape<Res>; response: WireResponse }> {
  const post = protocol.http1 ? h1Post : h2Post;
  const response = await post(origin, path, protocol.headers, protocol.body(requestSchema, request));
  return { message: protocol.answer(responseSchema, response), response };
}

// ---------------------------------------------------------------------------------------------
// A background latency probe

export interface LatencySample {
  readonly latenciesMs: readonly number[];
  readonly errors: number;
  readonly firstError: string | undefined;
}

export interface LatencyProbe {
  /** Settles with the first call: undefined when it was answered OK, else its error. */
  readonly first: Promise<string | undefined>;
  stop(): Promise<LatencySample>;
}

/**
 * Calls one gRPC method (empty request) over its own h2c connection every `intervalMs` (the next
 * call starts `intervalMs` after the previous one started, or when it ends if it took longer) until
 * stopped: how long a cheap call waits while the server is busy with other clients' load. The
 * first call opens the connection and is not counted.
 */
export function sampleLatency(origin: string, path: string, intervalMs: number): LatencyProbe {
  const session = http2.connect(origin);
  session.on("error", () => {});
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let stopping = false;
  /** One call: its latency in ms when answered OK, else its error. */
  const once = () =>
    new Promise<number | string>((resolve) => {
      const t0 = performance.now();
      let stream: http2.ClientHttp2Stream;
      try {
        stream = session.request({ ":method": "POST", ":path": path, ...grpc.headers });
      } catch (error) {
        // The session is gone (the server closed it or never answered): every call fails alike.
        resolve(error instanceof Error ? error.message : String(error));
        return;
      }
      let headers: Record<string, string> = {};
      let trailers: Record<string, string> = {};
      const chunks: Buffer[] = [];
      stream.on("response", (h) => {
        headers = flatHeaders(h);
      });
      stream.on("trailers", (t) => {
        trailers = flatHeaders(t);
      });
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error) => resolve(error.message));
      stream.on("end", () => {
        const elapsed = performance.now() - t0;
        const response = {
          status: Number(headers[":status"]),
          headers,
          trailers,
          body: Buffer.concat(chunks),
        };
        try {
          requireHttp200(path, response);
          requireGrpcOk(path, Object.keys(trailers).length > 0 ? trailers : headers);
          resolve(elapsed);
        } catch (error) {
          resolve(error instanceof Error ? error.message : String(error));
        }
      });
      stream.end(lengthPrefixed(new Uint8Array(0)));
    });
  const first = once().then((outcome) => (typeof outcome === "string" ? outcome : undefined));
  const loop = (async () => {
    // A first call that failed is the probe's answer: there is nothing to sample.
    if ((await first) !== undefined) return;
    while (!stopping) {
      const t0 = performance.now();
      const outcome = await once();
      if (typeof outcome === "number") {
        latenciesMs.push(outcome);
      } else {
        errors++;
        firstError ??= outcome;
      }
      const wait = intervalMs - (performance.now() - t0);
      if (wait > 0 && !stopping) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    first,
    async stop() {
      stopping = true;
      await loop;
      session.close();
      return { latenciesMs, errors, firstError };
    },
  };
}
