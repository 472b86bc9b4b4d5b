import Foundation
import Testing
@testable import SwvmCore

// Feeds mutated modules to the decoder and validator: every input must produce a module or a
// WasmError, never a crash, a hang or an allocation sized by a hostile count. Seeds are the
// spec suite's converted modules when scripts/spectest.sh has produced them, plus modules
// built here; the generator is seeded, so a failure reproduces.

private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func seedModules() -> [[UInt8]] {
    var seeds: [[UInt8]] = []
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.build/spec-json").standardized
    if let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) {
        for f in files.sorted() where f.hasSuffix(".wasm") {
            if let d = FileManager.default.contents(atPath: dir.appendingPathComponent(f).path), d.count < 4096 {
                seeds.append([UInt8](d))
            }
        }
    }
    var b = ModuleBuilder()
    b.memoryPages = (1, 2)
    b.globals = [(.i32, true, W.i32(5))]
    b.table = (2, [0, 1])
    b.data = [(8, [1, 2, 3])]
    b.function("f", [.i32, .i64], [.i64], locals: [.f32],
               W.get(1) + W.get(0) + [0xAD] + [0x7C] + W.block(.i64) + W.i64(3) + W.end + [0x7E])
    b.function("g", [], [.i32], W.i32(0) + W.load(0x28, offset: 4) + W.globalGet(0) + [0x6A])
    seeds.append(b.build())
    return seeds
}

private func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var m = input
    for _ in 0..<(1 + Int(rng.next() % 3)) {
        guard !m.isEmpty else { break }
        let i = Int(rng.next() % UInt64(m.count))
        switch rng.next() % 6 {
        case 0: m[i] ^= UInt8(1 << (rng.next() % 8))  // bit flip
        case 1: m[i] = UInt8(truncatingIfNeeded: rng.next())  // random byte
        case 2: m[i] = [0x00, 0x7F, 0x80, 0xFF, 0x40, 0x0B][Int(rng.next() % 6)]  // interesting byte
        case 3: m.removeSubrange(i..<m.count)  // truncation
        case 4: m.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)  // insertion
        default: m.remove(at: i)  // deletion
        }
    }
    return m
}

@Test func mutatedModulesDecodeOrFailCleanly() throws {
    let seeds = seedModules()
    var rng = SplitMix64(state: 0x5357_564D)
    var accepted = 0, malformed = 0, invalid = 0
    let perSeed = max(8, 6000 / seeds.count)
    for seed in seeds {
        for _ in 0..<perSeed {
            let input = mutate(seed, &rng)
            switch Result(catching: { () throws(WasmError) -> Module in try Module.load(input) }) {
            case .success: accepted += 1
            case .failure(let e):
                #expect(e.kind == .malformed || e.kind == .invalid, "unexpected error kind \(e.kind): \(e)")
                #expect(!e.message.isEmpty)
                if e.kind == .malformed { malformed += 1 } else { invalid += 1 }
            }
        }
    }
    #expect(accepted + malformed + invalid >= 6000)
    print("fuzz: \(seeds.count) seeds, \(accepted) accepted, \(malformed) malformed, \(invalid) invalid")
}

/// Typed function references under mutation, executed: the 3.0 suite's modules that use them
/// (when converted) and a module of our own, mutated, then loaded and, if valid, instantiated
/// and called under fuel (FuzzHarness). Any outcome but a crash is fine.
@Test func mutatedTypedReferenceModulesRunCleanly() throws {
    var seeds: [[UInt8]] = [applyModule().build()]
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.build/spec-json-3.0").standardized
    let prefixes = ["call_ref.", "return_call_ref.", "br_on_null.", "br_on_non_null.", "ref_as_non_null.",
                    "local_init.", "type-rec.", "type-equivalence.", "unreached-valid.", "table."]
    if let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) {
        for f in files.sorted() where f.hasSuffix(".wasm") && prefixes.contains(where: { f.hasPrefix($0) }) {
            if let d = FileManager.default.contents(atPath: dir.appendingPathComponent(f).path), d.count < 4096 {
                seeds.append([UInt8](d))
            }
        }
    }
    var rng = SplitMix64(state: 0x7459_7065)
    var instantiated = 0, calls = 0
    let perSeed = max(8, 20_000 / seeds.count)
    for seed in seeds {
        for k in 0..<perSeed {
            // The unmutated module first: it must run.
            if case .instantiated(let c, _) = FuzzHarness.run(k == 0 ? seed : mutate(seed, &rng)) {
                instantiated += 1
                calls += c
            }
        }
    }
    #expect(instantiated >= seeds.count / 2)
    print("typed-reference fuzz: \(seeds.count) seeds, \(instantiated) instantiated, \(calls) calls")
}

@Test func hostileCountsAreMalformedNotAllocations() throws {
    // A type section claiming 2^32-1 types, a function section claiming as many functions,
    // a code entry claiming 2^32-1 locals, a br_table claiming 2^32-1 targets: all in a few
    // bytes, all malformed.
    let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
    let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
    let cases: [[UInt8]] = [
        header + [0x01, 0x05] + huge,
        header + [0x03, 0x05] + huge,
        header + [0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x09, 0x01, 0x07, 0x01] + huge + [0x7F],
        header + [0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x0B, 0x01, 0x09, 0x00, 0x41, 0x00, 0x0E] + huge,
    ]
    for bytes in cases {
        #expect(throws: WasmError.self) { try Module.load(bytes) }
        let r = Result(catching: { () throws(WasmError) -> Module in try Module.load(bytes) })
        if case .failure(let e) = r { #expect(e.kind == .malformed, "\(e)") }
    }
}
