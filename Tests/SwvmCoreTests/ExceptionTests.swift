import Testing
@testable import SwvmCore

// Exception handling (Wasm 3.0): an exception unwinds like a trap, and a try_table, which runs
// its body as a nested chain, is the handler point (Runtime/Exceptions.swift). These pin down
// what that must keep: payloads, the call depth and native stack after a catch, branches and
// returns out of a try_table, tail calls leaving their handlers behind, traps passing through,
// tags compared by identity across instances, and exceptions crossing host functions.

private func throwTag(_ t: UInt32) -> [UInt8] { [0x08] + W.u(UInt64(t)) }
private let throwRef: [UInt8] = [0x0A]
private enum Clause {
    case tag(UInt32, UInt32), tagRef(UInt32, UInt32), all(UInt32), allRef(UInt32)
    var bytes: [UInt8] {
        switch self {
        case .tag(let t, let l): return [0x00] + W.u(UInt64(t)) + W.u(UInt64(l))
        case .tagRef(let t, let l): return [0x01] + W.u(UInt64(t)) + W.u(UInt64(l))
        case .all(let l): return [0x02] + W.u(UInt64(l))
        case .allRef(let l): return [0x03] + W.u(UInt64(l))
        }
    }
}
private func tryTable(_ result: ValueType? = nil, _ clauses: [Clause]) -> [UInt8] {
    [0x1F] + (result?.encoding ?? [0x40]) + W.u(UInt64(clauses.count)) + clauses.flatMap(\.bytes)
}

private func i32(_ values: [Value]) -> Int32? {
    if case .i32(let v)? = values.first { return Int32(bitPattern: v) }
    return nil
}

private func failure(_ body: () throws -> Void) -> WasmError? {
    do { try body() } catch let e as WasmError { return e } catch { return nil }
    return nil
}

/// Tag 0 carries an i32, tag 1 nothing.
private func baseModule() -> ModuleBuilder {
    var b = ModuleBuilder()
    b.tags = [([.i32], "t0"), ([], "t1")]
    return b
}

@Test func aCaughtExceptionDeliversItsPayloadToTheLabel() throws {
    var b = baseModule()
    // f(x) = x == 0 ? 100 : (throw t0(x), caught with its payload as the block's result)
    b.function("f", [.i32], [.i32],
               W.block(.i32) + tryTable(.i32, [.tag(0, 0)])
               + W.get(0) + [0x45] + W.if(.i32) + W.i32(100) + W.else + W.get(0) + throwTag(0) + W.end
               + W.end + W.end)
    // rethrow(x): catch_all_ref, then throw_ref, caught outside by tag: x again.
    b.function("rethrow", [.i32], [.i32],
               W.block(.i32) + tryTable(.i32, [.tag(0, 0)])
               + W.block(.exnref) + tryTable(nil, [.allRef(0)]) + W.get(0) + throwTag(0) + W.end + W.unreachable + W.end
               + throwRef + W.end + W.end)
    b.function("nullRef", [], [], [0xD0, 0x69] + throwRef)
    // A trap is not an exception: catch_all does not stop it.
    b.function("trapInTry", [], [], W.block() + tryTable(nil, [.all(0)]) + W.unreachable + W.end + W.end)
    let inst = try instantiate(b)
    #expect(try i32(inst.function("f")!.call([.i32(0)])) == 100)
    #expect(try i32(inst.function("f")!.call([.i32(UInt32(bitPattern: -7))])) == -7)
    #expect(try i32(inst.function("rethrow")!.call([.i32(42)])) == 42)
    #expect(failure { _ = try inst.function("nullRef")!.call([]) }?.trap == .nullExceptionReference)
    #expect(failure { _ = try inst.function("trapInTry")!.call([]) }?.trap == .unreachable)
}

