#!/usr/bin/env bash
# Coverage-guided fuzzing of load + validate + instantiate + call-every-export (libFuzzer,
# AddressSanitizer), seeded with the spec suite's modules and Tests/fuzz/regressions.
#
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags]     (default 300 seconds)
#
# Builds into .build-fuzz/ with swiftc directly (SwiftPM cannot give one target libFuzzer's
# main). Crashing inputs land in .build-fuzz/crashes/; copy each into Tests/fuzz/regressions/
# once fixed, where the unit tests replay them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
out=.build-fuzz
mkdir -p "$out/corpus" "$out/crashes"

# The spec modules as seeds (converted by scripts/spectest.sh).
if [ -d .build/spec-json ] && [ -z "$(ls -A "$out/seeds" 2>/dev/null)" ]; then
    mkdir -p "$out/seeds"
    cp .build/spec-json/*.wasm "$out/seeds/" 2>/dev/null || true
fi
mkdir -p "$out/seeds"

flags=(-O -sanitize=fuzzer,address -parse-as-library -enforce-exclusivity=unchecked -swift-version 5
       -I Sources/CSwvmSupport/include)
clang -O1 -g -fsanitize=address,fuzzer-no-link -I Sources/CSwvmSupport/include \
    -c Sources/CSwvmSupport/support.c -o "$out/support.o"
swiftc "${flags[@]}" -module-name SwvmCore -emit-module -emit-module-path "$out/SwvmCore.swiftmodule" \
    -emit-library -static -o "$out/libSwvmCore.a" $(find Sources/SwvmCore -name '*.swift' | sort)
swiftc "${flags[@]}" -I "$out" -module-name SwvmFuzz -o "$out/swvm-fuzz" \
    Tests/fuzz/FuzzTarget.swift Tests/SwvmCoreTests/Support/FuzzHarness.swift \
    "$out/libSwvmCore.a" "$out/support.o"

echo "== fuzzing for ${seconds}s (corpus $out/corpus, seeds $out/seeds + Tests/fuzz/regressions)"
"$out/swvm-fuzz" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=200000 \
    -artifact_prefix="$out/crashes/" -print_final_stats=1 "$@" \
    "$out/corpus" "$out/seeds" Tests/fuzz/regressions
