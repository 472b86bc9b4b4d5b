import Glibc
import Testing
@testable import SwvmCore

// Every limit fires with its own trap or error, and the instance is usable afterwards.

private func trap(_ body: () throws -> Void) -> WasmError? {
    do { try body() } catch let e as WasmError { return e } catch { return nil }
    return nil
}

private func call(_ inst: Instance, _ name: String, _ args: [Value] = []) throws -> [Value] {
    try inst.function(name)!.call(args)
}

private func i32(_ values: [Value]) -> Int32? {
    if case .i32(let v)? = values.first { return Int32(bitPattern: v) }
    return nil
}

/// `loop br 0 end`: never ends. Also a loop whose body calls a function, and a counter.
private func spinModule() -> ModuleBuilder {
    var b = ModuleBuilder()
    b.function("spin", [], [], W.loop() + W.br(0) + W.end)
    let leaf = b.function("leaf", [.i32], [.i32], W.get(0) + W.i32(1) + [0x6A])
    b.function("spinCalling", [], [], locals: [.i32],
               W.loop() + W.get(0) + W.call(leaf) + W.set(0) + W.br(0) + W.end)
    // count(n): loops n times, returns n.
    b.function("count", [.i32], [.i32], locals: [.i32],
               W.loop() + W.get(1) + W.i32(1) + [0x6A] + W.tee(1) + W.get(0) + [0x49] + W.brIf(0) + W.end + W.get(1))
    // Endless loops closed by each kind of back edge, which without fuel look at the interrupt
    // flag instead of charging: a compare of a slot and a constant (brIfLoop), a counter with
    // another statement in the loop (addBrIfLoop), a counter alone (addSelfLoop), a count-down
    // counter's tee (nonzero), and a counter adding a slot (addSlotBrIfLoop). Local 0 stays
    // even, so it is never 1, nor 0 once it started at 2.
    let even = W.get(0) + W.i32(2) + [0x6A] + W.tee(0)
    b.function("spinCompare", [], [], locals: [.i32, .i32],
               W.loop() + W.get(1) + W.i32(1) + [0x6A] + W.set(1) + W.get(0) + W.i32(1) + [0x47] + W.brIf(0) + W.end)
    b.function("spinCounter", [], [], locals: [.i32, .i32],
               W.loop() + W.get(1) + W.i32(3) + [0x6A] + W.set(1) + even + W.i32(1) + [0x47] + W.brIf(0) + W.end)
    b.function("spinSelf", [], [], locals: [.i32], W.loop() + even + W.i32(1) + [0x47] + W.brIf(0) + W.end)
    b.function("spinCountDown", [], [], locals: [.i32],
               W.i32(2) + W.set(0) + W.loop() + even + W.brIf(0) + W.end)
    b.function("spinStride", [], [], locals: [.i32, .i32],
               W.i32(2) + W.set(1) + W.loop() + W.get(0) + W.get(1) + [0x6A] + W.tee(0) + W.i32(1) + [0x47] + W.brIf(0) + W.end)
    // A loop of one store and a counter (storeSelfLoop) that adds a zero slot: it stores to
    // the same byte forever.
    b.memoryPages = (1, 1)
    b.function("spinStore", [], [], locals: [.i32, .i32],
               W.loop() + W.get(0) + W.i32(7) + W.store(0x3A) + W.get(0) + W.get(1) + [0x6A] + W.tee(0) + W.i32(1) + [0x47]
               + W.brIf(0) + W.end)
    b.function("ok", [], [.i32], W.i32(42))
    return b
}

@Test func infiniteRecursionOnA256KiBThreadTrapsAndTheInstanceStaysUsable() throws {
    try onSmallStack {
        var b = ModuleBuilder()
        b.function("inf", [.i64], [.i64], locals: [.i64, .i64, .i64, .i64],
                   W.get(0) + W.i64(1) + [0x7C] + W.call(0) + W.i64(1) + [0x7C])
        b.function("ok", [], [.i32], W.i32(42))
        let inst = try instantiate(b)
        for _ in 0..<3 {
            let e = trap { _ = try call(inst, "inf", [.i64(0)]) }
            #expect(e?.trap == .callStackExhausted)
            #expect(e?.message == "call stack exhausted")
            #expect(try i32(call(inst, "ok")) == 42)
        }
    }
}

