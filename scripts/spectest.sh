#!/usr/bin/env bash
# Runs the official spec suites against swvm and fails if fewer commands pass, or more fail,
# than each suite's baseline allows; raise a baseline when the engine gets better.
#
#   scripts/spectest.sh [--convert-only] [2.0] [3.0]      (no suite named: both)
#
# 2.0: the Wasm 2.0 suite (SWVM_TESTSUITE, default ../shared/wasm-testsuite), converted by the
#      pinned WABT's wast2json into SWVM_SPEC_JSON (default .build/spec-json); baseline
#      Tests/spec/baseline.txt.
# 3.0: the Wasm 3.0 suite (SWVM_SPEC3, default ../shared/wasm-spec-3.0), converted by the
#      pinned wasm-tools' json-from-wast (WABT cannot read all of it) into SWVM_SPEC3_JSON
#      (default .build/spec-json-3.0); baseline Tests/spec/baseline-3.0.txt, whose `exclude`
#      lines name folders left out of the counted run and `report-only` lines folders run
#      after it, printed but never failing the script.
# Conversion is incremental; output from another converter version is converted again. The
# converters are run by path (scripts/tools.sh), whatever PATH holds.
set -euo pipefail
cd "$(dirname "$0")/.."
convert_only=0
suites=()
for a in "$@"; do
    case "$a" in
        --convert-only) convert_only=1 ;;
        2.0|3.0) suites+=("$a") ;;
        *) echo "usage: scripts/spectest.sh [--convert-only] [2.0] [3.0]" >&2; exit 2 ;;
    esac
done
[ ${#suites[@]} -eq 0 ] && suites=(2.0 3.0)
. scripts/tools.sh     # the pinned converters, by path: never ones found on PATH
shopt -s nullglob

# Empties a JSON directory converted by another converter (version) than $2, and stamps it.
stamp_converter() {
    local out="$1" converter="$2"
    mkdir -p "$out"
    if [ "$(cat "$out/.converter" 2>/dev/null)" != "$converter" ]; then
        find "$out" \( -name '*.json' -o -name '*.wasm' -o -name '*.wat' \) -delete
        echo "$converter" > "$out/.converter"
    fi
}

# Reads `key value` lines of a baseline file.
baseline() { awk -v k="$2" '$1 == k {print $2}' "$1"; }

convert_2() {
    suite="${SWVM_TESTSUITE:-$(pwd)/../shared/wasm-testsuite}"
    out2="${SWVM_SPEC_JSON:-.build/spec-json}"
    wabt_ready || scripts/install-deps.sh
    [ -d "$suite" ] || { echo "spec suite 2.0 not found at $suite (set SWVM_TESTSUITE)"; exit 1; }
    stamp_converter "$out2" "wabt $WABT_VERSION"
    mkdir -p "$out2/simd"
    local converted=0 wast rel json
    for wast in "$suite"/*.wast "$suite"/simd/*.wast; do
        rel="${wast#"$suite"/}"
        json="$out2/${rel%.wast}.json"
        if [ ! -f "$json" ] || [ "$wast" -nt "$json" ]; then
            "$wast2json" "$wast" -o "$json"
            converted=$((converted + 1))
        fi
    done
    echo "spec suite 2.0: $converted file(s) converted into $out2 (wast2json $WABT_VERSION)"
}

convert_3() {
    suite3="${SWVM_SPEC3:-$(pwd)/../shared/wasm-spec-3.0}"
    out3="${SWVM_SPEC3_JSON:-.build/spec-json-3.0}"
    wasm_tools_ready || scripts/install-deps.sh
    [ -d "$suite3" ] || { echo "spec suite 3.0 not found at $suite3 (set SWVM_SPEC3)"; exit 1; }
    stamp_converter "$out3" "wasm-tools $WASM_TOOLS_VERSION"
    local converted=0 wast rel json dir
    while IFS= read -r wast; do
        rel="${wast#"$suite3"/}"
        json="$out3/${rel%.wast}.json"
        dir="$(dirname "$json")"
        if [ ! -f "$json" ] || [ "$wast" -nt "$json" ]; then
            mkdir -p "$dir"
            # The modules go next to the JSON, which names them relative to itself.
            "$wasm_tools" json-from-wast "$wast" -o "$json" --wasm-dir "$dir/"
            converted=$((converted + 1))
        fi
    done < <(find "$suite3" -name '*.wast' | sort)
    echo "spec suite 3.0: $converted file(s) converted into $out3 (wasm-tools $WASM_TOOLS_VERSION)"
}

for s in "${suites[@]}"; do
    if [ "$s" = 2.0 ]; then convert_2; else convert_3; fi
done
[ "$convert_only" = 1 ] && exit 0

scripts/release-build.sh --product swvm-spectest
status=0
for s in "${suites[@]}"; do
    if [ "$s" = 2.0 ]; then
        b=Tests/spec/baseline.txt
        echo "== spec suite 2.0 ($out2, baseline $b)"
        .build/release/swvm-spectest --wasm2 --min-passed "$(baseline $b min-passed)" --max-failed "$(baseline $b max-failed)" \
            "$out2" || status=1
    else
        b=Tests/spec/baseline-3.0.txt
        excludes=()
        for d in $(baseline $b exclude); do excludes+=(--exclude "$d"); done
        echo "== spec suite 3.0 ($out3, baseline $b; not counted: $(baseline $b exclude | tr '\n' ' '))"
        .build/release/swvm-spectest "${excludes[@]}" --min-passed "$(baseline $b min-passed)" \
            --max-failed "$(baseline $b max-failed)" "$out3" || status=1
        for d in $(baseline $b report-only); do
            echo "== spec suite 3.0, $d/ (report only: may fail until implemented)"
            .build/release/swvm-spectest "$out3/$d" || true
        done
    fi
done
exit $status
