// The WorkerService's own port: what `tfgate worker` serves, and what `tfgate serve --worker-port`
// adds beside the gateway (or, with `--worker-port gateway`, serves on the gateway's own port: the
// one-port server hands it the gRPC streams `isWorkerServiceGrpc` picks, app.ts). It speaks gRPC
// only (h2c, or TLS when given), as TF's workers do: the service is cluster-internal (TF's masters and workers call it), so Connect and gRPC-Web, which
// a web page could reach, are not offered. Callers are authenticated exactly as MasterService
// callers are (docs/security.md, "WorkerService"): same tokens, JWKS and --allow-anonymous.

import { Http2ServerRequest, type IncomingHttpHeaders } from "node:http2";
import {
  Code,
  ConnectError,
  createContextKey,
  createContextValues,
  type Interceptor,
} from "@connectrpc/connect";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import { type FastifyBaseLogger, type FastifyInstance, fastify, LogController } from "fastify";
import { WorkerService as WorkerServiceProtoPath } from "../gen/tensorflow/core/protobuf/worker_service_pb.js";
import { WorkerService as WorkerServiceTfPath } from "../gen/tensorflow/core/protobuf/worker_service_tf_pb.js";
import { type AuthOptions, createAuthenticator } from "./auth/authenticator.js";
import { principalKey } from "./auth/principal.js";
import type { WorkerService as WorkerEngine } from "./engine/worker/worker-service.js";
import { createWorkerServiceImpl } from "./rpc/worker-service.js";

export interface WorkerServerOptions {
  readonly engine: WorkerEngine;
  readonly auth: AuthOptions;
  /** Largest message one RPC may carry (tensors travel in RunGraph and RecvTensor). */
  readonly maxMessageBytes: number;
  readonly logger?: FastifyBaseLogger | undefined;
  readonly logLevel?: string | undefined;
}

const deniedKey = createContextKey<string | undefined>(undefined, {
  description: "tfgate worker auth refusal",
});

const refuseUnauthenticated: Interceptor = (next) => async (req) => {
  const denied = req.contextValues.get(deniedKey);
  if (denied !== undefined) throw new ConnectError(denied, Code.Unauthenticated);
  return next(req);
};

/** The paths of the WorkerService (both of its names), "/<service>/" prefixes. */
export const workerServicePaths: readonly string[] = [WorkerServiceTfPath, WorkerServiceProtoPath].map(
  (s) => `/${s.typeName}/`,
);

/**
 * Whether an HTTP/2 request is a gRPC call (application/grpc, +proto, +json; not gRPC-Web) to the
 * WorkerService: what the gateway's port hands to the WorkerService's app. A request with an
 * Origin comes from a browser (browsers send it on every POST; gRPC clients never do), and no web
 * page may reach the WorkerService, so it stays with the gateway's app, which does not serve it.
 */
export function isWorkerServiceGrpc(headers: IncomingHttpHeaders): boolean {
  const path = headers[":path"];
  const type = headers["content-type"];
  if (typeof path !== "string" || typeof type !== "string" || headers.origin !== undefined) return false;
  return /^application\/grpc($|[+;])/i.test(type) && workerServicePaths.some((p) => path.startsWith(p));
}

/** Builds (does not listen) the WorkerService server. Closing it does not close the engine. */
export async function buildWorkerServer(options: WorkerServerOptions): Promise<FastifyInstance> {
  const app = fastify({
    http2: true,
    ...(options.logger !== undefined
      ? { loggerInstance: options.logger }
      : { logger: { level: options.logLevel ?? "info" } }),
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  const authenticator = await createAuthenticator(options.auth);
  const callers = new WeakMap<object, { principal: string } | { denied: string }>();
  app.addHook("onRequest", async (request) => {
    callers.set(
      request.raw,
      await authenticator.authenticate(request.headers.authorization, request.socket.remoteAddress),
    );
  });
  const impl = createWorkerServiceImpl(options.engine, { logger: app.log });
  await app.register(fastifyConnectPlugin, {
    connect: false,
    grpc: true,
    grpcWeb: false,
    readMaxBytes: options.maxMessageBytes,
    writeMaxBytes: options.maxMessageBytes,
    interceptors: [refuseUnauthenticated],
    contextValues: (request) => createContextValuesFor(callers.get(request.raw)),
    routes(router) {
      router.service(WorkerServiceTfPath, impl);
      router.service(WorkerServiceProtoPath, impl);
    },
  });
  app.setNotFoundHandler((request, reply) => {
    // gRPC's UNIMPLEMENTED, trailers-only (one HEADERS frame ending the stream), for unknown methods.
    const raw: unknown = request.raw;
    if (!(raw instanceof Http2ServerRequest)) return reply.code(404).send();
    reply.hijack();
    const path = request.url.split("?", 1)[0] ?? request.url;
    raw.stream.respond(
      {
        ":status": 200,
        "content-type": "application/grpc",
        "grpc-status": String(Code.Unimplemented),
        "grpc-message": encodeURIComponent(`unknown method ${path}`),
      },
      { endStream: true },
    );
    return reply;
  });
  return app;
}

/** The call's principal, or why it is refused (answered UNAUTHENTICATED by the interceptor). */
function createContextValuesFor(caller: { principal: string } | { denied: string } | undefined) {
  const values = createContextValues();
  if (caller === undefined) return values.set(deniedKey, "the caller was not authenticated");
  return "principal" in caller
    ? values.set(principalKey, caller.principal)
    : values.set(deniedKey, caller.denied);
}
