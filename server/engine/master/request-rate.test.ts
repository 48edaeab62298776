import assert from "node:assert/strict";
import { test } from "node:test";
import { isTfError, tfCodeName } from "../framework/errors.js";
import { createRequestRate } from "./request-rate.js";

function refused(f: () => void): string {
  try {
    f();
  } catch (e) {
    assert.ok(isTfError(e), String(e));
    assert.equal(tfCodeName(e.code), "RESOURCE_EXHAUSTED");
    return e.message;
  }
  assert.fail("admitted");
}

test("a burst is admitted, the next call refused naming the quota, and tokens come back with time", () => {
  let t = 0;
  const rate = createRequestRate({ ratePerSecond: 2, burst: 3, now: () => t });
  for (let i = 0; i < 3; i++) rate.admit("alice");
  assert.match(
    refused(() => rate.admit("alice")),
    /^Too many requests for principal 'alice' \(the limit is 2 per second with bursts of 3, --max-requests-per-second-per-principal\); retry in 500 ms$/,
  );
  rate.admit("bob"); // another principal has its own bucket
  t = 499;
  refused(() => rate.admit("alice"));
  t = 1000; // 2 tokens per second: one is back after 500 ms, a refused call costs nothing
  rate.admit("alice");
  rate.admit("alice");
  refused(() => rate.admit("alice"));
});

test("no rate means no limit", () => {
  const rate = createRequestRate({ ratePerSecond: 0, burst: 1 });
  for (let i = 0; i < 1000; i++) rate.admit("alice");
  assert.equal(rate.size(), 0);
});

test("the bucket map stays bounded: idle (refilled) principals are dropped first, then the least recently seen", () => {
  let t = 0;
  const rate = createRequestRate({ ratePerSecond: 10, burst: 1, maxPrincipals: 100, now: () => t });
  for (let i = 0; i < 100; i++) rate.admit(`p${i}`);
  assert.equal(rate.size(), 100);
  t = 50; // half refilled: none is idle yet, so the oldest is forgotten
  rate.admit("new1");
  assert.equal(rate.size(), 100);
  assert.match(
    refused(() => rate.admit("p99")),
    /'p99'/,
  ); // remembered: half a token
  rate.admit("p0"); // forgotten: a full bucket again
  assert.equal(rate.size(), 100);
  t = 10_000; // everyone refilled: the sweep drops them all
  for (let i = 0; i < 1000; i++) rate.admit(`q${i}`);
  assert.ok(rate.size() <= 100, `${rate.size()} buckets`);
});
