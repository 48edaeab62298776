// TensorFlow's TensorId (core/graph/tensor_id.h): "node", "node:k" and "^node" strings.

/** A parsed tensor name. index -1 means a control edge ("^node"). */
export interface TensorId {
  readonly node: string;
  readonly index: number;
}

/**
 * TF's ParseTensorName: "n" ≡ "n:0", "n:k" = output k, "^n" = control (index -1). A suffix that is
 * not a plain decimal number is part of the node name (TF does the same).
 */
export function parseTensorName(name: string): TensorId {
  if (name.startsWith("^")) return { node: name.slice(1), index: -1 };
  const colon = name.lastIndexOf(":");
  if (colon > 0) {
    const digits = name.slice(colon + 1);
    if (/^(0|[1-9][0-9]*)$/.test(digits) && digits.length <= 9) {
      return { node: name.slice(0, colon), index: Number(digits) };
    }
  }
  return { node: name, index: 0 };
}

/** "node:k", or "^node" for control. */
export function tensorIdString(id: TensorId): string {
  return id.index < 0 ? `^${id.node}` : `${id.node}:${id.index}`;
}
