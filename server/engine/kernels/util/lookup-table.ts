// TF's lookup tables (core/framework/lookup_interface.h, core/kernels/lookup_table_op.{h,cc},
// initializable_lookup_table.cc, lookup_util.cc): HashTable (filled once by an initializer, then
// read-only), MutableHashTableOfScalars and MutableHashTableOfTensors (vector values), kept as resources in the device's ResourceMgr under
// TF's LookupInterface type, with TF's argument checks and messages.
//
// The V2 ops pass a DT_RESOURCE handle; the original ops (HashTable, LookupTableFind, ...) pass a
// Ref(string) holding [container, name], and the same kernels serve both.
//
// Keys are scalars; values are scalars or, in a table of tensors, vectors of value_shape. A JS Map holds the entries; its key is the
// element itself (number for int32, bigint for int64, the bytes as a latin1 string for strings),
// so equal keys collide exactly as in TF's unordered_map. Export order is the insertion order
// (TF's is its hash order, which no program may rely on).

import { aborted, failedPrecondition, invalidArgument, unimplemented } from "../../framework/errors.js";
import { getAttrBool, getAttrString, getAttrType } from "../../framework/op-def.js";
import type {
  KernelRegistration,
  OpKernelConstruction,
  OpKernelContext,
  RefCell,
} from "../../framework/op-kernel.js";
import { ownBySession } from "../../framework/resource-mgr.js";
import { type ResourceHandle, sameShape, shapeString, Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString, isRefType } from "../../framework/types.js";
import { definedShapeAttr } from "../VariableV2.js";
import { cpuKernel } from "./kernel-config.js";
import { lookupResource, type ResourceType, resourceHandleInput } from "./step-resources.js";
import { doubleToString, floatToString } from "./summarize-value.js";

/** TF's LookupInterface resource type (its TypeIndex name, as TF's messages print it). */
export const LOOKUP_TABLE_TYPE: ResourceType = {
  name: "N10tensorflow6lookup15LookupInterfaceE",
  hash: 0x6c6f_6f6b_7570_7462n,
};

type Elem = number | bigint | Uint8Array;
type MapKey = number | bigint | string;

export interface LookupTable {
  readonly kind: "HashTable" | "MutableHashTable" | "MutableHashTableOfTensors";
  readonly keyDtype: DataType;
  readonly valueDtype: DataType;
  /** The shape of one value: [] but in a table of tensors. */
  readonly valueShape: readonly number[];
  /** Only a HashTable has an initialized state; a mutable table is always usable. */
  initialized: boolean;
  /** Each key's value, flattened (one element for scalar values). */
  readonly entries: Map<MapKey, { key: Elem; value: Elem[] }>;
  /** Counts changes, so the resource directory copies a table only when it changed. */
  version: number;
}

const T = DataType;

/** The (key, value) dtype pairs TF 2.21 registers CPU kernels for (Variant values aside). */
export const HASH_TABLE_TYPES: ReadonlyMap<DataType, readonly DataType[]> = new Map([
  [T.DT_STRING, [T.DT_STRING, T.DT_INT64, T.DT_INT32, T.DT_FLOAT, T.DT_DOUBLE, T.DT_BOOL]],
  [T.DT_INT64, [T.DT_STRING, T.DT_INT64, T.DT_INT32, T.DT_FLOAT, T.DT_DOUBLE]],
  [T.DT_INT32, [T.DT_STRING, T.DT_INT32, T.DT_FLOAT, T.DT_DOUBLE]],
]);
export const MUTABLE_HASH_TABLE_TYPES: ReadonlyMap<DataType, readonly DataType[]> = new Map([
  [T.DT_STRING, [T.DT_INT64, T.DT_INT32, T.DT_FLOAT, T.DT_DOUBLE, T.DT_BOOL]],
  [T.DT_INT64, [T.DT_STRING, T.DT_INT64, T.DT_INT32, T.DT_FLOAT, T.DT_DOUBLE]],
  [T.DT_INT32, [T.DT_INT32, T.DT_FLOAT, T.DT_DOUBLE]],
]);

