// TensorFlow's Rendezvous (core/framework/rendezvous.h): a per-step table where a _Send leaves a
// tensor under a key and the matching _Recv picks it up, in either order.
//
// Keys have TF's format (Rendezvous::CreateKey):
//   <send_device>;<send_device_incarnation as 16 hex digits>;<recv_device>;<tensor_name>;<frame_id>:<iter_id>

import type { Tensor } from "./tensor.js";

export interface RendezvousValue {
  readonly tensor: Tensor | undefined;
  /** A dead tensor (untaken Switch branch) travels as is_dead = true with no value. */
  readonly isDead: boolean;
}

export interface Rendezvous {
  /** Leaves a value under key. Sending the same key twice in a step is an error (ABORTED). */
  send(key: string, value: RendezvousValue): void;
  /** Waits for the value under key; rejects when the rendezvous is aborted or signal fires. */
  recv(key: string, signal?: AbortSignal): Promise<RendezvousValue>;
  /** Fails every pending and future recv with this error (TF's StartAbort). */
  abort(error: Error): void;
}

/** TF's Rendezvous::CreateKey. */
export function createRendezvousKey(
  sendDevice: string,
  sendDeviceIncarnation: bigint,
  recvDevice: string,
  tensorName: string,
  frameIter = "0:0",
): string {
  const inc = BigInt.asUintN(64, sendDeviceIncarnation).toString(16).padStart(16, "0");
  return `${sendDevice};${inc};${recvDevice};${tensorName};${frameIter}`;
}
