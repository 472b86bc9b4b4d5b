import Testing
import Glibc
@testable import SwvmCore

// Regression tests for the folding trap (docs/design.md, "The folding trap"): deferred
// operands must see the values and side effects that Wasm's evaluation order gives them.

private func i32Result(_ inst: Instance, _ name: String, _ args: [Value] = []) throws -> Int32 {
    guard case .i32(let v)? = try inst.function(name)!.call(args).first else { throw WasmError(.usage, "no i32") }
    return Int32(bitPattern: v)
}

@Test func localReadIsTakenBeforeATeeOfTheSameLocal() throws {
    var b = ModuleBuilder()
    // (i32.add (local.get 0) (local.tee 0 (i32.const 5))) with local 0 = 10 → 15
    b.function("f", [.i32], [.i32], W.get(0) + W.i32(5) + W.tee(0) + [0x6A])
    // The same with the read buried in an expression: (i32.mul (i32.add l0 1) (tee 0 3))
    b.function("g", [.i32], [.i32], W.get(0) + W.i32(1) + [0x6A] + W.i32(3) + W.tee(0) + [0x6C])
    // local.set between the read and its use: l0 read, then l0 := 1, then add → old + 1
    b.function("h", [.i32], [.i32], W.get(0) + W.i32(1) + W.set(0) + W.get(0) + [0x6A])
    let inst = try instantiate(b)
    #expect(try i32Result(inst, "f", [.i32(10)]) == 15)
    #expect(try i32Result(inst, "g", [.i32(10)]) == 33)
    #expect(try i32Result(inst, "h", [.i32(10)]) == 11)
}

@Test func trappingLoadUnderDropStillTraps() throws {
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    b.function("f", [], [.i32], W.i32(70000) + W.load(0x28) + W.drop + W.i32(1))
    let inst = try instantiate(b)
    #expect(throws: WasmError.self) { try inst.function("f")!.call([]) }
}

@Test func callInsideDeferredOperandRunsBeforeLaterGlobalSet() throws {
    var b = ModuleBuilder()
    b.globals = [(.i32, true, W.i32(1))]
    // callee: global := global * 10; returns global
    let callee = b.function(nil, [], [.i32], W.globalGet(0) + W.i32(10) + [0x6C] + W.globalSet(0) + W.globalGet(0))
    // (call callee) then (global.set 0 (i32.const 7)), then add the call's result to global → 10 + 7
    b.function("f", [], [.i32], W.call(callee) + W.i32(7) + W.globalSet(0) + W.globalGet(0) + [0x6A])
    // A global read deferred past a call that writes it: global(1) + call() → 1 + 10
    b.function("g", [], [.i32], W.globalGet(0) + W.call(callee) + [0x6A])
    let inst = try instantiate(b)
    #expect(try i32Result(inst, "f") == 17)
    let inst2 = try instantiate(b)
    #expect(try i32Result(inst2, "g") == 11)
}

@Test func loadDeferredPastAStoreSeesTheOldValue() throws {
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    b.data = [(0, [42, 0, 0, 0])]
    // (i32.load 0) ; (i32.store 0 (i32.const 5)) ; add → 42 + 5
    b.function("f", [], [.i32], W.i32(0) + W.load(0x28) + W.i32(0) + W.i32(5) + W.store(0x36) + W.i32(0) + W.load(0x28) + [0x6A])
    let inst = try instantiate(b)
    #expect(try i32Result(inst, "f") == 47)
}

@Test func sideEffectsBeforeABranchHappen() throws {
    var b = ModuleBuilder()
    b.globals = [(.i32, true, W.i32(0))]
    let bump = b.function(nil, [], [.i32], W.globalGet(0) + W.i32(1) + [0x6A] + W.globalSet(0) + W.i32(9))
    // block (result i32): (call bump) (i32.const 3) (br 0) — the call's value is discarded
    // by the branch but the call must happen.
    b.function("f", [], [.i32], W.block(.i32) + W.call(bump) + W.i32(3) + W.br(0) + W.end + W.drop + W.globalGet(0))
    let inst = try instantiate(b)
    #expect(try i32Result(inst, "f") == 1)
}

