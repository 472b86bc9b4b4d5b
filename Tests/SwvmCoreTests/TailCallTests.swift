import Glibc
import Testing
@testable import SwvmCore

// Tail calls (return_call, return_call_indirect) replace the caller's frame with the callee's
// and continue in the same statement chain (Execute/TailCallNodes.swift). These tests run in
// the unoptimised build, which trampolines: a chain of tail calls must still run in constant
// native stack, keep fuel and interruption working, and check the value stack for a callee
// frame larger than the caller's.

private func returnCall(_ f: UInt32) -> [UInt8] { [0x12] + W.u(UInt64(f)) }
private func returnCallIndirect(type: UInt32, table: UInt32 = 0) -> [UInt8] { [0x13] + W.u(UInt64(type)) + W.u(UInt64(table)) }

private func i64(_ values: [Value]) -> Int64? {
    if case .i64(let v)? = values.first { return Int64(bitPattern: v) }
    return nil
}

private func failure(_ body: () throws -> Void) -> WasmError? {
    do { try body() } catch let e as WasmError { return e } catch { return nil }
    return nil
}

/// even(n) = n == 0 ? 1 : odd(n - 1) by return_call; odd(n) = n == 0 ? 0 : even(n - 1) by
/// return_call_indirect through table slot 0. Both have type 0, (i64) -> (i64).
private func evenOdd() -> ModuleBuilder {
    var b = ModuleBuilder()
    let even: UInt32 = 0, odd: UInt32 = 1
    b.function("even", [.i64], [.i64],
               W.get(0) + [0x50] + W.if(.i64) + W.i64(1) + W.else
               + W.get(0) + W.i64(1) + [0x7D] + returnCall(odd) + W.end)
    b.function("odd", [.i64], [.i64],
               W.get(0) + [0x50] + W.if(.i64) + W.i64(0) + W.else
               + W.get(0) + W.i64(1) + [0x7D] + W.i32(0) + returnCallIndirect(type: 0) + W.end)
    b.table = (1, [even])
    // spin(n) = spin(n + 1): never ends.
    b.function("spin", [.i64], [.i64], W.get(0) + W.i64(1) + [0x7C] + returnCall(2))
    return b
}

@Test func tenMillionMutualTailCallsRunOnA256KiBThread() throws {
    try onSmallStack {
        let inst = try instantiate(evenOdd())
        #expect(try i64(inst.function("even")!.call([.i64(10_000_000)])) == 1)
        #expect(try i64(inst.function("even")!.call([.i64(10_000_001)])) == 0)
        #expect(try i64(inst.function("odd")!.call([.i64(7)])) == 1)
    }
}

@Test func anEndlessTailCallLoopRunsOutOfFuelAndCanBeInterrupted() throws {
    var config = StoreConfig()
    config.consumeFuel = true
    let store = keptStore(config)
    let inst = try instantiate(evenOdd(), store: store)
    try store.setFuel(1_000_000)
    #expect(failure { _ = try inst.function("spin")!.call([.i64(0)]) }?.trap == .fuelExhausted)
    #expect(store.fuel == 0)
    // Each tail call is charged like a call: fuel for n calls runs about n of them.
    try store.setFuel(100_000)
    #expect(try i64(inst.function("even")!.call([.i64(1000)])) == 1)
    #expect(store.fuel > 80_000 && store.fuel < 100_000 - 1000)

    let free = keptStore()
    let spinning = try instantiate(evenOdd(), store: free)
    let handle = free.interruptHandle
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { p in
        usleep(50_000)
        Unmanaged<InterruptHandle>.fromOpaque(p!).takeRetainedValue().interrupt()
        return nil
    }, Unmanaged.passRetained(handle).toOpaque())
    #expect(rc == 0)
    let e = failure { _ = try spinning.function("spin")!.call([.i64(0)]) }
    pthread_join(thread, nil)
    #expect(e?.trap == .interrupted)
    #expect(try i64(spinning.function("even")!.call([.i64(4)])) == 1)
}

