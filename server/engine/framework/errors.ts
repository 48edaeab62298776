// TensorFlow's Status: an error code from tensorflow.error.Code plus a message.
//
// The engine throws only TfError. Codes are numerically identical to gRPC/Connect codes, so the
// RPC layer maps them 1:1. Factories use TensorFlow's names (errors::InvalidArgument → invalidArgument)
// so a reader can match a call site with TF's C++.

/** tensorflow.error.Code (numerically the gRPC status codes). */
export const TfCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type TfCode = (typeof TfCode)[keyof typeof TfCode];

const codeNames = new Map<number, string>(Object.entries(TfCode).map(([name, code]) => [code, name]));

/** The canonical name of a code ("INVALID_ARGUMENT"), or "UNKNOWN" for anything else. */
export function tfCodeName(code: number): string {
  return codeNames.get(code) ?? "UNKNOWN";
}

/** An error with a TensorFlow status code. The only kind of error the engine throws on purpose. */
export class TfError extends Error {
  readonly code: Exclude<TfCode, 0>;

  constructor(code: Exclude<TfCode, 0>, message: string) {
    super(message);
    this.name = "TfError";
    this.code = code;
  }

  /** A copy with text added after the message (TF's errors::AppendToMessage). */
  withSuffix(suffix: string): TfError {
    return new TfError(this.code, this.message + suffix);
  }

  /** A copy with text added before the message (TF's errors::Prepend-style context). */
  withPrefix(prefix: string): TfError {
    return new TfError(this.code, prefix + this.message);
  }
}

export function isTfError(e: unknown): e is TfError {
  return e instanceof TfError;
}

export const cancelled = (message: string): TfError => new TfError(TfCode.CANCELLED, message);
export const unknown = (message: string): TfError => new TfError(TfCode.UNKNOWN, message);
export const invalidArgument = (message: string): TfError => new TfError(TfCode.INVALID_ARGUMENT, message);
export const deadlineExceeded = (message: string): TfError => new TfError(TfCode.DEADLINE_EXCEEDED, message);
export const notFound = (message: string): TfError => new TfError(TfCode.NOT_FOUND, message);
export const alreadyExists = (message: string): TfError => new TfError(TfCode.ALREADY_EXISTS, message);
export const permissionDenied = (message: string): TfError => new TfError(TfCode.PERMISSION_DENIED, message);
export const resourceExhausted = (message: string): TfError =>
  new TfError(TfCode.RESOURCE_EXHAUSTED, message);
export const failedPrecondition = (message: string): TfError =>
  new TfError(TfCode.FAILED_PRECONDITION, message);
export const aborted = (message: string): TfError => new TfError(TfCode.ABORTED, message);
export const outOfRange = (message: string): TfError => new TfError(TfCode.OUT_OF_RANGE, message);
export const unimplemented = (message: string): TfError => new TfError(TfCode.UNIMPLEMENTED, message);
export const internal = (message: string): TfError => new TfError(TfCode.INTERNAL, message);
export const unavailable = (message: string): TfError => new TfError(TfCode.UNAVAILABLE, message);
export const dataLoss = (message: string): TfError => new TfError(TfCode.DATA_LOSS, message);

/**
 * Normalises anything thrown into a TfError. Non-TfErrors become INTERNAL with a generic message;
 * callers that have a logger should log the original cause.
 */
export function toTfError(e: unknown): TfError {
  if (e instanceof TfError) return e;
  if (
    e instanceof RangeError &&
    /allocation failed|Invalid typed array length|Array buffer allocation/i.test(e.message)
  ) {
    return resourceExhausted(`OOM when allocating tensor: ${e.message}`);
  }
  return internal("Internal error while running the step");
}
