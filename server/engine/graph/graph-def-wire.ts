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
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { type GraphDef, GraphDefSchema } from "../../../gen/tensorflow/core/framework/graph_pb.js";
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
  // per slice, then the rest of the GraphDef, which toBinary writes after the nodes too.
  const pieces: Uint8Array[] = [];
  const nodes = graphDef.node;
  for (let i = 0; i < nodes.length; i += YIELD_NODES) {
    if (i > 0) yield;
    pieces.push(toBinary(GraphDefSchema, create(GraphDefSchema, { node: nodes.slice(i, i + YIELD_NODES) })));
  }
  pieces.push(toBinary(GraphDefSchema, { ...graphDef, node: [] }));
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
}
