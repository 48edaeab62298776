// Observability of the RPC layer: Prometheus metrics (prom-client, one registry per app) and one
// structured log line per request (Fastify's pino logger).
//
// Per call we record service, method, protocol (connect, grpc, grpc-web, from the request's content
// type), encoding (proto or json) and the final status code ("ok", "not_found", … as Connect spells
// them). The code comes from a Connect interceptor when the call reaches its implementation; calls
// that Connect rejects before that (unsupported content type, undecodable or oversized message) are
// still counted, with the code read from the response (grpc-status, else the Connect HTTP status).
// A call ends when its HTTP response closes (finished or cancelled), so a streaming call's duration
// covers the whole stream. A failed call's log line also names TF's code and carries its status
// message (bounded, see loggedFailure); a RunStep that failed with store_errors_in_response_body
// (TF's own client always asks for it) succeeds on the wire, and its line carries the status from
// the body. Log lines never carry request or response payloads.

import type { OutgoingHttpHeaders } from "node:http";
import type { DescService } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ContextValues,
  createContextKey,
  createContextValues,
  type Interceptor,
} from "@connectrpc/connect";
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { tfCodeName } from "./engine/framework/errors.js";
import {
  type RpcEncoding,
  type RpcLabels,
  type RpcProtocol,
  RpcTally,
  type RpcTallyEntry,
} from "./rpc-tally.js";

export type { RpcEncoding, RpcProtocol } from "./rpc-tally.js";

/**
 * The protocol and message encoding of a Connect/gRPC/gRPC-Web request, from its HTTP method,
 * content type and (for Connect GET) its `encoding` query parameter.
 */
export function rpcProtocolOf(
  httpMethod: string,
  contentType: string | undefined,
  url: string,
): { protocol: RpcProtocol; encoding: RpcEncoding } {
  const type = (contentType ?? "").toLowerCase();
  if (type.startsWith("application/grpc-web")) {
    return { protocol: "grpc-web", encoding: type.includes("json") ? "json" : "proto" };
  }
  if (type.startsWith("application/grpc")) {
    return { protocol: "grpc", encoding: type.includes("json") ? "json" : "proto" };
  }
  if (httpMethod === "GET") {
    return { protocol: "connect", encoding: /[?&]encoding=json(&|$)/.test(url) ? "json" : "proto" };
  }
  return { protocol: "connect", encoding: type.includes("json") ? "json" : "proto" };
}

/** A status code as Connect spells it on the wire ("ok" for success). */
export function codeName(code: Code | 0): string {
  switch (code) {
    case 0:
      return "ok"; // not a Connect Code: success
    case Code.Canceled:
      return "canceled"; // 1
    case Code.Unknown:
      return "unknown"; // 2
    case Code.InvalidArgument:
      return "invalid_argument"; // 3
    case Code.DeadlineExceeded:
      return "deadline_exceeded"; // 4
    case Code.NotFound:
      return "not_found"; // 5
    case Code.AlreadyExists:
      return "already_exists"; // 6
    case Code.PermissionDenied:
      return "permission_denied"; // 7
    case Code.ResourceExhausted:
      return "resource_exhausted"; // 8
    case Code.FailedPrecondition:
      return "failed_precondition"; // 9
    case Code.Aborted:
      return "aborted"; // 10
    case Code.OutOfRange:
      return "out_of_range"; // 11
    case Code.Unimplemented:
      return "unimplemented"; // 12
    case Code.Internal:
      return "internal"; // 13
    case Code.Unavailable:
      return "unavailable"; // 14
    case Code.DataLoss:
      return "data_loss"; // 15
    case Code.Unauthenticated:
      return "unauthenticated"; // 16
  }
}

/** Codes that point at the server rather than the client; their log lines are warnings. */
const serverSideCodes = new Set(["unknown", "internal", "unavailable", "data_loss"]);

