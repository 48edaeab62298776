// TF's PaddedBatchDataset and PaddedBatchDatasetV2 (core/kernels/data/padded_batch_dataset_op.cc):
// batches whose components are padded, with that component's padding value, to padded_shapes (a
// dimension of -1 pads to the largest in the batch) before they are stacked. V1 has no
// drop_remainder (a last, smaller batch is kept).

import { dataLoss, invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { batchCardinality, pullBatch } from "./BatchDatasetV2.js";
import {
  boolArgument,
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  type Element,
  int64Argument,
  outputSignature,
  withStepMemory,
} from "./util/dataset.js";
import { padRows } from "./util/dataset-tensors.js";

class PaddedBatchDatasetValue extends Dataset {
  readonly name = "PaddedBatchDataset";

  constructor(
    private readonly input: Dataset,
    private readonly batchSize: number,
    private readonly padded: readonly (readonly number[])[],
    private readonly padValues: readonly Tensor[],
    private readonly dropRemainder: boolean,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return batchCardinality(this.input.cardinality(), this.batchSize, this.dropRemainder);
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    let done = false;
    return {
      next: async (ictx) => {
        if (done) return undefined;
        const elements = await pullBatch(input, ictx, this.batchSize);
        if (elements.length < this.batchSize) done = true;
        if (elements.length === 0 || (this.dropRemainder && elements.length < this.batchSize))
          return undefined;
        return withStepMemory(ictx, () => this.padElements(elements));
      },
    };
  }

  private padElements(elements: readonly Element[]): Tensor[] {
    return this.padded.map((want, i) => {
      const rows = elements.map((e) => e[i]!);
      const shape = want.map((d, k) => {
        let size = d;
        for (const r of rows) {
          if (r.rank !== want.length) {
            throw invalidArgument(
              `All elements in a batch must have the same rank as the padded shape for component${i}: ` +
                `expected rank ${want.length} but got element with rank ${r.rank}`,
            );
          }
          if (d < 0) size = Math.max(size, r.shape[k]!);
          else if (r.shape[k]! > d) {
            throw dataLoss("Attempted to pad to a smaller size than the input element.");
          }
        }
        return Math.max(size, 0);
      });
      return padRows(rows[0]!.dtype, shape, rows, this.padValues[i]!);
    });
  }
}

function paddedBatchKernel(op: string, withDrop: boolean) {
  return datasetOp(
    {
      name: op,
      inputs: [
        "input_dataset: variant",
        "batch_size: int64",
        "padded_shapes: N * int64",
        "padding_values: Toutput_types",
        ...(withDrop ? ["drop_remainder: bool"] : []),
      ],
      outputs: ["handle: variant"],
      attrs: [
        ...(withDrop ? ["parallel_copy: bool = false"] : []),
        "Toutput_types: list(type) >= 1",
        "output_shapes: list(shape) >= 1",
        "N: int >= 1",
        "metadata: string = ''",
      ],
    },
    (c) => {
      const signature = outputSignature(c, "Toutput_types");
      const n = signature.dtypes.length;
      return (ctx) => {
        const input = datasetInput(ctx, 0);
        const batchSize = int64Argument(ctx, 1, "batch_size");
        if (batchSize <= 0) throw invalidArgument("Batch size must be greater than zero.");
        const padded: number[][] = [];
        for (let i = 0; i < n; i++) {
          const t = ctx.input(2 + i);
          if (t.rank !== 1) {
            throw invalidArgument(
              `All padded shapes must be vectors, but component ${i} has shape [${t.shape}].`,
            );
          }
          padded.push(Array.from(t.data as BigInt64Array, Number));
        }
        const padValues: Tensor[] = [];
        for (let i = 0; i < n; i++) {
          const t = ctx.input(2 + n + i);
          if (t.rank !== 0) {
            throw invalidArgument(
              `All padding values must be scalars, but component ${i} has shape [${t.shape}].`,
            );
          }
          padValues.push(t);
        }
        const drop = withDrop && boolArgument(ctx, 2 + 2 * n, "drop_remainder");
        return new PaddedBatchDatasetValue(input, batchSize, padded, padValues, drop, signature);
      };
    },
  );
}

export const PaddedBatchDatasetKernel = paddedBatchKernel("PaddedBatchDataset", false);
export const PaddedBatchDatasetV2Kernel = paddedBatchKernel("PaddedBatchDatasetV2", true);
