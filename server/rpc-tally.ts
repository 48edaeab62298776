// The RPC metrics' numbers, kept in plain counters per label set and handed to Prometheus when it
// scrapes.
//
// prom-client's Counter.inc and Histogram.observe check the label set against the metric's label
// names and hash it into a string of the sorted names and values on every call: about 6 µs for the
// three per-call updates in a warm loop, and more in a busy server, where each leaves garbage too
// (docs/benchmarks.md, "RPC metrics"). A small RunStep costs the RPC thread about 150 µs in all.
// Here a call finds its label set's entry once, when it starts, through a Map keyed by one joined
// string, and adds to that entry's numbers then and when it ends; the exposition is built at scrape
// time in prom-client's own value format, so the registry prints it exactly as it printed
// prom-client's metrics.

import type { Registry } from "prom-client";

export type RpcProtocol = "connect" | "grpc" | "grpc-web";
export type RpcEncoding = "proto" | "json";

/** What a call is counted by (its status code aside). */
export interface RpcLabels {
  service: string;
  method: string;
  protocol: RpcProtocol;
  encoding: RpcEncoding;
}

/** One label set's numbers: what `started` hands back for `ended` to add to. */
export interface RpcTallyEntry {
  readonly labels: RpcLabels;
  readonly key: string;
  started: number;
  /** Calls ended, by final code. */
  readonly handled: Map<string, number>;
  /** Durations per bucket (not cumulative), the last slot for those above every bound. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/** A value as prom-client's registry prints it (MetricValueWithName plus its shared labels). */
interface ExportedValue {
  readonly value: number;
  readonly labels: Record<string, string | number>;
  readonly sharedLabels?: Record<string, string>;
  readonly metricName?: string;
}

/** What the registry reads from a metric (prom-client's MetricObjectWithValues). */
interface ExportedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "histogram";
  readonly aggregator: "sum";
  readonly values: ExportedValue[];
}

export interface RpcMetricNames {
  readonly started: { readonly name: string; readonly help: string };
  readonly handled: { readonly name: string; readonly help: string };
  readonly duration: { readonly name: string; readonly help: string; readonly buckets: readonly number[] };
}

export class RpcTally {
  private readonly entries = new Map<string, RpcTallyEntry>();

  constructor(private readonly names: RpcMetricNames) {}

  /** A call started; the entry it returns is the one to pass to `ended` for that call. */
  started(labels: RpcLabels): RpcTallyEntry {
    const e = this.entryFor(labels);
    e.started++;
    return e;
  }

  /** A call ended with `code` ("ok" or an error code) after `seconds`; `entry` is its start's. */
  ended(entry: RpcTallyEntry, code: string, seconds: number): void {
    // Looked up by the key its start built: a call that spans a reset (which drops every entry) is
    // counted in a new entry, as if it had started after the reset.
    const e = this.entryByKey(entry.key, entry.labels);
    e.handled.set(code, (e.handled.get(code) ?? 0) + 1);
    const bounds = this.names.duration.buckets;
    let slot = 0;
    while (slot < bounds.length && seconds > bounds[slot]!) slot++;
    e.buckets[slot]!++;
    e.sum += seconds;
    e.count++;
  }

  /** Adds the three metrics to `registry`, which reads them from this tally at every scrape. */
  register(registry: Registry): void {
    for (const metric of [this.startedMetric(), this.handledMetric(), this.durationMetric()]) {
      // The registry takes any object with prom-client's metric interface (name, get, reset); its
      // type names only prom-client's own classes.
      registry.registerMetric(metric as unknown as Parameters<Registry["registerMetric"]>[0]);
    }
  }

  /** The entry of a label set, made on its first call (and again after a reset). */
  private entryFor(labels: RpcLabels): RpcTallyEntry {
    return this.entryByKey(
      `${labels.service}\n${labels.method}\n${labels.protocol}\n${labels.encoding}`,
      labels,
    );
  }

  private entryByKey(key: string, labels: RpcLabels): RpcTallyEntry {
    let e = this.entries.get(key);
    if (e === undefined) {
      const buckets = new Float64Array(this.names.duration.buckets.length + 1);
      e = {
        labels: { ...labels },
        key,
        started: 0,
        handled: new Map(),
        buckets,
        sum: 0,
        count: 0,
      };
      this.entries.set(key, e);
    }
    return e;
  }

  private startedMetric() {
    const { name, help } = this.names.started;
    return this.metric(name, help, "counter", () =>
      [...this.entries.values()].map((e) => ({ value: e.started, labels: { ...e.labels } })),
    );
  }

  private handledMetric() {
    const { name, help } = this.names.handled;
    return this.metric(name, help, "counter", () =>
      [...this.entries.values()].flatMap((e) =>
        [...e.handled].map(([code, n]) => ({ value: n, labels: { ...e.labels, code } })),
      ),
    );
  }

  private durationMetric() {
    const { name, help, buckets } = this.names.duration;
    return this.metric(name, help, "histogram", () =>
      [...this.entries.values()].filter((e) => e.count > 0).flatMap((e) => histogramValues(name, buckets, e)),
    );
  }

  private metric(name: string, help: string, type: ExportedMetric["type"], values: () => ExportedValue[]) {
    return {
      name,
      help,
      type,
      aggregator: "sum" as const,
      // The text exposition keeps a histogram's own labels apart from the bucket's `le` (the
      // registry prints `le` first, as prom-client's Histogram does); JSON gets them merged.
      getForPromString: async (): Promise<ExportedMetric> => ({
        name,
        help,
        type,
        aggregator: "sum",
        values: values(),
      }),
      get: async (): Promise<ExportedMetric> => ({
        name,
        help,
        type,
        aggregator: "sum",
        values: values().map(({ sharedLabels, ...v }) => ({
          ...v,
          labels: { ...v.labels, ...sharedLabels },
        })),
      }),
      reset: () => this.entries.clear(),
    };
  }
}

/** A histogram's values as prom-client exports them: cumulative buckets, +Inf, sum and count. */
function histogramValues(name: string, bounds: readonly number[], e: RpcTallyEntry): ExportedValue[] {
  const sharedLabels = { ...e.labels };
  const values: ExportedValue[] = [];
  let cumulative = 0;
  bounds.forEach((le, i) => {
    cumulative += e.buckets[i]!;
    values.push({ value: cumulative, labels: { le }, sharedLabels, metricName: `${name}_bucket` });
  });
  values.push({ value: e.count, labels: { le: "+Inf" }, sharedLabels, metricName: `${name}_bucket` });
  values.push({ value: e.sum, labels: {}, sharedLabels, metricName: `${name}_sum` });
  values.push({ value: e.count, labels: {}, sharedLabels, metricName: `${name}_count` });
  return values;
}
