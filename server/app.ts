// The gateway as a Fastify app: MasterService (under both of its names), gRPC health and server
// reflection over Connect, gRPC and gRPC-Web, plus CORS, /metrics, /healthz, the demo page at / (when
// built: dist/web) and a JSON index at /api (and at / for clients that do not ask for HTML).
// `buildApp` never listens (main.ts does; tests listen on port 0), so everything here can be
// exercised with real clients or `app.inject`.
//
// Request path: one-port server (net/) → Fastify (CORS, request tracking) → connect-fastify (protocol,
// limits, codecs) → metrics interceptor → service implementation (rpc/) → engine (master). Unary
// MasterService calls take a shorter path when their headers ask for nothing else (no Origin, a
// known encoding): gRPC over HTTP/2 through rpc/grpc-unary.ts, Connect and gRPC-Web over HTTP/1.1
// and HTTP/2 through rpc/web-unary.ts, each straight to the same calls (rpc/master-service.ts) →
// engine (docs/architecture.md, "Request path").

import { setMaxListeners } from "node:events";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http2 from "node:http2";
import { fileURLToPath } from "node:url";
import {
  Code,
  ConnectError,
  cors,
  createContextKey,
  type Interceptor,
  type ServiceImpl,
} from "@connectrpc/connect";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import { fastifyCors } from "@fastify/cors";
import { fastifyStatic } from "@fastify/static";
import {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  fastify,
  LogController,
} from "fastify";
import { type Authenticator, type AuthResult, createAuthenticator } from "./auth/authenticator.js";
import { isAllowedHost } from "./auth/host-check.js";
import { principalKey } from "./auth/principal.js";
import { openFileSandbox } from "./engine/framework/file-sandbox.js";
import type { Master } from "./engine/master/master.js";
import type { WorkerInterface } from "./engine/worker/worker-interface.js";
import { createGatewayMetrics, rpcProtocolOf } from "./metrics.js";
import { registerModelRoutes } from "./models/routes.js";
import type { SessionMaster } from "./models/saved-model-loader.js";
import { SavedModelStore } from "./models/saved-model-store.js";
import {
  claimHttp1Requests,
  claimHttp2Streams,
  createOnePortServerFactory,
  routeHttp2Streams,
} from "./net/one-port-server.js";
import { type CorsOrigin, isLoopbackOrigin, type ServerOptions } from "./options.js";
import { compressionDeflate } from "./rpc/compression.js";
import { decodeGraphsInSlices } from "./rpc/graph-requests.js";
import { createGrpcUnaryHandler } from "./rpc/grpc-unary.js";
import { createHealthServer } from "./rpc/health.js";
import type { MasterCalls } from "./rpc/master-service.js";
import { createReflectionServices } from "./rpc/reflection.js";
import {
  Health,
  MasterServiceProtoPath,
  MasterServiceTfPath,
  ServerReflectionV1,
  ServerReflectionV1alpha,
  servedServices,
} from "./rpc/services.js";
import { createWebUnaryHandlers } from "./rpc/web-unary.js";

/** What the app needs from the engine's master: the session count (metrics) and `close` (shutdown). */
export type MasterHandle = Pick<Master, "close" | "openSessionCount">;

/**
 * Replaces the engine (tests of the transport, or an embedding). Both or neither: the app closes
 * `master` when it closes; `masterService` serves both MasterService names.
 */
export interface AppEngine {
  readonly master: MasterHandle;
  /** Methods left out answer UNIMPLEMENTED. */
  readonly masterService: Partial<ServiceImpl<typeof MasterServiceProtoPath>>;
}

/**
 * Builds the app from resolved options (see `resolveServerOptions`). Reads the TLS files if set and
 * creates the engine's master (or uses `engine`). The returned app owns the master: `app.close()`
 * drains calls (bounded by `shutdownTimeoutMs`) and then closes the master. Call `listen` once.
 * The log goes to stdout, or to `logStream` (one JSON line per write; tests read it).
 */
