// Optimizers, built as tf.compat.v1.train builds them: GradientDescent and Adam, and the
// compute_gradients step they share.

import type { DataType } from "../gen/tensorflow/core/framework/types_pb.js";
import { attr } from "./attrs.js";
import type { Operation, Output, Variable } from "./graph-types.js";
import { tensor } from "./tensor.js";

/** tf.compat.v1.train.GradientDescentOptimizer. */
export class GradientDescent {
  constructor(
    readonly learningRate: number,
    readonly name = "GradientDescent",
  ) {}

  /**
   * compute_gradients + apply_gradients: gradients of `loss` (gated per op, TF's GATE_OP) with
   * respect to `varList` (default: the graph's trainable variables), one ApplyGradientDescent (ref)
   * or ResourceApplyGradientDescent (resource) per variable, grouped into a NoOp named after the
   * optimizer: the train op to run as a target.
   */
  minimize(loss: Output, options: { varList?: readonly Variable[] } = {}): Operation {
    const g = loss.graph;
    const pairs = computeGradients(loss, options.varList);
    return g.opScope(this.name, (opName) => {
      const lr = g.scalarLike(this.learningRate, loss, "learning_rate");
      const updates = pairs.map(([v, grad]) =>
        g.nameScope(`update_${v.name}`, () =>
          v.resource
            ? g.addOp("ResourceApplyGradientDescent", [v.handle, lr, grad], {
                attrs: { T: attr.type(v.dtype), use_locking: attr.b(false) },
                outputs: [],
              })
            : g.addOp("ApplyGradientDescent", [v.handle, lr, grad], {
                attrs: { T: attr.type(v.dtype), use_locking: attr.b(false) },
                outputs: [[v.dtype, v.shape]],
              }),
        ),
      );
      return g.group(updates, opName, true);
    });
  }
}

/**
 * An optimizer's compute_gradients: (variable, gradient) pairs of `loss` (gated per op, TF's
 * GATE_OP) for `varList` (default: the graph's trainable variables), leaving out variables the
 * loss does not depend on; throws TF's error when none has a gradient.
 */
export function computeGradients(
  loss: Output,
  varList?: readonly Variable[],
): (readonly [Variable, Output])[] {
  const vars = varList ?? loss.graph.trainableVariables();
  const grads = loss.graph.gradients(loss, vars, { gateGradients: true });
  const pairs = vars
    .map((v, i) => [v, grads[i]] as const)
    .filter((p): p is readonly [Variable, Output] => p[1] !== undefined);
  if (pairs.length === 0) {
    throw new Error(`No gradients provided for any variable: ${vars.map((v) => v.name).join(", ")}`);
  }
  return pairs;
}

export interface AdamOptions {
  readonly learningRate?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Name scope of the update ops and name of the train op (default "Adam"). */
  readonly name?: string;
}

/**
 * tf.compat.v1.train.AdamOptimizer. `minimize(loss)` emits what TF emits: the non-slot variables
 * `beta1_power`/`beta2_power` (initialized to beta1/beta2), two zero-initialized slots per variable
 * (`<var>/Adam` for m, `<var>/Adam_1` for v; all registered for `globalVariablesInitializer`), the
 * constants `Adam/learning_rate`, `Adam/beta1`, `Adam/beta2`, `Adam/epsilon`, one ApplyAdam (ref) or
 * ResourceApplyAdam (resource) per variable under `Adam/update_<var>`, the beta powers multiplied by
 * beta1/beta2 after every update, and the `Adam` NoOp grouping it all: the train op.
 */
