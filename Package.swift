// swift-tools-version:6.0
import PackageDescription

// The engine is optimised as one module; the C ABI and the tools sit on top of it.
let engineFlags: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"]),
]

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
        .target(name: "SwvmCore", dependencies: ["CSwvmSupport"], swiftSettings: engineFlags),
        .target(name: "SwvmWASI", dependencies: ["SwvmCore", "CSwvmSupport"]),
        // The Swift runtime is linked statically: libswvm.so then needs only system libraries
        // (README, "Linking").
        .target(name: "swvm", dependencies: ["SwvmCore", "SwvmWASI", "CFFI", "CSwvmSupport"],
                linkerSettings: [.unsafeFlags(["-static-stdlib"])]),
        .executableTarget(name: "swvm-cli", dependencies: ["SwvmCore", "SwvmWASI"]),
        .executableTarget(name: "swvm-spectest", dependencies: ["SwvmCore"]),
        .testTarget(name: "SwvmCoreTests", dependencies: ["SwvmCore"]),
    ],
    swiftLanguageModes: [.v5]
)
