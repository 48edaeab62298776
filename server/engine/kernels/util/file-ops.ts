// Shared by the kernels that touch files (ReadFile, WriteFile, MatchingFiles and the checkpoint
// ops): the step's file sandbox as the tensor bundle's BundleFiles, scalar string inputs, and TF's
// glob (Env::GetMatchingPaths, core/platform/file_system_helper.cc) over the sandbox.

import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { invalidArgument, isTfError } from "../../framework/errors.js";
import { type FileSandbox, fileError, requireFileSandbox } from "../../framework/file-sandbox.js";
import type { OpKernelContext } from "../../framework/op-kernel.js";
import { checkAllocation, shapeString } from "../../framework/tensor.js";
import type { BundleFiles } from "../../framework/tensor-bundle/bundle.js";
import { dirname } from "../../framework/tensor-bundle/naming.js";
import { DataType } from "../../framework/types.js";

/** The file system kernels see: the bundle operations plus listing. */
export interface KernelFiles extends BundleFiles {
  /** Names in a directory (not paths); NOT_FOUND / FAILED_PRECONDITION when it is not one. */
  list(dir: string): string[];
  isDirectory(path: string): boolean;
  /** Creates a directory and its parents (TF's RecursivelyCreateDir); "" and "." exist. */
  makeDirs(path: string): void;
}

/** The step's files, or PERMISSION_DENIED when the server has no files root (requireFileSandbox). */
export function stepFiles(ctx: OpKernelContext, op: string): KernelFiles {
  return sandboxFiles(requireFileSandbox(ctx.step.files, op));
}

/** Runs a host file operation, reporting its failure for the graph's own path. */
function io<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw isTfError(e) ? e : fileError(e, path);
  }
}

/** KernelFiles over the sandbox: every path is resolved (and checked) by it before any host call. */
export function sandboxFiles(box: FileSandbox): KernelFiles {
  return {
    readFile: (path) => {
      const host = box.resolveForRead(path);
      return io(path, () => {
        // A whole file becomes one tensor (or an index held in memory): the per-tensor limit
        // applies before anything is read.
        const size = statSync(host).size;
        checkAllocation(DataType.DT_UINT8, size, [size]);
        return new Uint8Array(readFileSync(host));
      });
    },
    readAt: (path, offset, length) => {
      const host = box.resolveForRead(path);
      return io(path, () => {
        const fd = openSync(host, "r");
        try {
          // Never allocate more than the file holds, whatever length an index claims.
          const n = Math.max(0, Math.min(length, fstatSync(fd).size - offset));
          const out = new Uint8Array(n);
          let got = 0;
          while (got < n) {
            const r = readSync(fd, out, got, n - got, offset + got);
            if (r === 0) break;
            got += r;
          }
          return out.subarray(0, got);
        } finally {
          closeSync(fd);
        }
      });
    },
    exists: (path) => {
      const host = box.resolveForRead(path);
      try {
        statSync(host);
        return true;
      } catch {
        return false;
      }
    },
    isDirectory: (path) => {
      const host = box.resolveForRead(path);
      try {
        return statSync(host).isDirectory();
      } catch {
        return false;
      }
    },
    list: (dir) => {
      const host = box.resolveForRead(dir);
      return io(dir, () => readdirSync(host));
    },
    writeAtomic: (path, data) => box.writeAtomic(path, data),
    rename: (from, to) => {
      const a = box.resolveForWrite(from);
      const b = box.resolveForWrite(to);
      io(from, () => renameSync(a, b));
    },
    remove: (path) => {
      const host = box.resolveForWrite(path);
      io(path, () => rmSync(host, { force: true }));
    },
    removeDir: (path) => {
      const host = box.resolveForWrite(path);
      io(path, () => rmdirSync(host));
    },
    makeDir: (path) => {
      if (path === "" || path === ".") return;
      const host = box.resolveForWrite(path);
      try {
        mkdirSync(host);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw fileError(e, path);
      }
    },
    makeDirs: (path) => {
      if (path === "" || path === ".") return;
      const host = box.resolveForWrite(path);
      io(path, () => mkdirSync(host, { recursive: true }));
    },
  };
}

