// The demo page (web/) in a real headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; nothing downloads a browser): served by the gateway at /, it builds a model with
// the web client's GraphBuilder, trains it with RunStep over Connect and gRPC-Web until the loss
// falls below a threshold, decodes the graph's merged Summary (ScalarSummary + HistogramSummary)
// fetched as bytes, shows TF errors with their code, and works from another origin (CORS).
// Screenshots go to test-artifacts/. Without /usr/bin/chromium the suite skips, except under CI=true.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { defaultWebRoot } from "../server/app.js";
import { type RunningServer, startServer } from "./support/server.js";
import { repoRoot } from "./tf/venv.js";

const CHROMIUM = "/usr/bin/chromium";
// The flags every browser test launches Chromium with (headless, in a container, no GPU).
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const LOSS_THRESHOLD = 0.1;
const artifacts = join(repoRoot, "test-artifacts");

const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === "true") {
  test("Chromium is installed (CI)", () => {
    assert.fail(`${CHROMIUM} is missing: .ci/run installs it with apt-get install chromium`);
  });
}
const skip = missing ? `${CHROMIUM} not found (apt-get install chromium); browser tests skipped` : false;

describe("demo page in Chromium", { skip }, () => {
  let server: RunningServer;
  let context: BrowserContext;
  let userDataDir: string;
  let staticServer: http.Server;
  let staticUrl: string;
  const pageErrors: string[] = [];

  before(async () => {
    // A fresh bundle of web/ into dist/web, where the gateway serves it from.
    const built = spawnSync(process.execPath, [join(repoRoot, "scripts", "build-web.mjs")], {
      encoding: "utf8",
    });
    assert.equal(built.status, 0, `build:web failed: ${built.stderr}`);
    server = await startServer();
    staticServer = await serveDirectory(defaultWebRoot());
    staticUrl = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}`;
    userDataDir = mkdtempSync(join(tmpdir(), "tfgate-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1100, height: 1000 },
    });
    mkdirSync(artifacts, { recursive: true });
  });

  after(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await new Promise<void>((resolve) => (staticServer ? staticServer.close(() => resolve()) : resolve()));
    await server?.close();
  });

  async function open(url: string): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForSelector("body[data-state=ready]", { timeout: 15_000 });
    return page;
  }

  async function trainAndCheck(page: Page, protocol: string, screenshot?: string): Promise<number> {
    await page.check(`input[name=protocol][value="${protocol}"]`);
    await page.click("#train");
    await page.waitForSelector("body[data-state=done], body[data-state=error]", { timeout: 120_000 });
    const state = await page.getAttribute("body", "data-state");
    const error = await page.textContent("#error");
    assert.equal(state, "done", `training over ${protocol} ended in ${state}: ${error}`);
    const loss = Number(await page.getAttribute("#loss", "data-value"));
    assert.ok(loss < LOSS_THRESHOLD, `final loss over ${protocol}: ${loss} (threshold ${LOSS_THRESHOLD})`);
    const accuracy = await page.textContent("#accuracy");
    assert.match(accuracy ?? "", /^(9\d|100)%$/, `accuracy ${accuracy}`);
    assert.match((await page.textContent("#status")) ?? "", new RegExp(`Done: \\d+ steps over ${protocol}`));
    assert.match(
      (await page.getAttribute("#timeline", "aria-label")) ?? "",
      /One traced step: \d+ ops on [12] devices?/,
    );
    await checkSummary(page, loss);
    if (screenshot) await page.screenshot({ path: join(artifacts, screenshot), fullPage: true });
    return loss;
  }

  /**
   * The summary panel: the merged Summary fetched after training decoded in the page, its
   * ScalarSummary near the last loss (one traced step later) and its HistogramSummary over every
   * example, whose mean is that loss.
   */
  async function checkSummary(page: Page, loss: number): Promise<void> {
    const panel = page.locator("#summary-panel");
    assert.equal(await panel.getAttribute("data-tags"), "loss,per_example_loss");
    assert.equal(await panel.getAttribute("data-num"), "200");
    assert.ok(Number(await panel.getAttribute("data-buckets")) > 1, "histogram buckets");
    const summaryLoss = Number(await panel.getAttribute("data-loss"));
    const mean = Number(await panel.getAttribute("data-mean"));
    assert.ok(Math.abs(summaryLoss - loss) < 0.05, `summary loss ${summaryLoss}, last step ${loss}`);
    assert.ok(
      Math.abs(mean - summaryLoss) < 1e-4 * Math.max(1, summaryLoss),
      `mean ${mean} vs loss ${summaryLoss}`,
    );
    assert.match(
      (await page.getAttribute("#histogram", "aria-label")) ?? "",
      /^Histogram of 200 per-example losses from \d/,
    );
    assert.match((await page.textContent("#summary-text")) ?? "", /HistogramSummary/);
  }

  test("GET / serves the page to browsers and the JSON index to everyone else", async () => {
    const html = await fetch(`${server.url}/`, { headers: { accept: "text/html,*/*;q=0.8" } });
    assert.match(html.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(await html.text(), /<title>tfgate/);
    for (const path of ["/", "/api"]) {
      const json = (await (await fetch(`${server.url}${path}`)).json()) as { name: string };
      assert.equal(json.name, "tfgate", path);
    }
    const js = await fetch(`${server.url}/app.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type") ?? "", /javascript/);
    assert.equal((await fetch(`${server.url}/nowhere.js`)).status, 404);
  });

  for (const protocol of ["connect", "grpc-web"]) {
    test(`same origin: trains over ${protocol}, loss below ${LOSS_THRESHOLD}`, async () => {
      const page = await open(`${server.url}/?steps=200&lr=2`);
      const devices = await page.locator("#devices li").allTextContents();
      assert.ok(
        devices.some((d) => d.includes("/job:localhost/replica:0/task:0/device:CPU:0")),
        devices.join(),
      );
      await trainAndCheck(page, protocol, `demo-${protocol}.png`);
      await page.close();
    });
  }

  test("Connect JSON trains too (fewer steps)", async () => {
    const page = await open(`${server.url}/?steps=150&lr=2&dataset=blobs`);
    await trainAndCheck(page, "connect-json");
    await page.close();
  });

  test("a failing step shows TensorFlow's code and message", async () => {
    const page = await open(`${server.url}/`);
    for (const protocol of ["connect", "grpc-web"]) {
      await page.check(`input[name=protocol][value="${protocol}"]`);
      await page.click("#bad");
      await page.waitForSelector("#error[data-code]", { timeout: 15_000 });
      assert.equal(await page.getAttribute("#error", "data-code"), "INVALID_ARGUMENT", protocol);
      assert.match(
        (await page.textContent("#error")) ?? "",
        /INVALID_ARGUMENT\s+.*Matrix size-incompatible/s,
      );
      assert.match((await page.textContent("#status")) ?? "", new RegExp(`failed over ${protocol}`));
      await page.screenshot({ path: join(artifacts, `demo-error-${protocol}.png`) });
      // The next action clears it.
      await page.evaluate(() => document.getElementById("error")?.removeAttribute("data-code"));
    }
    await page.close();
  });

  test("cross origin: the page on another port trains against the gateway (CORS)", async () => {
    assert.notEqual(new URL(staticUrl).port, new URL(server.url).port);
    const page = await open(`${staticUrl}/?gateway=${encodeURIComponent(server.url)}&steps=200&lr=2`);
    assert.equal(await page.textContent("#gateway"), server.url);
    for (const protocol of ["grpc-web", "connect"]) await trainAndCheck(page, protocol);
    await page.screenshot({ path: join(artifacts, "demo-cross-origin.png"), fullPage: true });
    await page.close();
  });

  test("cross origin is refused when the gateway's CORS policy does not list the page's origin", async () => {
    const strict = await startServer({ corsOrigin: ["http://app.example"] });
    try {
      const page = await context.newPage();
      await page.goto(`${staticUrl}/?gateway=${encodeURIComponent(strict.url)}`);
      await page.waitForSelector("body[data-state=error]", { timeout: 15_000 });
      assert.match((await page.textContent("#status")) ?? "", /Cannot reach the gateway/);
      assert.ok(await page.getAttribute("#error", "data-code"));
      await page.close();
    } finally {
      await strict.close();
    }
  });

  test("no uncaught errors in the page", () => {
    assert.deepEqual(pageErrors, []);
  });
});

/** A plain static file server for `root` on an ephemeral loopback port (the "other origin"). */
async function serveDirectory(root: string): Promise<http.Server> {
  const types: Record<string, string> = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json",
  };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const file = join(root, path === "/" ? "index.html" : path);
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}
