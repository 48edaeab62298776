// TensorFlow's GraphMgr (core/distributed_runtime/graph_mgr.cc): a worker registers a partition
// once (GraphDef → Graph → executor with its kernels) and gets a handle; every step then runs the
// handle with a step id; deregistering drops it.

import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import type { Device } from "../device/device-set.js";
import { createExecutor, type Executor } from "../executor/executor.js";
import { createFunctionRuntime } from "../executor/function-runtime.js";
import { createFunctionLibrary } from "../framework/function.js";
import { convertGraphDefToGraph } from "../graph/graph-constructor.js";
import { abortedHandle } from "./errors.js";

export interface RegisteredGraph {
  readonly executor: Executor;
  readonly device: Device;
  readonly sessionHandle: string;
}

export interface GraphMgr {
  register(graphDef: GraphDef, device: Device, sessionHandle: string): string;
  lookup(handle: string): RegisteredGraph;
  deregister(handle: string): void;
  readonly size: number;
}

export function createGraphMgr(onInternalError: (node: string, e: unknown) => void): GraphMgr {
  const items = new Map<string, RegisteredGraph>();
  let next = 0;
  return {
    register(graphDef, device, sessionHandle) {
      // The partition carries the reachable part of the session's function library.
      const library = createFunctionLibrary(graphDef.library);
      const graph = convertGraphDefToGraph(graphDef, { lookupOp: (name) => library.opDef(name) });
      for (const n of graph.nodes) n.assignedDevice = device.name;
      const functions = createFunctionRuntime({ library, device, onInternalError });
      const executor = createExecutor(graph, { device, onInternalError, functions, sessionHandle });
      const handle = `${(next++).toString(16).padStart(16, "0")}`;
      items.set(handle, { executor, device, sessionHandle });
      return handle;
    },
    lookup(handle) {
      const item = items.get(handle);
      if (!item) throw abortedHandle(handle);
      return item;
    },
    deregister(handle) {
      items.delete(handle);
    },
    get size() {
      return items.size;
    },
  };
}