@Test func loopsBranchesAndRecursion() throws {
    var b = ModuleBuilder()
    // fib recursive (i64)
    let fib = b.function("fib", [.i64], [.i64],
        W.get(0) + W.i64(2) + [0x53] + W.if() + W.get(0) + W.ret + W.end
        + W.get(0) + W.i64(1) + [0x7D] + W.call(0) + W.get(0) + W.i64(2) + [0x7D] + W.call(0) + [0x7C])
    _ = fib
    // sum 1..n with a loop and br_if
    b.function("sum", [.i32], [.i32], locals: [.i32],
        W.loop() + W.get(1) + W.get(0) + [0x6A] + W.set(1) + W.get(0) + W.i32(1) + [0x6B] + W.tee(0)
        + W.brIf(0) + W.end + W.get(1))
    // br_table: 0 → 10, 1 → 20, else → 30
    b.function("table", [.i32], [.i32],
        W.block() + W.block() + W.block() + W.get(0) + [0x0E, 0x02, 0x00, 0x01, 0x02] + W.end
        + W.i32(10) + W.ret + W.end + W.i32(20) + W.ret + W.end + W.i32(30))
    // block results through br_if with a value
    b.function("brif", [.i32], [.i32],
        W.block(.i32) + W.i32(5) + W.get(0) + W.brIf(0) + W.drop + W.i32(6) + W.end)
    let inst = try instantiate(b)
    guard case .i64(let f)? = try inst.function("fib")!.call([.i64(20)]).first else { Issue.record("fib"); return }
    #expect(f == 6765)
    #expect(try i32Result(inst, "sum", [.i32(100)]) == 5050)
    #expect(try i32Result(inst, "table", [.i32(0)]) == 10)
    #expect(try i32Result(inst, "table", [.i32(1)]) == 20)
    #expect(try i32Result(inst, "table", [.i32(7)]) == 30)
    #expect(try i32Result(inst, "brif", [.i32(1)]) == 5)
    #expect(try i32Result(inst, "brif", [.i32(0)]) == 6)
}

@Test func callsWithManyArgumentsAndNestedCalls() throws {
    var b = ModuleBuilder()
    // f(a,b,c,d) = a - b*c + d
    let f4 = b.function("f4", [.i32, .i32, .i32, .i32], [.i32],
        W.get(0) + W.get(1) + W.get(2) + [0x6C] + [0x6B] + W.get(3) + [0x6A])
    // g(x) = f4(x, f4(1,2,3,4), x+1, f4(x,x,x,x))
    b.function("g", [.i32], [.i32],
        W.get(0) + W.i32(1) + W.i32(2) + W.i32(3) + W.i32(4) + W.call(f4)
        + W.get(0) + W.i32(1) + [0x6A]
        + W.get(0) + W.get(0) + W.get(0) + W.get(0) + W.call(f4) + W.call(f4))
    let inst = try instantiate(b)
    // f4(1,2,3,4) = 1-6+4 = -1; f4(5,5,5,5) = 5-25+5 = -15; f4(5,-1,6,-15) = 5+6-15 = -4
    #expect(try i32Result(inst, "g", [.i32(5)]) == -4)
}

@Test func runawayRecursionTrapsAndTheStoreStaysUsable() throws {
    var b = ModuleBuilder()
    b.function("inf", [.i32], [.i32], W.get(0) + W.i32(1) + [0x6A] + W.call(0))
    b.function("ok", [], [.i32], W.i32(3))
    let inst = try instantiate(b)
    do {
        _ = try inst.function("inf")!.call([.i32(0)])
        Issue.record("expected a trap")
    } catch {
        #expect(error.message == "call stack exhausted")
    }
    #expect(try i32Result(inst, "ok") == 3)
}

