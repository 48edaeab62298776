// The client side of TensorFlow's remote rendezvous (core/distributed_runtime/rpc/
// rpc_rendezvous_mgr.cc, RpcRemoteRendezvous): a _Recv on this task whose _Send ran on another task
// asks that task's WorkerService for the value with RecvTensor, over gRPC (HTTP/2), at the path TF's
// own workers serve (/tensorflow.WorkerService/RecvTensor).
//
// Kept to RecvTensor on purpose: it is what a worker needs of its peers. Connections are cached per
// address (one HTTP/2 session each, multiplexing every step's receives).

import { Code, ConnectError } from "@connectrpc/connect";
import type { RecvTensorResponse } from "../../gen/tensorflow/core/protobuf/worker_pb.js";
import { WorkerService } from "../../gen/tensorflow/core/protobuf/worker_service_tf_pb.js";
import { TfError, unavailable } from "../engine/framework/errors.js";
import { tensorFromProto } from "../engine/framework/tensor-proto.js";
import type { RecvTensorClients } from "../engine/worker/remote-rendezvous.js";
import { fromWireError } from "../engine/worker/wire.js";
import { createUnaryChannel, type UnaryChannel } from "./grpc-unary-channel.js";

/**
 * gRPC status codes are TF's codes, so a peer's error keeps its code and text; anything that is not
 * a status from the peer (no connection) is UNAVAILABLE, as TF's FromGrpcStatus makes it.
 */
function fromConnectError(e: unknown, address: string): Error {
  if (e instanceof TfError) return e;
  if (e instanceof ConnectError && e.code !== Code.Unknown) {
    return fromWireError({ code: e.code, message: e.rawMessage });
  }
  return unavailable(`RecvTensor from ${address} failed: ${e instanceof Error ? e.message : String(e)}`);
}

/** RecvTensor clients for the workers of a cluster, one HTTP/2 connection per address. */
export function createWorkerServiceClients(): RecvTensorClients {
  // The channel RemoteWorker uses too: plain node:http2, several times cheaper per call than a
  // connect-node transport against TF's server (docs/benchmarks.md, "Remote workers").
  const channels = new Map<string, UnaryChannel>();
  const channelFor = (address: string) => {
    let c = channels.get(address);
    if (c === undefined) {
      c = createUnaryChannel(address);
      channels.set(address, c);
    }
    return c;
  };
  return {
    async recvTensor(address, stepId, key, signal) {
      if (signal.aborted) throw signal.reason;
      let response: RecvTensorResponse;
      try {
        response = await channelFor(address).call(
          WorkerService.method.recvTensor,
          { stepId, rendezvousKey: key },
          signal,
        );
      } catch (e) {
        if (signal.aborted) throw signal.reason;
        throw fromConnectError(e, address);
      }
      if (response.isDead) return { tensor: undefined, isDead: true };
      if (response.tensor === undefined) {
        throw unavailable(`RecvTensor from ${address} answered ${key} without a tensor`);
      }
      return { tensor: tensorFromProto(response.tensor, "RecvTensorResponse.tensor"), isDead: false };
    },
    close() {
      for (const c of channels.values()) c.close();
      channels.clear();
    },
  };
}
