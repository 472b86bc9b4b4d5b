#!/usr/bin/env bash
# One command for a newcomer: installs what is missing, builds swvm (SwiftPM and CMake),
# installs libswvm.so, swvm.h, the `swvm` CLI, swvm.pc and the CMake package under
# ${PREFIX:-/usr/local}, then builds the C demo host with a plain `cc ... -lswvm` and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${PREFIX:-/usr/local}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

scripts/install-deps.sh
scripts/release-build.sh
cmake -S . -B build -G Ninja -DCMAKE_INSTALL_PREFIX="$prefix"
cmake --build build
$sudo cmake --install build
[ "$prefix" = /usr/local ] && $sudo ldconfig

echo "== demo: a C host linked with -lswvm runs a bundled module"
mkdir -p build/demo
rpath=()
[ "$prefix" = /usr/local ] || rpath=(-Wl,-rpath,"$prefix/lib")   # not on the loader's path
cc c-examples/hello/hello.c -I"$prefix/include" -L"$prefix/lib" -lswvm "${rpath[@]}" -o build/demo/hello
build/demo/hello c-examples/hello/demo.wasm
