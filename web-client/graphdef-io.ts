// Reading and writing GraphDefs the way TensorFlow exports them: binary (.pb, from
// `graph.as_graph_def().SerializeToString()`) or protobuf text format (.pbtxt, from
// `tf.io.write_graph(..., as_text=True)`), and protobuf JSON (what Connect JSON and curl send).
// Browser-safe; the CLI's `tfgate graphdef` uses it too.

import { fromBinary, fromJsonString, toBinary, toJsonString } from "@bufbuild/protobuf";
import { fromText, toText } from "@bufbuild/protobuf/txtpb";
import { type GraphDef, GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";

export type GraphDefFormat = "binary" | "text" | "json";

/** Guesses the format of serialized GraphDef bytes: JSON starts with "{", text with a field name. */
export function detectGraphDefFormat(bytes: Uint8Array): GraphDefFormat {
  let i = 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
  )
    i++;
  if (bytes[i] === 0x7b) return "json";
  const head = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(i, i + 16));
  return /^(node|library|versions|version|debug_info|#)\b/.test(head) ? "text" : "binary";
}

/** Parses a GraphDef in any of the three formats (detected when not given). Throws on bad input. */
export function parseGraphDef(input: Uint8Array | string, format?: GraphDefFormat): GraphDef {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const f = format ?? detectGraphDefFormat(bytes);
  const text = () => (typeof input === "string" ? input : new TextDecoder().decode(bytes));
  switch (f) {
    case "binary":
      return fromBinary(GraphDefSchema, bytes);
    case "text":
      return fromText(GraphDefSchema, text());
    case "json":
      return fromJsonString(GraphDefSchema, text());
  }
}

/** Serializes a GraphDef in the given format. */
export function formatGraphDef(graphDef: GraphDef, format: GraphDefFormat): Uint8Array | string {
  switch (format) {
    case "binary":
      return toBinary(GraphDefSchema, graphDef);
    case "text":
      return toText(GraphDefSchema, graphDef);
    case "json":
      return toJsonString(GraphDefSchema, graphDef, { prettySpaces: 2 });
  }
}
