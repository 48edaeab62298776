// TF's V1 checkpoint format (core/util/tensor_slice_writer.cc, tensor_slice_reader.cc,
// saved_tensor_slice_util.h), written by the Save / SaveSlices ops and read by Restore /
// RestoreSlice (and by RestoreV2 when a prefix has no V2 index): one table file (table.ts) per
// shard whose value under the empty key is a SavedTensorSliceMeta listing every tensor and slice in
// the file, and whose other keys (the slice keys of tensor-slice.ts) hold each slice's values in
// the typed fields of a TensorProto (float_val, int_val, …; no dtype or shape).

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { type TensorProto, TensorProtoSchema } from "../../../../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../../../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { VersionDefSchema } from "../../../../gen/tensorflow/core/framework/versions_pb.js";
import {
  type SavedSliceMeta,
  SavedSliceMetaSchema,
  SavedTensorSliceMetaSchema,
  type SavedTensorSlices,
  SavedTensorSlicesSchema,
} from "../../../../gen/tensorflow/core/util/saved_tensor_slice_pb.js";
import { binaryString } from "../binary-string.js";
import {
  dataLoss,
  internal,
  invalidArgument,
  isTfError,
  notFound,
  tfCodeName,
  unimplemented,
} from "../errors.js";
import { Tensor } from "../tensor.js";
import { DataType, dataTypeString } from "../types.js";
import { keyText } from "./bundle.js";
import { buildTable, readTable, type TableEntry } from "./table.js";
import {
  copySliceOverlap,
  encodeTensorNameSlice,
  intersect,
  sameSlice,
  sliceFromProto,
  sliceShape,
  sliceString,
  sliceToProto,
  type TensorSlice,
} from "./tensor-slice.js";

/** Which TensorProto field holds a dtype's values in a V1 slice (TF's SaveTypeTraits). */
type Field =
  | "floatVal"
  | "doubleVal"
  | "intVal"
  | "int64Val"
  | "boolVal"
  | "scomplexVal"
  | "dcomplexVal"
  | "halfVal"
  | "stringVal";

function fieldOf(dtype: DataType): Field | undefined {
  switch (dtype) {
    case DataType.DT_FLOAT:
      return "floatVal";
    case DataType.DT_DOUBLE:
      return "doubleVal";
    case DataType.DT_INT32:
    case DataType.DT_INT16:
    case DataType.DT_INT8:
    case DataType.DT_UINT8:
    case DataType.DT_UINT16:
    case DataType.DT_QINT8:
    case DataType.DT_QUINT8:
    case DataType.DT_QINT32:
    case DataType.DT_QINT16:
    case DataType.DT_QUINT16:
      return "intVal";
    case DataType.DT_INT64:
      return "int64Val";
    case DataType.DT_BOOL:
      return "boolVal";
    case DataType.DT_COMPLEX64:
      return "scomplexVal";
    case DataType.DT_COMPLEX128:
      return "dcomplexVal";
    case DataType.DT_HALF:
      return "halfVal";
    case DataType.DT_STRING:
      return "stringVal";
    default:
      return undefined;
  }
}

/** The values of a tensor as the TensorProto field TF's writer fills. */
function valuesProto(t: Tensor): TensorProto {
  const field = fieldOf(t.dtype);
  if (t.dtype === DataType.DT_BFLOAT16) throw unimplemented("Saving data type bfloat16 not yet supported");
  if (field === undefined) {
    throw invalidArgument(`Tensor slice serialization not implemented for dtype ${t.dtype}`);
  }
  const d = t.data as unknown as ArrayLike<unknown>;
  let values: unknown[];
  if (t.dtype === DataType.DT_BOOL) values = Array.from(d as Uint8Array, (v) => v !== 0);
  else values = Array.from(d);
  const proto = create(TensorProtoSchema);
  (proto as unknown as Record<Field, unknown[]>)[field] = values;
  return proto;
}

export interface V1Slice {
  readonly name: Uint8Array;
  readonly shape: readonly number[];
  readonly slice: TensorSlice;
  readonly tensor: Tensor;
}

/** TF's TensorSliceWriter: the bytes of one V1 checkpoint file holding these slices. */
export function buildV1Checkpoint(slices: readonly V1Slice[]): Uint8Array {
  const metas: SavedSliceMeta[] = [];
  const byName = new Map<string, SavedSliceMeta>();
  const rows = new Map<string, TableEntry>();
  for (const s of slices) {
    const name = keyText(s.name);
    let meta = byName.get(name);
    if (meta === undefined) {
      meta = create(SavedSliceMetaSchema, {
        name,
        shape: create(TensorShapeProtoSchema, { dim: s.shape.map((size) => ({ size: BigInt(size) })) }),
        type: s.tensor.dtype,
      });
      byName.set(name, meta);
      metas.push(meta);
    } else if (meta.type !== s.tensor.dtype) {
      throw invalidArgument(
        `Mismatching types: existing type = ${dataTypeString(meta.type)}, trying to add type ${dataTypeString(s.tensor.dtype)}`,
      );
    }
    meta.slice.push(sliceToProto(s.slice));
    const key = encodeTensorNameSlice(s.name, s.slice);
    const value = create(SavedTensorSlicesSchema, {
      data: { name, slice: sliceToProto(s.slice), data: valuesProto(s.tensor) },
    });
    rows.set(binaryString(key), { key, value: toBinary(SavedTensorSlicesSchema, value) });
  }
  const head = create(SavedTensorSlicesSchema, {
    meta: create(SavedTensorSliceMetaSchema, {
      tensor: metas,
      versions: create(VersionDefSchema, { producer: 1 }),
    }),
  });
  const sorted = [...rows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => rows.get(k)!);
  return buildTable([{ key: new Uint8Array(0), value: toBinary(SavedTensorSlicesSchema, head) }, ...sorted]);
}

