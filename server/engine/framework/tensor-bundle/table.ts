// The immutable sorted key/value table TF writes as a checkpoint's `.index` file: LevelDB's table
// format as TF keeps it in core/lib/io/{table_builder,block_builder,format,block,table}.cc.
//
// Layout: data blocks, an (always empty) metaindex block, an index block, and a 48-byte footer.
// A block is a run of entries, each key stored as the length it shares with the previous key plus
// the rest (prefix compression), with a "restart" (a key stored whole) every 16 entries and the
// restart offsets at the block's end; every block is followed by a one-byte compression type (TF
// writes checkpoints uncompressed) and the masked CRC32C of the block and that byte. The index block
// maps, for each data block, a key >= its last key and < the next block's first key to the block's
// handle (varint offset and size). The footer holds the metaindex and index handles, zero padding
// to 40 bytes, and the table magic number.
//
// Index files are small (a few hundred bytes per saved tensor), so the reader parses the whole table
// into memory up front. Every malformed byte is TF's DATA_LOSS with TF's text.

import { crc32cValue, maskCrc, unmaskCrc } from "../crc32c.js";
import { dataLoss } from "../errors.js";
import { ByteSink, compareBytes, readFixed32, readFixed64, readVarint, readVarint32 } from "./coding.js";

const TABLE_MAGIC = 0xdb4775248b80fb57n;
const FOOTER_LENGTH = 48;
const HANDLE_PADDED = 40;
const TRAILER_LENGTH = 5;
const NO_COMPRESSION = 0;
const SNAPPY_COMPRESSION = 1;
/** TF's table::Options defaults. */
const BLOCK_SIZE = 262144;
const RESTART_INTERVAL = 16;

export interface TableEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

interface BlockHandle {
  readonly offset: number;
  readonly size: number;
}

class BlockBuilder {
  private readonly sink = new ByteSink();
  private readonly restarts: number[] = [0];
  private counter = 0;
  private last: Uint8Array = new Uint8Array(0);
  entries = 0;

  constructor(private readonly restartInterval: number) {}

  add(key: Uint8Array, value: Uint8Array): void {
    let shared = 0;
    if (this.counter < this.restartInterval) {
      const n = Math.min(this.last.length, key.length);
      while (shared < n && this.last[shared] === key[shared]) shared++;
    } else {
      this.restarts.push(this.sink.length);
      this.counter = 0;
    }
    this.sink.varint(shared);
    this.sink.varint(key.length - shared);
    this.sink.varint(value.length);
    this.sink.bytes(key.subarray(shared));
    this.sink.bytes(value);
    this.last = key;
    this.counter++;
    this.entries++;
  }

  /** Bytes the finished block would take (TF's CurrentSizeEstimate). */
  sizeEstimate(): number {
    return this.sink.length + this.restarts.length * 4 + 4;
  }

  finish(): Uint8Array {
    for (const r of this.restarts) this.sink.fixed32(r);
    this.sink.fixed32(this.restarts.length);
    return this.sink.view().slice();
  }
}

/** The shortest key k with start <= k < limit that shares start's prefix (TF's bytewise comparator). */
function shortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array {
  const n = Math.min(start.length, limit.length);
  let i = 0;
  while (i < n && start[i] === limit[i]) i++;
  if (i < n) {
    const b = start[i]!;
    if (b < 0xff && b + 1 < limit[i]!) {
      const out = start.slice(0, i + 1);
      out[i] = b + 1;
      return out;
    }
  }
  return start;
}

/** A short key >= key (TF's FindShortSuccessor). */
function shortSuccessor(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    if (key[i] !== 0xff) {
      const out = key.slice(0, i + 1);
      out[i] = key[i]! + 1;
      return out;
    }
  }
  return key;
}

/** Builds a table from entries already sorted by key (bytewise, no duplicates). */
export function buildTable(entries: Iterable<TableEntry>): Uint8Array {
  const out = new ByteSink();
  const index = new BlockBuilder(1);
  let data = new BlockBuilder(RESTART_INTERVAL);
  let lastKey: Uint8Array | undefined;
  let pending: BlockHandle | undefined;

  const writeBlock = (contents: Uint8Array): BlockHandle => {
    const handle = { offset: out.length, size: contents.length };
    out.bytes(contents);
    const typed = new Uint8Array(contents.length + 1);
    typed.set(contents);
    typed[contents.length] = NO_COMPRESSION;
    out.byte(NO_COMPRESSION);
    out.fixed32(maskCrc(crc32cValue(typed)));
    return handle;
  };
  const handleBytes = (h: BlockHandle): Uint8Array => {
    const s = new ByteSink();
    s.varint(h.offset);
    s.varint(h.size);
    return s.view().slice();
  };

  for (const { key, value } of entries) {
    if (pending !== undefined && lastKey !== undefined) {
      index.add(shortestSeparator(lastKey, key), handleBytes(pending));
      pending = undefined;
    }
    data.add(key, value);
    lastKey = key;
    if (data.sizeEstimate() >= BLOCK_SIZE) {
      pending = writeBlock(data.finish());
      data = new BlockBuilder(RESTART_INTERVAL);
    }
  }
  if (data.entries > 0) pending = writeBlock(data.finish());
  const metaindex = writeBlock(new BlockBuilder(RESTART_INTERVAL).finish());
  if (pending !== undefined && lastKey !== undefined) {
    index.add(shortSuccessor(lastKey), handleBytes(pending));
  }
  const indexHandle = writeBlock(index.finish());

  const footer = new ByteSink();
  footer.bytes(handleBytes(metaindex));
  footer.bytes(handleBytes(indexHandle));
  while (footer.length < HANDLE_PADDED) footer.byte(0);
  footer.fixed64(TABLE_MAGIC);
  out.bytes(footer.view());
  return out.view().slice();
}

