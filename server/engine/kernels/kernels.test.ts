// Hand-computed kernel cases and error texts (TF's wording, codes).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TfCode } from "../framework/errors.js";
import type { RefCell } from "../framework/op-kernel.js";
import { createResourceMgr } from "../framework/resource-mgr.js";
import {
  fromValues,
  getMaxTensorBytes,
  type ResourceHandle,
  scalar,
  setMaxTensorBytes,
  Tensor,
} from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { attr, run1, runKernel, tensorOf, testDevice, valuesOf } from "./testing/testing.js";

const F = DataType.DT_FLOAT;
const I32 = DataType.DT_INT32;
const I64 = DataType.DT_INT64;

async function rejectsWith(p: Promise<unknown>, code: number, fragment: string) {
  await assert.rejects(p, (e: { code?: number; message: string }) => {
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.includes(fragment), `"${e.message}" lacks "${fragment}"`);
    return true;
  });
}

const f32 = (shape: number[], v: number[]) => tensorOf(F, shape, v);
const i32 = (shape: number[], v: number[]) => tensorOf(I32, shape, v);

describe("sources and identity", () => {
  it("Const outputs its value; dtype mismatch is INVALID_ARGUMENT", async () => {
    const v = f32([2], [1, 2]);
    const t = await run1("Const", { attrs: { dtype: attr.type(F), value: attr.tensor(v) } });
    assert.deepEqual(valuesOf(t), [1, 2]);
    await rejectsWith(
      run1("Const", { attrs: { dtype: attr.type(I32), value: attr.tensor(v) } }),
      TfCode.INVALID_ARGUMENT,
      "Type mismatch between value (float) and dtype (int32)",
    );
  });
  it("Placeholder always fails with TF's message (shape suffix only for known rank > 0)", async () => {
    await rejectsWith(
      run1("Placeholder", { nodeName: "x", attrs: { dtype: attr.type(F) } }),
      TfCode.INVALID_ARGUMENT,
      "You must feed a value for placeholder tensor 'x' with dtype float",
    );
    await rejectsWith(
      run1("Placeholder", { nodeName: "x", attrs: { dtype: attr.type(I32), shape: attr.shape([-1, 3]) } }),
      TfCode.INVALID_ARGUMENT,
      "You must feed a value for placeholder tensor 'x' with dtype int32 and shape [?,3]",
    );
    await assert.rejects(
      run1("Placeholder", { nodeName: "s", attrs: { dtype: attr.type(F), shape: attr.shape([]) } }),
      (e: Error) => e.message === "You must feed a value for placeholder tensor 's' with dtype float",
    );
  });
  it("PlaceholderWithDefault, Identity, StopGradient, Snapshot pass values; IdentityN passes lists; NoOp", async () => {
    const v = f32([2], [3, 4]);
    assert.equal(
      await run1("PlaceholderWithDefault", {
        attrs: { dtype: attr.type(F), shape: attr.shape([2]) },
        inputs: [v],
      }),
      v,
    );
    assert.equal(await run1("Identity", { attrs: { T: attr.type(F) }, inputs: [v] }), v);
    assert.equal(await run1("StopGradient", { attrs: { T: attr.type(F) }, inputs: [v] }), v);
    const snap = await run1("Snapshot", { attrs: { T: attr.type(F) }, inputs: [v] });
    assert.notEqual(snap.data, v.data);
    assert.deepEqual(valuesOf(snap), [3, 4]);
    const w = i32([], [7]);
    const r = await runKernel("IdentityN", { attrs: { T: attr.typeList([F, I32]) }, inputs: [v, w] });
    assert.deepEqual(r.outputs, [v, w]);
    assert.deepEqual((await runKernel("NoOp")).outputs, []);
  });
});

