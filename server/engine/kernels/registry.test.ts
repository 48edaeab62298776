// The registry lists every kernel module and every KernelConfig they export, so an op can never
// fall out of the server because a line was forgotten.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { kernelConfigs } from "./registry.js";
import type { KernelConfig } from "./util/kernel-config.js";

const dir = new URL(".", import.meta.url);
const registrySource = readFileSync(new URL("registry.ts", dir), "utf8");
const listed = [...registrySource.matchAll(/^import \{[^}]*\} from "\.\/([^"/]+)\.js";$/gm)].map(
  (m) => m[1]!,
);
const kernelFiles = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"))
  .filter((f) => f !== "registry.ts" && f !== "register-all.ts")
  .map((f) => f.slice(0, -3));

function isKernelConfig(v: unknown): v is KernelConfig {
  const c = v as Partial<KernelConfig> | null;
  return typeof c?.op?.name === "string" && typeof c.kernel?.create === "function";
}

// The imports' order is biome's sorted order, which `npm run lint` enforces.
test("every kernels/*.ts module is listed in registry.ts", () => {
  const missing = kernelFiles.filter((f) => !listed.includes(f));
  assert.deepEqual(missing, [], "kernel modules missing from registry.ts (helpers belong in util/)");
});

test("every KernelConfig a module exports is registered, and every module exports one", async () => {
  const registered = new Set(kernelConfigs);
  for (const f of kernelFiles) {
    const configs = Object.entries(await import(new URL(`${f}.ts`, dir).href)).filter(([, v]) =>
      isKernelConfig(v),
    );
    assert.ok(configs.length > 0, `${f}.ts exports no KernelConfig: move it to util/`);
    for (const [name, c] of configs)
      assert.ok(registered.has(c as KernelConfig), `${f}.ts ${name} is not in kernelConfigs`);
  }
});

test("no op is registered twice", () => {
  const names = kernelConfigs.map((c) => c.op.name);
  assert.equal(new Set(names).size, names.length);
});
