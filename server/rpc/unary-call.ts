// One unary MasterService call on a fast path, whichever protocol frames it: gRPC over HTTP/2
// streams (rpc/grpc-unary.ts), Connect and gRPC-Web over HTTP/2 or HTTP/1.1 (rpc/web-unary.ts). The
// steps between the bytes arriving and the answer being written are the same on every fast path
// and are written once here: the deadline timer, the call's abort signal (deadline, client gone,
// server shutdown), authentication started with the headers, the body read under readMaxBytes,
// decoding, the engine call, the metrics tracker and the log line's reqId, and the errors every
// protocol words alike (size limits, INTERNAL for a failure that is not a ConnectError). A
// transport supplies only its framing: how the body's bytes arrive and are split into the message
// (UnaryBody), and how an answer or an error is written (UnaryReply).
//
// The checks run in connect-es's order (size, decompression, decoding, each message in turn, then
// authentication, then the call) so a fast path answers exactly what Fastify + connect-es answer
// for the same request.
// Each stage is synchronous unless it waits for something that is not there yet (a compressed
// body, a big graph decoded in slices, an authentication still running): for a small call the
// engine's promise is the only one (docs/benchmarks.md, "Balancing the RPC loop").

import { type DescMessage, type MessageShape, toBinary, toJsonString } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";
import type { AuthResult } from "../auth/authenticator.js";
import { CallCancellation } from "../engine/framework/call-cancellation.js";
import { SlotTable } from "../engine/framework/slot-table.js";
import type { CallMemory } from "../engine/master/call-memory.js";
import type { GatewayMetrics, RpcEncoding, RpcLog, RpcProtocol, RpcTracker } from "../metrics.js";
import { requestBodyPool } from "./body-pool.js";
import { decodeJsonRequest, decodeRequest } from "./graph-requests.js";
import type { HttpExchange } from "./http-exchange.js";
import type { MasterCalls, RpcCall } from "./master-service.js";
import { type EncodedMessage, encodeRunCallableResponse, encodeRunStepResponse } from "./run-step-codec.js";
import { MasterServiceProtoPath, MasterServiceTfPath } from "./services.js";
import { STEPS_PER_TURN, TurnQueue } from "./turn-queue.js";

/** What every fast path needs to run a call. */
export interface UnaryCallOptions {
  /** Largest request message, after decompression (connect's readMaxBytes). */
  readonly readMaxBytes: number;
  authenticate(authorization: string | undefined, remoteAddress: string | undefined): Promise<AuthResult>;
  /** Aborted (with the ConnectError to answer) when in-flight calls must stop for shutdown. */
  readonly shutdownSignal: AbortSignal;
  readonly metrics: Pick<GatewayMetrics, "startRpc">;
  readonly log: RpcLog;
}

/** A MasterService method as the fast paths serve it. */
export interface Route {
  readonly service: string;
  readonly method: string;
  readonly input: DescMessage;
  readonly output: DescMessage;
  /** The response with `reserve` bytes in front (the frame header). */
  encode(response: never, reserve: number): EncodedMessage;
  readonly call: (req: never, call: RpcCall) => Promise<unknown>;
  /** RunStep and RunCallable: a call starts a step, and waits its turn in `stepStarts`. */
  readonly startsStep: boolean;
}

/** Both service names' methods by path. */
export function buildRoutes(calls: MasterCalls): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const service of [MasterServiceProtoPath, MasterServiceTfPath]) {
    for (const method of service.methods) {
      const name = method.localName as keyof MasterCalls;
      const encode =
        name === "runStep"
          ? encodeRunStepResponse
          : name === "runCallable"
            ? encodeRunCallableResponse
            : (res: MessageShape<DescMessage>, reserve: number) => encodeWhole(method.output, res, reserve);
      routes.set(`/${service.typeName}/${method.name}`, {
        service: service.typeName,
        method: method.name,
        input: method.input,
        output: method.output,
        encode: encode as Route["encode"],
        call: calls[name] as Route["call"],
        startsStep: name === "runStep" || name === "runCallable",
      });
    }
  }
  return routes;
}

function encodeWhole(
  schema: DescMessage,
  message: MessageShape<DescMessage>,
  reserve: number,
): EncodedMessage {
  const body = toBinary(schema, message);
  const out = Buffer.allocUnsafe(reserve + body.length);
  out.fill(0, 0, reserve);
  out.set(body, reserve);
  return { chunks: [out], byteLength: body.length };
}

/**
 * The response in the call's encoding with `reserve` bytes in front: JSON as connect-es writes it
 * (toJsonString's defaults; a failure is INTERNAL with its text), else the route's binary encoder.
 */