describe("cwise", () => {
  it("broadcasts in both directions and reports TF's incompatible-shapes error", async () => {
    const z = await run1("AddV2", {
      attrs: { T: attr.type(F) },
      inputs: [f32([2, 1], [10, 20]), f32([1, 3], [1, 2, 3])],
    });
    assert.deepEqual(z.shape, [2, 3]);
    assert.deepEqual(valuesOf(z), [11, 12, 13, 21, 22, 23]);
    const s = await run1("Sub", { attrs: { T: attr.type(F) }, inputs: [f32([], [1]), f32([3], [1, 2, 3])] });
    assert.deepEqual(valuesOf(s), [0, -1, -2]);
    await rejectsWith(
      run1("Add", { attrs: { T: attr.type(F) }, inputs: [f32([2], [1, 2]), f32([3], [1, 2, 3])] }),
      TfCode.INVALID_ARGUMENT,
      "Incompatible shapes: [2] vs. [3]",
    );
  });
  it("integer Div truncates toward zero and rejects division by zero", async () => {
    const q = await run1("Div", {
      attrs: { T: attr.type(I32) },
      inputs: [i32([4], [7, -7, 7, -7]), i32([4], [2, 2, -2, -2])],
    });
    assert.deepEqual(valuesOf(q), [3, -3, -3, 3]);
    const q64 = await run1("Div", {
      attrs: { T: attr.type(I64) },
      inputs: [tensorOf(I64, [2], [-7, 9]), tensorOf(I64, [2], [2, 4])],
    });
    assert.deepEqual(valuesOf(q64), [-3, 2]);
    await rejectsWith(
      run1("Div", { attrs: { T: attr.type(I32) }, inputs: [i32([1], [1]), i32([1], [0])] }),
      TfCode.INVALID_ARGUMENT,
      "Integer division by zero",
    );
  });
  it("float division by zero gives inf/nan; RealDiv has no integer kernel", async () => {
    const z = await run1("RealDiv", {
      attrs: { T: attr.type(F) },
      inputs: [f32([3], [1, -1, 0]), f32([], [0])],
    });
    assert.deepEqual(valuesOf(z), [Infinity, -Infinity, Number.NaN]);
    await rejectsWith(
      run1("RealDiv", { nodeName: "d", attrs: { T: attr.type(I32) } }),
      TfCode.INVALID_ARGUMENT,
      "No OpKernel was registered to support Op 'RealDiv' used by {{node d}} with these attrs: [T=DT_INT32]\nRegistered devices: [CPU]\nRegistered kernels:\n  device='CPU'; T in [DT_FLOAT]",
    );
  });
  it("int32 and int64 arithmetic wraps like C++", async () => {
    const m = await run1("Mul", {
      attrs: { T: attr.type(I32) },
      inputs: [i32([1], [0x10000]), i32([1], [0x10001])],
    });
    assert.deepEqual(valuesOf(m), [0x10000]);
    const a = await run1("AddV2", {
      attrs: { T: attr.type(I64) },
      inputs: [
        new Tensor(I64, [1], new BigInt64Array([2n ** 63n - 1n])),
        new Tensor(I64, [1], new BigInt64Array([1n])),
      ],
    });
    assert.equal((a.data as BigInt64Array)[0], -(2n ** 63n));
  });
  it("Add concatenates strings; complex Mul/Neg/Sqrt", async () => {
    const s = await run1("Add", {
      attrs: { T: attr.type(DataType.DT_STRING) },
      inputs: [fromValues(DataType.DT_STRING, [2], ["a", "b"]), fromValues(DataType.DT_STRING, [], ["!"])],
    });
    assert.deepEqual(
      (s.data as Uint8Array[]).map((b) => new TextDecoder().decode(b)),
      ["a!", "b!"],
    );
    const C = DataType.DT_COMPLEX64;
    const x = new Tensor(C, [1], new Float32Array([1, 2]));
    const y = new Tensor(C, [1], new Float32Array([3, -1]));
    assert.deepEqual(
      Array.from((await run1("Mul", { attrs: { T: attr.type(C) }, inputs: [x, y] })).data as Float32Array),
      [5, 5],
    );
    assert.deepEqual(
      Array.from((await run1("Neg", { attrs: { T: attr.type(C) }, inputs: [x] })).data as Float32Array),
      [-1, -2],
    );
    const r = await run1("Sqrt", {
      attrs: { T: attr.type(C) },
      inputs: [new Tensor(C, [1], new Float32Array([-4, 0]))],
    });
    assert.deepEqual(Array.from(r.data as Float32Array), [0, 2]);
  });
  it("allocations go through the tensor budget", async () => {
    const x = f32([5], [1, 2, 3, 4, 5]);
    const one = f32([], [1]);
    const old = getMaxTensorBytes();
    setMaxTensorBytes(16);
    try {
      await rejectsWith(
        run1("AddV2", { attrs: { T: attr.type(F) }, inputs: [x, one] }),
        TfCode.RESOURCE_EXHAUSTED,
        "OOM when allocating tensor with shape[5] and type float",
      );
    } finally {
      setMaxTensorBytes(old);
    }
  });
});

