// GraphDef builders for placer and partition tests (the same small graphs TF's placer_test.cc
// builds with its test ops, written with tfgate's real ops). Test-only; nothing in the engine
// imports this file.

import { create } from "@bufbuild/protobuf";
import type { AttrValue } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { type NodeDef, NodeDefSchema } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { TensorProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { attr } from "../../../test/support/attr.js";
import "../kernels/register-all.js";
import { createDevices, type Device } from "../device/device-set.js";
import { isTfError, type TfError } from "../framework/errors.js";
import { DataType } from "../framework/types.js";
import type { Graph } from "../graph/graph.js";
import { convertNodeDefs } from "../graph/graph-constructor.js";
import { type PlacerOptions, placeGraph } from "./placer.js";

export const F = DataType.DT_FLOAT;
/** A scalar Const value. */
const scalarValue = (dtype: DataType, bytes: ArrayBufferLike): AttrValue =>
  attr.tensor(
    create(TensorProtoSchema, {
      dtype,
      tensorShape: create(TensorShapeProtoSchema, {}),
      tensorContent: new Uint8Array(bytes),
    }),
  );
export const floatScalar = (v: number): AttrValue => scalarValue(F, new Float32Array([v]).buffer);
export const intScalar = (v: number): AttrValue => scalarValue(DataType.DT_INT32, new Int32Array([v]).buffer);

export function node(
  name: string,
  op: string,
  input: readonly string[] = [],
  attrs: Record<string, AttrValue> = {},
): NodeDef {
  return create(NodeDefSchema, { name, op, input: [...input], attr: attrs });
}

/** Sets NodeDef.device. */
export function dev(n: NodeDef, device: string): NodeDef {
  n.device = device;
  return n;
}

/** Adds `_class: ["loc:@<name>", …]`. */
export function cls(n: NodeDef, ...names: string[]): NodeDef {
  n.attr._class = attr.stringList(names.map((x) => `loc:@${x}`));
  return n;
}

const T = { T: attr.type(F) };
export const c = (name: string, v = 1) =>
  node(name, "Const", [], { dtype: attr.type(F), value: floatScalar(v) });
export const placeholder = (name: string) => node(name, "Placeholder", [], { dtype: attr.type(F) });
export const neg = (name: string, x: string, ...ctl: string[]) => node(name, "Neg", [x, ...ctl], T);
export const add = (name: string, a: string, b: string) => node(name, "Add", [a, b], T);
export const matmul = (name: string, a: string, b: string) => node(name, "MatMul", [a, b], T);
export const ident = (name: string, x: string, ...ctl: string[]) => node(name, "Identity", [x, ...ctl], T);
export const shape = (name: string, x: string) => node(name, "Shape", [x], T);
export const size = (name: string, x: string) => node(name, "Size", [x], T);
export const noop = (name: string, ...ctl: string[]) => node(name, "NoOp", ctl);
export const variable = (name: string) =>
  node(name, "VariableV2", [], { dtype: attr.type(F), shape: attr.shape([]) });
export const assign = (name: string, ref: string, value: string) => node(name, "Assign", [ref, value], T);
export const assignAdd = (name: string, ref: string, value: string) =>
  node(name, "AssignAdd", [ref, value], T);
export const varHandle = (name: string) =>
  node(name, "VarHandleOp", [], {
    dtype: attr.type(F),
    shape: attr.shape([]),
    shared_name: attr.string(name),
  });
export const readVar = (name: string, h: string) =>
  node(name, "ReadVariableOp", [h], { dtype: attr.type(F) });
export const assignVar = (name: string, h: string, v: string) =>
  node(name, "AssignVariableOp", [h, v], { dtype: attr.type(F) });

export function graphOf(nodes: readonly NodeDef[]): Graph {
  return convertNodeDefs(nodes);
}

export const graphDefOf = (nodes: readonly NodeDef[]) => create(GraphDefSchema, { node: [...nodes] });

/** Four CPUs, /job:localhost/replica:0/task:0/device:CPU:0..3 (the devices TF had in the oracle runs). */
export const cpus4: readonly Device[] = createDevices("localhost", 0, 0, 4);

export const defaultOptions: PlacerOptions = { allowSoftPlacement: false, logDevicePlacement: false };

/** "/job:localhost/replica:0/task:0/device:CPU:3" → "CPU:3". */
export const short = (device: string) => device.replace("/job:localhost/replica:0/task:0/device:", "");

/** Places nodes and returns node name → short device name. */
export function place(
  nodes: readonly NodeDef[],
  options: Partial<PlacerOptions> = {},
  devices: readonly Device[] = cpus4,
): Record<string, string> {
  const g = graphOf(nodes);
  placeGraph(g, devices, { ...defaultOptions, ...options });
  return Object.fromEntries(g.nodes.map((n) => [n.name, short(n.assignedDevice)]));
}

/** Places nodes, expecting a TfError, which is returned. */
export function placeError(
  nodes: readonly NodeDef[],
  options: Partial<PlacerOptions> = {},
  devices: readonly Device[] = cpus4,
): TfError {
  const g = graphOf(nodes);
  try {
    placeGraph(g, devices, { ...defaultOptions, ...options });
  } catch (e) {
    if (isTfError(e)) return e;
    throw e;
  }
  throw new Error("placement succeeded but an error was expected");
}
