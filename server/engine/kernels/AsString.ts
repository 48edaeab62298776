// TF's AsString (core/kernels/as_string_op.cc): formats numbers with a printf conversion built
// from the attrs ("%<fill><width>.<precision><f|e|g>" for floats, "%<fill><width>d" for
// integers), bools as "true"/"false", complex as "(re,im)".

import { invalidArgument } from "../framework/errors.js";
import { bfloat16ToFloat, halfToFloat } from "../framework/float16.js";
import { getAttrBool, getAttrInt, getAttrString, getAttrType } from "../framework/op-def.js";
import { allocData, chargeStringBytes, Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString, isFloatingType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { formatE, formatF, formatG } from "./util/summarize-value.js";

const enc = new TextEncoder();

export interface AsStringOptions {
  readonly precision: number;
  readonly scientific: boolean;
  readonly shortest: boolean;
  readonly width: number;
  readonly fill: string;
}

function padTo(s: string, width: number, fill: string): string {
  if (width < 0 || s.length >= width) return s;
  if (fill === "0") {
    const sign = s.startsWith("-") || s.startsWith("+") ? s[0]! : "";
    const body = sign ? s.slice(1) : s;
    if (/^(nan|inf)/.test(body)) return " ".repeat(width - s.length) + s;
    return sign + "0".repeat(width - s.length) + body;
  }
  return " ".repeat(width - s.length) + s;
}

export function asString(t: Tensor, o: AsStringOptions): Tensor {
  const dt = t.dtype;
  if (o.fill.length > 1) throw invalidArgument(`Fill string must be one or fewer characters: ${o.fill}`);
  if (!isFloatingType(dt) && dt !== DataType.DT_COMPLEX64 && dt !== DataType.DT_COMPLEX128) {
    if (o.scientific) throw invalidArgument(`scientific not supported for datatype ${dataTypeString(dt)}`);
    if (o.shortest) throw invalidArgument(`shortest not supported for datatype ${dataTypeString(dt)}`);
    if (o.precision > -1) throw invalidArgument(`precision not supported for datatype ${dataTypeString(dt)}`);
  }
  if (o.scientific && o.shortest)
    throw invalidArgument("Cannot select both scientific and shortest notation");
  const prec = o.precision > -1 ? o.precision : 6;
  const fmt = (x: number) =>
    padTo(
      o.scientific ? formatE(x, prec) : o.shortest ? formatG(x, prec) : formatF(x, prec),
      o.width,
      o.fill,
    );
  const n = t.numElements;
  // Width and precision set each string's least length, whatever the input: charged before the
  // strings are built (a width of 1e8 would otherwise build 100 MB per element).
  const complex = dt === DataType.DT_COMPLEX64 || dt === DataType.DT_COMPLEX128;
  const least = Math.max(o.width, isFloatingType(dt) || complex ? o.precision : 0, 0) * (complex ? 2 : 1);
  if (dt !== DataType.DT_STRING && least > 0) chargeStringBytes(n * least, t.shape);
  const out = allocData(DataType.DT_STRING, n, t.shape) as Uint8Array[];
  const d = t.data;
  for (let i = 0; i < n; i++) {
    let s: string;
    switch (dt) {
      case DataType.DT_STRING:
        out[i] = (d as Uint8Array[])[i]!;
        continue;
      case DataType.DT_BOOL:
        s = (d as Uint8Array)[i] ? "true" : "false";
        break;
      case DataType.DT_HALF:
        s = fmt(halfToFloat((d as Uint16Array)[i]!));
        break;
      case DataType.DT_BFLOAT16:
        s = fmt(bfloat16ToFloat((d as Uint16Array)[i]!));
        break;
      case DataType.DT_FLOAT:
      case DataType.DT_DOUBLE:
        s = fmt((d as Float64Array)[i]!);
        break;
      case DataType.DT_COMPLEX64:
      case DataType.DT_COMPLEX128:
        s = `(${fmt((d as Float64Array)[2 * i]!)},${fmt((d as Float64Array)[2 * i + 1]!)})`;
        break;
      default:
        s = padTo(String((d as unknown as { [k: number]: number | bigint })[i]), o.width, o.fill);
    }
    out[i] = enc.encode(s);
  }
  return new Tensor(DataType.DT_STRING, t.shape, out);
}

export const asStringConfig: KernelConfig = {
  op: {
    name: "AsString",
    inputs: ["input: T"],
    outputs: ["output: string"],
    attrs: [
      "T: {float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64, complex64, complex128, bool, variant, string}",
      "precision: int = -1",
      "scientific: bool = false",
      "shortest: bool = false",
      "width: int = -1",
      "fill: string = ''",
    ],
  },
  kernel: cpuKernel("AsString", (c) => {
    getAttrType(c.attrs, "T");
    const o: AsStringOptions = {
      precision: getAttrInt(c.attrs, "precision"),
      scientific: getAttrBool(c.attrs, "scientific"),
      shortest: getAttrBool(c.attrs, "shortest"),
      width: getAttrInt(c.attrs, "width"),
      fill: getAttrString(c.attrs, "fill"),
    };
    return { compute: (ctx) => ctx.setOutput(0, asString(ctx.input(0), o)) };
  }),
};
