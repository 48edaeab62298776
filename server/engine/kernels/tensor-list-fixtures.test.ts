// The TensorList kernels (and ZerosLike / AddN of lists) against TensorFlow 2.21 itself:
// testdata/tensor-list-fixtures.json, written by testdata/gen_tensor_list_fixtures.py. Eager TF
// cannot return a list as a value, so each case is a sequence of tf.raw_ops calls whose inputs may
// be earlier steps' outputs; the same sequence runs here through the kernels, chaining outputs,
// and every dense output must equal TF's (dtype, shape, values exactly: the inputs are small
// halves, exact in every dtype) and a failing step must fail with TF's code and message.
// Also checked here: sizes taken from tensors are charged before a list's slots exist.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { TfCode } from "../framework/errors.js";
import { fromValues, scalar, type Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { isTensorList } from "../framework/variant.js";
import { buildAttrs, type FxError, type FxTensor, toTensor, valuesOf } from "./testing/fixture-format.js";
import { runKernel } from "./testing/testing.js";

type FxInput = FxTensor | { readonly ref: [number, number] } | { readonly list: FxInput[] };

interface Step {
  readonly op: string;
  readonly attrs: Record<string, [string, unknown]>;
  readonly inputs: FxInput[];
  readonly outputs?: (FxTensor | null)[];
  readonly error?: FxError;
}

interface Sequence {
  readonly name: string;
  readonly ops: string[];
  readonly steps: Step[];
}

const fx = JSON.parse(
  readFileSync(new URL("./testdata/tensor-list-fixtures.json", import.meta.url), "utf8"),
) as { tensorflow: string; sequences: Sequence[] };

function resolve(input: FxInput, outputs: (Tensor | undefined)[][]): Tensor[] {
  if ("ref" in input) {
    const t = outputs[input.ref[0]]?.[input.ref[1]];
    assert.ok(t, `no output ${input.ref.join(":")}`);
    return [t];
  }
  if ("list" in input) return input.list.flatMap((x) => resolve(x, outputs));
  return [toTensor(input)];
}

function assertOutput(got: Tensor | undefined, want: FxTensor | null, what: string): void {
  assert.ok(got, `${what}: no output`);
  if (want === null) {
    assert.equal(got.dtype, DataType.DT_VARIANT, `${what}: dtype ${dataTypeString(got.dtype)}, TF variant`);
    return;
  }
  assert.equal(got.dtype, want.dtype, `${what}: dtype ${dataTypeString(got.dtype)}`);
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.deepEqual(valuesOf(got), want.values, `${what}: values`);
}

describe(`TensorList sequences vs TensorFlow ${fx.tensorflow} (tensor-list fixtures)`, () => {
  it("cover every TensorList op and the variant ZerosLike and AddN", () => {
    const ops = new Set(fx.sequences.flatMap((s) => s.ops));
    for (const op of [
      "EmptyTensorList",
      "TensorListReserve",
      "TensorListFromTensor",
      "TensorListGetItem",
      "TensorListSetItem",
      "TensorListPushBack",
      "TensorListPopBack",
      "TensorListPushBackBatch",
      "TensorListStack",
      "TensorListLength",
      "TensorListElementShape",
      "TensorListConcatV2",
      "TensorListConcat",
      "TensorListSplit",
      "TensorListGather",
      "TensorListScatterV2",
      "TensorListScatter",
      "TensorListScatterIntoExistingList",
      "TensorListResize",
      "TensorListConcatLists",
      "ZerosLike",
      "AddN",
    ]) {
      assert.ok(ops.has(op), `no sequence runs ${op}`);
    }
  });

  for (const s of fx.sequences) {
    it(`${s.name}: ${s.steps.map((st) => st.op.replace(/^TensorList/, "")).join(" → ")}`, async () => {
      const outputs: (Tensor | undefined)[][] = [];
      for (const [k, step] of s.steps.entries()) {
        const run = runKernel(step.op, {
          attrs: buildAttrs(step.attrs),
          inputs: step.inputs.flatMap((x) => resolve(x, outputs)),
          nodeName: step.op,
        });
        const what = `step ${k} ${step.op}`;
        if (step.error) {
          await assert.rejects(run, (e: { code: number; message: string }) => {
            assert.equal(e.message, step.error!.message, what);
            assert.equal(e.code, step.error!.code, `${what}: ${e.message}`);
            return true;
          });
          return;
        }
        const r = await run;
        for (const [i, want] of step.outputs!.entries())
          assertOutput(r.outputs[i], want, `${what} output ${i}`);
        outputs.push(r.outputs);
      }
    });
  }
});

const i32 = (v: number) => scalar(DataType.DT_INT32, v);
const shapeVec = (dims: number[]) => fromValues(DataType.DT_INT32, [dims.length], dims);
const f32Vec = (v: number[]) => fromValues(DataType.DT_FLOAT, [v.length], v);
const dtypeAttr = { element_dtype: attr.type(DataType.DT_FLOAT) };

async function rejectsWith(p: Promise<unknown>, code: TfCode, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: { code: number; message: string }) => {
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

async function listOf(values: number[][]): Promise<Tensor> {
  const flat = values.flat();
  const t = fromValues(DataType.DT_FLOAT, [values.length, values[0]!.length], flat);
  const r = await runKernel("TensorListFromTensor", {
    attrs: { element_dtype: attr.type(DataType.DT_FLOAT), shape_type: attr.type(DataType.DT_INT32) },
    inputs: [t, shapeVec([-1])],
  });
  return r.outputs[0]!;
}

describe("TensorList sizes from tensors are charged before the slots exist", () => {
  const huge = 2 ** 31 - 1;
  it("TensorListReserve of 2^31-1 elements is RESOURCE_EXHAUSTED", async () => {
    await rejectsWith(
      runKernel("TensorListReserve", {
        attrs: { ...dtypeAttr, shape_type: attr.type(DataType.DT_INT32) },
        inputs: [shapeVec([2]), i32(huge)],
      }),
      TfCode.RESOURCE_EXHAUSTED,
      /OOM when allocating/,
    );
  });

  it("TensorListResize, SetItem with resize, ScatterV2 and ScatterIntoExistingList far past the end too", async () => {
    const l = await listOf([[1, 2]]);
    await rejectsWith(
      runKernel("TensorListResize", { inputs: [l, i32(huge)] }),
      TfCode.RESOURCE_EXHAUSTED,
      /OOM/,
    );
    await rejectsWith(
      runKernel("TensorListSetItem", {
        attrs: { ...dtypeAttr, resize_if_index_out_of_bounds: attr.bool(true) },
        inputs: [l, i32(huge - 1), f32Vec([1, 2])],
      }),
      TfCode.RESOURCE_EXHAUSTED,
      /OOM/,
    );
    await rejectsWith(
      runKernel("TensorListScatterV2", {
        attrs: { ...dtypeAttr, shape_type: attr.type(DataType.DT_INT32) },
        inputs: [fromValues(DataType.DT_FLOAT, [1, 2], [1, 2]), shapeVec([0]), shapeVec([-1]), i32(huge)],
      }),
      TfCode.RESOURCE_EXHAUSTED,
      /OOM/,
    );
    await rejectsWith(
      runKernel("TensorListScatterIntoExistingList", {
        attrs: dtypeAttr,
        inputs: [l, fromValues(DataType.DT_FLOAT, [1, 2], [1, 2]), shapeVec([huge - 1])],
      }),
      TfCode.RESOURCE_EXHAUSTED,
      /OOM/,
    );
  });

  it("negative indices TF would write out of bounds with are INVALID_ARGUMENT", async () => {
    const l = await listOf([[1, 2]]);
    await rejectsWith(
      runKernel("TensorListSetItem", {
        attrs: { ...dtypeAttr, resize_if_index_out_of_bounds: attr.bool(true) },
        inputs: [l, i32(-2), f32Vec([1, 2])],
      }),
      TfCode.INVALID_ARGUMENT,
      /^Trying to modify element -2 in a list with 1 elements\.$/,
    );
    await rejectsWith(
      runKernel("TensorListScatterIntoExistingList", {
        attrs: dtypeAttr,
        inputs: [l, fromValues(DataType.DT_FLOAT, [1, 2], [1, 2]), shapeVec([-1])],
      }),
      TfCode.INVALID_ARGUMENT,
      /non-negative/,
    );
  });

  it("a list op leaves its input list unchanged (lists are values)", async () => {
    const l = await listOf([[1, 2]]);
    const pushed = await runKernel("TensorListPushBack", { attrs: dtypeAttr, inputs: [l, f32Vec([3, 4])] });
    const before = (l.data as unknown[])[0];
    const after = (pushed.outputs[0]!.data as unknown[])[0];
    assert.ok(isTensorList(before) && isTensorList(after));
    assert.equal(before.length, 1);
    assert.equal(after.length, 2);
    assert.equal(after.tensors[0], before.tensors[0], "element tensors are shared, not copied");
  });
});