@Test func branchesAndReturnsLeaveATryTableAndTailCallsLeaveItsHandlers() throws {
    var b = baseModule()
    // brOut(x): 0 -> br out with 11, 1 -> return 22 from inside, 2 -> throw t1, caught: 44,
    // otherwise x falls off the try_table's end.
    b.function("brOut", [.i32], [.i32],
               W.block() + W.block(.i32) + tryTable(.i32, [.all(1)])
               + W.get(0) + [0x45] + W.if() + W.i32(11) + W.br(2) + W.end
               + W.get(0) + W.i32(1) + [0x46] + W.if() + W.i32(22) + W.ret + W.end
               + W.get(0) + W.i32(2) + [0x46] + W.if() + throwTag(1) + W.end
               + W.get(0) + W.end + W.end + W.ret + W.end + W.i32(44))
    let thrower = b.function(nil, [], [.i32], throwTag(1))
    // The handler belongs to the frame a tail call replaces: the exception is not caught.
    b.function("tailInTry", [], [.i32], W.block() + tryTable(nil, [.all(0)]) + [0x12] + W.u(UInt64(thrower)) + W.end + W.end + W.i32(55))
    b.function("callInTry", [], [.i32], W.block() + tryTable(nil, [.all(0)]) + W.call(thrower) + W.ret + W.end + W.end + W.i32(55))
    // A loop whose body throws and catches: 100,000 times, in constant native stack and memory.
    b.function("loop", [.i32], [.i32], locals: [.i32],
               W.loop() + W.block() + tryTable(nil, [.all(0)]) + W.get(0) + throwTag(0) + W.end + W.end
               + W.get(1) + W.i32(1) + [0x6A] + W.set(1)
               + W.get(0) + W.i32(1) + [0x6B] + W.tee(0) + W.brIf(0) + W.end + W.get(1))
    let store = keptStore()
    let inst = try instantiate(b, store: store)
    let brOut = inst.function("brOut")!
    #expect(try i32(brOut.call([.i32(0)])) == 11)
    #expect(try i32(brOut.call([.i32(1)])) == 22)
    #expect(try i32(brOut.call([.i32(2)])) == 44)
    #expect(try i32(brOut.call([.i32(9)])) == 9)
    #expect(failure { _ = try inst.function("tailInTry")!.call([]) }?.kind == .exception)
    #expect(try i32(inst.function("callInTry")!.call([])) == 55)
    try onSmallStack {
        let r = try inst.function("loop")!.call([.i32(100_000)])
        #expect(i32(r) == 100_000)
    }
    // Exceptions caught without a reference to them are freed at once.
    #expect(store.exceptions.count <= 1)
}

@Test func aCatchRestoresTheCallDepthAndAnUncaughtExceptionReachesTheHost() throws {
    var config = StoreConfig()
    config.maxCallDepth = 600
    var b = baseModule()
    // deep(n) = n == 0 ? throw t1 : deep(n - 1)
    let deep = b.function("deep", [.i32], [],
                          W.get(0) + [0x45] + W.if() + throwTag(1) + W.end + W.get(0) + W.i32(1) + [0x6B] + W.call(0))
    // twice(n): catches deep(n)'s exception twice in one call; with 2n above the depth limit,
    // the second only fits if the first catch restored the depth.
    let catchDeep = W.block() + tryTable(nil, [.tag(1, 0)]) + W.get(0) + W.call(deep) + W.end + W.end
    b.function("twice", [.i32], [.i32], catchDeep + catchDeep + W.i32(1))
    let inst = try instantiate(b, store: keptStore(config))
    #expect(try i32(inst.function("twice")!.call([.i32(400)])) == 1)
    let e = failure { _ = try inst.function("deep")!.call([.i32(3)]) }
    #expect(e?.kind == .exception)
    #expect(e?.exception?.tag === inst.tag("t1"))
    #expect(e?.exception?.payload.isEmpty == true)
    #expect(e?.backtrace.count == 4)
    // The store runs on afterwards.
    #expect(try i32(inst.function("twice")!.call([.i32(10)])) == 1)
}