const utf8 = new TextDecoder("utf-8");

/** A string key's bytes as one code unit each (a bijection, unlike a UTF-8 decode). */
function mapKey(e: Elem): MapKey {
  return e instanceof Uint8Array ? Buffer.from(e.buffer, e.byteOffset, e.length).toString("latin1") : e;
}

function elem(t: Tensor, i: number): Elem {
  return (t.data as ArrayLike<Elem>)[i]!;
}

function row(t: Tensor, i: number, size: number): Elem[] {
  const out: Elem[] = new Array(size);
  for (let j = 0; j < size; j++) out[j] = elem(t, i * size + j);
  return out;
}

function sameRow(a: readonly Elem[], b: readonly Elem[]): boolean {
  return a.length === b.length && a.every((x, j) => sameElem(x, b[j]!));
}

function sameElem(a: Elem, b: Elem): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return a === b;
}

/** How TF's StrCat prints a key or value in its messages. */
function elemString(e: Elem, dtype: DataType): string {
  if (e instanceof Uint8Array) return utf8.decode(e);
  if (dtype === T.DT_FLOAT) return floatToString(e as number);
  if (dtype === T.DT_DOUBLE) return doubleToString(e as number);
  return String(e);
}

// ---- Creation (LookupTableOp) ----

let privateIds = 0;

/**
 * A table private to its node: TF names it "_<unique id>_<node>" once per kernel, and a session
 * keeps that kernel for all its steps and deletes the table with it; here partitions (and their
 * kernels) are made per step signature, so the name is made from the session, which owns the
 * table (released when it closes).
 */
function privateName(c: OpKernelConstruction): string {
  return c.sessionHandle !== undefined
    ? `_${c.sessionHandle}_${c.nodeName}`
    : `_${privateIds++}_${c.nodeName}`;
}

/**
 * HashTableV2 / MutableHashTableV2: finds or creates the table named by container/shared_name
 * (TF's ContainerInfo: an empty shared_name is the node's name with use_node_name_sharing, else a
 * name private to this kernel) and outputs its handle.
 */
export function tableOpKernel(
  op: string,
  kind: LookupTable["kind"],
  types: ReadonlyMap<DataType, readonly DataType[]>,
): KernelRegistration {
  return cpuKernel(op, (c) => {
    const keyDtype = getAttrType(c.attrs, "key_dtype");
    const valueDtype = getAttrType(c.attrs, "value_dtype");
    checkRegistered(c, types, keyDtype, valueDtype);
    const valueShape =
      kind === "MutableHashTableOfTensors" ? (definedShapeAttr(c.attrs, "value_shape") ?? []) : [];
    const container = getAttrString(c.attrs, "container");
    const shared = getAttrString(c.attrs, "shared_name");
    const isPrivate = shared === "" && !getAttrBool(c.attrs, "use_node_name_sharing");
    const name = shared !== "" ? shared : isPrivate ? privateName(c) : c.nodeName;
    // The ref form's output: TF's persistent [container, name] tensor, made on the first run.
    let refCell: RefCell | undefined;
    return {
      compute(ctx) {
        const mgr = ctx.step.resources;
        const cont = container === "" ? mgr.defaultContainer : container;
        const table = mgr.lookupOrCreate<LookupTable>(cont, name, LOOKUP_TABLE_TYPE.name, () => {
          if (kind === "MutableHashTableOfTensors" && valueShape.length !== 1) {
            throw invalidArgument(`Default value must be a vector, got shape ${shapeString(valueShape)}`);
          }
          if (isPrivate && c.sessionHandle !== undefined) {
            ownBySession(mgr, c.sessionHandle, cont, name, LOOKUP_TABLE_TYPE.name);
          }
          return {
            kind,
            keyDtype,
            valueDtype,
            valueShape,
            initialized: false,
            entries: new Map(),
            version: 0,
          };
        });
        if (table.keyDtype !== keyDtype || table.valueDtype !== valueDtype) {
          throw invalidArgument(
            `Conflicting key/value dtypes ${dataTypeString(keyDtype)}->${dataTypeString(valueDtype)} ` +
              `with ${dataTypeString(table.keyDtype)}-${dataTypeString(table.valueDtype)} for table ${name}`,
          );
        }
        if (c.outputTypes[0] !== T.DT_RESOURCE) {
          refCell ??= { value: handleStrings(cont, name), name };
          ctx.setOutputRef(0, refCell);
          return;
        }
        ctx.setOutput(0, new Tensor(T.DT_RESOURCE, [], [tableHandle(ctx.step.device.name, cont, name)]));
      },
    };
  });
}

