import Testing
@testable import SwvmCore

// v128 values take two frame slots (docs/engine.md, "v128 values"): every place that lays out
// values by position (parameters, locals, results, globals, block parameters and results,
// branches carrying values, select, calls between Wasm functions and to the host) must count
// them twice. These tests mix v128 with scalars on both sides so an off-by-one shows.

private let i32x4Add: UInt32 = 0xAE, i32x4Splat: UInt32 = 0x11, i32x4ExtractLane: UInt32 = 0x1B
private let i32x4ReplaceLane: UInt32 = 0x1C

private func v(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> Value {
    .v128(UInt64(a) | UInt64(b) << 32, UInt64(c) | UInt64(d) << 32)
}

private func lanes(_ x: Value?) -> [UInt32] {
    guard case .v128(let lo, let hi)? = x else { return [] }
    return [UInt32(truncatingIfNeeded: lo), UInt32(truncatingIfNeeded: lo >> 32),
            UInt32(truncatingIfNeeded: hi), UInt32(truncatingIfNeeded: hi >> 32)]
}

@Test func v128ParametersAndResultsBetweenScalars() throws {
    var b = ModuleBuilder()
    // (i64, v128, i32, v128) -> (i32, v128, i64): (p2 + 1, p1 + p3, p0 * 2)
    b.function("f", [.i64, .v128, .i32, .v128], [.i32, .v128, .i64],
               W.get(2) + W.i32(1) + [0x6A] + W.get(1) + W.get(3) + W.simd(i32x4Add) + W.get(0) + W.i64(2) + [0x7E])
    // One v128 result (left in the frame's slots, not in the register).
    b.function("g", [.v128], [.v128], W.get(0) + W.get(0) + W.simd(i32x4Add))
    let inst = try instantiate(b)
    let r = try inst.function("f")!.call([.i64(21), v(1, 2, 3, 4), .i32(41), v(10, 20, 30, 0xFFFF_FFFF)])
    #expect(r.count == 3)
    #expect(r[0] == .i32(42))
    #expect(lanes(r[1]) == [11, 22, 33, 3])
    #expect(r[2] == .i64(42))
    #expect(lanes(try inst.function("g")!.call([v(1, 2, 3, 0x8000_0000)]).first) == [2, 4, 6, 0])
}

@Test func v128CallsBetweenWasmFunctions() throws {
    var b = ModuleBuilder()
    b.table = (1, [0])
    // callee (i32, v128, i32) -> (v128, i32): (replace_lane 0 of p1 with p0, p2)
    let callee = b.function(nil, [.i32, .v128, .i32], [.v128, .i32],
                            W.get(1) + W.get(0) + W.simd(i32x4ReplaceLane, [0]) + W.get(2))
    // Direct call with an expression argument after the v128, then lane 0 + lane 1 + the i32.
    b.function("direct", [], [.i32], locals: [.i32],
               W.i32(5) + W.v128([1, 2, 3, 4]) + W.i32(3) + W.i32(4) + [0x6A] + W.call(callee) +
               W.set(0) + W.simd(i32x4ExtractLane, [1]) + W.get(0) + [0x6A])
    // The same through call_indirect (type index of the callee's type is 0).
    b.function("indirect", [], [.i32], locals: [.i32],
               W.i32(5) + W.v128([1, 2, 3, 4]) + W.i32(7) + W.i32(0) + [0x11, 0x00, 0x00] +
               W.set(0) + W.simd(i32x4ExtractLane, [0]) + W.get(0) + [0x6A])
    let inst = try instantiate(b)
    #expect(try inst.function("direct")!.call([]) == [.i32(9)])
    #expect(try inst.function("indirect")!.call([]) == [.i32(12)])
}

@Test func v128LocalsAreZeroedAndDoNotOverlapScalars() throws {
    var b = ModuleBuilder()
    // params (i32, v128); locals i32, v128, i64: the v128 local starts zeroed; scalars around
    // it keep their values while it is written.
    b.function("f", [.i32, .v128], [.i32], locals: [.i32, .v128, .i64],
               W.get(3) + W.simd(i32x4ExtractLane, [3]) + W.i32(100) + [0x6A] + W.set(2) +
               W.i64(7) + W.set(4) +
               W.get(1) + W.get(1) + W.simd(i32x4Add) + W.set(3) +
               W.get(3) + W.simd(i32x4ExtractLane, [3]) + W.get(2) + [0x6A] + W.get(0) + [0x6A] +
               W.get(4) + [0xA7] + [0x6A])
    let inst = try instantiate(b)
    // zeroed lane 3 + 100 = 100; 2 * 9 = 18; + 1000 + 7
    #expect(try inst.function("f")!.call([.i32(1000), v(0, 0, 0, 9)]) == [.i32(1125)])
}

@Test func v128Globals() throws {
    var b = ModuleBuilder()
    b.globals = [(.i32, true, W.i32(3)), (.v128, true, W.v128([1, 2, 3, 4])), (.i64, true, W.i64(5))]
    // global1 := global1 + splat(global0); return lane 2 of global1 + global2
    b.function("f", [], [.i32],
               W.globalGet(1) + W.globalGet(0) + W.simd(i32x4Splat) + W.simd(i32x4Add) + W.globalSet(1) +
               W.globalGet(1) + W.simd(i32x4ExtractLane, [2]) + W.globalGet(2) + [0xA7] + [0x6A])
    let inst = try instantiate(b)
    #expect(try inst.function("f")!.call([]) == [.i32(11)])
    #expect(try inst.function("f")!.call([]) == [.i32(14)])
    #expect(lanes(inst.globals[1].value) == [7, 8, 9, 10])
    try inst.globals[1].set(v(9, 9, 9, 9))
    #expect(try inst.function("f")!.call([]) == [.i32(17)])
}

@Test func v128Select() throws {
    var b = ModuleBuilder()
    // select between two v128 (one a local, one computed) on a computed condition; then a
    // scalar select next to it.
    b.function("f", [.v128, .i32], [.v128, .i32],
               W.get(0) + W.get(0) + W.get(0) + W.simd(i32x4Add) + W.get(1) + W.i32(1) + [0x71] + W.select +
               W.i32(10) + W.i32(20) + W.get(1) + W.select)
    let inst = try instantiate(b)
    let f = inst.function("f")!
    let a = try f.call([v(1, 2, 3, 4), .i32(1)])
    #expect(lanes(a[0]) == [1, 2, 3, 4] && a[1] == .i32(10))
    let c = try f.call([v(1, 2, 3, 4), .i32(0)])
    #expect(lanes(c[0]) == [2, 4, 6, 8] && c[1] == .i32(20))
}

@Test func v128BlockParametersAndBranches() throws {
    var b = ModuleBuilder()
    b.blockTypes = [FuncType(params: [.i32, .v128], results: [.v128, .i32])]
    // block (i32 v128) -> (v128 i32): br_if out with (v, i) swapped when p0 != 0, else falls
    // through adding; the block's results are then combined.
    let body: [UInt8] =
        W.i32(7) + W.get(1) + W.typed(0x02, 0) +
        W.set(3) + W.set(2) +                     // local2 = i32, local3 = v128
        W.get(3) + W.get(2) + W.get(0) + W.brIf(0) + W.drop + W.drop +
        W.get(3) + W.get(3) + W.simd(i32x4Add) + W.get(2) + W.i32(100) + [0x6A] +
        W.end +
        W.set(2) + W.simd(i32x4ExtractLane, [1]) + W.get(2) + [0x6A]
    b.function("f", [.i32, .v128], [.i32], locals: [.i32, .v128], body)
    // A loop carrying a v128 parameter around a counter: adds splat(1) five times.
    b.blockTypes.append(FuncType(params: [.v128], results: [.v128]))
    let loop: [UInt8] =
        W.get(0) + W.typed(0x03, 1) +
        W.i32(1) + W.simd(i32x4Splat) + W.simd(i32x4Add) +
        W.get(1) + W.i32(1) + [0x6A] + W.tee(1) + W.i32(5) + [0x48] + W.brIf(0) +
        W.end + W.simd(i32x4ExtractLane, [2])
    b.function("loop", [.v128], [.i32], locals: [.i32], loop)
    // br_table carrying a v128 to one of three block labels, each adding a different amount.
    b.blockTypes.append(FuncType(params: [], results: [.v128]))
    let table: [UInt8] =
        W.typed(0x02, 2) + W.typed(0x02, 2) + W.typed(0x02, 2) +
        W.get(0) + W.get(1) + W.brTable([0, 1], 2) + W.end +
        W.i32(1) + W.simd(i32x4Splat) + W.simd(i32x4Add) + W.end +
        W.i32(10) + W.simd(i32x4Splat) + W.simd(i32x4Add) + W.end +
        W.simd(i32x4ExtractLane, [0])
    b.function("table", [.v128, .i32], [.i32], table)
    let inst = try instantiate(b)
    let f = inst.function("f")!
    // taken: results (v, 7) → lane1 + 7
    #expect(try f.call([.i32(1), v(1, 2, 3, 4)]) == [.i32(9)])
    // not taken: (v + v, 107) → 4 + 107
    #expect(try f.call([.i32(0), v(1, 2, 3, 4)]) == [.i32(111)])
    #expect(try inst.function("loop")!.call([v(0, 0, 10, 0)]) == [.i32(15)])
    let t = inst.function("table")!
    #expect(try t.call([v(100, 0, 0, 0), .i32(0)]) == [.i32(111)])
    #expect(try t.call([v(100, 0, 0, 0), .i32(1)]) == [.i32(110)])
    #expect(try t.call([v(100, 0, 0, 0), .i32(9)]) == [.i32(100)])
}

@Test func v128HostFunctions() throws {
    let store = keptStore()
    let linker = Linker(store: store)
    // Host: (v128, i32) -> (i32, v128): swaps, adding the i32 to every lane.
    linker.defineFunction(module: "env", name: "h", type: FuncType(params: [.v128, .i32], results: [.i32, .v128])) { _, args in
        guard case .v128(let lo, let hi) = args[0], case .i32(let k) = args[1] else { return [] }
        let l = [UInt32(truncatingIfNeeded: lo), UInt32(truncatingIfNeeded: lo >> 32),
                 UInt32(truncatingIfNeeded: hi), UInt32(truncatingIfNeeded: hi >> 32)].map { $0 &+ k }
        return [.i32(k), v(l[0], l[1], l[2], l[3])]
    }
    var b = ModuleBuilder()
    b.imports = [("env", "h", FuncType(params: [.v128, .i32], results: [.i32, .v128]))]
    b.function("f", [], [.i32], locals: [.i32],
               W.v128([1, 2, 3, 4]) + W.i32(10) + W.call(0) + W.simd(i32x4ExtractLane, [3]) + [0x6A])
    let inst = try linker.instantiate(try Module.load(b.build()))
    #expect(try inst.function("f")!.call([]) == [.i32(24)])
}

@Test func scalarReadOfAV128IsNotClobberedByTheNextPush() throws {
    var b = ModuleBuilder()
    // extract_lane leaves a pending expression that reads the pair; the next value pushed
    // starts at the pair's second slot and is written by a statement (splat) before the add.
    b.function("f", [], [.i32],
               W.v128([1, 2, 3, 4]) + W.simd(i32x4ExtractLane, [1]) +
               W.i32(40) + W.simd(i32x4Splat) + W.simd(i32x4ExtractLane, [0]) + [0x6A])
    let inst = try instantiate(b)
    #expect(try inst.function("f")!.call([]) == [.i32(42)])
}

/// The reference shuffle: lane i of the result is byte idx[i] of the 32 bytes x, y.
private func referenceShuffle(_ idx: [UInt8], _ x: [UInt8], _ y: [UInt8]) -> [UInt8] {
    idx.map { $0 < 16 ? x[Int($0)] : y[Int($0) - 16] }
}

private func bytes(_ v: Value?) -> [UInt8] {
    guard case .v128(let lo, let hi)? = v else { return [] }
    return (0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? lo : hi) >> UInt64(8 * ($0 % 8))) }
}