export function encodeResponse(
  route: Route,
  encoding: RpcEncoding,
  response: unknown,
  reserve: number,
): EncodedMessage {
  if (encoding === "proto") return route.encode(response as never, reserve);
  let json: string;
  try {
    json = toJsonString(route.output, response as MessageShape<DescMessage>);
  } catch (e) {
    throw ConnectError.from(e, Code.Internal);
  }
  const out = Buffer.allocUnsafe(reserve + Buffer.byteLength(json));
  out.fill(0, 0, reserve);
  const byteLength = out.write(json, reserve);
  return { chunks: [out], byteLength };
}

/** A request header as one string (repeated values joined as Node joins them). */
export function header(headers: HttpExchange["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

let callsServed = 0;

/** One call's log: the reqId is spelled out only for a line that is written. */
class CallLog {
  constructor(
    private readonly log: RpcLog,
    private readonly prefix: string,
    private readonly n: number,
  ) {}

  info(line: object, message: string): void {
    this.log.info({ reqId: `${this.prefix}-${this.n}`, ...line }, message);
  }

  warn(line: object, message: string): void {
    this.log.warn({ reqId: `${this.prefix}-${this.n}`, ...line }, message);
  }
}

/**
 * The log for one call: its lines carry a reqId as Fastify's do ("grpc-<n>", "connect-<n>" and
 * "grpc-web-<n>" on the fast paths, "req-<n>" for Fastify).
 */
function callLog(log: RpcLog, prefix: string): RpcLog {
  return new CallLog(log, prefix, ++callsServed) as unknown as RpcLog;
}

/**
 * Each in-flight call's way to end it for shutdown; all of them are called when `signal` aborts.
 * A slot table, not a Set: an entry comes and goes with every call (framework/slot-table.ts).
 */
export type InFlightCalls = SlotTable<(reason: unknown) => void>;

export function inFlightCalls(signal: AbortSignal): InFlightCalls {
  const inFlight: InFlightCalls = new SlotTable();
  signal.addEventListener("abort", () => {
    for (const abort of inFlight.values()) abort(signal.reason);
  });
  return inFlight;
}

/** A request body as a protocol frames it: gathered chunk by chunk, then the one message. */
export interface UnaryBody {
  /** Adds a chunk; returns the error when the body is (or is announced) larger than allowed. */
  push(chunk: Buffer): ConnectError | undefined;
  /**
   * The (first) request message, decompressed; throws (or rejects with) connect-es's error for a
   * body without one. Synchronous when nothing needs waiting for.
   */
  message(compression: Compression | null, readMaxBytes: number): Uint8Array | Promise<Uint8Array>;
  /**
   * A second message after the first, decompressed (gRPC framing), or undefined when there is none;
   * throws (or rejects with) connect-es's error for a partial one.
   */
  second(compression: Compression | null, readMaxBytes: number): Uint8Array | Promise<Uint8Array> | undefined;
  /**
   * The pooled shared memory that holds exactly the whole body (rpc/body-pool.ts), which goes back
   * to the pool once the engine lets go of it and the answer is written; else undefined.
   */
  pooledMemory(): SharedArrayBuffer | undefined;
}

/** How a protocol writes the one answer of a call. */
export interface UnaryReply {
  /** True once an answer (or error) was written. */
  readonly sent: boolean;
  /** Writes the answer; `written` is called once its bytes have all gone to the socket. */
  message(route: Route, response: unknown, written?: () => void): Promise<void>;
  /**
   * Answers with `error`. `handled`: the call reached its implementation (the log line names the
   * failure, as connect-es's metrics interceptor does); protocol errors before it log the code only.
   */
  error(error: unknown, handled?: boolean): void;
}

/** What the headers decided about a claimed call. */
export interface UnaryCallPlan {
  readonly protocol: RpcProtocol;
  readonly encoding: RpcEncoding;
  readonly timeoutMs: number | undefined;
  readonly requestCompression: Compression | null;
}

/** Where a call's request comes from (rpc/http-exchange.ts). */
export type UnarySource = Pick<
  HttpExchange,
  "headers" | "remoteAddress" | "onData" | "onEnd" | "discardBody" | "onClose"
>;

/** How a transport frames one call. */
export interface UnaryFraming {
  readonly body: UnaryBody;
  reply(tracker: RpcTracker): UnaryReply;
  /** The CANCELLED message for a client that went away before its answer. */
  readonly closedMessage: string;
}

const maxTimerMs = 2 ** 31 - 1;
const noDeadline = (): undefined => undefined;

/** Serves one claimed call from its first byte to its answer. */
export function serveUnaryCall(
  source: UnarySource,
  route: Route,
  plan: UnaryCallPlan,
  framing: UnaryFraming,
  options: UnaryCallOptions,
  inFlight: InFlightCalls,
): void {
  const tracker = options.metrics.startRpc(
    route,
    { protocol: plan.protocol, encoding: plan.encoding },
    callLog(options.log, plan.protocol),
  );
  const controller = new CallCancellation();
  const deadline = plan.timeoutMs === undefined ? undefined : Date.now() + plan.timeoutMs;
  // Node's timers hold at most 2^31-1 ms (24.8 days) and fire at once for longer delays (connect-es
  // has that bug: "1000H" times out immediately); a deadline that far away never fires here.
  const timer =
    plan.timeoutMs === undefined || plan.timeoutMs > maxTimerMs
      ? undefined
      : setTimeout(
          () => controller.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded)),
          plan.timeoutMs,
        );
  const reply = framing.reply(tracker);
  // The client gets the shutdown's UNAVAILABLE (app.ts): a code that tells it to retry elsewhere.
  const shutdown = (reason: unknown): void => {
    controller.abort(reason);
    reply.error(reason);
  };
  const slot = inFlight.add(shutdown);
  source.onClose(() => {
    clearTimeout(timer);
    inFlight.take(slot, shutdown);
    // Closed before the answer was written: the client reset the stream or dropped the connection,
    // and the engine's step is cancelled. After the answer there is nothing left to cancel (and no
    // error to build: a ConnectError captures a stack).
    if (!reply.sent && !controller.aborted) {
      controller.abort(new ConnectError(framing.closedMessage, Code.Canceled));
    }
    tracker.end();
  });
  const auth = authenticate(source, options);
  const body = framing.body;
  source.onData((chunk) => {
    const tooLarge = body.push(chunk);
    if (tooLarge !== undefined) {
      source.discardBody();
      reply.error(tooLarge, false);
    }
  });
  const start = (): void => {
    if (reply.sent) return;
    const memory = body.pooledMemory();
    const callMemory: CallMemory = { reusable: false, returnFetches: undefined };
    const call = {
      signal: controller,
      timeoutMs: deadline === undefined ? noDeadline : () => deadline - Date.now(),
      // `shutdown` above writes the shutdown's answer as it aborts the signal.
      answersShutdown: true,
      callMemory,
    };
    const invocation: Invocation = { route, auth, call, handler: false };
    let running: Promise<unknown>;
    try {
      running = run(invocation, body, plan, options.readMaxBytes);
    } catch (error) {
      reply.error(error, invocation.handler);
      return;
    }
    running.then(
      (response) => reply.message(route, response, afterAnswer(callMemory, memory)),
      (error: unknown) => reply.error(error, invocation.handler),
    );
  };
  // A step-starting call waits its turn (turn-queue.ts); the rest start as soon as read.
  source.onEnd(() => {
    if (reply.sent) return;
    if (route.startsStep) stepStarts.push(start);
    else start();
  });
}

