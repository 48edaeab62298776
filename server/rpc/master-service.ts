// The MasterService adapter: Connect handlers for the ten methods, delegating to the engine's
// Master. No session logic lives here: it forwards requests, applies
// store_errors_in_response_body (RunStep) and maps errors at one boundary.
//
// The same implementation serves /tensorflow.grpc.MasterService/* (the .proto's package) and
// /tensorflow.MasterService/* (the path real TensorFlow clients use).

import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { FastifyBaseLogger } from "fastify";
import { RunStepResponseSchema } from "../../gen/tensorflow/core/protobuf/master_pb.js";
import type { MasterService } from "../../gen/tensorflow/core/protobuf/master_service_pb.js";
import type { Code as TfStatusCode } from "../../gen/xla/tsl/protobuf/error_codes_pb.js";
import { principalOf } from "../auth/principal.js";
import { deadlineExceeded, isTfError, type TfError, unavailable } from "../engine/framework/errors.js";
import type { CallContext, Master } from "../engine/master/master.js";
import { toConnectError } from "./errors.js";

export interface MasterServiceDeps {
  readonly logger: FastifyBaseLogger;
}

/**
 * Runs `f` with the caller's cancellation as the engine sees it: a deadline that fires becomes
 * DEADLINE_EXCEEDED, a disconnect CANCELLED. The listener is removed when `f` settles (connect-es
 * aborts ctx.signal after every call, finished or not).
 *
 * Server shutdown (app.ts aborts every call still running after --shutdown-timeout-ms with
 * UNAVAILABLE) is answered at once: the step is cancelled with UNAVAILABLE and the caller gets
 * that answer without waiting for the step's kernels to wind down, so the response is written
 * before the connections are forced closed (docs/security.md, "Shutdown under load").
 */
async function withCallSignal<T>(
  ctx: HandlerContext,
  f: (call: Required<CallContext>) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let answerNow: (e: TfError) => void = () => {};
  const shuttingDown = new Promise<never>((_, reject) => {
    answerNow = reject;
  });
  const onAbort = () => {
    const reason: unknown = ctx.signal.reason;
    if (reason instanceof ConnectError && reason.code === Code.Unavailable) {
      const e = unavailable(`${reason.rawMessage}: the step was cancelled`);
      controller.abort(e);
      answerNow(e);
      return;
    }
    // connect-es aborts with its own DeadlineExceeded when the deadline timer fires; the clock it
    // reads for timeoutMs() may still show a millisecond left, so both are checked.
    const expired =
      (reason instanceof ConnectError && reason.code === Code.DeadlineExceeded) ||
      (ctx.timeoutMs() ?? 1) <= 0;
    controller.abort(expired ? deadlineExceeded("Deadline Exceeded") : (reason ?? new Error("cancelled")));
  };
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const work = f({
      signal: controller.signal,
      principal: principalOf(ctx),
      deadlineMs: () => ctx.timeoutMs(),
    });
    // The step's own outcome still settles (and is dropped) when it loses the race.
    work.catch(() => {});
    return await Promise.race([work, shuttingDown]);
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
  }
}

/** The engine's view of the caller, for methods that are not cancelled by the client. */
function caller(ctx: HandlerContext): CallContext {
  return { principal: principalOf(ctx) };
}

export function createMasterServiceImpl(
  master: Master,
  deps: MasterServiceDeps,
): ServiceImpl<typeof MasterService> {
  const { logger } = deps;
  const guard = async <T>(method: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw toConnectError(e, logger, method);
    }
  };
  return {
    createSession: (req, ctx) => guard("CreateSession", () => master.createSession(req, caller(ctx))),
    extendSession: (req, ctx) => guard("ExtendSession", () => master.extendSession(req, caller(ctx))),
    partialRunSetup: (req, ctx) => guard("PartialRunSetup", () => master.partialRunSetup(req, caller(ctx))),
    async runStep(req, ctx) {
      try {
        return await withCallSignal(ctx, (call) => master.runStep(req, call));
      } catch (e) {
        // TF's gRPC master: with store_errors_in_response_body the status travels in the body and
        // the call itself succeeds (GrpcSession always sets it).
        if (req.storeErrorsInResponseBody && isTfError(e)) {
          return create(RunStepResponseSchema, {
            statusCode: e.code as TfStatusCode,
            statusErrorMessage: e.message,
          });
        }
        throw toConnectError(e, logger, "RunStep");
      }
    },
    closeSession: (req, ctx) => guard("CloseSession", () => master.closeSession(req, caller(ctx))),
    listDevices: (req, ctx) => guard("ListDevices", () => master.listDevices(req, caller(ctx))),
    reset: (req, ctx) => guard("Reset", () => master.reset(req, caller(ctx))),
    makeCallable: (req, ctx) => guard("MakeCallable", () => master.makeCallable(req, caller(ctx))),
    runCallable: (req, ctx) =>
      guard("RunCallable", () => withCallSignal(ctx, (call) => master.runCallable(req, call))),
    releaseCallable: (req, ctx) => guard("ReleaseCallable", () => master.releaseCallable(req, caller(ctx))),
  };
}
