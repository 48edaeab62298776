// Long kernels run in slices on their device thread (docs/architecture.md, "Sliced kernels"):
// another session's small steps on the same device run between the slices of a long MatMul, and a
// step past its deadline stops within a slice, so the thread is never replaced (the watchdog that
// terminates a thread stuck in a kernel never fires) and variables other sessions keep on it
// survive. The assertions are about order and events; the one time bound is the watchdog's grace,
// many times what a slice takes.

import assert from "node:assert/strict";
import { test } from "node:test";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";
import { openSession, withMaster } from "./support/session.js";

const F = DataType.DT_FLOAT;
const I32 = DataType.DT_INT32;

/** sum(a · a) for an n×n a of halves (a float32 MatMul of n³ multiply-adds), and a cheap Identity. */
function longMatMulGraph(n: number) {
  return graph(
    constNode("dims", I32, [2], [n, n]),
    constNode("half", F, [], [0.5]),
    node("a", "Fill", { inputs: ["dims", "half"], attrs: { T: attr.type(F) } }),
    node("mm", "MatMul", { inputs: ["a", "a"], attrs: { T: attr.type(F) } }),
    constNode("axes", I32, [2], [0, 1]),
    node("sum", "Sum", { inputs: ["mm", "axes"], attrs: { T: attr.type(F) } }),
    constNode("three", F, [], [3]),
    node("id", "Identity", { inputs: ["three"], attrs: { T: attr.type(F) } }),
  );
}

/** A variable v = 7 and a read of it. */
function variableGraph() {
  return graph(
    node("v", "VariableV2", { attrs: { dtype: attr.type(F), shape: attr.shape([]) } }),
    constNode("seven", F, [], [7]),
    node("init", "Assign", { inputs: ["v", "seven"], attrs: { T: attr.type(F) } }),
    node("read", "Identity", { inputs: ["v"], attrs: { T: attr.type(F) } }),
  );
}

function rejectsWith(code: string) {
  return (e: unknown) => {
    assert.ok(isTfError(e), `not a TfError: ${String(e)}`);
    assert.equal(tfCodeName(e.code), code, e.message);
    return true;
  };
}

for (const nativeKernels of [true, false]) {
  const path = nativeKernels ? "onnxruntime" : "XNNPACK";
  test(`another session's small steps run between the slices of a long MatMul on the same device (${path})`, () =>
    withMaster(
      async (m) => {
        const long = await openSession(m, longMatMulGraph(3072));
        const small = await openSession(m, longMatMulGraph(8));
        // Both graphs are registered and XNNPACK is loaded before the race starts.
        await long.fetch(["id:0"]);
        await small.fetch(["sum:0"]);
        let longDone = false;
        const longStep = long.fetch(["sum:0"]).then((r) => {
          longDone = true;
          return r;
        });
        let during = 0;
        let steps = 0;
        // Bounded: the MatMul (29 G multiply-adds) takes seconds; the loop stops when it ends.
        while (!longDone && steps < 5000) {
          const [v] = await small.fetch(["id:0"]);
          assert.deepEqual(tensorValues(v), [3]);
          steps++;
          if (!longDone) during++;
        }
        const [sum] = await longStep;
        assert.deepEqual(tensorValues(sum), [0.25 * 3072 * 3072 * 3072]);
        // Unsliced, the device thread is busy for the whole MatMul and at most the step already
        // queued would finish before it; sliced, small steps keep finishing while it runs.
        assert.ok(during >= 10, `only ${during} small steps finished while the MatMul ran`);
      },
      { nativeKernels },
    ));
}

