// TF's TensorSlice (core/framework/tensor_slice.{h,cc}) and the checkpoint helpers around it
// (core/util/saved_tensor_slice_util.cc, tensor_slice_util.h): the "start,length:-:..." slice
// syntax of shape_and_slices, the slice-key encoding (strings::OrderedCode) a sliced tensor's pieces
// are stored under, intersections, and copying the overlap of two slices.

import { create } from "@bufbuild/protobuf";
import {
  type TensorSliceProto,
  TensorSliceProto_ExtentSchema,
  TensorSliceProtoSchema,
} from "../../../../gen/tensorflow/core/framework/tensor_slice_pb.js";
import { internal, invalidArgument } from "../errors.js";
import { shapeString } from "../tensor.js";

/** Length of an extent that takes the whole dimension (TF's kFullExtent). */
export const FULL_EXTENT = -1;

export interface TensorSlice {
  readonly starts: readonly number[];
  /** FULL_EXTENT for a whole dimension. */
  readonly lengths: readonly number[];
}

export function fullSlice(rank: number): TensorSlice {
  return { starts: new Array(rank).fill(0), lengths: new Array(rank).fill(FULL_EXTENT) };
}

function isFullAt(s: TensorSlice, d: number): boolean {
  return s.lengths[d] === FULL_EXTENT && s.starts[d] === 0;
}

export function isFull(s: TensorSlice): boolean {
  return s.starts.every((_, d) => isFullAt(s, d));
}

/** TF's TensorSlice::DebugString: "-" or "start,length" per dimension, joined by ':'. */
export function sliceString(s: TensorSlice): string {
  return s.starts.map((st, d) => (isFullAt(s, d) ? "-" : `${st},${s.lengths[d]}`)).join(":");
}

const INT64_RE = /^[+-]?\d+$/;

function parseInt64(s: string): number | undefined {
  const t = s.trim();
  if (!INT64_RE.test(t)) return undefined;
  const v = BigInt(t);
  if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) return undefined;
  return Number(v);
}

/** TF's TensorSlice::Parse. */
export function parseSlice(str: string): TensorSlice {
  const starts: number[] = [];
  const lengths: number[] = [];
  for (const x of str.split(":").filter((p) => p !== "")) {
    if (x === "-") {
      starts.push(0);
      lengths.push(FULL_EXTENT);
      continue;
    }
    const sl = x.split(",").filter((p) => p !== "");
    const s = sl.length === 2 ? parseInt64(sl[0]!) : undefined;
    const l = sl.length === 2 ? parseInt64(sl[1]!) : undefined;
    if (s === undefined || l === undefined) {
      throw invalidArgument(`Expected a pair of numbers or '-' but got '${x}': string = ${str}`);
    }
    if (s < 0 || l <= 0) {
      throw invalidArgument(
        `Expected non-negative start and positive length but got start = ${s}, length = ${l}: string = ${str}`,
      );
    }
    starts.push(s);
    lengths.push(l);
  }
  return { starts, lengths };
}

/** TF's TensorSlice::SliceTensorShape: the shape of the slice taken out of a tensor of shape. */
export function sliceShape(s: TensorSlice, shape: readonly number[]): number[] {
  if (shape.length !== s.starts.length) {
    throw internal(`Mismatching ranks: shape = ${shapeString(shape)}, slice = ${sliceString(s)}`);
  }
  return shape.map((dim, d) => {
    if (isFullAt(s, d)) return dim;
    if (s.starts[d]! + s.lengths[d]! <= dim) return s.lengths[d]!;
    throw internal(
      `Extent in dimension ${d} out of bounds: shape = ${shapeString(shape)}, slice = ${sliceString(s)}`,
    );
  });
}

/** True when the slice takes all of a tensor of shape (TF's IsFullSlice in tensor_bundle.cc). */
export function coversShape(s: TensorSlice, shape: readonly number[]): boolean {
  if (isFull(s)) return true;
  try {
    const got = sliceShape(s, shape);
    return got.every((d, i) => d === shape[i]);
  } catch {
    return false;
  }
}

