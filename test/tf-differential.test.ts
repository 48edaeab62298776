// Differential conformance against real TensorFlow: the tf.compat.v1 programs of
// test/tf/differential/programs.py run twice through the same real TF client (GrpcSession) — once
// against a real TensorFlow 2.21 server (run.py starts one in a child process, 2 CPUs) and once
// against tfgate (started here, 2 CPUs) — and every observable is compared per program: fetched
// values (floats with a float32 tolerance), dtypes, shapes, error classes, codes and messages.
//
// A difference fails the test unless it is listed in `knownDifferences` (reported, with its reason;
// "BUG: …" marks a tfgate bug waiting for a fix) or the program is pending on an op tfgate does not
// have yet (`expected_to_differ_until` in programs.py; reported as pending, and only while tfgate's
// answer names that op). Needs the TensorFlow venv (scripts/setup-tf.sh): skips without it, fails
// under CI=true.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startServer } from "./support/server.js";
import { repoRoot, requireTfPython } from "./tf/venv.js";

/** CPU devices on both servers: two, so cross-device placement and partitioning are compared too. */
const CPUS = 2;

/**
 * Differences that are reported, not failed. Key: a program, or "program/step" (a top-level key of
 * its record) to excuse that step only. Value: why.
 */
const knownDifferences: Record<string, string> = {
  callable_feed_count_mismatch:
    'by design (docs/semantics.md, "Deliberate differences"): TF\'s master does not check the RunCallable feed count — the step waits for the missing feed until the deadline and leaves the session unusable; tfgate answers INVALID_ARGUMENT "Expected <n> feed tensors, but got <m>" at once',
};

interface ProgramResult {
  readonly doc: string;
  readonly expected_to_differ_until: string | null;
  readonly seconds: number;
  readonly record: Json;
}
interface RunOutput {
  readonly meta: { readonly tensorflow_version: string; readonly target: string; readonly seconds: number };
  readonly programs: Record<string, ProgramResult>;
}
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Difference {
  readonly path: string;
  readonly tf: Json | undefined;
  readonly ours: Json | undefined;
}

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Float dtypes (and complex ones, per real and imaginary part) compare with a tolerance; everything else exactly. */
function tolerance(dtype: Json | undefined): number | undefined {
  if (dtype === "float16") return 1e-3;
  if (dtype === "float32" || dtype === "float64") return 1e-5;
  if (dtype === "complex64" || dtype === "complex128") return 1e-5;
  return undefined;
}

/**
 * What may differ in a message without being a difference: the "Recent warning and error logs"
 * tail TF appends (TF 2.21 writes "\nRecent warning and error logs:\n  <log lines>"; which error
 * gets it depends on what the server logged just before, e.g. oneDNN's one-time int64 notice), and
 * node context — the server's "\n\t [[{{node x}}]]" suffix and the "Detected at node 'x' … Node:
 * 'x'" preamble the Python client adds when it sees one. Applied only when the raw messages differ.
 */
function normaliseMessage(m: string): string {
  return m
    .replace(/\n<?Recent warning and error logs[>:].*$/s, "")
    .replace(/Detected at node '[^']*' defined at \(most recent call last\):\nNode: '[^']*'\n/g, "")
    .replace(/(\n\t \[\[\{\{node [^}]*\}\}\]\])+/g, "")
    .replace(/\{\{node ([^}]*)\}\}/g, "$1");
}

function compare(
  tf: Json | undefined,
  ours: Json | undefined,
  path: string,
  out: Difference[],
  notes: string[],
  tol?: number,
): void {
  if (isObject(tf) && isObject(ours)) {
    const t = "dtype" in tf ? tolerance(tf.dtype) : tol;
    for (const key of new Set([...Object.keys(tf), ...Object.keys(ours)])) {
      const a = tf[key];
      const b = ours[key];
      if (key === "message" && typeof a === "string" && typeof b === "string" && a !== b) {
        if (normaliseMessage(a) === normaliseMessage(b))
          notes.push(`${path}: messages equal after normalising node context/log tail`);
        else out.push({ path: `${path}.message`, tf: a, ours: b });
        continue;
      }
      compare(a, b, `${path}.${key}`, out, notes, key === "value" ? t : undefined);
    }
    return;
  }
  if (Array.isArray(tf) && Array.isArray(ours) && tf.length === ours.length) {
    for (const [i, v] of tf.entries()) compare(v, ours[i], `${path}[${i}]`, out, notes, tol);
    return;
  }
  if (typeof tf === "number" && typeof ours === "number" && tol !== undefined) {
    if (Math.abs(tf - ours) > tol * Math.max(1, Math.abs(tf))) out.push({ path, tf, ours });
    return;
  }
  if (JSON.stringify(tf) !== JSON.stringify(ours)) out.push({ path, tf, ours });
}

/** All error messages in a record (to tell whether tfgate's answer names a missing op). */
function messages(v: Json | undefined): string[] {
  if (isObject(v))
    return Object.entries(v).flatMap(([k, x]) =>
      k === "message" && typeof x === "string" ? [x] : messages(x),
    );
  if (Array.isArray(v)) return v.flatMap(messages);
  return [];
}

function show(v: Json | undefined): string {
  const s = v === undefined ? "(absent)" : JSON.stringify(v);
  return s.length > 600 ? `${s.slice(0, 600)}…` : s;
}

