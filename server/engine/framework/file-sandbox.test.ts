import assert from "node:assert/strict";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { TfCode, type TfError } from "./errors.js";
import { FileSandbox, requireFileSandbox } from "./file-sandbox.js";

const base = mkdtempSync(join(tmpdir(), "tfgate-sandbox-"));
const root = join(base, "root");
const outsideDir = join(base, "outside");
mkdirSync(join(root, "models"), { recursive: true });
mkdirSync(outsideDir);
writeFileSync(join(outsideDir, "secret"), "s3cret");
writeFileSync(join(root, "models", "a.txt"), "a");
symlinkSync(outsideDir, join(root, "escape"));
symlinkSync(join(root, "models"), join(root, "inner"));
symlinkSync(join(base, "nowhere"), join(root, "dangling"));
after(() => rmSync(base, { recursive: true, force: true }));

const sandbox = new FileSandbox({ root, readOnly: false });

function refused(f: () => unknown, code: number, text: RegExp, given = ""): void {
  assert.throws(f, (e: TfError) => {
    assert.equal(e.code, code, e.message);
    assert.match(e.message, text);
    // The caller's own path may be echoed; a host path the caller did not give never is.
    assert.ok(
      !e.message.replace(given, "").includes(outsideDir),
      "never names a host path outside the sandbox",
    );
    return true;
  });
}

describe("FileSandbox", () => {
  test("relative paths resolve under the root; absolute ones inside it are kept", () => {
    assert.equal(sandbox.resolveForRead("models/a.txt"), join(sandbox.root, "models", "a.txt"));
    assert.equal(sandbox.resolveForRead(join(root, "models/a.txt")), join(sandbox.root, "models", "a.txt"));
    assert.equal(sandbox.resolveForRead("file://models/a.txt"), join(sandbox.root, "models", "a.txt"));
    assert.equal(sandbox.resolveForRead("models/../models/a.txt"), join(sandbox.root, "models", "a.txt"));
    assert.equal(sandbox.resolveForWrite("new/dir/file"), join(sandbox.root, "new", "dir", "file"));
  });

  test("symlinks that stay inside are followed", () => {
    assert.equal(sandbox.resolveForRead("inner/a.txt"), join(sandbox.root, "inner", "a.txt"));
  });

  test("traversal, absolute paths outside, escaping and dangling symlinks are PERMISSION_DENIED", () => {
    for (const p of [
      "../outside/secret",
      "models/../../outside/secret",
      join(outsideDir, "secret"),
      "/etc/passwd",
    ]) {
      refused(
        () => sandbox.resolveForRead(p),
        TfCode.PERMISSION_DENIED,
        /outside the server's file sandbox/,
        p,
      );
    }
    refused(() => sandbox.resolveForRead("escape/secret"), TfCode.PERMISSION_DENIED, /file sandbox/);
    refused(() => sandbox.resolveForWrite("escape/new"), TfCode.PERMISSION_DENIED, /file sandbox/);
    refused(() => sandbox.resolveForRead("dangling"), TfCode.PERMISSION_DENIED, /file sandbox/);
  });

  test("NUL bytes, over-long and empty paths are INVALID_ARGUMENT; other schemes UNIMPLEMENTED", () => {
    refused(() => sandbox.resolveForRead("models/a\0b"), TfCode.INVALID_ARGUMENT, /NUL byte/);
    refused(() => sandbox.resolveForRead("x".repeat(5000)), TfCode.INVALID_ARGUMENT, /longer than 4096/);
    refused(() => sandbox.resolveForRead(""), TfCode.INVALID_ARGUMENT, /empty/);
    refused(
      () => sandbox.resolveForRead("gs://bucket/ckpt"),
      TfCode.UNIMPLEMENTED,
      /File system scheme 'gs' not implemented/,
    );
  });

  test("a read-only sandbox reads but refuses every write", () => {
    const ro = new FileSandbox({ root, readOnly: true });
    assert.equal(ro.resolveForRead("models/a.txt"), join(ro.root, "models", "a.txt"));
    refused(() => ro.resolveForWrite("models/b.txt"), TfCode.PERMISSION_DENIED, /read-only/);
    refused(() => ro.writeAtomic("models/b.txt", new Uint8Array([1])), TfCode.PERMISSION_DENIED, /read-only/);
  });

  test("writeAtomic replaces the file whole and leaves no temporary file", () => {
    sandbox.writeAtomic("models/a.txt", new TextEncoder().encode("replaced"));
    assert.equal(readFileSync(join(root, "models", "a.txt"), "utf8"), "replaced");
    assert.deepEqual(readdirSync(join(root, "models")), ["a.txt"]);
    refused(
      () => sandbox.writeAtomic("missing/dir/x", new Uint8Array(1)),
      TfCode.NOT_FOUND,
      /missing\/dir\/x/,
    );
  });

  test("without a sandbox every file op is refused, naming the flag", () => {
    refused(
      () => requireFileSandbox(undefined, "ReadFile"),
      TfCode.PERMISSION_DENIED,
      /ReadFile.*--files-root/,
    );
    assert.equal(requireFileSandbox(sandbox, "ReadFile"), sandbox);
  });

  test("the root must be an existing directory", () => {
    assert.throws(() => new FileSandbox({ root: join(base, "nope"), readOnly: false }));
    assert.throws(
      () => new FileSandbox({ root: join(outsideDir, "secret"), readOnly: false }),
      /not a directory/,
    );
  });
});