// long-function: one ordered Fastify setup (hooks before routes, CORS before the Connect plugins); each step is a few lines and the order is the logic.
export async function buildApp(
  options: ServerOptions,
  engine?: AppEngine,
  logStream?: { write(line: string): void },
): Promise<FastifyInstance> {
  const tls =
    options.tlsCert === undefined || options.tlsKey === undefined
      ? undefined
      : { cert: await readPem("certificate", options.tlsCert), key: await readPem("key", options.tlsKey) };

  const app = fastify({
    logger:
      logStream === undefined ? { level: options.logLevel } : { level: options.logLevel, stream: logStream },
    // One line per request comes from metrics.ts instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    serverFactory: createOnePortServerFactory({
      tls,
      idleTimeoutMs: options.connectionIdleTimeoutMs,
      forceCloseAfterMs: options.shutdownTimeoutMs + 1000,
      requestTimeoutMs: options.requestTimeoutMs,
      headersTimeoutMs: options.headersTimeoutMs,
      maxConnectionsPerAddress: options.maxConnectionsPerAddress,
      maxConnections: options.maxConnections,
    }),
    // Graceful: idle connections close at once, busy ones after their last response (net/ module
    // comment). `true` would destroy HTTP/1.1 connections with calls still in flight.
    forceCloseConnections: "idle",
    keepAliveTimeout: options.connectionIdleTimeoutMs,
  });

  let master: MasterHandle;
  let masterService: Partial<ServiceImpl<typeof MasterServiceProtoPath>>;
  // What /v1/models/<name>/sessions creates sessions on: the engine's master (an injected engine's
  // when it has the session calls).
  let sessionMaster: SessionMaster | undefined;
  // The engine's calls, for the gRPC fast path; an injected engine is served by connect-es only.
  let masterCalls: MasterCalls | undefined;
  if (engine === undefined) {
    // Imported here, not at the top: an app built with an injected engine (transport tests, an
    // embedding) never loads the engine or starts its workers.
    const { createMaster } = await import("./engine/master/master.js");
    const { createMasterCalls, createMasterServiceImpl } = await import("./rpc/master-service.js");
    const { createRemoteWorker } = await import("./rpc/remote-worker.js");
    // The engine's log lines go to the same pino logger, unless the caller brought its own.
    const created = createMaster({
      log: (level, message) => app.log[level]({ component: "master" }, message),
      // A fetch larger than a response may carry is refused when it is built, not encoded.
      maxFetchBytes: options.maxMessageBytes,
      // A --cluster's tasks are reached over gRPC (TF's WorkerService).
      remoteWorker: createRemoteWorker,
      ...options.master,
    });
    master = created;
    engineWorkers.set(app, created.workers);
    if (options.gatewayWorkerService) await serveWorkerServiceOnPort(app, created, options);
    sessionMaster = created;
    masterCalls = createMasterCalls(created, { logger: app.log });
    masterService = createMasterServiceImpl(masterCalls);
  } else {
    if (options.gatewayWorkerService) throw new Error("--worker-port gateway needs the gateway's own engine");
    ({ master, masterService } = engine);
    if (isSessionMaster(engine.master)) sessionMaster = engine.master;
  }
  app.addHook("onClose", async () => {
    await master.close();
  });

  const metrics = createGatewayMetrics({
    services: servedServices,
    openSessions: () => master.openSessionCount(),
  });
  app.addHook("onRequest", (request, reply, done) => {
    metrics.onRequest(request, reply);
    done();
  });
  const authenticator = await createAuthenticator(options.auth);
  authenticators.set(app, authenticator);
  const callers = guardRequests(app, options, authenticator);

  const health = createHealthServer(servedServices.map((service) => service.typeName));
  // Watchers learn NOT_SERVING before connections start closing.
  app.addHook("preClose", (done) => {
    health.shutdown();
    done();
  });
  const reflection = createReflectionServices(servedServices);

  const corsOrigin = corsOriginOption(options.corsOrigin);
  if (corsOrigin !== undefined) {
    await app.register(fastifyCors, {
      origin: corsOrigin,
      methods: [...cors.allowedMethods],
      allowedHeaders: [...cors.allowedHeaders, "Authorization"],
      exposedHeaders: [...cors.exposedHeaders],
      maxAge: 7200, // Chromium's ceiling for caching a preflight
    });
  }

  // Shutdown: in-flight calls get shutdownTimeoutMs to finish, then their handlers are aborted and
  // the clients receive UNAVAILABLE. (connect-fastify's own shutdownTimeoutMs leaves a timer that
  // keeps the process alive for the whole timeout after close, so the timer is ours and unref'd.)
  const shutdown = new AbortController();
  // connect-es links every call's signal to this one: one listener per call in flight.
  setMaxListeners(0, shutdown.signal);
  let shutdownTimer: NodeJS.Timeout | undefined;
  app.addHook("preClose", (done) => {
    shutdownTimer = setTimeout(
      () => shutdown.abort(new ConnectError("tfgate is shutting down", Code.Unavailable)),
      options.shutdownTimeoutMs,
    ).unref();
    done();
  });
  app.addHook("onClose", (_instance, done) => {
    clearTimeout(shutdownTimer);
    done();
  });
  // Requests may come gzip-, brotli- or deflate-compressed (grpc-js and TF's C++ gRPC can send
  // deflate); responses are compressed only when asked for
  // (--compress-min-bytes): connect's default would gzip every response over 1 KiB for any
  // client that accepts gzip (grpc-js, grpcio and browsers all do), ~7 ms per MiB of tensor.
  const compressions = [compressionGzip, compressionBrotli, compressionDeflate];
  const compressMinBytes = options.compressMinBytes ?? Number.MAX_SAFE_INTEGER;
  if (masterCalls !== undefined && options.fastPath) {
    const corsHeaders = corsResponseHeaders(options.corsOrigin);
    const fastPathOptions = {
      calls: masterCalls,
      readMaxBytes: options.maxMessageBytes,
      writeMaxBytes: options.maxMessageBytes,
      compressMinBytes,
      compressions,
      allowedHosts: options.allowedHosts,
      authenticate: (authorization: string | undefined, remoteAddress: string | undefined) =>
        authenticator.authenticate(authorization, remoteAddress),
      shutdownSignal: shutdown.signal,
      responseHeaders: corsHeaders(undefined),
      corsHeaders,
      metrics,
      log: app.log,
    };
    const grpc = options.grpcFastPath ? createGrpcUnaryHandler(fastPathOptions) : () => false;
    const web = createWebUnaryHandlers(fastPathOptions);
    claimHttp2Streams(app.server, (stream, headers) => grpc(stream, headers) || web.stream(stream, headers));
    claimHttp1Requests(app.server, web.http1);
  }
  const connectOptions = {
    connect: true,
    grpc: true,
    grpcWeb: true,
    // connect-fastify ignores Fastify's bodyLimit; this bounds each request message (after
    // decompression). Larger ones fail with RESOURCE_EXHAUSTED.
    readMaxBytes: options.maxMessageBytes,
    compressMinBytes,
    acceptCompression: compressions,
    // JSON with a field the schema does not have is rejected (INVALID_ARGUMENT), not silently
    // dropped: a misspelt field in a hand-written GraphDef should fail loudly.
    jsonOptions: { ignoreUnknownFields: false },
    shutdownSignal: shutdown.signal,
    interceptors: [metrics.interceptor, refuseUnauthenticated],
    contextValues: (request: FastifyRequest) => {
      const values = metrics.contextValues(request);
      const caller = callers.get(request);
      if (caller === undefined) return values;
      return "principal" in caller
        ? values.set(principalKey, caller.principal)
        : values.set(deniedKey, caller.denied);
    },
  };
  await app.register(fastifyConnectPlugin, {
    ...connectOptions,
    writeMaxBytes: options.maxMessageBytes,
    routes(router) {
      router.service(MasterServiceProtoPath, masterService);
      router.service(MasterServiceTfPath, masterService);
      // Big graphs' binary requests are decoded in slices, not by connect-es in one piece.
      decodeGraphsInSlices(router, masterService);
    },
  });
  // Health and reflection answer with our own data (reflection's descriptor sets are ~100 KiB), so
  // only their requests are bounded by maxMessageBytes: a small limit must not break discovery.
  await app.register(fastifyConnectPlugin, {
    ...connectOptions,
    routes(router) {
      router.service(Health, health.impl);
      router.service(ServerReflectionV1, reflection.v1);
      router.service(ServerReflectionV1alpha, reflection.v1alpha);
    },
  });

  app.get("/metrics", async (_request, reply) => {
    const { contentType, body } = await metrics.scrape();
    return reply.type(contentType).send(body);
  });
  app.get("/healthz", async (_request, reply) => {
    const status = health.status("") === 1 ? "SERVING" : "NOT_SERVING";
    return reply
      .code(status === "SERVING" ? 200 : 503)
      .send({ status, openSessions: master.openSessionCount() });
  });
  const index = {
    name: "tfgate",
    description: "TensorFlow's MasterService over Connect, gRPC and gRPC-Web",
    protocols: ["connect+json", "connect+proto", "grpc", "grpc-web"],
    services: servedServices.map((service) => ({
      name: service.typeName,
      methods: service.methods.map((method) => `/${service.typeName}/${method.name}`),
    })),
    metrics: "/metrics",
    health: "/healthz",
    models: "/v1/models",
  };
  app.get("/api", async () => index);

  // SavedModels under the file sandbox (models/routes.ts): the same directory the ops' sandbox
  // uses, so a model's checkpoint path resolves for RestoreV2 exactly as the listing found it.
  const files = openFileSandbox(options.master.files);
  registerModelRoutes(app, {
    store: files === undefined ? undefined : new SavedModelStore(files),
    master: sessionMaster,
    // /v1/ needs a principal (guardRequests answered 401 otherwise); the session is the caller's.
    principalOf: (request) => {
      const caller = callers.get(request);
      return caller !== undefined && "principal" in caller ? caller.principal : undefined;
    },
  });
  // The demo page (npm run build:web → dist/web) for browsers; the JSON index for everyone else
  // (curl, fetch with Accept */*), as before the page existed.
  const webRoot = defaultWebRoot();
  const page = existsSync(`${webRoot}/index.html`);
  if (page) {
    // One route per built file, registered now (wildcard: false): unknown paths still reach the
    // notFound handler below, and "/" stays ours to negotiate.
    await app.register(fastifyStatic, { root: webRoot, prefix: "/", wildcard: false, index: false });
  }
  app.get("/", async (request, reply) => {
    if (page && wantsHtml(request.headers.accept)) return reply.sendFile("index.html");
    return index;
  });

  const serviceNames = new Set(servedServices.map((service) => service.typeName));
  app.setNotFoundHandler((request, reply) => notFound(request, reply, serviceNames));

  return app;
}

