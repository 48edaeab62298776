// Where the real-TensorFlow venv lives (scripts/setup-tf.sh makes it), and the house rule for tests
// that need it: skip with a message when absent, fail under CI=true (.ci/run installs it first).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const venv = process.env.TFGATE_TF_VENV ?? join(repoRoot, ".venv-tf");
const python = join(venv, "bin", "python");

/** The venv's python, or undefined after skipping (failing under CI) when it is absent. */
export function requireTfPython(t: TestContext): string | undefined {
  if (existsSync(python)) return python;
  const message = `TensorFlow venv not found at ${venv}: run scripts/setup-tf.sh`;
  if (process.env.CI === "true") assert.fail(message);
  t.skip(message);
  return undefined;
}
