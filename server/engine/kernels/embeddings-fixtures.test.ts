// The embedding and sparse-update ops against TensorFlow 2.21 itself: testdata/embeddings-fixtures.json,
// written by testdata/gen_embeddings_fixtures.py. Each case is one op run once on ref (RefCell) or
// resource (VarHandleOp + AssignVariableOp) variables holding TF's initial values; the op's outputs
// or TF's error (code and exact message), and the variables' values afterwards (also after an
// error: TF's scatter kernels keep the rows updated before a bad index), must match TF's.
// Gathers and scatters must match exactly; the optimizers' floats compare to a few units in the last
// place of their dtype: their updates follow TF's formulas, not always its exact operation order.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { lookUpOp } from "../framework/op-def.js";
import type { RefCell } from "../framework/op-kernel.js";
import { createResourceMgr, type ResourceMgr } from "../framework/resource-mgr.js";
import { Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import {
  buildAttrs,
  type FxError,
  type FxNumber,
  type FxTensor,
  num,
  toTensor,
  valuesOf,
} from "./testing/fixture-format.js";
import { resourceVar, run1, runKernel } from "./testing/testing.js";

interface VariableCase {
  readonly op: string;
  readonly attrs: Record<string, [string, unknown]>;
  readonly vars: FxTensor[];
  readonly inputs: FxTensor[];
  readonly outputs?: FxTensor[];
  readonly error?: FxError;
  readonly after: FxTensor[];
}

const fx = JSON.parse(
  readFileSync(new URL("./testdata/embeddings-fixtures.json", import.meta.url), "utf8"),
) as { tensorflow: string; cases: VariableCase[] };

/** Relative tolerance per float dtype: a few units in the last place. */
const FLOAT_TOLERANCE: Partial<Record<DataType, number>> = {
  [DataType.DT_FLOAT]: 2 ** -20,
  [DataType.DT_DOUBLE]: 2 ** -48,
  [DataType.DT_HALF]: 2 ** -9,
  [DataType.DT_BFLOAT16]: 2 ** -6,
  [DataType.DT_COMPLEX64]: 2 ** -20,
};

function close(g: number, e: number, tol: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(g);
  return g === e || Math.abs(g - e) <= tol * Math.max(1, Math.abs(e));
}

/** Gathers and scatters copy or combine elements exactly as TF does; only optimizers round differently. */
const isOptimizer = (op: string): boolean => op.includes("Apply");

function assertTensor(got: Tensor | undefined, want: FxTensor, what: string, approx: boolean): void {
  assert.ok(got, `${what}: missing`);
  assert.equal(got.dtype, want.dtype, `${what} dtype ${dataTypeString(got.dtype)}`);
  assert.deepEqual(got.shape, want.shape, `${what} shape`);
  const values = valuesOf(got);
  const floatTol = FLOAT_TOLERANCE[want.dtype as DataType];
  const tol = floatTol === undefined ? undefined : approx ? floatTol : 0;
  want.values.forEach((w, i) => {
    const g = values[i];
    const at = `${what}[${i}]: ${JSON.stringify(g)}, TF ${JSON.stringify(w)}`;
    if (tol === undefined) assert.deepEqual(g, w, at);
    else if (Array.isArray(w)) {
      const [gr, gi] = g as [number, number];
      assert.ok(close(gr, num(w[0]), tol) && close(gi, num(w[1]), tol), at);
    } else assert.ok(close(g as number, num(w as FxNumber), tol), at);
  });
}

async function readResource(resources: ResourceMgr, h: Tensor, dtype: DataType): Promise<Tensor> {
  return run1("ReadVariableOp", { attrs: { dtype: attr.type(dtype) }, inputs: [h], resources });
}

/** Runs one case; returns the op's outputs (or its error) and the variables' values afterwards. */
async function runCase(c: VariableCase, k: number) {
  const def = lookUpOp(c.op);
  assert.ok(def, `no op ${c.op}`);
  const resources = createResourceMgr();
  const cells: RefCell[] = [];
  const handles: Tensor[] = [];
  let v = 0;
  let o = 0;
  const inputs: (Tensor | RefCell)[] = [];
  for (const arg of def.inputs) {
    if (arg.isRef) {
      const cell: RefCell = { value: toTensor(c.vars[v++]!), name: arg.name };
      cells.push(cell);
      inputs.push(cell);
    } else if (arg.dtype === DataType.DT_RESOURCE) {
      const h = await resourceVar(resources, `case${k}_${arg.name}`, toTensor(c.vars[v++]!));
      handles.push(h);
      inputs.push(h);
    } else inputs.push(toTensor(c.inputs[o++]!));
  }
  let result: Awaited<ReturnType<typeof runKernel>> | undefined;
  let error: unknown;
  try {
    result = await runKernel(c.op, { attrs: buildAttrs(c.attrs), inputs, resources, nodeName: c.op });
  } catch (e) {
    error = e;
  }
  const after: Tensor[] = [];
  for (const cell of cells) after.push(cell.value!);
  for (const [i, h] of handles.entries())
    after.push(await readResource(resources, h, c.vars[i]!.dtype as DataType));
  return { result, error, after };
}

const dtypeOf = (c: VariableCase): string => {
  const t = c.attrs.T ?? c.attrs.dtype;
  return t && t[0] === "type" ? dataTypeString(t[1] as DataType) : "";
};

describe(`embedding and sparse-update kernels vs TensorFlow ${fx.tensorflow}`, () => {
  fx.cases.forEach((c, k) => {
    const what = c.error
      ? `error: ${c.error.message.slice(0, 60)}`
      : c.inputs.map((t) => `[${t.shape}]`).join(" ");
    it(`#${k} ${c.op} ${dtypeOf(c)} ${what}`, async () => {
      const { result, error, after } = await runCase(c, k);
      if (c.error) {
        const e = error as { code?: number; message?: string } | undefined;
        assert.ok(e, "expected TF's error, got success");
        assert.equal(e.message, c.error.message);
        assert.equal(e.code, c.error.code, e.message);
      } else {
        if (error) throw error;
        const outs = (result?.outputs ?? []).filter((t) => t !== undefined);
        assert.equal(outs.length, c.outputs!.length, "number of outputs");
        for (const [i, want] of c.outputs!.entries())
          assertTensor(outs[i], want, `output ${i}`, isOptimizer(c.op));
      }
      for (const [i, want] of c.after.entries())
        assertTensor(after[i], want, `variable ${i} after`, isOptimizer(c.op));
    });
  });
});

describe("ResourceGather: batch_dims that TF 2.21 does not check (its kernel aborts)", () => {
  const table = new Tensor(DataType.DT_FLOAT, [2, 3], new Float32Array([1, 2, 3, 4, 5, 6]));
  const indices = (shape: number[], values: number[]) =>
    new Tensor(DataType.DT_INT32, shape, new Int32Array(values));
  async function gather(idx: Tensor, batchDims: number) {
    const resources = createResourceMgr();
    const h = await resourceVar(resources, "t", table);
    return runKernel("ResourceGather", {
      attrs: {
        dtype: attr.type(DataType.DT_FLOAT),
        Tindices: attr.type(DataType.DT_INT32),
        batch_dims: attr.int(batchDims),
      },
      inputs: [h, idx],
      resources,
    });
  }
  const rejects = (message: string) => (e: { code: number; message: string }) => {
    assert.equal(e.code, 3);
    assert.equal(e.message, message);
    return true;
  };

  it("a batch of indices that is not params' batch is INVALID_ARGUMENT", async () => {
    await assert.rejects(
      gather(indices([3, 2], [0, 1, 1, 2, 0, 0]), 1),
      rejects("params.shape[0]: 2 should be equal to indices.shape[0]: 3"),
    );
  });
  it("batch_dims leaving no axis to gather from is INVALID_ARGUMENT", async () => {
    await assert.rejects(
      gather(indices([2, 2], [0, 1, 1, 2]), 2),
      rejects("batch_dims (2) must be less than rank(params) (2)."),
    );
  });
  it("a negative batch_dims is INVALID_ARGUMENT, as in TF", async () => {
    await assert.rejects(gather(indices([2], [0, 1]), -1), rejects("batch_dims is negative (-1)"));
  });
  it("matching batches gather per batch", async () => {
    const r = await gather(indices([2, 2], [2, 0, 1, 1]), 1);
    assert.deepEqual(r.outputs[0]!.shape, [2, 2]);
    assert.deepEqual(Array.from(r.outputs[0]!.data as Float32Array), [3, 1, 5, 5]);
  });
});
