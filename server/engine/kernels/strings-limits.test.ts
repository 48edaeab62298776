// Hostile sizes for the string and ragged kernels: counts taken from attrs or tensor values that
// would make TF allocate terabytes (or hang) must fail with RESOURCE_EXHAUSTED before anything
// that large is built here. TF itself cannot run these, so they are not in the TF fixtures.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { TfCode } from "../framework/errors.js";
import { fromValues, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { runKernel, tensorOf } from "./testing/testing.js";

const I64 = DataType.DT_INT64;
const I32 = DataType.DT_INT32;
const strings = (values: string[]): Tensor => fromValues(DataType.DT_STRING, [values.length], values);

async function exhausted(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (e: { code: number; message: string }) => {
    assert.equal(e.code, TfCode.RESOURCE_EXHAUSTED, e.message);
    assert.match(e.message, /OOM when allocating/);
    return true;
  });
}

describe("string and ragged kernels refuse hostile sizes before building them", () => {
  it("StringNGrams with a huge n-gram width or pad width", async () => {
    const run = (widths: number[], padWidth: number, preserve: boolean) =>
      runKernel("StringNGrams", {
        inputs: [strings(["a", "b", "c"]), tensorOf(I64, [2], [0, 3])],
        attrs: {
          separator: attr.string(" "),
          ngram_widths: attr.intList(widths),
          left_pad: attr.string("<"),
          right_pad: attr.string(">"),
          pad_width: attr.int(padWidth),
          preserve_short_sequences: attr.bool(preserve),
          Tsplits: attr.type(I64),
        },
      });
    await exhausted(run([2 ** 31 - 1], -1, false));
    await exhausted(run([], 2 ** 40, true));
  });

  it("RaggedTensorToTensor with a huge FIRST_DIM_SIZE or row split", async () => {
    const run = (shape: number[], parts: Tensor[], types: string[]) =>
      runKernel("RaggedTensorToTensor", {
        inputs: [
          tensorOf(I64, [shape.length], shape),
          strings(["a"]),
          fromValues(DataType.DT_STRING, [], [""]),
          ...parts,
        ],
        attrs: {
          T: attr.type(DataType.DT_STRING),
          Tindex: attr.type(I64),
          Tshape: attr.type(I64),
          num_row_partition_tensors: attr.int(parts.length),
          row_partition_types: attr.stringList(types),
        },
      });
    await exhausted(
      run(
        [1, 1],
        [tensorOf(I64, [], [2 ** 50]), tensorOf(I64, [1], [0])],
        ["FIRST_DIM_SIZE", "VALUE_ROWIDS"],
      ),
    );
    await exhausted(run([1, 1], [tensorOf(I64, [2], [0, 2 ** 45])], ["ROW_SPLITS"]));
  });

  it("DenseBincount, UnsortedSegmentJoin and RaggedRange with huge sizes", async () => {
    await exhausted(
      runKernel("DenseBincount", {
        inputs: [tensorOf(I32, [1], [0]), tensorOf(I32, [], [2 ** 31 - 1]), tensorOf(I64, [0], [])],
        attrs: { Tidx: attr.type(I32), T: attr.type(I64), binary_output: attr.bool(false) },
      }),
    );
    await exhausted(
      runKernel("UnsortedSegmentJoin", {
        inputs: [strings(["a"]), tensorOf(I64, [1], [0]), tensorOf(I64, [], [2 ** 45])],
        attrs: { separator: attr.string(""), Tindices: attr.type(I64), Tnumsegments: attr.type(I64) },
      }),
    );
    await exhausted(
      runKernel("RaggedRange", {
        inputs: [tensorOf(I64, [], [0]), tensorOf(I64, [], [2 ** 45]), tensorOf(I64, [], [1])],
        attrs: { T: attr.type(I64), Tsplits: attr.type(I64) },
      }),
    );
  });

  it("RaggedGather repeating a long row many times", async () => {
    const indices = tensorOf(I32, [1 << 16], new Array<number>(1 << 16).fill(0));
    const values = fromValues(I32, [1 << 16], new Array<number>(1 << 16).fill(1));
    await exhausted(
      runKernel("RaggedGather", {
        inputs: [tensorOf(I64, [2], [0, 1 << 16]), values, indices],
        attrs: {
          Tvalues: attr.type(I32),
          Tindices: attr.type(I32),
          Tsplits: attr.type(I64),
          PARAMS_RAGGED_RANK: attr.int(1),
          OUTPUT_RAGGED_RANK: attr.int(1),
        },
      }),
    );
  });
});
