// No request can take the server's memory (docs/security.md, "Graphs that try to exhaust the
// server"): strings are charged by their real size, every running step together stays under the
// server's ceiling (--max-memory-bytes), a fetch larger than a response may carry is refused when
// it is built, and a step's Print output to the log is bounded.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import { isTfError, TfCode, tfCodeName } from "../server/engine/framework/errors.js";
import type { Master, MasterOptions } from "../server/engine/master/master.js";
import { attr } from "./support/attr.js";
import {
  constNode,
  DataType,
  graph,
  node,
  tensorProto,
  tensorShape,
  tensorValues,
} from "./support/graphs.js";
import { createSession, runStep, withMaster } from "./support/session.js";

const F = DataType.DT_FLOAT;
const I = DataType.DT_INT32;
const S = DataType.DT_STRING;
const MiB = 1024 * 1024;

async function rejectsWith(p: Promise<unknown>, code: TfCode, ...patterns: RegExp[]): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(isTfError(e), `not a TfError: ${String(e)}`);
    assert.equal(tfCodeName(e.code), tfCodeName(code), e.message);
    for (const re of patterns) assert.match(e.message, re);
    return e.message;
  }
  assert.fail("expected the step to fail");
}

const stringFeed = (bytes: number) =>
  create(TensorProtoSchema, { dtype: S, tensorShape: {}, stringVal: [new Uint8Array(bytes).fill(97)] });

const stringPlaceholder = (name: string) =>
  node(name, "Placeholder", { attrs: { dtype: attr.type(S), shape: attr.shape([]) } });

/** Both engines: workers on their own threads, and everything on the calling thread. */
const engines: readonly [string, Partial<MasterOptions>][] = [
  ["worker threads", { cpuDevices: 1, workerThreads: true }],
  ["one thread", { cpuDevices: 1, workerThreads: false }],
];

describe("strings are charged by their real size", () => {
  for (const [engine, options] of engines) {
    test(`AsString with a huge width is refused before the strings are built (${engine})`, () =>
      withMaster(
        async (m) => {
          const h = await createSession(
            m,
            graph(
              node("zeros", "Const", {
                attrs: {
                  dtype: attr.type(F),
                  value: attr.tensor(tensorProto(F, [20], new Array(20).fill(0))),
                },
              }),
              node("s", "AsString", {
                inputs: ["zeros"],
                attrs: { T: attr.type(F), width: attr.int(1_000_000) },
              }),
              node("n", "StringLength", { inputs: ["s"] }),
            ),
          );
          const before = process.memoryUsage().rss;
          await rejectsWith(
            runStep(m, h, { fetch: ["n:0"] }),
            TfCode.RESOURCE_EXHAUSTED,
            /\nOOM when allocating tensor with shape\[20\] and type string on \/job:localhost\/replica:0\/task:0\/device:CPU:0 by allocator cpu: /,
            /20000000 bytes would exceed the per-step memory budget of 8388608 bytes/,
            /--max-step-bytes/,
          );
          assert.ok(process.memoryUsage().rss - before < 15 * MiB, "the 20 MB of strings were not built");
          // A width the budget allows still works, and the session carries on.
          const ok = await createSession(
            m,
            graph(
              constNode("one", F, [2], [1, 2]),
              node("s", "AsString", { inputs: ["one"], attrs: { T: attr.type(F), width: attr.int(1000) } }),
              node("n", "StringLength", { inputs: ["s"] }),
            ),
          );
          const res = await runStep(m, ok, { fetch: ["n:0"] });
          assert.deepEqual(tensorShape(res.tensor[0]?.tensor), [2]);
        },
        { ...options, maxStepBytes: 8 * MiB },
      ));

    test(`Tile of a long string is charged its bytes, not a flat size per element (${engine})`, () =>
      withMaster(
        async (m) => {
          const h = await createSession(
            m,
            graph(
              stringPlaceholder("s"),
              node("v", "Reshape", {
                inputs: ["s", "shape"],
                attrs: { T: attr.type(S), Tshape: attr.type(I) },
              }),
              constNode("shape", I, [1], [1]),
              constNode("multiples", I, [1], [30]),
              node("t", "Tile", {
                inputs: ["v", "multiples"],
                attrs: { T: attr.type(S), Tmultiples: attr.type(I) },
              }),
              node("n", "StringLength", { inputs: ["t"] }),
              node("sum", "Sum", {
                inputs: ["n", "axis"],
                attrs: { T: attr.type(I), Tidx: attr.type(I), keep_dims: attr.bool(false) },
              }),
              constNode("axis", I, [1], [0]),
            ),
          );
          // 30 copies of 1 MiB is 30 MiB of strings: over the 8 MiB budget (the feed itself is free).
          await rejectsWith(
            runStep(m, h, { feed: [{ name: "s:0", tensor: stringFeed(MiB) }], fetch: ["sum:0"] }),
            TfCode.RESOURCE_EXHAUSTED,
            /\nOOM when allocating tensor with shape\[30\] and type string on .* by allocator cpu: /,
            /--max-step-bytes/,
          );
          // 30 copies of 100 KiB fit.
          const res = await runStep(m, h, {
            feed: [{ name: "s:0", tensor: stringFeed(100 * 1024) }],
            fetch: ["sum:0"],
          });
          assert.deepEqual(tensorValues(res.tensor[0]?.tensor), [30 * 100 * 1024]);
        },
        { ...options, maxStepBytes: 8 * MiB },
      ));

    test(`StringJoin broadcasting a long scalar is charged before it is copied (${engine})`, () =>
      withMaster(
        async (m) => {
          const h = await createSession(
            m,
            graph(
              stringPlaceholder("s"),
              node("many", "Fill", {
                inputs: ["dims", "empty"],
                attrs: { T: attr.type(S), index_type: attr.type(I) },
              }),
              constNode("dims", I, [1], [1000]),
              node("empty", "Const", {
                attrs: {
                  dtype: attr.type(S),
                  value: attr.tensor(
                    create(TensorProtoSchema, { dtype: S, tensorShape: {}, stringVal: [new Uint8Array()] }),
                  ),
                },
              }),
              node("j", "StringJoin", { inputs: ["s", "many"], attrs: { N: attr.int(2) } }),
              node("n", "StringLength", { inputs: ["j"] }),
            ),
          );
          // 1000 copies of 1 MiB: a GB of strings, refused at once.
          const before = process.memoryUsage().rss;
          await rejectsWith(
            runStep(m, h, { feed: [{ name: "s:0", tensor: stringFeed(MiB) }], fetch: ["n:0"] }),
            TfCode.RESOURCE_EXHAUSTED,
            /\nOOM when allocating tensor with shape\[1000\] and type string/,
            /--max-step-bytes/,
          );
          assert.ok(process.memoryUsage().rss - before < 100 * MiB, "the GB of strings was not built");
        },
        { ...options, maxStepBytes: 8 * MiB },
      ));
  }
});

