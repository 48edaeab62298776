// The node summaries TensorFlow puts into placement errors: Node::DebugString (core/graph/graph.cc),
// SummarizeNodeDef / SummarizeAttrValue (core/framework/node_def_util.cc, attr_value_util.cc) and
// errors::AttachDef's "\n\t [[…]]" suffix. Best effort for tensor values (TF's
// Tensor::DebugString prints the first 3 values); everything else follows TF's format.

import type { AttrValue } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import type { TensorShapeProto } from "../../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import type { AttrMap } from "../framework/op-def.js";
import { tensorFromProto } from "../framework/tensor-proto.js";
import { type DataType, DataType as DT, dataTypeString } from "../framework/types.js";
import type { Node } from "../graph/graph.js";

/** TF's errors::AttachDef: "{{node n}}" unless the message already names a node. */
export function attachDef(message: string, nodeName: string): string {
  const ref = message.includes("{{node ") ? nodeName : `{{node ${nodeName}}}`;
  return `${message}\n\t [[${ref}]]`;
}

const enumName = (t: DataType) => `DT_${dataTypeString(t).toUpperCase()}`;

function shapeDebug(s: TensorShapeProto | undefined): string {
  if (s === undefined || s.unknownRank) return "<unknown>";
  return `[${s.dim.map((d) => (d.size < 0n ? "?" : d.size.toString())).join(",")}]`;
}

/** absl's StrCat(float): up to 6 significant digits. */
function floatString(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return String(Number.parseFloat(v.toPrecision(6)));
}

function cEscape(s: string): string {
  return s.replace(
    /[\\"'\n\r\t]/g,
    (c) => ({ "\\": "\\\\", '"': '\\"', "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]!,
  );
}

const utf8 = new TextDecoder();

function tensorSummary(v: Extract<AttrValue["value"], { case: "tensor" }>["value"]): string {
  try {
    const t = tensorFromProto(v);
    const limit = 3;
    const flat: string[] = [];
    const d = t.data as ArrayLike<unknown>;
    for (let i = 0; i < Math.min(d.length, limit); i++) {
      const x = d[i];
      flat.push(
        x instanceof Uint8Array
          ? utf8.decode(x)
          : typeof x === "number"
            ? t.dtype === DT.DT_FLOAT || t.dtype === DT.DT_DOUBLE
              ? floatString(x)
              : String(x)
            : String(x),
      );
    }
    const values = flat.join(" ") + (d.length > limit ? "..." : "");
    return `Tensor<type: ${dataTypeString(t.dtype)} shape: [${t.shape.join(",")}] values: ${values}>`;
  } catch {
    return `Tensor<type: ${dataTypeString(v.dtype)} shape: ${shapeDebug(v.tensorShape)} values: >`;
  }
}

/** TF's SummarizeAttrValue. */
export function summarizeAttrValue(a: AttrValue): string {
  const v = a.value;
  switch (v.case) {
    case "s":
      return `"${cEscape(utf8.decode(v.value))}"`;
    case "i":
      return v.value.toString();
    case "f":
      return floatString(v.value);
    case "b":
      return v.value ? "true" : "false";
    case "type":
      return enumName(v.value);
    case "shape":
      return shapeDebug(v.value);
    case "tensor":
      return tensorSummary(v.value);
    case "func":
      return v.value.name;
    case "placeholder":
      return `$${v.value}`;
    case "list": {
      const l = v.value;
      const parts = [
        ...l.s.map((s) => `"${cEscape(utf8.decode(s))}"`),
        ...l.i.map((i) => i.toString()),
        ...l.f.map(floatString),
        ...l.b.map((b) => (b ? "true" : "false")),
        ...l.type.map(enumName),
        ...l.shape.map(shapeDebug),
        ...l.tensor.map(tensorSummary),
        ...l.func.map((f) => f.name),
      ];
      return `[${parts.join(", ")}]`;
    }
    default:
      return "<Unknown AttrValue type>";
  }
}

/** TF's AttrSlice::DebugString (TF's order is the proto map's; sorted here). */
export function summarizeAttrs(attrs: AttrMap, device = ""): string {
  const parts = Object.keys(attrs)
    .sort()
    .map((k) => `${k}=${summarizeAttrValue(attrs[k]!)}`);
  if (device !== "") parts.push(`_device="${device}"`);
  return parts.join(", ");
}

/** The NodeDef input strings of a graph node: data inputs in slot order, then "^control". */
function nodeInputs(node: Node): string[] {
  return node.inEdges.map((e) =>
    e.srcOutput < 0 ? `^${e.src.name}` : e.srcOutput === 0 ? e.src.name : `${e.src.name}:${e.srcOutput}`,
  );
}

/** TF's SummarizeNodeDef: "{{node n}} = Op[attrs, _device=\"…\"](inputs)". */
export function summarizeNode(node: Node): string {
  return `{{node ${node.name}}} = ${node.op}[${summarizeAttrs(node.attrs, node.requestedDevice)}](${nodeInputs(node).join(", ")})`;
}

/** TF's Node::DebugString; `tfId` is TF's node id (2 + creation index: 0/1 are _SOURCE/_SINK). */
export function nodeDebugString(node: Node, tfId: number): string {
  return (
    `{name:'${node.name}' id:${tfId} op device:{requested: '${node.requestedDevice}', ` +
    `assigned: '${node.assignedDevice}'} def:{${summarizeNode(node)}}}`
  );
}
