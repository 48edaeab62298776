// The MasterService adapter: Connect handlers for the ten methods, delegating to the engine's
// Master. No session logic lives here: it forwards requests, applies
// store_errors_in_response_body (RunStep) and maps errors at one boundary.
//
// The same implementation serves /tensorflow.grpc.MasterService/* (the .proto's package) and
// /tensorflow.MasterService/* (the path real TensorFlow clients use).

import { create } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { FastifyBaseLogger } from "fastify";
import { RunStepResponseSchema } from "../../gen/tensorflow/core/protobuf/master_pb.js";
import type { MasterService } from "../../gen/tensorflow/core/protobuf/master_service_pb.js";
import type { Code as TfStatusCode } from "../../gen/xla/tsl/protobuf/error_codes_pb.js";
import { deadlineExceeded, isTfError } from "../engine/framework/errors.js";
import type { Master } from "../engine/master/master.js";
import { toConnectError } from "./errors.js";

export interface MasterServiceDeps {
  readonly logger: FastifyBaseLogger;
}

/**
 * Runs `f` with the caller's cancellation as the engine sees it: a deadline that fires becomes
 * DEADLINE_EXCEEDED, a disconnect CANCELLED. The listener is removed when `f` settles (connect-es
 * aborts ctx.signal after every call, finished or not).
 */
async function withCallSignal<T>(ctx: HandlerContext, f: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => {
    const deadline = ctx.timeoutMs();
    controller.abort(
      deadline !== undefined && deadline <= 0
        ? deadlineExceeded("Deadline Exceeded")
        : (ctx.signal.reason ?? new Error("cancelled")),
    );
  };
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await f(controller.signal);
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
  }
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
    createSession: (req) => guard("CreateSession", () => master.createSession(req)),
    extendSession: (req) => guard("ExtendSession", () => master.extendSession(req)),
    partialRunSetup: (req) => guard("PartialRunSetup", () => master.partialRunSetup(req)),
    async runStep(req, ctx) {
      try {
        return await withCallSignal(ctx, (signal) => master.runStep(req, { signal }));
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
    closeSession: (req) => guard("CloseSession", () => master.closeSession(req)),
    listDevices: (req) => guard("ListDevices", () => master.listDevices(req)),
    reset: (req) => guard("Reset", () => master.reset(req)),
    makeCallable: (req) => guard("MakeCallable", () => master.makeCallable(req)),
    runCallable: (req, ctx) =>
      guard("RunCallable", () => withCallSignal(ctx, (signal) => master.runCallable(req, { signal }))),
    releaseCallable: (req) => guard("ReleaseCallable", () => master.releaseCallable(req)),
  };
}
