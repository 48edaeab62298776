// tf.lookup tables against TensorFlow 2.21 itself: testdata/lookup-fixtures.json, written by
// testdata/gen_lookup_fixtures.py. Each graph (StaticHashTable, StaticVocabularyTable,
// MutableHashTable and raw table ops) runs step by step in one session, as TF ran it: lookups
// before and after tables_initializer, inserts, removes, imports, sizes, exports and TF's errors.

import { readFileSync } from "node:fs";
import { type GraphCase, runGraphFixtures } from "./graph-fixtures.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/lookup-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  graphs: GraphCase[];
};

runGraphFixtures(`lookup tables vs TensorFlow ${fx.tensorflow}`, fx.graphs);
