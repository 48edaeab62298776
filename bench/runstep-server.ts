// The server side of the RunStep benchmark (bench/runstep.ts), one kind per child process so the
// load generator never shares an event loop with the server it measures.
//
//   node --import tsx bench/runstep-server.ts <kind> [<RunStepResponse as base64>]
//
// Kinds:
//   tfgate        the real gateway: buildApp() with its engine, the app's defaults, logging silent.
//   tfgate-connect-only  the same with --no-fast-path: every call through Fastify + connect-es.
//   tfgate-info   the same with --log-level info (tfgate's default: one pino line per RPC), stdout
//                 going wherever the parent sent it (the benchmark sends it to /dev/null).
//   tfgate-shell  tfgate's app (one-port server, CORS, metrics hooks and interceptor, both service
//                 names) with an injected engine whose RunStep returns the fixed response: tfgate
//                 minus the session engine.
//   echo          a bare connect-node peer: Fastify + connect-fastify and nothing else, serving both
//                 MasterService names with a RunStep that returns the fixed response. Bare Fastify
//                 cannot speak HTTP/1.1 and h2c on one plaintext port, so it listens twice: an
//                 HTTP/1.1 port (Connect, gRPC-Web) and an h2c port (gRPC).
//   grpc-js       a plain @grpc/grpc-js server answering /tensorflow.MasterService/RunStep (and the
//                 .proto's path) with the fixed response; requests are decoded and responses encoded
//                 with protobuf-es, the same work connect-es does per call.
//
// The fixed response is decoded once from the bytes the parent passes (tfgate's own RunStep
// response) and encoded again on every call, so peers and tfgate put the same bytes on the wire.
//
// Protocol with the parent (IPC): the child sends { type: "ready", http1Port, h2Port, pid } once it
// listens; on { type: "stop" } it closes and exits 0 (so --cpu-prof can write its profile).

import type { AddressInfo } from "node:net";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import * as grpc from "@grpc/grpc-js";
import { type FastifyInstance, fastify } from "fastify";
import {
  type RunStepRequest,
  RunStepRequestSchema,
  type RunStepResponse,
  RunStepResponseSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { type AppEngine, buildApp } from "../server/app.js";
import { resolveServerOptions } from "../server/options.js";
import { MasterServiceProtoPath, MasterServiceTfPath } from "../server/rpc/services.js";

export const serverKinds = [
  "tfgate",
  "tfgate-connect-only",
  "tfgate-info",
  "tfgate-shell",
  "echo",
  "grpc-js",
] as const;
export type ServerKind = (typeof serverKinds)[number];

export interface ReadyMessage {
  readonly type: "ready";
  readonly pid: number;
  /** Port for HTTP/1.1 clients (Connect, gRPC-Web). */
  readonly http1Port: number;
  /** Port for h2c clients (gRPC). Same as http1Port for tfgate's one-port server. */
  readonly h2Port: number;
}

const loopback = "127.0.0.1";

function fixedResponse(base64: string | undefined): RunStepResponse {
  if (base64 === undefined) throw new Error("this server kind needs the fixed RunStepResponse (base64)");
  return fromBinary(RunStepResponseSchema, Buffer.from(base64, "base64"));
}

/** A MasterService implementation with only RunStep; the other methods answer UNIMPLEMENTED. */
function fixedRunStep(response: RunStepResponse): Partial<ServiceImpl<typeof MasterServiceProtoPath>> {
  return { runStep: () => response };
}

async function startTfgate(
  kind: "tfgate" | "tfgate-connect-only" | "tfgate-info" | "tfgate-shell",
  response: string | undefined,
) {
  const options = resolveServerOptions({
    host: loopback,
    port: 0,
    logLevel: kind === "tfgate-info" ? "info" : "silent",
    fastPath: kind !== "tfgate-connect-only",
    // The CLI's variable: benchmarks of large tensors (bench/tensor-bytes.ts) raise the 64 MiB default.
    ...(process.env.TFGATE_MAX_MESSAGE_BYTES
      ? { maxMessageBytes: Number(process.env.TFGATE_MAX_MESSAGE_BYTES) }
      : {}),
  });
  let engine: AppEngine | undefined;
  if (kind === "tfgate-shell") {
    const fixed = fixedResponse(response);
    engine = {
      master: { close: async () => {}, openSessionCount: () => 0 },
      masterService: fixedRunStep(fixed) as ServiceImpl<typeof MasterServiceProtoPath>,
    };
  }
  const app = await buildApp(options, engine);
  await app.listen({ port: 0, host: loopback });
  const port = (app.server.address() as AddressInfo).port;
  return { http1Port: port, h2Port: port, close: () => app.close() };
}

async function startEcho(response: string | undefined) {
  const fixed = fixedRunStep(fixedResponse(response));
  const register = async (app: FastifyInstance<never, never, never, never>) => {
    await app.register(fastifyConnectPlugin, {
      routes(router) {
        router.service(MasterServiceProtoPath, fixed);
        router.service(MasterServiceTfPath, fixed as Partial<ServiceImpl<typeof MasterServiceTfPath>>);
      },
    });
  };
  const http1 = fastify({ logger: false, forceCloseConnections: true });
  const h2 = fastify({ logger: false, http2: true, forceCloseConnections: true });
  await register(http1 as unknown as FastifyInstance<never, never, never, never>);
  await register(h2 as unknown as FastifyInstance<never, never, never, never>);
  await http1.listen({ port: 0, host: loopback });
  await h2.listen({ port: 0, host: loopback });
  return {
    http1Port: (http1.server.address() as AddressInfo).port,
    h2Port: (h2.server.address() as AddressInfo).port,
    close: async () => {
      await Promise.all([http1.close(), h2.close()]);
    },
  };
}

async function startGrpcJs(response: string | undefined) {
  const fixed = fixedResponse(response);
  const method = (path: string): grpc.MethodDefinition<RunStepRequest, RunStepResponse> => ({
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: (r) => Buffer.from(toBinary(RunStepRequestSchema, r)),
    requestDeserialize: (b) => fromBinary(RunStepRequestSchema, b),
    responseSerialize: (r) => Buffer.from(toBinary(RunStepResponseSchema, r)),
    responseDeserialize: (b) => fromBinary(RunStepResponseSchema, b),
  });
  const handler: grpc.handleUnaryCall<RunStepRequest, RunStepResponse> = (_call, callback) =>
    callback(null, fixed);
  const server = new grpc.Server();
  server.addService({ RunStep: method("/tensorflow.MasterService/RunStep") }, { RunStep: handler });
  server.addService({ RunStep: method("/tensorflow.grpc.MasterService/RunStep") }, { RunStep: handler });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${loopback}:0`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    http1Port: port,
    h2Port: port,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

async function main(): Promise<void> {
  const [kind, response] = process.argv.slice(2);
  if (!serverKinds.includes(kind as ServerKind)) {
    throw new Error(`usage: runstep-server.ts <${serverKinds.join("|")}> [response-base64]`);
  }
  const server =
    kind === "echo"
      ? await startEcho(response)
      : kind === "grpc-js"
        ? await startGrpcJs(response)
        : await startTfgate(
            kind as "tfgate" | "tfgate-connect-only" | "tfgate-info" | "tfgate-shell",
            response,
          );
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on("message", (message: { type?: string }) => {
    if (message.type === "stop") void stop();
  });
  // The parent died: nothing is left to measure.
  process.on("disconnect", () => void stop());
  const ready: ReadyMessage = {
    type: "ready",
    pid: process.pid,
    http1Port: server.http1Port,
    h2Port: server.h2Port,
  };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
