// Starts the real gateway on an ephemeral loopback port for end-to-end tests, and makes clients
// for every protocol tfgate speaks.

import type { AddressInfo } from "node:net";
import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../server/app.js";
import { resolveServerOptions, type ServerOptionsInput } from "../../server/options.js";
import { MasterServiceProtoPath, MasterServiceTfPath } from "../../server/rpc/services.js";

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptionsInput = {}): Promise<RunningServer> {
  const app = await buildApp(resolveServerOptions({ port: 0, logLevel: "silent", ...options }));
  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as AddressInfo).port;
  return { app, url: `http://127.0.0.1:${port}`, port, close: () => app.close() };
}

export type ProtocolName = "connect-json" | "connect-binary" | "grpc" | "grpc-web";
export const protocols: readonly ProtocolName[] = ["connect-json", "connect-binary", "grpc", "grpc-web"];

/** Request compression for a transport (connect-node sends none unless told). */
export interface SendCompressionOptions {
  readonly sendCompression: Compression;
  readonly compressMinBytes: number;
}

export function transportFor(
  protocol: ProtocolName,
  baseUrl: string,
  compression: Partial<SendCompressionOptions> = {},
): Transport {
  switch (protocol) {
    case "connect-json":
      return createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false, ...compression });
    case "connect-binary":
      return createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true, ...compression });
    case "grpc":
      return createGrpcTransport({ baseUrl, ...compression });
    case "grpc-web":
      return createGrpcWebTransport({ baseUrl, httpVersion: "1.1", ...compression });
  }
}

/** Both MasterService names: the .proto's (tensorflow.grpc) and TensorFlow clients' (tensorflow). */
export const masterServicePaths: readonly {
  readonly name: string;
  readonly service: typeof MasterServiceProtoPath;
}[] = [
  { name: "/tensorflow.grpc.MasterService", service: MasterServiceProtoPath },
  {
    name: "/tensorflow.MasterService",
    service: MasterServiceTfPath as unknown as typeof MasterServiceProtoPath,
  },
];

export function masterClient(
  protocol: ProtocolName,
  baseUrl: string,
  service: DescService = MasterServiceProtoPath,
) {
  return createClient(service as typeof MasterServiceProtoPath, transportFor(protocol, baseUrl)) as Client<
    typeof MasterServiceProtoPath
  >;
}
