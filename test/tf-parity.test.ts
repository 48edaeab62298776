// Parity with a real TensorFlow 2.21 master: test/tf/observe_reference.py sends 75 requests (bad
// graphs, bad feeds and fetches, unknown handles, request-id repeats, …) and records the status
// code and message of each. test/tf/reference-observations.json holds what real TF answered; this
// test runs the same script against tfgate and compares, case by case. Where tfgate deviates on
// purpose, the case is listed below with the reason.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startServer } from "./support/server.js";
import { repoRoot, requireTfPython } from "./tf/venv.js";

interface Observation {
  readonly case: string;
  readonly method: string;
  readonly code: string;
  readonly message: string;
}

/**
 * How a case may differ from TF: "extends" = same code, tfgate's message starts with TF's and adds
 * detail; "differs" = a deliberate deviation (the reason says why).
 */
const deviations: Record<string, { kind: "extends" } | { kind: "differs"; reason: string }> = {
  "tensor_content with the wrong byte length (12 bytes for float [2,2])": { kind: "extends" },
  "tensor_content with the wrong byte length (20 bytes for float [2,2])": { kind: "extends" },
  "feed with dtype DT_INVALID": { kind: "extends" },
  "attr of the wrong type (Const dtype given as a string)": {
    kind: "differs",
    reason:
      "TF accepts the graph and fails later in an unrelated _Send; tfgate rejects it at CreateSession naming the attr",
  },
};

/** Cuts what legitimately varies between runs and machines. */
function normalise(message: string): string {
  return message
    .replace(/\n<Recent warning and error logs.*$/s, "")
    .replace(/in binary running on \S+\./, "in binary running on <host>.");
}

function runObserver(python: string, target: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      python,
      [join(repoRoot, "test", "tf", "observe_reference.py"), "--target", target, "--out", out],
      { timeout: 120_000 },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`observe_reference.py failed: ${stderr}`)) : resolve(),
    );
  });
}

test("tfgate answers the reference requests as TensorFlow 2.21 does", async (t) => {
  const python = requireTfPython(t);
  if (python === undefined) return;
  const reference: Observation[] = JSON.parse(
    readFileSync(join(repoRoot, "test", "tf", "reference-observations.json"), "utf8"),
  ).observations;
  // The reference server had one CPU device; compare like with like.
  const server = await startServer({ master: { cpuDevices: 1 } });
  const dir = mkdtempSync(join(tmpdir(), "tfgate-parity-"));
  try {
    const out = join(dir, "tfgate.json");
    await runObserver(python, `grpc://127.0.0.1:${server.port}`, out);
    const ours = new Map<string, Observation>(
      (JSON.parse(readFileSync(out, "utf8")).observations as Observation[]).map((o) => [o.case, o]),
    );
    const mismatches: string[] = [];
    for (const ref of reference) {
      const got = ours.get(ref.case);
      if (got === undefined) {
        mismatches.push(`${ref.case}: not recorded against tfgate`);
        continue;
      }
      const dev = deviations[ref.case];
      if (dev?.kind === "differs") continue;
      const want = normalise(ref.message);
      const have = normalise(got.message);
      const same = dev?.kind === "extends" ? have.startsWith(want) : have === want;
      if (got.code !== ref.code || !same) {
        mismatches.push(
          `${ref.case}:\n    TF     ${ref.code} ${JSON.stringify(want)}\n    tfgate ${got.code} ${JSON.stringify(have)}`,
        );
      }
    }
    assert.equal(reference.length > 70, true, "the reference set is complete");
    assert.deepEqual(mismatches, [], `${mismatches.length} of ${reference.length} cases differ from TF`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
});