@Test func callDepthLimitIsConfigurable() throws {
    var config = StoreConfig()
    config.maxCallDepth = 50
    var b = ModuleBuilder()
    // down(n) = n == 0 ? 0 : down(n - 1)
    b.function("down", [.i32], [.i32],
               W.get(0) + [0x45] + W.if(.i32) + W.i32(0) + W.else + W.get(0) + W.i32(1) + [0x6B] + W.call(0) + W.end)
    // The same with declared locals (the other entry node): local 1 is set to 5 before the
    // call, so a callee that did not zero its locals would return 5 at the bottom.
    b.function("downLocals", [.i32], [.i32], locals: [.i32],
               W.get(0) + [0x45] + W.if(.i32) + W.get(1) + W.else + W.i32(5) + W.set(1) + W.get(0) + W.i32(1) + [0x6B]
               + W.call(1) + W.end)
    let inst = try instantiate(b, store: keptStore(config))
    #expect(try i32(call(inst, "down", [.i32(40)])) == 0)
    #expect(trap { _ = try call(inst, "down", [.i32(60)]) }?.trap == .callStackExhausted)
    #expect(try i32(call(inst, "down", [.i32(40)])) == 0)
    // Exactly at the limit: down(n) is n + 1 calls deep. A refused call gives its count back,
    // and a trap leaves none behind, however often.
    for name in ["down", "downLocals"] {
        for _ in 0..<3 {
            #expect(try i32(call(inst, name, [.i32(49)])) == 0, "\(name)(49)")
            #expect(trap { _ = try call(inst, name, [.i32(50)]) }?.trap == .callStackExhausted, "\(name)(50)")
        }
    }
}

@Test func fuelStopsAnInfiniteLoopAndCanBeRefilled() throws {
    var config = StoreConfig()
    config.consumeFuel = true
    let store = keptStore(config)
    let inst = try instantiate(spinModule(), store: store)
    #expect(store.fuel == 0)
    // An empty tank stops the first call.
    #expect(trap { _ = try call(inst, "ok") }?.trap == .fuelExhausted)
    try store.setFuel(1_000_000)
    let e = trap { try call(inst, "spin") }
    #expect(e?.trap == .fuelExhausted)
    #expect(e?.message == "fuel exhausted")
    #expect(store.fuel == 0)
    try store.setFuel(2_000_000)
    #expect(trap { try call(inst, "spinCalling") }?.trap == .fuelExhausted)
    for name in ["spinCompare", "spinCounter", "spinSelf", "spinCountDown", "spinStride", "spinStore"] {
        try store.setFuel(1_000_000)
        #expect(trap { try call(inst, name) }?.trap == .fuelExhausted, "\(name)")
    }
    #expect(store.fuel == 0)
    try store.addFuel(1000)
    #expect(store.fuel == 1000)
    #expect(try i32(call(inst, "ok")) == 42)
    #expect(store.fuel < 1000 && store.fuel > 990)
}

@Test func fuelIsChargedInProportionToWorkAndDeterministically() throws {
    var config = StoreConfig()
    config.consumeFuel = true
    let store = keptStore(config)
    let inst = try instantiate(spinModule(), store: store)
    func used(_ n: Int32) throws -> UInt64 {
        try store.setFuel(UInt64.max / 2)
        #expect(try i32(call(inst, "count", [.i32(UInt32(n))])) == n)
        return UInt64.max / 2 - store.fuel
    }
    let a = try used(1000), b = try used(2000), again = try used(1000)
    #expect(a == again)
    // The loop body has 7 instructions and its `end`: each iteration costs 8 units.
    #expect(b - a == 8 * 1000)
    // Enough fuel for 1000 iterations runs them; one unit less does not.
    try store.setFuel(a)
    #expect(try i32(call(inst, "count", [.i32(1000)])) == 1000)
    #expect(store.fuel == 0)
    try store.setFuel(a - 1)
    #expect(trap { _ = try call(inst, "count", [.i32(1000)]) }?.trap == .fuelExhausted)
}

@Test func fuelNeedsToBeEnabled() throws {
    let store = keptStore()
    #expect(trap { try store.setFuel(10) }?.kind == .usage)
    #expect(store.fuel == 0)
}

/// Runs `body` on another thread; returns a function that joins it.
private func spawn(_ body: @escaping @Sendable () -> Void) -> () -> Void {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { p in
        Unmanaged<Box>.fromOpaque(p!).takeRetainedValue().body()
        return nil
    }, Unmanaged.passRetained(Box(body)).toOpaque())
    precondition(rc == 0)
    return { pthread_join(thread, nil) }
}

private func milliseconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
}

@Test func anotherThreadInterruptsAnInfiniteLoop() throws {
    let store = keptStore()
    let inst = try instantiate(spinModule(), store: store)
    let handle = store.interruptHandle
    // A request made while nothing runs does not stop the next call.
    handle.interrupt()
    #expect(try i32(call(inst, "ok")) == 42)
    for name in ["spin", "spinCalling", "spinCompare", "spinCounter", "spinSelf", "spinCountDown", "spinStride", "spinStore"] {
        nonisolated(unsafe) var requested = 0.0
        let join = spawn {
            usleep(50_000)
            requested = milliseconds()
            handle.interrupt()
        }
        let e = trap { try call(inst, name) }
        let stopped = milliseconds()
        join()
        #expect(e?.trap == .interrupted)
        #expect(e?.message == "interrupted")
        // Generous bound for a loaded machine; typically well under a millisecond.
        #expect(stopped - requested < 500)
        #expect(try i32(call(inst, "ok")) == 42)
    }
}

