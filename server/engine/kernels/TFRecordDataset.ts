// TF's TFRecordDataset and TFRecordDatasetV2 (core/kernels/data/tf_record_dataset_op.cc,
// core/lib/io/record_reader.cc): the records of TFRecord files, each framed as
// [length: uint64 LE][masked CRC-32C of the length: 4][data][masked CRC-32C of the data: 4],
// optionally GZIP- or ZLIB-compressed. A bad checksum is DATA_LOSS "corrupted record at <offset>",
// a cut record DATA_LOSS "truncated record at <offset>…"; V2 may start each file at a byte offset.

import { crc32cValue, maskCrc } from "../framework/crc32c.js";
import { dataLoss, invalidArgument } from "../framework/errors.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { datasetOp, int64Argument } from "./util/dataset.js";
import {
  type ByteStream,
  compressionOf,
  FileRecordDataset,
  filenamesInput,
  openStream,
  type RecordReader,
  sandboxFor,
  stringScalarInput,
} from "./util/file-datasets.js";

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function truncated(at: number): Error {
  return dataLoss(`truncated record at ${at}' failed with Read less bytes than requested`);
}

function recordReader(s: ByteStream): RecordReader {
  return {
    async next(ictx) {
      const start = s.offset;
      const header = await s.read(ictx, 12);
      if (header.length === 0) return undefined;
      if (header.length < 12) throw truncated(start);
      if (maskCrc(crc32cValue(header.subarray(0, 8))) !== view(header).getUint32(8, true)) {
        throw dataLoss(`corrupted record at ${start}`);
      }
      const length = Number(view(header).getBigUint64(0, true));
      const body = await s.read(ictx, length + 4);
      if (body.length < length + 4) throw truncated(start);
      const data = body.subarray(0, length);
      if (maskCrc(crc32cValue(data)) !== view(body).getUint32(length, true)) {
        throw dataLoss(`corrupted record at ${start + 12}`);
      }
      return data;
    },
    close: () => s.close(),
  };
}

function make(op: string, withOffsets: boolean) {
  return (ctx: OpKernelContext) => {
    const files = sandboxFor(ctx, op);
    const names = filenamesInput(ctx, 0);
    const compression = compressionOf(stringScalarInput(ctx, 1, "compression_type"));
    // -1: the reader's default buffer (what tf.data passes when none is given).
    if (int64Argument(ctx, 2, "buffer_size") < -1) {
      throw invalidArgument("`buffer_size` must be >= 0 (0 == no buffering)");
    }
    let offsets: number[] = [];
    if (withOffsets) {
      offsets = Array.from(ctx.input(3).data as BigInt64Array, Number);
      if (offsets.length > 0 && offsets.length !== names.length) {
        throw invalidArgument(
          `Number of byte_offsets (${offsets.length}) must be equal to the number of filenames (${names.length}).`,
        );
      }
    }
    return new FileRecordDataset("TFRecordDataset", names, async (_ictx, i, path) =>
      recordReader(openStream(files, path, compression, compression === "" ? (offsets[i] ?? 0) : 0)),
    );
  };
}

export const TFRecordDatasetKernel = datasetOp(
  {
    name: "TFRecordDataset",
    inputs: ["filenames: string", "compression_type: string", "buffer_size: int64"],
    outputs: ["handle: variant"],
    attrs: ["metadata: string = ''"],
    isStateful: true,
  },
  () => make("TFRecordDataset", false),
);

export const TFRecordDatasetV2Kernel = datasetOp(
  {
    name: "TFRecordDatasetV2",
    inputs: ["filenames: string", "compression_type: string", "buffer_size: int64", "byte_offsets: int64"],
    outputs: ["handle: variant"],
    attrs: ["metadata: string = ''"],
    isStateful: true,
  },
  () => make("TFRecordDatasetV2", true),
);
