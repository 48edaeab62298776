// TF's tensor bundle (core/util/tensor_bundle/tensor_bundle.cc), the V2 checkpoint format that
// SaveV2 writes and RestoreV2 / tf.train.load_checkpoint read: a `.index` table (table.ts) mapping
// each tensor name to a BundleEntryProto (dtype, shape, shard, offset, size, masked CRC32C), with a
// BundleHeaderProto under the empty key, and `.data-NNNNN-of-MMMMM` files holding the bytes.
//
// Numeric tensors are stored as their raw little-endian element bytes. A string tensor is stored
// as the varint64 length of each element, a masked CRC32C of those lengths (each checksummed as a
// little-endian uint32, or uint64 above 4 GiB), then the bytes; its entry CRC covers the lengths
// (as checksummed), the length checksum and the bytes. A tensor saved in slices (a partitioned
// variable) has an entry with only dtype, shape and the list of slices; each slice is a tensor of
// its own under the key tensor-slice.ts encodeTensorNameSlice derives.
//
// Files are reached through BundleFiles (a sandbox); every malformed byte read back is DATA_LOSS with
// TF's text, and no size read from a file is allocated before it is checked against the file.

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { TensorShapeProtoSchema } from "../../../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import { DataType } from "../../../../gen/tensorflow/core/framework/types_pb.js";
import { VersionDefSchema } from "../../../../gen/tensorflow/core/framework/versions_pb.js";
import {
  type BundleEntryProto,
  BundleEntryProtoSchema,
  type BundleHeaderProto,
  BundleHeaderProto_Endianness,
  BundleHeaderProtoSchema,
} from "../../../../gen/tensorflow/core/protobuf/tensor_bundle_pb.js";
import { binaryBytes, binaryString } from "../binary-string.js";
import { maskCrc, RunningCrc32c, unmaskCrc } from "../crc32c.js";
import {
  dataLoss,
  internal,
  invalidArgument,
  isTfError,
  notFound,
  outOfRange,
  unimplemented,
} from "../errors.js";
import { checkAllocation, shapeString, Tensor } from "../tensor.js";
import { BYTES_PER_ELEMENT, dataTypeString } from "../types.js";
import { ByteSink, readFixed32, readVarint } from "./coding.js";
import { dataFilename, dirname, metaFilename } from "./naming.js";
import { buildTable, readTable, type TableEntry } from "./table.js";
import {
  copySliceOverlap,
  coversShape,
  encodeTensorNameSlice,
  fullSlice,
  intersect,
  isFull,
  sameSlice,
  sliceFromProto,
  sliceShape,
  sliceString,
  sliceToProto,
  type TensorSlice,
} from "./tensor-slice.js";

/** What the bundle code needs from a file system (tfgate's file sandbox provides it). */
export interface BundleFiles {
  /** A whole file; NOT_FOUND when missing. */
  readFile(path: string): Uint8Array;
  /** Up to length bytes from offset (fewer at the end of the file); NOT_FOUND when missing. */
  readAt(path: string, offset: number, length: number): Uint8Array;
  exists(path: string): boolean;
  /** Writes a file under a temporary name and renames it into place. */
  writeAtomic(path: string, data: Uint8Array): void;
  rename(from: string, to: string): void;
  /** Deletes a file; a missing one is not an error. */
  remove(path: string): void;
  /** Deletes an empty directory; failures are the caller's to ignore. */
  removeDir(path: string): void;
  /** Creates one directory (TF's Env::CreateDir): fine if it exists, NOT_FOUND if its parent does not. */
  makeDir(path: string): void;
}

/** TF's kTensorBundleVersion / kTensorBundleMinConsumer / kTensorBundleMinProducer. */
const BUNDLE_VERSION = 1;
const BUNDLE_MIN_PRODUCER = 0;
const HEADER_KEY = new Uint8Array(0);

const utf8 = new TextDecoder();

