// TF's TextLineDataset (core/kernels/data/text_line_dataset_op.cc): the lines of text files, without
// their "\n" (or "\r\n"); a last line without a newline is a line too.

import { invalidArgument } from "../framework/errors.js";
import { datasetOp, int64Argument } from "./util/dataset.js";
import {
  compressionOf,
  FileRecordDataset,
  filenamesInput,
  openStream,
  sandboxFor,
  stringScalarInput,
} from "./util/file-datasets.js";

export const TextLineDatasetKernel = datasetOp(
  {
    name: "TextLineDataset",
    inputs: ["filenames: string", "compression_type: string", "buffer_size: int64"],
    outputs: ["handle: variant"],
    attrs: ["metadata: string = ''"],
    isStateful: true,
  },
  () => (ctx) => {
    const files = sandboxFor(ctx, "TextLineDataset");
    const names = filenamesInput(ctx, 0);
    const compression = compressionOf(stringScalarInput(ctx, 1, "compression_type"));
    if (int64Argument(ctx, 2, "buffer_size") < 0) {
      throw invalidArgument("`buffer_size` must be >= 0 (0 == default)");
    }
    return new FileRecordDataset("TextLineDataset", names, async (_ictx, _i, path) => {
      const s = openStream(files, path, compression);
      return { next: (ictx) => s.readLine(ictx), close: () => s.close() };
    });
  },
);
