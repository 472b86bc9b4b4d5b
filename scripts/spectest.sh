#!/usr/bin/env bash
# Converts the official Wasm 2.0 spec suite with WABT's wast2json (incrementally, into
# .build/spec-json) and runs swvm-spectest on it. Fails if fewer commands pass, or more fail,
# than Tests/spec/baseline.txt allows; raise the baseline when the engine gets better.
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${SWVM_TESTSUITE:-$(pwd)/../shared/wasm-testsuite}"
out=.build/spec-json
tools="${SWVM_TOOLS:-$HOME/.cache/swvm-tools}"
wast2json="$(command -v wast2json || true)"
if [ -z "$wast2json" ]; then
    [ -x "$tools/wabt-venv/bin/wast2json" ] || scripts/install-deps.sh
    wast2json="$tools/wabt-venv/bin/wast2json"
fi
[ -d "$suite" ] || { echo "spec suite not found at $suite (set SWVM_TESTSUITE)"; exit 1; }

mkdir -p "$out/simd"
converted=0
for wast in "$suite"/*.wast "$suite"/simd/*.wast; do
    rel="${wast#"$suite"/}"
    json="$out/${rel%.wast}.json"
    if [ ! -f "$json" ] || [ "$wast" -nt "$json" ]; then
        "$wast2json" "$wast" -o "$json"
        converted=$((converted + 1))
    fi
done
echo "spec suite: $converted file(s) converted into $out"

swift build -c release --product swvm-spectest
min_passed=$(awk '/^min-passed/ {print $2}' Tests/spec/baseline.txt)
max_failed=$(awk '/^max-failed/ {print $2}' Tests/spec/baseline.txt)
.build/release/swvm-spectest --min-passed "$min_passed" --max-failed "$max_failed" "$out"
