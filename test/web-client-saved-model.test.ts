// The web client's SavedModel API against a real server whose file sandbox holds TF-exported
// SavedModels (test/tf/saved_models): Session.fromSavedModel loads one (the server restores its
// variables), run(signatureKey, inputs) feeds and fetches by the signature's own names, and the
// models routes' errors arrive as TfError with TF's code.

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  createTransport,
  DataType,
  describeSavedModel,
  listSavedModels,
  Session,
  TfCode,
  TfError,
} from "../web-client/index.js";
import { type RunningServer, startServer } from "./support/server.js";
import { repoRoot } from "./tf/venv.js";

const root = join(repoRoot, "test", "tf", "saved_models");
let server: RunningServer;
before(async () => {
  server = await startServer({ master: { files: { root, readOnly: true } } });
});
after(async () => {
  await server.close();
});

test("listSavedModels and describeSavedModel read /v1/models", async () => {
  const transport = createTransport(server.url);
  assert.deepEqual(await listSavedModels(transport), ["constants", "constants_text", "linear", "ref_vars"]);
  const info = await describeSavedModel(server.url, "linear");
  assert.deepEqual(info.metaGraphs[0]?.signatures.serving_default?.inputs.x, {
    name: "x:0",
    dtype: "DT_FLOAT",
    shape: [-1, 2],
  });
});

test("Session.fromSavedModel runs a signature by its own input and output names", async () => {
  const model = await Session.fromSavedModel(
    createTransport(server.url, { protocol: "connect-json" }),
    "constants",
  );
  try {
    assert.deepEqual(model.tags, ["serve"]);
    const out = await model.run("serving_default", { text: ["saved", "model"] });
    assert.deepEqual(Object.keys(out), ["upper"]);
    assert.equal(out.upper?.dtype, DataType.DT_STRING);
    assert.deepEqual(out.upper?.values, ["SAVED", "MODEL"]);
    await assert.rejects(
      model.run("serving_default", { txt: ["x"] }),
      (e: unknown) =>
        e instanceof TfError && e.code === TfCode.INVALID_ARGUMENT && /has no input "txt"/.test(e.message),
    );
    await assert.rejects(model.run("predict", {}), /has no signature "predict"; it has: serving_default/);
  } finally {
    await model.close();
  }
});

test("variables are restored on the server; inputs take the signature's dtype", async () => {
  let model: Awaited<ReturnType<typeof Session.fromSavedModel>>;
  try {
    model = await Session.fromSavedModel(createTransport(server.url), "linear", { tags: ["serve"] });
  } catch (e) {
    throw e;
  }
  try {
    // Plain numbers, no dtype: the signature says float32.
    const { y } = await model.run("serving_default", {
      x: [
        [1, 2],
        [3, 4],
      ],
    });
    assert.equal(y?.dtype, DataType.DT_FLOAT);
    assert.deepEqual(y?.shape, [2, 3]);
    assert.deepEqual([...(y!.values as Float32Array)], [9.5, 11, 17, 19.5, 25, 35]);
  } finally {
    await model.close();
  }
});

test("errors of the models routes reject with TfError and TF's code", async () => {
  const transport = createTransport(server.url);
  await assert.rejects(
    Session.fromSavedModel(transport, "missing"),
    (e: unknown) =>
      e instanceof TfError && e.code === TfCode.NOT_FOUND && /No SavedModel named "missing"/.test(e.message),
  );
  await assert.rejects(
    Session.fromSavedModel(transport, "ref_vars", { tags: ["train"] }),
    (e: unknown) =>
      e instanceof TfError && e.code === TfCode.NOT_FOUND && /its tag sets are: \{serve\}/.test(e.message),
  );
  await assert.rejects(
    Session.fromSavedModel(transport, "../outside"),
    (e: unknown) => e instanceof TfError && e.code !== TfCode.OK,
  );
});
