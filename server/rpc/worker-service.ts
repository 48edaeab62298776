// The WorkerService adapter: Connect handlers for TF's WorkerService, delegating to the engine's
// WorkerService (engine/worker/worker-service.ts). As with the MasterService, one implementation
// serves /tensorflow.WorkerService/<Method> (the path TF's own master and workers call) and
// /tensorflow.grpc.WorkerService/<Method> (the .proto's package).
//
// Methods TF's base Worker does not serve either are answered as TF's GrpcWorker answers them:
// Logging with an empty log (tfgate records no per-RPC logs), Tracing UNIMPLEMENTED, RecvBuf
// UNIMPLEMENTED; the collective methods UNIMPLEMENTED (tfgate has no collective executor).

import { create } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { FastifyBaseLogger } from "fastify";
import {
  CleanupAllResponseSchema,
  CleanupGraphResponseSchema,
  CreateWorkerSessionResponseSchema,
  DeleteWorkerSessionResponseSchema,
  DeregisterGraphResponseSchema,
  GetStatusResponseSchema,
  LoggingResponseSchema,
  MarkRecvFinishedResponseSchema,
  RegisterGraphResponseSchema,
  RunGraphResponseSchema,
} from "../../gen/tensorflow/core/protobuf/worker_pb.js";
import type { WorkerService } from "../../gen/tensorflow/core/protobuf/worker_service_pb.js";
import type { Code as TfStatusCode } from "../../gen/xla/tsl/protobuf/error_codes_pb.js";
import { principalOf } from "../auth/principal.js";
import { cancelled, isTfError, unimplemented } from "../engine/framework/errors.js";
import type { WorkerCallContext, WorkerService as WorkerEngine } from "../engine/worker/worker-service.js";
import { toConnectError } from "./errors.js";

export interface WorkerServiceDeps {
  readonly logger: FastifyBaseLogger;
}

/** The caller as the engine sees it: principal and the call's cancellation (deadline, disconnect). */
function caller(ctx: HandlerContext): WorkerCallContext {
  return { principal: principalOf(ctx), signal: ctx.signal };
}

const noCollectives = (method: string) =>
  unimplemented(
    `${method}: tfgate workers have no collective executor (collective ops are not supported on tfgate tasks)`,
  );

export function createWorkerServiceImpl(
  engine: WorkerEngine,
  deps: WorkerServiceDeps,
): ServiceImpl<typeof WorkerService> {
  const { logger } = deps;
  const guard = async <T>(method: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw toConnectError(e, logger, method);
    }
  };
  return {
    getStatus: () =>
      guard("GetStatus", async () =>
        create(GetStatusResponseSchema, { deviceAttributes: engine.getStatus() }),
      ),
    createWorkerSession: (req, ctx) =>
      guard("CreateWorkerSession", async () => {
        await engine.createWorkerSession(req, caller(ctx));
        return create(CreateWorkerSessionResponseSchema);
      }),
    deleteWorkerSession: (req, ctx) =>
      guard("DeleteWorkerSession", async () => {
        await engine.deleteWorkerSession(req.sessionHandle, caller(ctx));
        return create(DeleteWorkerSessionResponseSchema);
      }),
    registerGraph: (req, ctx) =>
      guard("RegisterGraph", async () =>
        create(RegisterGraphResponseSchema, { graphHandle: await engine.registerGraph(req, caller(ctx)) }),
      ),
    deregisterGraph: (req, ctx) =>
      guard("DeregisterGraph", async () => {
        await engine.deregisterGraph(req, caller(ctx));
        return create(DeregisterGraphResponseSchema);
      }),
    async runGraph(req, ctx) {
      try {
        return await engine.runGraph(req, caller(ctx));
      } catch (e) {
        // TF's Worker::RunGraphAsync: with store_errors_in_response_body the status travels in
        // the body and the call succeeds (TF's master sets it on every RunGraph).
        const error = ctx.signal.aborted && !isTfError(e) ? cancelled("RunGraph was cancelled") : e;
        if (req.storeErrorsInResponseBody && isTfError(error)) {
          return create(RunGraphResponseSchema, {
            statusCode: error.code as TfStatusCode,
            statusErrorMessage: error.message,
          });
        }
        throw toConnectError(error, logger, "RunGraph");
      }
    },
    cleanupGraph: (req) =>
      guard("CleanupGraph", async () => {
        engine.cleanupGraph(req.stepId);
        return create(CleanupGraphResponseSchema);
      }),
    cleanupAll: (req, ctx) =>
      guard("CleanupAll", async () => {
        await engine.cleanupAll(req, caller(ctx));
        return create(CleanupAllResponseSchema);
      }),
    recvTensor: (req, ctx) => guard("RecvTensor", () => engine.recvTensor(req, caller(ctx))),
    // No RecvTensor answer here asks for an acknowledgement (require_ack is never set).
    markRecvFinished: () => guard("MarkRecvFinished", async () => create(MarkRecvFinishedResponseSchema)),
    logging: () => guard("Logging", async () => create(LoggingResponseSchema)),
    tracing: () => guard("Tracing", async () => Promise.reject(unimplemented("Tracing"))),
    recvBuf: () =>
      guard("RecvBuf", async () =>
        Promise.reject(unimplemented("RecvBuf: tfgate workers exchange tensors with RecvTensor only")),
      ),
    getStepSequence: () =>
      guard("GetStepSequence", async () => Promise.reject(noCollectives("GetStepSequence"))),
    completeGroup: () => guard("CompleteGroup", async () => Promise.reject(noCollectives("CompleteGroup"))),
    completeInstance: () =>
      guard("CompleteInstance", async () => Promise.reject(noCollectives("CompleteInstance"))),
  };
}
