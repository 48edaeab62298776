// TensorFlow's op registry (tensorflow/core/framework/op.h, op_def_builder.cc).
//
// Ops are declared with TF's own REGISTER_OP mini-language, so a reader can compare a declaration
// with TF's core/ops/*.cc line by line:
//   defineOp({ name: "MatMul", inputs: ["a: T", "b: T"], outputs: ["product: T"],
//              attrs: ["transpose_a: bool = false", "transpose_b: bool = false",
//                      "T: {bfloat16, half, float, double, int32, int64, complex64, complex128}"] })
// From a declaration the graph layer derives input/output dtypes of a node, default attrs and
// ref-ness; the placer reads is_stateful. The registry is process-wide and write-once per op name:
// a second definition of the same op throws.

import { create } from "@bufbuild/protobuf";
import {
  type AttrValue,
  AttrValue_ListValueSchema,
  AttrValueSchema,
} from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { type TensorProto, TensorProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { internal, invalidArgument, notFound } from "./errors.js";
import { DataType, dataTypeFromString, dataTypeString, makeRefType } from "./types.js";

export type AttrType =
  | "string"
  | "int"
  | "float"
  | "bool"
  | "type"
  | "shape"
  | "tensor"
  | "func"
  | "list(string)"
  | "list(int)"
  | "list(float)"
  | "list(bool)"
  | "list(type)"
  | "list(shape)"
  | "list(tensor)"
  | "list(func)";

const attrTypes: ReadonlySet<string> = new Set<AttrType>([
  "string",
  "int",
  "float",
  "bool",
  "type",
  "shape",
  "tensor",
  "func",
  "list(string)",
  "list(int)",
  "list(float)",
  "list(bool)",
  "list(type)",
  "list(shape)",
  "list(tensor)",
  "list(func)",
]);

/** True for the attr type names of TF's OpDef ("int", "list(type)", …). */
export function isAttrType(t: string): t is AttrType {
  return attrTypes.has(t);
}

export interface AttrSpec {
  readonly name: string;
  readonly type: AttrType;
  /** Default value; absent when the attr is required. */
  readonly defaultValue?: AttrValue;
  /** Allowed dtypes for "type"/"list(type)" attrs; absent = any. */
  readonly allowedTypes?: readonly DataType[];
  /** Minimum for int attrs or list length; absent = none. */
  readonly minimum?: number;
  /** Allowed values of a string enum ("padding: {'SAME', 'VALID'}"); absent = any string. */
  readonly allowedValues?: readonly string[];
}

export interface ArgSpec {
  readonly name: string;
  readonly isRef: boolean;
  /** A fixed dtype ("x: float"). */
  readonly dtype?: DataType;
  /** The attr naming the dtype ("x: T"). */
  readonly typeAttr?: string;
  /** The attr naming the count, for "N * T" arguments. */
  readonly numberAttr?: string;
  /** The list(type) attr naming every element's dtype ("x: Tlist"). */
  readonly typeListAttr?: string;
}

export interface OpDefinition {
  readonly name: string;
  readonly inputs: readonly ArgSpec[];
  readonly outputs: readonly ArgSpec[];
  readonly attrs: readonly AttrSpec[];
  readonly isStateful: boolean;
  readonly isCommutative: boolean;
  readonly isAggregate: boolean;
  readonly allowsUninitializedInput: boolean;
  readonly isDistributedCommunication: boolean;
  /** A call of a function from the graph's library (the op name is the function's name). */
  readonly isFunction?: boolean;
}

export interface OpDeclaration {
  readonly name: string;
  readonly inputs?: readonly string[];
  readonly outputs?: readonly string[];
  readonly attrs?: readonly string[];
  readonly isStateful?: boolean;
  readonly isCommutative?: boolean;
  readonly isAggregate?: boolean;
  readonly allowsUninitializedInput?: boolean;
  readonly isDistributedCommunication?: boolean;
}

const registry = new Map<string, OpDefinition>();

/** Parses and registers an op. Throws when the op is already registered or a spec is malformed. */
export function defineOp(decl: OpDeclaration): OpDefinition {
  if (registry.has(decl.name)) throw internal(`Op '${decl.name}' is registered twice`);
  const attrs = (decl.attrs ?? []).map((s) => parseAttrSpec(decl.name, s));
  const attrNames = new Set(attrs.map((a) => a.name));
  // "x: T" where T is a list(type) attr is a type-list argument (IdentityN, Save/Restore, …).
  const listTypeAttrs = new Set(attrs.filter((a) => a.type === "list(type)").map((a) => a.name));
  const toTypeList = (a: ArgSpec): ArgSpec =>
    a.typeAttr !== undefined && a.numberAttr === undefined && listTypeAttrs.has(a.typeAttr)
      ? { name: a.name, isRef: a.isRef, typeListAttr: a.typeAttr }
      : a;
  const inputs = (decl.inputs ?? []).map((s) => toTypeList(parseArgSpec(decl.name, s, attrNames)));
  const outputs = (decl.outputs ?? []).map((s) => toTypeList(parseArgSpec(decl.name, s, attrNames)));
  const def: OpDefinition = {
    name: decl.name,
    inputs,
    outputs,
    attrs,
    isStateful: decl.isStateful ?? false,
    isCommutative: decl.isCommutative ?? false,
    isAggregate: decl.isAggregate ?? false,
    allowsUninitializedInput: decl.allowsUninitializedInput ?? false,
    isDistributedCommunication: decl.isDistributedCommunication ?? false,
  };
  registry.set(decl.name, def);
  return def;
}

/** Looks up an op; undefined when not registered. */
export function lookUpOp(name: string): OpDefinition | undefined {
  return registry.get(name);
}

/** All registered ops, sorted by name. */
export function registeredOps(): OpDefinition[] {
  return [...registry.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Attr lookup on a node's attr map (NodeDef.attr). Messages follow TF's attr_value_util/node_def_util.

export type AttrMap = { readonly [name: string]: AttrValue };

function missing(name: string): never {
  throw notFound(`No attr named '${name}' in NodeDef`);
}

function wrongType(name: string, want: string, got: AttrValue): never {
  throw invalidArgument(
    `Attr '${name}' has value of type '${got.value.case ?? "none"}' but '${want}' was expected`,
  );
}

export function getAttrType(attrs: AttrMap, name: string): DataType {
  const v = attrs[name];
  if (v === undefined) missing(name);
  if (v.value.case !== "type") wrongType(name, "type", v);
  return v.value.value;
}

export function getAttrInt(attrs: AttrMap, name: string): number {
  const v = attrs[name];
  if (v === undefined) missing(name);
  if (v.value.case !== "i") wrongType(name, "int", v);
  return Number(v.value.value);
}

/** An int attr as an exact 64-bit value (e.g. send_device_incarnation). */
export function getAttrBigInt(attrs: AttrMap, name: string): bigint {
  const v = attrs[name];
  if (v === undefined) missing(name);
  if (v.value.case !== "i") wrongType(name, "int", v);
  return v.value.value;
}

export function getAttrFloat(attrs: AttrMap, name: string): number {
  const v = attrs[name];
  if (v === undefined) missing(name);
  if (v.value.case !== "f") wrongType(name, "float", v);
  return v.value.value;
}

export function getAttrBool(attrs: AttrMap, name: string): boolean {
  const v = attrs[name];
  if (v === undefined) missing(name);
  if (v.value.case !== "b") wrongType(name, "bool", v);
  return v.value.value;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

export function getAttrString(attrs: AttrMap, name: string): string {
  const v = attrs[name];
  if (v === undefined) missing(name);
  if (v.value.case !== "s") wrongType(name, "string", v);
  return utf8.decode(v.value.value);
}

export function getAttrList(attrs: AttrMap, name: string) {
  const v = attrs[name];
  if (v === undefined) missing(name);
  if (v.value.case !== "list") wrongType(name, "list", v);
  return v.value.value;
}

export function getAttrTypeList(attrs: AttrMap, name: string): DataType[] {
  return [...getAttrList(attrs, name).type];
}

export function getAttrIntList(attrs: AttrMap, name: string): number[] {
  return getAttrList(attrs, name).i.map((x) => Number(x));
}

export function hasAttr(attrs: AttrMap, name: string): boolean {
  return attrs[name] !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Node signature: dtypes of inputs and outputs given the node's attrs (TF's InOutTypesForNode).

/**
 * The longest input or output list one node may have. A number attr (Split's num_split, Unpack's
 * num, AddN's N) sizes its node's lists before anything else is checked, so an attr of 2^31-1 in a
 * tiny request would otherwise allocate gigabytes while the graph is still being read.
 */
export const MAX_ARG_LIST_LENGTH = 1 << 20;

function argTypes(arg: ArgSpec, attrs: AttrMap): DataType[] {
  let types: DataType[];
  if (arg.typeListAttr !== undefined) {
    types = getAttrTypeList(attrs, arg.typeListAttr);
  } else {
    const t = arg.dtype ?? signatureType(attrs, arg.typeAttr!);
    const n = arg.numberAttr !== undefined ? signatureCount(attrs, arg.numberAttr) : 1;
    if (n < 0 || n > MAX_ARG_LIST_LENGTH) {
      throw invalidArgument(
        `Value for attr '${arg.numberAttr}' of ${n} is outside 0..${MAX_ARG_LIST_LENGTH}, the number of ` +
          `inputs or outputs one node may have (arg '${arg.name}')`,
      );
    }
    types = new Array<DataType>(n).fill(t);
  }
  return arg.isRef ? types.map(makeRefType) : types;
}

export function inputTypesForNode(op: OpDefinition, attrs: AttrMap): readonly DataType[] {
  return signatureTypes(op.inputs, attrs);
}

export function outputTypesForNode(op: OpDefinition, attrs: AttrMap): readonly DataType[] {
  return signatureTypes(op.outputs, attrs);
}

/**
 * The dtypes of a signature's args, concatenated. Most nodes have at most two inputs or outputs of
 * one dtype each: those lists are shared, frozen arrays, so a big graph does not hold two fresh
 * arrays per node (docs/benchmarks.md, "Big graphs").
 */
function signatureTypes(args: readonly ArgSpec[], attrs: AttrMap): readonly DataType[] {
  if (args.length === 0) return noTypes;
  if (args.length === 1) return internTypes(argTypes(args[0]!, attrs));
  const types: DataType[] = [];
  for (const a of args) for (const t of argTypes(a, attrs)) types.push(t);
  return internTypes(types);
}

const noTypes: readonly DataType[] = Object.freeze([]);
/** Shared lists of one or two dtypes, by `t0` and by `t0 * 1024 + t1` (dtypes, refs included, are < 1024). */
const oneType = new Map<number, readonly DataType[]>();
const twoTypes = new Map<number, readonly DataType[]>();

function internTypes(types: DataType[]): readonly DataType[] {
  if (types.length === 0) return noTypes;
  const t0 = types[0]!;
  const t1 = types.length === 2 ? types[1]! : 0;
  if (types.length > 2 || t0 < 0 || t0 >= 1024 || t1 < 0 || t1 >= 1024) return types;
  const table = types.length === 1 ? oneType : twoTypes;
  const key = t0 * 1024 + t1;
  let shared = table.get(key);
  if (shared === undefined) {
    shared = Object.freeze(types);
    table.set(key, shared);
  }
  return shared;
}

/**
 * attrs with the op's defaults added for absent attrs, the same object when none is absent (most
 * nodes of a client's graph carry all their attrs): for readers that never change the map.
 */
export function withDefaultAttrs(op: OpDefinition, attrs: AttrMap): AttrMap {
  for (const spec of op.attrs) {
    if (attrs[spec.name] === undefined && spec.defaultValue !== undefined) return addDefaultAttrs(op, attrs);
  }
  return attrs;
}

/** Returns attrs with the op's defaults added for absent attrs (TF's AddDefaultsToNodeDef). */
export function addDefaultAttrs(op: OpDefinition, attrs: AttrMap): { [name: string]: AttrValue } {
  const out: { [name: string]: AttrValue } = { ...attrs };
  for (const spec of op.attrs) {
    if (out[spec.name] === undefined && spec.defaultValue !== undefined) out[spec.name] = spec.defaultValue;
  }
  return out;
}

/**
 * The kind of value an AttrValue holds, in TF's words ("int", "list(float)", …): a list is named by
 * its first non-empty field, an empty list is "list" (it fits any list attr). Undefined for no value
 * and for a function placeholder (which TF's check lets through).
 */
function attrValueKind(v: AttrValue): string | undefined {
  const c = v.value.case;
  if (c === undefined || c === "placeholder") return undefined;
  if (c !== "list") return scalarKinds[c];
  const l = v.value.value;
  for (const field of listFields) if (l[field].length > 0) return `list(${scalarKinds[field]})`;
  return "list";
}

/** TF's names of the AttrValue kinds, by oneof case (module constants: this runs for every attr). */
const scalarKinds: Readonly<Record<string, string>> = {
  s: "string",
  i: "int",
  f: "float",
  b: "bool",
  type: "type",
  shape: "shape",
  tensor: "tensor",
  func: "func",
};

/** A list's fields in TF's order: the first non-empty one names the list's kind. */
const listFields = ["s", "i", "f", "b", "type", "shape", "tensor", "func"] as const;

/** TF's AttrValueHasType (attr_value_util.cc) for one attr of a node: INVALID_ARGUMENT on a mismatch. */
function checkAttrValueType(spec: AttrSpec, v: AttrValue, op: OpDefinition, nodeName: string): void {
  if (v.value.case === undefined) {
    throw invalidArgument(
      `AttrValue missing value with expected type '${spec.type}'${attrWhere(spec, op, nodeName)}`,
    );
  }
  const kind = attrValueKind(v);
  if (kind === undefined || kind === spec.type) return;
  if (kind === "list" && spec.type.startsWith("list(")) return;
  throw invalidArgument(
    `AttrValue had value with type '${kind}' when '${spec.type}' expected${attrWhere(spec, op, nodeName)}`,
  );
}

/** Where a bad attr is, built only for an error (the op's signature string is long). */
function attrWhere(spec: AttrSpec, op: OpDefinition, nodeName: string): string {
  return `\n\t for attr '${spec.name}'\n\t; NodeDef: {{node ${nodeName}}}; ${opSignatureString(op)}`;
}

/**
 * The dtype of a type attr as a node's signature reads it: a value of another kind reads as
 * DT_INVALID, as in TF's graph construction (the input check then names INVALID); a missing attr is
 * NOT_FOUND.
 */
function signatureType(attrs: AttrMap, name: string): DataType {
  const v = attrs[name];
  if (v === undefined) missing(name);
  return v.value.case === "type" ? v.value.value : DataType.DT_INVALID;
}

/** A number attr as a node's signature reads it: another kind of value is TF's AttrValueHasType error. */
function signatureCount(attrs: AttrMap, name: string): number {
  const v = attrs[name];
  if (v === undefined) missing(name);
  if (v.value.case !== "i") {
    throw invalidArgument(
      `AttrValue had value with type '${attrValueKind(v) ?? "none"}' when 'int' expected`,
    );
  }
  return Number(v.value.value);
}

/** True for the errors the signature's readers throw about an attr's kind (signatureCount). */
export function isAttrKindError(message: string): boolean {
  return message.startsWith("AttrValue had value with type ");
}

/** Checks the kind of every attr the op defines and the node sets (TF's AttrValueHasType). */
export function checkAttrKinds(op: OpDefinition, attrs: AttrMap, nodeName: string): void {
  for (const spec of op.attrs) {
    const v = attrs[spec.name];
    if (v !== undefined) checkAttrValueType(spec, v, op, nodeName);
  }
}

/**
 * Checks required attrs, each attr's kind against its definition (TF's AttrValueHasType; unless
 * `kinds` is false, when the caller checks them later) and the type/value/minimum constraints:
 * TF's ValidateNodeDef. INVALID_ARGUMENT. Attrs the op does not define are let through, as TF does
 * (it logs them).
 */
export function validateAttrs(op: OpDefinition, attrs: AttrMap, nodeName: string, kinds = true): void {
  for (const spec of op.attrs) {
    const v = attrs[spec.name];
    if (v === undefined) {
      throw invalidArgument(
        `NodeDef missing attr '${spec.name}' from ${opSignatureString(op)}; NodeDef: {{node ${nodeName}}}`,
      );
    }
    if (kinds) checkAttrValueType(spec, v, op, nodeName);
    if (spec.allowedTypes !== undefined) {
      const ts =
        v.value.case === "type" ? [v.value.value] : v.value.case === "list" ? v.value.value.type : [];
      for (const t of ts) {
        if (!spec.allowedTypes.includes(t)) {
          throw invalidArgument(
            `Value for attr '${spec.name}' of ${dataTypeString(t)} is not in the list of allowed values: ` +
              `${spec.allowedTypes.map(dataTypeString).join(", ")}\n\t; NodeDef: {{node ${nodeName}}}; ${opSignatureString(op)}`,
          );
        }
      }
    }
    if (spec.allowedValues !== undefined) {
      const vs = v.value.case === "s" ? [v.value.value] : v.value.case === "list" ? v.value.value.s : [];
      for (const b of vs) {
        const text = utf8dec.decode(b);
        if (!spec.allowedValues.includes(text)) {
          throw invalidArgument(
            `Value for attr '${spec.name}' of "${text}" is not in the list of allowed values: ` +
              `${spec.allowedValues.map((a) => `"${a}"`).join(", ")}\n\t; NodeDef: {{node ${nodeName}}}; ${opSignatureString(op)}`,
          );
        }
      }
    }
    if (spec.minimum !== undefined && spec.type.startsWith("list(") && v.value.case === "list") {
      const l = v.value.value;
      const length = Math.max(
        l.s.length,
        l.i.length,
        l.f.length,
        l.b.length,
        l.type.length,
        l.shape.length,
        l.tensor.length,
        l.func.length,
      );
      if (length < spec.minimum) {
        throw invalidArgument(
          `Length for attr '${spec.name}' of ${length} must be at least minimum ${spec.minimum}\n\t; NodeDef: {{node ${nodeName}}}; ${opSignatureString(op)}`,
        );
      }
    }
    if (
      spec.minimum !== undefined &&
      spec.type === "int" &&
      v.value.case === "i" &&
      Number(v.value.value) < spec.minimum
    ) {
      throw invalidArgument(
        `Value for attr '${spec.name}' of ${v.value.value} must be at least minimum ${spec.minimum}\n\t; NodeDef: {{node ${nodeName}}}; ${opSignatureString(op)}`,
      );
    }
  }
}

/**
 * TF's SummarizeOpDef, printed after "; NodeDef: {{node x}}; " in attr and type errors:
 * Op<name=MatMul; signature=a:T, b:T -> product:T; attr=transpose_a:bool,default=false; …>.
 */
export function opSignatureString(op: OpDefinition): string {
  const arg = (a: ArgSpec) => {
    // The dtype, else the type attr; a type-list argument names neither (op_def_util.cc's
    // SummarizeArgs prints its list(type) attr nowhere).
    let t = a.dtype !== undefined ? dataTypeString(a.dtype) : (a.typeAttr ?? "");
    if (a.numberAttr) t = `${a.numberAttr}*${t}`;
    return `${a.name}:${a.isRef ? `Ref(${t})` : t}`;
  };
  let s = `Op<name=${op.name}; signature=${op.inputs.map(arg).join(", ")} -> ${op.outputs.map(arg).join(", ")}`;
  for (const a of op.attrs) {
    s += `; attr=${a.name}:${a.type}`;
    if (a.defaultValue !== undefined) s += `,default=${summarizeAttrValue(a.defaultValue)}`;
    if (a.minimum !== undefined) s += `,min=${a.minimum}`;
    if (a.allowedTypes !== undefined) s += `,allowed=[${a.allowedTypes.map(dtEnumName).join(", ")}]`;
    if (a.allowedValues !== undefined) s += `,allowed=[${a.allowedValues.map((v) => `"${v}"`).join(", ")}]`;
  }
  if (op.isCommutative) s += "; is_commutative=true";
  if (op.isAggregate) s += "; is_aggregate=true";
  if (op.isStateful) s += "; is_stateful=true";
  if (op.allowsUninitializedInput) s += "; allows_uninitialized_input=true";
  if (op.isDistributedCommunication) s += "; is_distributed_communication=true";
  return `${s}>`;
}

/** "DT_FLOAT" for float: the enum name TF prints in op summaries. */
function dtEnumName(t: DataType): string {
  return `DT_${dataTypeString(t).toUpperCase()}`;
}

/** TF's FloatToString: the shortest %g text that reads back as the same float32. */
export function floatString(f: number): string {
  if (Number.isNaN(f)) return "nan";
  if (!Number.isFinite(f)) return f > 0 ? "inf" : "-inf";
  const want = Math.fround(f);
  for (let p = 6; p < 9; p++) {
    const t = formatG(f, p);
    if (Math.fround(Number(t)) === want) return t;
  }
  return formatG(f, 9);
}

/** C's %.<p>g. */
function formatG(f: number, p: number): string {
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const exp = Math.floor(Math.log10(Math.abs(Number(f.toPrecision(p)))));
  if (exp < -4 || exp >= p) {
    const [m, e] = f.toExponential(p - 1).split("e") as [string, string];
    const mant = m.includes(".") ? m.replace(/\.?0+$/, "") : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  const fixed = f.toFixed(Math.max(0, p - 1 - exp));
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

function shapeSummary(s: { unknownRank: boolean; dim: readonly { size: bigint }[] }): string {
  return s.unknownRank
    ? "<unknown>"
    : `[${s.dim.map((d) => (d.size < 0n ? "?" : String(d.size))).join(",")}]`;
}

/** absl::CEscape: \n, \r, \t, quotes and backslash escaped; other control bytes in octal. */
function cEscape(text: string): string {
  const named: Record<string, string> = {
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    '"': '\\"',
    "'": "\\'",
    "\\": "\\\\",
  };
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += named[c] ?? (code < 0x20 || code === 0x7f ? `\\${code.toString(8).padStart(3, "0")}` : c);
  }
  return out;
}

/** TF's SummarizeAttrValue for the kinds op defaults use. */
function summarizeAttrValue(v: AttrValue): string {
  const q = (b: Uint8Array) => `"${cEscape(utf8dec.decode(b))}"`;
  switch (v.value.case) {
    case "s":
      return q(v.value.value);
    case "i":
      return String(v.value.value);
    case "f":
      return floatString(v.value.value);
    case "b":
      return v.value.value ? "true" : "false";
    case "type":
      return dtEnumName(v.value.value);
    case "shape":
      return shapeSummary(v.value.value);
    case "tensor":
      return "<tensor>";
    case "func":
      return v.value.value.name;
    case "list": {
      const l = v.value.value;
      const items = [
        ...l.s.map(q),
        ...l.i.map(String),
        ...l.f.map(floatString),
        ...l.b.map((b) => (b ? "true" : "false")),
        ...l.type.map(dtEnumName),
        ...l.shape.map(shapeSummary),
      ];
      return `[${items.join(", ")}]`;
    }
    default:
      return "<Unknown AttrValue type>";
  }
}

// ---------------------------------------------------------------------------------------------
// The REGISTER_OP mini-language.

const typeAliases: Record<string, readonly DataType[]> = {
  numbertype: [
    DataType.DT_FLOAT,
    DataType.DT_DOUBLE,
    DataType.DT_INT32,
    DataType.DT_UINT8,
    DataType.DT_INT16,
    DataType.DT_INT8,
    DataType.DT_COMPLEX64,
    DataType.DT_INT64,
    DataType.DT_QINT8,
    DataType.DT_QUINT8,
    DataType.DT_QINT32,
    DataType.DT_BFLOAT16,
    DataType.DT_QINT16,
    DataType.DT_QUINT16,
    DataType.DT_UINT16,
    DataType.DT_COMPLEX128,
    DataType.DT_HALF,
    DataType.DT_UINT32,
    DataType.DT_UINT64,
  ],
  realnumbertype: [
    DataType.DT_FLOAT,
    DataType.DT_DOUBLE,
    DataType.DT_INT32,
    DataType.DT_UINT8,
    DataType.DT_INT16,
    DataType.DT_INT8,
    DataType.DT_INT64,
    DataType.DT_BFLOAT16,
    DataType.DT_UINT16,
    DataType.DT_HALF,
    DataType.DT_UINT32,
    DataType.DT_UINT64,
  ],
  quantizedtype: [
    DataType.DT_QINT8,
    DataType.DT_QUINT8,
    DataType.DT_QINT32,
    DataType.DT_QINT16,
    DataType.DT_QUINT16,
  ],
};

function parseTypeName(op: string, s: string): DataType {
  const t = dataTypeFromString(s.trim());
  if (t === undefined) throw internal(`Op ${op}: unknown type '${s}'`);
  return t;
}

function parseStringSet(op: string, s: string): readonly string[] {
  const items = s
    .trim()
    .slice(1, -1)
    .split(",")
    .map((x) => x.trim());
  return items.map((x) => {
    const m = /^(['"])(.*)\1$/.exec(x);
    if (!m) throw internal(`Op ${op}: bad string enum '${s}'`);
    return m[2]!;
  });
}

function parseTypeSet(op: string, s: string): readonly DataType[] {
  const body = s.trim();
  if (body.startsWith("{") && body.endsWith("}")) {
    return body
      .slice(1, -1)
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x.length > 0)
      .flatMap((x) => typeAliases[x] ?? [parseTypeName(op, x)]);
  }
  const alias = typeAliases[body];
  if (alias) return alias;
  throw internal(`Op ${op}: bad type set '${s}'`);
}

function parseArgSpec(op: string, spec: string, attrNames: ReadonlySet<string>): ArgSpec {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.+?)\s*$/.exec(spec);
  if (!m) throw internal(`Op ${op}: bad arg spec '${spec}'`);
  const name = m[1]!;
  let rest = m[2]!;
  let isRef = false;
  const ref = /^Ref\((.+)\)$/.exec(rest);
  if (ref) {
    isRef = true;
    rest = ref[1]!.trim();
  }
  const star = /^([A-Za-z_][A-Za-z0-9_]*)\s*\*\s*([A-Za-z_][A-Za-z0-9_]*)$/.exec(rest);
  if (star) {
    const [, numberAttr, t] = star;
    if (attrNames.has(t!)) return { name, isRef, numberAttr: numberAttr!, typeAttr: t! };
    return { name, isRef, numberAttr: numberAttr!, dtype: parseTypeName(op, t!) };
  }
  if (attrNames.has(rest)) {
    return { name, isRef, typeAttr: rest };
  }
  return { name, isRef, dtype: parseTypeName(op, rest) };
}

function parseAttrSpec(op: string, spec: string): AttrSpec {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.+?)\s*$/.exec(spec);
  if (!m) throw internal(`Op ${op}: bad attr spec '${spec}'`);
  const name = m[1]!;
  let rest = m[2]!;
  let defaultText: string | undefined;
  const eq = splitDefault(rest);
  if (eq) {
    rest = eq[0];
    defaultText = eq[1];
  }
  let minimum: number | undefined;
  const ge = /^(.*?)\s*>=\s*(-?\d+)$/.exec(rest);
  if (ge) {
    rest = ge[1]!.trim();
    minimum = Number(ge[2]);
  }
  let type: AttrType;
  let allowedTypes: readonly DataType[] | undefined;
  let allowedValues: readonly string[] | undefined;
  const enumList = /^list\(\s*(\{\s*['"].*\})\s*\)$/.exec(rest);
  if (/^\{\s*['"]/.test(rest) || enumList) {
    // A string enum: "{'NHWC', 'NCHW'}" or "list({'a', 'b'})".
    type = enumList ? "list(string)" : "string";
    allowedValues = parseStringSet(op, enumList ? enumList[1]! : rest);
  } else if (rest.startsWith("{") || typeAliases[rest]) {
    type = "type";
    allowedTypes = parseTypeSet(op, rest);
  } else if (/^list\(\s*(\{.*\}|[a-z]+type)\s*\)$/.test(rest)) {
    type = "list(type)";
    allowedTypes = parseTypeSet(op, rest.slice(5, -1));
  } else {
    const t = rest.replace(/\s+/g, "");
    if (!isAttrType(t)) throw internal(`Op ${op}: unknown attr type '${rest}'`);
    type = t;
  }
  const out: { -readonly [K in keyof AttrSpec]: AttrSpec[K] } = { name, type };
  if (allowedTypes) out.allowedTypes = allowedTypes;
  if (allowedValues) out.allowedValues = allowedValues;
  if (minimum !== undefined) out.minimum = minimum;
  if (defaultText !== undefined) out.defaultValue = parseDefault(op, type, defaultText);
  return out;
}

/** Splits "type = default" at the first '=' that is not part of '>='. */
function splitDefault(s: string): [string, string] | undefined {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "=" && s[i - 1] !== ">" && s[i - 1] !== "<") {
      return [s.slice(0, i).trim(), s.slice(i + 1).trim()];
    }
  }
  return undefined;
}

const utf8enc = new TextEncoder();
const utf8dec = new TextDecoder();

function parseDefault(op: string, type: AttrType, text: string): AttrValue {
  // Quoted strings are proto text: C escapes (\n, \t, \\, \', \") stand for their characters.
  const unquote = (x: string) =>
    x
      .trim()
      .replace(/^(["'])(.*)\1$/s, "$2")
      .replace(/\\([ntr\\'"])/g, (_m, c: string) => ({ n: "\n", t: "\t", r: "\r" })[c] ?? c);
  switch (type) {
    case "string":
      return create(AttrValueSchema, { value: { case: "s", value: utf8enc.encode(unquote(text)) } });
    case "int":
      return create(AttrValueSchema, { value: { case: "i", value: BigInt(text) } });
    case "float":
      return create(AttrValueSchema, { value: { case: "f", value: Number(text) } });
    case "bool":
      return create(AttrValueSchema, { value: { case: "b", value: text === "true" } });
    case "type":
      return create(AttrValueSchema, { value: { case: "type", value: parseTypeName(op, text) } });
    case "shape": {
      if (/unknown_rank\s*:\s*true/.test(text)) {
        return create(AttrValueSchema, {
          value: { case: "shape", value: create(TensorShapeProtoSchema, { unknownRank: true }) },
        });
      }
      const dims = listItems(text).map((d) => ({ size: BigInt(d) }));
      return create(AttrValueSchema, {
        value: { case: "shape", value: create(TensorShapeProtoSchema, { dim: dims }) },
      });
    }
    case "tensor":
      return create(AttrValueSchema, { value: { case: "tensor", value: parseTensorDefault(op, text) } });
    default: {
      if (!type.startsWith("list(")) throw internal(`Op ${op}: no default syntax for ${type}`);
      const items = listItems(text);
      const list = create(AttrValue_ListValueSchema);
      for (const it of items) {
        if (type === "list(int)") list.i.push(BigInt(it));
        else if (type === "list(float)") list.f.push(Number(it));
        else if (type === "list(bool)") list.b.push(it === "true");
        else if (type === "list(string)") list.s.push(utf8enc.encode(unquote(it)));
        else if (type === "list(type)") list.type.push(parseTypeName(op, it));
        else throw internal(`Op ${op}: no default syntax for non-empty ${type}`);
      }
      return create(AttrValueSchema, { value: { case: "list", value: list } });
    }
  }
}

/**
 * A tensor default in proto text, as TF's ops write them (ImageSummary's bad_color): `{ dtype: DT_…
 * tensor_shape: { dim { size: N } … } int_val: … | float_val: … }`. Only these fields occur.
 */
function parseTensorDefault(op: string, text: string): TensorProto {
  const dtype = /dtype:\s*(DT_\w+)/.exec(text)?.[1];
  if (dtype === undefined) throw internal(`Op ${op}: tensor default without a dtype: ${text}`);
  const all = (field: string) =>
    [...text.matchAll(new RegExp(`${field}:\\s*([-+.\\w]+)`, "g"))].map((m) => m[1]!);
  return create(TensorProtoSchema, {
    dtype: parseTypeName(op, dtype.slice(3).toLowerCase()),
    tensorShape: create(TensorShapeProtoSchema, { dim: all("size").map((d) => ({ size: BigInt(d) })) }),
    intVal: all("int_val").map(Number),
    floatVal: all("float_val").map(Number),
  });
}

function listItems(text: string): string[] {
  const t = text.trim();
  if (!t.startsWith("[") || !t.endsWith("]")) throw internal(`bad list default '${text}'`);
  return t
    .slice(1, -1)
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}