@Test func aTailCallToALargerFrameGetsZeroedLocalsAndTheValueStackCheck() throws {
    var config = StoreConfig()
    config.valueStackSlots = 4096
    var b = ModuleBuilder()
    // big(a, b) has 2000 declared locals: 1 + a + b + (the last local, still 0).
    let bigLocals = [ValueType](repeating: .i64, count: 2000)
    let big = b.function(nil, [.i64, .i64], [.i64], locals: bigLocals,
                         W.get(0) + W.get(1) + [0x7C] + W.get(2001) + [0x7C] + W.i64(1) + [0x7C])
    // small(x): dirties its frame, then tail-calls big(x, 100).
    b.function("small", [.i64], [.i64], locals: [.i64, .i64],
               W.i64(-1) + W.set(1) + W.i64(-1) + W.set(2) + W.get(0) + W.i64(100) + returnCall(big))
    // deep(n): n nested ordinary calls, then the tail call from the innermost one: the
    // callee's frame no longer fits the value stack.
    let deep: UInt32 = 2
    b.function("deep", [.i64], [.i64], locals: [.i64, .i64, .i64, .i64, .i64, .i64, .i64, .i64],
               W.get(0) + [0x50] + W.if(.i64) + W.i64(5) + returnCall(1) + W.else
               + W.get(0) + W.i64(1) + [0x7D] + W.call(deep) + W.end)
    let inst = try instantiate(b, store: keptStore(config))
    #expect(try i64(inst.function("small")!.call([.i64(5)])) == 106)
    #expect(try i64(inst.function("deep")!.call([.i64(10)])) == 106)
    let e = failure { _ = try inst.function("deep")!.call([.i64(300)]) }
    #expect(e?.trap == .callStackExhausted)
    #expect(try i64(inst.function("small")!.call([.i64(1)])) == 102)
}

@Test func aTailCallToAHostFunctionReturnsItsResults() throws {
    var b = ModuleBuilder()
    b.imports = [(module: "env", name: "pair", type: FuncType(params: [.i64], results: [.i64, .i64]))]
    b.function("viaHost", [.i64], [.i64, .i64], W.get(0) + W.i64(3) + [0x7E] + returnCall(0))
    // wrap(x) = sum of viaHost(x)'s two results, through an ordinary call.
    b.function("wrap", [.i64], [.i64], W.get(0) + W.call(1) + [0x7C])
    let store = keptStore()
    let linker = Linker(store: store)
    linker.defineFunction(module: "env", name: "pair", type: FuncType(params: [.i64], results: [.i64, .i64])) { _, args in
        guard case .i64(let x) = args[0] else { return [] }
        return [.i64(x), .i64(x &+ 1)]
    }
    let inst = try linker.instantiate(try Module.load(b.build()))
    let r = try inst.function("viaHost")!.call([.i64(2)])
    #expect(r.count == 2 && i64(r) == 6)
    if case .i64(let second)? = r.last { #expect(second == 7) }
    #expect(try i64(inst.function("wrap")!.call([.i64(2)])) == 13)
}

@Test func tailCallTrapsAndTypeChecks() throws {
    var b = ModuleBuilder()
    // types: 0 (i64) -> (i64), 1 (i32) -> (i64), 2 (i32) -> (i32)
    b.function("div", [.i64], [.i64], W.i64(10) + W.get(0) + [0x7F])
    b.function("viaIndex", [.i32], [.i64], W.i64(0) + W.get(0) + returnCallIndirect(type: 0))
    b.function("wrongType", [.i32], [.i32], W.get(0) + W.i32(0) + returnCallIndirect(type: 2))
    b.table = (2, [0])
    let inst = try instantiate(b)
    #expect(failure { _ = try inst.function("viaIndex")!.call([.i32(0)]) }?.trap == .integerDivideByZero)
    #expect(failure { _ = try inst.function("viaIndex")!.call([.i32(1)]) }?.trap == .uninitializedElement)
    #expect(failure { _ = try inst.function("viaIndex")!.call([.i32(2)]) }?.trap == .undefinedElement)
    #expect(failure { _ = try inst.function("wrongType")!.call([.i32(1)]) }?.trap == .indirectCallTypeMismatch)

    // A tail call must return what its caller returns.
    var bad = ModuleBuilder()
    bad.function("f", [.i64], [.i64], W.get(0))
    bad.function("g", [.i64], [.i32], W.get(0) + returnCall(0))
    let e = failure { _ = try Module.load(bad.build()) }
    #expect(e?.kind == .invalid)
    #expect(e?.message.contains("tail call") == true)
}
