#!/usr/bin/env bash
# Converts the official Wasm 2.0 spec suite with WABT's wast2json (incrementally, into
# .build/spec-json) and runs swvm-spectest on it. Fails if fewer commands pass, or more fail,
# than Tests/spec/baseline.txt allows; raise the baseline when the engine gets better.
#
#   scripts/spectest.sh [--convert-only]
#
# SWVM_TESTSUITE names the suite (default ../shared/wasm-testsuite), SWVM_SPEC_JSON the output
# directory (default .build/spec-json). The converter is the pinned WABT (scripts/tools.sh),
# run by path whatever PATH holds; output from another converter version is converted again.
set -euo pipefail
cd "$(dirname "$0")/.."
convert_only=0
[ "${1:-}" = --convert-only ] && convert_only=1
suite="${SWVM_TESTSUITE:-$(pwd)/../shared/wasm-testsuite}"
out="${SWVM_SPEC_JSON:-.build/spec-json}"
. scripts/tools.sh     # the pinned wast2json, by path: never one found on PATH
wabt_ready || scripts/install-deps.sh
[ -d "$suite" ] || { echo "spec suite not found at $suite (set SWVM_TESTSUITE)"; exit 1; }

mkdir -p "$out/simd"
# Converted by another wast2json (an older run of this script used the first one on PATH):
# start afresh.
if [ "$(cat "$out/.converter" 2>/dev/null)" != "wabt $WABT_VERSION" ]; then
    find "$out" -name '*.json' -delete
    find "$out" -name '*.wasm' -delete
    find "$out" -name '*.wat' -delete
    echo "wabt $WABT_VERSION" > "$out/.converter"
fi
shopt -s nullglob
converted=0
for wast in "$suite"/*.wast "$suite"/simd/*.wast; do
    rel="${wast#"$suite"/}"
    json="$out/${rel%.wast}.json"
    if [ ! -f "$json" ] || [ "$wast" -nt "$json" ]; then
        "$wast2json" "$wast" -o "$json"
        converted=$((converted + 1))
    fi
done
echo "spec suite: $converted file(s) converted into $out (wast2json $WABT_VERSION)"
[ "$convert_only" = 1 ] && exit 0

swift build -c release --omit-frame-pointers --product swvm-spectest
min_passed=$(awk '/^min-passed/ {print $2}' Tests/spec/baseline.txt)
max_failed=$(awk '/^max-failed/ {print $2}' Tests/spec/baseline.txt)
.build/release/swvm-spectest --min-passed "$min_passed" --max-failed "$max_failed" "$out"