const utf8 = new TextDecoder();

/** Input i as one string (TF's scalar check with the caller's message prefix). */
export function scalarStringInput(ctx: OpKernelContext, i: number, what: string): string {
  const t = ctx.input(i);
  if (t.rank !== 0) throw invalidArgument(`${what} must be scalar, but had shape: ${shapeString(t.shape)}`);
  return utf8.decode((t.data as Uint8Array[])[0]!);
}

const GLOB_CHARS = /[*?[\\]/;

/** One path component against one fnmatch pattern component ('*', '?', '[...]', '\\x'). */
export function matchComponent(pattern: string, name: string): boolean {
  const p = [...pattern];
  const s = [...name];
  const memo = new Map<number, boolean>();
  const go = (pi: number, si: number): boolean => {
    const key = pi * (s.length + 1) + si;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (pi === p.length) r = si === s.length;
    else if (p[pi] === "*") r = go(pi + 1, si) || (si < s.length && go(pi, si + 1));
    else if (si === s.length) r = false;
    else if (p[pi] === "?") r = go(pi + 1, si + 1);
    else if (p[pi] === "[") {
      const cls = matchClass(p, pi, s[si]!);
      r = cls === undefined ? p[pi] === s[si] && go(pi + 1, si + 1) : cls.ok && go(cls.next, si + 1);
    } else if (p[pi] === "\\" && pi + 1 < p.length) r = p[pi + 1] === s[si] && go(pi + 2, si + 1);
    else r = p[pi] === s[si] && go(pi + 1, si + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** A bracket expression at p[at]: whether c is in it and where it ends; undefined if unterminated. */
function matchClass(p: readonly string[], at: number, c: string): { ok: boolean; next: number } | undefined {
  let i = at + 1;
  const negate = p[i] === "!" || p[i] === "^";
  if (negate) i++;
  let ok = false;
  let first = true;
  while (i < p.length && (first || p[i] !== "]")) {
    first = false;
    let lo = p[i]!;
    if (lo === "\\" && i + 1 < p.length) lo = p[++i]!;
    if (p[i + 1] === "-" && i + 2 < p.length && p[i + 2] !== "]") {
      const hi = p[i + 2]!;
      if (lo <= c && c <= hi) ok = true;
      i += 3;
    } else {
      if (lo === c) ok = true;
      i++;
    }
  }
  if (i >= p.length) return undefined;
  return { ok: ok !== negate, next: i + 1 };
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}

/**
 * TF's GetMatchingPaths: a pattern without wildcards names itself if it exists; otherwise the
 * directory before the first wildcard is walked one component at a time ('*' and '?' never
 * cross '/'), and a pattern with no directory part is matched under "." (so results read "./x").
 */
export function globFiles(files: KernelFiles, pattern: string): string[] {
  const first = pattern.search(GLOB_CHARS);
  if (first < 0) return pattern !== "" && files.exists(pattern) ? [pattern] : [];
  let dir = dirname(pattern.slice(0, first));
  let evalPattern = pattern;
  if (dir === "") {
    dir = ".";
    evalPattern = `./${pattern}`;
  }
  const rest = evalPattern
    .slice(dir.length)
    .split("/")
    .filter((c) => c !== "");
  let candidates = files.isDirectory(dir) ? [dir] : [];
  rest.forEach((component, k) => {
    const last = k === rest.length - 1;
    const next: string[] = [];
    for (const c of candidates) {
      if (!GLOB_CHARS.test(component)) {
        const path = joinPath(c, component.replaceAll("\\", ""));
        if (last ? files.exists(path) : files.isDirectory(path)) next.push(path);
        continue;
      }
      if (!files.isDirectory(c)) continue;
      for (const name of files.list(c).sort()) {
        if (!matchComponent(component, name)) continue;
        const path = joinPath(c, name);
        if (last || files.isDirectory(path)) next.push(path);
      }
    }
    candidates = next;
  });
  return candidates;
}