function decodeHandle(bytes: Uint8Array, pos: number, limit: number): { handle: BlockHandle; next: number } {
  const offset = readVarint(bytes, pos, limit);
  const size = offset && readVarint(bytes, offset.next, limit);
  if (offset === undefined || size === undefined) throw dataLoss("bad block handle");
  return { handle: { offset: Number(offset.value), size: Number(size.value) }, next: size.next };
}

/** A block's contents after checking its trailer (TF's ReadBlock). */
function readBlock(file: Uint8Array, h: BlockHandle): Uint8Array {
  if (h.offset + h.size + TRAILER_LENGTH > file.length) throw dataLoss("truncated block read");
  const withType = file.subarray(h.offset, h.offset + h.size + 1);
  const stored = unmaskCrc(readFixed32(file, h.offset + h.size + 1));
  if (crc32cValue(withType) !== stored) throw dataLoss("block checksum mismatch");
  const type = file[h.offset + h.size];
  if (type === SNAPPY_COMPRESSION) {
    // TF has not written compressed checkpoint tables since 1.2; tfgate reads uncompressed ones only.
    throw dataLoss("corrupted compressed block contents");
  }
  if (type !== NO_COMPRESSION) throw dataLoss("bad block type");
  return file.subarray(h.offset, h.offset + h.size);
}

/** All entries of one block, in order (TF's Block::Iter walked from the start). */
function blockEntries(block: Uint8Array): TableEntry[] {
  if (block.length < 4) throw dataLoss("bad block contents");
  const numRestarts = readFixed32(block, block.length - 4);
  const maxRestarts = Math.floor((block.length - 4) / 4);
  if (numRestarts > maxRestarts) throw dataLoss("bad block contents");
  const limit = block.length - 4 - numRestarts * 4;
  const out: TableEntry[] = [];
  let key = new Uint8Array(0);
  let pos = 0;
  while (pos < limit) {
    const shared = readVarint32(block, pos, limit);
    const nonShared = shared && readVarint32(block, shared.next, limit);
    const valueLen = nonShared && readVarint32(block, nonShared.next, limit);
    if (shared === undefined || nonShared === undefined || valueLen === undefined) {
      throw dataLoss("bad entry in block");
    }
    const start = valueLen.next;
    if (shared.value > key.length || limit - start < nonShared.value + valueLen.value) {
      throw dataLoss("bad entry in block");
    }
    const next = new Uint8Array(shared.value + nonShared.value);
    next.set(key.subarray(0, shared.value));
    next.set(block.subarray(start, start + nonShared.value), shared.value);
    key = next;
    const vStart = start + nonShared.value;
    out.push({ key, value: block.subarray(vStart, vStart + valueLen.value) });
    pos = vStart + valueLen.value;
  }
  return out;
}

/**
 * Every entry of a table file, sorted by key; malformed input is DATA_LOSS with TF's text. A bad
 * footer or index block fails as TF's Table::Open does; a bad data block is passed through
 * `dataBlockError` (TF reports those from the iterator, wrapped by its caller).
 */
export function readTable(
  file: Uint8Array,
  dataBlockError: (e: unknown) => Error = (e) => e as Error,
): TableEntry[] {
  if (file.length < FOOTER_LENGTH) throw dataLoss("file is too short to be an sstable");
  const footerAt = file.length - FOOTER_LENGTH;
  if (readFixed64(file, file.length - 8) !== TABLE_MAGIC) {
    throw dataLoss("not an sstable (bad magic number)");
  }
  const meta = decodeHandle(file, footerAt, file.length - 8);
  const index = decodeHandle(file, meta.next, file.length - 8);
  const out: TableEntry[] = [];
  for (const ie of blockEntries(readBlock(file, index.handle))) {
    let rows: TableEntry[];
    try {
      rows = blockEntries(readBlock(file, decodeHandle(ie.value, 0, ie.value.length).handle));
    } catch (e) {
      throw dataBlockError(e);
    }
    for (const e of rows) {
      const prev = out[out.length - 1];
      if (prev !== undefined && compareBytes(prev.key, e.key) >= 0)
        throw dataBlockError(dataLoss("bad entry in block"));
      out.push(e);
    }
  }
  return out;
}