describe("MatMul", () => {
  it("multiplies and transposes", async () => {
    const a = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    const b = f32([3, 2], [7, 8, 9, 10, 11, 12]);
    assert.deepEqual(
      valuesOf(await run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [a, b] })),
      [58, 64, 139, 154],
    );
    const p = await run1("MatMul", {
      attrs: { T: attr.type(F), transpose_a: attr.bool(true), transpose_b: attr.bool(true) },
      inputs: [b, a],
    });
    assert.deepEqual(p.shape, [2, 2]);
    assert.deepEqual(valuesOf(p), [58, 139, 64, 154]);
  });
  it("reports TF's shape errors", async () => {
    const a = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    await rejectsWith(
      run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [a, a] }),
      TfCode.INVALID_ARGUMENT,
      "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]",
    );
    await rejectsWith(
      run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [f32([3], [1, 2, 3]), f32([3], [1, 2, 3])] }),
      TfCode.INVALID_ARGUMENT,
      "In[0] and In[1] ndims must be == 2: 1",
    );
    await rejectsWith(
      run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [a, f32([3], [1, 2, 3])] }),
      TfCode.INVALID_ARGUMENT,
      "In[0] and In[1] has different ndims: [2,3] vs. [3]",
    );
  });
  it("handles sizes that are not multiples of the tile and empty matrices", async () => {
    const m = 5;
    const k = 3;
    const n = 6;
    const av = Array.from({ length: m * k }, (_, i) => i - 4);
    const bv = Array.from({ length: k * n }, (_, i) => (i % 5) - 2);
    const want: number[] = [];
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += av[i * k + p]! * bv[p * n + j]!;
        want.push(s);
      }
    const got = await run1("MatMul", {
      attrs: { T: attr.type(DataType.DT_DOUBLE) },
      inputs: [tensorOf(DataType.DT_DOUBLE, [m, k], av), tensorOf(DataType.DT_DOUBLE, [k, n], bv)],
    });
    assert.deepEqual(valuesOf(got), want);
    const z = await run1("MatMul", {
      attrs: { T: attr.type(F) },
      inputs: [f32([2, 0], []), f32([0, 3], [])],
    });
    assert.deepEqual(z.shape, [2, 3]);
    assert.deepEqual(valuesOf(z), [0, 0, 0, 0, 0, 0]);
  });
  it("1024x1024 float32 runs in reasonable time", async () => {
    const n = 1024;
    const a = new Tensor(F, [n, n], new Float32Array(n * n).fill(1));
    const t0 = performance.now();
    const p = await run1("MatMul", { attrs: { T: attr.type(F) }, inputs: [a, a] });
    const ms = performance.now() - t0;
    assert.equal((p.data as Float32Array)[12345], 1024);
    assert.ok(ms < 5000, `took ${ms} ms`);
  });
});

describe("reductions", () => {
  const x = f32([2, 3], [1, 2, 3, 4, 5, 6]);
  it("Sum/Mean with scalar, negative and keep_dims axes", async () => {
    const s = await run1("Sum", { attrs: { T: attr.type(F) }, inputs: [x, i32([], [-1])] });
    assert.deepEqual(s.shape, [2]);
    assert.deepEqual(valuesOf(s), [6, 15]);
    const m = await run1("Mean", {
      attrs: { T: attr.type(F), keep_dims: attr.bool(true) },
      inputs: [x, i32([1], [0])],
    });
    assert.deepEqual(m.shape, [1, 3]);
    assert.deepEqual(valuesOf(m), [2.5, 3.5, 4.5]);
    const all = await run1("Sum", { attrs: { T: attr.type(F) }, inputs: [x, i32([2], [0, 1])] });
    assert.deepEqual(all.shape, []);
    assert.deepEqual(valuesOf(all), [21]);
    const im = await run1("Mean", {
      attrs: { T: attr.type(I32) },
      inputs: [i32([3], [1, 2, 4]), i32([1], [0])],
    });
    assert.deepEqual(valuesOf(im), [2]);
  });
  it("reports TF's axis errors", async () => {
    await rejectsWith(
      run1("Sum", { attrs: { T: attr.type(F) }, inputs: [x, i32([1], [2])] }),
      TfCode.INVALID_ARGUMENT,
      "Invalid reduction dimension (2 for input with 2 dimension(s)",
    );
    await rejectsWith(
      run1("Sum", { attrs: { T: attr.type(F) }, inputs: [x, i32([2], [1, -1])] }),
      TfCode.INVALID_ARGUMENT,
      "Invalid reduction arguments: Axes contains duplicate dimension: 1",
    );
  });
});