/** TF's checkpoint::ParseShapeAndSlice: "dim0 dim1 ... <slice>" → full shape, slice, slice shape. */
export function parseShapeAndSlice(spec: string): {
  shape: number[];
  slice: TensorSlice;
  sliceShape: number[];
} {
  const splits = spec.split(" ");
  if (splits.length < 2) {
    throw invalidArgument(`Need least two elements in shape_and_slice specification: ${spec}`);
  }
  const slice = parseSlice(splits[splits.length - 1]!);
  const shape = splits.slice(0, -1).map((s) => {
    const d = parseInt64(s);
    if (d === undefined) throw invalidArgument(`Non numerical dimension in shape_and_slice: ${spec}`);
    if (d < 0) throw invalidArgument(`Dimension ${d} must be >= 0`);
    return d;
  });
  return { shape, slice, sliceShape: sliceShape(slice, shape) };
}

export function sliceToProto(s: TensorSlice): TensorSliceProto {
  return create(TensorSliceProtoSchema, {
    extent: s.starts.map((st, d) =>
      create(
        TensorSliceProto_ExtentSchema,
        isFullAt(s, d)
          ? {}
          : { start: BigInt(st), hasLength: { case: "length", value: BigInt(s.lengths[d]!) } },
      ),
    ),
  });
}

/** TF's TensorSlice(const TensorSliceProto&) with BuildTensorSlice's checks (a bad one is DATA_LOSS here: it came from a file). */
export function sliceFromProto(p: TensorSliceProto, what: () => string): TensorSlice {
  const starts: number[] = [];
  const lengths: number[] = [];
  for (const e of p.extent) {
    const start = Number(e.start);
    const length = e.hasLength.case === "length" ? Number(e.hasLength.value) : FULL_EXTENT;
    if ((start !== 0 || length !== FULL_EXTENT) && (start < 0 || length <= 0)) {
      throw invalidArgument(
        `Expected non-negative start and positive length but got start = ${start}, length = ${length}: ${what()}`,
      );
    }
    starts.push(start);
    lengths.push(length);
  }
  return { starts, lengths };
}

/** The common part of a and b (TF's TensorSlice::Intersect), or undefined when they do not overlap. */
export function intersect(a: TensorSlice, b: TensorSlice): TensorSlice | undefined {
  if (a.starts.length !== b.starts.length) return undefined;
  const starts: number[] = [];
  const lengths: number[] = [];
  for (let d = 0; d < a.starts.length; d++) {
    if (isFullAt(a, d)) {
      starts.push(b.starts[d]!);
      lengths.push(b.lengths[d]!);
    } else if (isFullAt(b, d)) {
      starts.push(a.starts[d]!);
      lengths.push(a.lengths[d]!);
    } else {
      const s = Math.max(a.starts[d]!, b.starts[d]!);
      const l = Math.min(a.starts[d]! + a.lengths[d]!, b.starts[d]! + b.lengths[d]!) - s;
      if (l <= 0) return undefined;
      starts.push(s);
      lengths.push(l);
    }
  }
  return { starts, lengths };
}

export function sameSlice(a: TensorSlice, b: TensorSlice): boolean {
  return (
    a.starts.length === b.starts.length &&
    a.starts.every((s, d) => s === b.starts[d] && a.lengths[d] === b.lengths[d])
  );
}

/** Start and size of slice s along each dimension of a tensor of full shape. */
export function sliceBounds(s: TensorSlice, full: readonly number[]): { start: number[]; size: number[] } {
  return {
    start: full.map((_, d) => (isFullAt(s, d) ? 0 : s.starts[d]!)),
    size: full.map((dim, d) => (isFullAt(s, d) ? dim : s.lengths[d]!)),
  };
}

/**
 * Copies the overlap of the stored slice into the destination slice (TF's
 * CopyDataFromTensorSliceToTensorSlice). Both buffers are row-major over their slice's shape;
 * `width` is the number of array items per element (2 for complex).
 */
