// What the fast-path tests (grpc-fast-path, web-fast-path) share: the graph their calls run and a
// server on a free loopback port whose log lines are kept, so a test can tell which path served a
// call (the fast paths log reqIds of their own).

import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import { AttrValueSchema } from "../../gen/tensorflow/core/framework/attr_value_pb.js";
import { buildApp } from "../../server/app.js";
import { resolveServerOptions, type ServerOptionsInput } from "../../server/options.js";
import { constNode, DataType, graph, node } from "./graphs.js";

const floatList = create(AttrValueSchema, { value: { case: "list", value: { type: [DataType.DT_FLOAT] } } });

/** `take:0` waits on an empty queue: only a deadline, a cancellation or shutdown ends it. */
export const fastPathGraph = graph(
  node("q", "FIFOQueueV2", { attrs: { component_types: floatList } }),
  node("take", "QueueDequeueV2", { inputs: ["q"], attrs: { component_types: floatList } }),
  constNode("c", DataType.DT_FLOAT, [2, 3], [1, 2, 3, 4, 5, 6]),
  constNode(
    "big",
    DataType.DT_FLOAT,
    [300],
    Array.from({ length: 300 }, (_, i) => i / 7),
  ),
);

/** One JSON log line of the server. */
export interface LogLine {
  [field: string]: unknown;
  msg?: string;
  rpc?: string;
  reqId?: string;
  code?: string;
  protocol?: string;
}

export interface LoggedServer {
  readonly app: FastifyInstance;
  readonly port: number;
  readonly origin: string;
  readonly lines: LogLine[];
}

/** A gateway (engine on the RPC thread, one CPU) at `info` level, its log lines collected. */
export async function startLoggedServer(options: ServerOptionsInput): Promise<LoggedServer> {
  const lines: LogLine[] = [];
  const app = await buildApp(
    resolveServerOptions({
      port: 0,
      logLevel: "info",
      master: { workerThreads: false, cpuDevices: 1 },
      ...options,
    }),
    undefined,
    { write: (line) => void lines.push(JSON.parse(line) as LogLine) },
  );
  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as AddressInfo).port;
  return { app, port, origin: `http://127.0.0.1:${port}`, lines };
}
