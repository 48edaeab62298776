// Decoding the two MasterService requests that carry a whole GraphDef (CreateSession and
// ExtendSession) in slices, so a big graph's request never holds the RPC thread for its whole
// decode (graph/graph-def-wire.ts; docs/architecture.md, "Big graphs and the event loop"). Every
// other request, and a small graph's, is decoded at once. The message and the errors are
// fromBinary's.

import { type DescMessage, fromBinary, type MessageShape } from "@bufbuild/protobuf";
import {
  CreateSessionRequestSchema,
  ExtendSessionRequestSchema,
} from "../../gen/tensorflow/core/protobuf/master_pb.js";
import { runInSlices } from "../engine/framework/slices.js";
import { fromBinaryWithGraphSliced, SLICED_DECODE_MIN_BYTES } from "../engine/graph/graph-def-wire.js";

/** The graph_def field numbers of master.proto's requests that carry one. */
const graphDefField = new Map<string, number>([
  [CreateSessionRequestSchema.typeName, 1],
  [ExtendSessionRequestSchema.typeName, 2],
]);

/** fromBinary(schema, bytes), in slices for a big CreateSession or ExtendSession request. */
export function decodeRequest<D extends DescMessage>(
  schema: D,
  bytes: Uint8Array,
): MessageShape<D> | Promise<MessageShape<D>> {
  const field = graphDefField.get(schema.typeName);
  if (field === undefined || bytes.length < SLICED_DECODE_MIN_BYTES) return fromBinary(schema, bytes);
  return runInSlices(fromBinaryWithGraphSliced(schema, bytes, field));
}
