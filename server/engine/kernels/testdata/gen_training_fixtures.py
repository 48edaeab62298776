#!/usr/bin/env python3
"""Expected values for the optimizer kernels (training-ops.test.ts), computed by TensorFlow itself.

    .venv-tf/bin/python server/engine/kernels/testdata/gen_training_fixtures.py \
        > server/engine/kernels/testdata/training-fixtures.json

Each case runs one ResourceApply<Op> eagerly on resource variables holding fixed initial values
and records every variable after the update, for float32 and float64. The Apply<Op> (ref) kernels
share the implementation, and the test runs both.
Output: {"tf_version", "cases": [{name, op, dtype, vars, init, grad, scalars, attrs, expected}]}
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

GRAD = [0.5, -1.0, 2.0]
INIT = [[1.0, -2.0, 3.0], [0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.05, 0.05, 0.05]]

# name: (op, variable inputs, scalar inputs, bool attrs)
CASES = {
    "Momentum": ("Momentum", ["var", "accum"], dict(lr=0.1, momentum=0.9), {}),
    "MomentumNesterov": ("Momentum", ["var", "accum"], dict(lr=0.1, momentum=0.9), dict(use_nesterov=True)),
    "KerasMomentum": ("KerasMomentum", ["var", "accum"], dict(lr=0.1, momentum=0.9), {}),
    "KerasMomentumNesterov": ("KerasMomentum", ["var", "accum"], dict(lr=0.1, momentum=0.9), dict(use_nesterov=True)),
    "Adam": ("Adam", ["var", "m", "v"],
             dict(beta1_power=0.81, beta2_power=0.998, lr=0.01, beta1=0.9, beta2=0.999, epsilon=1e-7), {}),
    "AdamNesterov": ("Adam", ["var", "m", "v"],
                     dict(beta1_power=0.81, beta2_power=0.998, lr=0.01, beta1=0.9, beta2=0.999, epsilon=1e-7),
                     dict(use_nesterov=True)),
    "RMSProp": ("RMSProp", ["var", "ms", "mom"], dict(lr=0.01, rho=0.9, momentum=0.5, epsilon=1e-7), {}),
    "CenteredRMSProp": ("CenteredRMSProp", ["var", "mg", "ms", "mom"],
                        dict(lr=0.01, rho=0.9, momentum=0.5, epsilon=1e-7), {}),
    "Adagrad": ("Adagrad", ["var", "accum"], dict(lr=0.1), {}),
    "AdagradNoSlots": ("Adagrad", ["var", "accum"], dict(lr=0.1), dict(update_slots=False)),
    "AdagradV2": ("AdagradV2", ["var", "accum"], dict(lr=0.1, epsilon=1e-3), {}),
    "Adadelta": ("Adadelta", ["var", "accum", "accum_update"], dict(lr=1.0, rho=0.95, epsilon=1e-6), {}),
    "Ftrl": ("Ftrl", ["var", "accum", "linear"], dict(lr=0.3, l1=0.1, l2=0.2, lr_power=-0.6), {}),
    "FtrlMultiply": ("Ftrl", ["var", "accum", "linear"], dict(lr=0.3, l1=0.1, l2=0.2, lr_power=-0.5),
                     dict(multiply_linear_by_lr=True)),
    "FtrlV2": ("FtrlV2", ["var", "accum", "linear"],
               dict(lr=0.3, l1=0.1, l2=0.2, l2_shrinkage=0.05, lr_power=-0.5), {}),
    "FtrlV2Multiply": ("FtrlV2", ["var", "accum", "linear"],
                       dict(lr=0.3, l1=0.1, l2=0.2, l2_shrinkage=0.05, lr_power=-0.7),
                       dict(multiply_linear_by_lr=True)),
}


def main():
    cases = []
    for dt in (tf.float32, tf.float64):
        for name, (op, var_names, scalars, attrs) in CASES.items():
            init = INIT[: len(var_names)]
            vs = [tf.Variable(v, dtype=dt) for v in init]
            kwargs = {n: v.handle for n, v in zip(var_names, vs)}
            kwargs.update({k: tf.constant(v, dt) for k, v in scalars.items()})
            kwargs["grad"] = tf.constant(GRAD, dt)
            kwargs.update(attrs)
            getattr(tf.raw_ops, "ResourceApply" + op)(**kwargs)
            cases.append({
                "name": name, "op": op, "dtype": dt.name, "vars": var_names, "init": init, "grad": GRAD,
                "scalars": scalars, "attrs": attrs, "expected": [v.numpy().tolist() for v in vs],
            })
    print(json.dumps({"tf_version": tf.__version__, "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
