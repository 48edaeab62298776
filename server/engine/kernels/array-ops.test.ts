// Array, string and misc kernels against TensorFlow 2.21 itself (testdata/array-fixtures.json,
// written by testdata/gen_array_fixtures.py with tf.raw_ops): every output value and shape, and
// for invalid inputs the error code and TF's exact message.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { attr } from "../../../test/support/attr.js";
import { TfCode } from "../framework/errors.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  buildAttrs,
  type FxKernelCase,
  type FxValue,
  num,
  toTensor,
  valuesOf,
} from "./testing/fixture-format.js";
import { runKernel } from "./testing/testing.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/array-fixtures.json", import.meta.url), "utf8")) as {
  cases: FxKernelCase[];
};

const enc = new TextEncoder();
const dec = new TextDecoder();
type Value = FxValue;

/** The case's attrs, plus the ones TF infers from inputs that the fixtures leave implicit. */
function caseAttrs(c: FxKernelCase) {
  const out = buildAttrs(c.attrs);
  if (c.op === "StringFormat" && !out.T) out.T = attr.typeList(c.inputs.map((t) => t.dtype as DataType));
  if (["Split", "SplitV"].includes(c.op)) out.num_split = out.num_split ?? attr.int(c.outputs?.length ?? 2);
  return out;
}

/** float32 values recorded by TF are exact float32s; compare exactly. */
function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return sameValue(a[0], b[0]) && sameValue(a[1], b[1]);
  if (typeof b === "string" && (b === "nan" || b === "inf" || b === "-inf"))
    return Object.is(num(b), a) || (b === "nan" && Number.isNaN(a as number));
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || a === b;
  return a === b;
}

describe("array, string and misc ops vs TensorFlow 2.21", () => {
  fx.cases.forEach((c, k) => {
    it(`#${k} ${c.op} ${JSON.stringify(c.attrs)}`, async () => {
      const inputs = c.inputs.map(toTensor);
      const p = runKernel(c.op, { attrs: caseAttrs(c), inputs, nodeName: c.op });
      if (c.error) {
        await assert.rejects(p, (e: { code: number; message: string }) => {
          assert.equal(e.code, c.error!.code, e.message);
          assert.equal(e.message, c.error!.message);
          return true;
        });
        return;
      }
      const r = await p;
      assert.equal(r.outputs.length, c.outputs!.length);
      c.outputs!.forEach((want, i) => {
        const got = r.outputs[i]!;
        assert.equal(got.dtype, want.dtype, `output ${i} dtype`);
        assert.deepEqual(got.shape, want.shape, `output ${i} shape`);
        const values = valuesOf(got);
        values.forEach((v, j) => {
          assert.ok(
            sameValue(v, want.values[j]!),
            `output ${i}[${j}]: ${JSON.stringify(v)} vs ${JSON.stringify(want.values[j])}`,
          );
        });
      });
    });
  });
});

