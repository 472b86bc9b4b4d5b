// swift-tools-version:6.0
import PackageDescription

// The WasmKit peer of the benchmark harness (bench/run.py). A package of its own so that the
// main swvm package never depends on WasmKit.
let package = Package(
    name: "wasmkit-driver",
    dependencies: [
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
    ],
    targets: [
        .executableTarget(
            name: "wasmkit-driver",
            dependencies: [.product(name: "WasmKit", package: "WasmKit")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
