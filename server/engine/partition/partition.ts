// TensorFlow's Partition (core/graph/graph_partition.cc): splits a placed client graph into one
// GraphDef per device, connecting the pieces with _Send/_Recv pairs.
//
//  - first AddControlFlow (control-flow.ts): TF's control-flow colocation, and a control loop on
//    every device that holds part of a while frame without its LoopCond;
//  - a data edge src:k → dst whose ends sit on different devices becomes _Send(src:k) in src's
//    partition and _Recv in dst's; one transfer per (src:k, destination device) is shared by all
//    consumers there;
//  - a control edge across devices becomes a dummy Const(float, [0]) ^src → _Send, and in the
//    destination _Recv → Identity → ^Identity on dst;
//  - a _Recv made for an edge inside a frame takes over the ^_cloop…Merge control edge its
//    destination got from AddControlFlow, so it runs once per iteration of the frame;
//  - transfer attrs are TF's: tensor_name "edge_<id>_<src>", send_device, send_device_incarnation,
//    recv_device, client_terminated=false, T / tensor_type.
// A pure function: it reads the graph and returns new GraphDefs.

import { create } from "@bufbuild/protobuf";
import type { FunctionDefLibrary } from "../../../gen/tensorflow/core/framework/function_pb.js";
import { type GraphDef, GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { type NodeDef, NodeDefSchema } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import type { VersionDef } from "../../../gen/tensorflow/core/framework/versions_pb.js";
import { boolAttr, intAttr, stringAttr, typeAttr } from "../framework/attr-value.js";
import { internal } from "../framework/errors.js";
import { runToEnd, type Sliced, YIELD_EVERY } from "../framework/slices.js";
import { baseType, DataType, isRefType } from "../framework/types.js";
import type { Graph } from "../graph/graph.js";
import { addControlFlowSliced, emptyFloatConstAttrs } from "./control-flow.js";

export interface PartitionOptions {
  /** Incarnation of each device, by full name (the send side's goes into the attrs). */
  readonly incarnation: (device: string) => bigint;
  /** Copied into every partition (TF copies the graph's versions). */
  readonly versions?: VersionDef | undefined;
  /** The session's function library, copied into every partition that calls a function. */
  readonly library?: FunctionDefLibrary | undefined;
  /**
   * Names for every node the partition adds, unique for the session's lifetime (TF's master:
   * "<prefix>_S<n>" from one counter per session). Needed when partitions go to TF workers: a TF
   * worker caches the kernels of stateful nodes (_Send, _Recv) by node name per session, so two
   * graphs of one session must never reuse a transfer's name. Absent: per-call names as in-process
   * workers get them ("_S" for control flow, "_G" for transfers).
   */
  readonly newName?: ((prefix: string) => string) | undefined;
}

/** Returns device name → partition GraphDef, in first-appearance order of devices. */
export function partitionGraph(graph: Graph, options: PartitionOptions): Map<string, GraphDef> {
  return runToEnd(partitionGraphSliced(graph, options));
}

/** partitionGraph as a sliced pass (framework/slices.ts); `graph` is only read. */
// long-function: TF's Partition (graph_partition.cc): one pass over the edges adding _Send/_Recv pairs with shared de-duplication maps, kept in TF's order.
export function* partitionGraphSliced(
  graph: Graph,
  options: PartitionOptions,
): Sliced<Map<string, GraphDef>> {
  const parts = new Map<string, GraphDef>();
  const defs = new Map<number, NodeDef>(); // node id → its NodeDef in its partition
  const partOf = (device: string): GraphDef => {
    let p = parts.get(device);
    if (!p) {
      p = create(GraphDefSchema, { node: [] });
      if (options.versions) p.versions = options.versions;
      if (options.library && options.library.function.length > 0) p.library = options.library;
      parts.set(device, p);
    }
    return p;
  };

  for (const node of graph.nodes) {
    if (node.assignedDevice === "") throw internal(`Node ${node.name} was not placed before partitioning`);
  }
  // TF's master adds the control flow ("<prefix>_S<n>"), its workers the transfers ("<prefix>_G<n>").
  let masterCounter = 0;
  const nodes = yield* addControlFlowSliced(graph, {
    newName: options.newName ?? ((prefix) => `${prefix}_S${masterCounter++}`),
  });
  let k = 0;
  for (const node of nodes) {
    if (++k % YIELD_EVERY === 0) yield;
    const def = create(NodeDefSchema, {
      name: node.name,
      op: node.op,
      device: node.device,
      attr: { ...node.attrs },
      input: [],
      ...(node.originalNames
        ? {
            experimentalDebugInfo: {
              originalNodeNames: [...node.originalNames],
            },
          }
        : {}),
    });
    defs.set(node.id, def);
    partOf(node.device).node.push(def);
  }

  let counter = 0;
  let edgeId = 0;
  const newName = options.newName ?? ((prefix: string) => `${prefix}_G${counter++}`);
  // (src id, output, dst device) → name of the _Recv (or Identity, for control) in dst's partition.
  const transfers = new Map<string, string>();

  for (const dst of nodes) {
    if (++k % YIELD_EVERY === 0) yield;
    const dstDef = defs.get(dst.id)!;
    const dataInputs: string[] = new Array(dst.inputTypes.length).fill("");
    const controlInputs: string[] = [];
    // AddControlFlow's ^_cloop…Merge edges: each _Recv created below takes one over (TF moves the
    // edge to the real recv); those left stay on dst.
    let controlLoopMerge = "";
    let controlLoopEdges = 0;
    for (const e of dst.inEdges) {
      if (e.srcOutput < 0 && e.src.isControlLoopMerge) {
        controlLoopMerge = e.src.name;
        controlLoopEdges++;
      }
    }
    const takeControlLoopEdge = (recv: NodeDef) => {
      if (controlLoopEdges === 0) return;
      controlLoopEdges--;
      recv.input.push(`^${controlLoopMerge}`);
    };
    for (const e of dst.inEdges) {
      const src = e.src;
      if (e.srcOutput < 0 && src.isControlLoopMerge) continue;
      const id = edgeId++;
      const sameDevice = src.device === dst.device;
      if (e.srcOutput >= 0) {
        if (sameDevice) {
          dataInputs[e.dstInput] = e.srcOutput === 0 ? src.name : `${src.name}:${e.srcOutput}`;
          continue;
        }
        // One transfer per (source output, destination device), except for ref outputs: TF sends
        // those once per consuming edge.
        const isRef = isRefType(src.outputTypes[e.srcOutput]!);
        const tkey = isRef
          ? `${src.id}:${e.srcOutput}:${dst.device}:edge${id}`
          : `${src.id}:${e.srcOutput}:${dst.device}`;
        let recvName = transfers.get(tkey);
        if (recvName === undefined) {
          const dtype = baseType(src.outputTypes[e.srcOutput]!);
          const common = {
            tensor_name: stringAttr(`edge_${id}_${src.name}`),
            send_device: stringAttr(src.device),
            send_device_incarnation: intAttr(BigInt.asIntN(64, options.incarnation(src.device))),
            recv_device: stringAttr(dst.device),
            client_terminated: boolAttr(false),
            // TF 2.21's SetSendRecvAttrs: the edge's endpoints, for debugging and cost models.
            _src: stringAttr(src.name),
            _dst: stringAttr(dst.name),
          };
          partOf(src.device).node.push(
            create(NodeDefSchema, {
              name: newName(src.name),
              op: "_Send",
              device: src.device,
              input: [e.srcOutput === 0 ? src.name : `${src.name}:${e.srcOutput}`],
              attr: { ...common, T: typeAttr(dtype) },
            }),
          );
          recvName = newName(src.name);
          const recv = create(NodeDefSchema, {
            name: recvName,
            op: "_Recv",
            device: dst.device,
            input: [],
            attr: { ...common, tensor_type: typeAttr(dtype) },
          });
          takeControlLoopEdge(recv);
          partOf(dst.device).node.push(recv);
          transfers.set(tkey, recvName);
        }
        dataInputs[e.dstInput] = recvName;
      } else {
        if (sameDevice) {
          controlInputs.push(`^${src.name}`);
          continue;
        }
        const tkey = `${src.id}:ctl:${dst.device}`;
        let identityName = transfers.get(tkey);
        if (identityName === undefined) {
          const common = {
            tensor_name: stringAttr(`edge_${id}_${src.name}`),
            send_device: stringAttr(src.device),
            send_device_incarnation: intAttr(BigInt.asIntN(64, options.incarnation(src.device))),
            recv_device: stringAttr(dst.device),
            client_terminated: boolAttr(false),
            _src: stringAttr(src.name),
            _dst: stringAttr(dst.name),
          };
          const dummy = newName(src.name);
          partOf(src.device).node.push(
            create(NodeDefSchema, {
              name: dummy,
              op: "Const",
              device: src.device,
              input: [`^${src.name}`],
              attr: emptyFloatConstAttrs(),
            }),
            create(NodeDefSchema, {
              name: newName(src.name),
              op: "_Send",
              device: src.device,
              input: [dummy],
              attr: { ...common, T: typeAttr(DataType.DT_FLOAT) },
            }),
          );
          const recvName = newName(src.name);
          identityName = newName(src.name);
          const recv = create(NodeDefSchema, {
            name: recvName,
            op: "_Recv",
            device: dst.device,
            input: [],
            attr: { ...common, tensor_type: typeAttr(DataType.DT_FLOAT) },
          });
          takeControlLoopEdge(recv);
          partOf(dst.device).node.push(
            recv,
            create(NodeDefSchema, {
              name: identityName,
              op: "Identity",
              device: dst.device,
              input: [recvName],
              attr: { T: typeAttr(DataType.DT_FLOAT) },
            }),
          );
          transfers.set(tkey, identityName);
        }
        controlInputs.push(`^${identityName}`);
      }
    }
    for (; controlLoopEdges > 0; controlLoopEdges--) controlInputs.push(`^${controlLoopMerge}`);
    dstDef.input = [...dataInputs, ...controlInputs];
  }
  return parts;
}
