// Writes docs/ops.md, the table of every op tfgate registers (name, inputs → outputs, attrs with
// their allowed dtypes and defaults), straight from the op registry, so the docs cannot drift:
// test/op-docs.test.ts fails when docs/ops.md differs from what this script would write.
//
//   node --import tsx scripts/gen-op-docs.ts          # rewrite docs/ops.md
//   node --import tsx scripts/gen-op-docs.ts --check  # exit 1 when it is stale

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { toText } from "@bufbuild/protobuf/txtpb";
import { AttrValueSchema } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { type ArgSpec, type OpDefinition, registeredOps } from "../server/engine/framework/op-def.js";
import { supportedDeviceTypes } from "../server/engine/framework/op-kernel.js";
import { dataTypeString } from "../server/engine/framework/types.js";
import { registerAllKernels } from "../server/engine/kernels/register-all.js";

const target = fileURLToPath(new URL("../docs/ops.md", import.meta.url));

function arg(a: ArgSpec): string {
  const t = a.typeListAttr ?? a.typeAttr ?? (a.dtype !== undefined ? dataTypeString(a.dtype) : "?");
  const body = a.numberAttr ? `${a.numberAttr} * ${t}` : t;
  return `${a.name}: ${a.isRef ? `Ref(${body})` : body}`;
}

function attrs(op: OpDefinition): string {
  return op.attrs
    .map((a) => {
      let s = `${a.name}: ${a.type}`;
      if (a.allowedTypes) s += ` ∈ {${a.allowedTypes.map(dataTypeString).join(", ")}}`;
      if (a.minimum !== undefined) s += ` ≥ ${a.minimum}`;
      if (a.defaultValue) s += ` = ${toText(AttrValueSchema, a.defaultValue).trim().replace(/\s+/g, " ")}`;
      return s;
    })
    .join("<br>");
}

export function renderOpDocs(): string {
  registerAllKernels();
  const ops = registeredOps();
  const rows = ops.map((op) => {
    const sig = `${op.inputs.map(arg).join(", ")} → ${op.outputs.map(arg).join(", ")}`;
    const flags = [op.isStateful ? "stateful" : "", supportedDeviceTypes(op.name).join(", ")]
      .filter(Boolean)
      .join("; ");
    return `| \`${op.name}\` | ${sig.replace(/\|/g, "\\|")} | ${attrs(op).replace(/\|/g, "\\|")} | ${flags} |`;
  });
  return [
    "# Ops",
    "",
    `tfgate registers ${ops.length} ops. This file is generated from the op registry by`,
    "`scripts/gen-op-docs.ts` (do not edit it by hand; `test/op-docs.test.ts` fails when it is stale).",
    "Signatures use TensorFlow's REGISTER_OP notation; dtype lists are the attrs' allowed values.",
    "",
    "| op | inputs → outputs | attrs | notes |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderOpDocs();
  if (process.argv.includes("--check")) {
    const current = readFileSync(target, "utf8");
    if (current !== text) {
      console.error("docs/ops.md is stale: run node --import tsx scripts/gen-op-docs.ts");
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  }
}
