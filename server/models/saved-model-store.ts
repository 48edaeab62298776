// SavedModels under the operator's file sandbox: finding them (directories holding saved_model.pb
// or saved_model.pbtxt, named by their path relative to the root), turning a name from a request
// into a directory without ever leaving the root, and reading the SavedModel proto
// (tensorflow/core/protobuf/saved_model.proto; TF's reader is cc/saved_model/reader.cc).
//
// A name is untrusted input. It must be a relative path of plain segments (no "", ".", "..", hidden
// ".x" segments, backslashes or NUL) and no component of the directory it names may be a symbolic link: the
// listing never follows links either, so a name resolves exactly when the listing could show it,
// and a link inside the root cannot lead a request out of it.

import { lstat, open, readdir, realpath } from "node:fs/promises";
import { join, sep } from "node:path";
import { createRegistry, fromBinary } from "@bufbuild/protobuf";
import { fromText } from "@bufbuild/protobuf/txtpb";
import { type SavedModel, SavedModelSchema } from "../../gen/tensorflow/core/protobuf/saved_model_pb.js";
import {
  invalidArgument,
  notFound,
  resourceExhausted,
  type TfError,
  unknown,
} from "../engine/framework/errors.js";
import type { FileSandbox } from "../engine/framework/file-sandbox.js";

/** The files TF's loader looks for, binary first (cc/saved_model/constants.h). */
export const savedModelFiles = ["saved_model.pb", "saved_model.pbtxt"] as const;

/** The checkpoint prefix inside a SavedModel directory: variables/variables.{index,data-*}. */
export const variablesPrefix = "variables/variables";

/** One SavedModel found under the root. */
export interface ModelEntry {
  /** Path relative to the root, "/"-separated (e.g. "digits" or "vision/digits"). */
  readonly name: string;
  /** Which of the two files holds the SavedModel. */
  readonly file: (typeof savedModelFiles)[number];
}

export interface SavedModelStoreLimits {
  /** Deepest directory (below the root) the listing walks into. Default 8. */
  readonly maxDepth: number;
  /** Most directories the listing reads before it stops (a bound on one request's work). Default 10,000. */
  readonly maxDirectories: number;
  /** Largest saved_model.pb(txt) read, in bytes. Default 1 GiB. */
  readonly maxFileBytes: number;
}

const defaultLimits: SavedModelStoreLimits = {
  maxDepth: 8,
  maxDirectories: 10_000,
  maxFileBytes: 1024 ** 3,
};

/** Model names are paths: plain segments joined by "/", each at most 255 bytes (a file name). */
export function checkModelName(name: string): string[] {
  if (name === "") throw invalidArgument("A model name must not be empty");
  if (name.startsWith("/"))
    throw invalidArgument(`Model name "${name}" must be relative to the model directory`);
  if (name.includes("\\") || name.includes("\0")) {
    throw invalidArgument(`Model name "${name}" must not contain a backslash or NUL`);
  }
  const segments = name.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw invalidArgument(`Model name "${name}" must be a path of plain segments (no "", "." or "..")`);
    }
    // Hidden directories (.git, a writer's temporary files) are not listed, so not served either.
    if (segment.startsWith(".")) throw invalidArgument(`Model name "${name}" has a hidden segment`);
    if (Buffer.byteLength(segment) > 255)
      throw invalidArgument(`Model name "${name}" has a segment too long`);
  }
  return segments;
}

/** Reads SavedModels under one root directory (the sandbox's). Stateless: every call looks again. */
export class SavedModelStore {
  private readonly limits: SavedModelStoreLimits;
  /** The sandbox's root, symlinks resolved. */
  readonly root: string;

  constructor(
    private readonly sandbox: FileSandbox,
    limits: Partial<SavedModelStoreLimits> = {},
  ) {
    this.root = sandbox.root;
    this.limits = { ...defaultLimits, ...limits };
  }

