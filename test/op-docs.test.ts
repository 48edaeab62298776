// docs/ops.md is the op registry, rendered: it must match what scripts/gen-op-docs.ts writes now.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { renderOpDocs } from "../scripts/gen-op-docs.js";

test("docs/ops.md is generated from the current op registry", () => {
  const current = readFileSync(new URL("../docs/ops.md", import.meta.url), "utf8");
  assert.ok(
    current === renderOpDocs(),
    "docs/ops.md is stale: run `node --import tsx scripts/gen-op-docs.ts`",
  );
});