describe("Cast, Reshape, Shape, Size, Rank", () => {
  it("Cast follows C++ conversions", async () => {
    const c = (src: DataType, dst: DataType, t: Tensor, truncate = false) =>
      run1("Cast", {
        attrs: { SrcT: attr.type(src), DstT: attr.type(dst), Truncate: attr.bool(truncate) },
        inputs: [t],
      });
    assert.deepEqual(valuesOf(await c(F, I32, f32([4], [1.9, -1.9, 3e9, Number.NaN]))), [
      1,
      -1,
      -(2 ** 31),
      -(2 ** 31),
    ]);
    assert.deepEqual(valuesOf(await c(I32, DataType.DT_UINT8, i32([3], [256, -1, 300]))), [0, 255, 44]);
    assert.deepEqual(valuesOf(await c(F, DataType.DT_BOOL, f32([3], [0, -0.5, Number.NaN]))), [0, 1, 1]);
    assert.deepEqual(valuesOf(await c(F, I64, f32([2], [-3.5, 1e10]))), [-3, 1e10]);
    assert.deepEqual(valuesOf(await c(F, DataType.DT_HALF, f32([2], [1.0009765625, 65520]))), [
      1.0009765625,
      Infinity,
    ]);
    assert.deepEqual(valuesOf(await c(F, DataType.DT_BFLOAT16, f32([1], [1.00390625 + 2 ** -9]), true)), [1]);
    assert.deepEqual(valuesOf(await c(I64, I32, tensorOf(I64, [1], [2 ** 32 + 5]))), [5]);
    const cx = await c(F, DataType.DT_COMPLEX64, f32([1], [2]));
    assert.deepEqual(Array.from(cx.data as Float32Array), [2, 0]);
    await rejectsWith(
      c(DataType.DT_STRING, F, fromValues(DataType.DT_STRING, [], ["1"])),
      TfCode.UNIMPLEMENTED,
      "Cast string to float is not supported",
    );
  });
  it("Reshape resolves -1 and reports TF's errors", async () => {
    const x = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    const r = await run1("Reshape", { attrs: { T: attr.type(F) }, inputs: [x, i32([2], [3, -1])] });
    assert.deepEqual(r.shape, [3, 2]);
    assert.equal(r.data, x.data);
    const r64 = await run1("Reshape", {
      attrs: { T: attr.type(F), Tshape: attr.type(I64) },
      inputs: [x, tensorOf(I64, [1], [-1])],
    });
    assert.deepEqual(r64.shape, [6]);
    await rejectsWith(
      run1("Reshape", { attrs: { T: attr.type(F) }, inputs: [x, i32([1], [4])] }),
      TfCode.INVALID_ARGUMENT,
      "Input to reshape is a tensor with 6 values, but the requested shape has 4",
    );
    await rejectsWith(
      run1("Reshape", { attrs: { T: attr.type(F) }, inputs: [x, i32([2], [4, -1])] }),
      TfCode.INVALID_ARGUMENT,
      "Input to reshape is a tensor with 6 values, but the requested shape requires a multiple of 4",
    );
    await rejectsWith(
      run1("Reshape", { attrs: { T: attr.type(F) }, inputs: [x, i32([2], [-1, -1])] }),
      TfCode.INVALID_ARGUMENT,
      "Only one input size may be -1, not both 0 and 1",
    );
  });
  it("Shape, Size, Rank", async () => {
    const x = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    const s = await run1("Shape", { attrs: { T: attr.type(F) }, inputs: [x] });
    assert.equal(s.dtype, I32);
    assert.deepEqual(valuesOf(s), [2, 3]);
    const s64 = await run1("Shape", { attrs: { T: attr.type(F), out_type: attr.type(I64) }, inputs: [x] });
    assert.equal(s64.dtype, I64);
    assert.deepEqual(valuesOf(s64), [2, 3]);
    assert.deepEqual(valuesOf(await run1("Size", { attrs: { T: attr.type(F) }, inputs: [x] })), [6]);
    assert.deepEqual(valuesOf(await run1("Rank", { attrs: { T: attr.type(F) }, inputs: [x] })), [2]);
  });
});

