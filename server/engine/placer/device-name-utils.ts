// The part of TensorFlow's DeviceNameUtils (tsl/platform/device_name_utils.cc) the placer relies
// on, with TF's exact semantics: ParseFullName (strict: "/"-prefixed components in any order,
// legacy "/cpu:N"; the local forms "CPU:0" and "device:CPU:0" are malformed here, as in TF's
// placer), MergeDevNames / MergeOverrideDevNames, AreCompatibleDevNames, EnsureSpecification,
// IsCompleteSpecification and ParsedNameToString (the form TF prints in placement errors).

import { invalidArgument } from "../framework/errors.js";

/** TF's DeviceNameUtils::ParsedName; an undefined field is TF's has_x == false. */
export interface DevSpec {
  job: string | undefined;
  replica: number | undefined;
  task: number | undefined;
  type: string | undefined;
  id: number | undefined;
}

export function emptySpec(): DevSpec {
  return { job: undefined, replica: undefined, task: undefined, type: undefined, id: undefined };
}

export function copySpec(s: DevSpec): DevSpec {
  return { ...s };
}

const isAlpha = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c);

/** TF's ConsumePrefix: an identifier up to one of `terminators`; undefined when malformed. */
function consumeName(s: string, terminators: string): [string, string] | undefined {
  if (!isAlpha(s[0])) return undefined;
  let end = 0;
  while (end < s.length && !terminators.includes(s[end]!)) end++;
  const name = s.slice(0, end);
  if (!/^[A-Za-z0-9_]*$/.test(name)) return undefined;
  return [name, s.slice(end)];
}

/** TF's ConsumeNumber (leading decimal digits). */
function consumeNumber(s: string): [number, string] | undefined {
  const m = /^\d+/.exec(s);
  if (!m) return undefined;
  return [Number(m[0]), s.slice(m[0].length)];
}

/** TF's DeviceNameUtils::ParseFullName; undefined when `fullname` is not a valid spec. */
export function parseFullName(fullname: string): DevSpec | undefined {
  const p = emptySpec();
  if (fullname === "/") return p;
  let s = fullname;
  const take = (prefix: string): boolean => {
    if (!s.startsWith(prefix)) return false;
    s = s.slice(prefix.length);
    return true;
  };
  const number = (): number | undefined | false => {
    if (take("*")) return undefined;
    const r = consumeNumber(s);
    if (r === undefined) return false;
    s = r[1];
    return r[0];
  };
  while (s !== "") {
    let progress = false;
    if (take("/job:")) {
      if (take("*")) p.job = undefined;
      else {
        const r = consumeName(s, "/");
        if (r === undefined) return undefined;
        [p.job, s] = r;
      }
      progress = true;
    }
    if (take("/replica:")) {
      const v = number();
      if (v === false) return undefined;
      p.replica = v;
      progress = true;
    }
    if (take("/task:")) {
      const v = number();
      if (v === false) return undefined;
      p.task = v;
      progress = true;
    }
    if (take("/device:")) {
      if (take("*")) p.type = undefined;
      else {
        const r = consumeName(s, "/:");
        if (r === undefined) return undefined;
        [p.type, s] = r;
      }
      if (!take(":")) p.id = undefined;
      else {
        const v = number();
        if (v === false) return undefined;
        p.id = v;
      }
      progress = true;
    }
    for (const [prefixes, type] of [
      [["/cpu:", "/CPU:"], "CPU"],
      [["/gpu:", "/GPU:"], "GPU"],
    ] as const) {
      if (prefixes.some((x) => take(x))) {
        p.type = type;
        const v = number();
        if (v === false) return undefined;
        p.id = v;
        progress = true;
      }
    }
    if (!progress) return undefined;
  }
  return p;
}

/** TF's ParsedNameToString: "/job:a/replica:0/task:0/device:CPU:0", "/device:CPU:*", "". */
export function specToString(p: DevSpec): string {
  let buf = "";
  if (p.job !== undefined) buf += `/job:${p.job}`;
  if (p.replica !== undefined) buf += `/replica:${p.replica}`;
  if (p.task !== undefined) buf += `/task:${p.task}`;
  if (p.type !== undefined) buf += `/device:${p.type}:${p.id ?? "*"}`;
  return buf;
}