// The deadline must fall inside the MatMul: 68 G multiply-adds take seconds on XNNPACK's one
// thread, but under a second on onnxruntime over two cores, so that path gets a shorter deadline.
for (const [nativeKernels, timeoutMs] of [
  [false, 1000n],
  [true, 250n],
] as const) {
  const path = nativeKernels ? "onnxruntime" : "XNNPACK";
  test(`a step past its deadline stops its MatMul within a slice (${path}): the thread is not replaced, other sessions keep their variables`, async () => {
    const logs: string[] = [];
    const graceMs = 3000;
    await withMaster(
      async (m) => {
        const vars = await openSession(m, variableGraph());
        await vars.run({ target: ["init"] });
        const long = await openSession(m, longMatMulGraph(4096));
        await long.fetch(["id:0"]);
        await assert.rejects(
          long.fetch(["sum:0"], { options: { timeoutInMs: timeoutMs } }),
          rejectsWith("DEADLINE_EXCEEDED"),
        );
        const deadlineAt = performance.now();
        // The thread is free again: the next step on it (same session) completes well within the
        // grace after which a thread still busy with the cancelled step would be replaced.
        const [three] = await long.fetch(["id:0"]);
        assert.deepEqual(tensorValues(three), [3]);
        const freeAfterMs = performance.now() - deadlineAt;
        assert.ok(
          freeAfterMs < graceMs / 2,
          `the device thread was busy ${freeAfterMs} ms after the deadline`,
        );
        // Past the grace: had the cancelled kernel kept the thread, the watchdog would have replaced
        // it and the variable would be gone with it.
        await new Promise((r) => setTimeout(r, graceMs + 500));
        const [v] = await vars.fetch(["read:0"]);
        assert.deepEqual(tensorValues(v), [7]);
      },
      { workerAbortGraceMs: graceMs, nativeKernels, log: (_level, message) => logs.push(message) },
    );
    assert.deepEqual(
      logs.filter((l) => /did not stop|died|restart/.test(l)),
      [],
      "no device thread was replaced",
    );
  });
}

test("closing a session cancels its sliced MatMul at once: CANCELLED, and the device serves the next step", () =>
  withMaster(async (m) => {
    const long = await openSession(m, longMatMulGraph(4096));
    const other = await openSession(m, longMatMulGraph(8));
    await long.fetch(["id:0"]);
    await other.fetch(["id:0"]);
    const step = assert.rejects(long.fetch(["sum:0"]), rejectsWith("CANCELLED"));
    // Once the small session's step has run, the long step's kernel is under way (steps reach
    // the device thread in order).
    await other.fetch(["id:0"]);
    await long.close();
    await step;
    const [v] = await other.fetch(["id:0"]);
    assert.deepEqual(tensorValues(v), [3]);
  }));

/** The QR decomposition of an n×n float64 matrix (about 2n³ multiply-adds in JS), and an Identity. */
function longQrGraph(n: number) {
  const D = DataType.DT_DOUBLE;
  return graph(
    constNode("dims", I32, [2], [n, n]),
    constNode("half", D, [], [0.5]),
    node("a", "Fill", { inputs: ["dims", "half"], attrs: { T: attr.type(D) } }),
    node("qr", "Qr", { inputs: ["a"], attrs: { T: attr.type(D) } }),
    constNode("three", F, [], [3]),
    node("id", "Identity", { inputs: ["three"], attrs: { T: attr.type(F) } }),
  );
}

test("a step past its deadline stops its Qr (a JS linear-algebra kernel) within a slice: the thread is not replaced, other sessions keep their variables", async () => {
  const logs: string[] = [];
  const graceMs = 3000;
  await withMaster(
    async (m) => {
      const vars = await openSession(m, variableGraph());
      await vars.run({ target: ["init"] });
      // About 16 G multiply-adds: many seconds on one core, so the deadline falls inside it.
      const long = await openSession(m, longQrGraph(2000));
      await long.fetch(["id:0"]);
      await assert.rejects(
        long.fetch(["qr:0"], { options: { timeoutInMs: 500n } }),
        rejectsWith("DEADLINE_EXCEEDED"),
      );
      // The thread is free again at once: had the kernel kept it past the grace, the watchdog
      // would have replaced it and the variable would be gone with it.
      const [three] = await long.fetch(["id:0"]);
      assert.deepEqual(tensorValues(three), [3]);
      await new Promise((r) => setTimeout(r, graceMs + 500));
      const [v] = await vars.fetch(["read:0"]);
      assert.deepEqual(tensorValues(v), [7]);
    },
    { workerAbortGraceMs: graceMs, log: (_level, message) => logs.push(message) },
  );
  assert.deepEqual(
    logs.filter((l) => /did not stop|died|restart/.test(l)),
    [],
    "no device thread was replaced",
  );
});
