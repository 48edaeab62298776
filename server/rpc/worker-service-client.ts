// The client side of TensorFlow's remote rendezvous (core/distributed_runtime/rpc/
// rpc_rendezvous_mgr.cc, RpcRemoteRendezvous): a _Recv on this task whose _Send ran on another task
// asks that task's WorkerService for the value with RecvTensor, over gRPC (HTTP/2), at the path TF's
// own workers serve (/tensorflow.WorkerService/RecvTensor).
//
// Kept to RecvTensor on purpose: it is what a worker needs of its peers. Connections are cached per
// address (one HTTP/2 session each, multiplexing every step's receives).

import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { RecvTensorResponse } from "../../gen/tensorflow/core/protobuf/worker_pb.js";
import { WorkerService } from "../../gen/tensorflow/core/protobuf/worker_service_tf_pb.js";
import { TfError, unavailable } from "../engine/framework/errors.js";
import { tensorFromProto } from "../engine/framework/tensor-proto.js";
import type { RecvTensorClients } from "../engine/worker/remote-rendezvous.js";
import { fromWireError } from "../engine/worker/wire.js";

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
  const clients = new Map<string, Client<typeof WorkerService>>();
  const clientFor = (address: string) => {
    let c = clients.get(address);
    if (c === undefined) {
      const transport = createGrpcTransport({
        baseUrl: `http://${address}`,
        // Tensors can be large; TF's own channel has no receive limit below 2 GiB.
        readMaxBytes: 2 ** 31 - 1,
      });
      c = createClient(WorkerService, transport);
      clients.set(address, c);
    }
    return c;
  };
  return {
    async recvTensor(address, stepId, key, signal) {
      if (signal.aborted) throw signal.reason;
      let response: RecvTensorResponse;
      try {
        response = await clientFor(address).recvTensor({ stepId, rendezvousKey: key }, { signal });
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
      clients.clear();
    },
  };
}
