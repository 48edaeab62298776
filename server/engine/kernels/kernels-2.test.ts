// Hand-computed cases and TF error texts for the stage-2 kernels.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import {
  AttrValue_ListValueSchema,
  AttrValueSchema,
} from "../../../gen/tensorflow/core/framework/attr_value_pb.js";
import { TfCode } from "../framework/errors.js";
import { createResourceMgr } from "../framework/resource-mgr.js";
import { fromValues, getMaxTensorBytes, setMaxTensorBytes } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { attr, run1, runKernel, tensorOf, valuesOf } from "./testing/testing.js";

const F = DataType.DT_FLOAT;
const I32 = DataType.DT_INT32;
const B = DataType.DT_BOOL;
const S = DataType.DT_STRING;
const f32 = (shape: number[], v: number[]) => tensorOf(F, shape, v);
const i32 = (shape: number[], v: number[]) => tensorOf(I32, shape, v);
const bools = (shape: number[], v: number[]) => tensorOf(B, shape, v);
const strs = (shape: number[], v: string[]) => fromValues(S, shape, v);
const text = (t: { data: unknown }) => (t.data as Uint8Array[]).map((b) => new TextDecoder().decode(b));

async function rejectsWith(p: Promise<unknown>, code: number, fragment: string) {
  await assert.rejects(p, (e: { code?: number; message: string }) => {
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.includes(fragment), `"${e.message}" lacks "${fragment}"`);
    return true;
  });
}

describe("comparisons and logic", () => {
  it("Equal on strings; incompatible_shape_error=false gives a scalar", async () => {
    const eq = await run1("Equal", {
      attrs: { T: attr.type(S) },
      inputs: [strs([2], ["a", "b"]), strs([], ["b"])],
    });
    assert.equal(eq.dtype, B);
    assert.deepEqual(valuesOf(eq), [0, 1]);
    const loose = await run1("NotEqual", {
      attrs: { T: attr.type(F), incompatible_shape_error: attr.bool(false) },
      inputs: [f32([2], [1, 2]), f32([3], [1, 2, 3])],
    });
    assert.deepEqual(loose.shape, []);
    assert.deepEqual(valuesOf(loose), [1]);
    await rejectsWith(
      run1("Equal", { attrs: { T: attr.type(F) }, inputs: [f32([2], [1, 2]), f32([3], [1, 2, 3])] }),
      TfCode.INVALID_ARGUMENT,
      "Incompatible shapes: [2] vs. [3]",
    );
  });
  it("LogicalAnd/Or/Not", async () => {
    const a = bools([4], [0, 0, 1, 1]);
    const b = bools([4], [0, 1, 0, 1]);
    assert.deepEqual(valuesOf(await run1("LogicalAnd", { inputs: [a, b] })), [0, 0, 0, 1]);
    assert.deepEqual(valuesOf(await run1("LogicalOr", { inputs: [a, b] })), [0, 1, 1, 1]);
    assert.deepEqual(valuesOf(await run1("LogicalNot", { inputs: [a] })), [1, 1, 0, 0]);
  });
  it("integer FloorDiv/FloorMod by zero and negative integer Pow are errors", async () => {
    await rejectsWith(
      run1("FloorDiv", { attrs: { T: attr.type(I32) }, inputs: [i32([1], [1]), i32([1], [0])] }),
      TfCode.INVALID_ARGUMENT,
      "Integer division by zero",
    );
    await rejectsWith(
      run1("FloorMod", { attrs: { T: attr.type(I32) }, inputs: [i32([1], [1]), i32([1], [0])] }),
      TfCode.INVALID_ARGUMENT,
      "Integer division by zero",
    );
    await rejectsWith(
      run1("Pow", { attrs: { T: attr.type(I32) }, inputs: [i32([1], [2]), i32([1], [-1])] }),
      TfCode.INVALID_ARGUMENT,
      "Integers to negative integer powers are not allowed",
    );
  });
  it("Select picks by scalar, same-shape and batch conditions; SelectV2 broadcasts", async () => {
    const t = f32([2, 2], [1, 2, 3, 4]);
    const e = f32([2, 2], [-1, -2, -3, -4]);
    assert.deepEqual(
      valuesOf(await run1("Select", { attrs: { T: attr.type(F) }, inputs: [bools([], [0]), t, e] })),
      [-1, -2, -3, -4],
    );
    assert.deepEqual(
      valuesOf(
        await run1("Select", { attrs: { T: attr.type(F) }, inputs: [bools([2, 2], [1, 0, 0, 1]), t, e] }),
      ),
      [1, -2, -3, 4],
    );
    assert.deepEqual(
      valuesOf(await run1("Select", { attrs: { T: attr.type(F) }, inputs: [bools([2], [0, 1]), t, e] })),
      [-1, -2, 3, 4],
    );
    assert.deepEqual(
      valuesOf(
        await run1("SelectV2", { attrs: { T: attr.type(F) }, inputs: [bools([2], [1, 0]), t, f32([], [0])] }),
      ),
      [1, 0, 3, 0],
    );
    await rejectsWith(
      run1("Select", { attrs: { T: attr.type(F) }, inputs: [bools([], [1]), t, f32([2], [1, 2])] }),
      TfCode.INVALID_ARGUMENT,
      "'then' and 'else' must have the same size.  but received: [2,2] vs. [2]",
    );
  });
  it("All and Any", async () => {
    const x = bools([2, 2], [1, 0, 1, 1]);
    assert.deepEqual(valuesOf(await run1("All", { inputs: [x, i32([1], [1])] })), [0, 1]);
    assert.deepEqual(valuesOf(await run1("Any", { inputs: [x, i32([1], [0])] })), [1, 1]);
    assert.deepEqual(valuesOf(await run1("All", { inputs: [bools([0], []), i32([1], [0])] })), [1]);
    assert.deepEqual(valuesOf(await run1("Any", { inputs: [bools([0], []), i32([1], [0])] })), [0]);
  });
});

