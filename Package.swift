// swift-tools-version:6.0
import PackageDescription

// No target uses unsafeFlags, so other packages can depend on this one by version
// (`.package(url: ..., from: "0.1.0")`, product SwvmCore). The engine needs no exclusivity
// flag: its hot path keeps state in raw pointers, which have no dynamic exclusivity checks.
// The self-contained libswvm.so (Swift runtime linked statically) is CMake's build
// (scripts/setup.sh), or `swift build -c release --product swvm -Xswiftc -static-stdlib
// --scratch-path .build-static` (--static-swift-stdlib covers executables only).
let package = Package(
    name: "swvm",
    products: [
        // libswvm.so: the C-ABI library described by include/swvm.h.
        .library(name: "swvm", type: .dynamic, targets: ["swvm"]),
        .library(name: "SwvmCore", targets: ["SwvmCore"]),
        // SwiftPM products need unique names; CMake installs this binary as `swvm`.
        .executable(name: "swvm-cli", targets: ["swvm-cli"]),
        .executable(name: "swvm-spectest", targets: ["swvm-spectest"]),
    ],
    targets: [
        .systemLibrary(name: "CFFI", pkgConfig: "libffi", providers: [.apt(["libffi-dev"])]),
        .target(name: "CSwvmSupport"),
        .target(name: "SwvmCore", dependencies: ["CSwvmSupport"]),
        .target(name: "SwvmWASI", dependencies: ["SwvmCore", "CSwvmSupport"]),
        // The C ABI. Linked with the Swift runtime statically by CMake, or by SwiftPM with
        // -Xswiftc -static-stdlib (README, "Linking").
        .target(name: "swvm", dependencies: ["SwvmCore", "SwvmWASI", "CFFI", "CSwvmSupport"]),
        .executableTarget(name: "swvm-cli", dependencies: ["SwvmCore", "SwvmWASI"]),
        .executableTarget(name: "swvm-spectest", dependencies: ["SwvmCore"]),
        .testTarget(name: "SwvmCoreTests", dependencies: ["SwvmCore"]),
    ],
    swiftLanguageModes: [.v5]
)
