// How a node's failure reaches the client: a TfError gets TF's "[[{{node ...}}]]" location suffix
// (as TF's executor adds with AttachDef), anything else is a bug in a kernel and becomes INTERNAL
// (RangeError, V8 running out of room for an array, becomes RESOURCE_EXHAUSTED).

import { internal, isTfError, TfError } from "../framework/errors.js";
import { errorLocation, type Node } from "../graph/graph.js";

/** Called for errors that are not TfErrors (bugs), before they are turned into INTERNAL. */
export type InternalErrorHook = (node: string, error: unknown) => void;

export function wrapNodeError(
  e: unknown,
  node: Node | undefined,
  onInternalError?: InternalErrorHook,
): TfError {
  const name = node?.name ?? "";
  if (isTfError(e)) {
    if (node === undefined || e.message.includes("{{node ")) return e;
    return e.withSuffix(`\n\t [[${errorLocation(node)}]]`);
  }
  onInternalError?.(name, e);
  if (e instanceof RangeError) {
    return new TfError(8, `OOM while running ${name}: ${e.message}`);
  }
  return internal(`Internal error in kernel of node ${name}`);
}
