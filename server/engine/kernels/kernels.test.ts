// Hand-computed kernel cases and error texts (TF's wording, codes).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
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
import { tensorToProto } from "../framework/tensor-proto.js";
import { DataType } from "../framework/types.js";
import { run1, runKernel, tensorOf, testDevice, valuesOf } from "./testing/testing.js";

const F = DataType.DT_FLOAT;
const I32 = DataType.DT_INT32;
const I64 = DataType.DT_INT64;
const B = DataType.DT_BOOL;
const S = DataType.DT_STRING;

async function rejectsWith(p: Promise<unknown>, code: number, fragment: string) {
  await assert.rejects(p, (e: { code?: number; message: string }) => {
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.includes(fragment), `"${e.message}" lacks "${fragment}"`);
    return true;
  });
}

const f32 = (shape: number[], v: number[]) => tensorOf(F, shape, v);
const i32 = (shape: number[], v: number[]) => tensorOf(I32, shape, v);
const bools = (shape: number[], v: number[]) => tensorOf(B, shape, v);
const strs = (shape: number[], v: string[]) => fromValues(S, shape, v);
const text = (t: { data: unknown }) => (t.data as Uint8Array[]).map((b) => new TextDecoder().decode(b));

describe("sources and identity", () => {
  it("Const outputs its value; dtype mismatch is INVALID_ARGUMENT", async () => {
    const v = f32([2], [1, 2]);
    const t = await run1("Const", { attrs: { dtype: attr.type(F), value: attr.tensor(tensorToProto(v)) } });
    assert.deepEqual(valuesOf(t), [1, 2]);
    await rejectsWith(
      run1("Const", { attrs: { dtype: attr.type(I32), value: attr.tensor(tensorToProto(v)) } }),
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
      run1("Squeeze", { attrs: { T: attr.type(F), squeeze_dims: attr.intList([0]) }, inputs: [x] }),
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
