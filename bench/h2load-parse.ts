// Reading h2load's summary (nghttp2's HTTP/2 and HTTP/1.1 load generator) and judging a run by it,
// for bench/h2load.ts. h2load reports what it saw on the wire: request counts (started, done,
// succeeded, failed, errored, timed out), HTTP status classes, and bytes of headers and of DATA
// (HTTP/2) or body (HTTP/1.1). It never sees gRPC trailers, so a call that ends with a non-OK
// grpc-status still counts as "succeeded" with status 200. The judge therefore also asks that the
// body bytes add up to exactly `requests × bytes of one good response`: a gRPC error carries no
// message (trailers only, 0 bytes), a Connect error a JSON body of another size, a gRPC-Web error a
// different trailer frame, so one bad answer among thousands shows up as a byte mismatch.
//
// The summary lines this reads (nghttp2 1.4x–1.6x print them alike):
//   finished in 1.23s, 16260.16 req/s, 2.11MB/s
//   requests: 20000 total, 20000 started, 20000 done, 20000 succeeded, 0 failed, 0 errored, 0 timeout
//   status codes: 20000 2xx, 0 3xx, 0 4xx, 0 5xx
//   traffic: 2.60MB (2722452) total, 585.98KB (600052) headers (space savings 90.12%), 1.37MB (1440000) data
//   time for request:      251us      7.04ms      3.85ms       682us    68.64%

export interface H2loadRequests {
  readonly total: number;
  readonly started: number;
  readonly done: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly errored: number;
  readonly timeout: number;
}

export interface H2loadReport {
  /** "h2c" or "http/1.1" (the "Application protocol:" line); undefined when no connection was made. */
  readonly protocol: string | undefined;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly requests: H2loadRequests;
  readonly status: {
    readonly "2xx": number;
    readonly "3xx": number;
    readonly "4xx": number;
    readonly "5xx": number;
  };
  readonly bytes: { readonly total: number; readonly headers: number; readonly data: number };
  /** Time per request (first byte sent to last byte received), µs. */
  readonly requestTimeUs: {
    readonly min: number;
    readonly max: number;
    readonly mean: number;
    readonly sd: number;
  };
}

/** h2load printed something this parser cannot read (a line missing, or a format it does not know). */
export class H2loadParseError extends Error {
  override readonly name = "H2loadParseError";
}

const durationUnitsUs: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000 };

/** "251us", "7.04ms", "1.62s" (h2load's duration format) in µs. */
export function parseH2loadDurationUs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(us|ms|s)$/.exec(text.trim());
  if (match === null) throw new H2loadParseError(`not an h2load duration: "${text}"`);
  return Number(match[1]) * durationUnitsUs[match[2]!]!;
}

function lineMatch(text: string, pattern: RegExp, what: string): RegExpExecArray {
  const match = pattern.exec(text);
  if (match === null) {
    throw new H2loadParseError(`h2load output has no ${what} line:\n${text.slice(-1500)}`);
  }
  return match;
}

const int = (s: string | undefined) => Number(s);

/** The summary h2load prints at the end of a run. Throws H2loadParseError when a line is missing. */
export function parseH2loadOutput(text: string): H2loadReport {
  const finished = lineMatch(text, /^finished in (\S+), (\d+(?:\.\d+)?) req\/s/m, '"finished in"');
  const requests = lineMatch(
    text,
    /^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/m,
    '"requests:"',
  );
  const status = lineMatch(
    text,
    /^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/m,
    '"status codes:"',
  );
  const traffic = lineMatch(
    text,
    /^traffic: \S+ \((\d+)\) total, \S+ \((\d+)\) headers .*?, \S+ \((\d+)\) data/m,
    '"traffic:"',
  );
  const time = lineMatch(text, /^time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/m, '"time for request:"');
  return {
    protocol: /^Application protocol: (\S+)/m.exec(text)?.[1],
    seconds: parseH2loadDurationUs(finished[1]!) / 1e6,
    requestsPerSecond: Number(finished[2]),
    requests: {
      total: int(requests[1]),
      started: int(requests[2]),
      done: int(requests[3]),
      succeeded: int(requests[4]),
      failed: int(requests[5]),
      errored: int(requests[6]),
      timeout: int(requests[7]),
    },
    status: { "2xx": int(status[1]), "3xx": int(status[2]), "4xx": int(status[3]), "5xx": int(status[4]) },
    bytes: { total: int(traffic[1]), headers: int(traffic[2]), data: int(traffic[3]) },
    requestTimeUs: {
      min: parseH2loadDurationUs(time[1]!),
      max: parseH2loadDurationUs(time[2]!),
      mean: parseH2loadDurationUs(time[3]!),
      sd: parseH2loadDurationUs(time[4]!),
    },
  };
}

/** What a good run looks like: every request answered 2xx with exactly the body of a good response. */
export interface H2loadExpectation {
  readonly requests: number;
  /** Body bytes (HTTP/2 DATA payload, or HTTP/1.1 body) of one good response, as a probe saw it. */
  readonly bodyBytesPerResponse: number;
}

/**
 * Why a run cannot be trusted, one sentence per problem; empty when every request succeeded with a
 * 2xx status and the body bytes are exactly `requests × bodyBytesPerResponse`.
 */
export function h2loadProblems(report: H2loadReport, expected: H2loadExpectation): string[] {
  const problems: string[] = [];
  const r = report.requests;
  if (r.total !== expected.requests)
    problems.push(`h2load planned ${r.total} requests, not ${expected.requests}`);
  if (r.done !== expected.requests || r.succeeded !== expected.requests) {
    problems.push(`${r.succeeded} of ${expected.requests} requests succeeded (${r.done} done)`);
  }
  if (r.failed + r.errored + r.timeout > 0) {
    problems.push(`${r.failed} failed, ${r.errored} errored, ${r.timeout} timed out`);
  }
  const non2xx = report.status["3xx"] + report.status["4xx"] + report.status["5xx"];
  if (report.status["2xx"] !== expected.requests || non2xx > 0) {
    problems.push(
      `HTTP status: ${report.status["2xx"]} 2xx, ${report.status["3xx"]} 3xx, ` +
        `${report.status["4xx"]} 4xx, ${report.status["5xx"]} 5xx`,
    );
  }
  const bodyBytes = expected.requests * expected.bodyBytesPerResponse;
  if (report.bytes.data !== bodyBytes) {
    // A gRPC error answer has no message at all: then the gap is a whole number of good answers.
    const missing = bodyBytes - report.bytes.data;
    const whole = missing > 0 && missing % expected.bodyBytesPerResponse === 0;
    problems.push(
      `response bodies came to ${report.bytes.data} bytes, not ${bodyBytes} ` +
        `(${expected.requests} × ${expected.bodyBytesPerResponse}): some answers were not the good one` +
        (whole ? ` (${missing / expected.bodyBytesPerResponse} good answer(s)' worth of bytes missing)` : ""),
    );
  }
  return problems;
}
