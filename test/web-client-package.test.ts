// @tfgate/web-client as someone outside this repository gets it: `npm pack` of web-client/ (its
// prepack builds dist/; packed from a copy of the checkout in a temporary folder) holds only the built JavaScript, its .d.ts, README and package.json; the
// tarball installed into a fresh Vite app in a temporary folder (vite pinned, from the npm
// registry) type-checks against the .d.ts, builds with `vite build`, and the built page, served
// on one port, runs a session against a tfgate server on another from headless Chromium (Debian's
// /usr/bin/chromium through playwright-core), computing a matmul and its gradient.
// Without /usr/bin/chromium the browser step is skipped, except under CI=true.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { copyCheckout, npm, npmEnv, type Packed, pack, serveDirectory } from "./support/packing.js";
import { type RunningServer, startServer } from "./support/server.js";
import { repoRoot } from "./tf/venv.js";

const execFileAsync = promisify(execFile);
const VITE = "8.4.1";
const CHROMIUM = "/usr/bin/chromium";
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === "true") {
  test("Chromium is installed (CI)", () => {
    assert.fail(`${CHROMIUM} is missing: .ci/run installs it with apt-get install chromium`);
  });
}

// The app: a GraphBuilder graph (y = x·w, loss = Σy², dloss/dw) run over gRPC-Web; the page
// shows the fetched values, or the error.
const appFiles: Record<string, string> = {
  "package.json": JSON.stringify({ name: "tfgate-vite-app", private: true, type: "module" }, null, 2),
  "index.html": `<!doctype html>
<html><head><meta charset="utf-8"><title>tfgate vite app</title></head>
<body><pre id="out">running</pre><script type="module" src="/src/main.ts"></script></body></html>
`,
  "src/main.ts": `import { createTransport, DataType, GraphBuilder, Session } from "@tfgate/web-client";
import { MasterService } from "@tfgate/web-client/gen";

async function main(server: string): Promise<string> {
  const g = new GraphBuilder();
  const x = g.placeholder("x", DataType.DT_FLOAT, [2, 2]);
  const w = g.variable("w", [[1, 2], [3, 4]]);
  const y = g.matmul(x, w, { name: "y" });
  const loss = g.sum(g.square(y), undefined, false, "loss");
  const [dw] = g.gradients(loss, [w]);
  if (dw === undefined) throw new Error("no gradient");
  const init = g.globalVariablesInitializer();
  const session = await Session.create(createTransport(server, { protocol: "grpc-web" }), g);
  await session.run({ targets: [init.name] });
  const out = await session.run({
    feeds: { "x:0": [[1, 1], [0, 2]] },
    fetches: { y: y.name, loss: loss.name, dw: dw.name },
  });
  await session.close();
  return JSON.stringify({
    service: MasterService.typeName,
    y: out.y.toArray(),
    loss: out.loss.scalar(),
    dw: out.dw.toArray(),
  });
}

const el = document.getElementById("out")!;
const server = new URLSearchParams(location.search).get("server") ?? location.origin;
main(server).then(
  (text) => (el.textContent = text),
  (e: unknown) => (el.textContent = \`error: \${e instanceof Error ? e.message : String(e)}\`),
);
`,
  "tsconfig.json": JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "bundler",
        lib: ["ES2023", "DOM"],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      },
      include: ["src"],
    },
    null,
    2,
  ),
};

// x = [[1,1],[0,2]], w = [[1,2],[3,4]]: y = x·w, loss = Σy², dloss/dw = xᵀ·2y.
const expected = {
  service: "tensorflow.grpc.MasterService",
  y: [
    [4, 6],
    [6, 8],
  ],
  loss: 16 + 36 + 36 + 64,
  dw: [
    [8, 12],
    [32, 44],
  ],
};

