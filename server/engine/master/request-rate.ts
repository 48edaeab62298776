// A request-rate quota per principal (docs/security.md, "Policy per principal"): a token bucket
// per principal, refilled at `ratePerSecond` up to `burst` tokens, one token per MasterService
// call. TF's master has no such limit; a server open to a network needs one so that a principal
// flooding calls (each CreateSession parses and validates a graph) cannot starve the others.
//
// The bucket map stays bounded: a bucket left alone long enough to refill is indistinguishable
// from a new one and is dropped when the map is swept, and past `maxPrincipals` entries the least
// recently seen principal is forgotten (it then gets a full bucket, which errs on its side).

import { resourceExhausted } from "../framework/errors.js";

export interface RequestRateOptions {
  /** Tokens added per second; 0 = no limit. */
  readonly ratePerSecond: number;
  /** Most tokens a bucket holds (the largest burst of calls). */
  readonly burst: number;
  /** Most buckets remembered at once (default 10,000). */
  readonly maxPrincipals?: number | undefined;
  /** The clock in ms (tests). Default performance.now. */
  readonly now?: (() => number) | undefined;
}

export interface RequestRate {
  /** Takes one token of `principal`'s bucket; throws RESOURCE_EXHAUSTED naming the quota when empty. */
  admit(principal: string): void;
  /** Buckets held (tests: the map stays bounded). */
  size(): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRequestRate(options: RequestRateOptions): RequestRate {
  const { ratePerSecond, burst } = options;
  const maxPrincipals = options.maxPrincipals ?? 10_000;
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, Bucket>();
  /** Refill time of an empty bucket: any bucket untouched this long is full again. */
  const refillMs = (burst / ratePerSecond) * 1000;

  const refill = (b: Bucket, t: number) => {
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) * ratePerSecond) / 1000);
    b.at = t;
  };
  const sweep = (t: number) => {
    for (const [p, b] of buckets) if (t - b.at >= refillMs) buckets.delete(p);
    // Map order is least recently seen first (admit re-inserts); drop the oldest past the cap.
    for (const p of buckets.keys()) {
      if (buckets.size < maxPrincipals) break;
      buckets.delete(p);
    }
  };

  return {
    admit(principal) {
      if (ratePerSecond <= 0) return;
      const t = now();
      let b = buckets.get(principal);
      if (b === undefined) {
        if (buckets.size >= maxPrincipals) sweep(t);
        b = { tokens: burst, at: t };
      } else {
        buckets.delete(principal);
        refill(b, t);
      }
      buckets.set(principal, b);
      if (b.tokens < 1) {
        const waitMs = Math.ceil(((1 - b.tokens) * 1000) / ratePerSecond);
        throw resourceExhausted(
          `Too many requests for principal '${principal}' (the limit is ${ratePerSecond} per second ` +
            `with bursts of ${burst}, --max-requests-per-second-per-principal); retry in ${waitMs} ms`,
        );
      }
      b.tokens -= 1;
    },
    size: () => buckets.size,
  };
}