private func v128(_ b: [UInt8]) -> Value {
    var lo: UInt64 = 0, hi: UInt64 = 0
    for i in 0..<8 { lo |= UInt64(b[i]) << UInt64(8 * i); hi |= UInt64(b[8 + i]) << UInt64(8 * i) }
    return .v128(lo, hi)
}

@Test func shufflesOfEveryShapeMatchTheReference() throws {
    // The byte-widening shapes the translator gives nodes of their own, with either operand
    // as the widened one and as the kept one, near misses of each (one index off: the
    // general node), and patterns of no shape at all.
    /// Lane i takes byte moved(i) of operand `from`, or else byte i of operand `keep`.
    func shape(_ moved: (Int) -> Int?, _ from: UInt8, _ keep: UInt8) -> [UInt8] {
        var p: [UInt8] = []
        for i in 0..<16 {
            if let k = moved(i) { p.append(from + UInt8(k)) } else { p.append(keep + UInt8(i)) }
        }
        return p
    }
    let low8: (Int) -> Int? = { i in i % 2 == 0 ? i / 2 : nil }
    let high8: (Int) -> Int? = { i in i % 2 == 0 ? 8 + i / 2 : nil }
    let low8To32: (Int) -> Int? = { i in i % 4 == 0 ? i / 4 : nil }
    var patterns: [[UInt8]] = []
    for from: UInt8 in [0, 16] {
        for keep: UInt8 in [0, 16] {
            patterns.append(shape(low8, from, keep))
            patterns.append(shape(high8, from, keep))
            patterns.append(shape(low8To32, from, keep))
        }
    }
    for p in patterns {
        var miss = p
        miss[5] ^= 16  // the other operand's byte at one kept position
        patterns.append(miss)
        var moved = p
        moved[4] = (moved[4] + 1) % 32  // one moved byte from the wrong place
        patterns.append(moved)
    }
    var seed: UInt32 = 12345
    func random() -> UInt8 {
        seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5
        return UInt8(truncatingIfNeeded: seed)
    }
    for _ in 0..<8 { patterns.append((0..<16).map { _ in random() % 32 }) }
    var b = ModuleBuilder()
    for (k, p) in patterns.enumerated() {
        b.function("s\(k)", [.v128, .v128], [.v128], W.get(0) + W.get(1) + W.simd(0x0D, p))
    }
    let inst = try instantiate(b)
    for (k, p) in patterns.enumerated() {
        let x = (0..<16).map { _ in random() }, y = (0..<16).map { _ in random() }
        let got = bytes(try inst.function("s\(k)")!.call([v128(x), v128(y)]).first)
        #expect(got == referenceShuffle(p, x, y), "pattern \(p)")
    }
}