  /** Every SavedModel under the root, sorted by name. Does not descend into a model's directory. */
  async list(): Promise<ModelEntry[]> {
    const found: ModelEntry[] = [];
    let budget = this.limits.maxDirectories;
    const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
      if (budget-- <= 0) return;
      let entries: import("node:fs").Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return; // unreadable or vanished: not a model directory
      }
      const file = savedModelFiles.find((f) => entries.some((e) => e.isFile() && e.name === f));
      if (file !== undefined && prefix !== "") {
        found.push({ name: prefix, file });
        return;
      }
      if (depth >= this.limits.maxDepth) return;
      const dirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name);
      for (const name of dirs.sort()) {
        if (isPlainSegment(name))
          await walk(join(dir, name), prefix === "" ? name : `${prefix}/${name}`, depth + 1);
      }
    };
    await walk(this.root, "", 0);
    return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * The model's directory (absolute) and file. NOT_FOUND when the name names no SavedModel;
   * INVALID_ARGUMENT for a malformed name or one that passes through a symbolic link.
   */
  async resolve(name: string): Promise<{ dir: string; file: (typeof savedModelFiles)[number] }> {
    const segments = checkModelName(name);
    // The sandbox's own rules first (traversal, escaping links), then ours: no link at all.
    this.sandbox.resolveForRead(name);
    const realRoot = this.root;
    let dir = realRoot;
    for (const segment of segments) {
      dir = join(dir, segment);
      const stat = await lstat(dir).catch(() => undefined);
      if (stat === undefined) throw modelNotFound(name);
      if (stat.isSymbolicLink()) {
        throw invalidArgument(`Model name "${name}" passes through a symbolic link, which is not served`);
      }
      if (!stat.isDirectory()) throw modelNotFound(name);
    }
    // Belt and braces: the walk above saw no links, so the real path is the joined one.
    if (!(await realpath(dir)).startsWith(realRoot + sep)) throw modelNotFound(name);
    for (const file of savedModelFiles) {
      const stat = await lstat(join(dir, file)).catch(() => undefined);
      if (stat?.isFile()) return { dir, file };
    }
    throw modelNotFound(name);
  }

  /** Reads and parses the model's SavedModel proto. */
  async read(name: string): Promise<SavedModel> {
    const { dir, file } = await this.resolve(name);
    const bytes = await readBounded(join(dir, file), this.limits.maxFileBytes);
    try {
      return file === "saved_model.pb"
        ? fromBinary(SavedModelSchema, bytes)
        : fromText(SavedModelSchema, new TextDecoder().decode(bytes), { registry: textRegistry });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw invalidArgument(`Model "${name}": ${file} is not a valid SavedModel: ${reason}`);
    }
  }

  /** True when the model has a variables checkpoint (variables/variables.index is a regular file). */
  async hasVariables(name: string): Promise<boolean> {
    const { dir } = await this.resolve(name);
    const stat = await lstat(join(dir, `${variablesPrefix}.index`)).catch(() => undefined);
    return stat?.isFile() === true;
  }
}

// Text-format SavedModels may hold google.protobuf.Any values; they are read as opaque bytes.
const textRegistry = createRegistry(SavedModelSchema);

function isPlainSegment(name: string): boolean {
  return name !== "." && name !== ".." && !name.includes("\\") && !name.includes("\0");
}

function modelNotFound(name: string): TfError {
  return notFound(`No SavedModel named "${name}" in the model directory`);
}

/** Reads a regular file (not following a final symlink: O_NOFOLLOW) of at most `max` bytes. */
async function readBounded(path: string, max: number): Promise<Uint8Array> {
  const { constants } = await import("node:fs");
  let handle: import("node:fs/promises").FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    throw unknown(`Cannot read ${path.split(sep).slice(-2).join("/")}: ${(e as Error).message}`);
  }
  try {
    const { size } = await handle.stat();
    if (size > max) throw resourceExhausted(`SavedModel file of ${size} bytes exceeds the limit of ${max}`);
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}
