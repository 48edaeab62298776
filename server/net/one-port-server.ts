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

import http from "node:http";
import http2 from "node:http2";
import type net from "node:net";
import type tls from "node:tls";
import type { FastifyServerFactory } from "fastify";

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
 * Fastify's `keepAliveTimeout`, `requestTimeout`, `connectionTimeout` and `maxRequestsPerSocket` are
 * copied to the inner servers. Use with `forceCloseConnections: "idle"` (see the module comment).
 */
export function createOnePortServerFactory(options: OnePortServerOptions): FastifyServerFactory {
  return (handler, fastifyOptions) => createOnePortServer(options, handler, fastifyOptions);
}

type Http1Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
type Http2Handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;

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
  /** HTTP/1.1 sockets (plain or TLS) → number of requests in flight on them. */
  const http1Sockets = new Map<net.Socket, number>();
  const http2Sessions = new Set<http2.Http2Session>();
  let closing = false;

  const onHttp1Request = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const socket = req.socket;
    http1Sockets.set(socket, (http1Sockets.get(socket) ?? 0) + 1);
    res.once("close", () => {
      const inFlight = (http1Sockets.get(socket) ?? 1) - 1;
      if (!http1Sockets.has(socket)) return;
      http1Sockets.set(socket, inFlight);
      // While closing, a keep-alive socket that just went idle is not kept for a next request.
      if (closing && inFlight === 0) socket.destroySoon();
    });
    handle(req, res);
  };
  const trackHttp1Socket = (socket: net.Socket): void => {
    if (http1Sockets.has(socket)) return;
    http1Sockets.set(socket, 0);
    socket.once("close", () => http1Sockets.delete(socket));
  };
  const onSession = (session: http2.Http2Session): void => {
    http2Sessions.add(session);
    session.once("close", () => http2Sessions.delete(session));
    // A peer that ends its side of the connection is gone: HTTP/2 has no half-closed connection
    // (a client says goodbye with GOAWAY), but Node's session stays up while streams are open, so
    // a killed client's steps would run on to their end. Destroying the session closes its streams,
    // which aborts their calls and cancels the steps, as a closed HTTP/1.1 socket does.
    session.socket.once("end", () => session.destroy());
    session.setTimeout(options.idleTimeoutMs, () => session.close());
    if (closing) session.close();
  };

  // The listening server; also the HTTP/1.1 server for plaintext sockets.
  const server = http.createServer(onHttp1Request);
  copyFastifyTimeouts(server, fastifyOptions);
  const http1ConnectionListener = takeConnectionListener(server);

  let dispatch: (socket: net.Socket, received: Buffer | undefined) => void;
  if (options.tls === undefined) {
    const h2c = http2.createServer(handle);
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
    });
    secure.on("request", (req: http.IncomingMessage | http2.Http2ServerRequest, res: AnyResponse) => {
      if (req instanceof http2.Http2ServerRequest && res instanceof http2.Http2ServerResponse) {
        handle(req, res);
      } else if (req instanceof http.IncomingMessage && res instanceof http.ServerResponse) {
        onHttp1Request(req, res);
      }
    });
    copyFastifyTimeouts(secure, fastifyOptions);
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

  server.on("connection", (socket: net.Socket) => {
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
