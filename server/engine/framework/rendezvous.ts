// TensorFlow's Rendezvous (core/framework/rendezvous.h): a per-step table where a _Send leaves a
// tensor under a key and the matching _Recv picks it up, in either order.
//
// Keys have TF's format (Rendezvous::CreateKey):
//   <send_device>;<send_device_incarnation as 16 hex digits>;<recv_device>;<tensor_name>;<frame_id>:<iter_id>

import type { CallerSignal } from "./call-cancellation.js";
import type { Tensor } from "./tensor.js";

export interface RendezvousValue {
  readonly tensor: Tensor | undefined;
  /** A dead tensor (untaken Switch branch) travels as is_dead = true with no value. */
  readonly isDead: boolean;
  /**
   * The tensor's storage belongs to this value alone (a client feed the master decoded for this
   * step): the _Recv that takes it may let a kernel reuse it (docs/architecture.md, "Tensor
   * bytes"). Never set on values that another partition or thread may also hold.
   */
  readonly owned?: boolean;
}

export interface Rendezvous {
  /** Leaves a value under key. Sending the same key twice in a step is an error (ABORTED). */
  send(key: string, value: RendezvousValue): void;
  /** Waits for the value under key; rejects when the rendezvous is aborted or signal fires. */
  recv(key: string, signal?: CallerSignal): Promise<RendezvousValue>;
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

const mask64 = (1n << 64n) - 1n;

/** TF's Hash64 (tsl/platform/hash.cc, MurmurHash64A with TF's default seed). */
export function hash64(data: Uint8Array, seed = 0xdecafcaffen): bigint {
  const m = 0xc6a4a7935bd1e995n;
  const r = 47n;
  let n = data.length;
  let h = (seed ^ ((BigInt(n) * m) & mask64)) & mask64;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let i = 0;
  for (; n >= 8; i += 8, n -= 8) {
    let k = view.getBigUint64(i, true);
    k = (k * m) & mask64;
    k ^= k >> r;
    k = (k * m) & mask64;
    h ^= k;
    h = (h * m) & mask64;
  }
  if (n > 0) {
    for (let j = n - 1; j >= 0; j--) h ^= BigInt(data[i + j]!) << BigInt(8 * j);
    h = (h * m) & mask64;
  }
  h ^= h >> r;
  h = (h * m) & mask64;
  h ^= h >> r;
  return h;
}

/** TF's Hash64Combine. */
export function hash64Combine(a: bigint, b: bigint): bigint {
  return (a ^ ((b + 0x9e3779b97f4a7800n + ((a << 10n) & mask64) + (a >> 4n)) & mask64)) & mask64;
}

const utf8 = new TextEncoder();

/**
 * The id of the frame instance a while loop's Enter opens from iteration `iteration` of the frame
 * `parentFrameId` (TF's PropagatorState::FindOrCreateChildFrame). The root frame is 0. Every
 * partition computes the same id for the same loop instance, so a _Send and its _Recv inside a
 * frame on two devices meet under one key, "<frame_id>:<iter_id>".
 */
export function childFrameId(parentFrameId: bigint, iteration: number, frameName: string): bigint {
  return hash64Combine(parentFrameId, hash64Combine(BigInt(iteration), hash64(utf8.encode(frameName))));
}