/**
 * Longest status message a log line carries, in characters. The client receives the whole message;
 * the log gets enough to recognise the failure (TF's messages put the cause first and the node
 * after it) while one failing call, or many, cannot flood the log with kilobytes each.
 */
export const maxLoggedMessageChars = 500;

/** What a failed call's log line says about the failure. */
export interface LoggedFailure {
  /** TF's name of the code ("INVALID_ARGUMENT"). */
  readonly tfCode: string;
  /** The status message, at most maxLoggedMessageChars (plus a marker), assertion data left out. */
  readonly message: string;
}

/**
 * A failure as the log shows it. An Assert's message holds the values the graph asked it to print
 * (tensor content, "assertion failed: [x = ] [1 2 3]"), so everything after "assertion failed:" on
 * that line is left out; the node and the rest of the message stay.
 */
export function loggedFailure(code: number, message: string): LoggedFailure {
  const redacted = message.replace(/assertion failed:[^\n]*/g, "assertion failed: <data not logged>");
  const bounded =
    redacted.length > maxLoggedMessageChars
      ? `${redacted.slice(0, maxLoggedMessageChars)}... [${redacted.length - maxLoggedMessageChars} more chars]`
      : redacted;
  return { tfCode: tfCodeName(code), message: bounded };
}

/** The status a RunStepResponse carries in its body (store_errors_in_response_body), if it failed. */
function bodyFailure(message: unknown): LoggedFailure | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const m = message as { $typeName?: unknown; statusCode?: unknown; statusErrorMessage?: unknown };
  if (m.$typeName !== "tensorflow.RunStepResponse" || typeof m.statusCode !== "number" || m.statusCode === 0)
    return undefined;
  return loggedFailure(m.statusCode, typeof m.statusErrorMessage === "string" ? m.statusErrorMessage : "");
}

/** What we know about one request while it runs. */
interface CallRecord {
  /** Set for requests to an RPC route: its tally entry, counted as started, with its labels. */
  readonly rpc: RpcTallyEntry | undefined;
  /** The final code, once the interceptor has seen the call end. */
  code: string | undefined;
  /** The failure the interceptor saw: the call's error, or a RunStep's status in its body. */
  failure: LoggedFailure | undefined;
  /** grpc-status of the HTTP trailers sent (gRPC), for calls the interceptor never saw. */
  trailerStatus: string | undefined;
}

const callRecordKey = createContextKey<CallRecord | undefined>(undefined, {
  description: "tfgate call record",
});

/** Where an RPC's log line goes (a Fastify request's logger, or the app's). */
export type RpcLog = Pick<FastifyBaseLogger, "info" | "warn">;

/** One RPC's outcome, as the transport that served it reports it. */
export interface RpcTracker {
  /** The call answered `message` (a RunStep may carry its failure in the body). */
  succeeded(message: unknown): void;
  /**
   * The call failed with `error` (any value; it is read as a ConnectError). `handled` false: it
   * never reached its implementation (a protocol error), so the log line has the code only.
   */
  failed(error: unknown, handled: boolean): void;
  /** Records and logs the call; a call that neither succeeded nor failed was cancelled. */
  end(): void;
}

export interface GatewayMetricsOptions {
  /** The services whose methods are RPC routes (path `/<typeName>/<Method>`). */
  readonly services: readonly DescService[];
  /** Read at every scrape for the open-sessions gauge. */
  readonly openSessions: () => number;
}

/**
 * Metrics and request logging for one app. Wire it up with `onRequest` (a Fastify hook),
 * `contextValues` (connect-fastify's option) and `interceptor` (a Connect interceptor). Not shared
 * between apps: each has its own registry.
 */
