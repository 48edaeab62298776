// A GraphDef's protobuf bytes read and written in slices (docs/architecture.md, "Big graphs and
// the event loop"), so a 100,000-node graph never holds the RPC thread for the whole decode or
// encode (a quarter to a full second in one piece on the shared 2-core machine).
//
// A GraphDef is mostly its repeated `node` field (number 1): one length-delimited record per
// NodeDef. Decoding walks the top-level records with protobuf-es's BinaryReader and decodes the
// NodeDefs one by one, yielding between batches; every other record (versions, library, debug info,
// unknown fields) is merged as protobuf merges a record, in its order. Encoding writes each NodeDef
// on its own and the rest of the GraphDef after them, which is the byte order toBinary uses too
// (`node` is the first field the message declares), so the bytes are the same.
//
// The result must be the message fromBinary would give, and a bad request must fail as fromBinary
// fails: the NodeDefs are decoded with the recursion budget they have inside the whole message,
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
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { type GraphDef, GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { NodeDefSchema } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
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

/** Thrown inside the walk for input the walk leaves to fromBinary (never escapes this module). */
class LeaveToWholeDecode extends Error {}

/**
 * Decodes the GraphDef in `bytes`, which sits `depth` messages deep in the message fromBinary would
 * decode (a GraphDef inside a request: 1), so recursion limits fall where they would there.
 */
function* decodeGraphDef(bytes: Uint8Array, depth: number): Sliced<GraphDef> {
  const graphDef = create(GraphDefSchema);
  // Inside the whole message a NodeDef is read at depth + 2 (GraphDef, then NodeDef), other
  // GraphDef records at depth + 1.
  const nodeOptions = { recursionLimit: RECURSION_LIMIT - depth - 1 };
  const restOptions = { recursionLimit: RECURSION_LIMIT - depth };
  const reader = new BinaryReader(bytes);
  let bytesSinceYield = 0;
  let nodesSinceYield = 0;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [fieldNo, wireType] = reader.tag();
    if (fieldNo === NODE_FIELD && wireType === WireType.LengthDelimited) {
      const length = reader.uint32();
      const at = reader.pos;
      if (at + length > reader.len) throw new LeaveToWholeDecode();
      graphDef.node.push(fromBinary(NodeDefSchema, bytes.subarray(at, at + length), nodeOptions));
      reader.pos = at + length;
    } else {
      reader.skip(wireType, fieldNo, restOptions.recursionLimit);
      mergeFromBinary(GraphDefSchema, graphDef, bytes.subarray(start, reader.pos), restOptions);
    }
    bytesSinceYield += reader.pos - start;
    if (++nodesSinceYield >= YIELD_NODES || bytesSinceYield >= YIELD_BYTES) {
      nodesSinceYield = 0;
      bytesSinceYield = 0;
      yield;
    }
  }
  return graphDef;
}

/** The top-level walk: the GraphDef field decoded in slices, the other records decoded together. */
function* decodeInPieces<D extends DescMessage>(
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

/** Bytes of a protobuf varint. */
function varintLength(value: number): number {
  let n = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 128)) n++;
  return n;
}

/** toBinary(GraphDefSchema, graphDef) in slices: the same bytes. */
export function* graphDefToBinarySliced(graphDef: GraphDef): Sliced<Uint8Array> {
  const nodes: Uint8Array[] = [];
  let total = 0;
  let k = 0;
  for (const n of graphDef.node) {
    const b = toBinary(NodeDefSchema, n);
    nodes.push(b);
    total += 1 + varintLength(b.length) + b.length;
    if (++k % YIELD_NODES === 0) yield;
  }
  const rest = toBinary(GraphDefSchema, { ...graphDef, node: [] });
  const out = new Uint8Array(total + rest.length);
  let pos = 0;
  for (const b of nodes) {
    out[pos++] = (NODE_FIELD << 3) | WireType.LengthDelimited;
    for (let v = b.length; ; v = Math.floor(v / 128)) {
      if (v < 0x80) {
        out[pos++] = v;
        break;
      }
      out[pos++] = (v & 0x7f) | 0x80;
    }
    out.set(b, pos);
    pos += b.length;
  }
  out.set(rest, pos);
  return out;
}