export class Adam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly name: string;

  constructor(options: AdamOptions = {}) {
    this.learningRate = options.learningRate ?? 0.001;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.name = options.name ?? "Adam";
  }

  minimize(loss: Output, options: { varList?: readonly Variable[] } = {}): Operation {
    const g = loss.graph;
    const pairs = computeGradients(loss, options.varList);

    // _create_slots: the beta powers live with the variable first by name, in its style.
    const first = [...pairs].sort((a, b) => (a[0].name < b[0].name ? -1 : 1))[0]![0];
    const dtype = first.dtype;
    const nonSlot = (name: string, value: number) =>
      g.variable(name, tensor([value], [], dtype), { resource: first.resource, trainable: false });
    const beta1Power = nonSlot("beta1_power", this.beta1);
    const beta2Power = nonSlot("beta2_power", this.beta2);
    const slots = new Map<Variable, readonly [Variable, Variable]>();
    for (const [v] of pairs) {
      const shape = v.shape;
      if (shape === undefined || shape.some((d) => d < 0)) {
        throw new Error(`Adam: variable '${v.name}' needs a fully known shape for its slots`);
      }
      const zeros = () => tensor(new Array(shape.reduce((a, b) => a * b, 1)).fill(0), shape, v.dtype);
      const slot = () =>
        g.variable(`${v.name}/${this.name}`, zeros(), {
          resource: v.resource,
          trainable: false,
          initialValueName: "Initializer/zeros",
        });
      slots.set(v, [slot(), slot()]);
    }

    return g.opScope(this.name, (opName) => {
      // _prepare: the hyper-parameters as constants.
      const scalar = (value: number, name: string) => g.constant(value, { dtype, shape: [], name });
      const lr = scalar(this.learningRate, "learning_rate");
      const beta1 = scalar(this.beta1, "beta1");
      const beta2 = scalar(this.beta2, "beta2");
      const epsilon = scalar(this.epsilon, "epsilon");
      const attrs = (t: DataType) => ({
        T: attr.type(t),
        use_locking: attr.b(false),
        use_nesterov: attr.b(false),
      });
      const updates = pairs.map(([v, grad]) => {
        const [m, s] = slots.get(v)!;
        return g.nameScope(`update_${v.name}`, () => {
          if (!v.resource) {
            return g.addOp(
              "ApplyAdam",
              [v.handle, m.handle, s.handle, beta1Power, beta2Power, lr, beta1, beta2, epsilon, grad],
              { attrs: attrs(v.dtype), outputs: [[v.dtype, v.shape]] },
            );
          }
          // The beta powers are read inside the op's own name scope, as TF's op wrapper does.
          return g.opScope("ResourceApplyAdam", (name) =>
            g.addOp(
              "ResourceApplyAdam",
              [
                v.handle,
                m.handle,
                s.handle,
                g.toOutput(beta1Power),
                g.toOutput(beta2Power),
                lr,
                beta1,
                beta2,
                epsilon,
                grad,
              ],
              { name, exact: true, attrs: attrs(v.dtype), outputs: [] },
            ),
          );
        });
      });
      // _finish: beta powers *= beta1, beta2 once every variable is updated.
      const powerUpdates = g.controlDependencies(updates, () =>
        [
          [beta1Power, beta1],
          [beta2Power, beta2],
        ].map(([power, beta]) => assignProduct(power as Variable, beta as Output)),
      );
      return g.group([...updates, ...powerUpdates], opName, true);
    });
  }
}

/** power.assign(power * beta): Assign (ref) or AssignVariableOp and TF's read-after-assign. */
function assignProduct(power: Variable, beta: Output): Operation {
  const g = power.graph;
  // A resource variable's `*` reads it first, outside the product's name scope ("Adam/ReadVariableOp").
  const product = g.mul(power.resource ? g.toOutput(power) : power, beta);
  if (!power.resource) {
    return g.addOp("Assign", [power.handle, product], {
      attrs: {
        T: attr.type(power.dtype),
        validate_shape: attr.b(true),
        use_locking: attr.b(false),
      },
      outputs: [[power.dtype, power.shape]],
    });
  }
  const assign = g.addOp("AssignVariableOp", [power.handle, product], {
    attrs: { dtype: attr.type(power.dtype), validate_shape: attr.b(true) },
    outputs: [],
  });
  // ResourceVariable.assign(read_value=True) reads the new value back under the assignment.
  g.controlDependencies([assign], () =>
    g.addOp("ReadVariableOp", [power.handle], {
      attrs: { dtype: attr.type(power.dtype) },
      outputs: [[power.dtype, power.shape]],
    }),
  );
  return assign;
}
