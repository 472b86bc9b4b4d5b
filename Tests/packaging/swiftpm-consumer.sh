#!/usr/bin/env bash
# SwvmCore as a versioned SwiftPM dependency: clones this repository's HEAD into a scratch
# directory, tags it 0.1.0 there, and builds and runs a throw-away package that depends on it
# with `.package(url: "file://...", from: "0.1.0")`. SwiftPM refuses unsafeFlags in a package
# depended on by version, so this fails if any target of Package.swift brings them back.
# Commit first: the clone sees HEAD, not the working tree.
#
#   Tests/packaging/swiftpm-consumer.sh [SCRATCH_DIR]     (run by ctest as swiftpm_consumer)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -n "${1:-}" ]; then
    tmp="$1"; rm -rf "$tmp"; mkdir -p "$tmp"
else
    tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fi

git clone -q --no-local "$root" "$tmp/swvm"
git -C "$tmp/swvm" -c user.name=test -c user.email=test@localhost tag -f -a 0.1.0 -m 0.1.0 >/dev/null

mkdir -p "$tmp/consumer/Sources/consumer"
cat > "$tmp/consumer/Package.swift" <<MANIFEST
// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "consumer",
    dependencies: [.package(url: "file://$tmp/swvm", from: "0.1.0")],
    targets: [
        .executableTarget(name: "consumer", dependencies: [.product(name: "SwvmCore", package: "swvm")]),
    ]
)
MANIFEST
cat > "$tmp/consumer/Sources/consumer/main.swift" <<'SWIFT'
import Foundation
import SwvmCore

// The README's Swift example: load modules, import a host function, call exports, catch a trap.
do {
    // (module (import "env" "twice" (func $twice (param i32) (result i32)))
    //   (func (export "quad") (param i32) (result i32) (call $twice (call $twice (local.get 0)))))
    let quadWasm: [UInt8] = [
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
        0x02, 0x0d, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x05, 0x74, 0x77, 0x69, 0x63, 0x65, 0x00, 0x00, 0x03,
        0x02, 0x01, 0x00, 0x07, 0x08, 0x01, 0x04, 0x71, 0x75, 0x61, 0x64, 0x00, 0x01, 0x0a, 0x0a, 0x01,
        0x08, 0x00, 0x20, 0x00, 0x10, 0x00, 0x10, 0x00, 0x0b]
    let store = Store()
    let linker = Linker(store: store)
    linker.defineFunction(module: "env", name: "twice", type: FuncType(params: [.i32], results: [.i32])) { _, args in
        guard case .i32(let x) = args[0] else { return [] }
        return [.i32(x &* 2)]
    }
    let quad = try linker.instantiate(try Module.load(quadWasm))    // decode + validate, link
    print("quad(10) =", try quad.function("quad")!.call([.i32(10)]))

    let demo = try linker.instantiate(try Module.load(
        [UInt8](FileManager.default.contents(atPath: CommandLine.arguments[1])!)))
    print("fib(90) =", try demo.function("fib")!.call([.i64(90)]))
    do {
        _ = try demo.function("div")!.call([.i32(1), .i32(0)])
    } catch {
        print("div(1, 0): \(error.kind): \(error.message)")
    }
} catch {
    print("error: \(error)")
    exit(1)
}
SWIFT

cd "$tmp/consumer"
swift build 2>&1 | tail -3
out="$(swift run -q consumer "$root/c-examples/hello/demo.wasm")"
echo "$out"
grep -q "^quad(10) = \[i32:40\]" <<< "$out" || { echo "FAIL: host function"; exit 1; }
grep -q "^fib(90) = \[i64:2880067194370816120\]" <<< "$out" || { echo "FAIL: unexpected output"; exit 1; }
grep -q "^div(1, 0): trap: integer divide by zero" <<< "$out" || { echo "FAIL: no trap"; exit 1; }
grep -q '"version" : "0.1.0"' Package.resolved || { echo "FAIL: not resolved by version"; cat Package.resolved; exit 1; }
echo "ok: a package depending on SwvmCore from: 0.1.0 builds and runs"