@Test func exceptionsCrossHostFunctionsAndInstancesByTagIdentity() throws {
    let store = keptStore()
    let linker = Linker(store: store)
    let hostTag = try Tag(type: FuncType(params: [.i64], results: []))
    linker.define(module: "env", name: "ht", .tag(hostTag))
    linker.defineFunction(module: "env", name: "hostThrow", type: FuncType(params: [.i64], results: [])) { _, args in
        guard case .i64(let x) = args[0] else { return [] }
        throw try Exception(tag: hostTag, payload: [.i64(x &* 2)])
    }
    nonisolated(unsafe) var reentered: Instance?
    linker.defineFunction(module: "env", name: "reenter", type: FuncType(params: [], results: [])) { _, _ in
        // A Wasm exception coming out of a call the host makes travels on through the host.
        _ = try reentered!.function("deep")!.call([.i32(2)])
        return []
    }

    // A: defines and exports t0 (i32) and t1 (); deep(n) throws t1 at depth n.
    var a = baseModule()
    a.function("deep", [.i32], [], W.get(0) + [0x45] + W.if() + throwTag(1) + W.end + W.get(0) + W.i32(1) + [0x6B] + W.call(0))
    let instA = try linker.instantiate(try Module.load(a.build()))
    reentered = instA
    linker.register("a", instance: instA)

    // B: imports the host functions, the host's tag (tag 0), A's t1 (tag 1), and has a tag of
    // its own with t1's type (tag 2).
    var b = ModuleBuilder()
    b.imports = [(module: "env", name: "hostThrow", type: FuncType(params: [.i64], results: [])),
                 (module: "env", name: "reenter", type: FuncType(params: [], results: []))]
    b.tagImports = [(module: "env", name: "ht", params: [.i64]), (module: "a", name: "t1", params: [])]
    b.tags = [([], "own")]
    b.function("catchHost", [.i64], [.i64],
               W.block(.i64) + tryTable(.i64, [.tag(0, 0)]) + W.get(0) + W.call(0) + W.i64(-1) + W.end + W.end)
    b.function("throughHost", [], [.i32],
               W.block() + tryTable(nil, [.tag(1, 0)]) + W.call(1) + W.end + W.i32(0) + W.ret + W.end + W.i32(1))
    b.function("ownTagOnly", [], [.i32],
               W.block() + tryTable(nil, [.tag(2, 0)]) + W.call(1) + W.end + W.end + W.i32(1))
    let instB = try linker.instantiate(try Module.load(b.build()))
    #expect(try instB.function("catchHost")!.call([.i64(21)]).first == .i64(42))
    #expect(try i32(instB.function("throughHost")!.call([])) == 1)
    let e = failure { _ = try instB.function("ownTagOnly")!.call([]) }
    #expect(e?.kind == .exception)
    #expect(e?.exception?.tag === instA.tag("t1"))
    #expect(instB.tag("own") !== instA.tag("t1"))
    // A host exception that nothing catches reaches the host with its payload.
    var c = ModuleBuilder()
    c.imports = [(module: "env", name: "hostThrow", type: FuncType(params: [.i64], results: []))]
    c.function("uncaught", [], [], W.i64(5) + W.call(0))
    let instC = try linker.instantiate(try Module.load(c.build()))
    let u = failure { _ = try instC.function("uncaught")!.call([]) }
    #expect(u?.exception?.tag === hostTag)
    #expect(u?.exception?.payload == [.i64(10)])
    // A tag import must match the type.
    var d = ModuleBuilder()
    d.tagImports = [(module: "env", name: "ht", params: [.i32])]
    #expect(failure { _ = try linker.instantiate(try Module.load(d.build())) }?.kind == .link)
}

@Test func nestedTryTablesBranchTablesAndALoopOfCatches() throws {
    var b = baseModule()
    // nested(x): br_table from inside two try_tables, to the inner one's end (no exit), to a
    // block outside both (two exits), or further out past another block.
    //   block $out (result i32)
    //     block $mid (result i32)
    //       try_table (result i32)                    ;; outer
    //         try_table (result i32)                  ;; inner
    //           i32.const 7  local.get 0  br_table 0 2 3
    //         end  i32.const 1  i32.add
    //       end  i32.const 100  i32.add  br $out
    //     end  i32.const 200  i32.add
    //   end
    b.function("nested", [.i32], [.i32],
               W.block(.i32) + W.block(.i32) + tryTable(.i32, []) + tryTable(.i32, [])
               + W.i32(7) + W.get(0) + [0x0E, 0x02, 0x00, 0x02, 0x03]
               + W.end + W.i32(1) + [0x6A] + W.end + W.i32(100) + [0x6A] + W.br(1)
               + W.end + W.i32(200) + [0x6A] + W.end)
    // retry(n): a loop whose body throws t0(k + 1) while k < n; the catch hands the payload to
    // a block, which sets k and goes round again: n exceptions, then a branch out of the
    // try_table past the loop.
    b.function("retry", [.i32], [.i32], locals: [.i32],
               W.block() + W.loop()
               + W.block(.i32) + tryTable(nil, [.tag(0, 0)])
               + W.get(1) + W.get(0) + [0x48] + W.if() + W.get(1) + W.i32(1) + [0x6A] + throwTag(0) + W.end
               + W.br(3) + W.end + W.unreachable + W.end
               + W.set(1) + W.br(0) + W.end + W.end + W.get(1))
    let inst = try instantiate(b)
    let nested = inst.function("nested")!
    #expect(try i32(nested.call([.i32(0)])) == 108)
    #expect(try i32(nested.call([.i32(1)])) == 207)
    #expect(try i32(nested.call([.i32(2)])) == 7)
    #expect(try i32(nested.call([.i32(9)])) == 7)
    #expect(try i32(inst.function("retry")!.call([.i32(1000)])) == 1000)
}

