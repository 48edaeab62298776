// The operator's file sandbox end to end: a graph's ReadFile on the engine's worker threads reads
// only under --files-root, and is refused without one.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, tfCodeName } from "../server/engine/framework/errors.js";
import { tensorFromProto } from "../server/engine/framework/tensor-proto.js";
import { createMaster, type Master } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import { DataType, graph, node } from "./support/graphs.js";

const base = mkdtempSync(join(tmpdir(), "tfgate-files-"));
const root = join(base, "root");
mkdirSync(join(root, "data"), { recursive: true });
writeFileSync(join(root, "data", "hello.txt"), "hello, sandbox");
writeFileSync(join(base, "secret.txt"), "not for graphs");
symlinkSync(base, join(root, "up"));
after(() => rmSync(base, { recursive: true, force: true }));

const readGraph = graph(
  node("path", "Placeholder", { attrs: { dtype: attr.type(DataType.DT_STRING) } }),
  node("read", "ReadFile", { inputs: ["path"] }),
);

async function readThrough(master: Master, path: string): Promise<string> {
  const { sessionHandle } = await master.createSession(
    create(CreateSessionRequestSchema, { graphDef: readGraph }),
  );
  try {
    const feed = create(TensorProtoSchema, {
      dtype: DataType.DT_STRING,
      stringVal: [new TextEncoder().encode(path)],
    });
    const r = await master.runStep(
      create(RunStepRequestSchema, {
        sessionHandle,
        feed: [{ name: "path:0", tensor: feed }],
        fetch: ["read:0"],
      }),
    );
    const contents = tensorFromProto(r.tensor[0]!.tensor!).data as Uint8Array[];
    return new TextDecoder().decode(contents[0]);
  } finally {
    await master.closeSession({ sessionHandle } as never);
  }
}

async function refusedWith(master: Master, path: string, code: string, text: RegExp): Promise<void> {
  await assert.rejects(readThrough(master, path), (e: unknown) => {
    assert.ok(isTfError(e), String(e));
    assert.equal(tfCodeName(e.code), code, e.message);
    assert.match(e.message, text);
    return true;
  });
}

describe("file sandbox (--files-root)", () => {
  test("ReadFile on a worker thread reads under the root, relative or absolute", async () => {
    const master = createMaster({ cpuDevices: 1, files: { root, readOnly: true } });
    try {
      assert.equal(await readThrough(master, "data/hello.txt"), "hello, sandbox");
      assert.equal(await readThrough(master, join(root, "data/hello.txt")), "hello, sandbox");
      await refusedWith(
        master,
        "data/missing.txt",
        "NOT_FOUND",
        /\ndata\/missing\.txt; No such file or directory/,
      );
      await refusedWith(master, "data", "FAILED_PRECONDITION", /\ndata; Is a directory/);
      await refusedWith(master, "../secret.txt", "PERMISSION_DENIED", /outside the server's file sandbox/);
      await refusedWith(
        master,
        join(base, "secret.txt"),
        "PERMISSION_DENIED",
        /outside the server's file sandbox/,
      );
      await refusedWith(master, "up/secret.txt", "PERMISSION_DENIED", /outside the server's file sandbox/);
      await refusedWith(master, "gs://bucket/x", "UNIMPLEMENTED", /File system scheme 'gs' not implemented/);
    } finally {
      await master.close();
    }
  });

  test("without a root every file op is refused, naming the flag", async () => {
    const master = createMaster({ cpuDevices: 1 });
    try {
      await refusedWith(master, "data/hello.txt", "PERMISSION_DENIED", /no file sandbox.*--files-root/);
    } finally {
      await master.close();
    }
  });

  test("a root that is not a directory is refused when the engine starts", () => {
    assert.throws(
      () => createMaster({ files: { root: join(base, "secret.txt"), readOnly: false } }),
      /files root must be an existing directory/,
    );
  });
});