/** A key as a JS string whose code units are its bytes (sorts like the bytes). */
function keyId(key: Uint8Array): string {
  return binaryString(key);
}

function keyBytes(id: string): Uint8Array {
  return binaryBytes(id);
}

/** A key for messages. */
export function keyText(key: Uint8Array): string {
  return utf8.decode(key);
}

function elementBytes(dtype: DataType): number | undefined {
  return BYTES_PER_ELEMENT[dtype];
}

/** Array items per element in tfgate's storage (complex holds two floats). */
function itemsPerElement(dtype: DataType): number {
  return dtype === DataType.DT_COMPLEX64 || dtype === DataType.DT_COMPLEX128 ? 2 : 1;
}

function rawBytes(t: Tensor): Uint8Array {
  const d = t.data;
  if (!ArrayBuffer.isView(d)) throw internal(`${dataTypeString(t.dtype)} has no raw bytes`);
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

function shapeProto(shape: readonly number[]) {
  return create(TensorShapeProtoSchema, { dim: shape.map((size) => ({ size: BigInt(size) })) });
}

/** Serialized tensor bytes and their (unmasked) CRC32C. */
function encodeTensor(t: Tensor): { bytes: Uint8Array[]; size: number; crc: number } {
  if (t.dtype === DataType.DT_STRING) return encodeStrings(t.data as Uint8Array[]);
  if (t.dtype === DataType.DT_VARIANT) {
    throw unimplemented("Saving DT_VARIANT tensors in a checkpoint is not supported by tfgate");
  }
  if (elementBytes(t.dtype) === undefined) {
    throw invalidArgument(`Cannot save a tensor of type ${dataTypeString(t.dtype)} in a checkpoint`);
  }
  const bytes = rawBytes(t).slice();
  return { bytes: [bytes], size: bytes.length, crc: new RunningCrc32c().update(bytes).value() };
}

/** A string length as TF checksums it: a little-endian uint32, or uint64 above 4 GiB. */
function lengthChecksumBytes(n: number | bigint): Uint8Array {
  const big = BigInt(n);
  const b = new Uint8Array(big <= 0xffffffffn ? 4 : 8);
  const v = new DataView(b.buffer);
  if (big <= 0xffffffffn) v.setUint32(0, Number(big), true);
  else v.setBigUint64(0, big, true);
  return b;
}

function encodeStrings(values: readonly Uint8Array[]): { bytes: Uint8Array[]; size: number; crc: number } {
  const crc = new RunningCrc32c();
  const lengths = new ByteSink();
  for (const s of values) {
    lengths.varint(s.length);
    crc.update(lengthChecksumBytes(s.length));
  }
  const check = new ByteSink();
  check.fixed32(maskCrc(crc.value()));
  const checkBytes = check.view().slice();
  crc.update(checkBytes);
  let size = lengths.length + 4;
  for (const s of values) {
    crc.update(s);
    size += s.length;
  }
  return { bytes: [lengths.view().slice(), checkBytes, ...values], size, crc: crc.value() };
}

/** TF's BundleWriter: collects tensors, then writes the data file and the index on finish(). */
export class BundleWriter {
  private readonly entries = new Map<string, BundleEntryProto>();
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  constructor(
    private readonly files: BundleFiles,
    private readonly prefix: string,
  ) {}

  add(key: Uint8Array, t: Tensor): void {
    const id = keyId(key);
    if (this.entries.has(id)) throw invalidArgument(`Adding duplicate key: ${keyText(key)}`);
    const enc = encodeTensor(t);
    this.entries.set(
      id,
      create(BundleEntryProtoSchema, {
        dtype: t.dtype,
        shape: shapeProto(t.shape),
        shardId: 0,
        offset: BigInt(this.size),
        size: BigInt(enc.size),
        crc32c: maskCrc(enc.crc),
      }),
    );
    this.chunks.push(...enc.bytes);
    this.size += enc.size;
  }

  /** Adds one slice of a tensor of fullShape (TF's AddSlice); a slice covering it all is a plain add. */
  addSlice(key: Uint8Array, fullShape: readonly number[], slice: TensorSlice, t: Tensor): void {
    if (coversShape(slice, fullShape)) {
      this.add(key, t);
      return;
    }
    const id = keyId(key);
    let full = this.entries.get(id);
    if (full === undefined) {
      full = create(BundleEntryProtoSchema, { dtype: t.dtype, shape: shapeProto(fullShape) });
      this.entries.set(id, full);
    } else if (full.slices.length === 0) {
      throw invalidArgument(`Adding duplicate key: ${keyText(key)}`);
    } else if (full.dtype !== t.dtype || !sameDims(full, fullShape)) {
      throw invalidArgument(
        `Slices of ${keyText(key)} disagree: ${dataTypeString(full.dtype)} vs ${dataTypeString(t.dtype)}, ` +
          `full shape ${shapeString(entryShape(full))} vs ${shapeString(fullShape)}`,
      );
    }
    full.slices.push(sliceToProto(slice));
    this.add(encodeTensorNameSlice(key, slice), t);
  }

  /**
   * Writes the data file, then the index. The old index (if the prefix is being overwritten) goes
   * first, so an interrupted save leaves no index, never one that points into a half-written or
   * different data file; each file is written under a temporary name and renamed into place.
   */
  finish(): void {
    this.files.makeDir(dirname(this.prefix));
    const index = metaFilename(this.prefix);
    this.files.remove(index);
    this.files.writeAtomic(dataFilename(this.prefix, 0, 1), concat(this.chunks, this.size));
    const header = create(BundleHeaderProtoSchema, {
      numShards: 1,
      endianness: BundleHeaderProto_Endianness.LITTLE,
      version: create(VersionDefSchema, { producer: BUNDLE_VERSION, minConsumer: 0 }),
    });
    this.files.writeAtomic(index, buildIndex(header, this.entries));
  }
}

function buildIndex(header: BundleHeaderProto, entries: Map<string, BundleEntryProto>): Uint8Array {
  const sorted = [...entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rows: TableEntry[] = [{ key: HEADER_KEY, value: toBinary(BundleHeaderProtoSchema, header) }];
  for (const id of sorted) {
    rows.push({ key: keyBytes(id), value: toBinary(BundleEntryProtoSchema, entries.get(id)!) });
  }
  return buildTable(rows);
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function entryShape(e: BundleEntryProto): number[] {
  return (e.shape?.dim ?? []).map((d) => Number(d.size));
}

function sameDims(e: BundleEntryProto, shape: readonly number[]): boolean {
  const s = entryShape(e);
  return s.length === shape.length && s.every((d, i) => d === shape[i]);
}

function shapeDebugString(e: BundleEntryProto): string {
  const dims = (e.shape?.dim ?? []).map((d) => `dim { size: ${d.size} }`);
  if (e.shape?.unknownRank) dims.push("unknown_rank: true");
  return dims.join(" ");
}

function corruptFile(filename: string, detail: string, cause?: string): Error {
  const text = `Unable to read file (${filename}). Perhaps the file is corrupt or was produced by a newer version of TensorFlow with format changes (${detail})`;
  return cause === undefined ? internal(text) : dataLoss(`${text}: ${cause}`);
}

/** Reads an index table, reporting a bad data block as TF's BundleReader does (header seek failed). */
function readIndex(files: BundleFiles, filename: string): TableEntry[] {
  return readTable(files.readFile(filename), (e) =>
    isTfError(e) ? corruptFile(filename, "failed to seek to header entry", e.message) : (e as Error),
  );
}

function parseEntry(key: Uint8Array, value: Uint8Array): BundleEntryProto {
  try {
    return fromBinary(BundleEntryProtoSchema, value);
  } catch {
    throw dataLoss(`Entry for key ${keyText(key)} not parseable.`);
  }
}

const MAX_SAFE_ELEMENTS = 2 ** 53;

/** TF's BundleReader: opens the index of prefix and reads tensors and slices out of the bundle. */
export class BundleReader {
  private readonly entries = new Map<string, Uint8Array>();
  readonly numShards: number;
  private readonly swapBytes: boolean;

  constructor(
    private readonly files: BundleFiles,
    readonly prefix: string,
  ) {
    const filename = metaFilename(prefix);
    const table = readIndex(files, filename);
    const first = table[0];
    if (first === undefined || first.key.length !== 0) {
      throw corruptFile(filename, "failed to seek to header entry");
    }
    let header: BundleHeaderProto;
    try {
      header = fromBinary(BundleHeaderProtoSchema, first.value);
    } catch {
      throw corruptFile(filename, "unable to parse header", `Entry for key  not parseable.`);
    }
    this.numShards = header.numShards;
    this.swapBytes = header.endianness === BundleHeaderProto_Endianness.BIG;
    checkVersion(header);
    for (const e of table.slice(1)) this.entries.set(keyId(e.key), e.value);
  }

  /** Names of the whole tensors (not their slices), sorted. */
  tensorKeys(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const [id, value] of this.entries) {
      const key = keyBytes(id);
      if (key[0] === 0) continue; // a slice of a partitioned tensor
      void value;
      out.push(key);
    }
    return out;
  }

  /** TF's GetBundleEntryProto. */
  entry(key: Uint8Array): BundleEntryProto {
    const value = this.entries.get(keyId(key));
    if (value === undefined) throw notFound(`Key ${keyText(key)} not found in checkpoint`);
    const e = parseEntry(key, value);
    const dims = e.shape?.dim ?? [];
    let n = 1;
    for (const d of dims) n *= Number(d.size);
    if (e.shape?.unknownRank || dims.some((d) => d.size < 0n) || n > MAX_SAFE_ELEMENTS) {
      throw dataLoss(`Invalid tensor shape: ${keyText(key)} ${shapeDebugString(e)}`);
    }
    return e;
  }

  dtypeAndShape(key: Uint8Array): { dtype: DataType; shape: number[] } {
    const e = this.entry(key);
    return { dtype: e.dtype, shape: entryShape(e) };
  }

  /** The whole tensor saved under key (assembled from its slices if it was saved in slices). */
  lookup(key: Uint8Array): Tensor {
    const e = this.entry(key);
    if (e.slices.length === 0) return this.value(e, key);
    const shape = entryShape(e);
    return this.sliceValue(key, e, fullSlice(shape.length), shape);
  }

  /** The part `slice` (of shape sliceShape) of the tensor saved under key (TF's LookupSlice). */
  lookupSlice(key: Uint8Array, slice: TensorSlice, outShape: readonly number[]): Tensor {
    return this.sliceValue(key, this.entry(key), slice, outShape);
  }

  private sliceValue(
    key: Uint8Array,
    full: BundleEntryProto,
    want: TensorSlice,
    outShape: readonly number[],
  ) {
    const fullShape = entryShape(full);
    const what = () => `tensor ${keyText(key)}`;
    const stored =
      full.slices.length === 0
        ? [fullSlice(fullShape.length)]
        : full.slices.map((p) => sliceFromProto(p, what));
    for (const s of stored) checkStoredSlice(key, s, fullShape);
    const wantSize = outShape.reduce((a, b) => a * b, 1);
    let covered = 0;
    const parts: TensorSlice[] = [];
    for (const s of stored) {
      const o = intersect(s, want);
      if (o === undefined) continue;
      covered += sliceShape(o, fullShape).reduce((a, b) => a * b, 1);
      parts.push(s);
    }
    if (covered < wantSize) {
      throw invalidArgument(
        `Does not have sufficient slices for partitioned tensor ${keyText(key)} to restore in slice_spec: ${sliceString(want)}`,
      );
    }
    const out = Tensor.zeros(full.dtype, outShape);
    for (const s of parts) {
      const e = isFull(s) ? full : this.entry(encodeTensorNameSlice(key, s));
      const storedShape = entryShape(e);
      const direct =
        sameSlice(s, want) ||
        (storedShape.every((d, i) => d === outShape[i]) &&
          storedShape.length === outShape.length &&
          coversShape(s, storedShape) &&
          coversShape(want, storedShape));
      const part = this.value(e, key);
      if (e.dtype !== full.dtype) {
        throw dataLoss(
          `Slice of ${keyText(key)} has type ${dataTypeString(e.dtype)}, not ${dataTypeString(full.dtype)}`,
        );
      }
      if (direct) return part;
      const expected = sliceShape(s, fullShape);
      if (!expected.every((d, i) => d === storedShape[i]) || expected.length !== storedShape.length) {
        throw dataLoss(
          `Slice ${sliceString(s)} of ${keyText(key)} is stored with shape ${shapeString(storedShape)}, expected ${shapeString(expected)}`,
        );
      }
      copySliceOverlap(
        fullShape,
        s,
        want,
        part.data as ArrayLike<unknown>,
        out.data as { [i: number]: unknown },
        itemsPerElement(full.dtype),
      );
    }
    return out;
  }

  /** TF's GetValue: reads and checks the bytes of a non-sliced entry. */
  private value(e: BundleEntryProto, key: Uint8Array): Tensor {
    const shape = entryShape(e);
    const n = shape.reduce((a, b) => a * b, 1);
    const size = Number(e.size);
    const offset = Number(e.offset);
    if (e.dtype === DataType.DT_STRING) {
      if (size < n) {
        throw dataLoss(
          `Invalid size in bundle entry: key ${keyText(key)}; stored size ${e.size}; expected size is at least ${n}`,
        );
      }
    } else if (e.dtype === DataType.DT_VARIANT) {
      throw unimplemented(
        `Restoring DT_VARIANT tensors (key ${keyText(key)}) from a checkpoint is not supported by tfgate`,
      );
    } else {
      const width = elementBytes(e.dtype);
      if (width === undefined) {
        throw dataLoss(`Invalid dtype in bundle entry: key ${keyText(key)}; dtype ${e.dtype}`);
      }
      if (size !== n * width) {
        throw dataLoss(
          `Invalid size in bundle entry: key ${keyText(key)}; stored size ${e.size}; expected size ${n * width}`,
        );
      }
    }
    if (e.shardId < 0 || e.shardId >= Math.max(this.numShards, 1) || offset < 0) {
      throw dataLoss(`Invalid shard or offset in bundle entry: key ${keyText(key)}`);
    }
    // The output first: its allocation is checked and charged before any bytes are read, and a
    // string tensor's bytes count against the same per-tensor limit.
    const out = Tensor.zeros(e.dtype, shape);
    if (e.dtype === DataType.DT_STRING) checkAllocation(DataType.DT_UINT8, size, [size]);
    const path = dataFilename(this.prefix, e.shardId, this.numShards);
    const bytes = size === 0 ? new Uint8Array(0) : this.files.readAt(path, offset, size);
    if (bytes.length < size) throw truncatedRead();
    let crc: number;
    if (e.dtype === DataType.DT_STRING) {
      crc = size === 0 ? 0 : decodeStrings(bytes, out.data as Uint8Array[], offset, this.swapBytes);
    } else {
      crc = new RunningCrc32c().update(bytes).value();
      const dst = rawBytes(out);
      dst.set(bytes);
      if (this.swapBytes) swapElementBytes(dst, elementBytes(e.dtype)! / itemsPerElement(e.dtype));
    }
    const stored = unmaskCrc(e.crc32c);
    if (stored !== crc) {
      throw dataLoss(
        `TensorBundle at ${this.prefix} shard ${e.shardId} (${e.size} bytes): Checksum does not match: stored ${pad8(stored)} vs. calculated on the restored bytes ${crc}`,
      );
    }
    return out;
  }
}

function pad8(v: number): string {
  return String(v).padStart(8, "0");
}

/** A data file shorter than its index says: TF's RandomAccessFile short read (OUT_OF_RANGE). */
function truncatedRead(): Error {
  return outOfRange("Read less bytes than requested");
}

function checkStoredSlice(key: Uint8Array, s: TensorSlice, fullShape: readonly number[]): void {
  if (s.starts.length !== fullShape.length) {
    throw dataLoss(
      `Slice ${sliceString(s)} of ${keyText(key)} does not match its shape ${shapeString(fullShape)}`,
    );
  }
  try {
    sliceShape(s, fullShape);
  } catch {
    throw dataLoss(
      `Slice ${sliceString(s)} of ${keyText(key)} is out of bounds of ${shapeString(fullShape)}`,
    );
  }
}

/** Parses a string tensor's bytes into out; returns the CRC TF's ReadStringTensor computes. */
function decodeStrings(bytes: Uint8Array, out: Uint8Array[], offset: number, swap: boolean): number {
  const crc = new RunningCrc32c();
  const lengths: bigint[] = [];
  let pos = 0;
  for (let i = 0; i < out.length; i++) {
    const r = readVarint(bytes, pos, bytes.length);
    if (r === undefined)
      throw dataLoss(`String lengths longer than expected offset ${offset + bytes.length}`);
    lengths.push(r.value);
    const lb = lengthChecksumBytes(r.value);
    if (swap) lb.reverse();
    crc.update(lb);
    pos = r.next;
  }
  if (pos + 4 > bytes.length)
    throw dataLoss(`String lengths longer than expected offset ${offset + bytes.length}`);
  const raw = bytes.subarray(pos, pos + 4);
  let stored = readFixed32(bytes, pos);
  if (swap) stored = new DataView(raw.buffer, raw.byteOffset).getUint32(0, false);
  if (unmaskCrc(stored) !== crc.value()) {
    throw dataLoss(
      `The length checksum does not match: expected ${pad8(unmaskCrc(stored))} but actual is ${pad8(crc.value())}`,
    );
  }
  crc.update(raw);
  pos += 4;
  for (let i = 0; i < out.length; i++) {
    // Lengths are only trusted up to the bytes actually there (a corrupt one never allocates).
    const len = Number(lengths[i]!);
    if (lengths[i]! > BigInt(bytes.length - pos)) {
      throw dataLoss(`String element ${i} runs past the entry's ${bytes.length} bytes`);
    }
    const s = bytes.slice(pos, pos + len);
    crc.update(s);
    out[i] = s;
    pos += len;
  }
  return crc.value();
}

function swapElementBytes(b: Uint8Array, width: number): void {
  if (width <= 1) return;
  for (let i = 0; i + width <= b.length; i += width) b.subarray(i, i + width).reverse();
}

/** TF's CheckVersions for the bundle header (core/public/version.h semantics). */
function checkVersion(h: BundleHeaderProto): void {
  const v = h.version ?? create(VersionDefSchema);
  if (v.producer < BUNDLE_MIN_PRODUCER) {
    throw invalidArgument(
      `Checkpoint producer version ${v.producer} below min producer ${BUNDLE_MIN_PRODUCER} supported by TensorFlow ${BUNDLE_VERSION}.  Please regenerate your checkpoint.`,
    );
  }
  if (v.minConsumer > BUNDLE_VERSION) {
    throw invalidArgument(
      `Checkpoint min consumer version ${v.minConsumer} above current version ${BUNDLE_VERSION} for TensorFlow.  Please upgrade TensorFlow.`,
    );
  }
  if (v.badConsumers.includes(BUNDLE_VERSION)) {
    throw invalidArgument(
      `Checkpoint disallows consumer version ${BUNDLE_VERSION}.  Please upgrade TensorFlow: this version is likely buggy.`,
    );
  }
}

/**
 * TF's MergeBundles: merges the indexes of several bundles (the shards of a sharded save) into one
 * under mergedPrefix, renaming their data files to the merged names. allowMissing skips prefixes
 * that have no index (MergeV2Checkpoints' allow_missing_files).
 */
export function mergeBundles(
  files: BundleFiles,
  prefixes: readonly string[],
  mergedPrefix: string,
  allowMissing: boolean,
): void {
  files.makeDir(dirname(mergedPrefix));
  let numShards = 0;
  let first: BundleHeaderProto | undefined;
  const entries = new Map<string, BundleEntryProto>();
  const shardIds = new Map<string, number>();
  let merged = 0;
  for (const prefix of prefixes) {
    const filename = metaFilename(prefix);
    if (!files.exists(filename)) {
      if (allowMissing) continue;
      const why = files.exists(prefix) ? "OK" : `NOT_FOUND: ${prefix} not found`;
      throw invalidArgument(`allow_missing_files was set to false and ${prefix} did not exist.${why}`);
    }
    merged++;
    const table = readIndex(files, filename);
    const head = table[0];
    if (head === undefined || head.key.length !== 0)
      throw corruptFile(filename, "failed to seek to header entry");
    let header: BundleHeaderProto;
    try {
      header = fromBinary(BundleHeaderProtoSchema, head.value);
    } catch {
      throw corruptFile(filename, "unable to parse header", "Entry for key  not parseable.");
    }
    numShards += header.numShards;
    if (first === undefined) first = header;
    else checkSameFormat(first, header);
    for (const row of table.slice(1)) mergeEntry(entries, shardIds, row, prefix, header.numShards);
  }
  if (merged === 0)
    throw invalidArgument("At least one prefix checkpoint file must exist, but none existed.");
  const total = shardIds.size;
  const index = metaFilename(mergedPrefix);
  files.remove(index);
  for (const [from, id] of shardIds) files.rename(from, dataFilename(mergedPrefix, id, total));
  const header = create(BundleHeaderProtoSchema, {
    numShards,
    endianness: first?.endianness ?? BundleHeaderProto_Endianness.LITTLE,
    version: first?.version ?? create(VersionDefSchema, { producer: BUNDLE_VERSION }),
  });
  files.writeAtomic(index, buildIndex(header, entries));
  for (const prefix of prefixes) files.remove(metaFilename(prefix));
}

function checkSameFormat(a: BundleHeaderProto, b: BundleHeaderProto): void {
  if (a.endianness !== b.endianness) {
    throw invalidArgument("Merging bundles with conflicting endianness; inputs corrupted?");
  }
  const va = a.version ?? create(VersionDefSchema);
  const vb = b.version ?? create(VersionDefSchema);
  if (toBinary(VersionDefSchema, va).join() !== toBinary(VersionDefSchema, vb).join()) {
    throw invalidArgument(
      `Merging bundles with different format versions: merged producer ${va.producer} vs. curr producer ${vb.producer}`,
    );
  }
}

function mergeEntry(
  entries: Map<string, BundleEntryProto>,
  shardIds: Map<string, number>,
  row: TableEntry,
  prefix: string,
  numShards: number,
): void {
  const id = keyId(row.key);
  const existing = entries.get(id);
  if (existing !== undefined && existing.slices.length === 0) {
    throw invalidArgument(
      `Duplicate tensor keyed by ${keyText(row.key)} encountered, when merging prefix: ${prefix}`,
    );
  }
  const entry = parseEntry(row.key, row.value);
  if (existing !== undefined) {
    if (entry.slices.length === 0) {
      throw internal(
        `Duplicate tensor keyed by ${keyText(row.key)}; attempting to merge in a non-slice bundle entry`,
      );
    }
    existing.slices.push(...entry.slices);
    return;
  }
  if (entry.slices.length === 0) {
    const file = dataFilename(prefix, entry.shardId, numShards);
    let shard = shardIds.get(file);
    if (shard === undefined) {
      shard = shardIds.size;
      shardIds.set(file, shard);
    }
    entry.shardId = shard;
  }
  entries.set(id, entry);
}
