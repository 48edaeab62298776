// Element-wise kernels and reductions over large tensors run in slices on their device thread
// (docs/architecture.md, "Long kernels in slices"; kernels/util/element-slices.ts): another
// session's small steps run between the slices of a long Fill → Cos → Mul → Sum chain, and a step
// past its deadline stops within a slice of a long Tile instead of finishing it. The bounds are
// relative to the step's own length measured in the same test, never absolute times.

import assert from "node:assert/strict";
import { test } from "node:test";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";
import { openSession, withMaster } from "./support/session.js";

const F = DataType.DT_FLOAT;
const I32 = DataType.DT_INT32;

/** sum(cos(fill(n, 0.5))²): four element kernels over n elements, and a cheap Identity. */
function elementChainGraph(n: number) {
  return graph(
    constNode("dims", I32, [1], [n]),
    constNode("half", F, [], [0.5]),
    node("a", "Fill", { inputs: ["dims", "half"], attrs: { T: attr.type(F) } }),
    node("b", "Cos", { inputs: ["a"], attrs: { T: attr.type(F) } }),
    node("c", "Mul", { inputs: ["b", "b"], attrs: { T: attr.type(F) } }),
    constNode("axes", I32, [1], [0]),
    node("sum", "Sum", { inputs: ["c", "axes"], attrs: { T: attr.type(F) } }),
    constNode("three", F, [], [3]),
    node("id", "Identity", { inputs: ["three"], attrs: { T: attr.type(F) } }),
  );
}

/** sum(tile([[0.5]], [n, n])): one long Tile (most of the step) and a Sum. */
function tileGraph(n: number) {
  return graph(
    constNode("one", F, [1, 1], [0.5]),
    constNode("multiples", I32, [2], [n, n]),
    node("t", "Tile", { inputs: ["one", "multiples"], attrs: { T: attr.type(F) } }),
    constNode("axes", I32, [2], [0, 1]),
    node("sum", "Sum", { inputs: ["t", "axes"], attrs: { T: attr.type(F) } }),
    constNode("three", F, [], [3]),
    node("id", "Identity", { inputs: ["three"], attrs: { T: attr.type(F) } }),
  );
}

const N = 2 ** 24;
const cos2 = Math.fround(Math.fround(Math.cos(0.5)) * Math.fround(Math.cos(0.5)));

test("another session's small steps run between the slices of a long element-wise chain", () =>
  withMaster(async (m) => {
    const long = await openSession(m, elementChainGraph(N));
    const small = await openSession(m, elementChainGraph(8));
    await long.fetch(["id:0"]);
    await small.fetch(["sum:0"]);
    let longDone = false;
    const longStep = long.fetch(["sum:0"]).then((r) => {
      longDone = true;
      return r;
    });
    let during = 0;
    let steps = 0;
    // Bounded: the chain takes a second or so; the loop stops when it ends.
    while (!longDone && steps < 5000) {
      const [v] = await small.fetch(["id:0"]);
      assert.deepEqual(tensorValues(v), [3]);
      steps++;
      if (!longDone) during++;
    }
    const [sum] = await longStep;
    const got = tensorValues(sum)[0] as number;
    assert.ok(Math.abs(got - cos2 * N) < 1e-3 * cos2 * N, `sum ${got}`);
    // Unsliced, a small step could only run between two of the chain's four kernels.
    assert.ok(during >= 10, `only ${during} small steps finished while the chain ran`);
  }));

test("a step past its deadline stops its long Tile within a slice; no thread is replaced", async () => {
  const logs: string[] = [];
  await withMaster(
    async (m) => {
      const long = await openSession(m, tileGraph(4096));
      await long.fetch(["id:0"]);
      const t0 = performance.now();
      const [sum] = await long.fetch(["sum:0"]);
      const chainMs = performance.now() - t0;
      assert.deepEqual(tensorValues(sum), [0.5 * 4096 * 4096]);
      const timeoutMs = Math.max(20, Math.round(chainMs / 8));
      const started = performance.now();
      await assert.rejects(long.fetch(["sum:0"], { options: { timeoutInMs: BigInt(timeoutMs) } }), (e) => {
        assert.ok(isTfError(e), `not a TfError: ${String(e)}`);
        assert.equal(tfCodeName(e.code), "DEADLINE_EXCEEDED", e.message);
        return true;
      });
      const [three] = await long.fetch(["id:0"]);
      assert.deepEqual(tensorValues(three), [3]);
      // From the deadline to the device's next answer: a slice or two, where finishing the Tile
      // (most of the step, the deadline an eighth of the way in) would take over half of chainMs.
      const busyAfterDeadline = performance.now() - (started + timeoutMs);
      assert.ok(
        busyAfterDeadline < chainMs / 4,
        `the device answered ${busyAfterDeadline.toFixed(0)} ms after the deadline; the whole chain takes ${chainMs.toFixed(0)} ms`,
      );
    },
    { log: (_level, message) => logs.push(message) },
  );
  assert.deepEqual(
    logs.filter((l) => /did not stop|died|restart/.test(l)),
    [],
    "no device thread was replaced",
  );
});
