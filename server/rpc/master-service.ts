// The MasterService adapter: the ten methods as calls on the engine's Master, served both by
// connect-es handlers (createMasterServiceImpl) and by the gRPC fast path (rpc/grpc-unary.ts). No
// session logic lives here: it forwards requests, links the caller's cancellation and deadline to
// the engine, applies store_errors_in_response_body (RunStep) and maps errors at one boundary, once
// for both transports.
//
// The same implementation serves /tensorflow.grpc.MasterService/* (the .proto's package) and
// /tensorflow.MasterService/* (the path real TensorFlow clients use).

import { create, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { FastifyBaseLogger } from "fastify";
import { RunStepResponseSchema } from "../../gen/tensorflow/core/protobuf/master_pb.js";
import type { MasterService } from "../../gen/tensorflow/core/protobuf/master_service_pb.js";
import type { Code as TfStatusCode } from "../../gen/xla/tsl/protobuf/error_codes_pb.js";
import { principalOf } from "../auth/principal.js";
import type { CallerSignal } from "../engine/framework/call-cancellation.js";
import {
  deadlineExceeded,
  isTfError,
  TfCode,
  type TfError,
  unavailable,
} from "../engine/framework/errors.js";
import type { CallMemory } from "../engine/master/call-memory.js";
import type { CallContext, Master } from "../engine/master/master.js";
import { toConnectError } from "./errors.js";

export interface MasterServiceDeps {
  readonly logger: FastifyBaseLogger;
}

/** One call as the adapter sees it, whichever transport carries it. */
export interface RpcCall {
  /**
   * Aborted when the call ends early: its deadline (reason: a ConnectError DEADLINE_EXCEEDED),
   * the client going away, or server shutdown (reason: the ConnectError to answer).
   */
  readonly signal: CallerSignal;
  /** Milliseconds left before the call's deadline; undefined without one. */
  timeoutMs(): number | undefined;
  /** The authenticated principal. */
  readonly principal: string;
  /**
   * The transport answers a shutdown's abort itself, at once (the fast paths: rpc/unary-call.ts
   * writes the UNAVAILABLE as it aborts the signal), so the adapter need not race the step
   * against it.
   */
  readonly answersShutdown?: boolean;
  /** The request's memory, which the transport would use again (CallContext.callMemory). */
  readonly callMemory?: CallMemory | undefined;
}

/**
 * Runs `f` with the caller's cancellation as the engine sees it: a deadline that fires becomes
 * DEADLINE_EXCEEDED, a disconnect CANCELLED. The engine gets the call's own signal with the
 * mapping of its reasons (CallContext.abortReason) rather than a linked AbortController: one
 * controller, its signal and listener less per call (docs/benchmarks.md, "Step overhead"). The
 * engine stops listening when its step ends, this function when `f` settles (connect-es aborts
 * ctx.signal after every call, finished or not).
 *
 * Server shutdown (app.ts aborts every call still running after --shutdown-timeout-ms with
 * UNAVAILABLE) is answered at once: the step is cancelled with UNAVAILABLE and the caller gets
 * that answer without waiting for the step's kernels to wind down, so the response is written
 * before the connections are forced closed (docs/security.md, "Shutdown under load"); here, unless
 * the transport writes that answer itself (RpcCall.answersShutdown).
 */
function withCallSignal<T>(call: RpcCall, f: (call: Required<CallContext>) => Promise<T>): Promise<T> {
  const abortReason = callAbortReason(call);
  const linked = {
    signal: call.signal,
    abortReason,
    principal: call.principal,
    deadlineMs: () => call.timeoutMs(),
    callMemory: call.callMemory,
  };
  // A transport that answers the shutdown itself gets the step's own promise: no second promise,
  // listener or closures per call (docs/benchmarks.md, "Balancing the RPC loop").
  if (call.answersShutdown === true) {
    try {
      return f(linked);
    } catch (e) {
      return Promise.reject(e);
    }
  }
  // One promise settled by whichever comes first, the step or a shutdown, rather than a race of
  // two: this runs on every call, and its promises and closures were a visible share of what the
  // RPC loop allocates per small step (docs/benchmarks.md, "Balancing the RPC loop").
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const e = abortReason(call.signal.reason);
      if (e?.code === TfCode.UNAVAILABLE) reject(e);
    };
    if (call.signal.aborted) onAbort();
    else call.signal.addEventListener("abort", onAbort, { once: true });
    // The step's own outcome still settles (and is dropped) when the shutdown answered first.
    f(linked).then(
      (value) => {
        call.signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        call.signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** What the engine reports for each reason the transport aborts a call's signal with. */
function callAbortReason(call: RpcCall): (reason: unknown) => TfError | undefined {
  return (reason: unknown): TfError | undefined => {
    // The same words on every transport (the gRPC fast path answers its other calls with them).
    if (reason instanceof ConnectError && reason.code === Code.Unavailable)
      return unavailable(reason.rawMessage);
    // Transports abort with a DeadlineExceeded ConnectError when the deadline timer fires; the
    // clock read for timeoutMs() may still show a millisecond left, so both are checked.
    const expired =
      (reason instanceof ConnectError && reason.code === Code.DeadlineExceeded) ||
      (call.timeoutMs() ?? 1) <= 0;
    return expired ? deadlineExceeded("Deadline Exceeded") : undefined;
  };
}

type Methods = (typeof MasterService)["method"];
type MethodName = keyof Methods;
type Request<M extends MethodName> = MessageShape<Methods[M]["input"]>;
type Response<M extends MethodName> = MessageShape<Methods[M]["output"]>;

/** A MasterService method as a plain async call; failures are ConnectErrors, already mapped. */
export type MasterCall<M extends MethodName> = (req: Request<M>, call: RpcCall) => Promise<Response<M>>;

/** The ten methods, keyed by their local names (runStep, …). */
export type MasterCalls = { readonly [M in MethodName]: MasterCall<M> };

/** The transport-independent MasterService: what both the Connect handlers and the fast path call. */
export function createMasterCalls(master: Master, deps: MasterServiceDeps): MasterCalls {
  const { logger } = deps;
  const guard = async <T>(method: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw toConnectError(e, logger, method);
    }
  };
  /** The engine's view of the caller, for methods that are not cancelled by the client. */
  const caller = (call: RpcCall): CallContext => ({ principal: call.principal });
  return {
    createSession: (req, call) => guard("CreateSession", () => master.createSession(req, caller(call))),
    extendSession: (req, call) => guard("ExtendSession", () => master.extendSession(req, caller(call))),
    partialRunSetup: (req, call) => guard("PartialRunSetup", () => master.partialRunSetup(req, caller(call))),
    runStep(req, call) {
      return withCallSignal(call, (linked) => master.runStep(req, linked)).catch((e: unknown) => {
        // TF's gRPC master: with store_errors_in_response_body the status travels in the body and
        // the call itself succeeds (GrpcSession always sets it).
        if (req.storeErrorsInResponseBody && isTfError(e)) {
          return create(RunStepResponseSchema, {
            statusCode: e.code as TfStatusCode,
            statusErrorMessage: e.message,
          });
        }
        throw toConnectError(e, logger, "RunStep");
      });
    },
    closeSession: (req, call) => guard("CloseSession", () => master.closeSession(req, caller(call))),
    listDevices: (req, call) => guard("ListDevices", () => master.listDevices(req, caller(call))),
    reset: (req, call) => guard("Reset", () => master.reset(req, caller(call))),
    makeCallable: (req, call) => guard("MakeCallable", () => master.makeCallable(req, caller(call))),
    runCallable: (req, call) =>
      guard("RunCallable", () => withCallSignal(call, (linked) => master.runCallable(req, linked))),
    releaseCallable: (req, call) => guard("ReleaseCallable", () => master.releaseCallable(req, caller(call))),
  };
}

/** A Connect handler context as an RpcCall. */
function rpcCallOf(ctx: HandlerContext): RpcCall {
  return { signal: ctx.signal, timeoutMs: () => ctx.timeoutMs(), principal: principalOf(ctx) };
}

/** The connect-es service implementation over the same calls. */
export function createMasterServiceImpl(calls: MasterCalls): ServiceImpl<typeof MasterService> {
  return {
    createSession: (req, ctx) => calls.createSession(req, rpcCallOf(ctx)),
    extendSession: (req, ctx) => calls.extendSession(req, rpcCallOf(ctx)),
    partialRunSetup: (req, ctx) => calls.partialRunSetup(req, rpcCallOf(ctx)),
    runStep: (req, ctx) => calls.runStep(req, rpcCallOf(ctx)),
    closeSession: (req, ctx) => calls.closeSession(req, rpcCallOf(ctx)),
    listDevices: (req, ctx) => calls.listDevices(req, rpcCallOf(ctx)),
    reset: (req, ctx) => calls.reset(req, rpcCallOf(ctx)),
    makeCallable: (req, ctx) => calls.makeCallable(req, rpcCallOf(ctx)),
    runCallable: (req, ctx) => calls.runCallable(req, rpcCallOf(ctx)),
    releaseCallable: (req, ctx) => calls.releaseCallable(req, rpcCallOf(ctx)),
  };
}
