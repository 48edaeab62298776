// What tf.data's file datasets share (core/kernels/data/tf_record_dataset_op.cc,
// text_line_dataset_op.cc, fixed_length_record_dataset_op.cc, core/lib/io/*): the filenames input,
// paths resolved inside the operator's file sandbox (refused without one), files read as a
// stream (through gunzip or inflate for GZIP / ZLIB), and a dataset that reads its files one after
// another, each file's records produced by a per-format reader.
//
// A file is read in chunks, never whole: a record's length comes from the file, so it is checked
// against the tensor limit and charged to the step before its bytes are gathered.

import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { throwIfAborted } from "../../framework/call-cancellation.js";
import { invalidArgument } from "../../framework/errors.js";
import { type FileSandbox, fileError, requireFileSandbox } from "../../framework/file-sandbox.js";
import type { OpKernelContext } from "../../framework/op-kernel.js";
import { allocData, checkAllocation, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { Dataset, type DatasetIterator, type IteratorContext, UNKNOWN, withStepMemory } from "./dataset.js";

const utf8 = new TextDecoder();

/** The filenames input: a scalar or a vector of strings (TF's check and message). */
export function filenamesInput(ctx: OpKernelContext, i: number): string[] {
  const t = ctx.input(i);
  if (t.rank > 1) throw invalidArgument("`filenames` must be a scalar or a vector.");
  return (t.data as Uint8Array[]).map((b) => utf8.decode(b));
}

export function stringScalarInput(ctx: OpKernelContext, i: number, name: string): string {
  const t = ctx.input(i);
  if (t.rank !== 0) throw invalidArgument(`${name} must be a scalar`);
  return utf8.decode((t.data as Uint8Array[])[0]);
}

export type Compression = "" | "ZLIB" | "GZIP";

/** TF's compression_type: "ZLIB", "GZIP", or anything else meaning none (TF logs and reads plainly). */
export function compressionOf(s: string): Compression {
  return s === "ZLIB" || s === "GZIP" ? s : "";
}

/** The sandbox a file dataset op needs, checked when the dataset is made (TF's PERMISSION_DENIED). */
export function sandboxFor(ctx: OpKernelContext, op: string): FileSandbox {
  return requireFileSandbox(ctx.step.files, op);
}

/** Sequential reads of one file's (decompressed) bytes. */
export class ByteStream {
  private readonly chunks: AsyncIterator<Buffer>;
  private current: Buffer = Buffer.alloc(0);
  private pos = 0;
  private ended = false;
  /** Bytes consumed so far (the offset of the next read). */
  offset = 0;

  constructor(
    private readonly path: string,
    host: string,
    compression: Compression,
    start = 0,
  ) {
    const file: Readable = createReadStream(host, { start, highWaterMark: 256 * 1024 });
    const stream =
      compression === "GZIP"
        ? file.pipe(createGunzip())
        : compression === "ZLIB"
          ? file.pipe(createInflate())
          : file;
    // A failure of the file under a decompressor surfaces through the decompressor's iterator.
    if (stream !== file) file.on("error", (e) => stream.destroy(e));
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    this.offset = start;
  }

  /** Up to n bytes (fewer only at the end of the file), as a fresh array charged to the step. */
  async read(ictx: IteratorContext, n: number): Promise<Uint8Array> {
    const out = withStepMemory(ictx, () => allocData(DataType.DT_UINT8, n, [n]) as Uint8Array);
    let filled = 0;
    while (filled < n) {
      if (this.pos >= this.current.length) {
        if (!(await this.fill())) break;
      }
      const take = Math.min(n - filled, this.current.length - this.pos);
      out.set(this.current.subarray(this.pos, this.pos + take), filled);
      this.pos += take;
      filled += take;
    }
    this.offset += filled;
    return filled === n ? out : out.subarray(0, filled);
  }

  /** Bytes up to and excluding `\n` (and a `\r` before it); undefined at the end of the file. */
  async readLine(ictx: IteratorContext): Promise<Uint8Array | undefined> {
    const parts: Buffer[] = [];
    let length = 0;
    for (;;) {
      if (this.pos >= this.current.length && !(await this.fill())) {
        if (length === 0) return undefined;
        break;
      }
      const nl = this.current.indexOf(10, this.pos);
      const end = nl < 0 ? this.current.length : nl;
      const piece = this.current.subarray(this.pos, end);
      parts.push(piece);
      length += piece.length;
      checkAllocation(DataType.DT_UINT8, length, [length]);
      this.offset += end - this.pos + (nl < 0 ? 0 : 1);
      this.pos = nl < 0 ? end : nl + 1;
      if (nl >= 0) break;
    }
    const line = withStepMemory(ictx, () => allocData(DataType.DT_UINT8, length, [length]) as Uint8Array);
    let at = 0;
    for (const p of parts) {
      line.set(p, at);
      at += p.length;
    }
    return line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, line.length - 1) : line;
  }

  /** Skips n bytes (a header), false when the file ends first. */
  async skip(ictx: IteratorContext, n: number): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (this.pos >= this.current.length && !(await this.fill())) return false;
      const take = Math.min(left, this.current.length - this.pos);
      this.pos += take;
      left -= take;
      this.offset += take;
    }
    throwIfAborted(ictx.step.signal);
    return true;
  }

  close(): void {
    void this.chunks.return?.();
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    let r: IteratorResult<Buffer>;
    try {
      r = await this.chunks.next();
    } catch (e) {
      this.ended = true;
      throw fileError(e, this.path);
    }
    if (r.done) {
      this.ended = true;
      return false;
    }
    this.current = r.value;
    this.pos = 0;
    return true;
  }
}

/** The records of one open file; undefined at its end. */
export interface RecordReader {
  next(ictx: IteratorContext): Promise<Uint8Array | undefined>;
  close(): void;
}

/**
 * A dataset of scalar strings read from files in order. `open` makes file i's reader (it may fail
 * with TF's error for that file: the next GetNext then tries the same file again, as TF's does).
 * After a record error the file is abandoned and reading goes on with the next file, as in TF.
 */
export class FileRecordDataset extends Dataset {
  constructor(
    readonly name: string,
    private readonly files: readonly string[],
    private readonly open: (ictx: IteratorContext, index: number, path: string) => Promise<RecordReader>,
  ) {
    super([DataType.DT_STRING], [[]]);
  }

  cardinality(): number {
    return UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    let index = 0;
    let reader: RecordReader | undefined;
    return {
      next: async (ictx) => {
        while (index < this.files.length) {
          reader ??= await this.open(ictx, index, this.files[index]!);
          let record: Uint8Array | undefined;
          try {
            record = await reader.next(ictx);
          } catch (e) {
            reader.close();
            reader = undefined;
            index++;
            throw e;
          }
          if (record !== undefined) return [new Tensor(DataType.DT_STRING, [], [record])];
          reader.close();
          reader = undefined;
          index++;
        }
        return undefined;
      },
    };
  }
}

/** Opens a ByteStream for a graph path inside the sandbox. */
export function openStream(
  files: FileSandbox,
  path: string,
  compression: Compression,
  start = 0,
): ByteStream {
  return new ByteStream(path, files.resolveForRead(path), compression, start);
}
