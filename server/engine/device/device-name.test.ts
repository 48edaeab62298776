import assert from "node:assert/strict";
import { test } from "node:test";
import { deviceMatches, parseDeviceName } from "./device-name.js";

const cpu0 = parseDeviceName("/job:localhost/replica:0/task:0/device:CPU:0")!;

test("parses full, partial, wildcard and legacy device specs", () => {
  assert.deepEqual(cpu0, { job: "localhost", replica: 0, task: 0, type: "CPU", id: 0 });
  assert.deepEqual(parseDeviceName("/device:CPU:0"), { type: "CPU", id: 0 });
  assert.deepEqual(parseDeviceName("/cpu:0"), { type: "CPU", id: 0 });
  assert.deepEqual(parseDeviceName("/GPU:1"), { type: "GPU", id: 1 });
  assert.deepEqual(parseDeviceName("CPU:0"), { type: "CPU", id: 0 });
  assert.deepEqual(parseDeviceName("device:CPU:1"), { type: "CPU", id: 1 });
  assert.deepEqual(parseDeviceName("/job:*/device:GPU:*"), { type: "GPU" });
  assert.deepEqual(parseDeviceName("/device:CPU"), { type: "CPU" });
  assert.deepEqual(parseDeviceName(""), {});
  assert.deepEqual(parseDeviceName("/"), {});
  assert.deepEqual(parseDeviceName("/job:worker/task:3"), { job: "worker", task: 3 });
});

test("rejects malformed specs", () => {
  for (const bad of ["/job:1bad", "/replica:x", "/task:-1", "/device:CPU:x", "//", "/foo:bar", "/job:a/"]) {
    assert.equal(parseDeviceName(bad), undefined, bad);
  }
});

test("a spec matches a device when every present field is equal", () => {
  assert.ok(deviceMatches(parseDeviceName("/device:CPU:0")!, cpu0));
  assert.ok(deviceMatches(parseDeviceName("/job:localhost")!, cpu0));
  assert.ok(deviceMatches(parseDeviceName("")!, cpu0));
  assert.ok(!deviceMatches(parseDeviceName("/device:GPU:0")!, cpu0));
  assert.ok(!deviceMatches(parseDeviceName("/device:CPU:1")!, cpu0));
  assert.ok(!deviceMatches(parseDeviceName("/job:ps")!, cpu0));
});
