#!/usr/bin/env bash
# The optimised SwiftPM build the scripts use (set-up, spec suite, benchmarks): release, no
# frame pointers, and the swiftc flags listed in scripts/swift-release-flags, which CMake's
# release build reads too. They align every function to 64 bytes: the engine's nodes are small
# functions that each end in an indirect jump, and how they share cache lines moves their time
# from one build to the next; aligned, they ran 4 % faster on average, though builds still
# differ on some kernels (docs/engine.md, "Code alignment"). Package.swift cannot
# carry them (no unsafe flags, so that packages can depend on swvm by version).
# Arguments go on to `swift build` (--product, --scratch-path, ...).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flags=()
while read -r f; do [ -n "$f" ] && flags+=(-Xswiftc "$f"); done < "$root/scripts/swift-release-flags"
exec swift build --package-path "$root" -c release --omit-frame-pointers "${flags[@]}" "$@"
