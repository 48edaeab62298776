// A GraphDef's protobuf bytes read and written in slices (docs/architecture.md, "Big graphs and
// the event loop"), so a 100,000-node graph never holds the RPC thread for the whole decode or
// encode (a quarter to a full second in one piece on the shared 2-core machine).
//
// A GraphDef is mostly its repeated `node` field (number 1): one length-delimited record per
// NodeDef, and a run of those records is itself a GraphDef holding just those nodes. Decoding walks
// the top-level records with protobuf-es's BinaryReader and decodes the nodes a batch at a time,
// yielding between batches; every other record (versions, library, debug info, unknown fields) is
// merged as protobuf merges a record, in its order. Encoding writes the nodes a batch at a time and
// the rest of the GraphDef after them, which is the byte order toBinary uses too (`node` is the
// first field the message declares), so the bytes are the same.
//
// A node holding a big tensor (a constant of many megabytes) is written around its tensor_content:
// protobuf-es writes a nested message into a buffer of its own and copies it into its parent's,
// so the content would be copied once per level (TensorProto, AttrValue, the attr entry, NodeDef,
// GraphDef: a third of a second in one piece for 64 MB). Here the parts around the content are
// encoded by toBinary and the content itself is passed through as a view, copied once when the
// pieces are joined. Same bytes again: toBinary writes fields by number, so the fields before
// tensor_content (4) and after it can be written apart.
//
// The result must be the message fromBinary would give, and a bad request must fail as fromBinary
// fails: the records are decoded with the recursion budget they have inside the whole message,
// and any error (or an odd shape such as the GraphDef field given twice, which protobuf merges) is
// answered by decoding the whole message with fromBinary, whose error (or result) is the reference.

import {
  create,
  type DescMessage,
  fromBinary,
  type MessageShape,
  mergeFromBinary,
  toBinary,
} from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import type { AttrValue } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { type GraphDef, GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { type NodeDef, NodeDefSchema } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { type TensorProto, TensorProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_pb.js";
import type { Sliced } from "../framework/slices.js";

/** GraphDef.node's field number. */
const NODE_FIELD = 1;
/** protobuf-es's default recursion limit (makeReadContext), which fromBinary applies to the whole message. */
const RECURSION_LIMIT = 100;
/** Messages smaller than this are decoded in one piece: slicing them would only add overhead. */
export const SLICED_DECODE_MIN_BYTES = 256 * 1024;
/** Bytes (or nodes) handled between two yields: a fraction of a millisecond of work. */
const YIELD_BYTES = 64 * 1024;
const YIELD_NODES = 128;
/** A tensor_content this long is passed through as a view when a node is encoded. */
const BIG_CONTENT_BYTES = 1024 * 1024;
/** NodeDef.attr's, a map entry's value's and AttrValue.tensor's field numbers. */
const ATTR_FIELD = 5;
const MAP_KEY_FIELD = 1;
const MAP_VALUE_FIELD = 2;
const ATTR_TENSOR_FIELD = 8;
const TENSOR_CONTENT_FIELD = 4;

/** Thrown inside the walk for input the walk leaves to fromBinary (never escapes this module). */
class LeaveToWholeDecode extends Error {}

/**
 * Decodes the GraphDef in `bytes`, which sits `depth` messages deep in the message fromBinary would
 * decode (a GraphDef inside a request: 1), so recursion limits fall where they would there.
 */
function* decodeGraphDef(bytes: Uint8Array, depth: number): Sliced<GraphDef> {
  const graphDef = create(GraphDefSchema);
  // Runs of node records are decoded as GraphDefs of their own (a GraphDef holding only nodes is
  // their records one after the other), a batch per slice: far cheaper than a fromBinary per node.
  // Inside the whole message these records are read one level deeper than here.
  const options = { recursionLimit: RECURSION_LIMIT - depth };
  const reader = new BinaryReader(bytes);
  let batchStart = 0;
  let batchNodes = 0;
  const flush = () => {
    if (batchNodes > 0) {
      const batch = fromBinary(GraphDefSchema, bytes.subarray(batchStart, reader.pos), options);
      for (const n of batch.node) graphDef.node.push(n);
    }
    batchNodes = 0;
    batchStart = reader.pos;
  };
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === NODE_FIELD && wireType === WireType.LengthDelimited) {
      const length = reader.uint32();
      if (reader.pos + length > reader.len) throw new LeaveToWholeDecode();
      reader.pos += length;
      if (++batchNodes >= YIELD_NODES || reader.pos - batchStart >= YIELD_BYTES) {
        flush();
        yield;
      }
      continue;
    }
    // Another record (versions, library, …): the nodes before it first, then it, in order.
    reader.pos = start;
    flush();
    reader.tag();
    reader.skip(wireType, fieldNo, options.recursionLimit);
    mergeFromBinary(GraphDefSchema, graphDef, bytes.subarray(start, reader.pos), options);
    batchStart = reader.pos;
  }
  flush();
  return graphDef;
}