function isSessionMaster(master: MasterHandle): master is MasterHandle & SessionMaster {
  const m = master as Partial<SessionMaster>;
  return (
    typeof m.createSession === "function" &&
    typeof m.runStep === "function" &&
    typeof m.closeSession === "function"
  );
}

const authenticators = new WeakMap<FastifyInstance, Authenticator>();

/** The device workers of the engine an app created (not of an injected engine). */
const engineWorkers = new WeakMap<FastifyInstance, readonly WorkerInterface[]>();

/** The device workers behind the app's MasterService, for `serve --worker-port` (worker-command.ts). */
export function engineWorkersOf(app: FastifyInstance): readonly WorkerInterface[] | undefined {
  return engineWorkers.get(app);
}

/**
 * `--worker-port gateway`: TF's WorkerService over the engine's device workers on the app's own
 * port. Its Fastify app never listens; the one-port server hands it the gRPC streams to its paths
 * before the fast paths or this app see them (net/one-port-server.ts), so Connect, gRPC-Web and
 * HTTP/1.1 requests to those paths stay this app's (404, or UNIMPLEMENTED in their protocol). A
 * TF task of a propagated session asks for values under the session's name for this task, which
 * the master resolves by step (Master.stepRename). Closes with the app.
 */
async function serveWorkerServiceOnPort(
  app: FastifyInstance,
  master: Master,
  options: ServerOptions,
): Promise<void> {
  const { createWorkerService } = await import("./engine/worker/worker-service.js");
  const { buildWorkerServer, isWorkerServiceGrpc } = await import("./worker-server.js");
  const service = createWorkerService({
    workers: master.workers,
    stepRename: (stepId) => master.stepRename(stepId),
  });
  const server = await buildWorkerServer({
    engine: service,
    auth: options.auth,
    maxMessageBytes: options.maxMessageBytes,
    logger: app.log,
  });
  await server.ready();
  routeHttp2Streams(app.server, isWorkerServiceGrpc, server.server as unknown as http2.Http2Server);
  app.addHook("onClose", async () => {
    await service.close();
    await server.close();
  });
}