function runPrograms(
  python: string,
  args: string[],
  out: string,
  files: string,
): Promise<{ code: number | null; stderr: string }> {
  // No __pycache__ beside the programs (it is not git-ignored).
  const env = {
    ...process.env,
    TF_CPP_MIN_LOG_LEVEL: "2",
    no_grpc_proxy: "127.0.0.1,localhost",
    PYTHONDONTWRITEBYTECODE: "1",
    TFGATE_DIFFERENTIAL_FILES: files,
  };
  return new Promise((resolve) => {
    execFile(
      python,
      [join(repoRoot, "test", "tf", "differential", "run.py"), "--out", out, ...args],
      { env, timeout: 420_000, maxBuffer: 16 << 20 },
      (error, _stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stderr });
      },
    );
  });
}

test("tf.compat.v1 programs observe the same on tfgate as on real TensorFlow 2.21", {
  timeout: 600_000,
}, async (t) => {
  const python = requireTfPython(t);
  if (python === undefined) return;
  const dir = mkdtempSync(join(tmpdir(), "tfgate-differential-"));
  // The directory the file and checkpoint programs write in (programs_checkpoints.py): tfgate's
  // files root; each run works in a subdirectory of its own by absolute path.
  const files = join(dir, "files");
  mkdirSync(files);
  const server = await startServer({ master: { cpuDevices: CPUS, files: { root: files, readOnly: false } } });
  try {
    const tfOut = join(dir, "tensorflow.json");
    const oursOut = join(dir, "tfgate.json");
    // Asynchronous and in parallel: tfgate answers from this very event loop.
    const [tfRun, oursRun] = await Promise.all([
      runPrograms(python, ["--cpus", String(CPUS)], tfOut, files),
      runPrograms(python, ["--target", `grpc://127.0.0.1:${server.port}`], oursOut, files),
    ]);
    const load = (file: string, run: { code: number | null; stderr: string }, what: string): RunOutput => {
      try {
        return JSON.parse(readFileSync(file, "utf8")) as RunOutput;
      } catch {
        assert.fail(
          `run.py against ${what} wrote no result (exit ${run.code}):\n${run.stderr.trim().slice(-3000)}`,
        );
      }
    };
    const reference = load(tfOut, tfRun, "TensorFlow");
    const ours = load(oursOut, oursRun, "tfgate");
    t.diagnostic(
      `TensorFlow ${reference.meta.tensorflow_version}: ${reference.meta.seconds}s; tfgate: ${ours.meta.seconds}s`,
    );

    const failures: string[] = [];
    const lines: string[] = [];
    const counts = { match: 0, known: 0, pending: 0, failed: 0 };
    const names = Object.keys(reference.programs);
    for (const name of Object.keys(ours.programs)) {
      if (!(name in reference.programs)) failures.push(`${name}: ran against tfgate only`);
    }
    for (const key of Object.keys(knownDifferences)) {
      if (!names.includes(key.split("/")[0]!))
        failures.push(`knownDifferences names an unknown program: ${key}`);
    }

    for (const name of names) {
      const ref = reference.programs[name]!;
      const got = ours.programs[name];
      const record = ref.record;
      // A program that raised outside its captures with something other than a TF error is a bug
      // in the program (or the harness), not an observation.
      if (
        isObject(record) &&
        isObject(record.crash) &&
        !String(record.crash.error).startsWith("tf.errors.")
      ) {
        failures.push(`${name}: the program itself failed against TensorFlow: ${show(record.crash)}`);
        counts.failed++;
        continue;
      }
      if (got === undefined) {
        failures.push(`${name}: not recorded against tfgate (run.py exit ${oursRun.code})`);
        counts.failed++;
        continue;
      }
      const diffs: Difference[] = [];
      const notes: string[] = [];
      compare(record, got.record, name, diffs, notes);
      const excused = (d: Difference) => {
        const step = d.path.slice(name.length + 1).split(/[.[]/)[0];
        return knownDifferences[name] ?? knownDifferences[`${name}/${step}`];
      };
      const pendingOp = ref.expected_to_differ_until;
      if (diffs.length === 0) {
        counts.match++;
        const stale = Object.keys(knownDifferences).filter((k) => k === name || k.startsWith(`${name}/`));
        lines.push(
          `match    ${name}${notes.length ? ` (${notes.length} message(s) equal after normalising)` : ""}` +
            (pendingOp
              ? ` — pending on ${pendingOp} but already matches: drop expected_to_differ_until`
              : "") +
            (stale.length ? ` — knownDifferences ${stale.join(", ")} no longer differ: remove them` : ""),
        );
        continue;
      }
      if (pendingOp && messages(got.record).some((m) => m.includes(pendingOp))) {
        counts.pending++;
        lines.push(`pending  ${name}: needs op ${pendingOp} (${diffs.length} difference(s))`);
        continue;
      }
      const unexcused = diffs.filter((d) => excused(d) === undefined);
      const reasons = [...new Set(diffs.map(excused).filter((r): r is string => r !== undefined))];
      if (unexcused.length === 0) {
        counts.known++;
        lines.push(`known    ${name}: ${diffs.length} difference(s)`);
        for (const r of reasons) lines.push(`           ${r}`);
        continue;
      }
      counts.failed++;
      lines.push(`DIFFERS  ${name}: ${unexcused.length} difference(s)`);
      failures.push(
        [
          `${name}${pendingOp ? ` (pending on ${pendingOp}, but tfgate's answer does not name it)` : ""}:`,
          ...unexcused.map((d) => `  ${d.path}\n    TF     ${show(d.tf)}\n    tfgate ${show(d.ours)}`),
        ].join("\n"),
      );
    }

    lines.push(
      `${names.length} programs: ${counts.match} match, ${counts.known} known differences, ${counts.pending} pending, ${counts.failed} differ`,
    );
    for (const line of lines) t.diagnostic(line);
    assert.ok(names.length >= 20, `only ${names.length} programs ran against TensorFlow`);
    if (failures.length > 0) assert.fail(`tfgate differs from TensorFlow:\n\n${failures.join("\n\n")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
});