/**
 * A step that allocates `floats` floats (Fill) and then waits on an empty queue, holding them, until
 * something is enqueued; and the enqueue that lets it finish.
 */
function holdingGraph(device: string): NodeDef[] {
  const on = { device };
  return [
    node("dims", "Placeholder", { attrs: { dtype: attr.type(I), shape: attr.shape([1]) }, ...on }),
    constNode("one", F, [], [1]),
    node("big", "Fill", {
      inputs: ["dims", "one"],
      attrs: { T: attr.type(F), index_type: attr.type(I) },
      ...on,
    }),
    node("q", "FIFOQueueV2", {
      attrs: {
        component_types: { value: { case: "list", value: { type: [F] } } } as never,
        capacity: attr.int(1),
      },
      ...on,
    }),
    node("wait", "QueueDequeueV2", {
      inputs: ["q", "^big"],
      attrs: { component_types: { value: { case: "list", value: { type: [F] } } } as never },
      ...on,
    }),
    node("sum", "Sum", {
      inputs: ["big", "axis", "^wait"],
      attrs: { T: attr.type(F), Tidx: attr.type(I), keep_dims: attr.bool(false) },
      ...on,
    }),
    constNode("axis", I, [1], [0]),
    node("enqueue", "QueueEnqueueV2", {
      inputs: ["q", "one"],
      attrs: { Tcomponents: attr.typeList([F]) },
      ...on,
    }),
  ];
}

const dimsFeed = (n: number) => [{ name: "dims:0", tensor: tensorProto(I, [1], [n]) }];

/**
 * Waits (boundedly) until a running step holds memory: until a probe step on CPU:1 that allocates
 * `floats` floats and waits on nothing is refused by the ceiling.
 */
