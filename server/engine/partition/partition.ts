// TensorFlow's Partition (core/graph/graph_partition.cc): splits a placed client graph into one
// GraphDef per device, connecting the pieces with _Send/_Recv pairs.
//
//  - a data edge src:k → dst whose ends sit on different devices becomes _Send(src:k) in src's
//    partition and _Recv in dst's; one transfer per (src:k, destination device) is shared by all
//    consumers there;
//  - a control edge across devices becomes a dummy Const(float, [0]) ^src → _Send, and in the
//    destination _Recv → Identity → ^Identity on dst;
//  - transfer attrs are TF's: tensor_name "edge_<id>_<src>", send_device, send_device_incarnation,
//    recv_device, client_terminated=false, T / tensor_type.
// A pure function: it reads the graph and returns new GraphDefs.

import { create } from "@bufbuild/protobuf";
import { AttrValueSchema } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import type { FunctionDefLibrary } from "../../../gen/tensorflow/core/framework/function_pb.js";
import { type GraphDef, GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { type NodeDef, NodeDefSchema } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { TensorProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import type { VersionDef } from "../../../gen/tensorflow/core/framework/versions_pb.js";
import { boolAttr, intAttr, stringAttr, typeAttr } from "../framework/attr-value.js";
import { internal } from "../framework/errors.js";
import { baseType, DataType, isRefType } from "../framework/types.js";
import type { Graph } from "../graph/graph.js";

export interface PartitionOptions {
  /** Incarnation of each device, by full name (the send side's goes into the attrs). */
  readonly incarnation: (device: string) => bigint;
  /** Copied into every partition (TF copies the graph's versions). */
  readonly versions?: VersionDef | undefined;
  /** The session's function library, copied into every partition that calls a function. */
  readonly library?: FunctionDefLibrary | undefined;
}

/** Returns device name → partition GraphDef, in first-appearance order of devices. */
export function partitionGraph(graph: Graph, options: PartitionOptions): Map<string, GraphDef> {
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
    const def = create(NodeDefSchema, {
      name: node.name,
      op: node.op,
      device: node.assignedDevice,
      attr: { ...node.attrs },
      input: [],
    });
    defs.set(node.id, def);
    partOf(node.assignedDevice).node.push(def);
  }

  let counter = 0;
  let edgeId = 0;
  // TF's worker-side partitioner names what it adds "<src>_G<n>".
  const newName = (prefix: string) => `${prefix}_G${counter++}`;
  // (src id, output, dst device) → name of the _Recv (or Identity, for control) in dst's partition.
  const transfers = new Map<string, string>();

  for (const dst of graph.nodes) {
    const dstDef = defs.get(dst.id)!;
    const dataInputs: string[] = new Array(dst.inputTypes.length).fill("");
    const controlInputs: string[] = [];
    for (const e of dst.inEdges) {
      const src = e.src;
      const id = edgeId++;
      const sameDevice = src.assignedDevice === dst.assignedDevice;
      if (e.srcOutput >= 0) {
        if (sameDevice) {
          dataInputs[e.dstInput] = e.srcOutput === 0 ? src.name : `${src.name}:${e.srcOutput}`;
          continue;
        }
        // One transfer per (source output, destination device), except for ref outputs: TF sends
        // those once per consuming edge.
        const isRef = isRefType(src.outputTypes[e.srcOutput]!);
        const tkey = isRef
          ? `${src.id}:${e.srcOutput}:${dst.assignedDevice}:edge${id}`
          : `${src.id}:${e.srcOutput}:${dst.assignedDevice}`;
        let recvName = transfers.get(tkey);
        if (recvName === undefined) {
          const dtype = baseType(src.outputTypes[e.srcOutput]!);
          const common = {
            tensor_name: stringAttr(`edge_${id}_${src.name}`),
            send_device: stringAttr(src.assignedDevice),
            send_device_incarnation: intAttr(BigInt.asIntN(64, options.incarnation(src.assignedDevice))),
            recv_device: stringAttr(dst.assignedDevice),
            client_terminated: boolAttr(false),
            // TF 2.21's SetSendRecvAttrs: the edge's endpoints, for debugging and cost models.
            _src: stringAttr(src.name),
            _dst: stringAttr(dst.name),
          };
          partOf(src.assignedDevice).node.push(
            create(NodeDefSchema, {
              name: newName(src.name),
              op: "_Send",
              device: src.assignedDevice,
              input: [e.srcOutput === 0 ? src.name : `${src.name}:${e.srcOutput}`],
              attr: { ...common, T: typeAttr(dtype) },
            }),
          );
          recvName = newName(src.name);
          partOf(dst.assignedDevice).node.push(
            create(NodeDefSchema, {
              name: recvName,
              op: "_Recv",
              device: dst.assignedDevice,
              input: [],
              attr: { ...common, tensor_type: typeAttr(dtype) },
            }),
          );
          transfers.set(tkey, recvName);
        }
        dataInputs[e.dstInput] = recvName;
      } else {
        if (sameDevice) {
          controlInputs.push(`^${src.name}`);
          continue;
        }
        const tkey = `${src.id}:ctl:${dst.assignedDevice}`;
        let identityName = transfers.get(tkey);
        if (identityName === undefined) {
          const common = {
            tensor_name: stringAttr(`edge_${id}_${src.name}`),
            send_device: stringAttr(src.assignedDevice),
            send_device_incarnation: intAttr(BigInt.asIntN(64, options.incarnation(src.assignedDevice))),
            recv_device: stringAttr(dst.assignedDevice),
            client_terminated: boolAttr(false),
            _src: stringAttr(src.name),
            _dst: stringAttr(dst.name),
          };
          const dummy = newName(src.name);
          partOf(src.assignedDevice).node.push(
            create(NodeDefSchema, {
              name: dummy,
              op: "Const",
              device: src.assignedDevice,
              input: [`^${src.name}`],
              attr: {
                dtype: typeAttr(DataType.DT_FLOAT),
                value: create(AttrValueSchema, {
                  value: {
                    case: "tensor",
                    value: create(TensorProtoSchema, {
                      dtype: DataType.DT_FLOAT,
                      tensorShape: create(TensorShapeProtoSchema, { dim: [{ size: 0n }] }),
                    }),
                  },
                }),
              },
            }),
            create(NodeDefSchema, {
              name: newName(src.name),
              op: "_Send",
              device: src.assignedDevice,
              input: [dummy],
              attr: { ...common, T: typeAttr(DataType.DT_FLOAT) },
            }),
          );
          const recvName = newName(src.name);
          identityName = newName(src.name);
          partOf(dst.assignedDevice).node.push(
            create(NodeDefSchema, {
              name: recvName,
              op: "_Recv",
              device: dst.assignedDevice,
              input: [],
              attr: { ...common, tensor_type: typeAttr(DataType.DT_FLOAT) },
            }),
            create(NodeDefSchema, {
              name: identityName,
              op: "Identity",
              device: dst.assignedDevice,
              input: [recvName],
              attr: { T: typeAttr(DataType.DT_FLOAT) },
            }),
          );
          transfers.set(tkey, identityName);
        }
        controlInputs.push(`^${identityName}`);
      }
    }
    dstDef.input = [...dataInputs, ...controlInputs];
  }
  return parts;
}
