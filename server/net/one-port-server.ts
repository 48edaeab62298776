// One listening port for every client (docs/architecture.md, step 1 of a RunStep). Browsers and
// curl speak HTTP/1.1, gRPC clients (grpc-js, TensorFlow's C++ client) speak HTTP/2 over cleartext
// with prior knowledge, and Node cannot serve both on one plaintext socket by itself (`allowHTTP1`
// is ignored without TLS). So the listening server reads the first bytes of each connection: the
// HTTP/2 client preface
// `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n` sends the socket to an `http2` server (h2c), anything else to the
// HTTP/1.1 server. The bytes read are pushed back (`unshift`) so the chosen server parses them itself;
// Node's HTTP/2 session reads data already buffered on a socket (nodejs/node#35475). With TLS every
// socket goes to one `http2.createSecureServer({ allowHTTP1: true })`, which picks h2 or http/1.1 by
// ALPN.
//
// The listening server is an `http.Server` (Fastify's default server type, so the whole app is typed
// with Fastify's defaults) whose `connection` listener we replace with the dispatcher; it keeps its
// own HTTP/1.1 parser for plaintext HTTP/1.1 sockets. It also owns shutdown for all three inner
// protocols: Fastify calls `closeIdleConnections()` and `closeHttp2Sessions()` (with
// `forceCloseConnections: "idle"`) and then `close()`, which here means:
//   - no new connections; sockets still in the sniffing phase are destroyed;
//   - idle HTTP/1.1 keep-alive sockets are closed now, busy ones right after their response;
//   - HTTP/2 sessions get GOAWAY (`session.close()`): open streams finish, new ones are refused;
//   - whatever is still open `forceCloseAfterMs` after `close()` is destroyed, so close never hangs.
//
// It also bounds what one client can hold (docs/security.md, "Connections"):
//   - connections per client address are capped at accept (`maxConnectionsPerAddress`);
//   - HTTP/1.1 requests must deliver their headers within `headersTimeoutMs` and headers plus body
//     within `requestTimeoutMs`, else Node's HTTP/1 server answers 408 and closes the socket. Node
//     checks these on its connection list every `connectionsCheckingInterval`, which it only keeps
//     for sockets its own connection listener took, so the dispatcher must hand sockets to that
//     listener (it does) and the interval is set here (Node's 30 s default would let a 1 s timeout
//     run for 31 s). Fastify's own default `requestTimeout` is 0 (off), so ours is set after copying
//     Fastify's;
//   - an HTTP/2 stream whose body has not ended within `requestTimeoutMs` is reset (RST_STREAM
//     CANCEL), which aborts its call: the HTTP/2 server has no request timeout of its own, and a
//     stream that trickles DATA frames keeps its session from ever being idle.
//
// A claim installed with `claimHttp2Streams` sees every new HTTP/2 stream (h2c and h2) before Node's
// compatibility layer turns it into a request for Fastify, and keeps the streams it serves itself
// (the gRPC fast path, rpc/grpc-unary.ts). Node's http2 servers announce a stream with a `stream`
// event that their compat layer listens to, so the claim is asked inside the server's `emit`: a
// claimed stream never becomes an Http2ServerRequest. Everything above (connection caps, idle and
// body timeouts, GOAWAY on close) applies to claimed streams as well: it is per session and socket.
// `claimHttp1Requests` does the same for HTTP/1.1 requests (the Connect and gRPC-Web fast path,
// rpc/web-unary.ts): each is offered to the claim after the in-flight count for graceful shutdown
// is taken and before Fastify sees it; keep-alive and Node's request timeouts apply as before.
//
// `routeHttp2Streams` hands the HTTP/2 streams a predicate picks (by path and content type) to
// another http2 server that never listens (a second Fastify app: TF's WorkerService on the gateway's
// port, worker-server.ts). It is asked before the claims, and the stream goes over by emitting the
// original `stream` event (stream, headers, flags, raw headers) on that server, whose compat layer
// then makes the request for its own app. The session, its socket and its limits stay this server's.

import http from "node:http";
import http2 from "node:http2";
import type net from "node:net";
import type tls from "node:tls";
import type { FastifyServerFactory } from "fastify";
import { renewStreamTables } from "./stream-table.js";

