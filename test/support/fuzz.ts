// Hostile-input properties shared by test/fuzz.test.ts (bounded, fixed seed, in CI) and
// scripts/fuzz.ts (`npm run fuzz`, long runs with figures). Every input a client can send must get
// either an answer or a clear TF error code; INTERNAL/UNKNOWN answers are findings, an exception
// that escapes is a crash, an answer slower than the bound is a hang, and a canary session created
// before the campaign must still run its step and return the right value afterwards.

import { type ClientHttp2Session, connect, constants as h2 } from "node:http2";
import {
  create,
  type DescMessage,
  fromBinary,
  type MessageShape,
  toBinary,
  toJson,
} from "@bufbuild/protobuf";
import fc from "fast-check";
import type { AttrValue } from "../../gen/tensorflow/core/framework/attr_value_pb.js";
import {
  AttrValue_ListValueSchema,
  AttrValueSchema,
} from "../../gen/tensorflow/core/framework/attr_value_pb.js";
import type { NodeDef } from "../../gen/tensorflow/core/framework/node_def_pb.js";
import { type TensorProto, TensorProtoSchema } from "../../gen/tensorflow/core/framework/tensor_pb.js";
import { TensorShapeProtoSchema } from "../../gen/tensorflow/core/framework/tensor_shape_pb.js";
import {
  CloseSessionRequestSchema,
  type CreateSessionRequest,
  CreateSessionRequestSchema,
  type CreateSessionResponse,
  ExtendSessionRequestSchema,
  ListDevicesRequestSchema,
  MakeCallableRequestSchema,
  PartialRunSetupRequestSchema,
  ReleaseCallableRequestSchema,
  ResetRequestSchema,
  RunCallableRequestSchema,
  type RunStepRequest,
  RunStepRequestSchema,
  type RunStepResponse,
} from "../../gen/tensorflow/core/protobuf/master_pb.js";
import { isTfError, TfCode, tfCodeName } from "../../server/engine/framework/errors.js";
import {
  type AttrSpec,
  addDefaultAttrs,
  inputTypesForNode,
  lookUpOp,
  type OpDefinition,
  outputTypesForNode,
} from "../../server/engine/framework/op-def.js";
import { makeRefType } from "../../server/engine/framework/types.js";
import { kernelConfigs } from "../../server/engine/kernels/registry.js";
import type { Master } from "../../server/engine/master/master.js";
import { attr } from "./attr.js";
import { DataType, graph, linearExpected, linearGraph, node, tensorProto, tensorValues } from "./graphs.js";

// ---------------------------------------------------------------------------------------------
// Outcomes and figures

export type Outcome =
  | { readonly kind: "ok" }
  | { readonly kind: "error"; readonly code: string; readonly message: string }
  | { readonly kind: "crash"; readonly message: string }
  | { readonly kind: "hang" };

export interface Finding {
  readonly property: string;
  readonly outcome: Outcome;
  readonly input: string;
}

export class Figures {
  tried = 0;
  crashes = 0;
  hangs = 0;
  internal = 0;
  readonly findings: Finding[] = [];
  readonly codes = new Map<string, number>();

  record(property: string, outcome: Outcome, input: () => string): void {
    this.tried++;
    const key =
      outcome.kind !== "error"
        ? outcome.kind.toUpperCase()
        : outcome.code === "INTERNAL" && isTfInternalAnswer(outcome.message)
          ? "INTERNAL (TF's own answer)"
          : outcome.code;
    this.codes.set(key, (this.codes.get(key) ?? 0) + 1);
    if (outcome.kind === "crash") this.crashes++;
    if (outcome.kind === "hang") this.hangs++;
    const bad =
      outcome.kind === "error" &&
      (outcome.code === "UNKNOWN" || (outcome.code === "INTERNAL" && !isTfInternalAnswer(outcome.message)));
    if (bad) this.internal++;
    if (bad || outcome.kind === "crash" || outcome.kind === "hang") {
      if (this.findings.length < 200) this.findings.push({ property, outcome, input: input().slice(0, 600) });
    }
  }
}

/**
 * The INTERNAL answers that are TF's own, so they name their problem and are not findings. Any
 * other INTERNAL (and every UNKNOWN) is one.
 */