@Test func deeplyNestedExpressionsAndLabelsNeverExhaustTheNativeStackUnchecked() throws {
    // Runs on a thread with a 256 KiB stack, like a small host thread.
    try onSmallStack {
        var b = ModuleBuilder()
        // Right-leaning tree: 1 + (1 + (1 + ... + x)), 20,000 levels: cut into slots as it is
        // compiled, so it runs in bounded native stack.
        let n = 20_000
        var right: [UInt8] = []
        for _ in 0..<n { right += W.i32(1) }
        right += W.get(0)
        for _ in 0..<n { right += [0x6A] }
        b.function("right", [.i32], [.i32], right)
        // Nested labels that stay labels at run time (an `if` is never spliced away).
        func nested(_ depth: Int) -> [UInt8] {
            var code: [UInt8] = []
            for _ in 0..<depth { code += W.i32(1) + W.if(.i32) }
            code += W.i32(7)
            for _ in 0..<depth { code += W.else + W.i32(0) + W.end }
            return code
        }
        b.function("nested", [], [.i32], nested(100))
        // Labels cost no native stack (a label is the statement after it): any depth runs.
        b.function("deep", [], [.i32], nested(100_000))
        // Blocks no branch targets are spliced into their parent: any depth runs flat.
        var flat: [UInt8] = []
        for _ in 0..<100_000 { flat += W.block(.i32) }
        flat += W.i32(9)
        for _ in 0..<100_000 { flat += W.end }
        b.function("flat", [], [.i32], flat)
        let inst = try instantiate(b)
        #expect(try i32Result(inst, "right", [.i32(5)]) == Int32(n + 5))
        #expect(try i32Result(inst, "nested") == 7)
        #expect(try i32Result(inst, "deep") == 7)
        #expect(try i32Result(inst, "nested") == 7)
        #expect(try i32Result(inst, "flat") == 9)
    }
}

/// Runs `body` on a new thread with a 256 KiB stack and waits for it.
func onSmallStack(_ body: @escaping () throws -> Void) throws {
    final class Box: @unchecked Sendable {
        var body: () throws -> Void
        var error: Error?
        init(_ body: @escaping () throws -> Void) { self.body = body }
    }
    let box = Box(body)
    var attr = pthread_attr_t()
    pthread_attr_init(&attr)
    pthread_attr_setstacksize(&attr, 256 * 1024)
    var thread = pthread_t()
    let arg = Unmanaged.passRetained(box).toOpaque()
    let rc = pthread_create(&thread, &attr, { p in
        let box = Unmanaged<Box>.fromOpaque(p!).takeRetainedValue()
        do { try box.body() } catch { box.error = error }
        return nil
    }, arg)
    precondition(rc == 0)
    pthread_join(thread, nil)
    if let e = box.error { throw e }
}

@Test func branchesAcrossSplicedBlocksKeepTheirTargets() throws {
    var b = ModuleBuilder()
    // block A (targeted) { block B (not targeted) { block C (targeted) { br_if C; br A } } }
    // With B spliced away, the branch to A must still leave exactly A.
    b.function("f", [.i32], [.i32], locals: [.i32],
        W.block() + W.block() + W.block()
        + W.get(0) + W.brIf(0)           // to C: skip the next statement
        + W.i32(5) + W.set(1) + W.br(2)  // to A
        + W.end                          // end C
        + W.i32(6) + W.set(1)            // after C, inside B
        + W.end + W.end                  // end B, end A
        + W.get(1) + W.i32(10) + [0x6A])
    // br_table across a spliced block
    b.function("t", [.i32], [.i32],
        W.block() + W.block() + W.block()
        + W.get(0) + [0x0E, 0x01, 0x00, 0x02]  // br_table [C] default A
        + W.end + W.i32(1) + W.ret             // after C
        + W.end + W.end + W.i32(2))            // B has no branch to it
    let inst = try instantiate(b)
    #expect(try i32Result(inst, "f", [.i32(0)]) == 15)
    #expect(try i32Result(inst, "f", [.i32(1)]) == 16)
    #expect(try i32Result(inst, "t", [.i32(0)]) == 1)
    #expect(try i32Result(inst, "t", [.i32(5)]) == 2)
}

