// Small GraphDef builders for tests and benchmarks: attrs, tensors and a few reference graphs.

import { create } from "@bufbuild/protobuf";
import type { AttrValue } from "../../gen/tensorflow/core/framework/attr_value_pb.js";
import { type GraphDef, GraphDefSchema } from "../../gen/tensorflow/core/framework/graph_pb.js";
import { type NodeDef, NodeDefSchema } from "../../gen/tensorflow/core/framework/node_def_pb.js";
import { type TensorProto, TensorProtoSchema } from "../../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { DataType } from "../../gen/tensorflow/core/framework/types_pb.js";
import { attr } from "./attr.js";

export { DataType };

function shapeProto(shape: readonly number[]) {
  return create(TensorShapeProtoSchema, { dim: shape.map((d) => ({ size: BigInt(d) })) });
}

/** A TensorProto with raw little-endian tensor_content (what TF clients send). */
export function tensorProto(
  dtype: DataType,
  shape: readonly number[],
  values: readonly number[] | readonly bigint[],
): TensorProto {
  let bytes: Uint8Array;
  switch (dtype) {
    case DataType.DT_FLOAT:
      bytes = new Uint8Array(Float32Array.from(values as number[]).buffer);
      break;
    case DataType.DT_DOUBLE:
      bytes = new Uint8Array(Float64Array.from(values as number[]).buffer);
      break;
    case DataType.DT_INT32:
      bytes = new Uint8Array(Int32Array.from(values as number[]).buffer);
      break;
    case DataType.DT_INT64:
      bytes = new Uint8Array(
        BigInt64Array.from((values as (number | bigint)[]).map((v) => BigInt(v))).buffer,
      );
      break;
    default:
      throw new Error(`tensorProto: unsupported dtype ${dtype}`);
  }
  return create(TensorProtoSchema, { dtype, tensorShape: shapeProto(shape), tensorContent: bytes });
}

/** Reads a fetched TensorProto's tensor_content as numbers (float/double/int32) or bigints (int64). */
export function tensorValues(t: TensorProto | undefined): number[] | bigint[] {
  if (t === undefined) throw new Error("no tensor");
  const c = t.tensorContent;
  const buf = c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength);
  switch (t.dtype) {
    case DataType.DT_FLOAT:
      return [...new Float32Array(buf)];
    case DataType.DT_DOUBLE:
      return [...new Float64Array(buf)];
    case DataType.DT_INT32:
      return [...new Int32Array(buf)];
    case DataType.DT_INT64:
      return [...new BigInt64Array(buf)];
    default:
      throw new Error(`tensorValues: unsupported dtype ${t.dtype}`);
  }
}

export function tensorShape(t: TensorProto | undefined): number[] {
  return (t?.tensorShape?.dim ?? []).map((d) => Number(d.size));
}

export interface NodeSpec {
  readonly inputs?: readonly string[];
  readonly attrs?: Record<string, AttrValue>;
  readonly device?: string;
}

export function node(name: string, op: string, spec: NodeSpec = {}): NodeDef {
  return create(NodeDefSchema, {
    name,
    op,
    input: [...(spec.inputs ?? [])],
    attr: spec.attrs ?? {},
    device: spec.device ?? "",
  });
}

export function graph(...nodes: NodeDef[]): GraphDef {
  return create(GraphDefSchema, { node: nodes, versions: { producer: 1 } });
}

export function constNode(
  name: string,
  dtype: DataType,
  shape: readonly number[],
  values: readonly number[],
): NodeDef {
  return node(name, "Const", {
    attrs: { dtype: attr.type(dtype), value: attr.tensor(tensorProto(dtype, shape, values)) },
  });
}

/** W and b of the reference linear graph y = x·W + b (x: [n, 2], W: [2, 3], b: [3]). */
export const linearW = [1, 2, 3, 4, 5, 6];
export const linearB = [0.5, -1, 2];

/** y = MatMul(x, W) + b with x a float Placeholder of shape [-1, 2]. Fetch "y:0", feed "x:0". */
export function linearGraph(): GraphDef {
  return graph(
    node("x", "Placeholder", { attrs: { dtype: attr.type(DataType.DT_FLOAT), shape: attr.shape([-1, 2]) } }),
    constNode("W", DataType.DT_FLOAT, [2, 3], linearW),
    constNode("b", DataType.DT_FLOAT, [3], linearB),
    node("xW", "MatMul", { inputs: ["x", "W"], attrs: { T: attr.type(DataType.DT_FLOAT) } }),
    node("y", "Add", { inputs: ["xW", "b"], attrs: { T: attr.type(DataType.DT_FLOAT) } }),
  );
}

/** Independent reference for linearGraph: y[i][j] = Σk x[i][k]·W[k][j] + b[j], in float32. */
export function linearExpected(x: readonly number[]): number[] {
  const rows = x.length / 2;
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 3; j++) {
      const acc = Math.fround(
        Math.fround(x[i * 2]! * linearW[j]!) + Math.fround(x[i * 2 + 1]! * linearW[3 + j]!),
      );
      out.push(Math.fround(acc + linearB[j]!));
    }
  }
  return out;
}

/**
 * Nodes in matMulChain's chain for a step that must still be running when a test's deadline,
 * close or cancellation reaches it (50–400 ms in these tests). The executor spends ~0.1–0.4 ms on
 * each node whatever the kernel's speed, so 4,000 of them last a second or more: a chain of 400
 * 160³ MatMuls, which took seconds with the kernels of the time, ended in 140 ms on a machine with
 * AVX-512, before the deadlines meant to cancel it.
 */
export const LONG_CHAIN = 4000;

/** m1 … m`n`: a chain of n MatMuls of the size×size Const m0, each waiting for the one before. */
export function matMulChain(n: number, size: number): GraphDef {
  const nodes = [constNode("m0", DataType.DT_FLOAT, [size, size], new Array(size * size).fill(0.001))];
  for (let i = 1; i <= n; i++) {
    nodes.push(
      node(`m${i}`, "MatMul", { inputs: [`m${i - 1}`, "m0"], attrs: { T: attr.type(DataType.DT_FLOAT) } }),
    );
  }
  return graph(...nodes);
}