const stepStarts = new TurnQueue(STEPS_PER_TURN, (error) => {
  // start() answers its own failures; this is a bug, and it must cost one call, not the queue.
  process.emitWarning(`a queued call failed to start: ${String(error)}`);
});

/**
 * What to do once a successful answer's bytes have all gone to the socket, since the answer may
 * hold views of the request body and of the fetched tensors' storage: give the body's memory back
 * to its pool when the engine said the step kept none of it, and the fetches' storage back to the
 * engine (engine/master/call-memory.ts). Undefined when there is nothing to give back, so that a
 * small call's answer is written as before.
 */
function afterAnswer(callMemory: CallMemory, body: SharedArrayBuffer | undefined): (() => void) | undefined {
  const reuseBody = body !== undefined && callMemory.reusable;
  const returnFetches = callMemory.returnFetches;
  if (!reuseBody && returnFetches === undefined) return undefined;
  return () => {
    if (reuseBody) requestBodyPool.give(body);
    returnFetches?.();
  };
}

/** A call's authentication, started with its headers; `result` once it resolved. */
interface Authentication {
  readonly pending: Promise<AuthResult>;
  result: AuthResult | undefined;
}

/** Authentication runs while the body arrives (a JWT check can take a moment). */
function authenticate(source: UnarySource, options: UnaryCallOptions): Authentication {
  const auth: Authentication = {
    pending: options.authenticate(header(source.headers, "authorization"), source.remoteAddress),
    result: undefined,
  };
  auth.pending.then(
    (result) => {
      auth.result = result;
    },
    () => {},
  );
  return auth;
}