function tableHandle(device: string, container: string, name: string): ResourceHandle {
  return {
    device,
    container,
    name,
    hashCode: LOOKUP_TABLE_TYPE.hash,
    maybeTypeName: LOOKUP_TABLE_TYPE.name,
  };
}

const encoder = new TextEncoder();

function handleStrings(container: string, name: string): Tensor {
  return new Tensor(T.DT_STRING, [2], [encoder.encode(container), encoder.encode(name)]);
}

const dtName = (t: DataType) => `DT_${dataTypeString(t).toUpperCase()}`;

/** TF's kernel lookup failure for a (key, value) pair with no registered kernel. */
function checkRegistered(
  c: OpKernelConstruction,
  types: ReadonlyMap<DataType, readonly DataType[]>,
  keyDtype: DataType,
  valueDtype: DataType,
): void {
  if (types.get(keyDtype)?.includes(valueDtype)) return;
  const registered = [...types].flatMap(([k, vs]) =>
    vs.map((v) => `  device='CPU'; key_dtype in [${dtName(k)}]; value_dtype in [${dtName(v)}]`),
  );
  throw invalidArgument(
    `No OpKernel was registered to support Op '${c.op}' used by {{node ${c.nodeName}}} with these attrs: ` +
      `[key_dtype=${dtName(keyDtype)}, value_dtype=${dtName(valueDtype)}]\nRegistered devices: [CPU]\n` +
      `Registered kernels:\n${registered.join("\n")}`,
  );
}

// ---- Access (GetLookupTable, MatchSignature) ----

/** Input 0 as a handle: the resource, or the [container, name] strings of the ref form. */
function handleInput(ctx: OpKernelContext): ResourceHandle {
  const t = ctx.input(0);
  if (t.dtype === T.DT_RESOURCE) return resourceHandleInput(ctx, 0);
  if (t.numElements !== 2) {
    throw invalidArgument(`Lookup table handle must be scalar, but had shape: ${shapeString(t.shape)}`);
  }
  const [container, name] = (t.data as Uint8Array[]).map((b) => utf8.decode(b));
  return tableHandle("", container!, name!);
}

/** The table named by input 0. */
export function tableInput(ctx: OpKernelContext): LookupTable {
  return lookupResource<LookupTable>(ctx, handleInput(ctx), LOOKUP_TABLE_TYPE);
}

/** TF's GetInitializableLookupTable: only a HashTable can be initialized. */
export function initializableTableInput(ctx: OpKernelContext): LookupTable {
  const h = handleInput(ctx);
  const table = lookupResource<LookupTable>(ctx, h, LOOKUP_TABLE_TYPE);
  if (table.kind !== "HashTable") {
    throw invalidArgument(`Table ${h.container} ${h.name} is not initializable`);
  }
  return table;
}

/**
 * TF's OpKernelContext::MatchSignature: the node's input dtypes (from its attrs) must be the
 * resource handle, then the table's key (and value) dtypes.
 */
