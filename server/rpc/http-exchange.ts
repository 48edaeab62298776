// One HTTP request and its answer, whichever HTTP version carries it: an HTTP/2 stream (h2c or TLS
// h2, node:http2's stream API) or an HTTP/1.1 request (node:http's IncomingMessage and
// ServerResponse). The Connect and gRPC-Web fast path (rpc/web-unary.ts) answers every call with
// one status, one set of headers and a body written in one go (neither protocol needs HTTP
// trailers), so both versions fit this small shape and the protocol code is written once.
//
// Node's own bookkeeping stays in force: on HTTP/1.1 keep-alive, the request and headers timeouts
// and Content-Length/chunked framing are node:http's (a body without Content-Length goes out
// chunked, as connect-node's answers do); on HTTP/2 the one-port server's per-stream body timeout
// and session handling (net/one-port-server.ts).

import type http from "node:http";
import type http2 from "node:http2";
import type { Readable } from "node:stream";

export interface HttpExchange {
  /** The request's headers (lowercase names; HTTP/2 pseudo-headers included). */
  readonly headers: http.IncomingHttpHeaders;
  readonly remoteAddress: string | undefined;
  /** The request body, chunk by chunk, then `end`. */
  onData(listener: (chunk: Buffer) => void): void;
  onEnd(listener: () => void): void;
  /** Stops delivering the body (what is left is read and dropped). */
  discardBody(): void;
  /** Called once when the exchange is over: answered, reset, or the connection lost. */
  onClose(listener: () => void): void;
  /** False once the connection or stream is gone (an answer can no longer be written). */
  writable(): boolean;
  /** Writes the whole answer and ends it. */
  /** `written`: called once the answer's bytes have all gone to the socket (never on a failure). */
  respond(
    status: number,
    headers: http2.OutgoingHttpHeaders,
    chunks: readonly Uint8Array[],
    written?: () => void,
  ): void;
}

const noop = (): void => {};

/**
 * How both versions read a request body: off a Readable (the HTTP/2 stream itself, or the HTTP/1.1
 * request), whose "end" comes once, so its listener is added with `on`, without a once-wrapper.
 */
abstract class BodyExchange {
  constructor(private readonly body: Readable) {}

  onData(listener: (chunk: Buffer) => void): void {
    this.body.on("data", listener);
  }

  onEnd(listener: () => void): void {
    this.body.on("end", listener);
  }

  discardBody(): void {
    this.body.removeAllListeners("data");
    this.body.resume();
  }
}

/** An HTTP/2 stream as an exchange. */
export function http2Exchange(
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
): HttpExchange {
  // A stream reset by the client (or lost with its session) can still emit an error; the end of
  // the exchange is its "close".
  stream.on("error", noop);
  return new Http2Exchange(stream, headers);
}

/**
 * A class rather than an object of closures: one is made for every small call on the RPC thread
 * (docs/benchmarks.md, "Balancing the RPC loop"). A stream emits "end" and "close" once each, so
 * their listeners are added with `on`, without a once-wrapper.
 */
class Http2Exchange extends BodyExchange implements HttpExchange {
  readonly remoteAddress: string | undefined;

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    readonly headers: http2.IncomingHttpHeaders,
  ) {
    super(stream);
    this.remoteAddress = stream.session?.socket?.remoteAddress;
  }

  onClose(listener: () => void): void {
    this.stream.on("close", listener);
  }

  writable(): boolean {
    return !this.stream.destroyed;
  }

  respond(
    status: number,
    responseHeaders: http2.OutgoingHttpHeaders,
    chunks: readonly Uint8Array[],
    written?: () => void,
  ): void {
    const stream = this.stream;
    if (chunks.length === 0) {
      stream.respond({ ":status": status, ...responseHeaders }, { endStream: true });
      return;
    }

    stream.respond({ ":status": status, ...responseHeaders });
    // One write, then the rest with end(). Node shuts the stream's writable side right after the
    // last write so END_STREAM rides on the final DATA frame; when that write is also the first
    // (a single end(chunk), or write() then end()), the stream is usually closed under it and
    // Node builds an ERR_STREAM_DESTROYED error, stack and all, that nobody reads: ≈2 % of a
    // small call's CPU in a profile. With one write still in flight when end() queues the last
    // bytes, it does not happen. nghttp2 packs the bytes into DATA frames as it likes either way.
    const first = chunks[0] as Uint8Array;
    if (written !== undefined) {
      // The caller waits for the bytes themselves: the stream closes as its END_STREAM goes out,
      // often before it could report 'finish', so the last write's own callback is the one that
      // says its bytes (and so every earlier write's) went to the socket.
      for (let i = 0; i < chunks.length - 1; i++) stream.write(chunks[i]);
      stream.write(chunks[chunks.length - 1], afterWrites(written));
      stream.end();
      return;
    }
    if (chunks.length === 1 && first.byteLength < 2) {
      stream.end(first);
      return;
    }
    const parts = chunks.length > 1 ? chunks : [first.subarray(0, 1), first.subarray(1)];
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) stream.write(parts[i]);
    stream.end(parts[last]);
  }
}

/**
 * A write() or end() callback that calls `written` only on success: Node calls a write's callback
 * once its bytes went to the socket (not merely into nghttp2's or the socket's queue), and an
 * end()'s once every write's has been called; either gets an error instead when the stream was
 * destroyed first.
 */
export function afterWrites(written: () => void): (error?: unknown) => void {
  return (error?: unknown) => {
    if (error === undefined || error === null) written();
  };
}

/** An HTTP/1.1 request and its response as an exchange. */
export function http1Exchange(req: http.IncomingMessage, res: http.ServerResponse): HttpExchange {
  // No "error" listener on the request: node:http emits a request's errors (an aborted upload)
  // only when it has listeners, and the call learns of the loss from the response's "close".
  res.on("error", noop);
  return new Http1Exchange(req, res);
}

/**
 * A class, as Http2Exchange is, for the same reason: one per small call on the RPC thread. The
 * request's "end" and the response's "close" come once each, so their listeners are added with
 * `on`, without a once-wrapper.
 */
class Http1Exchange extends BodyExchange implements HttpExchange {
  readonly headers: http.IncomingHttpHeaders;
  readonly remoteAddress: string | undefined;

  constructor(
    req: http.IncomingMessage,
    private readonly res: http.ServerResponse,
  ) {
    super(req);
    this.headers = req.headers;
    this.remoteAddress = req.socket.remoteAddress;
  }

  onClose(listener: () => void): void {
    this.res.on("close", listener);
  }

  writable(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  respond(
    status: number,
    responseHeaders: http2.OutgoingHttpHeaders,
    chunks: readonly Uint8Array[],
    written?: () => void,
  ): void {
    const res = this.res;
    // A response finishes once its last bytes went to the socket.
    const done = written === undefined ? undefined : afterWrites(written);
    res.writeHead(status, responseHeaders as http.OutgoingHttpHeaders);
    if (chunks.length === 1) {
      res.end(chunks[0], done);
      return;
    }
    res.cork();
    for (const chunk of chunks) res.write(chunk);
    res.uncork();
    res.end(done);
  }
}
