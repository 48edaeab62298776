import {
  callDatasetFunction,
  checkpoint,
  Dataset,
  type DatasetFunction,
  type DatasetIterator,
  functionDatasetOp,
  UNKNOWN,
  verifyTypes,
} from "./util/dataset.js";

class FlatMapDatasetValue extends Dataset {
  readonly name = "FlatMapDataset";

  constructor(
    private readonly input: Dataset,
    private readonly f: DatasetFunction,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return this.input.cardinality() === 0 ? 0 : UNKNOWN;
  }

  makeIterator(): DatasetIterator {
    const input = this.input.makeIterator();
    let current: DatasetIterator | undefined;
    let done = false;
    return {
      next: async (ictx) => {
        while (!done) {
          if (current !== undefined) {
            const e = await current.next(ictx);
            if (e !== undefined) return e;
            current = undefined;
            await checkpoint(ictx);
          }
          const args = await input.next(ictx);
          if (args === undefined) {
            done = true;
            break;
          }
          const ds = await callDatasetFunction(ictx, this.f, args);
          verifyTypes(this.dtypes, ds.dtypes);
          current = ds.makeIterator();
        }
        return undefined;
      },
    };
  }
}

export const FlatMapDatasetKernel = functionDatasetOp(
  "FlatMapDataset",
  "f",
  (input, fn, signature) => new FlatMapDatasetValue(input, fn, signature),
);
