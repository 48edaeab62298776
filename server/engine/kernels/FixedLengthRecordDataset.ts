// TF's FixedLengthRecordDataset and FixedLengthRecordDatasetV2
// (core/kernels/data/fixed_length_record_dataset_op.cc): records of record_bytes bytes between a
// header and a footer of fixed sizes. An uncompressed file whose body is not a whole number of
// records is INVALID_ARGUMENT with TF's message; a compressed one (V2) is read as a stream, its
// last footer_bytes bytes being the footer.

import { statSync } from "node:fs";
import { invalidArgument } from "../framework/errors.js";
import { fileError } from "../framework/file-sandbox.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { datasetOp, type IteratorContext, int64Argument } from "./util/dataset.js";
import {
  type ByteStream,
  type Compression,
  compressionOf,
  FileRecordDataset,
  filenamesInput,
  openStream,
  type RecordReader,
  sandboxFor,
  stringScalarInput,
} from "./util/file-datasets.js";

interface Layout {
  readonly header: number;
  readonly record: number;
  readonly footer: number;
}

/** An uncompressed file: its size tells how many records it holds. */
function plainReader(s: ByteStream, layout: Layout, count: number): RecordReader {
  let read = 0;
  let started = false;
  return {
    async next(ictx: IteratorContext) {
      if (!started) {
        started = true;
        await s.skip(ictx, layout.header);
      }
      if (read >= count) return undefined;
      read++;
      return s.read(ictx, layout.record);
    },
    close: () => s.close(),
  };
}

/** A compressed stream: records are taken while a whole record and the footer still follow. */
function streamReader(s: ByteStream, layout: Layout): RecordReader {
  let pending: Uint8Array | undefined;
  return {
    async next(ictx: IteratorContext) {
      if (pending === undefined) {
        if (!(await s.skip(ictx, layout.header))) return undefined;
        pending = await s.read(ictx, layout.footer);
      }
      const more = await s.read(ictx, layout.record);
      const all = new Uint8Array(pending.length + more.length);
      all.set(pending);
      all.set(more, pending.length);
      if (all.length < layout.record + layout.footer) return undefined;
      pending = all.subarray(layout.record);
      return all.subarray(0, layout.record);
    },
    close: () => s.close(),
  };
}

function nonNegative(ctx: OpKernelContext, i: number, name: string, what: string): number {
  const n = int64Argument(ctx, i, name);
  if (n < 0) throw invalidArgument(`\`${name}\` must be >= 0${what}`);
  return n;
}

function make(op: string, withCompression: boolean) {
  return (ctx: OpKernelContext) => {
    const files = sandboxFor(ctx, op);
    const names = filenamesInput(ctx, 0);
    const header = nonNegative(ctx, 1, "header_bytes", "");
    const record = int64Argument(ctx, 2, "record_bytes");
    if (record <= 0) throw invalidArgument("`record_bytes` must be > 0");
    const footer = nonNegative(ctx, 3, "footer_bytes", "");
    nonNegative(ctx, 4, "buffer_size", " (0 == default)");
    const compression: Compression = withCompression
      ? compressionOf(stringScalarInput(ctx, 5, "compression_type"))
      : "";
    const layout = { header, record, footer };
    return new FileRecordDataset(op, names, async (_ictx, _i, path) => {
      if (compression !== "") return streamReader(openStream(files, path, compression), layout);
      const host = files.resolveForRead(path);
      let size: number;
      try {
        size = statSync(host).size;
      } catch (e) {
        throw fileError(e, path);
      }
      const body = size - header - footer;
      if (body < 0 || body % record !== 0) {
        throw invalidArgument(
          `Excluding the header (${header} bytes) and footer (${footer} bytes), input file "${path}" has body ` +
            `length ${body} bytes, which is not an exact multiple of the record length (${record} bytes).`,
        );
      }
      return plainReader(openStream(files, path, ""), layout, body / record);
    });
  };
}

const FIXED_INPUTS = [
  "filenames: string",
  "header_bytes: int64",
  "record_bytes: int64",
  "footer_bytes: int64",
  "buffer_size: int64",
];

export const FixedLengthRecordDatasetKernel = datasetOp(
  {
    name: "FixedLengthRecordDataset",
    inputs: FIXED_INPUTS,
    outputs: ["handle: variant"],
    attrs: ["metadata: string = ''"],
    isStateful: true,
  },
  () => make("FixedLengthRecordDataset", false),
);

export const FixedLengthRecordDatasetV2Kernel = datasetOp(
  {
    name: "FixedLengthRecordDatasetV2",
    inputs: [...FIXED_INPUTS, "compression_type: string"],
    outputs: ["handle: variant"],
    attrs: ["metadata: string = ''"],
    isStateful: true,
  },
  () => make("FixedLengthRecordDatasetV2", true),
);