/**
 * The top-level walk: the GraphDef field decoded in slices, the other records decoded together.
 * Throws for anything it leaves to fromBinary. (Exported for tests: the walk without the fallback.)
 */
export function* decodeInPieces<D extends DescMessage>(
  schema: D,
  bytes: Uint8Array,
  graphField: number,
): Sliced<MessageShape<D>> {
  const field = schema.fields.find((f) => f.number === graphField);
  if (field === undefined || field.message?.typeName !== GraphDefSchema.typeName) {
    throw new Error(`${schema.typeName} has no GraphDef field ${graphField}`);
  }
  const reader = new BinaryReader(bytes);
  const others: Uint8Array[] = [];
  let graphDef: GraphDef | undefined;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === graphField) {
      // Given twice (protobuf merges the two) or with a wrong wire type: fromBinary decides.
      if (graphDef !== undefined || wireType !== WireType.LengthDelimited) throw new LeaveToWholeDecode();
      const length = reader.uint32();
      const at = reader.pos;
      if (at + length > reader.len) throw new LeaveToWholeDecode();
      graphDef = yield* decodeGraphDef(bytes.subarray(at, at + length), 1);
      reader.pos = at + length;
    } else {
      reader.skip(wireType, fieldNo, RECURSION_LIMIT - 1);
      others.push(bytes.subarray(start, reader.pos));
    }
  }
  const message = fromBinary(schema, Buffer.concat(others));
  if (graphDef !== undefined) Object.assign(message, { [field.localName]: graphDef });
  return message;
}

/**
 * fromBinary(schema, bytes) for a message with a GraphDef in field `graphField` (CreateSession-
 * and ExtendSessionRequest), decoding the graph's nodes in slices. The same message, or the same
 * error, as fromBinary. Small messages are decoded in one piece.
 */
export function* fromBinaryWithGraphSliced<D extends DescMessage>(
  schema: D,
  bytes: Uint8Array,
  graphField: number,
): Sliced<MessageShape<D>> {
  if (bytes.length < SLICED_DECODE_MIN_BYTES) return fromBinary(schema, bytes);
  try {
    return yield* decodeInPieces(schema, bytes, graphField);
  } catch {
    // The reference: fromBinary's own error (or, for an odd shape it accepts, its message).
    return fromBinary(schema, bytes);
  }
}

/** toBinary(GraphDefSchema, graphDef) in slices: the same bytes. */
export function* graphDefToBinarySliced(graphDef: GraphDef): Sliced<Uint8Array> {
  // A GraphDef holding only nodes encodes as their records one after the other: a batch of nodes
  // per slice, then the rest of the GraphDef, which toBinary writes after the nodes too. A node
  // with a big tensor is a record of its own, written around the tensor's bytes.
  const pieces: Uint8Array[] = [];
  const nodes = graphDef.node;
  let batchStart = 0;
  const flush = (end: number) => {
    if (end > batchStart) {
      pieces.push(toBinary(GraphDefSchema, create(GraphDefSchema, { node: nodes.slice(batchStart, end) })));
    }
  };
  for (let i = 0; i < nodes.length; i++) {
    const big = bigNodeRecord(nodes[i]!);
    if (big !== undefined) {
      flush(i);
      pieces.push(...big);
      batchStart = i + 1;
      yield;
    } else if (i + 1 - batchStart >= YIELD_NODES) {
      flush(i + 1);
      batchStart = i + 1;
      yield;
    }
  }
  flush(nodes.length);
  pieces.push(toBinary(GraphDefSchema, { ...graphDef, node: [] }));
  return pieces.length === 1 ? pieces[0]! : yield* joinSliced(pieces);
}