@Test func capturedExceptionsAreDroppedAfterTheOutermostCallUnlessStorageCanHoldThem() throws {
    // capture(x): the exnref of t0(x), returned to the host; rethrow(e): throw_ref;
    // churn(n): n exceptions captured as exnref and dropped inside Wasm.
    let capture = W.block(.exnref) + tryTable(nil, [.allRef(0)]) + W.get(0) + throwTag(0) + W.end + W.unreachable + W.end
    var b = baseModule()
    let captureIndex = b.function("capture", [.i32], [.exnref], capture)
    b.function("rethrow", [.exnref], [], W.get(0) + throwRef)
    b.function("churn", [.i32], [], W.loop() + W.get(0) + W.call(captureIndex) + W.drop
               + W.get(0) + W.i32(1) + [0x6B] + W.tee(0) + W.brIf(0) + W.end)
    let store = keptStore()
    let inst = try instantiate(b, store: store)
    try _ = inst.function("churn")!.call([.i32(1000)])
    #expect(store.exceptions.isEmpty)
    // One handed to the host stays with the store (a C host holds it as a pointer).
    let r = try inst.function("capture")!.call([.i32(9)])
    #expect(store.exceptions.count == 1)
    try _ = inst.function("churn")!.call([.i32(10)])
    #expect(store.exceptions.count == 1)
    guard case .exnref(let e?)? = r.first else {
        Issue.record("capture returned \(r)")
        return
    }
    // The host's value keeps the exception alive and usable.
    #expect(e.payload == [.i32(9)])
    #expect(e.tag === inst.tag("t0"))
    let err = failure { _ = try inst.function("rethrow")!.call([.exnref(e)]) }
    #expect(err?.exception === e)
    #expect(store.exceptions.count == 1)

    // A module with an exnref global: exceptions may be stored there, so they stay.
    var g = baseModule()
    g.globals = [(type: .exnref, mutable: true, initial: [0xD0, 0x69])]
    g.function("capture", [.i32], [.exnref], capture)
    let store2 = keptStore()
    let inst2 = try instantiate(g, store: store2)
    _ = try inst2.function("capture")!.call([.i32(1)])
    #expect(store2.exceptions.count == 1)
}

@Test func aV128PayloadTakesTwoSlotsInTheExceptionAndAtTheCatch() throws {
    // Tag 0 carries (v128, i32). f catches it into a block of type [v128 i32] and returns lane 2
    // of the vector plus the i32: 3 + 7. g lets it reach the host, and a host-made exception
    // with the same payload round-trips through Exception.payload.
    var b = ModuleBuilder()
    b.blockTypes = [FuncType(params: [], results: [.v128, .i32])]
    b.tags = [([.v128, .i32], "t")]
    let vector: [UInt8] = [0xFD, 0x0C] + (1...4).flatMap { (lane: UInt32) in withUnsafeBytes(of: lane.littleEndian, Array.init) }
    let raise = vector + W.i32(7) + throwTag(0)
    b.function("f", [], [.i32], locals: [.i32],
               [0x02, 0x00] + tryTable(nil, [.tag(0, 0)]) + raise + W.end + [0x00] + W.end
               + W.set(0) + [0xFD, 0x1B, 2] + W.get(0) + [0x6A])
    b.function("g", [], [], raise)
    let inst = try instantiate(b)
    #expect(try i32(inst.function("f")!.call([])) == 10)
    let e = failure { _ = try inst.function("g")!.call([]) }
    #expect(e?.exception?.payload == [.v128(0x0000_0002_0000_0001, 0x0000_0004_0000_0003), .i32(7)])
    let made = try Exception(tag: inst.tag("t")!, payload: [.v128(5, 6), .i32(8)])
    #expect(made.payload == [.v128(5, 6), .i32(8)])
}