async function untilHolding(m: Master, floats: number): Promise<void> {
  const probe = await createSession(
    m,
    graph(
      node("dims", "Placeholder", { attrs: { dtype: attr.type(I), shape: attr.shape([1]) } }),
      constNode("one", F, [], [1]),
      node("big", "Fill", {
        inputs: ["dims", "one"],
        attrs: { T: attr.type(F), index_type: attr.type(I) },
        device: "/device:CPU:1",
      }),
    ),
  );
  for (let i = 0; i < 200; i++) {
    try {
      await runStep(m, probe, { feed: dimsFeed(floats), target: ["big"] });
    } catch (e) {
      if (isTfError(e) && /--max-memory-bytes/.test(e.message)) return;
      throw e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail("the holding step never held its memory");
}

describe("the server's memory ceiling (--max-memory-bytes)", () => {
  for (const [engine, options] of [
    ["worker threads, one device each", { cpuDevices: 2, workerThreads: true }],
    ["one thread", { cpuDevices: 2, workerThreads: false }],
  ] as const) {
    test(`steps of different sessions and devices together stay under it; memory comes back (${engine})`, () =>
      withMaster(
        async (m: Master) => {
          const a = await createSession(m, graph(...holdingGraph("/device:CPU:0")));
          const b = await createSession(m, graph(...holdingGraph("/device:CPU:1")));
          // Session a holds 24 MiB while it waits.
          const holding = runStep(m, a, { feed: dimsFeed(6 * MiB), fetch: ["sum:0"] });
          await untilHolding(m, 6 * MiB);
          // Session b (another device, another thread) may not take 24 MiB more under a 40 MiB ceiling.
          await rejectsWith(
            runStep(m, b, { feed: dimsFeed(6 * MiB), fetch: ["sum:0"] }),
            TfCode.RESOURCE_EXHAUSTED,
            /\nOOM when allocating tensor with shape\[6291456\] and type float on \/job:localhost\/replica:0\/task:0\/device:CPU:1 by allocator cpu: /,
            /would exceed the server's memory ceiling of 41943040 bytes \(--max-memory-bytes\)/,
          );
          // A small step of b still runs, once past its queue.
          await runStep(m, b, { target: ["enqueue"] });
          const small = await runStep(m, b, { feed: dimsFeed(1000), fetch: ["sum:0"] });
          assert.deepEqual(tensorValues(small.tensor[0]?.tensor), [1000]);
          // a finishes and releases its memory: b's big step now runs.
          await runStep(m, a, { target: ["enqueue"] });
          const done = await holding;
          assert.deepEqual(tensorValues(done.tensor[0]?.tensor), [6 * MiB]);
          await runStep(m, b, { target: ["enqueue"] });
          const big = await runStep(m, b, { feed: dimsFeed(6 * MiB), fetch: ["sum:0"] });
          assert.deepEqual(tensorValues(big.tensor[0]?.tensor), [6 * MiB]);
        },
        { ...options, maxMemoryBytes: 40 * MiB, maxStepBytes: 1024 * MiB },
      ));
  }

  test("a step that fails or is refused leaves nothing charged behind", () =>
    withMaster(
      async (m) => {
        const a = await createSession(m, graph(...holdingGraph("/device:CPU:0")));
        for (let i = 0; i < 5; i++) {
          // 30 MiB fits the 40 MiB ceiling each time only if the previous steps gave theirs back.
          await runStep(m, a, { target: ["enqueue"] });
          await runStep(m, a, { feed: dimsFeed(7.5 * MiB), fetch: ["sum:0"] });
          await rejectsWith(
            runStep(m, a, { feed: dimsFeed(11 * MiB), fetch: ["sum:0"] }),
            TfCode.RESOURCE_EXHAUSTED,
            /--max-memory-bytes/,
          );
        }
      },
      { cpuDevices: 1, workerThreads: true, maxMemoryBytes: 40 * MiB, maxStepBytes: 1024 * MiB },
    ));
});

describe("a fetch larger than the response limit fails when it is built", () => {
  for (const [engine, options] of engines) {
    test(`Fill fetched whole is refused at allocation, with the response limit's error (${engine})`, () =>
      withMaster(
        async (m) => {
          const h = await createSession(
            m,
            graph(
              node("dims", "Placeholder", { attrs: { dtype: attr.type(I), shape: attr.shape([1]) } }),
              constNode("one", F, [], [1]),
              node("fill", "Fill", {
                inputs: ["dims", "one"],
                attrs: { T: attr.type(F), index_type: attr.type(I) },
              }),
              node("sum", "Sum", {
                inputs: ["fill", "axis"],
                attrs: { T: attr.type(F), Tidx: attr.type(I), keep_dims: attr.bool(false) },
              }),
              constNode("axis", I, [1], [0]),
              node("same", "Identity", { inputs: ["fill"], attrs: { T: attr.type(F) } }),
            ),
          );
          const before = process.memoryUsage().rss;
          // 2^28 floats: the 1 GiB the per-tensor limit allows; the response limit is 1 MiB.
          await rejectsWith(
            runStep(m, h, { feed: dimsFeed(2 ** 28), fetch: ["fill:0"] }),
            TfCode.RESOURCE_EXHAUSTED,
            /\nmessage size 1073741824 is larger than configured writeMaxBytes 1048576/,
          );
          assert.ok(process.memoryUsage().rss - before < 200 * MiB, "the GiB was not allocated");
          // Forwarded (Identity) rather than allocated: refused before it is encoded.
          await rejectsWith(
            runStep(m, h, { feed: dimsFeed(MiB), fetch: ["same:0"] }),
            TfCode.RESOURCE_EXHAUSTED,
            /\nmessage size 4194304 is larger than configured writeMaxBytes 1048576/,
          );
          // The same tensor, not fetched, is fine; so is a fetch within the limit.
          const sum = await runStep(m, h, { feed: dimsFeed(MiB), fetch: ["sum:0"] });
          assert.deepEqual(tensorValues(sum.tensor[0]?.tensor), [MiB]);
          const fill = await runStep(m, h, { feed: dimsFeed(1000), fetch: ["fill:0"] });
          assert.deepEqual(tensorShape(fill.tensor[0]?.tensor), [1000]);
        },
        { ...options, maxFetchBytes: MiB },
      ));

    test(`a kernel's output the client does not fetch may be larger than the response limit (${engine})`, () =>
      withMaster(
        async (m) => {
          const h = await createSession(
            m,
            graph(
              node("dims", "Placeholder", { attrs: { dtype: attr.type(I), shape: attr.shape([1]) } }),
              constNode("one", F, [], [1]),
              node("fill", "Fill", {
                inputs: ["dims", "one"],
                attrs: { T: attr.type(F), index_type: attr.type(I) },
              }),
              constNode("sizes", I, [2], [1, -1]),
              constNode("axis0", I, [], [0]),
              node("split", "SplitV", {
                inputs: ["fill", "sizes", "axis0"],
                attrs: { T: attr.type(F), Tlen: attr.type(I), num_split: attr.int(2) },
              }),
            ),
          );
          // split:1 holds 4 MiB; only split:0, one float, is fetched.
          const res = await runStep(m, h, { feed: dimsFeed(MiB + 1), fetch: ["split:0"] });
          assert.deepEqual(tensorValues(res.tensor[0]?.tensor), [1]);
          await rejectsWith(
            runStep(m, h, { feed: dimsFeed(MiB + 1), fetch: ["split:1"] }),
            TfCode.RESOURCE_EXHAUSTED,
            /\nmessage size 4194304 is larger than configured writeMaxBytes 1048576/,
          );
        },
        { ...options, maxFetchBytes: MiB },
      ));

    test(`a fetched string over the response limit is refused when built (${engine})`, () =>
      withMaster(
        async (m) => {
          const h = await createSession(
            m,
            graph(
              stringPlaceholder("s"),
              constNode("multiples", I, [1], [30]),
              constNode("shape", I, [1], [1]),
              node("v", "Reshape", {
                inputs: ["s", "shape"],
                attrs: { T: attr.type(S), Tshape: attr.type(I) },
              }),
              node("t", "Tile", {
                inputs: ["v", "multiples"],
                attrs: { T: attr.type(S), Tmultiples: attr.type(I) },
              }),
            ),
          );
          await rejectsWith(
            runStep(m, h, { feed: [{ name: "s:0", tensor: stringFeed(100 * 1024) }], fetch: ["t:0"] }),
            TfCode.RESOURCE_EXHAUSTED,
            /\nmessage size 3072000 is larger than configured writeMaxBytes 1048576/,
          );
        },
        { ...options, maxFetchBytes: MiB },
      ));
  }
});

describe("Print output is bounded per step", () => {
  test("PrintV2 of a 100 MB string writes a bounded amount to the log", () => {
    const logged: string[] = [];
    return withMaster(
      async (m) => {
        const h = await createSession(
          m,
          graph(
            stringPlaceholder("s"),
            node("p", "PrintV2", { inputs: ["s"], attrs: { output_stream: attr.string("stderr") } }),
          ),
        );
        for (let i = 0; i < 3; i++) {
          await runStep(m, h, {
            feed: [{ name: "s:0", tensor: stringFeed(100 * 1000 * 1000) }],
            target: ["p"],
          });
        }
        const total = logged.reduce((n, l) => n + l.length, 0);
        // Three steps, each at most 64 Ki characters (worker/step-log.ts) and a note.
        assert.ok(total < 3 * 70 * 1024, `logged ${total} characters`);
        assert.ok(
          logged.some((l) => /… \(100000000 bytes in all, the rest not logged\)$/.test(l)),
          logged.join("\n").slice(-300),
        );
      },
      { cpuDevices: 1, workerThreads: true, log: (_level, message) => logged.push(message) },
    );
  });
});
