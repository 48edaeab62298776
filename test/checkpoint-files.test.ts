// The file and checkpoint ops inside the operator's file sandbox, end to end on the engine's worker
// threads: SaveV2 / RestoreV2 / MergeV2Checkpoints / WriteFile / ReadFile / MatchingFiles with
// hostile paths (traversal, absolute paths outside the root, symlinks leaving it, NUL bytes,
// over-long paths) are refused naming the sandbox and never a host path the graph did not give;
// --files-read-only refuses every write but lets checkpoints be restored; without --files-root
// every one of them is refused naming the flag.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { AttrValueSchema } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { type TensorProto, TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { tensorFromProto } from "../server/engine/framework/tensor-proto.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { DataType, graph, node } from "./support/graphs.js";

const utf8 = new TextEncoder();
const base = mkdtempSync(join(tmpdir(), "tfgate-ckfiles-"));
const root = join(base, "root");
const outside = join(base, "outside");
mkdirSync(root);
mkdirSync(outside);
writeFileSync(join(outside, "secret.txt"), "not for graphs");
symlinkSync(outside, join(root, "escape"));
after(() => rmSync(base, { recursive: true, force: true }));

function strings(values: readonly string[], shape: readonly number[]): TensorProto {
  return create(TensorProtoSchema, {
    dtype: DataType.DT_STRING,
    tensorShape: { dim: shape.map((d) => ({ size: BigInt(d) })) },
    stringVal: values.map((v) => utf8.encode(v)),
  });
}

const stringConst = (name: string, values: readonly string[], shape: readonly number[]) =>
  node(name, "Const", {
    attrs: { dtype: attr.type(DataType.DT_STRING), value: attr.tensor(strings(values, shape)) },
  });
const placeholder = (name: string, shape: readonly number[]) =>
  node(name, "Placeholder", { attrs: { dtype: attr.type(DataType.DT_STRING), shape: attr.shape(shape) } });

const floatList = create(AttrValueSchema, { value: { case: "list", value: { type: [DataType.DT_FLOAT] } } });

const fileGraph = graph(
  placeholder("path", []),
  placeholder("paths", [1]),
  stringConst("names", ["w"], [1]),
  stringConst("specs", [""], [1]),
  stringConst("contents", ["hello"], []),
  node("w", "Const", {
    attrs: {
      dtype: attr.type(DataType.DT_FLOAT),
      value: attr.tensor(
        create(TensorProtoSchema, {
          dtype: DataType.DT_FLOAT,
          tensorShape: { dim: [{ size: 2n }] },
          floatVal: [1.5, -2],
        }),
      ),
    },
  }),
  node("save", "SaveV2", {
    inputs: ["path", "names", "specs", "w"],
    attrs: { dtypes: floatList },
  }),
  node("restore", "RestoreV2", {
    inputs: ["path", "names", "specs"],
    attrs: { dtypes: floatList },
  }),
  node("merge", "MergeV2Checkpoints", { inputs: ["paths", "path"] }),
  node("write", "WriteFile", { inputs: ["path", "contents"] }),
  node("read", "ReadFile", { inputs: ["path"] }),
  node("match", "MatchingFiles", { inputs: ["path"] }),
);

interface Step {
  readonly target?: string;
  readonly fetch?: string;
  readonly path: string;
  readonly paths?: string;
}

async function run(master: Master, step: Step): Promise<string[] | number[]> {
  const { sessionHandle } = await master.createSession(
    create(CreateSessionRequestSchema, { graphDef: fileGraph }),
  );
  try {
    const feed = [{ name: "path:0", tensor: strings([step.path], []) }];
    if (step.paths !== undefined) feed.push({ name: "paths:0", tensor: strings([step.paths], [1]) });
    const r = await master.runStep(
      create(RunStepRequestSchema, {
        sessionHandle,
        feed,
        fetch: step.fetch === undefined ? [] : [step.fetch],
        target: step.target === undefined ? [] : [step.target],
      }),
    );
    if (step.fetch === undefined) return [];
    const t = tensorFromProto(r.tensor[0]!.tensor!);
    return t.dtype === DataType.DT_STRING
      ? (t.data as Uint8Array[]).map((b) => new TextDecoder().decode(b))
      : Array.from(t.data as Float32Array);
  } finally {
    await master.closeSession({ sessionHandle } as never);
  }
}

async function refused(master: Master, step: Step, code: string, text: RegExp): Promise<void> {
  await assert.rejects(run(master, step), (e: unknown) => {
    assert.ok(isTfError(e), String(e));
    assert.equal(tfCodeName(e.code), code, e.message);
    assert.match(e.message, text);
    // Never a host path the graph did not name (the root or the symlink's target).
    const given = [step.path, step.paths ?? ""].some((p) => p.startsWith(base));
    if (!given) assert.ok(!e.message.includes(base), e.message);
    return true;
  });
}

const SANDBOX = /outside the server's file sandbox/;