@Test func memoryGrowthStopsAtTheCap() throws {
    var config = StoreConfig()
    config.maxMemoryPages = 4
    var b = ModuleBuilder()
    b.memoryPages = (1, nil)
    b.function("grow", [.i32], [.i32], W.get(0) + [0x40, 0x00])
    b.function("size", [], [.i32], [0x3F, 0x00])
    let store = keptStore(config)
    let inst = try instantiate(b, store: store)
    #expect(try i32(call(inst, "grow", [.i32(2)])) == 1)
    #expect(try i32(call(inst, "grow", [.i32(2)])) == -1)
    #expect(try i32(call(inst, "grow", [.i32(1)])) == 3)
    #expect(try i32(call(inst, "grow", [.i32(1)])) == -1)
    #expect(try i32(call(inst, "size")) == 4)
    // A minimum above the cap cannot be instantiated.
    var big = ModuleBuilder()
    big.memoryPages = (5, nil)
    #expect(trap { _ = try instantiate(big, store: store) }?.kind == .limit)
    #expect(trap { _ = try store.makeMemory(MemoryType(limits: Limits(min: 8, max: nil))) }?.kind == .limit)
}

@Test func tableGrowthStopsAtTheCap() throws {
    var config = StoreConfig()
    config.maxTableElements = 10
    var b = ModuleBuilder()
    b.table = (2, [])
    // table.grow 0 (ref.null func) n
    b.function("grow", [.i32], [.i32], [0xD0, 0x70] + W.get(0) + [0xFC, 0x0F, 0x00])
    let inst = try instantiate(b, store: keptStore(config))
    #expect(try i32(call(inst, "grow", [.i32(8)])) == 2)
    #expect(try i32(call(inst, "grow", [.i32(1)])) == -1)
    #expect(try i32(call(inst, "grow", [.i32(0)])) == 10)
}

@Test func aTrapKeepsTheWritesBeforeItAndTheInstanceRunsAgain() throws {
    var b = ModuleBuilder()
    b.memoryPages = (1, nil)
    b.globals = [(.i32, true, W.i32(0))]
    // Writes memory and the global, then divides by zero.
    b.function("f", [.i32], [.i32],
               W.i32(16) + W.get(0) + W.store(0x36) + W.get(0) + W.globalSet(0) + W.i32(1) + W.i32(0) + [0x6D])
    b.function("read", [], [.i32], W.i32(16) + W.load(0x28) + W.globalGet(0) + [0x6A])
    let inst = try instantiate(b)
    #expect(trap { _ = try call(inst, "f", [.i32(20)]) }?.trap == .integerDivideByZero)
    #expect(try i32(call(inst, "read")) == 40)
    #expect(trap { _ = try call(inst, "f", [.i32(1)]) }?.trap == .integerDivideByZero)
    #expect(try i32(call(inst, "read")) == 2)
}

@Test func separateStoresRunOnSeparateThreadsAtTheSameTime() throws {
    var b = ModuleBuilder()
    // fib(n) = n < 2 ? n : fib(n-1) + fib(n-2)
    b.function("fib", [.i32], [.i32],
               W.get(0) + W.i32(2) + [0x49] + W.if(.i32) + W.get(0) + W.else
               + W.get(0) + W.i32(1) + [0x6B] + W.call(0) + W.get(0) + W.i32(2) + [0x6B] + W.call(0) + [0x6A] + W.end)
    // One module shared by all threads: modules are immutable.
    let module = try Module.load(b.build())
    final class Results: @unchecked Sendable { var wrong = 0; var errors: [String] = []; let lock = TestLock() }
    let results = Results()
    var joins: [() -> Void] = []
    for t in 0..<4 {
        joins.append(spawn {
            let store = Store()
            do {
                let inst = try Linker(store: store).instantiate(module)
                let fib = inst.function("fib")!
                for i in 0..<200 {
                    let n = UInt32(10 + (i + t) % 10)
                    var a: UInt32 = 0, c: UInt32 = 1
                    for _ in 0..<n { (a, c) = (c, a &+ c) }
                    if try fib.call([.i32(n)]).first != .i32(a) { results.lock.withLock { results.wrong += 1 } }
                }
            } catch {
                results.lock.withLock { results.errors.append("\(error)") }
            }
            withExtendedLifetime(store) {}
        })
    }
    joins.forEach { $0() }
    #expect(results.wrong == 0)
    #expect(results.errors.isEmpty)
}