describe("array ops: budgets, filesystem and Python", () => {
  const I32 = DataType.DT_INT32;
  const vec = (v: number[]) => {
    const t = Tensor.zeros(I32, [v.length]);
    (t.data as Int32Array).set(v);
    return t;
  };
  const rejects = (p: Promise<unknown>, code: number, fragment: string) =>
    assert.rejects(p, (e: { code: number; message: string }) => {
      assert.equal(e.code, code, e.message);
      assert.ok(e.message.includes(fragment), e.message);
      return true;
    });
  const f = Tensor.zeros(DataType.DT_FLOAT, [2, 2]);

  it("Pad, BroadcastTo, ScatterNd and OneHot refuse terabyte outputs before allocating", async () => {
    const big = 1 << 20;
    const pads = Tensor.zeros(I32, [2, 2]);
    (pads.data as Int32Array).set([0, big, 0, big]);
    await rejects(
      run("Pad", [f, pads], { T: attr.type(DataType.DT_FLOAT) }),
      TfCode.RESOURCE_EXHAUSTED,
      "OOM when allocating",
    );
    await rejects(
      run("BroadcastTo", [f, vec([big, big, 2, 2])], { T: attr.type(DataType.DT_FLOAT) }),
      TfCode.RESOURCE_EXHAUSTED,
      "OOM when allocating",
    );
    await rejects(
      run(
        "ScatterNd",
        [Tensor.zeros(I32, [0, 1]), Tensor.zeros(DataType.DT_FLOAT, [0, big, big]), vec([4, big, big])],
        {
          T: attr.type(DataType.DT_FLOAT),
          Tindices: attr.type(I32),
        },
      ),
      TfCode.RESOURCE_EXHAUSTED,
      "OOM when allocating",
    );
    await rejects(
      run("BroadcastTo", [f, vec([-1, 2])], { T: attr.type(DataType.DT_FLOAT) }),
      TfCode.INVALID_ARGUMENT,
      "Dimension -1 must be >= 0",
    );
  });

  // ParseSingleExample used to be refused here too; it runs now (parsing-fixtures.test.ts).
  it("ReadFile and WriteFile without a sandbox, PrintV2 to a file and PyFunc fail only when run", async () => {
    const str = (s: string) => new Tensor(DataType.DT_STRING, [], [enc.encode(s)]);
    await rejects(
      run("ReadFile", [str("/etc/passwd")], {}),
      TfCode.PERMISSION_DENIED,
      "no file sandbox (start tfgate with --files-root DIR",
    );
    await rejects(
      run("WriteFile", [str("/tmp/x"), str("y")], {}),
      TfCode.PERMISSION_DENIED,
      "no file sandbox",
    );
    await rejects(
      run("PrintV2", [str("hi")], { output_stream: attr.string("file:///tmp/log") }),
      TfCode.PERMISSION_DENIED,
      "never write to the server's filesystem",
    );
    await rejects(
      run("PyFunc", [], { token: attr.string("pyfunc_0"), Tin: attr.typeList([]), Tout: attr.typeList([]) }),
      TfCode.UNIMPLEMENTED,
      "token 'pyfunc_0'",
    );
  });

  it("Print and PrintV2 write to the server log", async () => {
    const lines: string[] = [];
    const { runKernelWithLog } = await import("./testing/array-ops-testing.js");
    const x = vec([1, 2, 3, 4, 5]);
    const out = await runKernelWithLog(
      "Print",
      [x, x],
      { T: attr.type(I32), U: attr.typeList([I32]), message: attr.string("x: ") },
      lines,
    );
    assert.equal(out, x);
    await runKernelWithLog("PrintV2", [new Tensor(DataType.DT_STRING, [], [enc.encode("hello")])], {}, lines);
    assert.deepEqual(lines, ["info x: [1 2 3...]", "info hello"]);
  });

  it("regex ops refuse patterns and inputs too large for RE2's WebAssembly heap, and keep working", async () => {
    const str = (v: string) => new Tensor(DataType.DT_STRING, [], [enc.encode(v)]);
    await rejects(
      run("RegexReplace", [str("ab"), str("x".repeat(100_000)), str("y")], {}),
      TfCode.INVALID_ARGUMENT,
      "error: pattern too large - compile failed (100000 characters; at most 8192)",
    );
    await rejects(
      run("RegexFullMatch", [str("a".repeat(2_000_000)), str("a+")], {}),
      TfCode.RESOURCE_EXHAUSTED,
      "A regex input of 2000000 characters is longer than the 1048576",
    );
    // Many large (allowed) patterns in turn: the cache frees old ones, nothing aborts.
    for (let i = 0; i < 40; i++) {
      await run("RegexReplace", [str("ab"), str(`${"x".repeat(8000 - i)}(a|b)*`), str("y")], {});
    }
    const r = await run("RegexReplace", [str("abba"), str("b+"), str("-")], {});
    assert.equal(dec.decode((r.outputs[0]!.data as Uint8Array[])[0]!), "a-a");
  });

  it("RegexReplace rejects RE2-incompatible lookbehind and named backreferences", async () => {
    const str = (s: string) => new Tensor(DataType.DT_STRING, [], [enc.encode(s)]);
    // RE2's own text (TF 2.21 prints exactly this): it stops at "(?<", not "(?<=".
    await rejects(
      run("RegexReplace", [str("ab"), str("(?<=a)b"), str("x")], {}),
      TfCode.INVALID_ARGUMENT,
      "Invalid pattern: (?<=a)b, error: invalid perl operator: (?<",
    );
    await rejects(
      run("RegexReplace", [str("ab"), str("(a)\\2"), str("x")], {}),
      TfCode.INVALID_ARGUMENT,
      "invalid escape sequence: \\2",
    );
    const named = await run("RegexReplace", [str("ab"), str("(?P<x>a)b"), str("<\\1>")], {});
    assert.equal(dec.decode((named.outputs[0]!.data as Uint8Array[])[0]!), "<a>");
  });
});

function run(op: string, inputs: Tensor[], attrs: Record<string, ReturnType<typeof attr.int>>) {
  return runKernel(op, { attrs, inputs });
}