@Test func switchShapedNestedBlocksBranchToEveryCase() throws {
    // block $out (i32) { block $b3 { block $b2 { block $b1 { block $b0 {
    //   if x == 7: return 77 (a branch past the whole chain)
    //   br_table $b0 $b1 $b2 $b3 (x) } 10 br $out } 100 -> local 1 (falls into case 2) }
    //   12 + local 1, br $out } 13 }
    // Nested blocks that each open their parent (clang's switch): a branch to each level must land
    // right after that level.
    var b = ModuleBuilder()
    let brTable: [UInt8] = [0x0E] + W.u(3) + W.u(0) + W.u(1) + W.u(2) + W.u(3)
    b.function("f", [.i32], [.i32], locals: [.i32],
        W.block(.i32) + W.block() + W.block() + W.block() + W.block()
        + W.get(0) + W.i32(7) + [0x46] + W.if() + W.i32(77) + W.ret + W.end
        + W.get(0) + brTable + W.end
        + W.i32(10) + W.br(3) + W.end
        + W.i32(100) + W.set(1) + W.end
        + W.i32(12) + W.get(1) + [0x6A] + W.br(1) + W.end
        + W.i32(13) + W.end)
    let inst = try instantiate(b)
    for (x, expected) in [(0, 10), (1, 112), (2, 12), (3, 13), (4, 13), (7, 77), (-1, 13)] as [(Int32, Int32)] {
        #expect(try i32Result(inst, "f", [.i32(UInt32(bitPattern: x))]) == expected)
    }
}

@Test func loopsClosedByAConditionalBranchToThemselves() throws {
    // loop { i += 1; s += i; if i == 50 { br out }; br_if 0 (cond) }: the closing br_if runs
    // in a fused back-edge node (brIfLoop_*), for compare, eqz and plain-slot conditions.
    var b = ModuleBuilder()
    func counting(_ cond: [UInt8]) -> [UInt8] {
        W.block() + W.loop()
        + W.get(1) + W.i32(1) + [0x6A] + W.set(1)
        + W.get(2) + W.get(1) + [0x6A] + W.set(2)
        + W.get(1) + W.i32(50) + [0x46] + W.brIf(1)
        + cond + W.brIf(0) + W.end + W.end + W.get(2)
    }
    b.function("ltS", [.i32], [.i32], locals: [.i32, .i32], counting(W.get(1) + W.get(0) + [0x48]))
    b.function("neConst", [.i32], [.i32], locals: [.i32, .i32], counting(W.get(1) + W.i32(10) + [0x47]))
    // i - n is nonzero until i reaches n: a plain slot after a tee.
    b.function("slot", [.i32], [.i32], locals: [.i32, .i32, .i32],
               counting(W.get(1) + W.get(0) + [0x6B] + W.tee(3) + W.drop + W.get(3)))
    b.function("eqz", [.i32], [.i32], locals: [.i32, .i32], counting(W.get(1) + W.get(0) + [0x4E] + [0x45]))
    let inst = try instantiate(b)
    #expect(try i32Result(inst, "ltS", [.i32(5)]) == 15)
    #expect(try i32Result(inst, "ltS", [.i32(100)]) == 1275)  // leaves through br 1 at i = 50
    #expect(try i32Result(inst, "neConst", [.i32(0)]) == 55)
    #expect(try i32Result(inst, "slot", [.i32(4)]) == 10)
    #expect(try i32Result(inst, "eqz", [.i32(7)]) == 28)  // loops while !(i >= n)
}

