#!/usr/bin/env bash
# Installs and builds what the benchmark harness (bench/run.py) needs, on top of what
# scripts/install-deps.sh installs (clang-14, lld-14, wasi-libc, valgrind, python3-venv, ...):
#   - gcc (the native column),
#   - a venv with the Python-hosted peers, pinned: pywasm3 (wasm3) and wasmtime, under
#     ${SWVM_TOOLS:-~/.cache/swvm-tools}/bench-venv,
#   - swvm itself (`scripts/release-build.sh`: a release build with the flags in scripts/swift-release-flags),
#   - the WasmKit 0.4.2 driver, a separate SwiftPM package in bench/wasmkit-driver.
# Idempotent: each step is skipped or incremental when already done. SWVM_BENCH_SKIP_SWVM=1
# skips the swvm build (for `run.py --swvm-lib`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

PYWASM3_VERSION=0.5.0
WASMTIME_VERSION=50.0.1

scripts/install-deps.sh
if ! command -v gcc >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq gcc >/dev/null
fi

tools="${SWVM_TOOLS:-$HOME/.cache/swvm-tools}"
venv="$tools/bench-venv"
if ! "$venv/bin/python" -c "import wasm3, wasmtime" >/dev/null 2>&1 \
   || [ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("pywasm3"), m.version("wasmtime"))')" \
        != "$PYWASM3_VERSION $WASMTIME_VERSION" ]; then
    echo "installing pywasm3 $PYWASM3_VERSION and wasmtime $WASMTIME_VERSION into $venv"
    mkdir -p "$tools"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "pywasm3==$PYWASM3_VERSION" "wasmtime==$WASMTIME_VERSION"
fi

if [ "${SWVM_BENCH_SKIP_SWVM:-0}" != 1 ]; then
    echo "building swvm (release)"
    scripts/release-build.sh --product swvm
    scripts/release-build.sh --product swvm-cli
fi

# Even when up to date, this build recompiles part of WasmKit (a minute here): only when the
# driver's own files changed.
driver=bench/wasmkit-driver/.build/release/wasmkit-driver
if [ ! -x "$driver" ] || [ bench/wasmkit-driver/Package.swift -nt "$driver" ] \
   || [ bench/wasmkit-driver/Sources/wasmkit-driver/main.swift -nt "$driver" ]; then
    echo "building the WasmKit driver (release)"
    swift build -c release --omit-frame-pointers --package-path bench/wasmkit-driver
fi
echo "ready: bench/run.py"
