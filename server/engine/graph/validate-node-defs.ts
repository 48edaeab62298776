// TensorFlow's ValidateNodeDef over the nodes an ExtendSession brings (core/framework/
// node_def_util.cc, run by TF's master on an extension before it is added to the graph): every
// node's attrs, with the op's defaults filled in, against the op's definition (required attrs, the
// kind of each value, allowed values and minimums). TF's CreateSession reads the graph first and
// checks attrs later, so its texts differ; graph-constructor.ts follows that order.

import type { NodeDef } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { addDefaultAttrs, lookUpOp, validateAttrs } from "../framework/op-def.js";

/**
 * Throws INVALID_ARGUMENT, in TF's words, for the first node whose attrs do not fit its op. Nodes
 * of unknown ops (library functions, or ops that do not exist) are left to graph construction.
 */
export function validateNodeDefs(nodes: readonly NodeDef[]): void {
  for (const def of nodes) {
    const op = lookUpOp(def.op);
    if (op === undefined) continue;
    validateAttrs(op, addDefaultAttrs(op, def.attr), def.name);
  }
}
