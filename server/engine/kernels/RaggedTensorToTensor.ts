// TF's RaggedTensorToTensor (core/kernels/ragged_tensor_to_tensor_op.cc, RaggedTensor.to_tensor):
// pads a ragged tensor (flat values plus one row partition per ragged dim: FIRST_DIM_SIZE then
// VALUE_ROWIDS, or ROW_SPLITS) into a dense tensor of `shape` (-1 or unknown dims: the ragged
// tensor's own size, rows too long are cut), the holes filled with default_value broadcast to
// the values' inner shape.

import { invalidArgument } from "../framework/errors.js";
import { getAttrList } from "../framework/op-def.js";
import { checkAllocation, numElements, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { broadcastTo } from "./BroadcastTo.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

export type PartitionType = "FIRST_DIM_SIZE" | "VALUE_ROWIDS" | "ROW_SPLITS";
const PARTITION_TYPES: readonly string[] = ["FIRST_DIM_SIZE", "VALUE_ROWIDS", "ROW_SPLITS"];

export function parsePartitionTypes(names: readonly string[]): PartitionType[] {
  for (const n of names) {
    if (!PARTITION_TYPES.includes(n)) throw invalidArgument(`Unknown string for partition info type: ${n}`);
  }
  return names as PartitionType[];
}

/** The `shape` input as dims (-1 = unknown), or undefined for an unknown rank (a scalar -1). */
function requestedShape(t: Tensor): number[] | undefined {
  const v = readInts(t);
  if (t.rank === 0) {
    if (v[0] === -1) return undefined;
    throw invalidArgument(`Shape must be a vector or the scalar -1, got ${shapeString(t.shape)}`);
  }
  return v;
}

function checkDefaultShape(def: readonly number[], values: readonly number[]): void {
  const fail = (why: string) =>
    invalidArgument(
      `default_value.shape=${shapeString(def)} and rt_input.flat_values.shape=${shapeString(values)} are incompatible: ${why}`,
    );
  if (def.length >= values.length) {
    throw fail(
      `default_value.rank = ${def.length}  must be less than rt_input.flat_values.rank = ${values.length}`,
    );
  }
  for (let i = 0; i < def.length; i++) {
    const d = def[i]!;
    const v = values[i + 1]!;
    if (d !== 1 && d !== v) {
      throw fail(
        `default_value.shape[${i - def.length}] = ${d} but rt_input.flat_values.shape[${i - def.length}] = ${v}`,
      );
    }
  }
}

/** TF's CombineRaggedTensorToTensorShapes: the output dims, -1 where still unknown. */
function combineShapes(raggedRank: number, shape: number[] | undefined, values: readonly number[]): number[] {
  const rank = raggedRank + values.length;
  const out = shape ? [...shape] : new Array<number>(rank).fill(-1);
  // TF prints a partial shape with "?" for unknown dims.
  const asked = shape ? `[${shape.map((d) => (d < 0 ? "?" : d)).join(",")}]` : "<unknown>";
  if (out.length !== rank) {
    throw invalidArgument(
      `rt_input.shape and shape=${asked} are incompatible: rt_input.rank = ${rank} but shape.rank = ${out.length}`,
    );
  }
  for (let i = 1; i < values.length; i++) {
    const at = out.length - values.length + i;
    if (out[at]! >= 0 && out[at] !== values[i]) {
      throw invalidArgument(
        `rt_input.shape and shape=${asked} are incompatible: rt_input.shape[${i + raggedRank}] = ${values[i]} ` +
          `but shape[${i + raggedRank}] = ${out[at]}`,
      );
    }
    out[at] = values[i]!;
  }
  return out;
}

function maxWidth(type: PartitionType, p: readonly number[]): number {
  let best = 0;
  if (type === "ROW_SPLITS") {
    for (let i = 0; i + 1 < p.length; i++) best = Math.max(best, p[i + 1]! - p[i]!);
    return best;
  }
  let start = 0;
  for (let i = 1; i <= p.length; i++) {
    if (i === p.length || p[i] !== p[start]) {
      best = Math.max(best, i - start);
      start = i;
    }
  }
  return best;
}

/** Output offsets (in elements of `mult`) of the children of each parent; -1 = cut off. */
function childIndex(
  type: PartitionType,
  p: readonly number[],
  parent: readonly number[],
  mult: number,
  width: number,
): number[] {
  const out: number[] = [];
  if (type === "ROW_SPLITS") {
    if (p.length - 1 > parent.length) {
      throw invalidArgument(
        `Row partition size is greater than output size: ${p.length - 1} > ${parent.length}`,
      );
    }
    // One entry per value the splits claim: check that count before building the entries.
    checkAllocation(DataType.DT_INT64, Math.max(0, p[p.length - 1] ?? 0));
    for (let i = 0; i + 1 < p.length; i++) {
      const len = p[i + 1]! - p[i]!;
      const keep = parent[i] === -1 ? 0 : Math.min(width, len);
      for (let j = 0; j < len; j++) out.push(j < keep ? parent[i]! + j * mult : -1);
    }
    if (p.length > 0 && out.length !== p[p.length - 1]) throw invalidArgument("Invalid row split size.");
    return out;
  }
  let column = 0;
  for (let i = 0; i < p.length; i++) {
    const row = p[i]!;
    if (row >= parent.length || row < 0) {
      const which = i === 0 ? "current_value_rowid" : "next_value_rowid";
      throw invalidArgument(`Got ${which}=${row} which is not less than ${parent.length}`);
    }
    column = i > 0 && row === p[i - 1] ? column + 1 : 0;
    out.push(parent[row] === -1 || column >= width ? -1 : parent[row]! + column * mult);
  }
  return out;
}

export function raggedTensorToTensor(
  shapeT: Tensor,
  values: Tensor,
  defaultValue: Tensor,
  partitions: readonly Tensor[],
  types: readonly PartitionType[],
): Tensor {
  const first = partitions[0]!;
  if (first.numElements === 0) {
    throw invalidArgument("Invalid first partition input. Tensor requires at least one element.");
  }
  const firstDimSize = types[0] === "FIRST_DIM_SIZE";
  if (types[0] === "VALUE_ROWIDS") throw invalidArgument("Cannot handle VALUE_ROWIDS in first dimension.");
  const firstDim = firstDimSize ? readInts(first)[0]! : first.shape[0]! - 1;
  const levels = firstDimSize ? types.slice(1) : types;
  const parts = (firstDimSize ? partitions.slice(1) : partitions).map(readInts);
  const raggedRank = levels.length;
  checkDefaultShape(defaultValue.shape, values.shape);
  const size = combineShapes(raggedRank, requestedShape(shapeT), values.shape);
  for (const d of size) if (d < -1) throw invalidArgument(`Invalid dimension size: ${d}`);
  if (size[0] === -1) size[0] = firstDim;
  for (let i = 1; i <= raggedRank; i++) if (size[i]! < 0) size[i] = maxWidth(levels[i - 1]!, parts[i - 1]!);
  const mult = new Array<number>(raggedRank + 1).fill(1);
  for (let i = raggedRank - 1; i >= 0; i--) mult[i] = mult[i + 1]! * size[i + 1]!;
  const n = numElements(size);
  const out = allocIndexable(values.dtype, n, size);
  const inner = size.slice(raggedRank + 1);
  const block = numElements(inner);
  const lanes = lanesOf(values.dtype);
  // The default value broadcast to one inner block, then repeated into every slot.
  const fill = storage(broadcastTo(defaultValue, inner));
  for (let i = 0; i < n * lanes; i++) out[i] = fill[i % (block * lanes)];
  if (n === 0) return new Tensor(values.dtype, size, out as unknown as Tensor["data"]);
  // FIRST_DIM_SIZE is a value from a tensor: check it before building one entry per row.
  checkAllocation(DataType.DT_INT64, Math.max(0, firstDim));
  let index = Array.from({ length: Math.max(0, firstDim) }, (_, i) => (i < size[0]! ? i * mult[0]! : -1));
  for (let i = 0; i < raggedRank; i++)
    index = childIndex(levels[i]!, parts[i]!, index, mult[i + 1]!, size[i + 1]!);
  const src = storage(values);
  const rows = Math.min(index.length, values.shape[0] ?? 0);
  for (let v = 0; v < rows; v++) {
    const at = index[v]!;
    if (at < 0) continue;
    for (let k = 0; k < block * lanes; k++) out[at * block * lanes + k] = src[v * block * lanes + k];
  }
  return new Tensor(values.dtype, size, out as unknown as Tensor["data"]);
}

export const raggedTensorToTensorConfig: KernelConfig = {
  op: {
    name: "RaggedTensorToTensor",
    inputs: [
      "shape: Tshape",
      "values: T",
      "default_value: T",
      "row_partition_tensors: num_row_partition_tensors * Tindex",
    ],
    outputs: ["result: T"],
    attrs: [
      "T: type",
      "Tindex: {int64, int32}",
      "Tshape: {int64, int32}",
      "num_row_partition_tensors: int >= 1",
      "row_partition_types: list(string)",
    ],
  },
  kernel: cpuKernel("RaggedTensorToTensor", (c) => {
    const dec = new TextDecoder();
    const types = parsePartitionTypes(
      getAttrList(c.attrs, "row_partition_types").s.map((b) => dec.decode(b)),
    );
    return {
      compute(ctx) {
        const partitions = Array.from({ length: ctx.numInputs - 3 }, (_, i) => ctx.input(3 + i));
        ctx.setOutput(0, raggedTensorToTensor(ctx.input(0), ctx.input(1), ctx.input(2), partitions, types));
      },
    };
  }),
};
