// TF's DecodeCSV (core/kernels/decode_csv_op.cc): splits each record into fields (one-character
// delimiter, RFC 4180 quotes when use_quote_delim) and converts field i to OUT_TYPE[i]; an empty
// field, or one equal to na_value, takes the column's default (an error when it has none).
// select_cols keeps only the listed columns.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrIntList, getAttrString, getAttrTypeList } from "../framework/op-def.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/** ExtractFields: the record's fields, or TF's error for bad quoting. */
function extractFields(input: string, delim: string, quotes: boolean): string[] {
  const out: string[] = [];
  if (input.length === 0) return out;
  let i = 0;
  while (i < input.length) {
    if (input[i] === "\n" || input[i] === "\r") {
      i++;
      continue;
    }
    const quoted = quotes && input[i] === '"';
    if (quoted) i++;
    let field = "";
    if (!quoted) {
      while (i < input.length && input[i] !== delim) {
        const c = input[i]!;
        if ((quotes && c === '"') || c === "\n" || c === "\r") {
          throw invalidArgument("Unquoted fields cannot have quotes/CRLFs inside");
        }
        field += c;
        i++;
      }
      i++;
    } else {
      while (i < input.length - 1 && (input[i] !== '"' || input[i + 1] !== delim)) {
        if (input[i] !== '"') {
          field += input[i];
          i++;
        } else {
          if (input[i + 1] !== '"')
            throw invalidArgument("Quote inside a string has to be escaped by another quote");
          field += '"';
          i += 2;
        }
      }
      if (!(i < input.length && input[i] === '"' && (i === input.length - 1 || input[i + 1] === delim))) {
        throw invalidArgument("Quoted field has to end with quote followed by delim or end");
      }
      i += 2;
    }
    out.push(field);
  }
  if (input[input.length - 1] === delim) out.push("");
  return out;
}

const INT = /^\s*[+-]?\d+\s*$/;
const FLOAT = /^\s*[+-]?((\d+\.?\d*|\.\d+)(e[+-]?\d+)?|inf|infinity|nan)\s*$/i;

/** strings::safe_strto32 / safe_strto64 / safe_strtof / safe_strtod; undefined when invalid. */
function parseNumber(field: string, dtype: DataType): number | bigint | undefined {
  if (dtype === DataType.DT_INT32 || dtype === DataType.DT_INT64) {
    if (!INT.test(field)) return undefined;
    const v = BigInt(field.trim());
    const bits = dtype === DataType.DT_INT32 ? 32 : 64;
    if (BigInt.asIntN(bits, v) !== v) return undefined;
    return dtype === DataType.DT_INT32 ? Number(v) : v;
  }
  if (!FLOAT.test(field)) return undefined;
  const t = field.trim().toLowerCase().replace(/^\+/, "");
  const sign = t.startsWith("-") ? -1 : 1;
  const body = t.replace(/^-/, "");
  if (body === "nan") return Number.NaN;
  if (body.startsWith("inf")) return sign * Infinity;
  return Number(t);
}

const TYPE_WORD: Partial<Record<DataType, string>> = {
  [DataType.DT_INT32]: "int32",
  [DataType.DT_INT64]: "int64",
  [DataType.DT_FLOAT]: "float",
  [DataType.DT_DOUBLE]: "double",
};

export const decodeCSVConfig: KernelConfig = {
  op: {
    name: "DecodeCSV",
    inputs: ["records: string", "record_defaults: OUT_TYPE"],
    outputs: ["output: OUT_TYPE"],
    attrs: [
      "OUT_TYPE: list({float,double,int32,int64,string}) >= 1",
      "field_delim: string = ','",
      "use_quote_delim: bool = true",
      "na_value: string = ''",
      "select_cols: list(int) = []",
    ],
  },
  kernel: cpuKernel("DecodeCSV", (c) => {
    const types = getAttrTypeList(c.attrs, "OUT_TYPE");
    const delim = getAttrString(c.attrs, "field_delim");
    const quotes = getAttrBool(c.attrs, "use_quote_delim");
    const na = getAttrString(c.attrs, "na_value");
    const select = getAttrIntList(c.attrs, "select_cols");
    if (select.length !== 0 && select.length !== types.length) {
      throw invalidArgument("select_cols should match output size");
    }
    select.forEach((col, i) => {
      if (col < 0) throw invalidArgument("select_cols should be non-negative indices");
      if (i > 0 && col <= select[i - 1]!)
        throw invalidArgument("select_cols should be strictly increasing indices");
    });
    if (delim.length !== 1) throw invalidArgument("field_delim should be only 1 char");
    return {
      compute(ctx) {
        const records = ctx.input(0);
        const defaults = types.map((_, i) => ctx.input(1 + i));
        defaults.forEach((d, i) => {
          if (d.numElements >= 2) {
            throw invalidArgument(
              `There should only be 1 default per field but field ${i} has ${d.numElements}`,
            );
          }
        });
        const outs = types.map((t) => Tensor.zeros(t, records.shape));
        (records.data as Uint8Array[]).forEach((bytes, r) => {
          let fields = extractFields(utf8.decode(bytes), delim, quotes);
          if (select.length > 0)
            fields = select.filter((col) => col < fields.length).map((col) => fields[col]!);
          if (fields.length !== types.length) {
            throw invalidArgument(`Expect ${types.length} fields but have ${fields.length} in record ${r}`);
          }
          fields.forEach((field, f) => {
            const out = outs[f]!.data as unknown as unknown[];
            if (field === "" || field === na) {
              if (defaults[f]!.numElements !== 1) {
                throw invalidArgument(`Field ${f} is required but missing in record ${r}!`);
              }
              out[r] = (defaults[f]!.data as unknown as unknown[])[0];
              return;
            }
            if (types[f] === DataType.DT_STRING) {
              out[r] = encoder.encode(field);
              return;
            }
            const v = parseNumber(field, types[f]!);
            if (v === undefined) {
              throw invalidArgument(
                `Field ${f} in record ${r} is not a valid ${TYPE_WORD[types[f]!]}: ${field}`,
              );
            }
            out[r] = v;
          });
        });
        for (const [i, t] of outs.entries()) ctx.setOutput(i, t);
      },
    };
  }),
};
