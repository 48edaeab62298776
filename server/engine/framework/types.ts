// TensorFlow's DataType utilities (tensorflow/core/framework/types.h): names, ref types, sizes.
//
// The DataType enum itself is the generated one from types.proto, so its numbers are TF's.

import { DataType } from "../../../gen/tensorflow/core/framework/types_pb.js";

export { DataType };

/** Offset TF adds to a dtype to make its reference type (DT_FLOAT_REF = 101). */
export const kDataTypeRefOffset = 100;

export function isRefType(dtype: DataType): boolean {
  return dtype > kDataTypeRefOffset;
}

export function baseType(dtype: DataType): DataType {
  return (isRefType(dtype) ? dtype - kDataTypeRefOffset : dtype) as DataType;
}

export function makeRefType(dtype: DataType): DataType {
  return (isRefType(dtype) ? dtype : dtype + kDataTypeRefOffset) as DataType;
}

// TF's DataTypeString: lower-case names, "_ref" suffix for ref types.
const names: Partial<Record<number, string>> = {
  [DataType.DT_INVALID]: "INVALID",
  [DataType.DT_FLOAT]: "float",
  [DataType.DT_DOUBLE]: "double",
  [DataType.DT_INT32]: "int32",
  [DataType.DT_UINT8]: "uint8",
  [DataType.DT_INT16]: "int16",
  [DataType.DT_INT8]: "int8",
  [DataType.DT_STRING]: "string",
  [DataType.DT_COMPLEX64]: "complex64",
  [DataType.DT_INT64]: "int64",
  [DataType.DT_BOOL]: "bool",
  [DataType.DT_QINT8]: "qint8",
  [DataType.DT_QUINT8]: "quint8",
  [DataType.DT_QINT32]: "qint32",
  [DataType.DT_BFLOAT16]: "bfloat16",
  [DataType.DT_QINT16]: "qint16",
  [DataType.DT_QUINT16]: "quint16",
  [DataType.DT_UINT16]: "uint16",
  [DataType.DT_COMPLEX128]: "complex128",
  [DataType.DT_HALF]: "half",
  [DataType.DT_RESOURCE]: "resource",
  [DataType.DT_VARIANT]: "variant",
  [DataType.DT_UINT32]: "uint32",
  [DataType.DT_UINT64]: "uint64",
  [DataType.DT_FLOAT8_E5M2]: "float8_e5m2",
  [DataType.DT_FLOAT8_E4M3FN]: "float8_e4m3fn",
  [DataType.DT_FLOAT8_E4M3FNUZ]: "float8_e4m3fnuz",
  [DataType.DT_FLOAT8_E4M3B11FNUZ]: "float8_e4m3b11fnuz",
  [DataType.DT_FLOAT8_E5M2FNUZ]: "float8_e5m2fnuz",
  [DataType.DT_INT4]: "int4",
  [DataType.DT_UINT4]: "uint4",
};

const byName = new Map<string, DataType>();
for (const [k, v] of Object.entries(names)) byName.set(v as string, Number(k) as DataType);
byName.set("half", DataType.DT_HALF);

/** TF's DataTypeString: "float", "int32", "float_ref", "unknown dtype enum (77)". */
export function dataTypeString(dtype: DataType): string {
  if (isRefType(dtype)) return `${dataTypeString(baseType(dtype))}_ref`;
  return names[dtype] ?? `unknown dtype enum (${dtype})`;
}

/** Parses "float", "int32", "DT_FLOAT"; undefined when unknown. */
export function dataTypeFromString(s: string): DataType | undefined {
  if (s.startsWith("DT_")) {
    const v = (DataType as unknown as Record<string, number>)[s];
    return typeof v === "number" ? (v as DataType) : undefined;
  }
  if (s.endsWith("_ref")) {
    const b = byName.get(s.slice(0, -4));
    return b === undefined ? undefined : makeRefType(b);
  }
  return byName.get(s);
}

/** True for dtypes this engine can hold in a Tensor (not ref, not invalid, not variant). */
export function isSupportedDataType(dtype: number): dtype is DataType {
  return (
    BYTES_PER_ELEMENT[dtype] !== undefined || dtype === DataType.DT_STRING || dtype === DataType.DT_RESOURCE
  );
}

/** Bytes per element of the fixed-size dtypes (complex counts both parts). */
export const BYTES_PER_ELEMENT: Partial<Record<number, number>> = {
  [DataType.DT_FLOAT]: 4,
  [DataType.DT_DOUBLE]: 8,
  [DataType.DT_INT32]: 4,
  [DataType.DT_UINT8]: 1,
  [DataType.DT_INT16]: 2,
  [DataType.DT_INT8]: 1,
  [DataType.DT_COMPLEX64]: 8,
  [DataType.DT_INT64]: 8,
  [DataType.DT_BOOL]: 1,
  [DataType.DT_QINT8]: 1,
  [DataType.DT_QUINT8]: 1,
  [DataType.DT_QINT32]: 4,
  [DataType.DT_BFLOAT16]: 2,
  [DataType.DT_QINT16]: 2,
  [DataType.DT_QUINT16]: 2,
  [DataType.DT_UINT16]: 2,
  [DataType.DT_COMPLEX128]: 16,
  [DataType.DT_HALF]: 2,
  [DataType.DT_UINT32]: 4,
  [DataType.DT_UINT64]: 8,
};

export function isFloatingType(dtype: DataType): boolean {
  return (
    dtype === DataType.DT_FLOAT ||
    dtype === DataType.DT_DOUBLE ||
    dtype === DataType.DT_HALF ||
    dtype === DataType.DT_BFLOAT16
  );
}

export function isIntegerType(dtype: DataType): boolean {
  switch (dtype) {
    case DataType.DT_INT8:
    case DataType.DT_INT16:
    case DataType.DT_INT32:
    case DataType.DT_INT64:
    case DataType.DT_UINT8:
    case DataType.DT_UINT16:
    case DataType.DT_UINT32:
    case DataType.DT_UINT64:
      return true;
    default:
      return false;
  }
}

export function isComplexType(dtype: DataType): boolean {
  return dtype === DataType.DT_COMPLEX64 || dtype === DataType.DT_COMPLEX128;
}

/** True when elements are bigint (int64/uint64). */
export function isBigIntType(dtype: DataType): boolean {
  return dtype === DataType.DT_INT64 || dtype === DataType.DT_UINT64;
}