@Test func consecutiveSlotCopiesKeepTheirOrder() throws {
    // Copies next to each other run as one node, in Wasm order: swap(a, b) through a temporary,
    // and a = b; b = a (both end up with b's old value). A label between two copies keeps them
    // apart (the loop head), so a branch back lands on the second.
    var b = ModuleBuilder()
    b.function("swap", [.i32, .i32], [.i32], locals: [.i32],
               W.get(0) + W.set(2) + W.get(1) + W.set(0) + W.get(2) + W.set(1)
               + W.get(0) + W.i32(100) + [0x6C] + W.get(1) + [0x6A])
    b.function("chain", [.i32, .i32], [.i32],
               W.get(1) + W.set(0) + W.get(0) + W.set(1) + W.get(0) + W.i32(100) + [0x6C] + W.get(1) + [0x6A])
    // n times: t = a; a = b (the copy before the loop and the one inside must not merge)
    b.function("loop", [.i32, .i32], [.i32], locals: [.i32],
               W.get(1) + W.set(2) + W.loop() + W.get(2) + W.set(1) + W.get(0) + W.i32(1) + [0x6B] + W.tee(0)
               + W.brIf(0) + W.end + W.get(1))
    let inst = try instantiate(b)
    #expect(try i32Result(inst, "swap", [.i32(3), .i32(4)]) == 4 * 100 + 3)
    #expect(try i32Result(inst, "chain", [.i32(3), .i32(4)]) == 4 * 100 + 4)
    #expect(try i32Result(inst, "loop", [.i32(3), .i32(9)]) == 9)
}

@Test func declaredLocalsStartAtZeroWhateverTheFrameHeldBefore() throws {
    // A function's entry zeroes its declared locals (inline up to 16 slots, two per store;
    // memset beyond). Each `dirty<k>` sets its k locals to all ones; `clean<k>`, called next
    // at the same frame position, must see every one of its k locals zero: for 1 to 40
    // locals, after parameters of one and of two slots, and with a v128 local among them.
    var b = ModuleBuilder()
    let ks = Array(1...20) + [31, 32, 33, 40]
    for k in ks {
        for (tag, params) in [("a", [ValueType.i32]), ("b", [ValueType.i32, .v128])] {
            let first = UInt32(params.count)
            let locals = [ValueType](repeating: .i64, count: k)
            var dirty: [UInt8] = [], clean: [UInt8] = W.i64(0)
            for i in 0..<UInt32(k) {
                dirty += W.i64(-1) + W.set(first + i)
                clean += W.get(first + i) + [0x84]  // i64.or
            }
            b.function("dirty\(tag)\(k)", params, [], locals: locals, dirty)
            b.function("clean\(tag)\(k)", params, [.i64], locals: locals, clean)
        }
    }
    // A v128 local between scalars: its two slots start zero too.
    b.function("dirtyv", [], [], locals: [.i64, .v128, .i64, .i64, .i64],
               W.i64(-1) + W.set(0) + W.v128([~0, ~0, ~0, ~0]) + W.set(1) + W.i64(-1) + W.set(2)
               + W.i64(-1) + W.set(3) + W.i64(-1) + W.set(4))
    b.function("cleanv", [], [.i64], locals: [.i64, .v128, .i64, .i64, .i64],
               W.get(0) + W.get(1) + W.simd(29, [0]) + [0x84] + W.get(1) + W.simd(29, [1]) + [0x84]
               + W.get(2) + [0x84] + W.get(3) + [0x84] + W.get(4) + [0x84])
    let inst = try instantiate(b)
    for k in ks {
        for (tag, args) in [("a", [Value.i32(1)]), ("b", [Value.i32(1), .v128(0, 0)])] {
            _ = try inst.function("dirty\(tag)\(k)")!.call(args)
            let r = try inst.function("clean\(tag)\(k)")!.call(args)
            #expect(r.first == .i64(0), "\(tag)\(k)")
        }
    }
    _ = try inst.function("dirtyv")!.call([])
    #expect(try inst.function("cleanv")!.call([]).first == .i64(0))
}