describe("constructors", () => {
  it("Fill, ZerosLike, OnesLike, Range", async () => {
    const f = await run1("Fill", { attrs: { T: attr.type(F) }, inputs: [i32([2], [2, 2]), f32([], [7])] });
    assert.deepEqual(f.shape, [2, 2]);
    assert.deepEqual(valuesOf(f), [7, 7, 7, 7]);
    assert.deepEqual(
      valuesOf(await run1("ZerosLike", { attrs: { T: attr.type(I32) }, inputs: [i32([3], [4, 5, 6])] })),
      [0, 0, 0],
    );
    const h = DataType.DT_HALF;
    assert.deepEqual(
      valuesOf(await run1("OnesLike", { attrs: { T: attr.type(h) }, inputs: [tensorOf(h, [2], [3, 4])] })),
      [1, 1],
    );
    assert.deepEqual(
      valuesOf(await run1("Range", { inputs: [i32([], [3]), i32([], [10]), i32([], [3])] })),
      [3, 6, 9],
    );
    assert.deepEqual(
      valuesOf(
        await run1("Range", {
          attrs: { Tidx: attr.type(F) },
          inputs: [f32([], [1]), f32([], [0]), f32([], [-0.25])],
        }),
      ),
      [1, 0.75, 0.5, 0.25],
    );
    await rejectsWith(
      run1("Range", { inputs: [i32([], [0]), i32([], [1]), i32([], [0])] }),
      TfCode.INVALID_ARGUMENT,
      "Requires delta != 0: 0",
    );
    await rejectsWith(
      run1("Range", { inputs: [i32([], [5]), i32([], [1]), i32([], [1])] }),
      TfCode.INVALID_ARGUMENT,
      "Requires start <= limit when delta > 0: 5/1",
    );
  });
  it("Fill and Tile asking for huge tensors fail cleanly", async () => {
    await rejectsWith(
      run1("Fill", { attrs: { T: attr.type(F) }, inputs: [i32([2], [1_000_000, 1_000_000]), f32([], [1])] }),
      TfCode.RESOURCE_EXHAUSTED,
      "OOM when allocating tensor",
    );
    const old = getMaxTensorBytes();
    const x = f32([2], [1, 2]);
    setMaxTensorBytes(1024);
    try {
      await rejectsWith(
        run1("Tile", { attrs: { T: attr.type(F) }, inputs: [x, i32([1], [1000])] }),
        TfCode.RESOURCE_EXHAUSTED,
        "OOM when allocating tensor",
      );
    } finally {
      setMaxTensorBytes(old);
    }
  });
});