/** Decides whether a new HTTP/2 stream is served outside Fastify (true: the claim took it). */
export type Http2StreamClaim = (
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
) => boolean;

/** Decides whether an HTTP/1.1 request is served outside Fastify (true: the claim took it). */
export type Http1RequestClaim = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

/** Picks the HTTP/2 streams another server serves (`routeHttp2Streams`). */
export type Http2StreamRoute = (headers: http2.IncomingHttpHeaders) => boolean;

interface ClaimSlot {
  claim: Http2StreamClaim | undefined;
  http1: Http1RequestClaim | undefined;
  routes: { readonly picks: Http2StreamRoute; readonly to: http2.Http2Server }[];
}

/** Each one-port server's slots for its claims. */
const streamClaims = new WeakMap<net.Server, ClaimSlot>();

/**
 * Installs `claim` on a server made by this module's factory (Fastify's `app.server`): each new
 * HTTP/2 stream is offered to it first. Throws for any other server.
 */
export function claimHttp2Streams(server: net.Server, claim: Http2StreamClaim): void {
  const slot = streamClaims.get(server);
  if (slot === undefined) throw new Error("claimHttp2Streams: not a one-port server");
  slot.claim = claim;
}

/**
 * Installs `claim` on a server made by this module's factory: each HTTP/1.1 request (plaintext or
 * TLS) is offered to it before Fastify sees it. The connection bookkeeping (in-flight counts for
 * graceful shutdown, Node's request and headers timeouts, keep-alive) applies to claimed requests
 * as to any other. Throws for any other server.
 */
export function claimHttp1Requests(server: net.Server, claim: Http1RequestClaim): void {
  const slot = streamClaims.get(server);
  if (slot === undefined) throw new Error("claimHttp1Requests: not a one-port server");
  slot.http1 = claim;
}

/**
 * Installs a route on a server made by this module's factory: each new HTTP/2 stream whose headers
 * `picks` accepts is served by `to` (an http2 server that does not listen, such as a Fastify app
 * built with `http2: true` and made ready), before any claim or this server's app sees it. Routes
 * are asked in the order installed. Throws for any other server.
 */
export function routeHttp2Streams(server: net.Server, picks: Http2StreamRoute, to: http2.Http2Server): void {
  const slot = streamClaims.get(server);
  if (slot === undefined) throw new Error("routeHttp2Streams: not a one-port server");
  slot.routes.push({ picks, to });
}

