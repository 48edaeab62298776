// bench/h2load.ts's judges, without running h2load: reading h2load's summary (captured from
// nghttp2 1.52's h2load), deciding whether a run's answers were all good ones, and reading CPU time
// from /proc/<pid>/stat.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  H2loadParseError,
  h2loadProblems,
  parseH2loadDurationUs,
  parseH2loadOutput,
} from "./h2load-parse.js";
import { processCpuMs, statCpuTicks } from "./support.js";

// 2000 gRPC ListDevices calls over h2c, each answer a 145-byte body.
const goodRun = `starting benchmark...
spawning thread #0: 2 total client(s). 2000 total requests
Application protocol: h2c
progress: 10% done
progress: 100% done

finished in 12.50s, 159.96 req/s, 27.70KB/s
requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 2000 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 346.39KB (354702) total, 8.44KB (8644) headers (space savings 95.03%), 283.20KB (290000) data
                     min         max         mean         sd        +/- sd
time for request:     2.66ms    451.77ms     49.93ms     58.92ms    90.60%
time for connect:      122us       272us       197us       105us   100.00%
time to 1st byte:   161.02ms    253.59ms    207.30ms     65.46ms   100.00%
req/s           :      79.98       80.08       80.03        0.07   100.00%
`;

// Nothing listening on the port: every request failed before a connection was made.
const refusedRun = `starting benchmark...
spawning thread #0: 2 total client(s). 200 total requests

finished in 373us, 0.00 req/s, 0B/s
requests: 200 total, 0 started, 0 done, 0 succeeded, 200 failed, 200 errored, 0 timeout
status codes: 0 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 0B (0) total, 0B (0) headers (space savings 0.00%), 0B (0) data
                     min         max         mean         sd        +/- sd
time for request:        0us         0us         0us         0us     0.00%
time for connect:        0us         0us         0us         0us     0.00%
time to 1st byte:        0us         0us         0us         0us     0.00%
req/s           :       0.00        0.00        0.00        0.00   100.00%
`;

test("parses every figure of a complete h2load summary", () => {
  assert.deepEqual(parseH2loadOutput(goodRun), {
    protocol: "h2c",
    seconds: 12.5,
    requestsPerSecond: 159.96,
    requests: { total: 2000, started: 2000, done: 2000, succeeded: 2000, failed: 0, errored: 0, timeout: 0 },
    status: { "2xx": 2000, "3xx": 0, "4xx": 0, "5xx": 0 },
    bytes: { total: 354702, headers: 8644, data: 290000 },
    requestTimeUs: { min: 2660, max: 451770, mean: 49930, sd: 58920 },
  });
});

test("a run with no connection parses, with no protocol and every request failed", () => {
  const report = parseH2loadOutput(refusedRun);
  assert.equal(report.protocol, undefined);
  assert.equal(report.seconds, 0.000373);
  assert.equal(report.requests.failed, 200);
  assert.equal(report.requests.errored, 200);
  assert.equal(report.bytes.data, 0);
});

test("HTTP/1.1 runs name their protocol", () => {
  assert.equal(parseH2loadOutput(goodRun.replace("h2c", "http/1.1")).protocol, "http/1.1");
});

test("durations: µs, ms and s; anything else is refused", () => {
  assert.equal(parseH2loadDurationUs("251us"), 251);
  assert.equal(parseH2loadDurationUs("7.04ms"), 7040);
  assert.equal(parseH2loadDurationUs("1.62s"), 1_620_000);
  for (const bad of ["", "12", "3m", "1.2.3ms", "-4us"]) {
    assert.throws(() => parseH2loadDurationUs(bad), H2loadParseError, bad);
  }
});

test("a missing summary line (h2load died, or another tool's output) is an error naming the line", () => {
  for (const [line, name] of [
    ["finished in", /"finished in"/],
    ["requests:", /"requests:"/],
    ["status codes:", /"status codes:"/],
    ["traffic:", /"traffic:"/],
    ["time for request:", /"time for request:"/],
  ] as const) {
    const cut = goodRun
      .split("\n")
      .filter((l) => !l.startsWith(line))
      .join("\n");
    assert.throws(
      () => parseH2loadOutput(cut),
      (error: unknown) => {
        assert.ok(error instanceof H2loadParseError);
        assert.match(error.message, name);
        return true;
      },
    );
  }
  assert.throws(() => parseH2loadOutput(""), H2loadParseError);
});