describe("ref variables", () => {
  const vattrs = { dtype: attr.type(F), shape: attr.shape([2]) };
  it("VariableV2 lives in the ResourceMgr under shared_name or node name; Assign/AssignAdd/AssignSub update it", async () => {
    const resources = createResourceMgr();
    const r = await runKernel("VariableV2", { nodeName: "v", attrs: vattrs, resources });
    const cell = r.refs[0]!;
    assert.equal(cell.value, undefined);
    const again = await runKernel("VariableV2", { nodeName: "v", attrs: vattrs, resources });
    assert.equal(again.refs[0], cell);
    const shared = await runKernel("VariableV2", {
      nodeName: "w",
      attrs: { ...vattrs, shared_name: attr.string("v") },
      resources,
    });
    assert.equal(shared.refs[0], cell);
    const init = await run1("IsVariableInitialized", { attrs: { dtype: attr.type(F) }, inputs: [cell] });
    assert.deepEqual(valuesOf(init), [0]);
    const a = await runKernel("Assign", { attrs: { T: attr.type(F) }, inputs: [cell, f32([2], [1, 2])] });
    assert.equal(a.refs[0], cell);
    assert.deepEqual(valuesOf(cell.value!), [1, 2]);
    await runKernel("AssignAdd", { attrs: { T: attr.type(F) }, inputs: [cell, f32([2], [10, 10])] });
    await runKernel("AssignSub", { attrs: { T: attr.type(F) }, inputs: [cell, f32([2], [1, 1])] });
    assert.deepEqual(valuesOf(cell.value!), [10, 11]);
    assert.deepEqual(
      valuesOf(await run1("IsVariableInitialized", { attrs: { dtype: attr.type(F) }, inputs: [cell] })),
      [1],
    );
  });
  it("Assign validates shapes against the declared shape; validate_shape=false allows any", async () => {
    const resources = createResourceMgr();
    const cell = (await runKernel("VariableV2", { nodeName: "v", attrs: vattrs, resources })).refs[0]!;
    await rejectsWith(
      runKernel("Assign", { attrs: { T: attr.type(F) }, inputs: [cell, f32([3], [1, 2, 3])] }),
      TfCode.INVALID_ARGUMENT,
      "Assign requires shapes of both tensors to match. lhs shape= [2] rhs shape= [3]",
    );
    await runKernel("Assign", {
      attrs: { T: attr.type(F), validate_shape: attr.bool(false) },
      inputs: [cell, f32([3], [1, 2, 3])],
    });
    assert.deepEqual(cell.value?.shape, [3]);
  });
  it("AssignAdd on an uninitialised ref and with mismatched shapes", async () => {
    const cell: RefCell = { value: undefined, name: "v" };
    await rejectsWith(
      runKernel("AssignAdd", {
        attrs: { T: attr.type(F) },
        inputs: [cell, f32([2], [1, 2])],
        requestedInputs: ["v", "c"],
      }),
      TfCode.FAILED_PRECONDITION,
      "Attempting to use uninitialized value v",
    );
    cell.value = f32([2], [1, 2]);
    await rejectsWith(
      runKernel("AssignAdd", { attrs: { T: attr.type(F) }, inputs: [cell, f32([1], [1])] }),
      TfCode.INVALID_ARGUMENT,
      "Parameters and update must be the same size",
    );
  });
});

