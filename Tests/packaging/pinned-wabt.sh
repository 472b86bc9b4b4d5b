#!/usr/bin/env bash
# The spec conversion uses the pinned WABT by path: with a wast2json and a wat2wasm that
# always fail first on PATH (as Debian's wabt 1.0.32 fails on the suite), scripts/spectest.sh
# still converts a few suite files, with WABT 1.0.42.
#
#   Tests/packaging/pinned-wabt.sh [SUITE_DIR]     (run by ctest as pinned_wabt)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
suite="${1:-${SWVM_TESTSUITE:-$root/../shared/wasm-testsuite}}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/bin" "$tmp/suite"
for tool in wast2json wat2wasm; do
    printf '#!/bin/sh\necho "fake %s on PATH was run" >&2\nexit 1\n' "$tool" > "$tmp/bin/$tool"
    chmod +x "$tmp/bin/$tool"
done
# comments.wast is the file Debian's wast2json 1.0.32 aborts on; the others are small.
for f in comments.wast i32.wast address.wast; do cp "$suite/$f" "$tmp/suite/"; done
[ "$(PATH="$tmp/bin:$PATH" command -v wast2json)" = "$tmp/bin/wast2json" ]

PATH="$tmp/bin:$PATH" SWVM_TESTSUITE="$tmp/suite" SWVM_SPEC_JSON="$tmp/json" \
    "$root/scripts/spectest.sh" --convert-only
for f in comments i32 address; do
    [ -s "$tmp/json/$f.json" ] || { echo "FAIL: $f.json was not written"; exit 1; }
done
grep -q '"source_filename": ".*/i32.wast"' "$tmp/json/i32.json"
echo "ok: the pinned wast2json converted the suite files with a failing one first on PATH"
