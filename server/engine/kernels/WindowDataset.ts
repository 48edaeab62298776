// TF's WindowDataset (core/kernels/data/window_dataset_op.cc): windows of `size` input elements,
// taking every `stride`-th of the buffered elements, each window starting `shift` elements after
// the previous one; after the input ends, shorter windows follow until the buffer is empty (unless
// drop_remainder). Each output element holds, per component, a dataset of that component's values
// in the window (a DT_VARIANT scalar, read with flat_map(lambda w: w.batch(...))).

import { invalidArgument } from "../framework/errors.js";
import type { PartialShape } from "../framework/variant.js";
import {
  arrayIterator,
  boolArgument,
  checkpoint,
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  datasetTensor,
  type Element,
  int64Argument,
  outputSignature,
  UNKNOWN,
} from "./util/dataset.js";

/** A window's values of one component: a finite dataset of known elements. */
class WindowComponentDataset extends Dataset {
  readonly name = "WindowDataset";

  constructor(
    private readonly elements: readonly Element[],
    dtype: Dataset["dtypes"][number],
    shape: PartialShape,
  ) {
    super([dtype], [shape]);
  }

  cardinality(): number {
    return this.elements.length;
  }

  makeIterator(): DatasetIterator {
    return arrayIterator(this.elements);
  }
}

interface Window {
  readonly size: number;
  readonly shift: number;
  readonly stride: number;
  readonly dropRemainder: boolean;
}

class WindowDatasetValue extends Dataset {
  readonly name = "WindowDataset";

  constructor(
    private readonly input: Dataset,
    private readonly w: Window,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return this.input.cardinality() === 0 ? 0 : UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    const { size, shift, stride, dropRemainder } = this.w;
    const target = (size - 1) * stride + 1;
    let buffer: Element[] = [];
    let inputDone = false;
    return {
      next: async (ictx) => {
        while (!inputDone && buffer.length < target) {
          const e = await input.next(ictx);
          if (e === undefined) inputDone = true;
          else buffer.push(e);
        }
        if (buffer.length === 0 || (dropRemainder && buffer.length < target)) return undefined;
        const picked: Element[] = [];
        for (let i = 0; i < buffer.length; i += stride) picked.push(buffer[i]!);
        if (shift >= buffer.length) {
          for (let i = buffer.length; !inputDone && i < shift; i++) {
            if ((await input.next(ictx)) === undefined) inputDone = true;
            await checkpoint(ictx);
          }
          buffer = [];
        } else {
          buffer = buffer.slice(shift);
        }
        const inputDtypes = this.input.dtypes;
        return inputDtypes.map((dtype, c) =>
          datasetTensor(
            new WindowComponentDataset(
              picked.map((e) => [e[c]!]),
              dtype,
              this.input.shapes[c],
            ),
          ),
        );
      },
    };
  }
}

export const WindowDatasetKernel = datasetOp(
  {
    name: "WindowDataset",
    inputs: [
      "input_dataset: variant",
      "size: int64",
      "shift: int64",
      "stride: int64",
      "drop_remainder: bool",
    ],
    outputs: ["handle: variant"],
    attrs: ["output_types: list(type) >= 1", "output_shapes: list(shape) >= 1", "metadata: string = ''"],
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      const size = int64Argument(ctx, 1, "size");
      if (size <= 0) throw invalidArgument("Window size must be greater than zero.");
      const shift = int64Argument(ctx, 2, "shift");
      if (shift <= 0) throw invalidArgument("Window shift must be greater than zero.");
      const stride = int64Argument(ctx, 3, "stride");
      if (stride <= 0) throw invalidArgument("Window stride must be greater than zero.");
      const dropRemainder = boolArgument(ctx, 4, "drop_remainder");
      return new WindowDatasetValue(input, { size, shift, stride, dropRemainder }, signature);
    };
  },
);
