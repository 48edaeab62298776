// Optimizer kernels (Apply*/ResourceApply*) against values TensorFlow 2.21 computed
// (testdata/gen_training_fixtures.py), for float32 and float64, ref and resource forms; TF's
// validation texts; and the gradient helper ops of the training group (SqrtGrad, RsqrtGrad,
// ReciprocalGrad, InvGrad, DynamicStitch, UnsortedSegmentSum, VariableShape).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { isTfError, tfCodeName } from "../framework/errors.js";
import { lookUpOp } from "../framework/op-def.js";
import type { RefCell } from "../framework/op-kernel.js";
import { createResourceMgr, type ResourceMgr } from "../framework/resource-mgr.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { allClose, resourceVar, run1, runKernel, tensorOf, valuesOf } from "./testing/testing.js";

const F = DataType.DT_FLOAT;
const D = DataType.DT_DOUBLE;
const I32 = DataType.DT_INT32;
const I64 = DataType.DT_INT64;

interface Fixture {
  readonly name: string;
  readonly op: string;
  readonly dtype: "float32" | "float64";
  readonly vars: string[];
  readonly init: number[][];
  readonly grad: number[];
  readonly scalars: Record<string, number>;
  readonly attrs: Record<string, boolean>;
  readonly expected: number[][];
}

const fixtures = (
  JSON.parse(readFileSync(new URL("./testdata/training-fixtures.json", import.meta.url), "utf8")) as {
    cases: Fixture[];
  }
).cases;

function rejects(code: string, fragment: string) {
  return (e: unknown) => {
    assert.ok(isTfError(e), String(e));
    assert.equal(tfCodeName(e.code), code, e.message);
    assert.ok(e.message.includes(fragment), `${JSON.stringify(e.message)} lacks ${JSON.stringify(fragment)}`);
    return true;
  };
}

async function readVar(resources: ResourceMgr, h: Tensor, dtype: DataType): Promise<number[]> {
  return valuesOf(
    await run1("ReadVariableOp", { attrs: { dtype: attr.type(dtype) }, inputs: [h], resources }),
  );
}

/** The op's inputs in declared order: variables from `vars`, grad, and the named scalars. */
function opInputs(op: string, vars: readonly (Tensor | RefCell)[], f: Fixture, dtype: DataType) {
  const def = lookUpOp(op);
  assert.ok(def, op);
  return def.inputs.map((arg, i) => {
    if (i < f.vars.length) return vars[i]!;
    if (arg.name === "grad") return tensorOf(dtype, [f.grad.length], f.grad);
    const s = f.scalars[arg.name];
    assert.ok(s !== undefined, `${op}: no scalar ${arg.name}`);
    return tensorOf(dtype, [], [s]);
  });
}

function opAttrs(f: Fixture, dtype: DataType) {
  return {
    T: attr.type(dtype),
    ...Object.fromEntries(Object.entries(f.attrs).map(([k, v]) => [k, attr.bool(v)])),
  };
}

describe("optimizer kernels match TensorFlow's updates", () => {
  for (const f of fixtures) {
    const dtype = f.dtype === "float32" ? F : D;
    const tol = f.dtype === "float32" ? 2e-6 : 1e-12;
    it(`${f.name} (${f.dtype}): ResourceApply${f.op}`, async () => {
      const resources = createResourceMgr();
      const handles = await Promise.all(
        f.init.map((v, i) => resourceVar(resources, f.vars[i]!, tensorOf(dtype, [v.length], v))),
      );
      await runKernel(`ResourceApply${f.op}`, {
        attrs: opAttrs(f, dtype),
        inputs: opInputs(`ResourceApply${f.op}`, handles, f, dtype),
        resources,
      });
      for (let i = 0; i < handles.length; i++) {
        const got = await readVar(resources, handles[i]!, dtype);
        assert.ok(allClose(got, f.expected[i]!, tol), `${f.vars[i]}: ${got} vs TF ${f.expected[i]}`);
      }
    });
    if (f.op === "KerasMomentum") continue; // TF has no ApplyKerasMomentum (ref) op.
    it(`${f.name} (${f.dtype}): Apply${f.op} on ref variables forwards var's ref`, async () => {
      const cells: RefCell[] = f.init.map((v, i) => ({
        value: tensorOf(dtype, [v.length], v),
        name: f.vars[i]!,
      }));
      const r = await runKernel(`Apply${f.op}`, {
        attrs: opAttrs(f, dtype),
        inputs: opInputs(`Apply${f.op}`, cells, f, dtype),
      });
      assert.equal(r.refs[0], cells[0]);
      cells.forEach((c, i) => {
        const got = valuesOf(c.value!);
        assert.ok(allClose(got, f.expected[i]!, tol), `${f.vars[i]}: ${got} vs TF ${f.expected[i]}`);
      });
    });
  }

  it("half and bfloat16 compute through float32", async () => {
    for (const dt of [DataType.DT_HALF, DataType.DT_BFLOAT16]) {
      const v = { value: tensorOf(dt, [2], [1, -2]), name: "v" };
      const a = { value: tensorOf(dt, [2], [0, 0]), name: "a" };
      await runKernel("ApplyMomentum", {
        attrs: { T: attr.type(dt) },
        inputs: [v, a, tensorOf(dt, [], [0.5]), tensorOf(dt, [2], [1, 2]), tensorOf(dt, [], [0.5])],
      });
      assert.deepEqual(valuesOf(v.value), [0.5, -3]);
      assert.deepEqual(valuesOf(a.value), [1, 2]);
    }
  });
});