export function matchSignature(
  c: OpKernelConstruction,
  table: LookupTable,
  withValues: boolean,
  outputsValue: boolean,
): void {
  const handleType = isRefType(c.inputTypes[0]!) ? T.DT_STRING_REF : T.DT_RESOURCE;
  const expectedIn = [handleType, table.keyDtype, ...(withValues ? [table.valueDtype] : [])];
  const expectedOut = outputsValue ? [table.valueDtype] : [];
  const same = (a: readonly DataType[], b: readonly DataType[]) =>
    a.length === b.length && a.every((t, i) => t === b[i]);
  if (same(c.inputTypes, expectedIn) && same(c.outputTypes, expectedOut)) return;
  const sig = (ins: readonly DataType[], outs: readonly DataType[]) =>
    `${ins.map(dataTypeString).join(", ")}->${outs.map(dataTypeString).join(", ")}`;
  throw invalidArgument(
    `Signature mismatch, have: ${sig(c.inputTypes, c.outputTypes)} expected: ${sig(expectedIn, expectedOut)}`,
  );
}

// ---- Argument checks (LookupInterface) ----

function checkTypes(table: LookupTable, keys: Tensor, values: Tensor): void {
  if (keys.dtype !== table.keyDtype) {
    throw invalidArgument(
      `Key must be type ${dataTypeString(table.keyDtype)} but got ${dataTypeString(keys.dtype)}`,
    );
  }
  if (values.dtype !== table.valueDtype) {
    throw invalidArgument(
      `Value must be type ${dataTypeString(table.valueDtype)} but got ${dataTypeString(values.dtype)}`,
    );
  }
}

/** One value per key: the keys' shape (keys are scalars) followed by a value's shape. */
function valuesShape(table: LookupTable, keys: Tensor): number[] {
  return [...keys.shape, ...table.valueShape];
}

function valueSize(table: LookupTable): number {
  return table.valueShape.reduce((a, b) => a * b, 1);
}

/** Keys and values for an insert or import: one value per key. */
export function checkKeysAndValues(table: LookupTable, keys: Tensor, values: Tensor): void {
  checkTypes(table, keys, values);
  const want = valuesShape(table, keys);
  if (!sameShape(values.shape, want)) {
    throw invalidArgument(`Expected shape ${shapeString(want)} for value, got ${shapeString(values.shape)}`);
  }
}

/** TF's CheckFindArguments: the default is one value, or one value per key. */
function checkFindArguments(table: LookupTable, keys: Tensor, dflt: Tensor): void {
  checkTypes(table, keys, dflt);
  const full = valuesShape(table, keys);
  if (!sameShape(dflt.shape, table.valueShape) && !sameShape(dflt.shape, full)) {
    throw invalidArgument(
      `Expected shape ${shapeString(table.valueShape)} or ${shapeString(full)} for default value, ` +
        `got ${shapeString(dflt.shape)}`,
    );
  }
}

// ---- Operations ----

/** LookupTableFind: one value per key, the default (scalar or per key) where a key is absent. */
export function find(table: LookupTable, keys: Tensor, dflt: Tensor): Tensor {
  checkFindArguments(table, keys, dflt);
  if (!isReadable(table)) throw failedPrecondition("Table not initialized.");
  const out = Tensor.zeros(table.valueDtype, valuesShape(table, keys));
  const data = out.data as unknown as Elem[];
  const size = valueSize(table);
  // TF's HashTable reads only the first default even when one per key is given.
  const perKey = !sameShape(dflt.shape, table.valueShape) && table.kind !== "HashTable";
  const n = keys.numElements;
  for (let i = 0; i < n; i++) {
    const hit = table.entries.get(mapKey(elem(keys, i)));
    const from = perKey ? i * size : 0;
    for (let j = 0; j < size; j++)
      data[i * size + j] = hit !== undefined ? hit.value[j]! : elem(dflt, from + j);
  }
  return out;
}

function isReadable(table: LookupTable): boolean {
  return table.kind !== "HashTable" || table.initialized;
}

/** LookupTableInsert: a HashTable is read-only; a mutable table inserts or overwrites. */
export function insert(table: LookupTable, keys: Tensor, values: Tensor): void {
  checkKeysAndValues(table, keys, values);
  if (table.kind === "HashTable") {
    throw unimplemented("Insert not supported by InitializableLookupTable implementations");
  }
  putAll(table, keys, values);
}