export function copySliceOverlap<T>(
  full: readonly number[],
  srcSlice: TensorSlice,
  dstSlice: TensorSlice,
  src: ArrayLike<T>,
  dst: { [i: number]: T },
  width: number,
): void {
  const overlap = intersect(srcSlice, dstSlice);
  if (overlap === undefined) return;
  const o = sliceBounds(overlap, full);
  const s = sliceBounds(srcSlice, full);
  const t = sliceBounds(dstSlice, full);
  const rank = full.length;
  const strides = (size: number[]): number[] => {
    const st = new Array<number>(rank).fill(width);
    for (let d = rank - 2; d >= 0; d--) st[d] = st[d + 1]! * size[d + 1]!;
    return st;
  };
  const sStr = strides(s.size);
  const tStr = strides(t.size);
  const total = o.size.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(rank).fill(0);
  for (let n = 0; n < total; n++) {
    let si = 0;
    let ti = 0;
    for (let d = 0; d < rank; d++) {
      const g = o.start[d]! + idx[d]!;
      si += (g - s.start[d]!) * sStr[d]!;
      ti += (g - t.start[d]!) * tStr[d]!;
    }
    for (let w = 0; w < width; w++) dst[ti + w] = src[si + w]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < o.size[d]!) break;
      idx[d] = 0;
    }
  }
  if (rank === 0) for (let w = 0; w < width; w++) dst[w] = src[w]!;
}

// strings::OrderedCode (core/lib/strings/ordered_code.cc), only the writers the slice keys use.

function writeNumIncreasing(out: number[], v: number): void {
  const bytes: number[] = [];
  let x = BigInt(v);
  while (x > 0n) {
    bytes.unshift(Number(x & 0xffn));
    x >>= 8n;
  }
  out.push(bytes.length, ...bytes);
}

function writeString(out: number[], s: Uint8Array): void {
  for (const b of s) {
    if (b === 0x00) out.push(0x00, 0xff);
    else if (b === 0xff) out.push(0xff, 0x00);
    else out.push(b);
  }
  out.push(0x00, 0x01);
}

/** Header bits of the first two bytes for each encoded length (OrderedCode's signed format). */
const LENGTH_HEADER: readonly (readonly [number, number])[] = [
  [0, 0],
  [0x80, 0],
  [0xc0, 0],
  [0xe0, 0],
  [0xf0, 0],
  [0xf8, 0],
  [0xfc, 0],
  [0xfe, 0],
  [0xff, 0],
  [0xff, 0x80],
  [0xff, 0xc0],
];

/**
 * Sign bit, then as many bits equal to it as there are bytes after the first, then the value in
 * two's complement, big-endian: order-preserving and short for small numbers.
 */
function writeSignedNumIncreasing(out: number[], v: number): void {
  const val = BigInt(v);
  const x = val < 0n ? ~val : val;
  if (x < 64n) {
    out.push((0x80 ^ Number(BigInt.asUintN(8, val))) & 0xff);
    return;
  }
  const bits = x.toString(2).length + 1;
  const len = Math.min(10, Math.floor((bits - 1) / 7) + 1);
  const buf: number[] = [];
  const u = BigInt.asUintN(80, val);
  for (let i = 9; i >= 0; i--) buf.push(Number((u >> BigInt(8 * i)) & 0xffn));
  const begin = buf.slice(10 - len);
  begin[0] = begin[0]! ^ LENGTH_HEADER[len]![0];
  begin[1] = begin[1]! ^ LENGTH_HEADER[len]![1];
  out.push(...begin);
}

/** The key a slice of tensor `name` is stored under (TF's checkpoint::EncodeTensorNameSlice). */
export function encodeTensorNameSlice(name: Uint8Array, s: TensorSlice): Uint8Array {
  const out: number[] = [];
  writeNumIncreasing(out, 0);
  writeString(out, name);
  writeNumIncreasing(out, s.starts.length);
  for (let d = 0; d < s.starts.length; d++) {
    writeSignedNumIncreasing(out, s.starts[d]!);
    writeSignedNumIncreasing(out, s.lengths[d]!);
  }
  return Uint8Array.from(out);
}