describe("optimizer kernels: TF's validation", () => {
  const f32 = (shape: number[], values: number[]) => tensorOf(F, shape, values);
  const cell = (name: string, value?: Tensor): RefCell => ({ value, name });

  it("an uninitialized ref input is FAILED_PRECONDITION naming the requested input", async () => {
    await assert.rejects(
      runKernel("ApplyAdam", {
        attrs: { T: attr.type(F) },
        requestedInputs: ["w", "w/Adam", "w/Adam_1"],
        inputs: [
          cell("w", f32([1], [1])),
          cell("w/Adam"),
          cell("w/Adam_1", f32([1], [0])),
          ...Array.from({ length: 6 }, () => f32([], [0.5])),
          f32([1], [1]),
        ],
      }),
      rejects("FAILED_PRECONDITION", "Attempting to use uninitialized variables: w/Adam"),
    );
  });

  it("a missing resource variable is NOT_FOUND with TF's lookup text", async () => {
    const resources = createResourceMgr();
    const h = await resourceVar(resources, "w", f32([1], [1]));
    const missing = await run1("VarHandleOp", {
      attrs: { dtype: attr.type(F), shape: attr.shape([1]), shared_name: attr.string("acc") },
      resources,
    });
    await assert.rejects(
      runKernel("ResourceApplyAdagrad", {
        attrs: { T: attr.type(F) },
        inputs: [h, missing, f32([], [0.1]), f32([1], [1])],
        resources,
      }),
      rejects("NOT_FOUND", "Resource localhost/acc/N10tensorflow3VarE does not exist."),
    );
  });

  it("scalar and shape checks in TF's order and wording", async () => {
    const mom = (lr: Tensor, accum: Tensor, grad: Tensor, momentum: Tensor) =>
      runKernel("ApplyMomentum", {
        attrs: { T: attr.type(F) },
        inputs: [cell("v", f32([2], [1, 2])), cell("a", accum), lr, grad, momentum],
      });
    const two = f32([2], [1, 1]);
    await assert.rejects(
      mom(f32([1], [0.1]), two, two, f32([], [0.9])),
      rejects("INVALID_ARGUMENT", "lr is not a scalar: [1]"),
    );
    await assert.rejects(
      mom(f32([], [0.1]), f32([3], [1, 1, 1]), two, f32([], [0.9])),
      rejects("INVALID_ARGUMENT", "var and accum do not have the same shape[2] [3]"),
    );
    await assert.rejects(
      mom(f32([], [0.1]), two, f32([1], [1]), f32([2], [0.9, 0.9])),
      rejects("INVALID_ARGUMENT", "var and grad do not have the same shape[2] [1]"),
    );
    await assert.rejects(
      mom(f32([], [0.1]), two, two, f32([2], [0.9, 0.9])),
      rejects("INVALID_ARGUMENT", "momentum is not a scalar: [2]"),
    );
    // ApplyFtrl: shapes first, and lr_power's text has no ": " (as in TF 2.21).
    await assert.rejects(
      runKernel("ApplyFtrl", {
        attrs: { T: attr.type(F) },
        inputs: [
          cell("v", two),
          cell("a", two),
          cell("l", two),
          two,
          f32([], [0.1]),
          f32([], [0]),
          f32([], [0]),
          f32([1], [-0.5]),
        ],
      }),
      rejects("INVALID_ARGUMENT", "lr_power is not a scalar[1]"),
    );
  });

  it("a variable of another dtype is INVALID_ARGUMENT (TF 2.21 crashes the process)", async () => {
    const resources = createResourceMgr();
    const h = await resourceVar(resources, "w", f32([1], [1]));
    const acc = await resourceVar(resources, "acc", tensorOf(D, [1], [1]));
    await assert.rejects(
      runKernel("ResourceApplyMomentum", {
        attrs: { T: attr.type(F) },
        inputs: [h, acc, f32([], [0.1]), f32([1], [1]), f32([], [0.9])],
        resources,
      }),
      rejects("INVALID_ARGUMENT", "Trying to read variable with wrong dtype. Expected float got double"),
    );
  });

  it("integer T has no kernel, as in TF", async () => {
    await assert.rejects(
      runKernel("ApplyAdagrad", {
        attrs: { T: attr.type(I32) },
        inputs: [
          cell("v", tensorOf(I32, [1], [1])),
          cell("a", tensorOf(I32, [1], [1])),
          tensorOf(I32, [], [1]),
          tensorOf(I32, [1], [1]),
        ],
      }),
      rejects("INVALID_ARGUMENT", "No OpKernel was registered to support Op 'ApplyAdagrad'"),
    );
  });
});