/** Offers each `stream` event of an http2 server to the slot's routes and claim before its own listeners. */
function offerStreams(server: http2.Http2Server | http2.Http2SecureServer, slot: ClaimSlot): void {
  const emit = server.emit;
  server.emit = function emitUnlessClaimed(
    this: typeof server,
    event: string | symbol,
    ...args: unknown[]
  ): boolean {
    if (event === "stream") {
      const headers = args[1] as http2.IncomingHttpHeaders;
      const route = slot.routes.find((r) => r.picks(headers));
      if (route !== undefined) return route.to.emit("stream", ...args);
      if (slot.claim?.(args[0] as http2.ServerHttp2Stream, headers) === true) return true;
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof server.emit;
}

/**
 * The SETTINGS both HTTP/2 servers announce. SETTINGS_MAX_FRAME_SIZE is raised from HTTP/2's
 * 16 KiB to 64 KiB, the most Node's session reads from its socket at once: a client that sends
 * frames as large as its peer allows (grpcio, so TensorFlow's own client) then delivers a 4 MiB
 * body in about 120 chunks instead of about 300, and every chunk is a trip through JavaScript on
 * the RPC thread (docs/benchmarks.md, "Large bodies"). Larger frames would not arrive in larger
 * chunks (a chunk is at most one socket read) but would let one frame header make nghttp2 set
 * aside more memory for the frames it buffers whole (a GOAWAY's debug data), so 64 KiB it is.
 * Clients that never send more than 16 KiB per frame (Node's own, so grpc-js, and h2load) are
 * unaffected; flow control, not frame size, bounds what a client may send ahead
 * (docs/security.md, "Connections that try to hold the server").
 */
const http2Settings: http2.Settings = { maxFrameSize: 64 * 1024, initialWindowSize: 256 * 1024 };

/**
 * Flow-control windows. HTTP/2 starts every stream and the connection at 64 KiB - 1, so a client
 * sending a 4 MiB body stops every 64 KiB until the server's WINDOW_UPDATE comes back: about a
 * hundred round trips, reads and writes per body, which held a 4 MiB step to a third of its speed
 * (docs/benchmarks.md, "Flow-control windows"). TensorFlow's gRPC server grows its windows to the
 * connection's bandwidth-delay product for the same reason. The stream window (in http2Settings)
 * is 256 KiB: what a stream whose body nobody reads can make the server buffer
 * (docs/security.md, "Connections that try to hold the server"). The connection window is larger,
 * 4 MiB, which costs no memory: Node gives connection-level window back as soon as bytes arrive,
 * whether or not a stream reads them.
 */
const connectionWindowBytes = 4 * 1024 * 1024;

/** The first bytes an HTTP/2 client sends (RFC 9113 §3.4). */
const http2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export interface OnePortServerOptions {
  /** PEM key and certificate; when set the port speaks TLS only (h2 and http/1.1 by ALPN). */
  readonly tls: { readonly key: Buffer; readonly cert: Buffer } | undefined;
  /**
   * A connection that sends nothing for this long is closed: before its first byte (or, with TLS, its
   * handshake), and an HTTP/2 session with no frames in either direction (GOAWAY, open streams may
   * finish). HTTP/1.1 keep-alive idleness is Fastify's `keepAliveTimeout`, copied from its options.
   */
  readonly idleTimeoutMs: number;
  /** After `close()`, connections still open this much later are destroyed. */
  readonly forceCloseAfterMs: number;
  /** A request (HTTP/1.1 headers and body, an HTTP/2 stream's body) must arrive within this. */
  readonly requestTimeoutMs: number;
  /** HTTP/1.1 request headers must arrive within this (at most `requestTimeoutMs`). */
  readonly headersTimeoutMs: number;
  /** Connections open at once from one remote address; more are destroyed at accept. */
  readonly maxConnectionsPerAddress: number;
  /** Connections open at once in all; more are destroyed at accept. */
  readonly maxConnections: number;
}

/** The protocol a plaintext connection's first bytes announce; "undecided" until they do. */
export type SniffResult = "h2" | "http1" | "undecided";

/**
 * Classifies the bytes received so far on a plaintext connection. "h2" needs the whole 24-byte
 * preface; any byte that differs from it means HTTP/1.x (usually the second: "POST" vs "PRI ").
 */
export function sniffProtocol(received: Uint8Array): SniffResult {
  const n = Math.min(received.length, http2Preface.length);
  for (let i = 0; i < n; i++) {
    if (received[i] !== http2Preface[i]) return "http1";
  }
  return received.length >= http2Preface.length ? "h2" : "undecided";
}

/** Extra methods Fastify looks for (by `typeof`) on the server a factory returns. */
interface ShutdownHooks {
  /** Sends GOAWAY on every HTTP/2 session. Fastify calls it while closing. */
  closeHttp2Sessions(): void;
}

/**
 * Returns a Fastify `serverFactory` serving HTTP/1.1 and h2c on one plaintext port, or HTTP/1.1 and
 * h2 over TLS. Fastify calls the factory once per bound address; each server it makes is independent.
 * Fastify's `keepAliveTimeout`, `connectionTimeout` and `maxRequestsPerSocket` are copied to the
 * inner servers; the request and headers timeouts come from `options` (Fastify's `requestTimeout`
 * defaults to 0, off). Use with `forceCloseConnections: "idle"` (see the module comment).
 */
export function createOnePortServerFactory(options: OnePortServerOptions): FastifyServerFactory {
  return (handler, fastifyOptions) => createOnePortServer(options, handler, fastifyOptions);
}

type Http1Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
type Http2Handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;

/**
 * HTTP/1.1 sockets (plain or TLS) and the number of requests in flight on each, so shutdown can
 * close idle keep-alive sockets at once and busy ones after their last response.
 */
function trackHttp1(handle: Http1Handler, isClosing: () => boolean, slot: ClaimSlot) {
  const http1Sockets = new Map<net.Socket, number>();
  // One listener for every response rather than a closure per request (docs/benchmarks.md,
  // "Balancing the RPC loop"): the response knows its request, and the request its socket. A
  // response emits "close" once, so `on` needs no once-wrapper.
  function onResponseClose(this: http.ServerResponse): void {
    const socket = this.req.socket;
    const inFlight = (http1Sockets.get(socket) ?? 1) - 1;
    if (!http1Sockets.has(socket)) return;
    http1Sockets.set(socket, inFlight);
    // While closing, a keep-alive socket that just went idle is not kept for a next request.
    if (isClosing() && inFlight === 0) socket.destroySoon();
  }
  const onHttp1Request = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const socket = req.socket;
    http1Sockets.set(socket, (http1Sockets.get(socket) ?? 0) + 1);
    res.on("close", onResponseClose);
    if (slot.http1?.(req, res) === true) return;
    handle(req, res);
  };
  const trackHttp1Socket = (socket: net.Socket): void => {
    if (http1Sockets.has(socket)) return;
    http1Sockets.set(socket, 0);
    socket.once("close", () => http1Sockets.delete(socket));
  };
  return { http1Sockets, onHttp1Request, trackHttp1Socket };
}

function createOnePortServer(
  options: OnePortServerOptions,
  handler: Http1Handler,
  fastifyOptions: Record<string, unknown>,
): http.Server {
  // Fastify's handler takes either kind of request: it only uses the API the HTTP/1 and HTTP/2
  // compatibility objects share. Its type names only the HTTP/1 pair, hence this one cast.
  const handle = handler as unknown as Http1Handler & Http2Handler;

  /** Every raw socket accepted and not yet closed: the backstop destroys these. */
  const sockets = new Set<net.Socket>();
  const http2Sessions = new Set<http2.Http2Session>();
  let closing = false;
  const slot: ClaimSlot = { claim: undefined, http1: undefined, routes: [] };
  const { http1Sockets, onHttp1Request, trackHttp1Socket } = trackHttp1(handle, () => closing, slot);
  const onSession = (session: http2.Http2Session): void => {
    http2Sessions.add(session);
    session.setLocalWindowSize(connectionWindowBytes);
    session.once("close", () => http2Sessions.delete(session));
    // A peer that ends its side of the connection is gone: HTTP/2 has no half-closed connection
    // (a client says goodbye with GOAWAY), but Node's session stays up while streams are open, so
    // a killed client's steps would run on to their end. Destroying the session closes its streams,
    // which aborts their calls and cancels the steps, as a closed HTTP/1.1 socket does.
    session.socket.once("end", () => session.destroy());
    session.setTimeout(options.idleTimeoutMs, () => session.close());
    const streamOpened = renewStreamTables(session);
    session.on("stream", (stream: http2.ServerHttp2Stream) => {
      limitStreamBody(stream, options.requestTimeoutMs);
      streamOpened();
    });
    if (closing) session.close();
  };

  // The listening server; also the HTTP/1.1 server for plaintext sockets.
  const server = http.createServer(onHttp1Request);
  streamClaims.set(server, slot);
  copyFastifyTimeouts(server, fastifyOptions);
  setRequestTimeouts(server, options);
  const http1ConnectionListener = takeConnectionListener(server);

  let dispatch: (socket: net.Socket, received: Buffer | undefined) => void;
  if (options.tls === undefined) {
    const h2c = http2.createServer({ settings: http2Settings }, handle);
    offerStreams(h2c, slot);
    h2c.on("session", onSession);
    const h2cConnectionListener = takeConnectionListener(h2c);
    dispatch = (socket, received) => {
      if (received === undefined) return;
      socket.unshift(received);
      if (sniffProtocol(received) === "h2") {
        h2cConnectionListener(socket);
      } else {
        trackHttp1Socket(socket);
        http1ConnectionListener(socket);
      }
    };
  } else {
    // No request listener in the constructor: ours takes both kinds (HTTP/1.1 over TLS arrives on
    // the same event, as IncomingMessage).
    const secure = http2.createSecureServer({
      key: options.tls.key,
      cert: options.tls.cert,
      allowHTTP1: true,
      handshakeTimeout: options.idleTimeoutMs,
      settings: http2Settings,
    });
    secure.on("request", (req: http.IncomingMessage | http2.Http2ServerRequest, res: AnyResponse) => {
      if (req instanceof http2.Http2ServerRequest && res instanceof http2.Http2ServerResponse) {
        handle(req, res);
      } else if (req instanceof http.IncomingMessage && res instanceof http.ServerResponse) {
        onHttp1Request(req, res);
      }
    });
    offerStreams(secure, slot);
    copyFastifyTimeouts(secure, fastifyOptions);
    setRequestTimeouts(secure, options);
    secure.on("session", onSession);
    secure.on("secureConnection", (socket: tls.TLSSocket) => {
      if (socket.alpnProtocol !== "h2") trackHttp1Socket(socket);
    });
    // The secure server's HTTP/1.1 side starts its request-timeout checks on `listening` and stops
    // them in `close()`; it never listens itself, so both are forwarded from the listening server.
    server.on("listening", () => secure.emit("listening"));
    server.on("close", () => secure.close(() => {}));
    dispatch = (socket) => {
      secure.emit("connection", socket);
    };
  }

  const admit = connectionCap(options.maxConnectionsPerAddress, options.maxConnections);
  server.on("connection", (socket: net.Socket) => {
    if (!admit(socket)) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    if (closing) {
      socket.destroy();
      return;
    }
    if (options.tls !== undefined) {
      dispatch(socket, undefined);
      return;
    }
    sniff(socket, options.idleTimeoutMs, (received) => {
      if (closing) socket.destroy();
      else dispatch(socket, received);
    });
  });

  const destroyIdleHttp1 = (): void => {
    for (const [socket, inFlight] of http1Sockets) {
      if (inFlight === 0) socket.destroy();
    }
  };
  const beginClosing = (): void => {
    if (closing) return;
    closing = true;
    setTimeout(() => {
      for (const socket of sockets) socket.destroy();
    }, options.forceCloseAfterMs).unref();
  };

  server.closeIdleConnections = () => {
    beginClosing();
    destroyIdleHttp1();
  };
  server.closeAllConnections = () => {
    beginClosing();
    for (const socket of sockets) socket.destroy();
  };
  const nativeClose = server.close.bind(server);
  server.close = (callback?: (err?: Error) => void) => {
    beginClosing();
    for (const session of http2Sessions) session.close();
    return nativeClose(callback);
  };
  const hooks: ShutdownHooks = {
    closeHttp2Sessions: () => {
      beginClosing();
      for (const session of http2Sessions) session.close();
    },
  };
  return Object.assign(server, hooks);
}

type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

/**
 * Returns a check that counts a newly accepted socket against its remote address and the total,
 * and answers false (without counting it) when that address already has `perAddress` open or the
 * server `total`. Counts drop as sockets close.
 */
function connectionCap(perAddress: number, total: number): (socket: net.Socket) => boolean {
  const open = new Map<string, number>();
  let all = 0;
  return (socket) => {
    const address = socket.remoteAddress;
    // No address: the peer is already gone.
    if (address === undefined) return false;
    const count = open.get(address) ?? 0;
    if (count >= perAddress || all >= total) return false;
    open.set(address, count + 1);
    all++;
    socket.once("close", () => {
      all--;
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
    return true;
  };
}

/**
 * Resets `stream` (RST_STREAM CANCEL) unless its body has ended within `timeoutMs`. A stream whose
 * HEADERS frame ended it has no body to wait for.
 */
function limitStreamBody(stream: http2.ServerHttp2Stream, timeoutMs: number): void {
  if (stream.endAfterHeaders) return;
  // Shared listeners and the timer kept on the stream: no closures or once-wrappers per stream,
  // which every small call pays for on the RPC thread (docs/benchmarks.md, "Balancing the RPC loop").
  (stream as TimedStream)[bodyTimer] = setTimeout(cancelSlowBody, timeoutMs, stream);
  // "end" comes once the handler has read the last DATA frame (END_STREAM); "close" covers every
  // other way a stream finishes. Each comes once; clearing a timer twice is harmless.
  stream.on("end", clearBodyTimer);
  stream.on("close", clearBodyTimer);
}

const bodyTimer = Symbol("bodyTimer");
type TimedStream = http2.ServerHttp2Stream & { [bodyTimer]?: NodeJS.Timeout };

function cancelSlowBody(stream: http2.ServerHttp2Stream): void {
  if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_CANCEL);
}

function clearBodyTimer(this: TimedStream): void {
  clearTimeout(this[bodyTimer]);
}

/**
 * Sets the HTTP/1.1 request and headers timeouts on a server whose HTTP/1 side is Node's, and how
 * often Node looks for requests past them: a quarter of the shorter timeout, between 25 ms and 1 s,
 * so a request is ended at most that much after its deadline.
 */
function setRequestTimeouts(
  server: http.Server | http2.Http2SecureServer,
  options: Pick<OnePortServerOptions, "requestTimeoutMs" | "headersTimeoutMs">,
): void {
  const interval = Math.min(
    1000,
    Math.max(25, Math.floor(Math.min(options.requestTimeoutMs, options.headersTimeoutMs) / 4)),
  );
  Object.assign(server, {
    requestTimeout: options.requestTimeoutMs,
    headersTimeout: options.headersTimeoutMs,
    connectionsCheckingInterval: interval,
  });
}

/**
 * Reads from `socket` until its first bytes decide the protocol, then calls `decided` with them
 * (still to be pushed back). A socket that sends nothing within `timeoutMs`, ends or fails before
 * that is destroyed and `decided` is never called.
 */
function sniff(socket: net.Socket, timeoutMs: number, decided: (received: Buffer) => void): void {
  let received = Buffer.alloc(0);
  const timer = setTimeout(() => {
    cleanup();
    socket.destroy();
  }, timeoutMs);
  const onReadable = (): void => {
    for (let chunk = socket.read(); chunk !== null; chunk = socket.read()) {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    }
    if (sniffProtocol(received) === "undecided") return;
    cleanup();
    decided(received);
  };
  const onGone = (): void => {
    cleanup();
    socket.destroy();
  };
  function cleanup(): void {
    clearTimeout(timer);
    socket.removeListener("readable", onReadable);
    socket.removeListener("end", onGone);
    socket.removeListener("error", onGone);
  }
  socket.on("readable", onReadable);
  socket.once("end", onGone);
  socket.once("error", onGone);
}

/**
 * Removes and returns the listener Node's HTTP servers install for `connection`, so the dispatcher
 * can call it for the sockets it hands over.
 */
function takeConnectionListener(server: net.Server): (socket: net.Socket) => void {
  const listeners = server.listeners("connection");
  const listener = listeners[0];
  if (listeners.length !== 1 || typeof listener !== "function") {
    throw new Error(`expected one connection listener on a new ${server.constructor.name}`);
  }
  server.removeAllListeners("connection");
  return (socket) => Reflect.apply(listener, server, [socket]);
}

function copyFastifyTimeouts(
  server: http.Server | http2.Http2SecureServer,
  fastifyOptions: Record<string, unknown>,
): void {
  const { keepAliveTimeout, requestTimeout, connectionTimeout, maxRequestsPerSocket } = fastifyOptions;
  if (server instanceof http.Server) {
    if (typeof keepAliveTimeout === "number") server.keepAliveTimeout = keepAliveTimeout;
    if (typeof requestTimeout === "number") server.requestTimeout = requestTimeout;
    if (typeof maxRequestsPerSocket === "number" && maxRequestsPerSocket > 0) {
      server.maxRequestsPerSocket = maxRequestsPerSocket;
    }
  } else {
    // HTTP/1.1 over TLS is parsed by Node's HTTP/1 code, which reads these from the secure server.
    Object.assign(server, { keepAliveTimeout, requestTimeout });
  }
  if (typeof connectionTimeout === "number" && connectionTimeout > 0) server.setTimeout(connectionTimeout);
}
