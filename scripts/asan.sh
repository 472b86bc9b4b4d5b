#!/usr/bin/env bash
# The spec suite and every C example under AddressSanitizer (Swift and C both instrumented).
#
#   scripts/asan.sh
#
# Builds libswvm.so, the spec runner and the C examples with -sanitize=address into
# .build-asan/ (the toolchain's clang, so that Swift and C share one ASan runtime), then runs
# them; any ASan report fails the script. Leak checking is on for the C examples.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build-asan
swift build -c release --scratch-path "$out" -Xswiftc -sanitize=address -Xcc -fsanitize=address \
    --product swvm-spectest
swift build -c release --scratch-path "$out" -Xswiftc -sanitize=address -Xcc -fsanitize=address \
    --product swvm
lib="$out/release"
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/Tests/asan/lsan.supp
# Swift's crash backtracer would attach to a process ASan is stopping, and hang.
export SWIFT_BACKTRACE=enable=no

echo "== spec suites under ASan"
[ -d .build/spec-json ] && [ -d .build/spec-json-3.0 ] || scripts/spectest.sh --convert-only >/dev/null
"$lib/swvm-spectest" --wasm2 .build/spec-json > "$out/spectest.log" 2>&1 || { tail -60 "$out/spectest.log"; exit 1; }
grep -E '^[0-9]+ passed' "$out/spectest.log"
# The 3.0 suite as scripts/spectest.sh counts it (its baseline allows the features not yet there).
b=Tests/spec/baseline-3.0.txt
excludes=()
for d in $(awk '$1 == "exclude" {print $2}' $b); do excludes+=(--exclude "$d"); done
"$lib/swvm-spectest" "${excludes[@]}" --min-passed "$(awk '$1 == "min-passed" {print $2}' $b)" \
    --max-failed "$(awk '$1 == "max-failed" {print $2}' $b)" .build/spec-json-3.0 > "$out/spectest-3.0.log" 2>&1 ||
    { tail -60 "$out/spectest-3.0.log"; exit 1; }
grep -E '^[0-9]+ passed' "$out/spectest-3.0.log"

echo "== C examples under ASan"
cc=/opt/swift/usr/bin/clang
[ -x "$cc" ] || cc=$(command -v clang)
ex=c-examples
run() {
    local name=$1; shift
    "$cc" -g -O1 -fsanitize=address -Iinclude "$ex/$name/$name.c" -L"$lib" -lswvm -lpthread \
        -Wl,-rpath,"$PWD/$lib" -o "$out/$name"
    if "$out/$name" "$@" > "$out/$name.log" 2>&1; then echo "ok   $name"
    else echo "FAIL $name"; tail -40 "$out/$name.log"; exit 1; fi
}
run hello "$ex/hello/demo.wasm"
run api_errors
run host_functions "$ex/host_functions/host.wasm"
run linking "$ex/linking"
run native_pointer "$ex/hello/demo.wasm"
run wasi_host "$ex/wasi_host/greet.wasm"
run limits "$ex/limits/untrusted.wasm"
echo "ASan: clean"
