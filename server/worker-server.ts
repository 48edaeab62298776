// The WorkerService's own port: what `tfgate worker` serves, and what `tfgate serve --worker-port`
// adds beside the gateway. It speaks gRPC only (h2c, or TLS when given), as TF's workers do: the
// service is cluster-internal (TF's masters and workers call it), so Connect and gRPC-Web, which
// a web page could reach, are not offered. Callers are authenticated exactly as MasterService
// callers are (docs/security.md, "WorkerService"): same tokens, JWKS and --allow-anonymous.

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
