// RpcTally against prom-client itself: the same calls, counted by prom-client's Counter and
// Histogram in one registry and by the tally in another, must print the same exposition.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Counter, Histogram, Registry } from "prom-client";
import { type RpcLabels, RpcTally, type RpcTallyEntry } from "./rpc-tally.js";

const names = {
  started: { name: "t_started_total", help: "Started." },
  handled: { name: "t_handled_total", help: "Handled." },
  duration: { name: "t_duration_seconds", help: "Duration.", buckets: [0.001, 0.01, 0.1, 1] },
};

function promClientPeer() {
  const registry = new Registry();
  const labelNames = ["service", "method", "protocol", "encoding"] as const;
  const started = new Counter({ ...names.started, labelNames, registers: [registry] });
  const handled = new Counter({
    ...names.handled,
    labelNames: [...labelNames, "code"],
    registers: [registry],
  });
  const duration = new Histogram({ ...names.duration, labelNames, registers: [registry] });
  return {
    registry,
    started: (l: RpcLabels) => started.inc({ ...l }),
    ended: (l: RpcLabels, code: string, s: number) => {
      handled.inc({ ...l, code });
      duration.observe({ ...l }, s);
    },
  };
}

function tallied() {
  const registry = new Registry();
  const tally = new RpcTally(names);
  tally.register(registry);
  // A call ends on the entry its start handed back, as the server's calls do (metrics.ts).
  const open = new Map<RpcLabels, RpcTallyEntry>();
  return {
    registry,
    started: (l: RpcLabels) => open.set(l, tally.started(l)),
    ended: (l: RpcLabels, code: string, s: number) => tally.ended(open.get(l)!, code, s),
  };
}

const runStep: RpcLabels = {
  service: "tensorflow.MasterService",
  method: "RunStep",
  protocol: "grpc",
  encoding: "proto",
};
const listJson: RpcLabels = {
  service: "tensorflow.MasterService",
  method: "ListDevices",
  protocol: "connect",
  encoding: "json",
};

describe("RpcTally", () => {
  it("prints what prom-client prints for the same calls", async () => {
    const a = promClientPeer();
    const b = tallied();
    // Durations on, between and beyond the bounds; a call started and not yet ended.
    const calls: [RpcLabels, string, number][] = [
      [runStep, "ok", 0.0004],
      [runStep, "ok", 0.001],
      [runStep, "invalid_argument", 0.0100001],
      [runStep, "ok", 5],
      [listJson, "ok", 0.1],
      [listJson, "canceled", 1],
    ];
    for (const peer of [a, b]) {
      for (const [labels, code, seconds] of calls) {
        peer.started(labels);
        peer.ended(labels, code, seconds);
      }
      peer.started(listJson);
    }
    assert.equal(await b.registry.metrics(), await a.registry.metrics());
  });

  it("prints nothing but help and type before any call, and again after a reset", async () => {
    const a = promClientPeer();
    const b = tallied();
    assert.equal(await b.registry.metrics(), await a.registry.metrics());
    b.started(runStep);
    b.ended(runStep, "ok", 0.5);
    b.registry.resetMetrics();
    assert.equal(await b.registry.metrics(), await a.registry.metrics());
  });

  it("gives JSON with the histogram's labels merged into each value", async () => {
    const b = tallied();
    b.started(runStep);
    b.ended(runStep, "ok", 0.002);
    const json = await b.registry.getMetricsAsJSON();
    const duration = json.find((m) => m.name === names.duration.name)!;
    const bucket = duration.values.find((v) => v.labels.le === 0.01)!;
    assert.deepEqual(bucket.labels, { le: 0.01, ...runStep });
    assert.equal(bucket.value, 1);
  });
});
