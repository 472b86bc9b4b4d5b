import Testing
@testable import SwvmCore

// Statements continue by tail-calling their successor (docs/engine.md). An optimised build
// turns those calls into jumps; the unoptimised build these tests run in does not, and
// trampolines instead (`next` and `runBody` in Execute/Node.swift). Either way a long loop or
// a long function must run in constant native stack: these run on a 256 KiB thread, where
// one native frame per executed statement would overflow after a few thousand.

private func i64Result(_ inst: Instance, _ name: String, _ args: [Value] = []) throws -> Int64? {
    if case .i64(let v)? = try inst.function(name)!.call(args).first { return Int64(bitPattern: v) }
    return nil
}

@Test func aHundredMillionLoopIterationsRunOnA256KiBThread() throws {
    try onSmallStack {
        var b = ModuleBuilder()
        // sum(n): i = 0; s = 0; loop { s += i; i += 1; br_if 0 (i < n) } return s
        // Two statements per iteration: the add into s, and the counter back edge.
        b.function("sum", [.i64], [.i64], locals: [.i64, .i64],
                   W.loop() + W.get(2) + W.get(1) + [0x7C] + W.set(2)
                   + W.get(1) + W.i64(1) + [0x7C] + W.set(1)
                   + W.get(1) + W.get(0) + [0x53] + W.brIf(0) + W.end + W.get(2))
        // down(n): block { loop { br_if 1 (n == 0); n -= 1; br 0 } } return n: an exit
        // branch, a plain back edge (br to the loop) and a set per iteration.
        b.function("down", [.i64], [.i64],
                   W.block() + W.loop() + W.get(0) + [0x50] + W.brIf(1)
                   + W.get(0) + W.i64(1) + [0x7D] + W.set(0) + W.br(0) + W.end + W.end + W.get(0))
        let inst = try instantiate(b)
        let n: Int64 = 100_000_000
        #expect(try i64Result(inst, "sum", [.i64(UInt64(n))]) == n * (n - 1) / 2)
        #expect(try i64Result(inst, "down", [.i64(3_000_000)]) == 0)
    }
}

@Test func aHundredThousandStatementFunctionRunsOnA256KiBThread() throws {
    try onSmallStack {
        var b = ModuleBuilder()
        // 100,000 statements in a row, then the sum: x = x + 1, alternating with a store
        // so that not every statement is the same node.
        var body: [UInt8] = []
        for k in 0..<100_000 {
            body += W.get(0) + W.i32(1) + [0x6A] + W.set(0)
            if k % 2 == 0 { body += W.i32(0) + W.get(0) + W.store(0x36) }
        }
        body += W.get(0)
        b.memoryPages = (1, nil)
        b.function("long", [.i32], [.i32], body)
        let inst = try instantiate(b)
        let results = try inst.function("long")!.call([.i32(5)])
        var got: Int32 = -1
        if case .i32(let v)? = results.first { got = Int32(bitPattern: v) }
        #expect(got == 100_005)
    }
}

@Test func aTrapInTheMiddleOfAChainStopsItAndKeepsEarlierWrites() throws {
    var b = ModuleBuilder()
    b.memoryPages = (1, nil)
    // store 1 at 0; x = 10 / p; store 2 at 4; return x: with p = 0 the division traps after
    // the first store and before the second.
    b.function("f", [.i32], [.i32], locals: [.i32],
               W.i32(0) + W.i32(1) + W.store(0x36)
               + W.i32(10) + W.get(0) + [0x6D] + W.set(1)
               + W.i32(4) + W.i32(2) + W.store(0x36) + W.get(1))
    let inst = try instantiate(b)
    var trap: Trap?
    do { _ = try inst.function("f")!.call([.i32(0)]) } catch { trap = (error as? WasmError)?.trap }
    #expect(trap == .integerDivideByZero)
    let memory = inst.memory("memory")!
    #expect(memory.read(offset: 0, count: 8) == [1, 0, 0, 0, 0, 0, 0, 0])
    let results = try inst.function("f")!.call([.i32(5)])
    var got: UInt32 = 0
    if case .i32(let v)? = results.first { got = v }
    #expect(got == 2)
    #expect(memory.read(offset: 4, count: 1) == [2])
}
