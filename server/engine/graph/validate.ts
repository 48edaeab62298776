// TensorFlow's ValidateExternalGraphDefSyntax (core/graph/validate.cc): the name grammar checked on
// every graph a client sends with CreateSession or ExtendSession.

import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { invalidArgument } from "../framework/errors.js";
import { runToEnd, type Sliced, YIELD_EVERY } from "../framework/slices.js";

// Node names (TF's IsValidNodeName, observed on a TF 2.21 master): segments of
// [A-Za-z0-9.][A-Za-z0-9_./-]* joined by single '>' ("MS-SSIM/ShapeN" and "a>b" are names,
// "a>", "a>>b" and "-a" are not).
const NAME = "[A-Za-z0-9.][A-Za-z0-9_./-]*(?:>[A-Za-z0-9.][A-Za-z0-9_./-]*)*";
const nodeNameRe = new RegExp(`^${NAME}$`);
// Inputs name nodes the same way; a data input may add an output index.
const dataInputRe = new RegExp(`^${NAME}(?::(?:0|[1-9][0-9]*))?$`);
const controlInputRe = new RegExp(`^\\^${NAME}$`);

/** The node summary TF appends to NodeDef errors. */
export function nodeContext(name: string): string {
  return `\n\t [[{{node ${name}}}]]`;
}

function validateNode(node: NodeDef): void {
  if (!nodeNameRe.test(node.name)) {
    throw invalidArgument(`Illegal op name '${node.name}'${nodeContext(node.name)}`);
  }
  let inControl = false;
  for (const input of node.input) {
    if (input.startsWith("^")) {
      if (!controlInputRe.test(input)) {
        throw invalidArgument(`Illegal op input name '${input}'${nodeContext(node.name)}`);
      }
      inControl = true;
    } else {
      if (!dataInputRe.test(input)) {
        throw invalidArgument(`Illegal op input name '${input}'${nodeContext(node.name)}`);
      }
      if (inControl) {
        throw invalidArgument(`All control inputs must follow all data inputs${nodeContext(node.name)}`);
      }
    }
  }
}

/** Throws INVALID_ARGUMENT for the first node whose name or inputs break TF's grammar. */
export function validateExternalGraphDefSyntax(graph: GraphDef): void {
  runToEnd(validateExternalGraphDefSyntaxSliced(graph));
}

/** validateExternalGraphDefSyntax as a sliced pass (framework/slices.ts). */
export function* validateExternalGraphDefSyntaxSliced(graph: GraphDef): Sliced<void> {
  let k = 0;
  for (const node of graph.node) {
    if (++k % YIELD_EVERY === 0) yield;
    validateNode(node);
  }
}