export interface GatewayMetrics {
  readonly registry: Registry;
  /** Fastify `onRequest` hook: starts tracking the request; logs and records it when it closes. */
  onRequest(request: FastifyRequest, reply: FastifyReply): void;
  /** connect-fastify `contextValues`: hands the request's record to the interceptor. */
  contextValues(request: FastifyRequest): ContextValues;
  /** Records the final status code of each call that reaches its implementation. */
  readonly interceptor: Interceptor;
  /**
   * Tracks an RPC served outside Fastify (the gRPC fast path, rpc/grpc-unary.ts): counted as started
   * now, recorded and logged at `end()` exactly as a Connect call is.
   */
  startRpc(
    route: { readonly service: string; readonly method: string },
    protocol: { readonly protocol: RpcProtocol; readonly encoding: RpcEncoding },
    log: RpcLog,
  ): RpcTracker;
  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export function createGatewayMetrics(options: GatewayMetricsOptions): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const tally = new RpcTally({
    started: {
      name: "tfgate_rpc_started_total",
      help: "RPCs started, by service, method, protocol and encoding.",
    },
    handled: {
      name: "tfgate_rpc_handled_total",
      help: 'RPCs completed, by final status code ("ok" or the error code).',
    },
    duration: {
      name: "tfgate_rpc_duration_seconds",
      help: "RPC duration from request to the end of the response (the whole stream for streaming calls).",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    },
  });
  tally.register(registry);
  new Gauge({
    name: "tfgate_open_sessions",
    help: "MasterService sessions currently open.",
    registers: [registry],
    collect() {
      this.set(options.openSessions());
    },
  });

  const routes = new Map<string, { service: string; method: string }>();
  for (const service of options.services) {
    for (const method of service.methods) {
      routes.set(`/${service.typeName}/${method.name}`, { service: service.typeName, method: method.name });
    }
  }
  const records = new WeakMap<FastifyRequest, CallRecord>();

  /** Records a finished RPC and writes its log line (one implementation for both transports). */
  const finishRpc = (
    counted: RpcTallyEntry,
    code: string,
    failure: LoggedFailure | undefined,
    ms: number,
    log: RpcLog,
  ) => {
    tally.ended(counted, code, ms / 1000);
    const rpc = counted.labels;
    const line = {
      rpc: `/${rpc.service}/${rpc.method}`,
      protocol: rpc.protocol,
      encoding: rpc.encoding,
      code,
      ms,
      ...failure,
    };
    const failed = failure === undefined ? code : failure.tfCode.toLowerCase();
    if (serverSideCodes.has(failed)) log.warn(line, "rpc");
    else log.info(line, "rpc");
  };
  const finish = (request: FastifyRequest, reply: FastifyReply, record: CallRecord): void => {
    const ms = Math.round(reply.elapsedTime * 1000) / 1000;
    const rpc = record.rpc;
    if (rpc === undefined) {
      request.log.info(
        { method: request.method, url: request.url, status: reply.raw.statusCode, ms },
        "http",
      );
      return;
    }
    finishRpc(
      rpc,
      record.code ?? codeFromResponse(reply, record.trailerStatus),
      record.failure,
      ms,
      request.log,
    );
  };

