// The browser client: TensorFlow's MasterService over Connect (binary by default, JSON on request)
// or gRPC-Web, from a web page or Node, with a small Session helper. Never imports server code.

import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import type { GraphDef } from "../gen/tensorflow/core/framework/graph_pb.js";
import type { ConfigProto } from "../gen/tensorflow/core/protobuf/config_pb.js";
import { MasterService } from "../gen/tensorflow/core/protobuf/master_service_pb.js";
import { Code as TfCode } from "../gen/xla/tsl/protobuf/error_codes_pb.js";
import { fromTensorProto, type Tensor, toTensorProto } from "./tensor.js";

export type MasterClient = Client<typeof MasterService>;
export type Protocol = "connect" | "connect-json" | "grpc-web";

export interface MasterClientOptions {
  /** Default "connect" (binary). */
  readonly protocol?: Protocol;
}

/** A transport to a tfgate server (e.g. "http://127.0.0.1:8080"). */
export function createTransport(baseUrl: string, options: MasterClientOptions = {}): Transport {
  switch (options.protocol ?? "connect") {
    case "connect":
      return createConnectTransport({ baseUrl, useBinaryFormat: true });
    case "connect-json":
      return createConnectTransport({ baseUrl, useBinaryFormat: false });
    case "grpc-web":
      return createGrpcWebTransport({ baseUrl });
  }
}

export function createMasterClient(baseUrl: string, options: MasterClientOptions = {}): MasterClient {
  return createClient(MasterService, createTransport(baseUrl, options));
}

function codeName(code: TfCode): string {
  return Object.entries(TfCode).find(([, v]) => v === code)?.[0] ?? String(code);
}

/** A step that failed inside TensorFlow, with TF's code name and message. */
export class TfStepError extends Error {
  override readonly name = "TfStepError";
  constructor(
    readonly code: TfCode,
    message: string,
  ) {
    super(`${codeName(code)}: ${message}`);
  }
}

export interface RunArgs {
  readonly feeds?: Record<string, Tensor>;
  readonly fetches?: readonly string[];
  readonly targets?: readonly string[];
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** One graph session (CreateSession … CloseSession). */
export class Session {
  private constructor(
    readonly client: MasterClient,
    readonly handle: string,
    private version: bigint,
  ) {}

  static async create(client: MasterClient, graphDef: GraphDef, config?: ConfigProto): Promise<Session> {
    const res = await client.createSession({ graphDef, ...(config ? { config } : {}) });
    return new Session(client, res.sessionHandle, res.graphVersion);
  }

  /** Adds nodes to the session's graph (ExtendSession). */
  async extend(graphDef: GraphDef): Promise<void> {
    const res = await this.client.extendSession({
      sessionHandle: this.handle,
      graphDef,
      currentGraphVersion: this.version,
    });
    this.version = res.newGraphVersion;
  }

  /** RunStep: returns the fetched tensors by fetch name; TF errors become TfStepError. */
  async run(args: RunArgs): Promise<Record<string, Tensor>> {
    const res = await this.client.runStep(
      {
        sessionHandle: this.handle,
        feed: Object.entries(args.feeds ?? {}).map(([name, t]) => ({ name, tensor: toTensorProto(t) })),
        fetch: [...(args.fetches ?? [])],
        target: [...(args.targets ?? [])],
        storeErrorsInResponseBody: true,
        ...(args.timeoutMs ? { options: { timeoutInMs: BigInt(args.timeoutMs) } } : {}),
      },
      args.signal ? { signal: args.signal } : {},
    );
    if (res.statusCode !== TfCode.OK) throw new TfStepError(res.statusCode, res.statusErrorMessage);
    const out: Record<string, Tensor> = {};
    for (const t of res.tensor) if (t.tensor) out[t.name] = fromTensorProto(t.tensor);
    return out;
  }

  async close(): Promise<void> {
    await this.client.closeSession({ sessionHandle: this.handle });
  }
}
