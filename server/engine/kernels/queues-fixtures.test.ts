// TF1 queues against TensorFlow 2.21 itself: testdata/queues-fixtures.json, written by
// testdata/gen_queues_fixtures.py. Each graph (FIFO, padding, random-shuffle and priority queues,
// V2 and ref-typed ops) runs step by step in one session, as TF ran it: enqueues, dequeues of one,
// many and up to n, close, size, seeded shuffles, priority order with ties, and TF's errors.
// Waiting across steps, timeouts and cancellation are in test/queues.test.ts.

import { readFileSync } from "node:fs";
import { type GraphCase, runGraphFixtures } from "./testing/graph-fixtures.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/queues-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  graphs: GraphCase[];
};

runGraphFixtures(`queues vs TensorFlow ${fx.tensorflow}`, fx.graphs);
