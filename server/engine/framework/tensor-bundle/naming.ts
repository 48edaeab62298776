// File names of a checkpoint (TF's core/util/tensor_bundle/naming.cc): "<prefix>.index" and
// "<prefix>.data-<shard %05d>-of-<num_shards %05d>".

export function metaFilename(prefix: string): string {
  return `${prefix}.index`;
}

export function dataFilename(prefix: string, shard: number, numShards: number): string {
  const pad = (v: number) => String(v).padStart(5, "0");
  return `${prefix}.data-${pad(shard)}-of-${pad(numShards)}`;
}

/** TF's io::Dirname: everything before the last '/', "" when there is none ("/" for "/x"). */
export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  if (i < 0) return "";
  return i === 0 ? "/" : path.slice(0, i);
}