describe("shape ops", () => {
  it("ExpandDims and Squeeze", async () => {
    const x = f32([2, 1, 3], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(
      (await run1("ExpandDims", { attrs: { T: attr.type(F) }, inputs: [x, i32([], [-1])] })).shape,
      [2, 1, 3, 1],
    );
    assert.deepEqual(
      (await run1("ExpandDims", { attrs: { T: attr.type(F) }, inputs: [x, i32([], [0])] })).shape,
      [1, 2, 1, 3],
    );
    await rejectsWith(
      run1("ExpandDims", { attrs: { T: attr.type(F) }, inputs: [x, i32([], [5])] }),
      TfCode.INVALID_ARGUMENT,
      "Tried to expand dim index 5 for tensor with 3 dimensions.",
    );
    assert.deepEqual((await run1("Squeeze", { attrs: { T: attr.type(F) }, inputs: [x] })).shape, [2, 3]);
    await rejectsWith(
      run1("Squeeze", { attrs: { T: attr.type(F), squeeze_dims: attrList([0]) }, inputs: [x] }),
      TfCode.INVALID_ARGUMENT,
      "Can not squeeze dim[0], expected a dimension of 1, got 2",
    );
  });
  it("ConcatV2 and Pack errors", async () => {
    const a = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    const b = f32([2, 2], [1, 2, 3, 4]);
    await rejectsWith(
      run1("ConcatV2", { attrs: { T: attr.type(F), N: attr.int(2) }, inputs: [a, b, i32([], [0])] }),
      TfCode.INVALID_ARGUMENT,
      "ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = [2,3] vs. shape[1] = [2,2]",
    );
    await rejectsWith(
      run1("ConcatV2", { attrs: { T: attr.type(F), N: attr.int(2) }, inputs: [a, a, i32([], [2])] }),
      TfCode.INVALID_ARGUMENT,
      "ConcatOp : Expected concatenating dimensions in the range [-2, 2), but got 2",
    );
    await rejectsWith(
      run1("Pack", { attrs: { T: attr.type(F), N: attr.int(2) }, inputs: [a, b] }),
      TfCode.INVALID_ARGUMENT,
      "Shapes of all inputs must match: values[0].shape = [2,3] != values[1].shape = [2,2]",
    );
    const strings = await run1("ConcatV2", {
      attrs: { T: attr.type(S), N: attr.int(2) },
      inputs: [strs([1], ["x"]), strs([2], ["y", "z"]), i32([], [0])],
    });
    assert.deepEqual(text(strings), ["x", "y", "z"]);
  });
  it("Transpose, Slice and GatherV2 errors", async () => {
    const x = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    await rejectsWith(
      run1("Transpose", { attrs: { T: attr.type(F) }, inputs: [x, i32([3], [0, 1, 2])] }),
      TfCode.INVALID_ARGUMENT,
      "transpose expects a vector of size 2. But input(1) is a vector of size 3",
    );
    await rejectsWith(
      run1("Slice", {
        attrs: { T: attr.type(F), Index: attr.type(I32) },
        inputs: [x, i32([2], [0, 1]), i32([2], [1, 3])],
      }),
      TfCode.INVALID_ARGUMENT,
      "Expected size[1] in [0, 2], but got 3",
    );
    await rejectsWith(
      run1("GatherV2", {
        attrs: { Tparams: attr.type(F), Tindices: attr.type(I32), Taxis: attr.type(I32) },
        inputs: [x, i32([2], [0, 2]), i32([], [0])],
      }),
      TfCode.INVALID_ARGUMENT,
      "indices[1] = 2 is not in [0, 2)",
    );
  });
});

describe("nn, aggregation, strings, training, stubs", () => {
  it("BiasAdd and AddN", async () => {
    const v = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(
      valuesOf(await run1("BiasAdd", { attrs: { T: attr.type(F) }, inputs: [v, f32([3], [10, 20, 30])] })),
      [11, 22, 33, 14, 25, 36],
    );
    assert.deepEqual(
      valuesOf(
        await run1("BiasAdd", {
          attrs: { T: attr.type(F), data_format: attr.string("NCHW") },
          inputs: [f32([1, 2, 3], [1, 2, 3, 4, 5, 6]), f32([2], [10, 20])],
        }),
      ),
      [11, 12, 13, 24, 25, 26],
    );
    await rejectsWith(
      run1("BiasAdd", { attrs: { T: attr.type(F) }, inputs: [v, f32([2], [1, 2])] }),
      TfCode.INVALID_ARGUMENT,
      "Must provide as many biases as the last dimension of the input tensor: [2] vs. [2,3]",
    );
    assert.deepEqual(
      valuesOf(await run1("AddN", { attrs: { T: attr.type(F), N: attr.int(3) }, inputs: [v, v, v] })),
      [3, 6, 9, 12, 15, 18],
    );
    await rejectsWith(
      run1("AddN", { attrs: { T: attr.type(F), N: attr.int(2) }, inputs: [v, f32([3], [1, 2, 3])] }),
      TfCode.INVALID_ARGUMENT,
      "Input 0: [2,3] != input 1: [3]",
    );
  });
  it("StringJoin and ShardedFilename", async () => {
    const j = await run1("StringJoin", {
      attrs: { N: attr.int(3), separator: attr.string("/") },
      inputs: [strs([], ["ckpt"]), strs([2], ["a", "b"]), strs([], ["x"])],
    });
    assert.deepEqual(text(j), ["ckpt/a/x", "ckpt/b/x"]);
    await rejectsWith(
      run1("StringJoin", {
        attrs: { N: attr.int(2) },
        inputs: [strs([2], ["a", "b"]), strs([3], ["a", "b", "c"])],
      }),
      TfCode.INVALID_ARGUMENT,
      "Input shapes do not match: [2] vs. [3]",
    );
    const f = await run1("ShardedFilename", { inputs: [strs([], ["model"]), i32([], [3]), i32([], [12])] });
    assert.deepEqual(text(f), ["model-00003-of-00012"]);
  });
  it("checkpoint kernels without a file sandbox fail only when run, with PERMISSION_DENIED", async () => {
    await rejectsWith(
      runKernel("SaveV2", {
        attrs: { dtypes: attr.typeList([F]) },
        inputs: [strs([], ["p"]), strs([1], ["v"]), strs([1], [""]), f32([], [1])],
      }),
      TfCode.PERMISSION_DENIED,
      "SaveV2 is not allowed: this server has no file sandbox",
    );
    await rejectsWith(
      runKernel("RestoreV2", {
        attrs: { dtypes: attr.typeList([F]) },
        inputs: [strs([], ["p"]), strs([1], ["v"]), strs([1], [""])],
      }),
      TfCode.PERMISSION_DENIED,
      "RestoreV2 is not allowed: this server has no file sandbox",
    );
  });
  it("BroadcastGradientArgs and ApplyGradientDescent", async () => {
    const r = await runKernel("BroadcastGradientArgs", { inputs: [i32([2], [2, 3]), i32([1], [3])] });
    assert.deepEqual(valuesOf(r.outputs[0]!), []);
    assert.deepEqual(valuesOf(r.outputs[1]!), [0]);
    const cell = { value: f32([2], [1, 2]), name: "v" };
    const a = await runKernel("ApplyGradientDescent", {
      attrs: { T: attr.type(F) },
      inputs: [cell, f32([], [0.5]), f32([2], [2, 4])],
    });
    assert.equal(a.refs[0], cell);
    assert.deepEqual(valuesOf(cell.value), [0, 0]);
    const resources = createResourceMgr();
    const h = await run1("VarHandleOp", {
      attrs: { dtype: attr.type(F), shape: attr.shape([1]), shared_name: attr.string("w") },
      resources,
    });
    await runKernel("AssignVariableOp", {
      attrs: { dtype: attr.type(F) },
      inputs: [h, f32([1], [3])],
      resources,
    });
    await runKernel("ResourceApplyGradientDescent", {
      attrs: { T: attr.type(F) },
      inputs: [h, f32([], [1]), f32([1], [1])],
      resources,
    });
    assert.deepEqual(
      valuesOf(await run1("ReadVariableOp", { attrs: { dtype: attr.type(F) }, inputs: [h], resources })),
      [2],
    );
  });
  it("Assert passes on true and fails with TF's text on false", async () => {
    const attrs = { T: attr.typeList([S, I32]) };
    await runKernel("Assert", {
      attrs,
      inputs: [bools([], [1]), strs([], ["x must be positive"]), i32([4], [1, 2, 3, 4])],
    });
    await rejectsWith(
      runKernel("Assert", {
        attrs,
        inputs: [bools([], [0]), strs([], ["x must be positive"]), i32([4], [1, 2, 3, 4])],
      }),
      TfCode.INVALID_ARGUMENT,
      "assertion failed: [x must be positive] [1 2 3...]",
    );
  });
});

function attrList(ints: number[]) {
  return create(AttrValueSchema, {
    value: { case: "list", value: create(AttrValue_ListValueSchema, { i: ints.map((i) => BigInt(i)) }) },
  });
}

// Messages observed from a real TensorFlow 2.21 (tf.raw_ops in a v1 Session with fed placeholders).
describe("TF 2.21 wording", () => {
  const x = f32([1, 3], [1, 2, 3]);
  it("Transpose, Select, Fill, Reshape, ArgMax NaN", async () => {
    await rejectsWith(
      run1("Transpose", { attrs: { T: attr.type(F) }, inputs: [x, i32([2], [0, 0])] }),
      TfCode.INVALID_ARGUMENT,
      "1 is missing from {0,0}.",
    );
    await rejectsWith(
      run1("Select", {
        attrs: { T: attr.type(F) },
        inputs: [bools([2, 3], [1, 1, 1, 1, 1, 1]), f32([2, 2], [1, 2, 3, 4]), f32([2, 2], [1, 2, 3, 4])],
      }),
      TfCode.INVALID_ARGUMENT,
      "Inputs to operation Select of type Select must have the same size and shape.  Input 0: [2,3] != input 1: [2,2]",
    );
    await rejectsWith(
      run1("Fill", { attrs: { T: attr.type(F) }, inputs: [i32([1], [2]), f32([2], [1, 2])] }),
      TfCode.INVALID_ARGUMENT,
      "value must represent a scalar, got shape [2]",
    );
    await rejectsWith(
      run1("Reshape", { attrs: { T: attr.type(F) }, inputs: [x, i32([2], [3, -2])] }),
      TfCode.INVALID_ARGUMENT,
      "Size 1 must be non-negative, not -2",
    );
    const am = await run1("ArgMax", {
      attrs: { T: attr.type(F) },
      inputs: [f32([3], [1, Number.NaN, 3]), i32([], [0])],
    });
    assert.deepEqual(valuesOf(am), [2]);
  });
});

describe("BatchMatMulV2", () => {
  // Expected values computed with numpy (x @ y with broadcast batches; swapaxes for adj).
  const D = DataType.DT_DOUBLE;
  it("broadcasts batch dimensions and applies adj_x/adj_y", async () => {
    const x = tensorOf(D, [2, 1, 2, 3], [1, 3, -5, 3, -1, 0, 1, -3, 4, -5, -3, -2]);
    const y = tensorOf(D, [3, 3, 2], [0, -1, -4, -5, -5, -5, -4, 4, -4, 1, 2, -3, -3, -1, -3, 4, -4, 3]);
    const r = await run1("BatchMatMulV2", { attrs: { T: attr.type(D) }, inputs: [x, y] });
    assert.deepEqual(r.shape, [2, 3, 2, 2]);
    assert.deepEqual(
      valuesOf(r),
      [13, 9, 4, 2, -26, 22, -8, 11, 8, -4, -6, -7, -8, -6, 22, 30, 16, -11, 28, -17, -10, -1, 32, -13],
    );
    const xa = tensorOf(D, [2, 3, 2], [2, 3, -4, -2, 1, -1, 1, 1, 1, -5, 4, 0]);
    const ya = tensorOf(D, [4, 3], [4, -3, -2, 3, -4, -5, -2, 1, -4, 3, -2, -3]);
    const ra = await run1("BatchMatMulV2", {
      attrs: { T: attr.type(D), adj_x: attr.bool(true), adj_y: attr.bool(true) },
      inputs: [xa, ya],
    });
    assert.deepEqual(ra.shape, [2, 2, 4]);
    assert.deepEqual(valuesOf(ra), [18, 17, -12, 11, 20, 22, -4, 16, -7, -21, -17, -11, 19, 23, -7, 13]);
  });
  it("reports TF's batch-matmul errors", async () => {
    await rejectsWith(
      run1("BatchMatMulV2", {
        attrs: { T: attr.type(F) },
        inputs: [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([2, 3], [1, 2, 3, 4, 5, 6])],
      }),
      TfCode.INVALID_ARGUMENT,
      "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]",
    );
    await rejectsWith(
      run1("BatchMatMulV2", {
        attrs: { T: attr.type(F) },
        inputs: [f32([2, 1, 1], [1, 2]), f32([3, 1, 1], [1, 2, 3])],
      }),
      TfCode.INVALID_ARGUMENT,
      "In[0] and In[1] must have compatible batch dimensions: [2,1,1] vs. [3,1,1]",
    );
  });
});