describe("gradient helper ops (values from TF 2.21)", () => {
  it("SqrtGrad, RsqrtGrad, ReciprocalGrad, InvGrad over float32 and float64", async () => {
    for (const dt of [F, D]) {
      const y = tensorOf(dt, [3], [1, 2, 4]);
      const dy = tensorOf(dt, [3], [1, -2, 0.5]);
      const g = async (op: string) =>
        valuesOf(await run1(op, { attrs: { T: attr.type(dt) }, inputs: [y, dy] }));
      assert.deepEqual(await g("SqrtGrad"), [0.5, -0.5, 0.0625]);
      assert.deepEqual(await g("RsqrtGrad"), [-0.5, 8, -16]);
      assert.deepEqual(await g("ReciprocalGrad"), [-1, 8, -8]);
      assert.deepEqual(await g("InvGrad"), [-1, 8, -8]);
    }
    await assert.rejects(
      run1("SqrtGrad", {
        attrs: { T: attr.type(F) },
        inputs: [tensorOf(F, [2], [1, 2]), tensorOf(F, [3], [1, 1, 1])],
      }),
      rejects(
        "INVALID_ARGUMENT",
        "The two arguments to a cwise op must have same number of elements, got 2 and 3",
      ),
    );
  });

  it("SqrtGrad on complex64: 0.5 * dy / conj(y)", async () => {
    const c = DataType.DT_COMPLEX64;
    // y = 1 + 1i, dy = 2: 0.5·2 / (1 - 1i) = (1 + 1i) / 2
    const complex = (re: number, im: number) => {
      const t = Tensor.zeros(c, [1]);
      (t.data as Float32Array).set([re, im]);
      return t;
    };
    const z = await run1("SqrtGrad", { attrs: { T: attr.type(c) }, inputs: [complex(1, 1), complex(2, 0)] });
    assert.deepEqual(Array.from(z.data as Float32Array), [0.5, 0.5]);
  });

  it("Inv is Reciprocal", async () => {
    assert.deepEqual(
      valuesOf(await run1("Inv", { attrs: { T: attr.type(F) }, inputs: [tensorOf(F, [2], [2, -4])] })),
      [0.5, -0.25],
    );
  });

  it("DynamicStitch: TF's merge, duplicates (last wins), gaps (zeros) and errors", async () => {
    const stitch = (indices: Tensor[], data: Tensor[]) =>
      run1("DynamicStitch", {
        attrs: { N: attr.int(indices.length), T: attr.type(F) },
        inputs: [...indices, ...data],
      });
    const i32 = (v: number[], shape = [v.length]) => tensorOf(I32, shape, v);
    const f = (v: number[], shape = [v.length]) => tensorOf(F, shape, v);
    assert.deepEqual(valuesOf(await stitch([i32([0, 2]), i32([1])], [f([1, 2]), f([3])])), [1, 3, 2]);
    assert.deepEqual(
      valuesOf(await stitch([i32([0, 5]), i32([1])], [f([1, 2]), f([3])])),
      [1, 3, 0, 0, 0, 2],
    );
    assert.deepEqual(valuesOf(await stitch([i32([0, 0]), i32([0])], [f([1, 2]), f([3])])), [3]);
    const rows = await stitch([i32([1]), i32([0])], [f([1, 2], [1, 2]), f([3, 4], [1, 2])]);
    assert.deepEqual(rows.shape, [2, 2]);
    assert.deepEqual(valuesOf(rows), [3, 4, 1, 2]);
    await assert.rejects(
      stitch([i32([0, 2]), i32([-1])], [f([1, 2]), f([3])]),
      rejects("INVALID_ARGUMENT", "indices[0] is out of range"),
    );
    await assert.rejects(
      stitch([i32([0, 2]), i32([1])], [f([1, 2]), f([3, 4])]),
      rejects("INVALID_ARGUMENT", "data[1].shape = [2] does not start with indices[1].shape = [1]"),
    );
    await assert.rejects(
      stitch([i32([0, 2]), i32([1])], [f([1, 2], [2, 1]), f([3, 4], [1, 2])]),
      rejects(
        "INVALID_ARGUMENT",
        "Need data[0].shape[1:] = data[1].shape[1:], got data[0].shape = [2,1], data[1].shape = [1,2], " +
          "indices[0].shape = [2], indices[1].shape = [1]",
      ),
    );
  });

  it("UnsortedSegmentSum: sums, drops negative ids, TF's errors", async () => {
    const uss = (data: Tensor, ids: Tensor, n: Tensor) =>
      run1("UnsortedSegmentSum", {
        attrs: { T: attr.type(data.dtype), Tindices: attr.type(ids.dtype), Tnumsegments: attr.type(n.dtype) },
        inputs: [data, ids, n],
      });
    const n3 = tensorOf(I32, [], [3]);
    assert.deepEqual(
      valuesOf(await uss(tensorOf(F, [3], [1, 2, 3]), tensorOf(I32, [3], [0, -1, 1]), n3)),
      [1, 3, 0],
    );
    const m = await uss(
      tensorOf(F, [2, 2], [1, 2, 3, 4]),
      tensorOf(I64, [2, 2], [0, 1, 1, 0]),
      tensorOf(I64, [], [2]),
    );
    assert.deepEqual(m.shape, [2]);
    assert.deepEqual(valuesOf(m), [5, 5]);
    const rows = await uss(tensorOf(I64, [3, 2], [1, 2, 3, 4, 5, 6]), tensorOf(I32, [3], [1, 1, 0]), n3);
    assert.deepEqual(rows.shape, [3, 2]);
    assert.deepEqual(valuesOf(rows), [5, 6, 4, 6, 0, 0]);
    await assert.rejects(
      uss(tensorOf(F, [3], [1, 2, 3]), tensorOf(I32, [3], [0, 5, 1]), n3),
      rejects("INVALID_ARGUMENT", "segment_ids[1] = 5 is out of range [0, 3)"),
    );
    await assert.rejects(
      uss(tensorOf(F, [2, 2], [1, 2, 3, 4]), tensorOf(I32, [3], [0, 1, 1]), n3),
      rejects("INVALID_ARGUMENT", "data.shape = [2,2] does not start with segment_ids.shape = [3]"),
    );
    await assert.rejects(
      uss(tensorOf(F, [3], [1, 2, 3]), tensorOf(I32, [3], [0, 1, 1]), tensorOf(I32, [], [-1])),
      rejects("INVALID_ARGUMENT", "Input num_segments == -1 must not be negative."),
    );
  });

  it("VariableShape: the shape of a resource variable's value", async () => {
    const resources = createResourceMgr();
    const h = await resourceVar(resources, "w", tensorOf(F, [2, 3], [1, 2, 3, 4, 5, 6]));
    for (const out of [I32, I64]) {
      const s = await run1("VariableShape", { attrs: { out_type: attr.type(out) }, inputs: [h], resources });
      assert.equal(s.dtype, out);
      assert.deepEqual(valuesOf(s), [2, 3]);
    }
  });
});
