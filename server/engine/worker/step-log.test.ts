import assert from "node:assert/strict";
import { test } from "node:test";
import { boundedStepLog, MAX_MESSAGE_CHARS, MAX_STEP_CHARS } from "./step-log.js";

test("a step's log keeps short messages whole, cuts long ones, and stops after its budget", () => {
  const lines: string[] = [];
  const log = boundedStepLog((_, m) => lines.push(m), 7n);
  log("info", "hello");
  assert.deepEqual(lines, ["hello"]);
  log("info", "x".repeat(100 * 1024 * 1024));
  assert.equal(lines.length, 2);
  assert.ok(lines[1]!.length < MAX_MESSAGE_CHARS + 100);
  assert.match(lines[1]!, /\(\d+ more characters not logged\)$/);
  for (let i = 0; i < 100; i++) log("info", "y".repeat(MAX_MESSAGE_CHARS));
  const total = lines.reduce((n, l) => n + l.length, 0);
  assert.ok(total < MAX_STEP_CHARS + 1000, `wrote ${total}`);
  assert.match(lines.at(-1)!, /step 7 wrote more than 65536 characters of log; the rest is dropped/);
  const count = lines.length;
  log("info", "after");
  assert.equal(lines.length, count, "silent once the notice is out");
});

test("each step has its own budget", () => {
  const lines: string[] = [];
  const a = boundedStepLog((_, m) => lines.push(m), 1n);
  for (let i = 0; i < 20; i++) a("info", "z".repeat(MAX_MESSAGE_CHARS));
  const b = boundedStepLog((_, m) => lines.push(m), 2n);
  b("info", "fresh");
  assert.equal(lines.at(-1), "fresh");
});
