// libFuzzer entry point: built by scripts/fuzz.sh together with SwvmCore's sources and
// Tests/SwvmCoreTests/Support/FuzzHarness.swift, with -sanitize=fuzzer,address.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzHarness.run(bytes)
    return 0
}