describe("checkpoint and file ops in the file sandbox", () => {
  const master = createMaster({ cpuDevices: 1, files: { root, readOnly: false } });
  after(() => master.close());

  test("save, restore, write, read and glob under the root, by relative and absolute path", async () => {
    await run(master, { target: "save", path: "ck/model" });
    assert.ok(existsSync(join(root, "ck", "model.index")));
    assert.deepEqual(await run(master, { fetch: "restore:0", path: join(root, "ck/model") }), [1.5, -2]);
    await run(master, { target: "write", path: "notes/a.txt" });
    assert.deepEqual(await run(master, { fetch: "read:0", path: "notes/a.txt" }), ["hello"]);
    assert.deepEqual(await run(master, { fetch: "match:0", path: "ck/*.index" }), ["ck/model.index"]);
    assert.deepEqual(await run(master, { fetch: "match:0", path: `${root}/ck/*.index` }), [
      `${root}/ck/model.index`,
    ]);
    // A sharded save's merge step: the shard's directory goes, the merged checkpoint restores.
    mkdirSync(join(root, "ck_temp"));
    await run(master, { target: "save", path: "ck_temp/part-00000-of-00001" });
    await run(master, { target: "merge", path: "merged/model", paths: "ck_temp/part-00000-of-00001" });
    assert.ok(!existsSync(join(root, "ck_temp")));
    assert.deepEqual(await run(master, { fetch: "restore:0", path: "merged/model" }), [1.5, -2]);
  });

  for (const [what, path] of [
    ["traversal", "../outside/x"],
    ["traversal inside a longer path", "ck/../../outside/x"],
    ["an absolute path outside the root", join(outside, "x")],
    ["a symlink leaving the root", "escape/x"],
  ] as const) {
    test(`${what} is PERMISSION_DENIED for every op`, async () => {
      await refused(master, { target: "save", path }, "PERMISSION_DENIED", SANDBOX);
      await refused(master, { fetch: "restore:0", path }, "PERMISSION_DENIED", SANDBOX);
      await refused(master, { target: "write", path }, "PERMISSION_DENIED", SANDBOX);
      await refused(master, { fetch: "read:0", path }, "PERMISSION_DENIED", SANDBOX);
      await refused(master, { target: "merge", path: "ok/m", paths: path }, "PERMISSION_DENIED", SANDBOX);
      await refused(master, { target: "merge", path, paths: "ck/model" }, "PERMISSION_DENIED", SANDBOX);
    });
  }

  test("a glob never lists outside the root", async () => {
    await refused(master, { fetch: "match:0", path: "../outside/*" }, "PERMISSION_DENIED", SANDBOX);
    await refused(master, { fetch: "match:0", path: "escape/*" }, "PERMISSION_DENIED", SANDBOX);
    // A wildcard matching the escaping symlink's name does not follow it into the outside.
    await refused(master, { fetch: "match:0", path: "esc*/*.txt" }, "PERMISSION_DENIED", SANDBOX);
  });

  test("NUL bytes and over-long paths are INVALID_ARGUMENT", async () => {
    await refused(master, { target: "save", path: "ck/a\0b" }, "INVALID_ARGUMENT", /NUL byte/);
    await refused(master, { fetch: "restore:0", path: "ck/a\0b" }, "INVALID_ARGUMENT", /NUL byte/);
    await refused(master, { target: "save", path: "x".repeat(5000) }, "INVALID_ARGUMENT", /longer than/);
  });

  test("nothing was written outside the root", () => {
    assert.deepEqual(readdirSync(outside), ["secret.txt"]);
  });
});

describe("--files-read-only", () => {
  const master = createMaster({ cpuDevices: 1, files: { root, readOnly: true } });
  after(() => master.close());

  test("restores and reads, but refuses every write", async () => {
    assert.deepEqual(await run(master, { fetch: "restore:0", path: "ck/model" }), [1.5, -2]);
    assert.deepEqual(await run(master, { fetch: "read:0", path: "notes/a.txt" }), ["hello"]);
    const ro = /read-only \(--files-read-only\)/;
    await refused(master, { target: "save", path: "ck/model" }, "PERMISSION_DENIED", ro);
    await refused(master, { target: "write", path: "notes/b.txt" }, "PERMISSION_DENIED", ro);
    await refused(master, { target: "merge", path: "m2/model", paths: "ck/model" }, "PERMISSION_DENIED", ro);
    assert.ok(existsSync(join(root, "ck", "model.index")), "the checkpoint is untouched");
  });
});

describe("without --files-root", () => {
  const master = createMaster({ cpuDevices: 1 });
  after(() => master.close());

  test("every file op is refused, naming the flag", async () => {
    const flag = /no file sandbox.*--files-root/;
    await refused(master, { target: "save", path: "m" }, "PERMISSION_DENIED", flag);
    await refused(master, { fetch: "restore:0", path: "m" }, "PERMISSION_DENIED", flag);
    await refused(master, { target: "merge", path: "m", paths: "a" }, "PERMISSION_DENIED", flag);
    await refused(master, { target: "write", path: "m" }, "PERMISSION_DENIED", flag);
    await refused(master, { fetch: "read:0", path: "m" }, "PERMISSION_DENIED", flag);
    await refused(master, { fetch: "match:0", path: "*" }, "PERMISSION_DENIED", flag);
  });
});

describe("limits", () => {
  test("a file larger than the per-tensor limit is refused before it is read", async () => {
    writeFileSync(join(root, "big.bin"), Buffer.alloc(4096));
    const master = createMaster({ cpuDevices: 1, maxTensorBytes: 1024, files: { root, readOnly: true } });
    try {
      await refused(master, { fetch: "read:0", path: "big.bin" }, "RESOURCE_EXHAUSTED", /per-tensor limit/);
    } finally {
      await master.close();
    }
  });
});
