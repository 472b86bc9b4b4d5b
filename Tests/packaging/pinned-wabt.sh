#!/usr/bin/env bash
# The spec conversion uses the pinned converters by path: with a wast2json, a wat2wasm and a
# wasm-tools that always fail first on PATH (as Debian's wabt 1.0.32 fails on the suite),
# scripts/spectest.sh still converts a few files of each suite, with WABT 1.0.42 (2.0) and
# the pinned wasm-tools (3.0).
#
#   Tests/packaging/pinned-wabt.sh [SUITE_DIR [SUITE3_DIR]]     (run by ctest as pinned_wabt)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
suite="${1:-${SWVM_TESTSUITE:-$root/../shared/wasm-testsuite}}"
suite3="${2:-${SWVM_SPEC3:-$root/../shared/wasm-spec-3.0}}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/bin" "$tmp/suite" "$tmp/suite3/memory64"
for tool in wast2json wat2wasm wasm-tools; do
    printf '#!/bin/sh\necho "fake %s on PATH was run" >&2\nexit 1\n' "$tool" > "$tmp/bin/$tool"
    chmod +x "$tmp/bin/$tool"
done
# comments.wast is the file Debian's wast2json 1.0.32 aborts on; the others are small.
for f in comments.wast i32.wast address.wast; do cp "$suite/$f" "$tmp/suite/"; done
for f in i32.wast memory64/memory64.wast; do cp "$suite3/$f" "$tmp/suite3/$f"; done
[ "$(PATH="$tmp/bin:$PATH" command -v wast2json)" = "$tmp/bin/wast2json" ]

PATH="$tmp/bin:$PATH" SWVM_TESTSUITE="$tmp/suite" SWVM_SPEC_JSON="$tmp/json" \
    SWVM_SPEC3="$tmp/suite3" SWVM_SPEC3_JSON="$tmp/json3" "$root/scripts/spectest.sh" --convert-only
for f in comments i32 address; do
    [ -s "$tmp/json/$f.json" ] || { echo "FAIL: $f.json was not written"; exit 1; }
done
grep -q '"source_filename": ".*/i32.wast"' "$tmp/json/i32.json"
# The 3.0 modules sit next to their JSON, folders kept.
for f in i32 memory64/memory64; do
    [ -s "$tmp/json3/$f.json" ] || { echo "FAIL: 3.0 $f.json was not written"; exit 1; }
    [ -s "$tmp/json3/$f.0.wasm" ] || { echo "FAIL: 3.0 $f.0.wasm was not written"; exit 1; }
done
grep -q '"source_filename":".*/memory64.wast"' "$tmp/json3/memory64/memory64.json"
echo "ok: the pinned wast2json and wasm-tools converted the suite files with failing ones first on PATH"
