// tf.lookup tables against TensorFlow 2.21 itself: testdata/lookup-fixtures.json, written by
// testdata/gen_lookup_fixtures.py. Each graph (StaticHashTable, StaticVocabularyTable,
// MutableHashTable and raw table ops) runs step by step in one session, as TF ran it: lookups
// before and after tables_initializer, inserts, removes, imports, sizes, exports and TF's errors.
// Tables private to their node live as long as the session that made them.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { createResourceMgr, ownBySession, releaseSessionResources } from "../framework/resource-mgr.js";
import { type GraphCase, runGraphFixtures } from "./testing/graph-fixtures.js";
import { LOOKUP_TABLE_TYPE } from "./util/lookup-table.js";

const fx = JSON.parse(readFileSync(new URL("./testdata/lookup-fixtures.json", import.meta.url), "utf8")) as {
  tensorflow: string;
  graphs: GraphCase[];
};

runGraphFixtures(`lookup tables vs TensorFlow ${fx.tensorflow}`, fx.graphs);

test("a table private to its node is the session's: closing the session releases it", () => {
  const mgr = createResourceMgr();
  const table = { entries: new Map() };
  mgr.lookupOrCreate("localhost", "_s1_t", LOOKUP_TABLE_TYPE.name, () => table);
  mgr.lookupOrCreate("localhost", "shared", LOOKUP_TABLE_TYPE.name, () => table);
  ownBySession(mgr, "s1", "localhost", "_s1_t", LOOKUP_TABLE_TYPE.name);
  releaseSessionResources(mgr, "s2");
  assert.ok(mgr.lookup("localhost", "_s1_t", LOOKUP_TABLE_TYPE.name));
  releaseSessionResources(mgr, "s1");
  assert.equal(mgr.lookup("localhost", "_s1_t", LOOKUP_TABLE_TYPE.name), undefined);
  assert.ok(mgr.lookup("localhost", "shared", LOOKUP_TABLE_TYPE.name));
});
