// The operator's file sandbox: the one directory (`tfgate serve --files-root DIR`) inside which ops
// may read and write files. TF resolves a graph's file paths against the whole filesystem of the
// server (core/platform/file_system.h); a gateway reachable from browsers cannot, so every op that
// touches a file (checkpoints, ReadFile/WriteFile, MatchingFiles, file datasets, summary writers)
// turns the graph's path into a host path here, and nowhere else.
//
// Rules (docs/security.md):
// - a relative path is relative to the root; an absolute path must already lie inside it;
// - the path may not leave the root, lexically (`..`) or through a symlink, for reading or writing;
// - NUL bytes and over-long paths are INVALID_ARGUMENT; other URI schemes than file:// are
//   UNIMPLEMENTED, as TF answers for a file system it does not have;
// - in read-only mode every write is PERMISSION_DENIED;
// - messages name the sandbox and the graph's own path, never a host path the caller did not give.
//
// Symlinks are checked when the path is resolved; a symlink swapped in between the check and the
// open is outside this model (the operator owns the directory).

import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { TfError } from "./errors.js";
import {
  alreadyExists,
  failedPrecondition,
  internal,
  invalidArgument,
  notFound,
  permissionDenied,
  unimplemented,
} from "./errors.js";

/** Longest graph path accepted (Linux's PATH_MAX). */
export const MAX_PATH_BYTES = 4096;

/** What the operator chose: the root directory and whether ops may write under it. */
export interface FileSandboxConfig {
  readonly root: string;
  readonly readOnly: boolean;
}

export class FileSandbox {
  /** The root with symlinks resolved: every resolved path must lie under it. */
  readonly root: string;
  readonly readOnly: boolean;

  /** Throws a plain Error when the root is not an existing directory (an operator mistake). */
  constructor(config: FileSandboxConfig) {
    const root = realpathSync(resolve(config.root));
    if (!statSync(root).isDirectory()) throw new Error(`files root ${config.root} is not a directory`);
    this.root = root;
    this.readOnly = config.readOnly;
  }

  /** The host path for reading the graph's `path`; the file itself need not exist yet. */
  resolveForRead(path: string): string {
    const host = this.lexical(path);
    this.checkReal(path, host);
    return host;
  }

  /** The host path for creating or replacing `path`. Refused in read-only mode. */
  resolveForWrite(path: string): string {
    if (this.readOnly) {
      throw permissionDenied(
        `Cannot write '${path}': the server's file sandbox is read-only (--files-read-only)`,
      );
    }
    return this.resolveForRead(path);
  }

  /** The graph-facing form of a host path inside the root (for ops that list files). */
  toGraphPath(host: string, like: string): string {
    const rel = relative(this.root, host);
    if (isAbsolute(stripScheme(like))) return host;
    return rel === "" ? "." : rel;
  }

  /**
   * Writes `data` to `path` so that readers see the old file or the whole new one, never a part:
   * a temporary file beside it, synced, then renamed over it (what TF's checkpoint writer does).
   */
  writeAtomic(path: string, data: Uint8Array): void {
    const host = this.resolveForWrite(path);
    const temp = join(dirname(host), `.${basename(host)}.tempstate${randomBytes(8).toString("hex")}`);
    try {
      const fd = openSync(temp, "wx", 0o644);
      try {
        let off = 0;
        while (off < data.length) off += writeSync(fd, data, off, data.length - off);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, host);
    } catch (e) {
      rmSync(temp, { force: true });
      throw fileError(e, path);
    }
  }

  /** Checks the path's shape and joins it to the root, refusing any escape by `..`. */
  private lexical(path: string): string {
    if (path.includes("\0")) throw invalidArgument(`File path contains a NUL byte: '${printable(path)}'`);
    if (Buffer.byteLength(path) > MAX_PATH_BYTES) {
      throw invalidArgument(`File path is longer than ${MAX_PATH_BYTES} bytes`);
    }
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(path)?.[1];
    if (scheme !== undefined && scheme !== "file") {
      throw unimplemented(`File system scheme '${scheme}' not implemented (file: '${path}')`);
    }
    const plain = stripScheme(path);
    if (plain === "") throw invalidArgument("File path is empty");
    const host = resolve(this.root, plain);
    if (!this.contains(host)) throw outside(path);
    return host;
  }

  /** Resolves symlinks along the longest existing prefix of `host` and checks it stays inside. */
  private checkReal(path: string, host: string): void {
    let existing = host;
    for (;;) {
      try {
        lstatSync(existing);
        break;
      } catch {
        const parent = dirname(existing);
        if (parent === existing) return;
        existing = parent;
      }
    }
    let real: string;
    try {
      real = realpathSync(existing);
    } catch {
      // A dangling symlink: where it points is unknown, so it is treated as leaving.
      throw outside(path);
    }
    if (!this.contains(real)) throw outside(path);
  }

  private contains(host: string): boolean {
    return host === this.root || host.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep);
  }
}

/** Builds the sandbox an engine runs with, or undefined when the operator gave no root. */
export function openFileSandbox(config: FileSandboxConfig | undefined): FileSandbox | undefined {
  return config === undefined ? undefined : new FileSandbox(config);
}

/**
 * The sandbox for an op that touches files, or TF's PERMISSION_DENIED when the server has none: a
 * gateway never opens its filesystem to graphs unless the operator chose a directory.
 */
export function requireFileSandbox(files: FileSandbox | undefined, op: string): FileSandbox {
  if (files !== undefined) return files;
  throw permissionDenied(
    `${op} is not allowed: this server has no file sandbox (start tfgate with --files-root DIR ` +
      "to let ops read and write files under DIR)",
  );
}

/** A filesystem error as TF reports it for the graph's own path (posix errno → TF code). */
export function fileError(e: unknown, path: string): TfError {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return notFound(`${path}; No such file or directory`);
    case "EEXIST":
      return alreadyExists(`${path}; File exists`);
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return permissionDenied(`${path}; Permission denied`);
    case "EISDIR":
      return failedPrecondition(`${path}; Is a directory`);
    case "ENOTDIR":
      return failedPrecondition(`${path}; Not a directory`);
    case "ENOSPC":
      return internal(`${path}; No space left on device`);
    default:
      return internal(`${path}; ${code ?? "I/O error"}`);
  }
}

function stripScheme(path: string): string {
  return path.startsWith("file://") ? path.slice("file://".length) : path;
}

function outside(path: string): TfError {
  return permissionDenied(
    `Path '${path}' is outside the server's file sandbox: file paths must lie under the directory ` +
      "given by --files-root (relative paths resolve inside it)",
  );
}

function printable(path: string): string {
  return path.replace(/\0/g, "\\0");
}
