// The checkpoint and file ops against TensorFlow 2.21 itself: testdata/checkpoint-fixtures.json,
// written by testdata/gen_checkpoint_fixtures.py. Each case runs in a fresh file sandbox holding the
// files TF's run started with; outputs must equal TF's exactly, errors must carry TF's code and
// text, and the files afterwards must be TF's byte for byte (so a checkpoint tfgate writes is the one
// TF writes). TF leaves a "<file>.tempstate<n>" behind when SaveV2 fails; tfgate leaves nothing,
// so those are not compared. The graphs are the ops a Saver runs on variables (DisableCopyOnRead).

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { after, describe, it } from "node:test";
import { FileSandbox } from "../framework/file-sandbox.js";
import type { Tensor } from "../framework/tensor.js";
import {
  buildAttrs,
  type FxKernelCase,
  type FxTensor,
  type FxValue,
  toTensor,
  valuesOf,
} from "./testing/fixture-format.js";
import { type GraphCase, runGraphFixtures } from "./testing/graph-fixtures.js";
import { runKernel } from "./testing/testing.js";

interface FileCase extends FxKernelCase {
  readonly note?: string;
  readonly setup: Record<string, string>;
  readonly files: Record<string, string>;
}

const fx = JSON.parse(
  readFileSync(new URL("./testdata/checkpoint-fixtures.json", import.meta.url), "utf8"),
) as { cases: FileCase[]; graphs: GraphCase[] };

const scratch = mkdtempSync(join(tmpdir(), "tfgate-ckpt-fx-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = readFileSync(p).toString("base64");
    }
  };
  walk(root);
  return out;
}

const withoutTemp = (files: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(files).filter(([p]) => !p.includes(".tempstate")));

/** A value in the fixture's spelling (NaN and infinities as words), for exact comparison. */
function spelled(v: FxValue): FxValue {
  if (Array.isArray(v)) return [spelled(v[0]) as number, spelled(v[1]) as number];
  if (typeof v !== "number") return v;
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return v;
}

function assertExact(got: Tensor | undefined, want: FxTensor, what: string): void {
  assert.ok(got, `${what}: no output`);
  assert.equal(got.dtype, want.dtype, `${what} dtype`);
  assert.deepEqual(got.shape, want.shape, `${what} shape`);
  const values = valuesOf(got).map(spelled);
  want.values.forEach((w, i) => {
    const g = values[i];
    if (typeof w === "number" && typeof g === "number")
      assert.ok(Object.is(g, w), `${what}[${i}]: ${g}, TF ${w}`);
    else assert.deepEqual(g, w, `${what}[${i}]`);
  });
}

describe("checkpoint and file ops vs TensorFlow 2.21 (checkpoint fixtures)", () => {
  fx.cases.forEach((c, k) => {
    const what = c.error ? `error: ${c.error.message.slice(0, 60)}` : (c.note ?? "");
    it(`#${k} ${c.op} ${what}`, async () => {
      const root = join(scratch, `case-${k}`);
      mkdirSync(root);
      for (const [p, data] of Object.entries(c.setup)) {
        mkdirSync(dirname(join(root, p)), { recursive: true });
        writeFileSync(join(root, p), Buffer.from(data, "base64"));
      }
      const run = runKernel(c.op, {
        attrs: buildAttrs(c.attrs),
        inputs: c.inputs.map(toTensor),
        nodeName: c.op,
        files: new FileSandbox({ root, readOnly: false }),
      });
      if (c.error) {
        const want = c.error;
        await assert.rejects(run, (e: { code: number; message: string }) => {
          assert.equal(e.message, want.message);
          assert.equal(e.code, want.code);
          return true;
        });
      } else {
        const r = await run;
        assert.equal(r.outputs.length, c.outputs!.length, "number of outputs");
        for (const [i, want] of c.outputs!.entries()) assertExact(r.outputs[i], want, `output ${i}`);
      }
      assert.deepEqual(withoutTemp(tree(root)), withoutTemp(c.files), "files afterwards");
    });
  });
});

runGraphFixtures("resource-variable ops a Saver runs vs TensorFlow 2.21 (checkpoint fixtures)", fx.graphs);
