// TensorFlow's GraphMgr::InitItem split (core/distributed_runtime/graph_mgr.cc): a master
// partitions a graph by task, so the piece a worker receives may span several of its devices; the
// worker splits it again by device, joining the pieces with _Send/_Recv pairs of its own, and runs
// one executor per device. Here each device has its own worker thread, so each piece goes to the
// thread that owns its device.

import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { parseDeviceName } from "../device/device-name.js";
import type { Device } from "../device/device-set.js";
import { invalidArgument } from "../framework/errors.js";
import { createFunctionLibrary } from "../framework/function.js";
import { convertGraphDefToGraph } from "../graph/graph-constructor.js";
import { partitionGraph } from "../partition/partition.js";

/** The full name of a node's device as it names one of `devices`, or undefined. */
function localDeviceName(spec: string, byName: ReadonlyMap<string, Device>): string | undefined {
  if (byName.has(spec)) return spec;
  const p = parseDeviceName(spec);
  if (p === undefined) return undefined;
  for (const d of byName.values()) {
    const q = d.parsed;
    if (
      p.job === q.job &&
      (p.replica ?? 0) === q.replica &&
      p.task === q.task &&
      p.type === q.type &&
      p.id === q.id
    )
      return d.name;
  }
  return undefined;
}

/**
 * Device name → that device's piece of `graphDef`. Every node must name one of `devices` (TF:
 * INVALID_ARGUMENT "<name> unknown device."). A graph on one device is returned as it came.
 */
export function splitByDevice(graphDef: GraphDef, devices: readonly Device[]): Map<string, GraphDef> {
  const byName = new Map(devices.map((d) => [d.name, d]));
  const used = new Set<string>();
  for (const node of graphDef.node) {
    const name = localDeviceName(node.device, byName);
    if (name === undefined) throw invalidArgument(`${node.device} unknown device.`);
    node.device = name;
    used.add(name);
  }
  if (used.size <= 1) {
    const only = used.values().next().value ?? devices[0]!.name;
    return new Map([[only, graphDef]]);
  }
  const library = createFunctionLibrary(graphDef.library);
  const graph = convertGraphDefToGraph(graphDef, { lookupOp: (op) => library.opDef(op) });
  for (const n of graph.nodes) n.assignedDevice = n.requestedDevice;
  return partitionGraph(graph, {
    incarnation: (d) => byName.get(d)!.incarnation,
    versions: graphDef.versions,
    library: graphDef.library,
  });
}
