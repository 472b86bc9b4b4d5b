#!/usr/bin/env bash
# The Python package installs and runs with no environment variables: `pip install ./python`
# and `pip wheel ./python` (packaging the given libswvm.so), each installed into a fresh venv
# and used from a directory outside the source tree, with SWVM_LIBRARY and LD_LIBRARY_PATH unset.
#
#   Tests/packaging/python-package.sh LIBSWVM [PYTHON]     (run by ctest as python_package)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
lib="$(realpath "$1")"
python="${2:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp "$root/c-examples/hello/demo.wasm" "$root/c-examples/wasi_host/greet.wasm" "$tmp/"
unset SWVM_LIBRARY LD_LIBRARY_PATH PYTHONPATH

check() {  # $1: how it was installed
    local py="$tmp/venv/bin/python"
    (cd "$tmp" && "$py" - <<'PY'
import os, swvm
assert os.path.dirname(swvm.library_path()) == os.path.dirname(swvm.__file__), swvm.library_path()
assert "/site-packages/swvm/" in swvm.__file__, swvm.__file__
instance = swvm.Instance(swvm.Module(open("demo.wasm", "rb").read()))
assert instance.exports.fib(90) == 2880067194370816120
PY
    )
    local out status=0
    out="$(cd "$tmp" && "$py" -m swvm run greet.wasm packaged)" || status=$?
    [ "$status" = 7 ] && [ "$out" = "hello from WASI, packaged" ] \
        || { echo "FAIL ($1): python -m swvm run: exit $status, output '$out'"; exit 1; }
    echo "ok: $1"
}

"$python" -m venv --without-pip "$tmp/venv"
pip=("$python" -m pip --python "$tmp/venv/bin/python" --disable-pip-version-check -q)

SWVM_WHEEL_LIBRARY="$lib" "${pip[@]}" install "$root/python"
check "pip install ./python"
"${pip[@]}" uninstall -y swvm

SWVM_WHEEL_LIBRARY="$lib" "$python" -m pip wheel --disable-pip-version-check -q "$root/python" -w "$tmp/dist"
"${pip[@]}" install "$tmp"/dist/swvm-*.whl
check "pip wheel ./python, then pip install the wheel"
