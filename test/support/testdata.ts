// Where the shared TensorFlow conformance data lives (../shared/testdata/tf-graphs beside the repo),
// and the house rule for tests that need it: skip with a message when it is absent, fail under CI=true.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";

const TF_GRAPHS = fileURLToPath(new URL("../../../shared/testdata/tf-graphs/", import.meta.url));

/** The tf-graphs directory (with a trailing separator), or undefined when it is not there. */
export function testdataDir(): string | undefined {
  return existsSync(TF_GRAPHS) ? TF_GRAPHS : undefined;
}

/**
 * Returns the tf-graphs directory. When it is absent, fails the test under CI=true and otherwise
 * skips it with a message and returns undefined; the caller must then return at once.
 */
export function requireTestdata(t: TestContext): string | undefined {
  const dir = testdataDir();
  if (dir !== undefined) return dir;
  const message = `TensorFlow test graphs not found at ${TF_GRAPHS}`;
  if (process.env.CI === "true") assert.fail(message);
  t.skip(message);
  return undefined;
}
