// TF's BatchDatasetV2 and BatchDataset (core/kernels/data/batch_dataset_op.cc): consecutive elements stacked into
// batches of batch_size along a new first dimension; the last, smaller batch is dropped when
// drop_remainder is true. Every element of a batch must have the same shape per component.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import {
  boolArgument,
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  type Element,
  INFINITE,
  type IteratorContext,
  int64Argument,
  outputSignature,
  UNKNOWN,
  withStepMemory,
} from "./util/dataset.js";
import { stackRows } from "./util/dataset-tensors.js";

/** Up to n elements of `input` (fewer at its end); none when it is exhausted. */
export async function pullBatch(
  input: DatasetIterator,
  ictx: IteratorContext,
  n: number,
): Promise<Element[]> {
  const elements: Element[] = [];
  while (elements.length < n) {
    const e = await input.next(ictx);
    if (e === undefined) break;
    elements.push(e);
  }
  return elements;
}

/** TF's batch cardinality: whole batches, plus a partial one unless it is dropped. */
export function batchCardinality(input: number, batchSize: number, dropRemainder: boolean): number {
  if (input === INFINITE || input === UNKNOWN) return input;
  return dropRemainder ? Math.floor(input / batchSize) : Math.ceil(input / batchSize);
}

export class BatchDatasetValue extends Dataset {
  readonly name: string = "BatchDataset";

  constructor(
    private readonly input: Dataset,
    private readonly batchSize: number,
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
        return withStepMemory(ictx, () => stackElements(elements));
      },
    };
  }
}

/** TF's CopyBatch: component i of every element stacked; all must have the first one's shape. */
function stackElements(elements: readonly Element[]): Tensor[] {
  const first = elements[0]!;
  return first.map((t0, i) => {
    const rows = elements.map((e) => e[i]!);
    rows.forEach((r, j) => {
      if (shapeString(r.shape) !== shapeString(t0.shape)) {
        throw invalidArgument(
          `Cannot batch tensors with different shapes in component ${i}. First element had shape ` +
            `${shapeString(t0.shape)} and element ${j} had shape ${shapeString(r.shape)}.`,
        );
      }
    });
    return stackRows(t0.dtype, t0.shape, rows);
  });
}

export const BatchDatasetV2Kernel = datasetOp(
  {
    name: "BatchDatasetV2",
    inputs: ["input_dataset: variant", "batch_size: int64", "drop_remainder: bool"],
    outputs: ["handle: variant"],
    attrs: [
      "parallel_copy: bool = false",
      "output_types: list(type) >= 1",
      "output_shapes: list(shape) >= 1",
      "metadata: string = ''",
    ],
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const batchSize = int64Argument(ctx, 1, "batch_size");
      if (batchSize <= 0) throw invalidArgument("Batch size must be greater than zero.");
      const drop = boolArgument(ctx, 2, "drop_remainder");
      return new BatchDatasetValue(input, batchSize, drop, signature);
    };
  },
);

/** TF's BatchDataset: the original op, without drop_remainder (a last, smaller batch is kept). */
export const BatchDatasetKernel = datasetOp(
  {
    name: "BatchDataset",
    inputs: ["input_dataset: variant", "batch_size: int64"],
    outputs: ["handle: variant"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1", "metadata: string = ''"],
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const batchSize = int64Argument(ctx, 1, "batch_size");
      if (batchSize <= 0) throw invalidArgument("Batch size must be greater than zero.");
      return new BatchDatasetValue(input, batchSize, false, signature);
    };
  },
);
