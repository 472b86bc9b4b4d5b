#!/bin/sh
# Times the toolkit's self-test (bench/programs/toolkit) natively (gcc and clang), under swvm
# and under wasm3 (its CLI, and pywasm3 through wasm3_wasi.py), after checking that every one
# prints exactly what the gcc build prints.
#
# usage: toolkit-bench.sh [SCALE [HYPERFINE OPTIONS...]]   (default: 4 --warmup 1 --runs 5)
#   SWVM=path/to/swvm        (default: swvm on PATH)
#   WASM3=path/to/wasm3      the wasm3 CLI; skipped when unset
#   OUT=dir                  build directory (default: /tmp/toolkit-bench)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SCALE=${1:-4}
[ $# -gt 0 ] && shift
SWVM=${SWVM:-swvm}
OUT=${OUT:-/tmp/toolkit-bench}
mkdir -p "$OUT"
SRC="$HERE/toolkit"

gcc -O2 -o "$OUT/toolkit-gcc" "$SRC"/*.c -lm
clang-14 -O2 -o "$OUT/toolkit-clang" "$SRC"/*.c -lm
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--stack-first -o "$OUT/toolkit.wasm" "$SRC"/*.c -lm

"$OUT/toolkit-gcc" selftest "$SCALE" > "$OUT/expected.txt"
check() {
    name=$1
    shift
    "$@" selftest "$SCALE" > "$OUT/got.txt" 2> "$OUT/stderr.txt"
    if cmp -s "$OUT/got.txt" "$OUT/expected.txt"; then
        echo "$name: output identical to the gcc build ($(wc -c < "$OUT/expected.txt") bytes)"
    else
        echo "$name: OUTPUT DIFFERS from the gcc build" >&2
        exit 1
    fi
}
check clang "$OUT/toolkit-clang"
check swvm "$SWVM" run "$OUT/toolkit.wasm"
check pywasm3 python3 "$HERE/wasm3_wasi.py" "$OUT/toolkit.wasm"
[ $# -eq 0 ] && set -- --warmup 1 --runs 5
set -- "$@" \
    -n "native gcc -O2" "$OUT/toolkit-gcc selftest $SCALE" \
    -n "native clang-14 -O2" "$OUT/toolkit-clang selftest $SCALE" \
    -n "swvm run" "$SWVM run $OUT/toolkit.wasm selftest $SCALE" \
    -n "pywasm3 (wasm3_wasi.py)" "python3 $HERE/wasm3_wasi.py $OUT/toolkit.wasm selftest $SCALE"
if [ -n "${WASM3:-}" ]; then
    check "wasm3 CLI" "$WASM3" "$OUT/toolkit.wasm"
    set -- "$@" -n "wasm3 CLI" "$WASM3 $OUT/toolkit.wasm selftest $SCALE"
fi
hyperfine -N --export-markdown "$OUT/results.md" "$@"