  return {
    registry,
    onRequest(request, reply) {
      const route = request.routeOptions.url === undefined ? undefined : routes.get(request.routeOptions.url);
      const rpc =
        route === undefined
          ? undefined
          : { ...route, ...rpcProtocolOf(request.method, request.headers["content-type"], request.url) };
      const record: CallRecord = {
        rpc: rpc === undefined ? undefined : tally.started(rpc),
        code: undefined,
        failure: undefined,
        trailerStatus: undefined,
      };
      records.set(request, record);
      if (rpc?.protocol === "grpc") captureTrailerStatus(reply.raw, record);
      reply.raw.once("close", () => finish(request, reply, record));
    },
    contextValues(request) {
      return createContextValues().set(callRecordKey, records.get(request));
    },
    interceptor: (next) => async (req) => {
      const record = req.contextValues.get(callRecordKey);
      try {
        const res = await next(req);
        if (record === undefined) return res;
        if (!res.stream) {
          record.code = "ok";
          record.failure = bodyFailure(res.message);
          return res;
        }
        return { ...res, message: observeStream(res.message, record) };
      } catch (error) {
        if (record !== undefined) noteError(record, error);
        throw error;
      }
    },
    startRpc(route, protocol, log) {
      const rpc: RpcLabels = {
        service: route.service,
        method: route.method,
        protocol: protocol.protocol,
        encoding: protocol.encoding,
      };
      const start = performance.now();
      const counted = tally.started(rpc);
      const record: CallRecord = {
        rpc: counted,
        code: undefined,
        failure: undefined,
        trailerStatus: undefined,
      };
      return {
        succeeded(message) {
          record.code = "ok";
          record.failure = bodyFailure(message);
        },
        failed(error, handled) {
          if (handled) noteError(record, error);
          else record.code = codeName(ConnectError.from(error).code);
        },
        end() {
          const ms = Math.round((performance.now() - start) * 1000) / 1000;
          finishRpc(counted, record.code ?? "canceled", record.failure, ms, log);
        },
      };
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** Passes a response stream through, noting how it ended. */
async function* observeStream<T>(messages: AsyncIterable<T>, record: CallRecord): AsyncIterable<T> {
  try {
    yield* messages;
    record.code = "ok";
  } catch (error) {
    noteError(record, error);
    throw error;
  } finally {
    // Neither returned nor threw: the consumer stopped early, i.e. the client went away.
    record.code ??= "canceled";
  }
}

/** Notes the code and (for the log) the failure of a call that ended with an error. */
function noteError(record: CallRecord, error: unknown): void {
  const e = ConnectError.from(error);
  record.code = codeName(e.code);
  record.failure = loggedFailure(e.code, e.rawMessage);
}

/** Notes the grpc-status that connect-node sends as an HTTP trailer (not readable afterwards). */
function captureTrailerStatus(response: FastifyReply["raw"], record: CallRecord): void {
  const addTrailers = response.addTrailers;
  response.addTrailers = (headers) => {
    const status = isHeaderList(headers)
      ? headers.find(([name]) => name.toLowerCase() === "grpc-status")?.[1]
      : headers["grpc-status"];
    if (typeof status === "string") record.trailerStatus = status;
    addTrailers.call(response, headers);
  };
}

function isHeaderList(
  headers: OutgoingHttpHeaders | readonly [string, string][],
): headers is readonly [string, string][] {
  return Array.isArray(headers);
}

/**
 * The code of a call rejected before it reached its implementation, read from the response:
 * gRPC and gRPC-Web carry it in `grpc-status`; a Connect error's HTTP status is mapped back with
 * the inverse of Connect's codeToHttpStatus. Responses that are not Connect errors at all (415
 * unsupported media type, 405 method not allowed) are labelled `http_<status>`.
 */
function codeFromResponse(reply: FastifyReply, trailerStatus: string | undefined): string {
  if (!reply.raw.writableFinished) return "canceled";
  const grpcStatus = trailerStatus ?? reply.raw.getHeader("grpc-status");
  if (grpcStatus !== undefined) {
    const code = Number(grpcStatus);
    return Number.isInteger(code) && code >= 0 && code <= 16 ? codeName(code) : "unknown";
  }
  const status = reply.raw.statusCode;
  switch (status) {
    case 200:
      // The implementation never ran, so the call failed; gRPC-Web keeps the code in the body.
      return "unknown";
    case 400:
      return "invalid_argument"; // also failed_precondition and out_of_range, never sent before the handler
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "not_found";
    case 409:
      return "aborted"; // or already_exists
    case 429:
      return "resource_exhausted";
    case 499:
      return "canceled";
    case 500:
      return "internal"; // or unknown, data_loss
    case 501:
      return "unimplemented";
    case 503:
      return "unavailable";
    case 504:
      return "deadline_exceeded";
    default:
      return `http_${status}`;
  }
}