describe("@tfgate/web-client installed from its tarball", { timeout: 420_000 }, () => {
  let work: string;
  let packed: Packed;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), "tfgate-web-client-pkg-"));
    mkdirSync(join(work, "pack"));
    // From a copy of the package, gen/, the tsconfig it extends and the root package.json (gen/ is
    // ESM by its "type"): its prepack builds dist/ there.
    await copyCheckout(repoRoot, join(work, "src"), ["package.json", "tsconfig.json", "gen", "web-client"]);
    packed = await pack(join(work, "src", "web-client"), join(work, "pack"), 180_000);
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("the tarball holds only dist (.js and .d.ts), README and package.json", () => {
    const { files } = packed;
    const stray = files.filter(
      (f) => !(f === "package.json" || f === "README.md" || /^LICENSE/.test(f) || f.startsWith("dist/")),
    );
    assert.deepEqual(stray, []);
    assert.deepEqual(
      files.filter((f) => f.startsWith("dist/") && !/\.(js|d\.ts)$/.test(f)),
      [],
    );
    assert.deepEqual(
      files.filter((f) => /\.test\.|(^|\/)test\//.test(f)),
      [],
    );
    for (const f of [
      "dist/web-client/index.js",
      "dist/web-client/index.d.ts",
      "dist/web-client/gen.js",
      "dist/web-client/gen.d.ts",
      "dist/web-client/builder.js",
      "dist/gen/tensorflow/core/protobuf/master_service_pb.js",
      "dist/gen/tensorflow/core/protobuf/master_service_pb.d.ts",
    ]) {
      assert.ok(files.includes(f), `${f} missing from ${files.join(", ")}`);
    }
  });

  test(`a Vite ${VITE} app installs it, type-checks, builds, and runs a session from Chromium`, {
    skip: missing ? `${CHROMIUM} not found (apt-get install chromium); skipped outside CI` : false,
  }, async () => {
    const app = join(work, "app");
    for (const [name, text] of Object.entries(appFiles)) {
      mkdirSync(join(app, name, ".."), { recursive: true });
      writeFileSync(join(app, name), text);
    }
    let t = Date.now();
    await npm(["install", "--no-package-lock", `vite@${VITE}`, packed.tarball], app, 240_000);
    const installMs = Date.now() - t;
    assert.ok(
      existsSync(join(app, "node_modules", "@tfgate", "web-client", "dist", "web-client", "index.js")),
    );
    assert.ok(!existsSync(join(app, "node_modules", "@tfgate", "web-client", "index.ts")));

    // The app's own TypeScript against the installed .d.ts (this repository's tsc, the app's
    // node_modules): the exports' "types" condition and the generated messages' declarations.
    t = Date.now();
    await execFileAsync(
      process.execPath,
      [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", join(app, "tsconfig.json")],
      { cwd: app, env: npmEnv(), timeout: 120_000 },
    ).catch((e: Error & { stdout?: string }) => assert.fail(`tsc: ${e.stdout ?? e.message}`));
    const tscMs = Date.now() - t;

    t = Date.now();
    await execFileAsync(process.execPath, [join(app, "node_modules", "vite", "bin", "vite.js"), "build"], {
      cwd: app,
      env: npmEnv(),
      timeout: 120_000,
    }).catch((e: Error & { stdout?: string; stderr?: string }) =>
      assert.fail(`vite build: ${e.message}\n${e.stdout}\n${e.stderr}`),
    );
    const buildMs = Date.now() - t;

    let server: RunningServer | undefined;
    let site: Awaited<ReturnType<typeof serveDirectory>> | undefined;
    const userDataDir = mkdtempSync(join(tmpdir(), "tfgate-chromium-"));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
      ],
    });
    try {
      server = await startServer();
      site = await serveDirectory(join(app, "dist"));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${site.url}/?server=${encodeURIComponent(server.url)}`);
      await page.waitForFunction(() => document.getElementById("out")?.textContent !== "running", null, {
        timeout: 60_000,
      });
      const text = (await page.textContent("#out")) ?? "";
      assert.deepEqual(errors, []);
      assert.ok(text.startsWith("{"), text);
      assert.deepEqual(JSON.parse(text), expected);
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      await site?.close();
      await server?.close();
    }
    console.log(`# vite app: npm install ${installMs} ms, tsc ${tscMs} ms, vite build ${buildMs} ms`);
  });
});
