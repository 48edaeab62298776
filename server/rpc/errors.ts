// Error mapping at the RPC boundary: engine TfError → ConnectError, once per handler.
//
// TF codes 1–16 are numerically the gRPC/Connect codes; the switch below is exhaustive so a new code
// cannot slip through unmapped. Anything that is not a TfError is a bug: it is logged with its
// stack and the client gets INTERNAL with a generic message.

import { Code, ConnectError } from "@connectrpc/connect";
import type { FastifyBaseLogger } from "fastify";
import { isTfError, type TfCode } from "../engine/framework/errors.js";

/** Maps a TF status code to the Connect code of the same number. */
export function connectCode(code: Exclude<TfCode, 0>): Code {
  switch (code) {
    case 1: // CANCELLED
      return Code.Canceled;
    case 2: // UNKNOWN
      return Code.Unknown;
    case 3: // INVALID_ARGUMENT
      return Code.InvalidArgument;
    case 4: // DEADLINE_EXCEEDED
      return Code.DeadlineExceeded;
    case 5: // NOT_FOUND
      return Code.NotFound;
    case 6: // ALREADY_EXISTS
      return Code.AlreadyExists;
    case 7: // PERMISSION_DENIED
      return Code.PermissionDenied;
    case 8: // RESOURCE_EXHAUSTED
      return Code.ResourceExhausted;
    case 9: // FAILED_PRECONDITION
      return Code.FailedPrecondition;
    case 10: // ABORTED
      return Code.Aborted;
    case 11: // OUT_OF_RANGE
      return Code.OutOfRange;
    case 12: // UNIMPLEMENTED
      return Code.Unimplemented;
    case 13: // INTERNAL
      return Code.Internal;
    case 14: // UNAVAILABLE
      return Code.Unavailable;
    case 15: // DATA_LOSS
      return Code.DataLoss;
    case 16: // UNAUTHENTICATED
      return Code.Unauthenticated;
  }
}

/** TF's ToGrpcStatus cuts long messages to keep trailers small. */
export const maxStatusMessageChars = 3072;

export function truncateStatusMessage(message: string): string {
  return message.length > maxStatusMessageChars
    ? `${message.slice(0, maxStatusMessageChars)} ... [truncated]`
    : message;
}

/** Normalises anything a handler threw into a ConnectError (TfError keeps its code and text). */
export function toConnectError(e: unknown, logger: FastifyBaseLogger, method: string): ConnectError {
  if (e instanceof ConnectError) return e;
  if (isTfError(e)) return new ConnectError(truncateStatusMessage(e.message), connectCode(e.code));
  logger.error({ err: e, method }, "unexpected error in handler");
  return new ConnectError("Internal error", Code.Internal);
}