export function hasSomeDetails(p: DevSpec): boolean {
  return (
    p.job !== undefined ||
    p.replica !== undefined ||
    p.task !== undefined ||
    p.type !== undefined ||
    p.id !== undefined
  );
}

/** TF's ParsedName::operator==. */
export function specsEqual(a: DevSpec, b: DevSpec): boolean {
  return (
    a.job === b.job && a.replica === b.replica && a.task === b.task && a.type === b.type && a.id === b.id
  );
}

/** TF's IsCompleteSpecification(pattern, name): every field the pattern has equals name's. */
export function specMatches(pattern: DevSpec, name: DevSpec): boolean {
  return (
    (pattern.job === undefined || pattern.job === name.job) &&
    (pattern.replica === undefined || pattern.replica === name.replica) &&
    (pattern.task === undefined || pattern.task === name.task) &&
    (pattern.type === undefined || pattern.type === name.type) &&
    (pattern.id === undefined || pattern.id === name.id)
  );
}

/** TF's AreCompatibleDevNames: no field is set differently in both. */
export function areCompatible(a: DevSpec, b: DevSpec): boolean {
  const clash = <T>(x: T | undefined, y: T | undefined) => x !== undefined && y !== undefined && x !== y;
  return !(
    clash(a.job, b.job) ||
    clash(a.replica, b.replica) ||
    clash(a.task, b.task) ||
    clash(a.type, b.type) ||
    clash(a.id, b.id)
  );
}

/** TF's EnsureSpecification: copies every field less_specific has into more_specific. */
export function ensureSpecification(moreSpecific: DevSpec, lessSpecific: DevSpec): void {
  if (lessSpecific.job !== undefined) moreSpecific.job = lessSpecific.job;
  if (lessSpecific.replica !== undefined) moreSpecific.replica = lessSpecific.replica;
  if (lessSpecific.task !== undefined) moreSpecific.task = lessSpecific.task;
  if (lessSpecific.type !== undefined) moreSpecific.type = lessSpecific.type;
  if (lessSpecific.id !== undefined) moreSpecific.id = lessSpecific.id;
}

function incompatible(what: string, target: DevSpec, other: DevSpec): Error {
  return invalidArgument(
    `Cannot merge devices with incompatible ${what}: '${specToString(target)}' and '${specToString(other)}'`,
  );
}

/**
 * TF's MergeDevNamesImpl: merges `other` into `target` (mutated even on error, as TF's is; callers
 * merge into copies). Conflicting job/replica/task always fail; a conflicting type or id fails
 * unless soft placement is allowed, when the type/id constraint is dropped (or, with
 * overrideConflicts, replaced by other's).
 */
function mergeImpl(
  target: DevSpec,
  other: DevSpec,
  allowSoftPlacement: boolean,
  overrideConflicts: boolean,
): void {
  if (other.job !== undefined) {
    if (target.job !== undefined && target.job !== other.job) throw incompatible("jobs", target, other);
    target.job = other.job;
  }
  if (other.replica !== undefined) {
    if (target.replica !== undefined && target.replica !== other.replica)
      throw incompatible("replicas", target, other);
    target.replica = other.replica;
  }
  if (other.task !== undefined) {
    if (target.task !== undefined && target.task !== other.task) throw incompatible("tasks", target, other);
    target.task = other.task;
  }
  if (other.type !== undefined) {
    if (target.type !== undefined && target.type !== other.type) {
      if (!allowSoftPlacement) throw incompatible("types", target, other);
      if (overrideConflicts) target.type = other.type;
      else {
        target.id = undefined;
        target.type = undefined;
        return;
      }
    } else {
      target.type = other.type;
    }
  }
  if (other.id !== undefined) {
    if (target.id !== undefined && target.id !== other.id) {
      if (!allowSoftPlacement) throw incompatible("ids", target, other);
      if (overrideConflicts) target.id = other.id;
      else {
        target.id = undefined;
        return;
      }
    } else {
      target.id = other.id;
    }
  }
}

/** TF's MergeDevNames(target, other, allow_soft_placement). Throws INVALID_ARGUMENT. */
export function mergeDevNames(target: DevSpec, other: DevSpec, allowSoftPlacement = false): void {
  mergeImpl(target, other, allowSoftPlacement, false);
}

/** TF's MergeOverrideDevNames: other's type/id win over target's. */
export function mergeOverrideDevNames(target: DevSpec, other: DevSpec): void {
  mergeImpl(target, other, true, true);
}
