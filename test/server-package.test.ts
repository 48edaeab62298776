// The gateway as a package: `npm pack` at the root (its prepare script builds dist/; packed from a
// copy of the checkout in a temporary folder, built from scratch) holds what the
// server needs at run time (bin/, the compiled server, generated messages and web client, the
// built demo page) and no sources or tests; `npx ./tfgate-<version>.tgz serve` in an empty
// folder outside the repository (npx installs the dependencies from the registry) starts it, and
// it serves the demo page, /healthz, gRPC health and ListDevices. The server is stopped with its
// process group.

import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Background, copyCheckout, freePort, type Packed, pack, waitForUrl } from "./support/packing.js";
import { repoRoot } from "./tf/venv.js";

const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };

describe("the tfgate package", { timeout: 900_000 }, () => {
  let work: string;
  let packed: Packed;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), "tfgate-server-pkg-"));
    mkdirSync(join(work, "pack"));
    // From a copy of the checkout: prepare builds dist/ there, from scratch, as in a fresh clone.
    await copyCheckout(repoRoot, join(work, "src"), [
      "package.json",
      "package-lock.json",
      "README.md",
      "LICENSE",
      "tsconfig.json",
      "tsconfig.build.json",
      "bin",
      "gen",
      "scripts",
      "server",
      "web",
      "web-client",
    ]);
    packed = await pack(join(work, "src"), join(work, "pack"), 420_000);
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("the tarball holds bin, the compiled server, gen, web client and demo page; no sources or tests", () => {
    const { files, tarball } = packed;
    assert.equal(basename(tarball), `tfgate-${version}.tgz`);
    for (const f of [
      "package.json",
      "README.md",
      "bin/tfgate.js",
      "dist/server/main.js",
      "dist/server/app.js",
      "dist/server/engine/worker/worker-thread-main.js",
      "dist/server/engine/kernels/register-all.js",
      "dist/gen/tensorflow/core/protobuf/master_service_pb.js",
      "dist/web-client/graphdef-io.js",
      "dist/web/index.html",
      "dist/web/app.js",
      "dist/web/style.css",
    ]) {
      assert.ok(files.includes(f), `${f} missing`);
    }
    const stray = files.filter(
      (f) =>
        !["package.json", "README.md", "LICENSE"].includes(f) &&
        !(f.startsWith("bin/") || f.startsWith("dist/")),
    );
    assert.deepEqual(stray, []);
    assert.deepEqual(
      files.filter((f) => f.endsWith(".ts") || f.endsWith(".map") || /\.test\./.test(f)),
      [],
    );
    // Test helpers compiled along with the server stay out (they import node:assert).
    const helpers = files.filter(
      (f) => f.endsWith(".js") && /from\s*["']node:assert/.test(readFileSync(join(work, "src", f), "utf8")),
    );
    assert.deepEqual(helpers, []);
  });

  test("npx ./tfgate-<version>.tgz serve in an empty folder serves the demo page and the API", async () => {
    const run = join(work, "run");
    mkdirSync(run);
    copyFileSync(packed.tarball, join(run, basename(packed.tarball)));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    const server = new Background(
      "npx",
      ["--yes", `./${basename(packed.tarball)}`, "serve", "--port", String(port)],
      run,
    );
    try {
      await waitForUrl(`${url}/healthz`, 300_000, () => !server.exited).catch((e: Error) =>
        assert.fail(`${e.message}\n${server.output}`),
      );
      const startMs = Date.now() - started;

      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, "SERVING");

      const page = await fetch(`${url}/`, { headers: { accept: "text/html" } });
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<!doctype html>/i);
      const script = /<script[^>]+src="\.?\/?([^"]+\.js)"/.exec(html)?.[1];
      assert.ok(script, html);
      const app = await fetch(`${url}/${script}`);
      assert.equal(app.status, 200);
      // The bundle this pack built (npx caches installs: this proves the fresh tarball runs).
      assert.equal(await app.text(), readFileSync(join(work, "src", "dist", "web", script), "utf8"));

      const post = (path: string) =>
        fetch(`${url}/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        });
      const check = await post("grpc.health.v1.Health/Check");
      assert.equal(check.status, 200);
      assert.deepEqual(await check.json(), { status: "SERVING" });
      const devices = await post("tensorflow.grpc.MasterService/ListDevices");
      assert.equal(devices.status, 200);
      const { localDevice } = (await devices.json()) as {
        localDevice: { name: string; deviceType: string }[];
      };
      assert.ok(
        localDevice.some(
          (d) => d.name === "/job:localhost/replica:0/task:0/device:CPU:0" && d.deviceType === "CPU",
        ),
        JSON.stringify(localDevice),
      );
      console.log(`# npx ./tfgate-${version}.tgz serve: answering after ${startMs} ms`);
    } finally {
      await server.stop();
    }
    assert.ok(server.exited, "the server stopped");
    await assert.rejects(fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }));
  });
});