/** A call on its way from its body to the engine: what each stage below passes on. */
interface Invocation {
  readonly route: Route;
  readonly auth: Authentication;
  readonly call: Omit<RpcCall, "principal">;
  /** True once the call reached its implementation (its failure is then the handler's). */
  handler: boolean;
}

/** Reads, decodes, authenticates and calls; throws (rather than rejects) what fails synchronously. */
function run(
  invocation: Invocation,
  body: UnaryBody,
  plan: UnaryCallPlan,
  readMaxBytes: number,
): Promise<unknown> {
  // connect-es reads and parses the request before its interceptors refuse an unauthenticated call,
  // so a malformed body is reported first on every path.
  const bytes = body.message(plan.requestCompression, readMaxBytes);
  const next = (b: Uint8Array): Promise<unknown> => {
    checkReadMax(b, readMaxBytes);
    const request = decode(invocation.route.input, b, plan.encoding);
    const call = (decoded: MessageShape<DescMessage>): Promise<unknown> =>
      refuseSecond(invocation.route.input, body, plan, readMaxBytes) ??
      callAuthenticated(invocation, decoded);
    return request instanceof Promise ? request.then(call) : call(request);
  };
  return bytes instanceof Promise ? bytes.then(next) : next(bytes);
}

/**
 * Undefined when the body held one message; else the promise of connect-es's error: it takes the
 * messages in turn, each decompressed, size-checked and decoded, so a second message is refused as
 * extra only once it decoded (its own error otherwise). Throws a partial second message's error.
 */
function refuseSecond(
  input: DescMessage,
  body: UnaryBody,
  plan: UnaryCallPlan,
  readMaxBytes: number,
): Promise<never> | undefined {
  const second = body.second(plan.requestCompression, readMaxBytes);
  if (second === undefined) return undefined;
  const refuse = async (b: Uint8Array): Promise<never> => {
    checkReadMax(b, readMaxBytes);
    await decode(input, b, plan.encoding);
    throw new ConnectError(
      "protocol error: received extra input message for unary method",
      Code.Unimplemented,
    );
  };
  return second instanceof Promise ? second.then(refuse) : refuse(second);
}

function checkReadMax(bytes: Uint8Array, readMaxBytes: number): void {
  if (bytes.byteLength > readMaxBytes) throw sizeLimitError(bytes.byteLength, "readMaxBytes", readMaxBytes);
}

/** connect-es's error for a message over readMaxBytes or writeMaxBytes. */
export function sizeLimitError(
  size: number,
  limit: "readMaxBytes" | "writeMaxBytes",
  maxBytes: number,
): ConnectError {
  return new ConnectError(
    `message size ${size} is larger than configured ${limit} ${maxBytes}`,
    Code.ResourceExhausted,
  );
}

/** What a reply answers for `error`: itself, or INTERNAL for anything that is not a ConnectError. */
export function asConnectError(error: unknown): ConnectError {
  return error instanceof ConnectError
    ? error
    : new ConnectError("internal error", Code.Internal, undefined, undefined, error);
}

/** connect-es's error for a request it cannot decode, per encoding. */
function decodeError(encoding: RpcEncoding, e: unknown): ConnectError {
  return encoding === "proto"
    ? new ConnectError(`parse binary: ${e instanceof Error ? e.message : String(e)}`, Code.Internal)
    : ConnectError.from(e, Code.InvalidArgument);
}

/** The request, in slices or off the RPC thread when it is a big graph's (rpc/graph-requests.ts). */
function decode(
  input: DescMessage,
  bytes: Uint8Array,
  encoding: RpcEncoding,
): MessageShape<DescMessage> | Promise<MessageShape<DescMessage>> {
  let request: MessageShape<DescMessage> | Promise<MessageShape<DescMessage>>;
  try {
    request = encoding === "proto" ? decodeRequest(input, bytes) : decodeJsonRequest(input, bytes);
  } catch (e) {
    throw decodeError(encoding, e);
  }
  if (!(request instanceof Promise)) return request;
  return request.catch((e: unknown) => {
    throw decodeError(encoding, e);
  });
}

function callAuthenticated(invocation: Invocation, request: MessageShape<DescMessage>): Promise<unknown> {
  // From here on connect-es's interceptors see the call, so its log line carries the failure.
  invocation.handler = true;
  const { route, auth, call } = invocation;
  const invoke = (caller: AuthResult): Promise<unknown> => {
    if ("denied" in caller) throw new ConnectError(caller.denied, Code.Unauthenticated);
    return route.call(request as never, { ...call, principal: caller.principal });
  };
  return auth.result === undefined ? auth.pending.then(invoke) : invoke(auth.result);
}