interface StoredTensor {
  readonly shape: number[];
  readonly dtype: DataType;
  readonly slices: { slice: TensorSlice; file: Map<string, Uint8Array> }[];
}

/** TF's TensorSliceReader over the files of one V1 checkpoint (already matched by the caller). */
export class V1CheckpointReader {
  private readonly tensors = new Map<string, StoredTensor>();

  constructor(files: readonly { name: string; bytes: Uint8Array }[]) {
    for (const f of files) this.addFile(f.name, f.bytes);
  }

  private addFile(name: string, bytes: Uint8Array): void {
    let table: TableEntry[];
    try {
      table = readTable(bytes);
    } catch (e) {
      const why = isTfError(e) ? `${tfCodeName(e.code)}: ${e.message}` : String(e);
      throw dataLoss(
        `Unable to open table file ${name}: ${why}: perhaps your file is in a different file format and you need to use a different restore operator?`,
      );
    }
    const rows = new Map<string, Uint8Array>();
    for (const r of table) rows.set(binaryString(r.key), r.value);
    const head = rows.get("");
    if (head === undefined) {
      throw notFound(
        `Failed to find the saved tensor slices at the beginning of the checkpoint file: ${name}`,
      );
    }
    // A table whose first value is no SavedTensorSlices (a V2 index, say) lists no tensors, as in TF.
    let tensors: SavedSliceMeta[] = [];
    try {
      tensors = fromBinary(SavedTensorSlicesSchema, head).meta?.tensor ?? [];
    } catch {
      tensors = [];
    }
    for (const t of tensors) {
      const shape = (t.shape?.dim ?? []).map((d) => Number(d.size));
      let stored = this.tensors.get(t.name);
      if (stored === undefined) {
        stored = { shape, dtype: t.type, slices: [] };
        this.tensors.set(t.name, stored);
      }
      for (const p of t.slice)
        stored.slices.push({ slice: sliceFromProto(p, () => `tensor ${t.name}`), file: rows });
    }
  }

  has(name: string): { shape: number[]; dtype: DataType } | undefined {
    const t = this.tensors.get(name);
    return t === undefined ? undefined : { shape: t.shape, dtype: t.dtype };
  }

  /** The part `want` (of shape outShape) of tensor `name` (TF's CopySliceData). */
  copySlice(name: string, want: TensorSlice, outShape: readonly number[]): Tensor {
    const t = this.tensors.get(name);
    if (t === undefined) throw notFound(`Tensor name "${name}" not found`);
    const out = Tensor.zeros(t.dtype, outShape);
    const field = fieldOf(t.dtype);
    if (field === undefined)
      throw internal(`Restoring data type ${dataTypeString(t.dtype)} not yet supported`);
    let covered = 0;
    const total = outShape.reduce((a, b) => a * b, 1);
    const enc = new TextEncoder();
    for (const s of t.slices) {
      const o = intersect(s.slice, want);
      if (o === undefined) continue;
      covered += sliceShape(o, t.shape).reduce((a, b) => a * b, 1);
      const key = binaryString(encodeTensorNameSlice(enc.encode(name), s.slice));
      const row = s.file.get(key);
      if (row === undefined) throw dataLoss(`Failed to find the slice ${sliceString(s.slice)} of ${name}`);
      const data = parse(row, name).data?.data;
      const values = data === undefined ? [] : (data[field] as ArrayLike<unknown>);
      const src = sliceValues(t.dtype, values);
      const n =
        sliceShape(s.slice, t.shape).reduce((a, b) => a * b, 1) * (field.endsWith("complexVal") ? 2 : 1);
      if (src.length !== n) {
        throw dataLoss(`Slice ${sliceString(s.slice)} of ${name} holds ${src.length} values, expected ${n}`);
      }
      if (sameSlice(s.slice, want) && t.dtype !== DataType.DT_STRING) {
        (out.data as unknown as { set(a: ArrayLike<unknown>): void }).set(src);
        continue;
      }
      copySliceOverlap(
        t.shape,
        s.slice,
        want,
        src,
        out.data as unknown as { [i: number]: unknown },
        field.endsWith("complexVal") ? 2 : 1,
      );
    }
    // TF's message: the slices saved do not cover the part asked for.
    if (covered < total) throw invalidArgument("Error copying slice data");
    return out;
  }
}

function sliceValues(dtype: DataType, values: ArrayLike<unknown>): ArrayLike<unknown> {
  if (dtype === DataType.DT_BOOL) return Array.from(values, (v) => (v ? 1 : 0));
  if (dtype === DataType.DT_INT64) return Array.from(values, (v) => BigInt(v as bigint));
  return values;
}

function parse(bytes: Uint8Array, file: string): SavedTensorSlices {
  try {
    return fromBinary(SavedTensorSlicesSchema, bytes);
  } catch {
    throw dataLoss(`Unable to parse a SavedTensorSlices record of ${file}`);
  }
}
