// What crosses between the master's thread and a worker thread: tensors, rendezvous values and
// errors as structured-clone-able plain objects (step stats travel as protobuf bytes). Tensor
// storage in shared memory is shared, not copied (docs/architecture.md, "Tensor bytes").

import type { MessagePort } from "node:worker_threads";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type DeviceStepStats,
  DeviceStepStatsSchema,
} from "../../../gen/tensorflow/core/framework/step_stats_pb.js";
import { internal, isTfError, type TfCode, TfError } from "../framework/errors.js";
import type { RendezvousValue } from "../framework/rendezvous.js";
import { crossingStorage, Tensor, type TensorData } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { dataFromWire, dataToWire } from "../framework/variant.js";
import type { DurableChange } from "../kernels/util/durable-resources.js";

export interface WireTensor {
  readonly dtype: DataType;
  readonly shape: readonly number[];
  /** The tensor's storage; variant elements as plain objects (framework/variant.ts). */
  readonly data: TensorData | unknown;
}

export interface WireValue {
  readonly tensor: WireTensor | undefined;
  readonly isDead: boolean;
  /** Only in a runGraph reply: a fetch whose storage nothing else holds (RendezvousValue.owned). */
  readonly owned?: true;
}

export interface WireError {
  readonly code: number;
  readonly message: string;
}

export const toWireTensor = (t: Tensor): WireTensor =>
  t.dtype === DataType.DT_VARIANT
    ? { dtype: t.dtype, shape: t.shape, data: dataToWire(t) }
    : { dtype: t.dtype, shape: t.shape, data: crossingStorage(t.data) };

export const fromWireTensor = (w: WireTensor): Tensor =>
  w.dtype === DataType.DT_VARIANT
    ? dataFromWire(w.dtype, w.shape, w.data)
    : new Tensor(w.dtype, w.shape, w.data as TensorData);

export const toWireValue = (v: RendezvousValue): WireValue => ({
  tensor: v.tensor ? toWireTensor(v.tensor) : undefined,
  isDead: v.isDead,
});
export function fromWireValue(w: WireValue): RendezvousValue {
  const value = { tensor: w.tensor ? fromWireTensor(w.tensor) : undefined, isDead: w.isDead };
  return w.owned === true ? { ...value, owned: true } : value;
}

/** Errors keep their TF code and message; anything else becomes INTERNAL. */
export function toWireError(e: unknown): WireError {
  if (isTfError(e)) return { code: e.code, message: e.message };
  return {
    code: 13,
    message: e instanceof Error ? `Internal error in worker: ${e.message}` : "Internal error in worker",
  };
}

export function fromWireError(w: WireError): TfError {
  if (w.code >= 1 && w.code <= 16) return new TfError(w.code as Exclude<TfCode, 0>, w.message);
  return internal(w.message);
}

export const statsToWire = (s: DeviceStepStats | undefined): Uint8Array | undefined =>
  s ? toBinary(DeviceStepStatsSchema, s) : undefined;
export const statsFromWire = (b: Uint8Array | undefined): DeviceStepStats | undefined =>
  b ? fromBinary(DeviceStepStatsSchema, b) : undefined;

/** Requests from the master's thread to a worker thread. */
export type ToWorker =
  | {
      readonly op: "registerGraph";
      readonly id: number;
      readonly graphDef: Uint8Array;
      readonly session: string;
    }
  | {
      readonly op: "runGraph";
      readonly id: number;
      readonly handle: string;
      readonly stepId: bigint;
      readonly send: readonly (readonly [string, WireTensor])[];
      readonly sendOwned: boolean;
      readonly recvKeys: readonly string[];
      readonly isPartial: boolean;
      readonly isLastPartialRun: boolean;
      readonly collectStepStats: boolean;
    }
  | { readonly op: "abortStep"; readonly stepId: bigint; readonly error: WireError }
  /** The owner will terminate the thread: it cancels its work and answers "stopped" once idle. */
  | { readonly op: "stop" }
  | { readonly op: "recvTensor"; readonly id: number; readonly stepId: bigint; readonly key: string }
  | { readonly op: "cleanupGraph"; readonly stepId: bigint }
  | { readonly op: "returnStorage"; readonly buffers: readonly SharedArrayBuffer[] }
  | { readonly op: "deregisterGraph"; readonly id: number; readonly handle: string }
  | {
      readonly op: "createWorkerSession";
      readonly id: number;
      readonly session: string;
      readonly isolate: boolean;
      readonly tenant: string;
    }
  | { readonly op: "deleteWorkerSession"; readonly id: number; readonly session: string }
  | {
      readonly op: "cleanupAll";
      readonly id: number;
      readonly containers: readonly string[];
      readonly tenant: string;
    }
  | {
      readonly op: "remoteRecvReply";
      readonly id: number;
      readonly value?: WireValue;
      readonly error?: WireError;
    }
  /** A direct channel to the worker thread that owns `devices` (replaces any earlier one). */
  | { readonly op: "peer"; readonly devices: readonly string[]; readonly port: MessagePort };

/** Between two worker threads, over their own MessageChannel (TF's RecvTensor, worker to worker). */
export type PeerMessage =
  | { readonly op: "recvTensor"; readonly id: number; readonly stepId: bigint; readonly key: string }
  | { readonly op: "push"; readonly stepId: bigint; readonly key: string; readonly value: WireValue }
  | { readonly op: "recvReply"; readonly id: number; readonly value?: WireValue; readonly error?: WireError };

/** Messages from a worker thread to the master's thread. */
export type FromWorker =
  | { readonly op: "reply"; readonly id: number; readonly result?: unknown; readonly error?: WireError }
  | { readonly op: "remoteRecv"; readonly id: number; readonly stepId: bigint; readonly key: string }
  | { readonly op: "log"; readonly level: "info" | "warn" | "error"; readonly message: string }
  | { readonly op: "stopped" }
  /** Resource records that changed (resource-directory.ts), posted before the reply they precede. */
  | { readonly op: "resources"; readonly changes: readonly DurableChange[] };
