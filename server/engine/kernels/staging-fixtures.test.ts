// Staging areas and staging maps against TensorFlow 2.21 itself: testdata/staging-fixtures.json,
// written by testdata/gen_staging_fixtures.py. Each graph runs step by step in one session, as TF
// ran it: Stage, Unstage, StagePeek, StageSize and StageClear in FIFO order, string and float
// tuples, the memory_limit refusal (strings counted as TF's TotalBytes counts them), areas named
// after their node; MapStage and its kin, unordered and ordered, with whole and partial tuples
// (incomplete until every component came), a key staged twice keeping its first tuple, partial
// takes, the smallest key first from an ordered map; TF's errors; and the graphs the Python
// StagingArea and MapStagingArea classes build. Waiting, cancellation, the memory
// ceiling and worker-thread replacement are in test/durable-kinds.test.ts.

import { readFileSync } from "node:fs";
import { type GraphCase, runGraphFixtures } from "./testing/graph-fixtures.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/staging-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  graphs: GraphCase[];
};

runGraphFixtures(`staging areas vs TensorFlow ${fx.tensorflow}`, fx.graphs);
