#!/usr/bin/env bash
# Creates the Python venv with real TensorFlow (tensorflow-cpu 2.21.0) that the real-TF interop test
# (test/real-tf-client.test.ts) and the TF benchmark peer (bench/tf-peer/) use.
#
#   scripts/setup-tf.sh            # venv at ${TFGATE_TF_VENV:-<repo>/.venv-tf}
#
# Idempotent: does nothing when `import tensorflow` already works in the venv. Installs only from
# this machine's local package index (a file:// URL in pip's config), passed explicitly with
# --index-url: pip's config also names an unreachable index, and letting pip try it costs minutes
# of retries. When no local index is configured, prints why and exits 0 — the real-TF tests then
# skip (or fail under CI=true, where this script is expected to have installed TensorFlow).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${TFGATE_TF_VENV:-$repo/.venv-tf}"
tf_requirement="tensorflow-cpu==2.21.0"
unavailable="TensorFlow not available on this machine; real-TF tests will skip"

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import tensorflow" >/dev/null 2>&1; then
  echo "setup-tf: TensorFlow already installed in $venv"
  exit 0
fi

# The tensorflow-cpu 2.21.0 wheel on this machine kind is built for CPython 3.11.
python="${PYTHON:-}"
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
      python="$candidate"
      break
    fi
  done
fi
if [ -z "$python" ] || ! "$python" -c 'import venv' >/dev/null 2>&1; then
  echo "setup-tf: no usable Python 3.11 interpreter found (set PYTHON=...). $unavailable"
  exit 0
fi

index=""
if "$python" -m pip --version >/dev/null 2>&1; then
  index="$("$python" -m pip config get global.extra-index-url 2>/dev/null | tr ' ' '\n' | grep '^file:' | head -1 || true)"
fi
if [ -z "$index" ]; then
  echo "setup-tf: no local (file://) package index in pip's config. $unavailable"
  exit 0
fi

echo "setup-tf: creating $venv with $("$python" --version 2>&1), index $index"
"$python" -m venv "$venv"
# --isolated: ignore pip's config and PIP_* env (their other indexes and find-links may not exist).
if ! "$venv/bin/python" -m pip install --quiet --isolated --disable-pip-version-check \
  --index-url "$index" "$tf_requirement"; then
  echo "setup-tf: installing $tf_requirement from $index failed. $unavailable"
  exit 0
fi

TF_CPP_MIN_LOG_LEVEL=2 "$venv/bin/python" -c \
  'import tensorflow as tf; print("setup-tf: TensorFlow", tf.__version__, "installed")'