function putAll(table: LookupTable, keys: Tensor, values: Tensor): void {
  const n = keys.numElements;
  const size = valueSize(table);
  table.version++;
  for (let i = 0; i < n; i++) {
    const key = elem(keys, i);
    table.entries.set(mapKey(key), { key, value: row(values, i, size) });
  }
}

/** LookupTableRemove: mutable tables only; absent keys are ignored. */
export function remove(table: LookupTable, keys: Tensor): void {
  if (keys.dtype !== table.keyDtype) {
    throw invalidArgument(
      `Key must be type ${dataTypeString(table.keyDtype)} but got ${dataTypeString(keys.dtype)}`,
    );
  }
  if (table.kind === "HashTable") {
    throw unimplemented("Remove not supported by InitializableLookupTable implementations");
  }
  const n = keys.numElements;
  table.version++;
  for (let i = 0; i < n; i++) table.entries.delete(mapKey(elem(keys, i)));
}

/** LookupTableImport: a mutable table is replaced; a HashTable is initialized (as InitializeTable). */
export function importValues(table: LookupTable, keys: Tensor, values: Tensor): void {
  checkKeysAndValues(table, keys, values);
  if (table.kind === "HashTable") {
    initialize(table, keys, values);
    return;
  }
  table.entries.clear();
  table.version++;
  putAll(table, keys, values);
}

/**
 * TF's InitializableLookupTable::Initialize. Initializing again is accepted when the entry counts
 * match (TF compares only the sizes). A key given two different values fails; the entries added
 * before the failure stay, as in TF, but the table stays uninitialized.
 */
export function initialize(table: LookupTable, keys: Tensor, values: Tensor): void {
  checkKeysAndValues(table, keys, values);
  if (table.initialized) {
    if (keys.numElements !== table.entries.size) {
      throw failedPrecondition("Table was already initialized with different data.");
    }
    return;
  }
  const n = keys.numElements;
  table.version++;
  for (let i = 0; i < n; i++) {
    const key = elem(keys, i);
    const value = row(values, i, 1);
    const k = mapKey(key);
    const prev = table.entries.get(k);
    if (prev === undefined) table.entries.set(k, { key, value });
    else if (!sameRow(prev.value, value)) {
      throw failedPrecondition(
        `HashTable has different value for same key. Key ${elemString(key, table.keyDtype)} has ` +
          `${elemString(prev.value[0]!, table.valueDtype)} and trying to add value ` +
          `${elemString(value[0]!, table.valueDtype)}`,
      );
    }
  }
  table.initialized = true;
}

/** LookupTableSize: an uninitialized HashTable reports 0. */
export function size(table: LookupTable): number {
  return isReadable(table) ? table.entries.size : 0;
}

/** LookupTableExport: all keys and values, as two vectors. */
export function exportValues(table: LookupTable): [Tensor, Tensor] {
  if (!isReadable(table)) throw aborted("HashTable is not initialized.");
  const n = table.entries.size;
  const keys = Tensor.zeros(table.keyDtype, [n]);
  const values = Tensor.zeros(table.valueDtype, [n, ...table.valueShape]);
  const kd = keys.data as unknown as Elem[];
  const vd = values.data as unknown as Elem[];
  const size = valueSize(table);
  let i = 0;
  for (const e of table.entries.values()) {
    kd[i] = e.key;
    for (let j = 0; j < size; j++) vd[i * size + j] = e.value[j]!;
    i++;
  }
  return [keys, values];
}

/** InitializeTableV2's own checks: two vectors of one length. */
export function checkInitArguments(keys: Tensor, values: Tensor): void {
  if (keys.shape.length !== 1) {
    throw invalidArgument(`Keys must be a vector, but received shape${shapeString(keys.shape)}`);
  }
  if (values.shape.length !== 1) {
    throw invalidArgument(`Values must be a vector, but received shape${shapeString(values.shape)}`);
  }
  if (keys.numElements !== values.numElements) {
    throw invalidArgument(
      `Keys and values must have the same size ${keys.numElements} vs ${values.numElements}`,
    );
  }
}
