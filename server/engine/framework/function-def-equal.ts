// When two FunctionDefs with one name are "the same function" (TF's FunctionDefsEqual in
// tensorflow/core/framework/function.cc), which decides whether a library may hold both.
//
// TF's clients resend the whole function library with every ExtendSession, and TF's C++ protobuf
// serialises map fields (attrs, ret, control_ret) in an order that can change from one
// serialisation to the next, so comparing encoded bytes calls one function two different ones. The
// comparison is by meaning instead: the signature, the attrs that have a value, the body's nodes by
// name (their order does not matter, nor the order of a node's control inputs), and the ret and
// control_ret maps.

import { equals } from "@bufbuild/protobuf";
import { AttrValueSchema } from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import type { FunctionDef } from "../../../gen/tensorflow/core/framework/function_pb.js";
import { type NodeDef, NodeDefSchema } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { OpDefSchema } from "../../../gen/tensorflow/core/framework/op_def_pb.js";

export function functionDefsEqual(a: FunctionDef, b: FunctionDef): boolean {
  if (a.signature === undefined || b.signature === undefined) {
    if (a.signature !== b.signature) return false;
  } else if (!equals(OpDefSchema, a.signature, b.signature)) return false;
  return (
    setAttrsEqual(a, b) &&
    bodiesEqual(a.nodeDef, b.nodeDef) &&
    recordsEqual(a.ret, b.ret) &&
    recordsEqual(a.controlRet, b.controlRet)
  );
}

/** Attrs with a value (an attr with no value case set counts as absent, as in TF). */
function setAttrsEqual(a: FunctionDef, b: FunctionDef): boolean {
  const set = (f: FunctionDef) => Object.entries(f.attr).filter(([, v]) => v.value.case !== undefined);
  const aa = set(a);
  const bb = new Map(set(b));
  if (aa.length !== bb.size) return false;
  for (const [k, v] of aa) {
    const w = bb.get(k);
    if (w === undefined || !equals(AttrValueSchema, v, w)) return false;
  }
  return true;
}

function bodiesEqual(a: readonly NodeDef[], b: readonly NodeDef[]): boolean {
  if (a.length !== b.length) return false;
  const byName = new Map(b.map((n) => [n.name, n]));
  if (byName.size !== b.length) return false;
  for (const n of a) {
    const m = byName.get(n.name);
    if (m === undefined || !nodeDefsEqual(n, m)) return false;
  }
  return true;
}

/** Data inputs in order, control inputs as a set, everything else field by field. */
function nodeDefsEqual(a: NodeDef, b: NodeDef): boolean {
  const split = (n: NodeDef) => ({
    data: n.input.filter((i) => !i.startsWith("^")),
    control: new Set(n.input.filter((i) => i.startsWith("^"))),
  });
  const x = split(a);
  const y = split(b);
  if (x.data.length !== y.data.length || x.data.some((i, k) => i !== y.data[k])) return false;
  if (x.control.size !== y.control.size || [...x.control].some((i) => !y.control.has(i))) return false;
  return equals(NodeDefSchema, { ...a, input: [] }, { ...b, input: [] });
}

function recordsEqual(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
