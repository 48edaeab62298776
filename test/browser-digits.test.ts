// The demo page's digits tab in headless Chromium (Debian's /usr/bin/chromium via playwright-core,
// flags as test/browser.test.ts): the gateway serves the repository's models/ read-only (what
// `npm run demo` does), the tab loads the "digits" SavedModel with Session.fromSavedModel, a
// digit drawn with the mouse is classified, and Clear resets it. A gateway without --files-root
// makes the tab say how to start one that serves models. Screenshots go to test-artifacts/.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { type RunningServer, startServer } from "./support/server.js";
import { repoRoot } from "./tf/venv.js";

const CHROMIUM = "/usr/bin/chromium";
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
const artifacts = join(repoRoot, "test-artifacts");
// Outside CI a machine without Chromium skips with this reason; under CI the suite runs and fails.
const skip =
  existsSync(CHROMIUM) || process.env.CI === "true"
    ? false
    : `${CHROMIUM} not found (apt-get install chromium); browser tests skipped`;

describe("demo page: the digits tab (a SavedModel from Python)", { skip }, () => {
  let server: RunningServer;
  let bare: RunningServer;
  let context: BrowserContext;
  let userDataDir: string;
  const pageErrors: string[] = [];

  before(async () => {
    const built = spawnSync(process.execPath, [join(repoRoot, "scripts", "build-web.mjs")], {
      encoding: "utf8",
    });
    assert.equal(built.status, 0, `build:web failed: ${built.stderr}`);
    server = await startServer({ master: { files: { root: join(repoRoot, "models"), readOnly: true } } });
    bare = await startServer();
    userDataDir = mkdtempSync(join(tmpdir(), "tfgate-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1100, height: 900 },
    });
    mkdirSync(artifacts, { recursive: true });
  });

  after(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await server?.close();
    await bare?.close();
  });

  async function openDigits(url: string): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.click("#tab-digits");
    await page.waitForSelector("#digits-tab:not([data-state=idle]):not([data-state=loading])", {
      timeout: 60_000,
    });
    return page;
  }

  /** Drags the mouse along `points` (canvas pixels, 280x280) with the button down. */
  async function stroke(page: Page, points: [number, number][]): Promise<void> {
    const box = await page.locator("#digit-canvas").boundingBox();
    assert.ok(box);
    const at = ([x, y]: [number, number]) =>
      [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
    await page.mouse.move(...at(points[0]!));
    await page.mouse.down();
    for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 8 });
    await page.mouse.up();
  }

  async function predicted(page: Page): Promise<void> {
    await page.waitForSelector("#digits-tab[data-state=predicted], #digits-tab[data-state=error]", {
      timeout: 30_000,
    });
    const state = await page.getAttribute("#digits-tab", "data-state");
    assert.equal(state, "predicted", (await page.textContent("#digits-status")) ?? "");
  }

  test("draw a digit, see the class probabilities", async () => {
    const page = await openDigits(`${server.url}/`);
    const state = await page.getAttribute("#digits-tab", "data-state");
    const status = (await page.textContent("#digits-status")) ?? "";
    assert.equal(state, "ready", status);

    // A "7": the top bar, then the diagonal down to the left.
    await stroke(page, [
      [70, 60],
      [210, 60],
      [120, 230],
    ]);
    await predicted(page);
    assert.equal(await page.getAttribute("#digits-tab", "data-class"), "7");
    const values = (await page
      .locator("#digit-bars li")
      .evaluateAll((lis) => lis.map((li) => Number((li as HTMLElement).dataset.value)))) as number[];
    assert.equal(values.length, 10);
    assert.ok(Math.abs(values.reduce((a, b) => a + b, 0) - 1) < 1e-3, `probabilities ${values}`);
    assert.equal(values.indexOf(Math.max(...values)), 7);
    await page.screenshot({ path: join(artifacts, "demo-digits.png"), fullPage: true });

    await page.click("#digit-clear");
    assert.equal(await page.getAttribute("#digits-tab", "data-state"), "ready");
    // A "1": one vertical stroke.
    await stroke(page, [
      [140, 40],
      [140, 240],
    ]);
    await predicted(page);
    assert.equal(await page.getAttribute("#digits-tab", "data-class"), "1");
    await page.close();
  });

  test("a gateway without --files-root: the tab says how to serve models", async () => {
    const page = await openDigits(`${bare.url}/?tab=digits`);
    assert.equal(await page.getAttribute("#digits-tab", "data-state"), "unavailable");
    assert.match((await page.textContent("#digits-status")) ?? "", /npm run demo/);
    // The training tab is still there.
    await page.click("#tab-train");
    assert.equal(await page.isVisible("#controls"), true);
    await page.close();
  });

  test("no uncaught errors in the page", () => {
    assert.deepEqual(pageErrors, []);
  });
});