export const tfInternalAnswers: readonly { readonly why: string; readonly message: RegExp }[] = [
  {
    // gRPC's code for a request body that does not parse ("Error parsing request proto", grpc/grpc
    // doc/statuscodes.md), which TF's gRPC server answers too; Connect's runtime answers the same.
    why: "request is not a valid protobuf encoding",
    message: /^parse binary: /,
  },
  {
    // TF 2.21's executor checks each output's dtype against the node's (INTERNAL); a feed of the
    // wrong dtype fails there (observed: test/tf/reference-observations.json, "wrong-dtype feed").
    why: "feed dtype differs from the placeholder's",
    message: /Output 0 of type \w+ does not match declared output type \w+ for node \{\{node _recv_/,
  },
  {
    // _Arg/_Retval outside a function call: TF's kernels answer INTERNAL "no call frame"
    // (core/kernels/function_ops.cc).
    why: "a bare _Arg or _Retval in a client's graph",
    message: /\bno call frame\b/,
  },
  {
    // Integer TruncateDiv/TruncateMod by zero: TF 2.21 reports it through its generic binary-op
    // error, INTERNAL (observed; server/engine/kernels/TruncateDiv.ts).
    why: "integer truncating division by zero",
    message: /Unexpected error in binary operator \(only integer div and mod should have errors\)/,
  },
  {
    // A sparse training op on a resource variable that does not exist yet: TF's
    // GetInputTensorFromVariable answers INTERNAL (kernels/util/sparse-training-op-helpers.ts).
    why: "sparse update of a variable never assigned",
    message: /Invalid variable reference\./,
  },
  {
    // Fetching a dead tensor (an untaken Switch/RefSwitch branch): TF's worker rewrites the failed
    // fetch to INTERNAL (server/engine/master/master-session.ts, test/control-flow.test.ts).
    why: "fetch of a dead tensor",
    message:
      /^Failed to fetch outputs of the step \(Original error message: The tensor returned for .* was not valid\.\)$/s,
  },
];

export function isTfInternalAnswer(message: string): boolean {
  return tfInternalAnswers.some((a) => a.message.test(message));
}

/** An Outcome-returning call (a wire post), bounded by `ms`; a rejection is a crash. */
export async function boundedOutcome(call: () => Promise<Outcome>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "hang" }), ms);
  });
  try {
    return await Promise.race([
      call().catch((e: unknown): Outcome => ({ kind: "crash", message: String(e) })),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The answer of `call` as an Outcome, bounded by `ms`. */
export async function outcomeOf(call: () => Promise<unknown>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "hang" }), ms);
  });
  const answer = (async (): Promise<Outcome> => {
    try {
      await call();
      return { kind: "ok" };
    } catch (e) {
      if (isTfError(e)) return { kind: "error", code: tfCodeName(e.code), message: e.message };
      return { kind: "crash", message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
  })();
  try {
    return await Promise.race([answer, hang]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// The canary: a session created before the campaign whose step must keep its answer.

export interface Canary {
  readonly handle: string;
  check(): Promise<void>;
}

const canaryX = [1.5, -2];

/** The two session calls the canary needs: the engine's Master or a Connect client of the gateway. */
export interface SessionApi {
  createSession(req: CreateSessionRequest): Promise<CreateSessionResponse>;
  runStep(req: RunStepRequest): Promise<RunStepResponse>;
}

export async function createCanary(master: SessionApi): Promise<Canary> {
  const { sessionHandle } = await master.createSession(
    create(CreateSessionRequestSchema, { graphDef: linearGraph() }),
  );
  return {
    handle: sessionHandle,
    async check() {
      const res = await master.runStep(
        create(RunStepRequestSchema, {
          sessionHandle,
          feed: [{ name: "x:0", tensor: tensorProto(DataType.DT_FLOAT, [1, 2], canaryX) }],
          fetch: ["y:0"],
        }),
      );
      const got = tensorValues(res.tensor[0]?.tensor);
      const want = linearExpected(canaryX);
      if (JSON.stringify(got) !== JSON.stringify(want.map((v) => Math.fround(v))))
        throw new Error(`canary answered ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Random TensorProtos (bad dtypes, bad shapes, content of the wrong length, odd repeated fields)

const dtypeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 9, 10, 14, 17, 18, 19, 20, 21, 22, 23) },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 130 }) },
);

const dimArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, -2, -(2 ** 31), 2 ** 31 - 1, 2 ** 40, 2 ** 53 - 1) },
);

const shapeArb = fc.array(dimArb, { maxLength: 5 });

export const tensorProtoArb: fc.Arbitrary<TensorProto> = fc
  .record({
    dtype: dtypeArb,
    dims: shapeArb,
    unknown: fc.nat(20),
    content: fc.option(fc.uint8Array({ maxLength: 96 }), { nil: undefined }),
    floatVal: fc.array(fc.float({ noDefaultInfinity: false }), { maxLength: 6 }),
    intVal: fc.array(fc.integer(), { maxLength: 6 }),
    int64Val: fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 4 }),
    stringVal: fc.array(fc.uint8Array({ maxLength: 12 }), { maxLength: 4 }),
    boolVal: fc.array(fc.boolean(), { maxLength: 4 }),
    versionNumber: fc.integer({ min: -2, max: 3 }),
  })
  .map((r) =>
    create(TensorProtoSchema, {
      dtype: r.dtype as DataType,
      tensorShape: create(TensorShapeProtoSchema, {
        dim: r.dims.map((d) => ({ size: BigInt(d) })),
        unknownRank: r.unknown === 0,
      }),
      ...(r.content !== undefined ? { tensorContent: r.content } : {}),
      floatVal: r.floatVal,
      intVal: r.intVal,
      int64Val: r.int64Val,
      stringVal: r.stringVal,
      boolVal: r.boolVal,
      versionNumber: r.versionNumber,
    }),
  );

// ---------------------------------------------------------------------------------------------
// Random GraphDefs from the op registry

/**
 * Ops kept out of the random graphs: ones that wait on another step forever (queues, barriers,
 * staging areas and maps, accumulators, mutexes, Recv), sleep, or touch files (refused without a files
 * root anyway, but a files root may be configured by whoever runs the campaign).
 */
const excludedOp =
  /Queue|Barrier|Stage|Unstage|MapPeek|Accumulator|Mutex|Sleep|Recv|Send|Collective|Read|Write|File|Save|Restore|Record|Reader|Matching|Iterator|Dataset|Lookup.*Import|Checkpoint|Summary|MergeV2/;

export function fuzzableOps(): OpDefinition[] {
  const out: OpDefinition[] = [];
  for (const c of kernelConfigs) {
    if (excludedOp.test(c.op.name)) continue;
    const def = lookUpOp(c.op.name);
    if (def !== undefined) out.push(def);
  }
  return out;
}

const hugeInt = fc.constantFrom(2 ** 31 - 1, -(2 ** 31), 2 ** 40, -1, 2 ** 62);

const intAttr = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -2, max: 5 }) },
  { weight: 1, arbitrary: hugeInt },
);

function typeAttrArb(spec: AttrSpec): fc.Arbitrary<DataType> {
  const allowed = spec.allowedTypes ?? [1, 2, 3, 7, 9, 10];
  return fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...allowed) },
    { weight: 1, arbitrary: dtypeArb.map((d) => d as DataType) },
  );
}

const listOf = (value: Parameters<typeof create<typeof AttrValue_ListValueSchema>>[1]): AttrValue =>
  create(AttrValueSchema, { value: { case: "list", value: create(AttrValue_ListValueSchema, value) } });

const utf8 = new TextEncoder();

/**
 * A value of the attr's own type (mostly plausible, sometimes hostile). Floats are float32 values
 * (NaN, infinities and extremes included): AttrValue.f is a proto `float`, so nothing wider can
 * arrive over the wire.
 */
function attrArb(spec: AttrSpec): fc.Arbitrary<AttrValue> {
  switch (spec.type) {
    case "type":
      return typeAttrArb(spec).map(attr.type);
    case "list(type)":
      return fc.array(typeAttrArb(spec), { maxLength: 3 }).map(attr.typeList);
    case "int":
      return intAttr.map(attr.int);
    case "list(int)":
      return fc.array(intAttr, { maxLength: 5 }).map(attr.intList);
    case "float":
      return fc.float().map(attr.float);
    case "list(float)":
      return fc.array(fc.float(), { maxLength: 4 }).map(attr.floatList);
    case "bool":
      return fc.boolean().map(attr.bool);
    case "list(bool)":
      return fc.array(fc.boolean(), { maxLength: 3 }).map((b) => listOf({ b }));
    case "string":
      return (
        spec.allowedValues !== undefined && spec.allowedValues.length > 0
          ? fc.oneof(fc.constantFrom(...spec.allowedValues), fc.string({ maxLength: 8 }))
          : fc.string({ maxLength: 8 })
      ).map(attr.string);
    case "list(string)":
      return fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }).map(attr.stringList);
    case "shape":
      return fc.option(shapeArb, { nil: undefined }).map(attr.shape);
    case "list(shape)":
      return fc
        .array(shapeArb, { maxLength: 3 })
        .map((ss) => listOf({ shape: ss.map((d) => ({ dim: d.map((size) => ({ size: BigInt(size) })) })) }));
    case "tensor":
      return tensorProtoArb.map(attr.tensor);
    case "list(tensor)":
      return fc.array(tensorProtoArb, { maxLength: 2 }).map((tensor) => listOf({ tensor }));
    case "func":
      return fc
        .string({ maxLength: 6 })
        .map((name) => create(AttrValueSchema, { value: { case: "func", value: { name } } }));
    case "list(func)":
      return fc
        .array(fc.string({ maxLength: 6 }), { maxLength: 2 })
        .map((ns) => listOf({ func: ns.map((name) => ({ name })) }));
  }
}

/** An attr of any type at all (wrong types for the op's attr, strings where ints belong, …). */
const anyAttrArb: fc.Arbitrary<AttrValue> = fc.oneof(
  intAttr.map(attr.int),
  fc.float().map(attr.float),
  fc.boolean().map(attr.bool),
  fc.string({ maxLength: 6 }).map(attr.string),
  dtypeArb.map((d) => attr.type(d as DataType)),
  fc.option(shapeArb, { nil: undefined }).map(attr.shape),
  fc.array(intAttr, { maxLength: 4 }).map(attr.intList),
  fc.constant(create(AttrValueSchema, {})),
  fc.uint8Array({ maxLength: 6 }).map((s) => create(AttrValueSchema, { value: { case: "s", value: s } })),
);

interface Avail {
  readonly ref: string;
  readonly dtype: DataType;
}

const bytesOf = (s: string) => utf8.encode(s);

/** Source nodes every random graph starts with (one per common dtype), so random ops find inputs. */
function sourceNodes(): { nodes: NodeDef[]; avail: Avail[] } {
  const constOf = (name: string, t: TensorProto) =>
    node(name, "Const", { attrs: { dtype: attr.type(t.dtype), value: attr.tensor(t) } });
  const shape = (dims: number[]) =>
    create(TensorShapeProtoSchema, { dim: dims.map((d) => ({ size: BigInt(d) })) });
  const nodes = [
    node("p_f", "Placeholder", {
      attrs: { dtype: attr.type(DataType.DT_FLOAT), shape: attr.shape(undefined) },
    }),
    node("p_i", "Placeholder", {
      attrs: { dtype: attr.type(DataType.DT_INT32), shape: attr.shape(undefined) },
    }),
    constOf("c_f", tensorProto(DataType.DT_FLOAT, [2, 2], [1, -2, 0.5, 3])),
    constOf("c_e", tensorProto(DataType.DT_FLOAT, [0, 3], [])),
    constOf("c_d", tensorProto(DataType.DT_DOUBLE, [3], [0.25, -1, 7])),
    constOf("c_i", tensorProto(DataType.DT_INT32, [2], [1, 0])),
    constOf("c_s", tensorProto(DataType.DT_INT32, [], [2])),
    constOf("c_l", tensorProto(DataType.DT_INT64, [2], [3, -1])),
    constOf(
      "c_b",
      create(TensorProtoSchema, { dtype: DataType.DT_BOOL, tensorShape: shape([2]), boolVal: [true, false] }),
    ),
    constOf(
      "c_str",
      create(TensorProtoSchema, {
        dtype: DataType.DT_STRING,
        tensorShape: shape([2]),
        stringVal: [bytesOf("a,b"), bytesOf("")],
      }),
    ),
    node("v", "VariableV2", { attrs: { dtype: attr.type(DataType.DT_FLOAT), shape: attr.shape([2, 2]) } }),
    node("v_init", "Assign", { inputs: ["v", "c_f"], attrs: { T: attr.type(DataType.DT_FLOAT) } }),
    node("r", "VarHandleOp", { attrs: { dtype: attr.type(DataType.DT_FLOAT), shape: attr.shape([2, 2]) } }),
    node("r_init", "AssignVariableOp", {
      inputs: ["r", "c_f"],
      attrs: { dtype: attr.type(DataType.DT_FLOAT) },
    }),
  ];
  const avail: Avail[] = [
    { ref: "p_f", dtype: DataType.DT_FLOAT },
    { ref: "p_i", dtype: DataType.DT_INT32 },
    { ref: "c_f", dtype: DataType.DT_FLOAT },
    { ref: "c_e", dtype: DataType.DT_FLOAT },
    { ref: "c_d", dtype: DataType.DT_DOUBLE },
    { ref: "c_i", dtype: DataType.DT_INT32 },
    { ref: "c_s", dtype: DataType.DT_INT32 },
    { ref: "c_l", dtype: DataType.DT_INT64 },
    { ref: "c_b", dtype: DataType.DT_BOOL },
    { ref: "c_str", dtype: DataType.DT_STRING },
    { ref: "v", dtype: makeRefType(DataType.DT_FLOAT) },
    { ref: "v_init", dtype: makeRefType(DataType.DT_FLOAT) },
    { ref: "r", dtype: DataType.DT_RESOURCE },
  ];
  return { nodes, avail };
}

const sourceCount = sourceNodes().nodes.length;
const commonTypes: readonly DataType[] = [1, 2, 3, 9, 10, 7];

export interface GraphCase {
  readonly nodes: NodeDef[];
  readonly feeds: { name: string; tensor: TensorProto }[];
  readonly fetches: string[];
  readonly targets: string[];
}

/** Attr names an op uses as list lengths ("N * T"): kept small so the node stays well formed. */
function numberAttrs(op: OpDefinition): Set<string> {
  const out = new Set<string>();
  for (const a of [...op.inputs, ...op.outputs]) if (a.numberAttr !== undefined) out.add(a.numberAttr);
  return out;
}

/** Mostly well-typed attrs (so nodes reach their kernels), with hostile values mixed in. */
function genAttrs(g: fc.GeneratorValue, op: OpDefinition, hostile: boolean): Record<string, AttrValue> {
  const counts = numberAttrs(op);
  const out: Record<string, AttrValue> = {};
  for (const spec of op.attrs) {
    const roll = g(() => fc.integer({ min: 0, max: 99 }));
    if (hostile && roll < 3) continue; // missing (its default, or NOT_FOUND/INVALID_ARGUMENT when required)
    if (hostile && roll < 8) {
      out[spec.name] = g(() => anyAttrArb);
      continue;
    }
    if (spec.type === "type") {
      const allowed = spec.allowedTypes ?? commonTypes;
      const usable = allowed.filter((t) => commonTypes.includes(t));
      out[spec.name] = attr.type(
        g(() => fc.constantFrom(...(usable.length > 0 && roll < 90 ? usable : allowed))),
      );
    } else if (spec.type === "int" && counts.has(spec.name)) {
      out[spec.name] = attr.int(g(() => fc.integer({ min: Math.max(spec.minimum ?? 0, 0), max: 3 })));
    } else if (spec.type === "list(type)") {
      out[spec.name] = attr.typeList(g(() => fc.array(fc.constantFrom(...commonTypes), { maxLength: 3 })));
    } else if (spec.defaultValue !== undefined && roll < 50) {
      out[spec.name] = spec.defaultValue;
    } else {
      out[spec.name] = g(() => attrArb(spec));
    }
  }
  if (hostile && g(() => fc.integer({ min: 0, max: 4 })) === 0)
    out[`_${g(() => fc.string({ maxLength: 4 }))}`] = g(() => anyAttrArb);
  return out;
}

/** An input of the wanted dtype when one exists, sometimes a hostile reference instead. */
function genInput(
  g: fc.GeneratorValue,
  want: DataType | undefined,
  avail: readonly Avail[],
  hostile: boolean,
): string {
  const roll = g(() => fc.integer({ min: 0, max: 99 }));
  const all = avail.map((a) => a.ref);
  if (hostile && roll < 4) return g(() => fc.string({ maxLength: 8 }));
  if (hostile && roll < 8)
    return `${g(() => fc.constantFrom(...all)).split(":")[0]}:${g(() => fc.integer({ min: 0, max: 9 }))}`;
  const typed = want === undefined ? [] : avail.filter((a) => a.dtype === want);
  if (typed.length > 0 && roll < 95) return g(() => fc.constantFrom(...typed)).ref;
  return g(() => fc.constantFrom(...all));
}

function genNode(
  g: fc.GeneratorValue,
  ops: readonly OpDefinition[],
  index: number,
  avail: Avail[],
  hostile: boolean,
): NodeDef {
  const op = g(() => fc.constantFrom(...ops));
  const attrs = genAttrs(g, op, hostile);
  let inTypes: readonly (DataType | undefined)[];
  try {
    inTypes = inputTypesForNode(op, addDefaultAttrs(op, attrs));
  } catch {
    inTypes = new Array<undefined>(g(() => fc.integer({ min: 0, max: 3 }))).fill(undefined);
  }
  const inputs = inTypes.slice(0, 8).map((t) => genInput(g, t, avail, hostile));
  if (hostile && g(() => fc.integer({ min: 0, max: 9 })) === 0)
    inputs.push(`^${g(() => fc.constantFrom(...avail)).ref.split(":")[0]}`);
  if (hostile && g(() => fc.integer({ min: 0, max: 19 })) === 0) inputs.reverse(); // control inputs first, swapped args
  const device = !hostile
    ? ""
    : g(() =>
        fc.constantFrom(
          "",
          "",
          "",
          "",
          "",
          "",
          "/device:CPU:0",
          "/job:nope/task:7",
          "/device:GPU:0",
          "garbage",
        ),
      );
  const name = `n${index}`;
  try {
    outputTypesForNode(op, addDefaultAttrs(op, attrs))
      .slice(0, 6)
      .forEach((dtype, k) => {
        avail.push({ ref: `${name}:${k}`, dtype });
      });
  } catch {
    // Untypable node: nothing downstream can use it by type.
  }
  return node(name, op.name, { inputs, attrs, device });
}

/**
 * A random graph: the source nodes, then up to maxNodes random ops from the registry wired by dtype
 * (TF's own graph construction rejects ill-typed edges, so most nodes are well typed to reach their
 * kernels), then one RunStep feeding the placeholders and fetching random outputs.
 */
export function genGraphCase(
  g: fc.GeneratorValue,
  ops: readonly OpDefinition[],
  maxNodes: number,
): GraphCase {
  const { nodes, avail } = sourceNodes();
  const count = g(() => fc.integer({ min: 1, max: maxNodes }));
  // One graph in four is structurally hostile (wrong-typed attrs, bad edges and devices); the rest
  // are well formed so their random attr values and inputs reach the kernels.
  const hostile = g(() => fc.integer({ min: 0, max: 3 })) === 0;
  const names: string[] = [];
  const outputs: string[] = [];
  for (let i = 0; i < count; i++) {
    const before = avail.length;
    nodes.push(genNode(g, ops, i, avail, hostile));
    names.push(`n${i}`);
    outputs.push(...avail.slice(before).map((a) => a.ref));
  }
  const fetchPool = outputs.length > 0 ? outputs : names.map((n) => `${n}:0`);
  const feed = (dtype: DataType, values: number[]) =>
    g(() => fc.integer({ min: 0, max: 4 })) === 0
      ? g(() => tensorProtoArb)
      : tensorProto(dtype, [values.length], values);
  return {
    nodes,
    feeds: [
      { name: "p_f:0", tensor: feed(DataType.DT_FLOAT, [0.25, -1, 3]) },
      { name: "p_i:0", tensor: feed(DataType.DT_INT32, [1, 2]) },
    ],
    fetches: g(() => fc.uniqueArray(fc.constantFrom(...fetchPool), { minLength: 1, maxLength: 3 })),
    targets: [
      ...(g(() => fc.boolean()) ? ["v_init"] : []),
      ...(g(() => fc.boolean()) ? ["r_init"] : []),
      ...g(() => fc.uniqueArray(fc.constantFrom(...names), { maxLength: 2 })),
    ],
  };
}

/** CreateSession with the graph, one RunStep (bounded by a step timeout), CloseSession. */
export async function runGraphCase(master: Master, c: GraphCase, stepTimeoutMs: number): Promise<void> {
  const { sessionHandle } = await master.createSession(
    create(CreateSessionRequestSchema, { graphDef: graph(...c.nodes) }),
  );
  try {
    await master.runStep(
      create(RunStepRequestSchema, {
        sessionHandle,
        feed: c.feeds,
        fetch: c.fetches,
        target: c.targets,
        options: { timeoutInMs: BigInt(stepTimeoutMs) },
      }),
    );
  } finally {
    await master.closeSession(create(CloseSessionRequestSchema, { sessionHandle }));
  }
}

export function describeGraphCase(c: GraphCase): string {
  return c.nodes
    .slice(sourceCount)
    .map((n) => `${n.name}=${n.op}(${n.input.join(",")}){${Object.keys(n.attr).join(",")}}`)
    .join(" ")
    .concat(` fetch=${c.fetches.join(",")}`);
}

/** RunStep of a linear graph with a random TensorProto fed to its placeholder. */
export async function runFeedCase(master: Master, handle: string, t: TensorProto): Promise<void> {
  await master.runStep(
    create(RunStepRequestSchema, {
      sessionHandle: handle,
      feed: [{ name: "x:0", tensor: t }],
      fetch: ["y:0"],
      options: { timeoutInMs: 5000n },
    }),
  );
}

export function describeTensor(t: TensorProto): string {
  return JSON.stringify(toJson(TensorProtoSchema, t));
}

// ---------------------------------------------------------------------------------------------
// Wire bytes: every MasterService method over Connect binary, Connect JSON and gRPC

interface MethodSample {
  readonly method: string;
  readonly schema: DescMessage;
  readonly valid: (victim: string) => MessageShape<DescMessage>;
}

/**
 * Reset is left out of the wire campaign's method list: a random ResetRequest is a valid request to
 * close every session of the caller (TF's Reset), canary included. It gets its own property that
 * checks the server still serves afterwards (test/fuzz.test.ts).
 */
export const wireMethods: readonly MethodSample[] = [
  {
    method: "CreateSession",
    schema: CreateSessionRequestSchema,
    valid: () => create(CreateSessionRequestSchema, { graphDef: linearGraph() }),
  },
  {
    method: "ExtendSession",
    schema: ExtendSessionRequestSchema,
    valid: (h) =>
      create(ExtendSessionRequestSchema, {
        sessionHandle: h,
        graphDef: graph(node("extra", "NoOp")),
        currentGraphVersion: 0n,
      }),
  },
  {
    method: "RunStep",
    schema: RunStepRequestSchema,
    valid: (h) =>
      create(RunStepRequestSchema, {
        sessionHandle: h,
        feed: [{ name: "x:0", tensor: tensorProto(DataType.DT_FLOAT, [1, 2], [1, 2]) }],
        fetch: ["y:0"],
        options: { timeoutInMs: 5000n },
      }),
  },
  {
    method: "PartialRunSetup",
    schema: PartialRunSetupRequestSchema,
    valid: (h) => create(PartialRunSetupRequestSchema, { sessionHandle: h, feed: ["x:0"], fetch: ["y:0"] }),
  },
  {
    method: "CloseSession",
    schema: CloseSessionRequestSchema,
    valid: (h) => create(CloseSessionRequestSchema, { sessionHandle: h }),
  },
  {
    method: "ListDevices",
    schema: ListDevicesRequestSchema,
    valid: () => create(ListDevicesRequestSchema, {}),
  },
  {
    method: "MakeCallable",
    schema: MakeCallableRequestSchema,
    valid: (h) =>
      create(MakeCallableRequestSchema, { sessionHandle: h, options: { feed: ["x:0"], fetch: ["y:0"] } }),
  },
  {
    method: "RunCallable",
    schema: RunCallableRequestSchema,
    valid: (h) =>
      create(RunCallableRequestSchema, {
        sessionHandle: h,
        handle: 0n,
        feed: [tensorProto(DataType.DT_FLOAT, [1, 2], [1, 2])],
      }),
  },
  {
    method: "ReleaseCallable",
    schema: ReleaseCallableRequestSchema,
    valid: (h) => create(ReleaseCallableRequestSchema, { sessionHandle: h, handle: 0n }),
  },
];

export const resetMethod: MethodSample = {
  method: "Reset",
  schema: ResetRequestSchema,
  valid: () => create(ResetRequestSchema, { container: ["a"] }),
};

export type WireProtocol = "connect-binary" | "connect-json" | "grpc";

export interface WireCase {
  readonly method: number;
  readonly protocol: WireProtocol;
  readonly body: Uint8Array;
  readonly describe: string;
}

/** Byte-level mutations of a valid encoding: flips, inserts, deletes, truncation, splices. */
const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("varint" as const),
    at: fc.nat(),
    // A length/varint of 2^62 or 2^32-1: a field claiming far more bytes than the message has.
    bytes: fc.constantFrom(
      Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f),
      Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40),
      Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
    ),
  }),
);

type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = Array.from(bytes);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    switch (m.kind) {
      case "flip":
        if (b.length > 0) b[at % b.length] = (b[at % b.length] as number) ^ m.bits;
        break;
      case "insert":
      case "varint":
        b.splice(at, 0, ...m.bytes);
        break;
      case "delete":
        b.splice(at, m.len);
        break;
      case "truncate":
        b = b.slice(0, at);
        break;
    }
  }
  return Uint8Array.from(b);
}

/** A JSON body: random JSON, or a valid request's JSON with random leaves replaced. */
function jsonBodyArb(valid: unknown): fc.Arbitrary<string> {
  const replaceLeaves = fc
    .array(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 3 })
    .map((reps) => {
      const copy = JSON.parse(JSON.stringify(valid)) as unknown;
      const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
      const walk = (v: unknown) => {
        if (Array.isArray(v))
          v.forEach((x, i) => {
            slots.push({ parent: v, key: i });
            walk(x);
          });
        else if (v !== null && typeof v === "object")
          for (const [k, x] of Object.entries(v)) {
            slots.push({ parent: v as Record<string, unknown>, key: k });
            walk(x);
          }
      };
      walk(copy);
      for (const [i, value] of reps) {
        const s = slots[i % Math.max(1, slots.length)];
        if (s !== undefined) (s.parent as Record<string | number, unknown>)[s.key] = value;
      }
      return JSON.stringify(copy);
    });
  return fc.oneof(
    { weight: 3, arbitrary: replaceLeaves },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );
}

export function wireCaseArb(methods: readonly MethodSample[], victim: string): fc.Arbitrary<WireCase> {
  return fc
    .tuple(
      fc.nat(methods.length - 1),
      fc.constantFrom<WireProtocol>("connect-binary", "connect-json", "grpc"),
    )
    .chain(([mi, protocol]): fc.Arbitrary<WireCase> => {
      const m = methods[mi] as MethodSample;
      if (protocol === "connect-json") {
        const valid = toJson(m.schema, m.valid(victim));
        return jsonBodyArb(valid).map((s) => ({
          method: mi,
          protocol,
          body: utf8.encode(s),
          describe: `${m.method} ${protocol} ${s}`,
        }));
      }
      const validBytes = toBinary(m.schema, m.valid(victim));
      return fc
        .oneof(
          { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
          {
            weight: 3,
            arbitrary: fc
              .array(mutationArb, { minLength: 1, maxLength: 4 })
              .map((ms) => mutate(validBytes, ms)),
          },
        )
        .map((body) => ({
          method: mi,
          protocol,
          body,
          describe: `${m.method} ${protocol} ${Buffer.from(body).toString("hex")}`,
        }));
    });
}

const connectCodes = new Map<string, string>(Object.keys(TfCode).map((name) => [name.toLowerCase(), name]));

/** Posts one body; the answer's code (OK or a TF code name) as an Outcome. */
export async function postWire(
  baseUrl: string,
  h2session: () => ClientHttp2Session,
  method: string,
  protocol: WireProtocol,
  body: Uint8Array,
): Promise<Outcome> {
  const path = `/tensorflow.grpc.MasterService/${method}`;
  if (protocol === "grpc") return postGrpc(h2session(), path, body);
  const res = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": protocol === "connect-json" ? "application/json" : "application/proto" },
    body: Buffer.from(body),
  });
  const text = await res.text();
  if (res.status === 200) return { kind: "ok" };
  let code = `HTTP_${res.status}`;
  let message = text.slice(0, 200);
  try {
    const j = JSON.parse(text) as { code?: string; message?: string };
    if (typeof j.code === "string") code = connectCodes.get(j.code) ?? j.code.toUpperCase();
    if (typeof j.message === "string") message = j.message;
  } catch {
    // Not a Connect error body: keep the HTTP status as the code.
  }
  return { kind: "error", code, message };
}

const grpcCodeNames = new Map<number, string>(Object.entries(TfCode).map(([k, v]) => [v, k]));

function postGrpc(session: ClientHttp2Session, path: string, body: Uint8Array): Promise<Outcome> {
  return new Promise((resolve) => {
    const frame = Buffer.alloc(5 + body.length);
    frame.writeUInt32BE(body.length, 1);
    frame.set(body, 5);
    const req = session.request({
      [h2.HTTP2_HEADER_METHOD]: "POST",
      [h2.HTTP2_HEADER_PATH]: path,
      "content-type": "application/grpc",
      te: "trailers",
    });
    let status: string | undefined;
    let message = "";
    const take = (h: Record<string, unknown>) => {
      if (h["grpc-status"] !== undefined) status = String(h["grpc-status"]);
      if (h["grpc-message"] !== undefined) message = decodeURIComponent(String(h["grpc-message"]));
    };
    req.on("response", take);
    req.on("trailers", take);
    req.on("data", () => {});
    req.on("error", (e) => resolve({ kind: "crash", message: `stream error: ${e.message}` }));
    req.on("close", () => {
      if (status === undefined) resolve({ kind: "crash", message: "no grpc-status" });
      else if (status === "0") resolve({ kind: "ok" });
      else resolve({ kind: "error", code: grpcCodeNames.get(Number(status)) ?? `GRPC_${status}`, message });
    });
    req.end(frame);
  });
}

export function h2Connector(baseUrl: string): { get(): ClientHttp2Session; close(): void } {
  let s: ClientHttp2Session | undefined;
  return {
    get() {
      if (s === undefined || s.closed || s.destroyed) {
        s = connect(baseUrl);
        s.on("error", () => {});
      }
      return s;
    },
    close() {
      s?.close();
    },
  };
}

/** Decodes what a wire case would decode to, for the report (undefined when it does not parse). */
export function decodes(schema: DescMessage, body: Uint8Array): boolean {
  try {
    fromBinary(schema, body);
    return true;
  } catch {
    return false;
  }
}