describe("resource variables", () => {
  const handleOf = async (name: string, resources = createResourceMgr()) => ({
    h: await run1("VarHandleOp", {
      attrs: { dtype: attr.type(F), shape: attr.shape([2]), shared_name: attr.string(name) },
      resources,
    }),
    resources,
  });
  it("VarHandleOp makes a handle in the default container on this device", async () => {
    const { h } = await handleOf("v");
    assert.equal(h.dtype, DataType.DT_RESOURCE);
    const rh = (h.data as ResourceHandle[])[0]!;
    assert.equal(rh.container, "localhost");
    assert.equal(rh.name, "v");
    assert.equal(rh.device, testDevice.name);
    assert.equal(rh.maybeTypeName, "N10tensorflow3VarE");
  });
  it("read before assignment is FAILED_PRECONDITION with TF's text", async () => {
    const { h, resources } = await handleOf("v");
    await rejectsWith(
      run1("ReadVariableOp", { attrs: { dtype: attr.type(F) }, inputs: [h], resources }),
      TfCode.FAILED_PRECONDITION,
      "Could not find variable v. This could mean that the variable has been deleted. In TF1, it can also mean the variable is uninitialized. Debug info: container=localhost, status error message=",
    );
    assert.deepEqual(valuesOf(await run1("VarIsInitializedOp", { inputs: [h], resources })), [0]);
  });
  it("assign, read, add, sub, is-initialized, destroy", async () => {
    const { h, resources } = await handleOf("v");
    await runKernel("AssignVariableOp", {
      attrs: { dtype: attr.type(F) },
      inputs: [h, f32([2], [1, 2])],
      resources,
    });
    assert.deepEqual(
      valuesOf(await run1("ReadVariableOp", { attrs: { dtype: attr.type(F) }, inputs: [h], resources })),
      [1, 2],
    );
    await runKernel("AssignAddVariableOp", {
      attrs: { dtype: attr.type(F) },
      inputs: [h, f32([2], [5, 5])],
      resources,
    });
    await runKernel("AssignSubVariableOp", {
      attrs: { dtype: attr.type(F) },
      inputs: [h, f32([2], [1, 0])],
      resources,
    });
    assert.deepEqual(
      valuesOf(await run1("ReadVariableOp", { attrs: { dtype: attr.type(F) }, inputs: [h], resources })),
      [5, 7],
    );
    assert.deepEqual(valuesOf(await run1("VarIsInitializedOp", { inputs: [h], resources })), [1]);
    await runKernel("DestroyResourceOp", { inputs: [h], resources });
    assert.deepEqual(valuesOf(await run1("VarIsInitializedOp", { inputs: [h], resources })), [0]);
    await rejectsWith(
      runKernel("DestroyResourceOp", {
        attrs: { ignore_lookup_error: attr.bool(false) },
        inputs: [h],
        resources,
      }),
      TfCode.NOT_FOUND,
      "Resource localhost/v/N10tensorflow3VarE does not exist.",
    );
  });
  it("reports TF's dtype and shape errors", async () => {
    const { h, resources } = await handleOf("v");
    await rejectsWith(
      runKernel("AssignVariableOp", {
        attrs: { dtype: attr.type(F) },
        inputs: [h, i32([1], [1])],
        resources,
      }),
      TfCode.INVALID_ARGUMENT,
      "Variable and value dtypes don't match; respectively, float and int32",
    );
    await rejectsWith(
      runKernel("AssignAddVariableOp", {
        attrs: { dtype: attr.type(F) },
        inputs: [h, f32([2], [1, 1])],
        resources,
      }),
      TfCode.NOT_FOUND,
      "Container localhost does not exist. (Could not find resource: localhost/v)",
    );
    await runKernel("AssignVariableOp", {
      attrs: { dtype: attr.type(F) },
      inputs: [h, f32([2], [1, 2])],
      resources,
    });
    await rejectsWith(
      runKernel("AssignVariableOp", {
        attrs: { dtype: attr.type(F), validate_shape: attr.bool(true) },
        inputs: [h, f32([3], [1, 2, 3])],
        resources,
      }),
      TfCode.INVALID_ARGUMENT,
      "Trying to assign to variable with tensor with wrong shape. Expected [2] got [3]",
    );
    await rejectsWith(
      runKernel("AssignAddVariableOp", {
        attrs: { dtype: attr.type(F) },
        inputs: [h, f32([1], [1])],
        resources,
      }),
      TfCode.INVALID_ARGUMENT,
      "Cannot update variable with shape [2] using a Tensor with shape [1], shapes must be equal.",
    );
    await rejectsWith(
      run1("ReadVariableOp", { attrs: { dtype: attr.type(I32) }, inputs: [h], resources }),
      TfCode.INVALID_ARGUMENT,
      "Trying to read variable with wrong dtype. Expected int32 got float",
    );
    const other = {
      ...(h.data as ResourceHandle[])[0]!,
      device: "/job:localhost/replica:0/task:0/device:CPU:1",
    };
    await rejectsWith(
      run1("ReadVariableOp", {
        attrs: { dtype: attr.type(F) },
        inputs: [new Tensor(DataType.DT_RESOURCE, [], [other])],
        resources,
      }),
      TfCode.INVALID_ARGUMENT,
      "Trying to access resource v located in device /job:localhost/replica:0/task:0/device:CPU:1",
    );
  });
  it("a fed scalar works as a Const-like value", () => {
    assert.deepEqual(valuesOf(scalar(F, 2)), [2]);
  });
});