/** Bytes copied between two yields when the pieces are joined. */
const JOIN_SLICE_BYTES = 4 * 1024 * 1024;

/** Buffer.concat(pieces), a big piece (a tensor's content) copied a few megabytes at a time. */
function* joinSliced(pieces: readonly Uint8Array[]): Sliced<Uint8Array> {
  const out = Buffer.allocUnsafe(totalLength(pieces));
  let at = 0;
  let sinceYield = 0;
  for (const piece of pieces) {
    for (let from = 0; from < piece.length; from += JOIN_SLICE_BYTES) {
      const part = piece.subarray(from, from + JOIN_SLICE_BYTES);
      out.set(part, at);
      at += part.length;
      sinceYield += part.length;
      if (sinceYield >= JOIN_SLICE_BYTES) {
        sinceYield = 0;
        yield;
      }
    }
  }
  return out;
}

/** A length-delimited record's tag and length. */
function recordHead(field: number, length: number): Uint8Array {
  return new BinaryWriter().tag(field, WireType.LengthDelimited).uint32(length).finish();
}

const totalLength = (parts: readonly Uint8Array[]) => parts.reduce((n, p) => n + p.length, 0);

/** The attr holding a big tensor (its value nothing but that tensor), if the node has one. */
function bigTensorAttr(node: NodeDef): { key: string; tensor: TensorProto } | undefined {
  for (const [key, value] of Object.entries(node.attr)) {
    const v: AttrValue = value;
    if (v.value.case === "tensor" && v.value.value.tensorContent.length >= BIG_CONTENT_BYTES) {
      if ((v.$unknown?.length ?? 0) > 0) return undefined;
      return { key, tensor: v.value.value };
    }
  }
  return undefined;
}

/**
 * GraphDef's record of `node` (field 1), in pieces whose concatenation is what toBinary writes,
 * the big tensor's content among them as a view; undefined for a node without a big tensor.
 */
function bigNodeRecord(node: NodeDef): Uint8Array[] | undefined {
  const big = bigTensorAttr(node);
  if (big === undefined) return undefined;
  const { tensor } = big;
  const content = tensor.tensorContent;
  // TensorProto: its fields before tensor_content, the content, the fields after it.
  const tensorParts: Uint8Array[] = [
    toBinary(
      TensorProtoSchema,
      create(TensorProtoSchema, {
        dtype: tensor.dtype,
        tensorShape: tensor.tensorShape,
        versionNumber: tensor.versionNumber,
      }),
    ),
    recordHead(TENSOR_CONTENT_FIELD, content.length),
    content,
    toBinary(TensorProtoSchema, {
      ...tensor,
      dtype: 0,
      tensorShape: undefined,
      versionNumber: 0,
      tensorContent: new Uint8Array(0),
    }),
  ];
  // AttrValue { tensor }, inside the map entry { key, value }, inside NodeDef.attr.
  const valueParts = [recordHead(ATTR_TENSOR_FIELD, totalLength(tensorParts)), ...tensorParts];
  const key = new BinaryWriter().tag(MAP_KEY_FIELD, WireType.LengthDelimited).string(big.key).finish();
  const entryParts = [key, recordHead(MAP_VALUE_FIELD, totalLength(valueParts)), ...valueParts];
  // NodeDef: fields 1-4, the attr entries in order (this one among them), then fields 6 on.
  const attrs = Object.entries(node.attr);
  const nodeParts: Uint8Array[] = [
    toBinary(NodeDefSchema, {
      ...node,
      attr: {},
      experimentalDebugInfo: undefined,
      experimentalType: undefined,
      $unknown: undefined,
    }),
  ];
  for (const [key, value] of attrs) {
    if (key === big.key) nodeParts.push(recordHead(ATTR_FIELD, totalLength(entryParts)), ...entryParts);
    else nodeParts.push(toBinary(NodeDefSchema, create(NodeDefSchema, { attr: { [key]: value } })));
  }
  nodeParts.push(
    toBinary(NodeDefSchema, {
      ...create(NodeDefSchema),
      experimentalDebugInfo: node.experimentalDebugInfo,
      experimentalType: node.experimentalType,
      $unknown: node.$unknown,
    }),
  );
  return [recordHead(NODE_FIELD, totalLength(nodeParts)), ...nodeParts];
}
