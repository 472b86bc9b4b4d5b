import Glibc
import Testing
@testable import SwvmCore

// Every input the fuzzer ever found a problem with (Tests/fuzz/regressions) goes through the
// fuzz harness again: each must end in an error or a trap, never a crash or a hang.

private func regressionInputs() -> [(String, [UInt8])] {
    let dir = String(#filePath).split(separator: "/").dropLast(2).joined(separator: "/")
    let path = "/" + dir + "/fuzz/regressions"
    guard let d = opendir(path) else { return [] }
    defer { closedir(d) }
    var inputs: [(String, [UInt8])] = []
    while let entry = readdir(d) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        guard !name.hasPrefix("."), name != "README.md", let f = fopen(path + "/" + name, "rb") else { continue }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            bytes += buf[0..<n]
            if n < buf.count { break }
        }
        fclose(f)
        inputs.append((name, bytes))
    }
    return inputs.sorted { $0.0 < $1.0 }
}

@Test func fuzzRegressionInputsEndInAnErrorOrATrap() {
    let inputs = regressionInputs()
    #expect(!inputs.isEmpty, "Tests/fuzz/regressions holds the fuzzer's findings and seeds")
    for (_, bytes) in inputs { FuzzHarness.run(bytes) }
}

@Test func fuzzHarnessRunsModulesToTheEnd() throws {
    // The harness must really execute: a module that loops forever is stopped by fuel, a
    // trapping export counts as a trap, and imports get stand-ins.
    var b = ModuleBuilder()
    b.imports = [("env", "f", FuncType(params: [.i32], results: [.i64]))]
    b.function("spin", [], [], W.loop() + W.br(0) + W.end)
    b.function("trap", [], [], W.unreachable)
    b.function("callsImport", [], [.i64], W.i32(1) + W.call(0))
    #expect(FuzzHarness.run(b.build()) == .instantiated(calls: 3, traps: 2))
    #expect(FuzzHarness.run([0, 0x61, 0x73]) == .rejected)
}
