#!/usr/bin/env bash
# The whole test suite: Swift unit tests, the official spec suite, the CMake build with the
# C examples, the Python ctypes host, the CLI and the installed-package consumers (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

echo "== generated sources are current"
python3 scripts/gen-opcodes.py
python3 scripts/gen-nodes.py
git diff --exit-code -- Sources/SwvmCore/Decoder/Opcode.swift Sources/SwvmCore/Execute/Generated

echo "== spec suite"
scripts/spectest.sh

# After the spec suite: its converted modules seed the decoder fuzz test.
echo "== swift test"
swift build
swift test

echo "== cmake + ctest (C examples, Python host, CLI, installed package)"
cmake -S . -B build -G Ninja
cmake --build build
(cd build && ctest --output-on-failure)
