// A bounded soak (docs/security.md, "Soak"): 200 sessions over gRPC stepping at once for about five
// seconds, each incrementing and reading a counter of its own, so every step's answer is checked:
// none may fail, and each session's values must run 1, 2, 3, … with no gap or repeat. RSS after
// warm-up and at the end is reported, not asserted (`npm run soak` runs 1,000 sessions for longer
// against a server process and prints the figures).

import assert from "node:assert/strict";
import { test } from "node:test";
import { startServer } from "./support/server.js";
import { runSoak } from "./support/soak.js";

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

test("200 sessions stepping at once: no failed, lost or duplicated step", { timeout: 300_000 }, async (t) => {
  const server = await startServer({ master: { cpuDevices: 2 } });
  try {
    let warmRss = 0;
    const result = await runSoak({
      baseUrl: server.url,
      sessions: 200,
      seconds: 5,
      connections: 4,
      onWarm: () => {
        warmRss = process.memoryUsage().rss;
      },
    });
    t.diagnostic(
      `${result.steps} steps, ${Math.round(result.stepsPerSecond)}/s, p50 ${result.p50Ms.toFixed(1)} ms, ` +
        `p99 ${result.p99Ms.toFixed(1)} ms; RSS after warm-up ${mib(warmRss)} MiB, at the end ${mib(process.memoryUsage().rss)} MiB`,
    );
    assert.deepEqual(result.problems, []);
    assert.equal(result.failed, 0);
    assert.equal(result.outOfSequence, 0);
    // Every session stepped at least once more after the warm-up step.
    assert.ok(result.steps >= 400, `only ${result.steps} steps`);
  } finally {
    await server.close();
  }
});