/** Reads the app's tokens and JWKS files again (main.ts calls it on SIGHUP). */
export async function reloadCredentials(app: FastifyInstance): Promise<void> {
  await authenticators.get(app)?.reload();
}

/** Why a call was refused, for the interceptor that answers UNAUTHENTICATED in its protocol. */
const deniedKey = createContextKey<string | undefined>(undefined, { description: "tfgate auth refusal" });

const refuseUnauthenticated: Interceptor = (next) => async (req) => {
  const denied = req.contextValues.get(deniedKey);
  if (denied !== undefined) throw new ConnectError(denied, Code.Unauthenticated);
  return next(req);
};

/**
 * Paths that need a principal: the MasterService (both names), reflection, /metrics and the model
 * API. Health, the demo page's files and the JSON index stay open.
 */
function needsPrincipal(url: string): boolean {
  return /^\/(tensorflow\.|grpc\.reflection\.|metrics(\?|$)|v1\/)/.test(url);
}

/**
 * Checks every request's Host, then authenticates those that need a principal. RPCs learn the
 * outcome through their context (an interceptor answers UNAUTHENTICATED in the call's own
 * protocol: HTTP 401 for Connect, grpc-status 16 for gRPC); other paths get 401 here.
 */
function guardRequests(
  app: FastifyInstance,
  options: ServerOptions,
  authenticator: Authenticator,
): WeakMap<FastifyRequest, AuthResult> {
  const callers = new WeakMap<FastifyRequest, AuthResult>();
  app.addHook("onRequest", async (request, reply) => {
    const host = request.headers.host ?? (request.headers[":authority"] as string | undefined);
    if (!isAllowedHost(host, options.allowedHosts)) {
      return reply
        .code(403)
        .type("text/plain; charset=utf-8")
        .send(`Host '${host}' is not allowed: this server answers only to the names in --allowed-hosts\n`);
    }
    if (!needsPrincipal(request.url)) return;
    const caller = await authenticator.authenticate(
      request.headers.authorization,
      request.socket.remoteAddress,
    );
    callers.set(request, caller);
    if ("denied" in caller && !request.url.startsWith("/tensorflow.") && !request.url.startsWith("/grpc.")) {
      return reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="tfgate"')
        .send({ code: "unauthenticated", message: caller.denied });
    }
  });
  return callers;
}