test("a run whose every answer was the good one has no problems", () => {
  assert.deepEqual(
    h2loadProblems(parseH2loadOutput(goodRun), { requests: 2000, bodyBytesPerResponse: 145 }),
    [],
  );
});

test("one non-OK grpc-status among 2000 answers (200, trailers only) shows as missing body bytes", () => {
  const oneError = goodRun.replace("(290000) data", `(${290000 - 145}) data`);
  const problems = h2loadProblems(parseH2loadOutput(oneError), { requests: 2000, bodyBytesPerResponse: 145 });
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /289855 bytes, not 290000 \(2000 × 145\)/);
  assert.match(problems[0]!, /\(1 good answer\(s\)' worth of bytes missing\)/);
});

test("answers larger than the good one (e.g. an error text in a gRPC-Web trailer) are problems too", () => {
  const problems = h2loadProblems(parseH2loadOutput(goodRun), { requests: 2000, bodyBytesPerResponse: 144 });
  assert.match(problems.join("\n"), /290000 bytes, not 288000/);
});

test("failed, errored and timed-out requests, and non-2xx statuses, are problems", () => {
  const refused = h2loadProblems(parseH2loadOutput(refusedRun), { requests: 200, bodyBytesPerResponse: 10 });
  assert.match(refused.join("\n"), /0 of 200 requests succeeded/);
  assert.match(refused.join("\n"), /200 failed, 200 errored, 0 timed out/);
  assert.match(refused.join("\n"), /HTTP status: 0 2xx/);

  // Same body bytes (the 404s' bodies happened to make up the sum): the status still tells.
  const some404 = goodRun.replace(
    "status codes: 2000 2xx, 0 3xx, 0 4xx",
    "status codes: 1990 2xx, 0 3xx, 10 4xx",
  );
  const problems = h2loadProblems(parseH2loadOutput(some404), { requests: 2000, bodyBytesPerResponse: 145 });
  assert.deepEqual(problems, ["HTTP status: 1990 2xx, 0 3xx, 10 4xx, 0 5xx"]);

  const timeouts = goodRun.replace(
    "2000 done, 2000 succeeded, 0 failed, 0 errored, 0 timeout",
    "1998 done, 1998 succeeded, 2 failed, 0 errored, 2 timeout",
  );
  const timedOut = h2loadProblems(parseH2loadOutput(timeouts), { requests: 2000, bodyBytesPerResponse: 145 });
  assert.match(timedOut.join("\n"), /1998 of 2000 requests succeeded/);
  assert.match(timedOut.join("\n"), /2 failed, 0 errored, 2 timed out/);
});

test("a run of another size than planned is a problem", () => {
  const problems = h2loadProblems(parseH2loadOutput(goodRun), { requests: 1000, bodyBytesPerResponse: 290 });
  assert.match(problems.join("\n"), /h2load planned 2000 requests, not 1000/);
});

test("/proc stat: utime + stime, counted from the last ')' whatever the command name holds", () => {
  // Fields after the name: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime …
  const rest = "S 1 2 3 0 -1 4194560 100 0 0 0 250 75 9 9 20 0 12 0 1234";
  assert.equal(statCpuTicks(`4242 (node) ${rest}`), 325);
  assert.equal(statCpuTicks(`4242 (tf_server (py) x) ${rest}`), 325);
  assert.equal(statCpuTicks(`4242 (a) b) ) ${rest}`), 325);
  assert.equal(statCpuTicks(""), undefined);
  assert.equal(statCpuTicks("4242 (node) S 1 2"), undefined);
  assert.equal(statCpuTicks("4242 node S 1 2 3 0 -1 4194560 100 0 0 0 250 75"), undefined);
});

test("/proc stat: this process's own stat file reads, and its CPU time grows with work", () => {
  const own = statCpuTicks(readFileSync(`/proc/${process.pid}/stat`, "utf8"));
  assert.ok(own !== undefined && own >= 0);
  const before = processCpuMs(process.pid);
  assert.ok(before !== undefined);
  // Work until the kernel's tick-granular counter moves (bounded: ~5 s of CPU at most).
  let after = before;
  let x = 0;
  for (let i = 0; i < 5000 && after === before; i++) {
    for (let j = 0; j < 1e6; j++) x += Math.sqrt(j);
    after = processCpuMs(process.pid)!;
  }
  assert.ok(x > 0);
  assert.ok(after > before, `CPU time did not grow: ${before} → ${after}`);
  assert.equal(processCpuMs(2 ** 30), undefined, "a pid that does not exist reads as undefined");
});