/**
 * Where the built demo page is: dist/web beside the compiled server (dist/server/app.js), or the
 * repository's dist/web when running from the TypeScript sources (tsx, tests).
 */
export function defaultWebRoot(): string {
  const compiled = import.meta.url.endsWith(".js");
  return fileURLToPath(new URL(compiled ? "../web/" : "../dist/web/", import.meta.url)).replace(/\/$/, "");
}

/** True when `text/html` is acceptable and preferred over JSON (browsers' navigation requests). */
function wantsHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const q = (type: string) => {
    for (const part of accept.split(",")) {
      const [media, ...params] = part.trim().split(";");
      if (media?.trim().toLowerCase() !== type) continue;
      const qp = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return qp === undefined ? 1 : Number(qp.slice(2)) || 0;
    }
    return 0;
  };
  const html = q("text/html");
  return html > 0 && html >= q("application/json");
}

async function readPem(what: "certificate" | "key", path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read TLS ${what} file "${path}": ${reason}`);
  }
}

/**
 * The headers @fastify/cors (registered below with `corsOriginOption`) adds to the answer of an
 * actual (non-preflight) request with the given Origin, or none: the fast paths send the same. A
 * fixed "*" carries no Vary; a dynamic policy always varies by Origin; a refused or missing Origin
 * gets no Access-Control-Allow-Origin (the loopback callback then adds nothing more, a list still
 * names the exposed headers). Preflights (OPTIONS) stay with @fastify/cors.
 */
export function corsResponseHeaders(
  policy: CorsOrigin,
): (origin: string | undefined) => Readonly<Record<string, string>> {
  const expose = { "access-control-expose-headers": cors.exposedHeaders.join(", ") };
  if (policy === "none") {
    const none = {};
    return () => none;
  }
  if (policy === "*") {
    const any = { "access-control-allow-origin": "*", ...expose };
    return () => any;
  }
  if (policy === "loopback") {
    const refused = { vary: "Origin" };
    return (origin) =>
      origin !== undefined && isLoopbackOrigin(origin)
        ? { vary: "Origin", "access-control-allow-origin": origin, ...expose }
        : refused;
  }
  const listed = new Set(policy);
  const base = { vary: "Origin", ...expose };
  return (origin) =>
    origin !== undefined && listed.has(origin) ? { ...base, "access-control-allow-origin": origin } : base;
}

type CorsOriginCallback = (error: Error | null, allow: boolean) => void;

/** @fastify/cors's `origin` for our policy; undefined when CORS is off. */
function corsOriginOption(
  policy: CorsOrigin,
): string | string[] | ((origin: string | undefined, callback: CorsOriginCallback) => void) | undefined {
  if (policy === "none") return undefined;
  if (policy === "*") return "*";
  if (policy === "loopback") {
    return (origin, callback) => callback(null, origin !== undefined && isLoopbackOrigin(origin));
  }
  return [...policy];
}

/**
 * 404s. A gRPC or gRPC-Web client gets UNIMPLEMENTED in its own protocol (status in the headers of a
 * trailers-only response), a Connect client calling an unknown method of a served service gets a
 * Connect `unimplemented` error, everything else Fastify's usual 404.
 */
function notFound(
  request: FastifyRequest,
  reply: FastifyReply,
  serviceNames: ReadonlySet<string>,
): FastifyReply {
  const path = request.url.split("?", 1)[0] ?? request.url;
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  const service = match?.[1];
  const knownService = service !== undefined && serviceNames.has(service);
  const message = knownService
    ? `method ${match?.[2]} is not implemented by service ${service}`
    : `unknown service ${service ?? path}`;
  const contentType = request.headers["content-type"];
  const { protocol } = rpcProtocolOf(request.method, contentType, request.url);
  if (protocol !== "connect" && contentType !== undefined) {
    const headers = {
      "content-type": contentType,
      "grpc-status": String(Code.Unimplemented),
      "grpc-message": encodeURIComponent(message),
    };
    const raw: unknown = request.raw;
    if (raw instanceof http2.Http2ServerRequest) {
      // gRPC needs a trailers-only response: one HEADERS frame that ends the stream. Fastify would
      // send the headers and then an empty DATA frame, which grpc-js reports as INTERNAL.
      reply.hijack();
      raw.stream.respond({ ":status": 200, ...headers }, { endStream: true });
      return reply;
    }
    return reply.code(200).headers(headers).send();
  }
  if (knownService) {
    return reply.code(404).type("application/json").send({ code: "unimplemented", message });
  }
  return reply.code(404).send({
    message: `Route ${request.method}:${request.url} not found`,
    error: "Not Found",
    statusCode: 404,
  });
}
