import Testing
@testable import SwvmCore

// The compiler picks a node per operand kind (slot, constant, expression). The spec suite
// mostly exercises `(op (local.get 0) (local.get 1))`; these tests run every operator in every
// operand shape on the same inputs and require identical results, so a wrong specialisation
// fails here. A few known answers pin the shared semantics down.

/// Wraps the value on top of the stack in an expression node (select of it with itself).
private func asExpr(_ push: [UInt8]) -> [UInt8] { push + push + W.i32(1) + W.select }

private func samples(_ t: ValueType) -> [UInt64] {
    switch t {
    case .i32: return [0, 1, 7, 31, 33, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFF9]
    case .i64: return [0, 1, 7, 63, 65, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ~0, 0xFFFF_FFFF_FFFF_FFF9]
    case .f32: return [Float(0), -0.0, 1.5, -2.25, 3e9, -3e9, .infinity, 1e-40, 2147483520].map { UInt64($0.bitPattern) }
        + [0x7FC0_0000, 0x7FA0_0001]
    default: return [Double(0), -0.0, 1.5, -2.25, 5e18, -3e9, .infinity, 4.9e-324, 9.3e18].map { $0.bitPattern }
        + [0x7FF8_0000_0000_0000]
    }
}

private enum Outcome: Hashable {
    case value(UInt64)
    case trap(String)
}

private func run(_ f: Function, _ args: [Value]) -> Outcome {
    do {
        let r = try f.call(args)
        guard let v = r.first else { return .value(0) }
        return .value(v.slots.0)
    } catch {
        return .trap(error.message)
    }
}

/// An i32 address of each kind the memory nodes take, from parameters 0 (a base) and 1 (an
/// index): s `base`, p `base + plus`, x `base + (index << shift)`, y `(index << 3) + indexPlus`,
/// k `constant`.
private func addressForms(plus: Int32, shift: Int32, indexPlus: Int32, constant: Int32) -> [(Character, [UInt8])] {
    let add: [UInt8] = [0x6A], shl: [UInt8] = [0x74]
    return [("s", W.get(0)), ("p", W.get(0) + W.i32(plus) + add), ("x", W.get(0) + W.get(1) + W.i32(shift) + shl + add),
            ("y", W.get(1) + W.i32(3) + shl + W.i32(indexPlus) + add), ("k", W.i32(constant))]
}

private func value(_ t: ValueType, _ bits: UInt64) -> Value { Value.fromSlots(bits, type: t) }

/// The node functions of a compiled function's first `count` statements, in layout order
/// (`statementStride` apart). The function must have run, so that it is compiled.
private func statementFunctions(_ f: Function, count: Int = 2) -> [UnsafeRawPointer] {
    let first = UnsafeRawPointer(f.record.pointee.entry.pointee.a.node)
    return (0..<count).map { (first + $0 * statementStride).assumingMemoryBound(to: Node.self).pointee.fn }
}

private var binaryOperators: [(Opcode, ValueType, ValueType)] {
    (0...0xFF).compactMap { raw -> (Opcode, ValueType, ValueType)? in
        guard let op = Opcode(rawValue: UInt16(raw)), let sig = op.numericSignature, sig.params.count == 2 else { return nil }
        return (op, sig.params[0], sig.result)
    }
}

private var unaryOperators: [(Opcode, ValueType, ValueType)] {
    (0...0x1FF).compactMap { raw -> (Opcode, ValueType, ValueType)? in
        guard let op = Opcode(rawValue: UInt16(raw)), let sig = op.numericSignature, sig.params.count == 1 else { return nil }
        return (op, sig.params[0], sig.result)
    }
}

private func opBytes(_ op: Opcode) -> [UInt8] {
    op.rawValue < 0x100 ? [UInt8(op.rawValue)] : [0xFC] + W.u(UInt64(op.rawValue - 0x100))
}

@Test func everyBinaryOperatorAgreesAcrossOperandShapes() throws {
    #expect(binaryOperators.count == 76)  // 25 + 25 integer, 13 + 13 float
    for (op, t, r) in binaryOperators {
        let xs = samples(t)
        var b = ModuleBuilder()
        var shapes: [String] = []
        // Pairs (x, y) over a sample grid, bounded so each operator builds one module.
        let pairs = xs.flatMap { x in xs.map { (x, $0) } }.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        for (x, y) in pairs {
            let cx = W.const(t, bits: x), cy = W.const(t, bits: y)
            let bodies: [(String, [UInt8])] = [
                ("ss", W.get(0) + W.get(1)),
                ("sc", W.get(0) + cy),
                ("se", W.get(0) + asExpr(W.get(1))),
                ("es", asExpr(W.get(0)) + W.get(1)),
                ("ec", asExpr(W.get(0)) + cy),
                ("ee", asExpr(W.get(0)) + asExpr(W.get(1))),
                ("cs", cx + W.get(1)),
                ("ce", cx + asExpr(W.get(1))),
                ("cc", cx + cy),
            ]
            for (name, body) in bodies {
                shapes.append(name)
                b.function("f\(b.functions.count)", [t, t], [r], body + opBytes(op))
            }
        }
        let inst = try instantiate(b)
        var i = 0
        for (x, y) in pairs {
            let args = [value(t, x), value(t, y)]
            let reference = run(inst.function("f\(i)")!, args)
            for k in 1..<9 {
                let got = run(inst.function("f\(i + k)")!, args)
                #expect(got == reference, "\(op) shape \(shapes[i + k]) on (\(x), \(y)): \(got) vs ss \(reference)")
            }
            i += 9
        }
    }
}

@Test func everyUnaryOperatorAgreesAcrossOperandShapes() throws {
    #expect(unaryOperators.count == 60)  // 8 integer, 14 float, 30 conversions, 8 saturating truncations
    for (op, t, r) in unaryOperators {
        var b = ModuleBuilder()
        let xs = samples(t)
        for x in xs {
            b.function("f\(b.functions.count)", [t], [r], W.get(0) + opBytes(op))
            b.function("f\(b.functions.count)", [t], [r], asExpr(W.get(0)) + opBytes(op))
            b.function("f\(b.functions.count)", [t], [r], W.const(t, bits: x) + opBytes(op))
        }
        let inst = try instantiate(b)
        for (j, x) in xs.enumerated() {
            let reference = run(inst.function("f\(3 * j)")!, [value(t, x)])
            for k in 1..<3 {
                let got = run(inst.function("f\(3 * j + k)")!, [value(t, x)])
                #expect(got == reference, "\(op) shape \(k) on \(x): \(got) vs \(reference)")
            }
        }
    }
}

@Test func knownAnswers() throws {
    var b = ModuleBuilder()
    b.function("add", [.i32, .i32], [.i32], W.get(0) + W.get(1) + [0x6A])
    b.function("divs", [.i32, .i32], [.i32], W.get(0) + W.get(1) + [0x6D])
    b.function("rems", [.i32, .i32], [.i32], W.get(0) + W.get(1) + [0x6F])
    b.function("shl64", [.i64, .i64], [.i64], W.get(0) + W.get(1) + [0x86])
    b.function("rotl", [.i32, .i32], [.i32], W.get(0) + W.get(1) + [0x77])
    b.function("fmin", [.f64, .f64], [.f64], W.get(0) + W.get(1) + [0xA4])
    b.function("trunc", [.f32], [.i32], W.get(0) + [0xA8])
    b.function("truncsat", [.f64], [.i32], W.get(0) + [0xFC, 0x02])
    let inst = try instantiate(b)
    func call(_ name: String, _ args: [Value]) -> Outcome { run(inst.function(name)!, args) }
    #expect(call("add", [.i32(7), .i32(UInt32(bitPattern: -1))]) == .value(6))
    #expect(call("divs", [.i32(0x8000_0000), .i32(UInt32(bitPattern: -1))]) == .trap("integer overflow"))
    #expect(call("divs", [.i32(1), .i32(0)]) == .trap("integer divide by zero"))
    #expect(call("rems", [.i32(0x8000_0000), .i32(UInt32(bitPattern: -1))]) == .value(0))
    #expect(call("rems", [.i32(UInt32(bitPattern: -7)), .i32(2)]) == .value(UInt64(UInt32(bitPattern: -1))))
    #expect(call("shl64", [.i64(1), .i64(65)]) == .value(2))
    #expect(call("rotl", [.i32(0x8000_0001), .i32(1)]) == .value(3))
    #expect(call("fmin", [.double(0.0), .double(-0.0)]) == .value((-0.0 as Double).bitPattern))
    #expect(call("trunc", [.float(Float.nan)]) == .trap("invalid conversion to integer"))
    #expect(call("trunc", [.float(Float(2147483648))]) == .trap("integer overflow"))
    #expect(call("trunc", [.float(-2147483648)]) == .value(0x8000_0000))
    #expect(call("truncsat", [.double(-1e10)]) == .value(0x8000_0000))
    #expect(call("truncsat", [.double(Double.nan)]) == .value(0))
}

@Test func operandsEvaluatedIntoSlotsKeepTheOrderOfThePendingOnesBelow() throws {
    // An operation on two pending expressions evaluates them into their slots first, and
    // every pending expression below them before that: here the one below reads the spill
    // slots (filled at the block's entry) that the two above are written to, and a call
    // below writes the memory an operand above loads, so evaluating out of order changes
    // the result. Also the trap that comes first in the program's order must win. A store's
    // value is evaluated into its slot only where its address does not read that slot.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    let add: [UInt8] = [0x6A], mul: [UInt8] = [0x6C], xor: [UInt8] = [0x73], divU: [UInt8] = [0x6E]
    // (a + b) + ((c * 3) ^ (d * 5)), a and b spilled at the block's entry.
    b.function("slots", [.i32, .i32, .i32, .i32], [.i32],
               W.get(0) + W.get(1) + W.block() + W.end + add
               + W.get(2) + W.i32(3) + mul + W.get(3) + W.i32(5) + mul + xor + add)
    // put(x) stores x at 8 and returns 1.
    b.function("put", [.i32], [.i32], W.i32(8) + W.get(0) + W.store(0x36, offset: 0) + W.i32(1))
    // put(a) + ((load 8 * 3) ^ (b / c)): the load must see a; b / 0 traps after put ran.
    b.function("viaMemory", [.i32, .i32, .i32], [.i32],
               W.get(0) + W.call(1) + W.i32(8) + W.load(0x28, offset: 0) + W.i32(3) + mul
               + W.get(1) + W.get(2) + divU + xor + add)
    // mem[a + b] = c * 3, a and b spilled: the value goes to the slot above the address,
    // which is b's spill slot, still to be read by the store's address.
    b.function("store", [.i32, .i32, .i32], [.i32],
               W.get(0) + W.get(1) + W.block() + W.end + add + W.get(2) + W.i32(3) + mul + W.store(0x36, offset: 0)
               + W.get(0) + W.get(1) + add + W.load(0x28, offset: 0))
    let inst = try instantiate(b)
    #expect(run(inst.function("store")!, [.i32(100), .i32(20), .i32(7)]) == .value(21))
    #expect(inst.memories[0].state.pointee.base.load(fromByteOffset: 120, as: UInt32.self) == 21)
    for (a, b_, c, d) in [(1, 2, 3, 4), (0xFFFF_FFFF, 7, 0x8000_0000, 11), (5, 0, 0, 0xFFFF)] as [(UInt32, UInt32, UInt32, UInt32)] {
        let expected = (a &+ b_) &+ ((c &* 3) ^ (d &* 5))
        #expect(run(inst.function("slots")!, [.i32(a), .i32(b_), .i32(c), .i32(d)]) == .value(UInt64(expected)))
    }
    #expect(run(inst.function("viaMemory")!, [.i32(6), .i32(20), .i32(3)]) == .value(UInt64(1 &+ ((6 &* 3) ^ (20 / 3)))))
    #expect(run(inst.function("viaMemory")!, [.i32(9), .i32(20), .i32(0)]) == .trap("integer divide by zero"))
    #expect(inst.memories[0].state.pointee.base.load(fromByteOffset: 8, as: UInt32.self) == 9)
}

@Test func operandsEvaluatedAheadOfPendingOnesOnlyWhereTheMoveIsUnobservable() throws {
    // A load operand next to a slot or constant is evaluated into its slot ahead of the
    // pending expressions below it only when none of them reads that slot and the move cannot
    // be seen (`Effect`). Each function puts a pending expression below that would tell:
    // a parent reading the spill slot the load would be written to, a call that writes the
    // memory the load reads, a division whose trap must come before the load's, and a load
    // (a read-modify-write's) that may be overtaken.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    let add: [UInt8] = [0x6A], sub: [UInt8] = [0x6B], divU: [UInt8] = [0x6E]
    let load = W.load(0x28, offset: 0)
    // (mem[a] + mem[b]) + (mem[c] - d): the first sum reads the spill slots of heights 0 and 1;
    // mem[c] sits at height 1.
    b.function("spillSlot", [.i32, .i32, .i32, .i32], [.i32],
               W.get(0) + load + W.get(1) + load + add + W.get(2) + load + W.get(3) + sub + add)
    // put(x) stores x at 8 and returns 1.
    b.function("put", [.i32], [.i32], W.i32(8) + W.get(0) + W.store(0x36, offset: 0) + W.i32(1))
    // The same with a pure operand at height 1: (mem[a] + mem[b]) + ((c ^ d) - 5).
    b.function("spillSlotPure", [.i32, .i32, .i32, .i32], [.i32],
               W.get(0) + load + W.get(1) + load + add + W.get(2) + W.get(3) + [0x73] + W.i32(5) + sub + add)
    // put(a) + (b + mem[8]): the load must see a.
    b.function("afterCall", [.i32, .i32], [.i32], W.get(0) + W.call(1) + W.get(1) + W.i32(8) + load + add + add)
    // (a / b) + (c + mem[d]): b = 0 traps before an out-of-bounds d.
    b.function("afterDivision", [.i32, .i32, .i32, .i32], [.i32],
               W.get(0) + W.get(1) + divU + W.get(2) + W.get(3) + load + add + add)
    // put(a) + mem[mem[b]]: a load's address that is a load goes into its slot, but not
    // ahead of the call, which writes the address.
    b.function("chaseAfterCall", [.i32, .i32], [.i32], W.get(0) + W.call(1) + W.get(1) + load + load + add)
    // mem[mem[a]] with nothing pending below: the inner load goes into its slot.
    b.function("chase", [.i32], [.i32], W.get(0) + load + load)
    // mem[a] = mem[a] - (c - mem[d]): the read-modify-write stays fused, mem[d] goes first.
    b.function("readModifyWrite", [.i32, .i32, .i32], [.i32],
               W.get(0) + W.get(0) + load + W.get(1) + W.get(2) + load + sub + sub + W.store(0x36, offset: 0)
               + W.get(0) + load)
    let inst = try instantiate(b)
    let memory = inst.memories[0].state.pointee.base
    for (i, v) in [UInt32(1000), 200, 30, 0xFFFF_FFFF].enumerated() { memory.storeBytes(of: v, toByteOffset: 100 + 4 * i, as: UInt32.self) }
    #expect(run(inst.function("spillSlot")!, [.i32(100), .i32(104), .i32(108), .i32(5)]) == .value(1000 + 200 + 25))
    #expect(run(inst.function("spillSlot")!, [.i32(100), .i32(104), .i32(65536), .i32(5)]) == .trap("out of bounds memory access"))
    #expect(run(inst.function("spillSlotPure")!, [.i32(100), .i32(104), .i32(12), .i32(10)]) == .value(1000 + 200 + 1))
    #expect(run(inst.function("afterCall")!, [.i32(41), .i32(2)]) == .value(1 + 2 + 41))
    memory.storeBytes(of: UInt32(100), toByteOffset: 8, as: UInt32.self)
    #expect(run(inst.function("chaseAfterCall")!, [.i32(104), .i32(8)]) == .value(1 + 200))
    memory.storeBytes(of: UInt32(108), toByteOffset: 12, as: UInt32.self)
    memory.storeBytes(of: UInt32(65536), toByteOffset: 16, as: UInt32.self)
    #expect(run(inst.function("chase")!, [.i32(12)]) == .value(30))
    #expect(run(inst.function("chase")!, [.i32(16)]) == .trap("out of bounds memory access"))
    #expect(run(inst.function("chase")!, [.i32(65533)]) == .trap("out of bounds memory access"))
    #expect(run(inst.function("afterDivision")!, [.i32(7), .i32(2), .i32(1), .i32(104)]) == .value(3 + 1 + 200))
    #expect(run(inst.function("afterDivision")!, [.i32(7), .i32(0), .i32(1), .i32(65536)]) == .trap("integer divide by zero"))
    #expect(run(inst.function("afterDivision")!, [.i32(7), .i32(1), .i32(1), .i32(65536)]) == .trap("out of bounds memory access"))
    #expect(run(inst.function("readModifyWrite")!, [.i32(100), .i32(50), .i32(104)]) == .value(UInt64(UInt32(1000) &- (UInt32(50) &- 200))))
    #expect(run(inst.function("readModifyWrite")!, [.i32(100), .i32(0), .i32(65534)]) == .trap("out of bounds memory access"))
    #expect(memory.load(fromByteOffset: 100, as: UInt32.self) == 1150)
}

@Test func branchesOnALoadOrOperatorConditionTestItsSlot() throws {
    // br_if, if, and br_if out of the function on a condition that is neither a compare nor a
    // slot: a load or eqz of one (a load-and-branch node, or for the return the load into a
    // slot), an and (into a slot first): the branch must go where the value says, and a load
    // out of bounds must trap before the branch.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    let and: [UInt8] = [0x71]
    let eqz: [UInt8] = [0x45]
    let conditions: [[UInt8]] = [W.get(0) + W.load(0x2D, offset: 0), W.get(0) + W.get(1) + and,
                                 W.get(0) + W.load(0x2D, offset: 0) + eqz]
    for condition in conditions {
        b.function("brIf\(b.functions.count)", [.i32, .i32], [.i32],
                   W.block() + condition + W.brIf(0) + W.i32(1) + W.ret + W.end + W.i32(2))
        b.function("if\(b.functions.count)", [.i32, .i32], [.i32],
                   condition + W.if(.i32) + W.i32(3) + W.`else` + W.i32(4) + W.end)
        b.function("ret\(b.functions.count)", [.i32, .i32], [.i32], W.i32(5) + condition + W.brIf(0) + W.drop + W.i32(6))
    }
    let inst = try instantiate(b)
    let memory = inst.memories[0].state.pointee.base
    memory.storeBytes(of: 7, toByteOffset: 100, as: UInt8.self)
    for (i, condition) in [(0, "load"), (3, "and"), (6, "eqz of a load")] {
        for (x, y) in [(100, 0), (101, 1), (65536, 2), (0xFFFF_FFFF, 0xFFFF_FFFF)] as [(UInt32, UInt32)] {
            let args = [Value.i32(x), .i32(y)]
            let loaded: UInt32? = x < 65536 ? UInt32(x == 100 ? 7 : 0) : nil
            let value: UInt32? = i == 0 ? loaded : i == 3 ? x & y : loaded.map { $0 == 0 ? 1 : 0 }
            let outcomes = [run(inst.function("brIf\(i)")!, args), run(inst.function("if\(i + 1)")!, args), run(inst.function("ret\(i + 2)")!, args)]
            if let value {
                #expect(outcomes == [.value(value != 0 ? 2 : 1), .value(value != 0 ? 3 : 4), .value(value != 0 ? 5 : 6)], "\(condition) on \(x)")
            } else {
                #expect(outcomes == Array(repeating: .trap("out of bounds memory access"), count: 3), "\(condition) on \(x)")
            }
        }
    }
}

@Test func loadsAndStoresAgreeAcrossOperandShapes() throws {
    // (op, store opcode, load opcode back, value type, width mask)
    let stores: [(UInt8, UInt8, ValueType)] = [
        (0x36, 0x28, .i32), (0x37, 0x29, .i64), (0x38, 0x2A, .f32), (0x39, 0x2B, .f64),
        (0x3A, 0x2D, .i32), (0x3B, 0x2F, .i32), (0x3C, 0x31, .i64), (0x3D, 0x33, .i64), (0x3E, 0x35, .i64),
    ]
    for (storeOp, loadOp, t) in stores {
        var b = ModuleBuilder()
        b.memoryPages = (1, 1)
        let v: UInt64 = t == .i32 || t == .f32 ? 0xDEAD_BEEF : 0x0123_4567_89AB_CDEF
        let addresses: [(String, [UInt8])] = [("s", W.get(0)), ("e", asExpr(W.get(0))), ("c", W.i32(40))]
        let values: [(String, [UInt8])] = [("s", W.get(1)), ("c", W.const(t, bits: v)), ("e", asExpr(W.get(1)))]
        var names: [String] = []
        for (an, a) in addresses {
            for (vn, val) in values {
                names.append(an + vn)
                // store at address (param 0 = 40) + offset 2, load back through each address shape.
                b.function(an + vn, [.i32, t], [t],
                           a + val + W.store(storeOp, offset: 2) + a + W.load(loadOp, offset: 2))
            }
        }
        let inst = try instantiate(b)
        var reference: Outcome?
        for n in names {
            let got = run(inst.function(n)!, [.i32(40), value(t, v)])
            if reference == nil { reference = got }
            #expect(got == reference, "store \(storeOp) / load \(loadOp) shape \(n): \(got) vs \(reference!)")
            if case .trap = got { Issue.record("unexpected trap in shape \(n)") }
        }
        // Out of bounds through every address shape: the last byte of the access is past the end.
        let oob = run(inst.function(names[0])!, [.i32(65536 - 2), value(t, v)])
        #expect(oob == .trap("out of bounds memory access"))
    }
}

@Test func fusedCompareAndBranchAgreesWithTheUnfusedPath() throws {
    func isCompare(_ raw: UInt16) -> Bool { (raw >= 0x46 && raw <= 0x4F) || (raw >= 0x51 && raw <= 0x66) }
    let compares = binaryOperators.filter { isCompare($0.0.rawValue) }
    #expect(compares.count == 32)
    let tests: [(Opcode, ValueType)] = compares.map { ($0.0, $0.1) } + [(.i32Eqz, .i32), (.i64Eqz, .i64)]
    for (op, t) in tests {
        let unary = op == .i32Eqz || op == .i64Eqz
        var b = ModuleBuilder()
        let xs = samples(t)
        let pairs = xs.flatMap { x in xs.map { (x, $0) } }.enumerated().filter { $0.offset % 4 == 0 }.map(\.element)
        for (_, y) in pairs {
            let conds: [[UInt8]] = unary
                ? [W.get(0), asExpr(W.get(0))]
                : [W.get(0) + W.get(1), W.get(0) + W.const(t, bits: y), asExpr(W.get(0)) + W.get(1)]
            for cond in conds {
                let c = cond + opBytes(op)
                // if/else, if without else, br_if: each yields 1 when the condition holds.
                let ifElse: [UInt8] = c + W.if(.i32) + W.i32(1) + W.else + W.i32(0) + W.end
                var ifThen: [UInt8] = c + W.if() + W.i32(1) + W.set(2)
                ifThen += W.end + W.get(2)
                var brIf: [UInt8] = W.block(.i32) + W.i32(1) + c
                brIf += W.brIf(0) + W.drop + W.i32(0) + W.end
                b.function("f\(b.functions.count)", [t, t], [.i32], ifElse)
                b.function("f\(b.functions.count)", [t, t], [.i32], locals: [.i32], ifThen)
                b.function("f\(b.functions.count)", [t, t], [.i32], brIf)
            }
        }
        let inst = try instantiate(b)
        let perPair = (unary ? 2 : 3) * 3
        for (p, (x, y)) in pairs.enumerated() {
            let args = [value(t, x), value(t, y)]
            let reference = run(inst.function("f\(p * perPair + perPair - 1)")!, args)
            for k in 0..<perPair {
                let got = run(inst.function("f\(p * perPair + k)")!, args)
                #expect(got == reference, "\(op) form \(k) on (\(x), \(y)): \(got) vs \(reference)")
            }
        }
    }
}

@Test func addressesOfASlotPlusAConstantWrapAt32BitsBeforeTheOffset() throws {
    // `load/store (i32.add (local.get 0) (i32.const k))` runs as one node of address kind p;
    // the add wraps at 2^32 as i32.add does, and only then is the static offset added.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    // put(x, v): i32.store offset=4 (x + 0x20) v ; get(x): i32.load offset=4 (x + 0x20)
    b.function("put", [.i32, .i32], [], W.get(0) + W.i32(0x20) + [0x6A] + W.get(1) + W.store(0x36, offset: 4))
    b.function("get", [.i32], [.i32], W.get(0) + W.i32(0x20) + [0x6A] + W.load(0x28, offset: 4))
    // byte(x): i32.load8_u offset=0 (x + 0x10), and its set form through a local.
    b.function("byte", [.i32], [.i32], locals: [.i32],
               W.get(0) + W.i32(0x10) + [0x6A] + W.load(0x2D) + W.set(1) + W.get(1))
    let inst = try instantiate(b)
    func i32Result(_ name: String, _ args: [Value]) throws -> UInt32? {
        if case .i32(let v)? = try inst.function(name)!.call(args).first { return v }
        return nil
    }
    let wrapped = UInt32(bitPattern: -0x10)  // + 0x20 wraps to 0x10
    _ = try inst.function("put")!.call([.i32(wrapped), .i32(0xABCD)])
    #expect(try i32Result("get", [.i32(wrapped)]) == 0xABCD)
    #expect(try i32Result("byte", [.i32(4)]) == 0xCD)  // the byte at 0x14: the stored value's lowest
    // Past the end once the offset is added: traps, whatever the wrap.
    var trap: Trap?
    do { _ = try inst.function("get")!.call([.i32(65536 - 0x20 - 4)]) } catch { trap = (error as? WasmError)?.trap }
    #expect(trap == .outOfBoundsMemoryAccess)
    trap = nil
    do { _ = try inst.function("put")!.call([.i32(65536 - 0x20 - 6), .i32(1)]) } catch { trap = (error as? WasmError)?.trap }
    #expect(trap == .outOfBoundsMemoryAccess)
}

@Test func countedLoopsAgreeWithTheUnfusedPath() throws {
    // `x += step; br_if loop (x cmp limit)` becomes one counter node (inc/add/addSlot), or,
    // when nothing else is in the loop, one node that iterates inside itself (incSelf/addSelf).
    // Every integer compare, step kind and limit kind must leave x where the unfused loop (its
    // condition made an expression) does; endless loops must run out of fuel in every form.
    let samples32: [UInt64] = [0, 1, 7, 0x7FFF_FFF0, 0x8000_0005, 0xFFFF_FFF9]
    let samples64: [UInt64] = [0, 1, 7, 0x7FFF_FFFF_FFFF_FFF0, 0x8000_0000_0000_0005, 0xFFFF_FFFF_FFFF_FFF9]
    for (t, firstCompare, add, samples) in [(ValueType.i32, 0x46, UInt8(0x6A), samples32), (.i64, 0x51, 0x7C, samples64)] {
        for raw in firstCompare..<(firstCompare + 10) {
            let cmp = [UInt8(raw)]
            var b = ModuleBuilder()
            // Parameters: x, limit, stride; local 3 is a second counter.
            let steps: [[UInt8]] = [W.const(t, bits: 1), W.const(t, bits: 3), W.const(t, bits: ~0), W.get(2)]
            for step in steps {
                for limit in [W.get(1), W.const(t, bits: 7)] {
                    let update = W.get(0) + step + [add] + W.set(0)
                    let fused = update + W.get(0) + limit + cmp + W.brIf(0)
                    let unfused = update + asExpr(W.get(0) + limit + cmp) + W.brIf(0)
                    let other = W.get(3) + W.i32(1) + [0x6A] + W.set(3)
                    for body in [fused, other + fused, unfused] {
                        b.function("f\(b.functions.count)", [t, t, t], [t], locals: [.i32], W.loop() + body + W.end + W.get(0))
                    }
                }
            }
            var config = StoreConfig()
            config.consumeFuel = true
            let store = keptStore(config)
            let inst = try instantiate(b, store: store)
            for x in samples {
                for y in samples {
                    for strideValue in [UInt64(2), ~UInt64(1)] {
                        let args = [value(t, x), value(t, y), value(t, strideValue)]
                        for f in stride(from: 0, to: b.functions.count, by: 3) {
                            var got: [Outcome] = []
                            for k in 0..<3 {
                                try store.setFuel(2_000)
                                got.append(run(inst.function("f\(f + k)")!, args))
                            }
                            #expect(got[0] == got[2] && got[1] == got[2], "op 0x\(String(raw, radix: 16)) form \(f) on (\(x), \(y), \(strideValue)): \(got)")
                        }
                    }
                }
            }
        }
    }
}

@Test func storeLoopsAgreeWithTheUnfusedPath() throws {
    // A loop of one store whose address is linear in the counter, and the counter's
    // `x += step; br_if loop (x cmp limit)`, is one node iterating inside itself
    // (`storeSelfLoop_<cond>`). Against the same loop whose step is read from a global, which
    // keeps the store and the counter two statements at the same fuel cost, every store
    // width, address kind (the counter as s, p, index or base of x, and y), offset, value kind
    // (a constant, a slot, the counter), step kind and compare must leave the same memory,
    // result, trap and fuel; an address that is not linear in the counter must not fuse.
    let add: [UInt8] = [0x6A], shl: [UInt8] = [0x74]
    // Parameters: x (the counter), limit, step, another slot, the value.
    let addresses: [(String, [UInt8], Bool)] = [
        ("s", W.get(0), true),
        ("p", W.get(0) + W.i32(5) + add, true),
        ("x index", W.get(3) + W.get(0) + W.i32(2) + shl + add, true),
        ("x base", W.get(0) + W.get(3) + W.i32(3) + shl + add + W.i32(-8) + add, true),
        ("y", W.get(0) + W.i32(34) + shl + W.i32(100) + add, true),
        ("x twice", W.get(0) + W.get(0) + W.i32(1) + shl + add, false),
        ("not x", W.get(3) + W.i32(4) + add, false),
    ]
    // (store, value type)
    let stores: [(UInt8, ValueType)] = [(0x36, .i32), (0x37, .i64), (0x38, .f32), (0x39, .f64), (0x3A, .i32),
                                        (0x3B, .i32), (0x3C, .i64), (0x3D, .i64), (0x3E, .i64)]
    // (compare opcode or nil for `br_if` on the counter's tee, limit)
    var closes: [(UInt8?, [UInt8])] = [(nil, [])]
    for cmp in UInt8(0x46)...0x4F { closes += [(cmp, W.get(1)), (cmp, W.i32(40))] }
    let steps = [W.i32(1), W.i32(4), W.i32(-3), W.get(2)]
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    b.globals = [(.i32, true, W.i32(0))]
    var cases: [(tag: String, fuses: Bool, type: ValueType)] = []
    func addCase(_ tag: String, store: UInt8, type t: ValueType, address: [UInt8], linear: Bool, offset: UInt32,
             value: [UInt8], close: (UInt8?, [UInt8]), step: [UInt8]) {
        func body(_ stepOperand: [UInt8]) -> [UInt8] {
            let update = W.get(0) + stepOperand + add
            let closing = close.0.map { W.set(0) + W.get(0) + close.1 + [$0] } ?? W.tee(0)
            return step + W.globalSet(0) + W.loop() + address + value + W.store(store, offset: offset) + update + closing
                + W.brIf(0) + W.end + W.get(0)
        }
        b.function("f\(cases.count)", [.i32, .i32, .i32, .i32, t], [.i32], body(step))
        b.function("r\(cases.count)", [.i32, .i32, .i32, .i32, t], [.i32], body(W.globalGet(0)))
        cases.append((tag, linear, t))
    }
    var rotation = 0
    for (op, t) in stores {
        var values = [("const", W.const(t, bits: 0xA5A5_5A5A_1234_5678)), ("slot", W.get(4))]
        if t == .i32 { values.append(("counter", W.get(0))) }
        for (an, address, linear) in addresses {
            for offset: UInt32 in [0, 65530] {
                for (vn, value) in values {
                    let close = closes[rotation % closes.count], step = steps[(rotation / closes.count + rotation) % steps.count]
                    rotation += 1
                    addCase("0x\(String(op, radix: 16)) \(an) +\(offset) \(vn) close \(close) step \(step)", store: op, type: t,
                        address: address, linear: linear, offset: offset, value: value, close: close, step: step)
                }
            }
        }
    }
    // Every compare with every step, on one store.
    for close in closes {
        for step in steps {
            addCase("0x3a p close \(close) step \(step)", store: 0x3A, type: .i32, address: addresses[1].1, linear: true, offset: 0,
                value: W.get(4), close: close, step: step)
        }
    }
    var config = StoreConfig()
    config.consumeFuel = true
    let store = keptStore(config)
    let fusedInstance = try instantiate(b, store: store), reference = try instantiate(b, store: store)
    var storeSelf = Set(branchVariantList.compactMap { $0.1.counter?.storeSelf.map { UInt(bitPattern: fnWord($0)) } })
    storeSelf.insert(UInt(bitPattern: fnWord(slotBranchNodes.counter!.storeSelf!)))
    #expect(storeSelf.count == 21)
    // (x, limit, step, other): up to 40, out of bounds near the end (with and without the
    // offset), wrapping past 2^32, counting down.
    let argSets: [[UInt32]] = [[0, 40, 3, 16], [65520, 65535, 1, 0], [0xFFFF_FFF0, 8, 2, 4], [100, 0, 0xFFFF_FFFF, 200]]
    for (i, c) in cases.enumerated() {
        for args in argSets {
            let values = args.map { Value.i32($0) } + [value(c.type, 0x0123_4567_89AB_CDEF &* UInt64(args[0] | 1))]
            var outcomes: [[String]] = []
            for (inst, name) in [(fusedInstance, "f\(i)"), (reference, "r\(i)")] {
                try store.setFuel(300)
                let got = run(inst.function(name)!, values)
                outcomes.append(["\(got)", "fuel \(store.fuel)"])
            }
            #expect(outcomes[0] == outcomes[1], "\(c.tag) on \(args)")
            #expect(fusedInstance.memory("memory")!.read(offset: 0, count: 65536) == reference.memory("memory")!.read(offset: 0, count: 65536),
                    "memory after \(c.tag) on \(args)")
        }
        let fused = statementFunctions(fusedInstance.function("f\(i)")!)[1], unfused = statementFunctions(reference.function("r\(i)")!)[1]
        #expect(storeSelf.contains(UInt(bitPattern: fused)) == c.fuses, "\(c.tag)")
        #expect(!storeSelf.contains(UInt(bitPattern: unfused)), "\(c.tag)")
    }
}

/// (fused, unfused) shapes of an indexed address over base = local 0, index = local 1: the
/// unfused one has an operand behind a select, which nothing fuses.
let indexedAddressShapes: [([UInt8], [UInt8])] = {
    let add: [UInt8] = [0x6A], shl: [UInt8] = [0x74]
    let base = W.get(0), index = W.get(1)
    // (fused, unfused) address shapes over base = local 0, index = local 1.
    return [
        (base + index + add, asExpr(base) + index + add),
        (base + index + W.i32(2) + shl + add, asExpr(base) + index + W.i32(2) + shl + add),
        (index + W.i32(3) + shl + base + add, index + W.i32(3) + shl + asExpr(base) + add),
        (base + W.i32(32) + add + index + W.i32(3) + shl + add, asExpr(base) + W.i32(32) + add + index + W.i32(3) + shl + add),
        (base + index + W.i32(2) + shl + add + W.i32(-16) + add, asExpr(base) + index + W.i32(2) + shl + add + W.i32(-16) + add),
        (index + W.i32(2) + shl + W.i32(1024) + add, asExpr(index) + W.i32(2) + shl + W.i32(1024) + add),
        (index + W.i32(2) + shl, asExpr(index) + W.i32(2) + shl),
        (index + W.i32(35) + shl + base + add, asExpr(index) + W.i32(35) + shl + base + add),  // shift count mod 32
        (base + index + add + W.i32(8) + add, asExpr(base) + index + add + W.i32(8) + add),
    ]
}()

@Test func indexedAddressesAgreeWithTheUnfusedPath() throws {
    // An address built of i32.add / i32.shl of at most two locals (one of them shifted by a
    // constant) and constants runs as one node of address kind x (`base + (index << k) + c`)
    // or y (`(index << k) + c`); the sum wraps at 2^32 as the adds and shifts it replaces, and
    // only then is the static offset added. Every shape, access width and value kind must store
    // and load what the same arithmetic does unfused (one operand behind a select, which
    // nothing fuses), and trap where it traps.
    let shapes = indexedAddressShapes
    // (store opcode, load opcode, value type)
    let accesses: [(UInt8, UInt8, ValueType)] = [(0x36, 0x28, .i32), (0x37, 0x29, .i64), (0x3A, 0x2D, .i32), (0x3E, 0x34, .i64)]
    let inputs: [(UInt32, UInt32)] = [
        (0x100, 3), (0xFFFF_FFF0, 8), (0, 0x4000_0010), (0x10, 0xFFFF_FFFF), (65530, 1), (65536 - 12, 0),
        (0x20, 0x3FFF_FFFF), (0xFFFF_0000, 0x8000_0000), (70000, 0),
    ]
    for (storeOp, loadOp, t) in accesses {
        var b = ModuleBuilder()
        b.memoryPages = (1, 1)
        let v: UInt64 = t == .i32 ? 0xDEAD_BEEF : 0x0123_4567_89AB_CDEF
        let values: [[UInt8]] = [W.get(2), W.const(t, bits: v), asExpr(W.get(2))]
        for (fused, unfused) in shapes {
            for value in values {
                for setForm in [false, true] {
                    for address in [fused, unfused] {
                        // Store v at the address (offset 4), load it back from there: directly, or
                        // through a local (the load's statement form).
                        var body = address + value + W.store(storeOp, offset: 4) + address + W.load(loadOp, offset: 4)
                        if setForm { body += W.set(3) + W.get(3) }
                        b.function("f\(b.functions.count)", [.i32, .i32, t], [t], locals: [t], body)
                    }
                }
            }
        }
        let inst = try instantiate(b)
        let nodes = storeNodes(Opcode(rawValue: UInt16(storeOp))!)!
        let indexed = [nodes.xs, nodes.xc, nodes.xe, nodes.ys, nodes.yc, nodes.ye].map(fnWord)
        var traps = 0, values_ = 0
        for f in stride(from: 0, to: b.functions.count, by: 2) {
            for (x, y) in inputs {
                let args = [Value.i32(x), .i32(y), value(t, v)]
                let got = run(inst.function("f\(f)")!, args)
                let reference = run(inst.function("f\(f + 1)")!, args)
                #expect(got == reference, "store 0x\(String(storeOp, radix: 16)) function \(f) on (\(x), \(y)): \(got) vs \(reference)")
                if case .trap = reference { traps += 1 } else { values_ += 1 }
            }
            // The fused form's first statement is the store of an indexed address; the unfused one's is not.
            func first(_ name: String) -> UnsafeRawPointer {
                inst.function(name)!.record.pointee.entry.pointee.a.node.pointee.fn
            }
            #expect(indexed.contains(first("f\(f)")), "function \(f) is not fused")
            #expect(!indexed.contains(first("f\(f + 1)")))
        }
        #expect(traps > 0 && values_ > 0)
    }
}

@Test func indexedAddressesKeptInALocalAgreeWithTheUnfusedPath() throws {
    // An indexed address stored to a local (a pointer kept for later) is computed by one
    // statement (setIndexedAddress_x/y) where its tree has more than one node; it must wrap at
    // 2^32 like the adds and shifts it replaces.
    var b = ModuleBuilder()
    for (fused, unfused) in indexedAddressShapes {
        for address in [fused, unfused] {
            b.function("f\(b.functions.count)", [.i32, .i32], [.i32], locals: [.i32], address + W.set(2) + W.get(2))
        }
    }
    let inst = try instantiate(b)
    let forms = [fnWord(setIndexedAddress_x), fnWord(setIndexedAddress_y)]
    var fusedCount = 0
    for f in stride(from: 0, to: b.functions.count, by: 2) {
        for (x, y) in [(0x100, 3), (0xFFFF_FFF0, 8), (0, 0x4000_0010), (0x10, 0xFFFF_FFFF), (0xFFFF_0000, 0x8000_0000)] as [(UInt32, UInt32)] {
            let args = [Value.i32(x), .i32(y)]
            #expect(run(inst.function("f\(f)")!, args) == run(inst.function("f\(f + 1)")!, args), "shape \(f / 2) on (\(x), \(y))")
        }
        let first = inst.function("f\(f)")!.record.pointee.entry.pointee.a.node.pointee.fn
        if forms.contains(first) { fusedCount += 1 }
        #expect(!forms.contains(inst.function("f\(f + 1)")!.record.pointee.entry.pointee.a.node.pointee.fn))
    }
    // Every shape but the one-node ones (base + index, index << 2).
    #expect(fusedCount == indexedAddressShapes.count - 2)
}

@Test func branchTablesWithoutMovesAgreeWithTheMovingForm() throws {
    // A br_table that moves no values jumps through a table of targets alone: brTableSlotNode
    // for an index in a local or one evaluated into its slot first (a load, which may trap),
    // brTableJumpNode for an index expression without a statement form. Each
    // must pick the target (the default for any index past the last, the index taken
    // unsigned) that the general node picks when the branch carries a value, must trap where
    // its index traps, and a loop closed by a br_table must still run out of fuel.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    // The index, read from a local, computed, or loaded from memory at address 4 * local 0.
    let indexes: [[UInt8]] = [W.get(0), asExpr(W.get(0)), W.get(0) + W.i32(2) + [0x74] + W.load(0x28, offset: 0)]
    for index in indexes {
        // No values: blocks $b0..$b3, the table's targets 0 1 2 3 3 1 and default 2.
        var plain = W.block() + W.block() + W.block() + W.block()
        plain += index + W.brTable([0, 1, 2, 3, 3, 1], 2) + W.end
        plain += W.i32(10) + W.ret + W.end + W.i32(11) + W.ret + W.end + W.i32(12) + W.ret + W.end + W.i32(13)
        b.function("f\(b.functions.count)", [.i32], [.i32], plain)
        // The same choice carrying a value: each block adds its own amount to it.
        var moving = W.block(.i32) + W.block(.i32) + W.block(.i32) + W.block(.i32)
        moving += W.i32(100) + index + W.brTable([0, 1, 2, 3, 3, 1], 2) + W.end
        moving += W.i32(10 - 100) + [0x6A] + W.ret + W.end + W.i32(11 - 100) + [0x6A] + W.ret + W.end
        moving += W.i32(12 - 100) + [0x6A] + W.ret + W.end + W.i32(13 - 100) + [0x6A]
        b.function("f\(b.functions.count)", [.i32], [.i32], moving)
        // A loop whose br_table goes back to its head for index 0: endless.
        let loop = W.block() + W.loop() + index + W.brTable([0], 1) + W.end + W.end + W.i32(7)
        b.function("f\(b.functions.count)", [.i32], [.i32], loop)
    }
    // Memory word i holds i for the first 8 words, then 0xFFFF_FFFF.
    b.data = [(0, (0..<8).flatMap { [UInt8($0), 0, 0, 0] } + [0xFF, 0xFF, 0xFF, 0xFF])]
    var config = StoreConfig()
    config.consumeFuel = true
    let store = keptStore(config)
    let inst = try instantiate(b, store: store)
    let expected: [UInt64] = [10, 11, 12, 13, 13, 11, 12, 12]
    for (form, f) in stride(from: 0, to: b.functions.count, by: 3).enumerated() {
        for i in UInt32(0)..<8 {
            try store.setFuel(1_000_000)
            #expect(run(inst.function("f\(f)")!, [.i32(i)]) == .value(expected[Int(i)]), "form \(form) index \(i)")
            #expect(run(inst.function("f\(f + 1)")!, [.i32(i)]) == .value(expected[Int(i)]), "form \(form) index \(i), moving")
            #expect(run(inst.function("f\(f + 2)")!, [.i32(i)]) == (i == 0 ? .trap("fuel exhausted") : .value(7)))
        }
        try store.setFuel(1_000_000)
        // Index 0xFFFF_FFFF (an unsigned index past the table): the default.
        let big: UInt32 = form == 2 ? 8 : 0xFFFF_FFFF
        #expect(run(inst.function("f\(f)")!, [.i32(big)]) == .value(12))
        #expect(run(inst.function("f\(f + 1)")!, [.i32(big)]) == .value(12))
        if form == 2 {
            // The index's load is out of bounds: the br_table traps.
            #expect(run(inst.function("f\(f)")!, [.i32(0x4000)]) == .trap("out of bounds memory access"))
        }
    }
    // The forms are the nodes meant: the first statement of each plain function.
    func statement(_ name: String, _ k: Int = 0) -> UnsafeRawPointer {
        statementFunctions(inst.function(name)!, count: k + 1)[k]
    }
    func first(_ name: String) -> UnsafeRawPointer { statement(name) }
    #expect(first("f0") == fnWord(brTableSlotNode))
    #expect(first("f3") == fnWord(brTableJumpNode))
    #expect(first("f6") == fnWord(set_i32Load_y) && statement("f6", 1) == fnWord(brTableSlotNode))
    #expect(first("f1") != fnWord(brTableSlotNode) && first("f1") != fnWord(brTableJumpNode))
}

@Test func directCallArgumentsAgreeInEveryShape() throws {
    // A call of one to three scalar arguments writes each into the callee's frame by its kind
    // (call_<kinds>: a slot copied, a constant stored, an expression evaluated). Every shape
    // must pass the same values in order, and an argument that traps must keep the callee from
    // running (it would store to memory). The statement form (`local.set` of the call,
    // set_call_<kinds>) must do the same and write the result to the local.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    // Callees 0-2: record that they ran (memory[0] = 1), then combine their i64 arguments in
    // an order-sensitive way: ((a * 31) + b) * 31 + c.
    let ran = W.i32(0) + W.i32(1) + W.store(0x36)
    for params in 1...3 {
        var body = ran + W.get(0)
        for p in 1..<params { body += W.i64(31) + [0x7E] + W.get(UInt32(p)) + [0x7C] }
        b.function("callee\(params)", [ValueType](repeating: .i64, count: params), [.i64], body)
    }
    let samples: [Int64] = [5, -7, 1 << 40]
    var expected: [Int64] = []
    var shapes: [String] = []
    for params in 1...3 {
        for i in 0..<(1 << (2 * params)) {
            // Per argument: s (local p), c (a constant), e (an expression), t (an expression
            // that traps: a load out of bounds); 4^params shapes, those with a t checked apart.
            let kinds = (0..<params).map { Array("scet")[(i >> (2 * $0)) & 3] }
            var body: [UInt8] = []
            for (p, k) in kinds.enumerated() {
                switch k {
                case "s": body += W.get(UInt32(p))
                case "c": body += W.i64(samples[p])
                case "e": body += asExpr(W.get(UInt32(p)))
                default: body += W.i32(65536) + W.load(0x29)
                }
            }
            body += W.call(UInt32(params - 1))
            b.function("f\(shapes.count)", [.i64, .i64, .i64], [.i64], body)
            // The statement form: `local.set 3 (call ...)` writes the result to the local.
            b.function("g\(shapes.count)", [.i64, .i64, .i64], [.i64], locals: [.i64], body + W.set(3) + W.get(3))
            shapes.append(String(kinds))
            expected.append(samples[..<params].dropFirst().reduce(samples[0]) { $0 &* 31 &+ $1 })
        }
    }
    let inst = try instantiate(b)
    let memory = inst.memories[0]
    for (f, kinds) in shapes.enumerated() {
        for form in ["f", "g"] {
            memory.state.pointee.base.storeBytes(of: UInt32(0), as: UInt32.self)
            let got = run(inst.function("\(form)\(f)")!, samples.map { Value.i64(UInt64(bitPattern: $0)) })
            if kinds.contains("t") {
                #expect(got == .trap("out of bounds memory access"), "shape \(kinds)")
                #expect(memory.state.pointee.base.load(as: UInt32.self) == 0, "shape \(kinds): the callee ran")
            } else {
                #expect(got == .value(UInt64(bitPattern: expected[f])), "shape \(kinds)")
                #expect(memory.state.pointee.base.load(as: UInt32.self) == 1)
                let first = inst.function("\(form)\(f)")!.record.pointee.entry.pointee.a.node.pointee
                let call = directCallNode(arguments: kinds.replacingOccurrences(of: "t", with: "e"))!
                if form == "f" {
                    // The body is `return call`: a return node whose expression is the call.
                    #expect(first.a.node.pointee.fn == fnWord(call), "shape \(kinds)")
                } else {
                    #expect(first.fn == fnWord(setVariants[UInt(bitPattern: fnWord(call))]!.fn), "shape \(kinds), set form")
                }
            }
        }
    }
}

@Test func constantAddressesAgreeWithTheUnfusedPath() throws {
    // A load or store at a constant address (a C global) is a node of address kind k whose
    // effective address, constant + offset, was computed when translating: the sum of two
    // 32-bit numbers, which never wraps (0xFFFF_FFF0 + 0x20 is out of bounds, not 0x10).
    // Every width and value kind must store and load, or trap, as the address computed at run
    // time does (the constant behind a select, which nothing fuses).
    let accesses: [(UInt8, UInt8, ValueType)] = [(0x36, 0x28, .i32), (0x37, 0x29, .i64), (0x3A, 0x2D, .i32), (0x3D, 0x33, .i64)]
    let addresses: [Int32] = [0, 100, 65532, 65535, -16]
    let offsets: [UInt32] = [0, 4, 0x20, 65536]
    for (storeOp, loadOp, t) in accesses {
        var b = ModuleBuilder()
        b.memoryPages = (1, 1)
        let v: UInt64 = t == .i32 ? 0xDEAD_BEEF : 0x0123_4567_89AB_CDEF
        let values: [[UInt8]] = [W.get(0), W.const(t, bits: v), asExpr(W.get(0))]
        for address in addresses {
            for offset in offsets {
                for value in values {
                    for a in [W.i32(address), asExpr(W.i32(address))] {
                        b.function("f\(b.functions.count)", [t], [t],
                                   a + value + W.store(storeOp, offset: offset) + a + W.load(loadOp, offset: offset))
                    }
                }
            }
        }
        let inst = try instantiate(b)
        let nodes = storeNodes(Opcode(rawValue: UInt16(storeOp))!)!
        let constant = [nodes.kc, nodes.ks, nodes.ke].map(fnWord)
        var traps = 0
        for f in stride(from: 0, to: b.functions.count, by: 2) {
            let got = run(inst.function("f\(f)")!, [value(t, v)])
            let reference = run(inst.function("f\(f + 1)")!, [value(t, v)])
            #expect(got == reference, "store 0x\(String(storeOp, radix: 16)) function \(f): \(got) vs \(reference)")
            if case .trap = reference { traps += 1 }
            let first = { (name: String) in inst.function(name)!.record.pointee.entry.pointee.a.node.pointee.fn }
            #expect(constant.contains(first("f\(f)")) && !constant.contains(first("f\(f + 1)")), "function \(f)")
        }
        #expect(traps > 0 && traps < b.functions.count / 2)
    }
}

@Test func readModifyWriteAgreesWithTheUnfusedPath() throws {
    // `store (a) (op (load (a)) v)` with the load at the store's own address, offset and width
    // is one node (`mem[a] += v`): it must leave memory and return what the load, operation
    // and store do unfused (the load behind a select, which nothing fuses), for every store
    // width (narrow loads sign- or zero-extending), operation, address kind (s, p, x, y, k) and
    // value kind, and trap where they trap. A load at another offset is not fused.
    let addresses = addressForms(plus: 8, shift: 2, indexPlus: 64, constant: 200)
    // (store, its loads, value type, bytes)
    let accesses: [(UInt8, [UInt8], ValueType, Int)] = [
        (0x36, [0x28], .i32, 4), (0x37, [0x29], .i64, 8), (0x3A, [0x2C, 0x2D], .i32, 1), (0x3B, [0x2E, 0x2F], .i32, 2),
        (0x3C, [0x30, 0x31], .i64, 1), (0x3D, [0x32, 0x33], .i64, 2), (0x3E, [0x34, 0x35], .i64, 4),
    ]
    let ops: [(String, UInt8, UInt8)] = [("Add", 0x6A, 0x7C), ("Sub", 0x6B, 0x7D), ("And", 0x71, 0x83), ("Or", 0x72, 0x84), ("Xor", 0x73, 0x85)]
    let inputs: [(UInt32, UInt32)] = [(16, 3), (0xFFFF_FFF8, 4), (65530, 0), (300, 0x3FFF_FFFF)]
    let pattern = (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    for (storeOp, loads, t, size) in accesses {
        var b = ModuleBuilder()
        b.memoryPages = (1, 1)
        let v: UInt64 = t == .i32 ? 0x8765_4321 : 0xFEDC_BA98_7654_3210
        let values: [(Character, [UInt8])] = [("s", W.get(2)), ("c", W.const(t, bits: v)), ("e", asExpr(W.get(2)))]
        var expected: [NodeFn?] = []
        for loadOp in loads {
            for (opName, op32, op64) in ops {
                let op = [t == .i32 ? op32 : op64]
                for (ak, a) in addresses {
                    for (vk, value) in values {
                        let back = a + W.load(loadOp, offset: 4)
                        let fused = a + a + W.load(loadOp, offset: 4) + value + op + W.store(storeOp, offset: 4) + back
                        let unfused = a + asExpr(a + W.load(loadOp, offset: 4)) + value + op + W.store(storeOp, offset: 4) + back
                        // Not the same access: the load reads at offset 0, the store writes at 4.
                        let other = a + a + W.load(loadOp, offset: 0) + value + op + W.store(storeOp, offset: 4) + back
                        let otherUnfused = a + asExpr(a + W.load(loadOp, offset: 0)) + value + op + W.store(storeOp, offset: 4) + back
                        for body in [fused, unfused, other, otherUnfused] {
                            b.function("f\(b.functions.count)", [.i32, .i32, t], [t], body)
                        }
                        expected.append(rmwNode(size: size, op: opName, kinds: String([ak, vk])))
                    }
                    // The load as the right operand of a commutative operation (`v + mem[a]`):
                    // an expression v (kind f) runs before the load, so a v that traps (a
                    // division by zero) traps first even where the address is out of bounds.
                    guard opName != "Sub" else { continue }
                    let divide = W.get(2) + W.const(t, bits: 0) + [t == .i32 ? 0x6E : 0x80]
                    // The division has a statement form: it goes into a slot first, and the node
                    // reads the slot (kind s, the statement after it).
                    for (vk, value) in [("s", W.get(2)), ("f", asExpr(W.get(2))), ("s", divide)] as [(Character, [UInt8])] {
                        let back = a + W.load(loadOp, offset: 4)
                        let fused = a + value + a + W.load(loadOp, offset: 4) + op + W.store(storeOp, offset: 4) + back
                        let unfused = a + value + asExpr(a + W.load(loadOp, offset: 4)) + op + W.store(storeOp, offset: 4) + back
                        let other = a + value + a + W.load(loadOp, offset: 0) + op + W.store(storeOp, offset: 4) + back
                        let otherUnfused = a + value + asExpr(a + W.load(loadOp, offset: 0)) + op + W.store(storeOp, offset: 4) + back
                        for body in [fused, unfused, other, otherUnfused] {
                            b.function("f\(b.functions.count)", [.i32, .i32, t], [t], body)
                        }
                        expected.append(rmwNode(size: size, op: opName, kinds: String([ak, vk])))
                    }
                }
            }
        }
        let inst = try instantiate(b)
        let memory = inst.memories[0].state.pointee.base
        // The accesses fall in the first and the last KiB of the memory: both start from the
        // pattern on every run, and both are compared after it.
        func runFresh(_ name: String, _ args: [Value]) -> (Outcome, [UInt8]) {
            memory.copyMemory(from: pattern, byteCount: pattern.count)
            (memory + 65536 - pattern.count).copyMemory(from: pattern, byteCount: pattern.count)
            let r = run(inst.function(name)!, args)
            return (r, Array(UnsafeRawBufferPointer(start: memory, count: pattern.count))
                + Array(UnsafeRawBufferPointer(start: memory + 65536 - pattern.count, count: pattern.count)))
        }
        var traps = 0
        for (i, rmw) in expected.enumerated() {
            let f = 4 * i
            for (x, y) in inputs {
                let args = [Value.i32(x), .i32(y), value(t, v)]
                let (got, gotMemory) = runFresh("f\(f)", args)
                let (reference, referenceMemory) = runFresh("f\(f + 1)", args)
                #expect(got == reference && gotMemory == referenceMemory, "store 0x\(String(storeOp, radix: 16)) form \(i) on (\(x), \(y)): \(got) vs \(reference)")
                let (other, otherMemory) = runFresh("f\(f + 2)", args)
                let (otherReference, otherReferenceMemory) = runFresh("f\(f + 3)", args)
                #expect(other == otherReference && otherMemory == otherReferenceMemory, "store 0x\(String(storeOp, radix: 16)) form \(i), other offset")
                if case .trap = reference { traps += 1 }
            }
            // The read-modify-write node is the first statement, or the second after its value's.
            let first = { (name: String) in statementFunctions(inst.function(name)!) }
            #expect(rmw != nil && first("f\(f)").contains(fnWord(rmw!)), "form \(i) is not fused")
            #expect(![f + 1, f + 2, f + 3].contains { rmw != nil && first("f\($0)").contains(fnWord(rmw!)) })
        }
        #expect(traps > 0)
    }
}

@Test func selectAgreesInEveryValueShape() throws {
    // select reads a slot or constant value itself (select_<kinds>) and evaluates the rest in
    // Wasm order: first value, second value, condition. Every shape must pick what the shape
    // with both values as expressions picks, for every value type, and a value that traps
    // must trap (the first trap in order wins).
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    let types: [(ValueType, UInt64, UInt64)] = [(.i32, 7, 0xFFFF_FFF9), (.i64, 1 << 40, ~0), (.f32, UInt64(Float(1.5).bitPattern), 0x7FC0_0000),
                                                 (.f64, Double(-2.25).bitPattern, 0x7FF8_0000_0000_0000)]
    var cases: [(ValueType, UInt64, UInt64)] = []
    for (t, x, y) in types {
        // Parameters: x, y, condition. Value shapes: s (a local), c (a constant), e (an
        // expression), t (a load out of bounds, for i32 only).
        var shapes: [(UInt32, UInt64) -> [UInt8]] = [{ p, _ in W.get(p) }, { _, bits in W.const(t, bits: bits) }, { p, _ in asExpr(W.get(p)) }]
        if t == .i32 { shapes.append { _, _ in W.i32(65536) + W.load(0x28) } }
        for first in shapes {
            for second in shapes {
                b.function("f\(b.functions.count)", [t, t, .i32], [t], first(0, x) + second(1, y) + W.get(2) + W.select)
                b.function("f\(b.functions.count)", [t, t, .i32], [t], asExpr(first(0, x)) + asExpr(second(1, y)) + W.get(2) + W.select)
                cases.append((t, x, y))
            }
        }
    }
    let inst = try instantiate(b)
    var traps = 0
    for (i, (t, x, y)) in cases.enumerated() {
        for cond: UInt32 in [0, 1, 0x8000_0000] {
            let args = [value(t, x), value(t, y), .i32(cond)]
            let got = run(inst.function("f\(2 * i)")!, args)
            let reference = run(inst.function("f\(2 * i + 1)")!, args)
            #expect(got == reference, "case \(i) (\(t)) on condition \(cond): \(got) vs \(reference)")
            if case .trap = reference { traps += 1 } else if cond == 0 { #expect(reference == .value(y)) } else { #expect(reference == .value(x)) }
        }
    }
    #expect(traps > 0)
    // The shapes' nodes: (s, s) and (c, e) read their slot and constant themselves.
    let ss = inst.function("f0")!, ce = inst.function("f12")!
    _ = run(ss, [.i32(1), .i32(2), .i32(1)])
    _ = run(ce, [.i32(1), .i32(2), .i32(1)])
    #expect(ss.record.pointee.entry.pointee.a.node.pointee.a.node.pointee.fn == fnWord(select_ss))
    #expect(ce.record.pointee.entry.pointee.a.node.pointee.a.node.pointee.fn == fnWord(select_ce))
}

@Test func floatReadModifyWriteAgreesWithTheUnfusedPath() throws {
    // `f64.store (a) (f64.sub (f64.load (a)) v)` (nbody's `v -= dx * m * mag`) and the f32 and
    // add/mul forms are one node at the float's own width: the stored bits, NaNs and signed
    // zeros included, must be those of the unfused load, operation and store, for every
    // address kind and value kind, and out-of-bounds addresses must trap.
    let addresses = addressForms(plus: 8, shift: 3, indexPlus: 64, constant: 200)
    // (store, load, type, bytes, ops as (name, opcode), samples of v and of the memory's value)
    let floats: [(UInt8, UInt8, ValueType, Int, [(String, UInt8)], [UInt64])] = [
        (0x38, 0x2A, .f32, 4, [("F32Add", 0x92), ("F32Sub", 0x93), ("F32Mul", 0x94)],
         [Float(1.5), -0.0, 0.0, .infinity, 3e38].map { UInt64($0.bitPattern) } + [0x7FC0_0001, 0xFFA0_0000]),
        (0x39, 0x2B, .f64, 8, [("F64Add", 0xA0), ("F64Sub", 0xA1), ("F64Mul", 0xA2)],
         [Double(1.5), -0.0, 0.0, -.infinity, 1e308].map { $0.bitPattern } + [0x7FF8_0000_0000_0001, 0xFFF4_0000_0000_0000]),
    ]
    let inputs: [(UInt32, UInt32)] = [(16, 3), (0xFFFF_FFF8, 4), (65530, 0)]
    for (storeOp, loadOp, t, size, ops, samples) in floats {
        var b = ModuleBuilder()
        b.memoryPages = (1, 1)
        var expected: [NodeFn?] = []
        for (name, op) in ops {
            for (ak, a) in addresses {
                let values: [(Character, [UInt8])] = [("s", W.get(2)), ("c", W.const(t, bits: samples[0])), ("e", asExpr(W.get(2)))]
                for (vk, value) in values {
                    let back = a + W.load(loadOp, offset: 4)
                    b.function("f\(b.functions.count)", [.i32, .i32, t], [t],
                               a + a + W.load(loadOp, offset: 4) + value + [op] + W.store(storeOp, offset: 4) + back)
                    b.function("f\(b.functions.count)", [.i32, .i32, t], [t],
                               a + asExpr(a + W.load(loadOp, offset: 4)) + value + [op] + W.store(storeOp, offset: 4) + back)
                    expected.append(rmwNode(size: size, op: name, kinds: String([ak, vk])))
                }
                // `v + mem[a]`, `v * mem[a]`: the load on the right of a commutative operation.
                guard !name.hasSuffix("Sub") else { continue }
                for (vk, value) in [("r", W.get(2)), ("f", asExpr(W.get(2)))] as [(Character, [UInt8])] {
                    let back = a + W.load(loadOp, offset: 4)
                    b.function("f\(b.functions.count)", [.i32, .i32, t], [t],
                               a + value + a + W.load(loadOp, offset: 4) + [op] + W.store(storeOp, offset: 4) + back)
                    b.function("f\(b.functions.count)", [.i32, .i32, t], [t],
                               a + value + asExpr(a + W.load(loadOp, offset: 4)) + [op] + W.store(storeOp, offset: 4) + back)
                    expected.append(rmwNode(size: size, op: name, kinds: String([ak, vk])))
                }
            }
        }
        let inst = try instantiate(b)
        let memory = inst.memories[0].state.pointee.base
        var traps = 0
        for (i, rmw) in expected.enumerated() {
            for (x, y) in inputs {
                for old in samples {
                    for v in samples {
                        var outcomes: [Outcome] = []
                        for f in [2 * i, 2 * i + 1] {
                            // The first and last KiB, where the shapes reach, hold `old` repeated before each call.
                            for at in Array(stride(from: 0, to: 1024, by: size)) + Array(stride(from: 65536 - 1024, to: 65536, by: size)) {
                                if size == 4 { (memory + at).storeBytes(of: UInt32(truncatingIfNeeded: old), as: UInt32.self) }
                                else { (memory + at).storeBytes(of: old, as: UInt64.self) }
                            }
                            outcomes.append(run(inst.function("f\(f)")!, [.i32(x), .i32(y), value(t, v)]))
                        }
                        #expect(outcomes[0] == outcomes[1], "\(t) form \(i) on (\(x), \(y)), old \(old), v \(v): \(outcomes)")
                        if case .trap = outcomes[1] { traps += 1 }
                    }
                }
            }
            let first = inst.function("f\(2 * i)")!.record.pointee.entry.pointee.a.node.pointee.fn
            #expect(rmw != nil && first == fnWord(rmw!), "\(t) form \(i) is not fused")
        }
        #expect(traps > 0)
    }
}

@Test func floatReadModifyWriteOfAProductAgreesWithTheUnfusedPath() throws {
    // A float read-modify-write whose value is a product of slots, `x * y` or `(x * y) * z`
    // (nbody's `a->vx -= dx * b->mass * mag`), is one node that multiplies
    // (`<store><Op>Prod<2|3><L|R>_<kind>`): for add (the load on either side) and sub, both
    // widths and every address kind, the stored bits (NaN payloads in operand order, signed
    // zeros) and traps must be those of the unfused code (the load behind a select).
    let addresses = addressForms(plus: 8, shift: 3, indexPlus: 64, constant: 200)
    let floats: [(UInt8, UInt8, ValueType, Int, [(String, UInt8)], [UInt64], [UInt64])] = [
        (0x38, 0x2A, .f32, 4, [("F32Add", 0x92), ("F32Sub", 0x93)], [Float(1.5), -0.0, 0.0, .infinity, 3e38].map { UInt64($0.bitPattern) },
         [0x7FC0_0001, 0xFFA0_0002]),
        (0x39, 0x2B, .f64, 8, [("F64Add", 0xA0), ("F64Sub", 0xA1)], [Double(1.5), -0.0, 0.0, -.infinity, 1e308].map { $0.bitPattern },
         [0x7FF8_0000_0000_0001, 0xFFF4_0000_0000_0002]),
    ]
    let mul: [UInt8] = [0x94], mul64: [UInt8] = [0xA2]
    let inputs: [(UInt32, UInt32)] = [(16, 3), (0xFFFF_FFF8, 4), (65530, 0)]
    for (storeOp, loadOp, t, size, ops, samples, nans) in floats {
        let m = t == .f32 ? mul : mul64
        // (factors, product): 0 for `z * (x * y)`, not such a product: it goes into a slot
        // first, and the read-modify-write takes the slot.
        let products: [(Int, [UInt8])] = [(2, W.get(2) + W.get(3) + m), (3, W.get(2) + W.get(3) + m + W.get(4) + m),
                                          (0, W.get(4) + W.get(2) + W.get(3) + m + m)]
        var b = ModuleBuilder()
        b.memoryPages = (1, 1)
        var expected: [NodeFn?] = []
        for (name, op) in ops {
            for (ak, a) in addresses {
                for loadLeft in name.hasSuffix("Sub") ? [true] : [true, false] {
                    for (factors, product) in products {
                        let load = a + W.load(loadOp, offset: 4)
                        let (fused, unfused) = loadLeft ? (load + product, asExpr(load) + product) : (product + load, product + asExpr(load))
                        let back = a + W.load(loadOp, offset: 4)
                        for value in [fused, unfused] {
                            b.function("f\(b.functions.count)", [.i32, .i32, t, t, t], [t], a + value + [op] + W.store(storeOp, offset: 4) + back)
                        }
                        expected.append(factors > 0 ? rmwProductNode(size: size, op: name, factors: factors, loadLeft: loadLeft, kind: ak)
                                                    : rmwNode(size: size, op: name, kinds: String([ak, loadLeft ? "s" : "r"])))
                    }
                }
            }
        }
        let inst = try instantiate(b)
        let memory = inst.memories[0].state.pointee.base
        var traps = 0
        for (i, node) in expected.enumerated() {
            for (x, y) in inputs {
                for old in samples + nans.prefix(1) {
                    for (v1, v2, v3) in samples.map({ ($0, samples[0], samples[3]) }) + [(nans[0], nans[1], samples[0]), (samples[0], nans[1], nans[0]),
                                                                                           (samples[1], samples[4], samples[4]), (samples[3], samples[2], samples[0])] {
                        var outcomes: [Outcome] = []
                        for f in [2 * i, 2 * i + 1] {
                            for at in Array(stride(from: 0, to: 1024, by: size)) + Array(stride(from: 65536 - 1024, to: 65536, by: size)) {
                                if size == 4 { (memory + at).storeBytes(of: UInt32(truncatingIfNeeded: old), as: UInt32.self) }
                                else { (memory + at).storeBytes(of: old, as: UInt64.self) }
                            }
                            outcomes.append(run(inst.function("f\(f)")!, [.i32(x), .i32(y), value(t, v1), value(t, v2), value(t, v3)]))
                        }
                        #expect(outcomes[0] == outcomes[1], "\(t) form \(i) on (\(x), \(y)), old \(old), \(v1) \(v2) \(v3): \(outcomes)")
                        if case .trap = outcomes[1] { traps += 1 }
                    }
                }
            }
            let statements = statementFunctions(inst.function("f\(2 * i)")!, count: i % 3 == 2 ? 2 : 1)
            #expect(node != nil && statements.last == fnWord(node!), "\(t) form \(i) is not fused as expected")
        }
        #expect(traps > 0)
    }
}

@Test func bitFieldExtractionAgreesWithTheUnfusedPath() throws {
    // `(x >> k) & m` of a local and two constants is one node (i32/i64ShrUAnd_s); the shift
    // count is taken modulo the width, as shr_u does, and the mask may stand on either side.
    // Each shape must compute what the two operations compute unfused (x behind a select,
    // which nothing fuses), as an expression and as a local.set's statement form.
    for (t, shrU, and, width) in [(ValueType.i32, UInt8(0x76), UInt8(0x71), 32), (.i64, 0x88, 0x83, 64)] {
        var b = ModuleBuilder()
        let shifts: [UInt64] = [0, 7, 16, UInt64(width - 1), UInt64(width), UInt64(width + 5)]
        let masks: [UInt64] = [0xFF, 1, t == .i32 ? 0xFFFF_FFFF : 0xFFFF_FFFF_FFFF_FFFF, 0x8000_0001]
        for k in shifts {
            for m in masks {
                for x in [W.get(0), asExpr(W.get(0))] {
                    let shifted = x + W.const(t, bits: k) + [shrU]
                    b.function("f\(b.functions.count)", [t], [t], shifted + W.const(t, bits: m) + [and])
                    b.function("f\(b.functions.count)", [t], [t], locals: [t], W.const(t, bits: m) + shifted + [and] + W.set(1) + W.get(1))
                }
            }
        }
        let inst = try instantiate(b)
        let fused = [fnWord(i32ShrUAnd_s), fnWord(i64ShrUAnd_s), fnWord(set_i32ShrUAnd_s), fnWord(set_i64ShrUAnd_s)]
        let inputs: [UInt64] = t == .i32 ? [0, 0xDEAD_BEEF, 0xFFFF_FFFF, 0x8000_0000] : [0, 0x0123_4567_89AB_CDEF, .max, 1 << 63]
        for f in stride(from: 0, to: b.functions.count, by: 4) {
            for v in inputs {
                let arg = t == .i32 ? Value.i32(UInt32(truncatingIfNeeded: v)) : .i64(v)
                #expect(run(inst.function("f\(f)")!, [arg]) == run(inst.function("f\(f + 2)")!, [arg]), "\(t) function \(f) on \(v)")
                #expect(run(inst.function("f\(f + 1)")!, [arg]) == run(inst.function("f\(f + 3)")!, [arg]), "\(t) function \(f + 1) on \(v)")
            }
            // The local.set form's first statement is the fused node's statement form.
            #expect(fused.contains(inst.function("f\(f + 1)")!.record.pointee.entry.pointee.a.node.pointee.fn))
            #expect(!fused.contains(inst.function("f\(f + 3)")!.record.pointee.entry.pointee.a.node.pointee.fn))
        }
    }
}

@Test func callsToSmallPureFunctionsAgreeWithTheCalls() throws {
    // A call to a function whose body is one pure expression of its parameters is translated
    // as that body (Translate/Inlining.swift). Each such callee has a twin with one unused
    // local, which keeps it a call; every caller must agree with its twin's caller, whether
    // the arguments are locals, constants or expressions, whether the body reads a parameter
    // twice or out of order. The inlined callee is never compiled; the twins are.
    let i32 = ValueType.i32, i64 = ValueType.i64, f64 = ValueType.f64
    let sub: [UInt8] = [0x6B], or: [UInt8] = [0x72], ltU: [UInt8] = [0x49]
    let callees: [(name: String, params: [ValueType], result: ValueType, body: [UInt8])] = [
        // isalnum: (x - 48 <u 10) | ((x | 32) - 97 <u 26)
        ("isalnum", [i32], i32, W.get(0) + W.i32(-48) + [0x6A] + W.i32(10) + ltU
            + W.get(0) + W.i32(32) + or + W.i32(-97) + [0x6A] + W.i32(26) + ltU + or),
        // tolower: select(x | 32, x, x - 65 <u 26)
        ("tolower", [i32], i32, W.get(0) + W.i32(32) + or + W.get(0) + W.get(0) + W.i32(-65) + [0x6A] + W.i32(26) + ltU + W.select),
        // b - a: the parameters in the other order
        ("reversedSub", [i32, i32], i32, W.get(1) + W.get(0) + sub),
        ("second", [i32, i32], i32, W.get(1)),
        ("seven", [], i32, W.i32(7)),
        // (u64(a) << 3) ^ b, and a * b + a in f64
        ("widen", [i32, i64], i64, W.get(0) + [0xAD] + W.i64(3) + [0x86] + W.get(1) + [0x85]),
        ("mulAdd", [f64, f64], f64, W.get(0) + W.get(1) + [0xA2] + W.get(0) + [0xA0]),
    ]
    var b = ModuleBuilder()
    var index: [String: UInt32] = [:]
    for f in callees {
        index[f.name] = b.function(f.name, f.params, [f.result], f.body)
        index[f.name + "Twin"] = b.function(f.name + "Twin", f.params, [f.result], locals: [i32], f.body)
    }
    // Callers: the arguments as locals, as pure expressions (evaluated into slots first), and
    // as constants; each result is added to a local so the call is an operand, not a root.
    for f in callees {
        let shapes: [[UInt8]] = [
            f.params.indices.flatMap { W.get(UInt32($0)) },
            f.params.indices.flatMap { asExpr(W.get(UInt32($0))) },
            f.params.flatMap { W.const($0, bits: 0x41) },
        ]
        for (s, args) in shapes.enumerated() {
            for twin in ["", "Twin"] {
                let keep: [UInt8] = f.result == f64 ? [] : W.get(UInt32(f.params.count)) + [f.result == i64 ? 0x85 : 0x73]
                b.function("\(f.name)\(s)\(twin)", f.params + [f.result], [f.result], args + W.call(index[f.name + twin]!) + keep)
            }
        }
    }
    let inst = try instantiate(b)
    for f in callees {
        for s in 0..<3 {
            let combos: [[UInt64]] = f.params.isEmpty ? [[]] : f.params.count == 1
                ? samples(f.params[0]).map { [$0] }
                : samples(f.params[0]).flatMap { x in samples(f.params[1]).prefix(4).map { [x, $0] } }
            for args in combos {
                let values = zip(f.params, args).map { value($0, $1) } + [value(f.result, 0x5A5A)]
                #expect(run(inst.function("\(f.name)\(s)")!, values) == run(inst.function("\(f.name)\(s)Twin")!, values),
                        "\(f.name) shape \(s) on \(args)")
            }
        }
        #expect(inst.function(f.name)!.record.pointee.entry.pointee.fn == fnWord(lazyCompileEntry), "\(f.name) was called")
        #expect(inst.function(f.name + "Twin")!.record.pointee.entry.pointee.fn != fnWord(lazyCompileEntry), "\(f.name)Twin was inlined")
    }
    // Spot checks of the values themselves.
    #expect(run(inst.function("isalnum0")!, [.i32(UInt32(UInt8(ascii: "Q"))), .i32(0)]) == .value(1))
    #expect(run(inst.function("isalnum0")!, [.i32(UInt32(UInt8(ascii: "@"))), .i32(0)]) == .value(0))
    #expect(run(inst.function("tolower0")!, [.i32(UInt32(UInt8(ascii: "Q"))), .i32(0)]) == .value(UInt64(UInt8(ascii: "q"))))
    #expect(run(inst.function("reversedSub0")!, [.i32(10), .i32(3), .i32(0)]) == .value(0xFFFF_FFF9))
}

@Test func inlinedCallsKeepTheOrderOfEffectsAndTraps() throws {
    // Arguments with effects are evaluated into slots in Wasm order before the inlined body,
    // and not ahead of pending expressions below the call that they could change. Bodies that
    // could trap or read memory stay calls, so their traps keep the callee's frame.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    let add: [UInt8] = [0x6A], sub: [UInt8] = [0x6B]
    let load = W.load(0x28, offset: 0)
    let reversedSub = b.function(nil, [.i32, .i32], [.i32], W.get(1) + W.get(0) + sub)
    // put(x) stores x at 8 and returns 1.
    let put = b.function("put", [.i32], [.i32], W.i32(8) + W.get(0) + W.store(0x36, offset: 0) + W.i32(1))
    let divide = b.function("divide", [.i32, .i32], [.i32], W.get(0) + W.get(1) + [0x6E])
    let peek = b.function("peek", [.i32], [.i32], W.get(0) + load)
    // mem[8] + reversedSub(put(a), mem[8]): the first mem[8] is read before put writes a, the
    // second after: old + (a - 1).
    b.function("pendingBelow", [.i32], [.i32],
               W.i32(8) + load + W.get(0) + W.call(put) + W.i32(8) + load + W.call(reversedSub) + add)
    // reversedSub(mem[a], put(b)): an out-of-bounds a traps before put runs.
    b.function("trapFirst", [.i32, .i32], [.i32], W.get(0) + load + W.get(1) + W.call(put) + W.call(reversedSub))
    b.function("divides", [.i32, .i32], [.i32], W.get(0) + W.get(1) + W.call(divide) + W.i32(1) + add)
    b.function("peeks", [.i32], [.i32], W.get(0) + W.call(peek) + W.i32(1) + add)
    let inst = try instantiate(b)
    let memory = inst.memories[0].state.pointee.base
    memory.storeBytes(of: UInt32(100), toByteOffset: 8, as: UInt32.self)
    #expect(run(inst.function("pendingBelow")!, [.i32(41)]) == .value(100 + 40))
    #expect(memory.load(fromByteOffset: 8, as: UInt32.self) == 41)
    #expect(run(inst.function("trapFirst")!, [.i32(65536), .i32(77)]) == .trap("out of bounds memory access"))
    #expect(memory.load(fromByteOffset: 8, as: UInt32.self) == 41)
    #expect(run(inst.function("trapFirst")!, [.i32(8), .i32(77)]) == .value(UInt64(UInt32(1) &- 41)))
    #expect(memory.load(fromByteOffset: 8, as: UInt32.self) == 77)
    // The trapping bodies are calls: the trap's backtrace starts in the callee.
    for (caller, callee, args, message) in [("divides", "divide", [Value.i32(1), .i32(0)], "integer divide by zero"),
                                            ("peeks", "peek", [.i32(65534)], "out of bounds memory access")] {
        do {
            _ = try inst.function(caller)!.call(args)
            Issue.record("\(caller) did not trap")
        } catch {
            #expect(error.message == message)
            #expect(error.backtrace.first == inst.function(callee)!.displayName, "\(caller)")
        }
    }
}

@Test func callsWhoseResultIsDiscardedAreOneStatement() throws {
    // A call with no result, or whose result is dropped, runs as its own statement
    // (`do_call_<kinds>`, `do_callNode`, `do_callIndirectNode`), not as an `evalNode` calling
    // the call node: direct calls of one to three arguments of every kind (slot, constant,
    // expression), of four, and call_indirect. The callee's effects happen, in order, and a
    // trap in the callee keeps its frame in the backtrace.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    b.blockTypes = [FuncType(params: [.i32], results: [.i32])]  // type 0, for call_indirect
    // record<k>(args...) appends (memory[0] counts) each argument at 4 + 4 * count; returns
    // the count. It traps (out of bounds) when its first argument is 0x7FFFFFFF.
    var records: [Int: UInt32] = [:]
    for k in 1...4 {
        var body: [UInt8] = W.get(0) + W.i32(0x7FFF_FFFF) + [0x46] + W.if() + W.i32(-4) + W.load(0x28) + W.drop + W.end
        for a in 0..<UInt32(k) {
            body += W.i32(0) + W.load(0x28) + W.i32(2) + [0x74] + W.get(a) + W.store(0x36, offset: 4)
            body += W.i32(0) + W.i32(0) + W.load(0x28) + W.i32(1) + [0x6A] + W.store(0x36)
        }
        records[k] = b.function("record\(k)", [ValueType](repeating: .i32, count: k), [.i32], body + W.i32(0) + W.load(0x28))
    }
    var shapes: [String] = []
    for k in 1...3 {
        let letters: [Character] = ["s", "c", "e"]
        var power = 1
        for _ in 0..<k { power *= 3 }
        for i in 0..<power {
            var kinds: [Character] = []
            var rest = i
            for _ in 0..<k {
                kinds.append(letters[rest % 3])
                rest /= 3
            }
            let name = String(kinds)
            shapes.append("\(k)\(name)")
            var args: [UInt8] = []
            for (j, kind) in kinds.enumerated() {
                switch kind {
                case "s": args += W.get(UInt32(j))
                case "c": args += W.i32(Int32(100 + j))
                default: args += W.get(UInt32(j)) + W.get(UInt32(j)) + W.i32(1) + W.select  // an expression
                }
            }
            b.function("drop\(k)\(name)", [.i32, .i32, .i32], [], args + W.call(records[k]!) + W.drop)
        }
    }
    b.table = (1, [records[1]!])
    b.function("dropIndirect", [.i32, .i32, .i32], [], W.get(0) + W.i32(0) + [0x11, 0x00, 0x00] + W.drop)
    b.function("dropFour", [.i32, .i32, .i32], [], W.get(0) + W.get(1) + W.get(2) + W.i32(103) + W.call(records[4]!) + W.drop)
    let inst = try instantiate(b)
    for (name, k, node, expected) in [("dropIndirect", 1, do_callIndirectNode as NodeFn, [UInt32(7)]),
                                      ("dropFour", 4, do_callNode, [7, 8, 9, 103])] {
        memory0(inst).storeBytes(of: UInt32(0), as: UInt32.self)
        let f = inst.function(name)!
        #expect(run(f, [.i32(7), .i32(8), .i32(9)]) == .value(0), "\(name)")
        #expect((0..<k).map { memory0(inst).load(fromByteOffset: 4 + 4 * $0, as: UInt32.self) } == expected, "\(name)")
        // After the statements that put the arguments in their slots (one copy; two merged
        // copies and a constant), before the return.
        let statements = statementFunctions(f, count: k == 1 ? 3 : 5)
        #expect(statements.contains(fnWord(node)) && !statements.contains(fnWord(evalNode)), "\(name)")
        do {
            _ = try f.call([.i32(0x7FFF_FFFF), .i32(8), .i32(9)])
            Issue.record("\(name) did not trap")
        } catch {
            #expect(error.backtrace.prefix(2) == [inst.function("record\(k)")!.displayName, f.displayName], "\(name)")
        }
    }
    let memory = inst.memories[0].state.pointee.base
    for shape in shapes {
        let k = Int(String(shape.first!))!, kinds = Array(shape.dropFirst())
        memory.storeBytes(of: UInt32(0), as: UInt32.self)
        let f = inst.function("drop\(shape)")!
        #expect(run(f, [.i32(7), .i32(8), .i32(9)]) == .value(0), "\(shape)")
        let expected = (0..<k).map { j in kinds[j] == "c" ? UInt32(100 + j) : UInt32(7 + j) }
        #expect(memory.load(as: UInt32.self) == UInt32(k), "\(shape)")
        #expect((0..<k).map { memory.load(fromByteOffset: 4 + 4 * $0, as: UInt32.self) } == expected, "\(shape)")
        let discarding = discardVariants[UInt(bitPattern: fnWord(directCallNode(arguments: String(kinds))!))]!
        #expect(statementFunctions(f, count: 1) == [fnWord(discarding)], "\(shape)")
        if kinds[0] != "c" {
            do {
                _ = try f.call([.i32(0x7FFF_FFFF), .i32(8), .i32(9)])
                Issue.record("\(shape) did not trap")
            } catch {
                #expect(error.message == "out of bounds memory access")
                #expect(error.backtrace.prefix(2) == [inst.function("record\(k)")!.displayName, f.displayName], "\(shape)")
            }
        }
    }
}

private func memory0(_ inst: Instance) -> UnsafeMutableRawPointer { inst.memories[0].state.pointee.base }

@Test func accessesTrapExactlyPastTheEndOfMemoryAsItGrows() throws {
    // A 32-bit memory's access compares address + offset with an end kept per access size
    // (`MemoryState.end(forSize:)`), updated when the memory grows. For every size, address
    // kind (a slot, a slot plus a constant) and static offset, an access ending at the last
    // byte works and one byte further traps, with 0, 1 and 2 pages.
    var b = ModuleBuilder()
    b.memoryPages = (0, 3)
    b.function("grow", [], [.i32], W.i32(1) + [0x40, 0x00])
    // (load op, store op, type, size); v128 via load + store of the same bytes.
    let accesses: [(load: [UInt8], store: [UInt8], size: UInt64)] = [
        ([0x2D], [0x3A], 1), ([0x2F], [0x3B], 2), ([0x28], [0x36], 4), ([0x29], [0x37], 8),
        (W.simd(0x00), W.simd(0x0B), 16),
    ]
    for (i, a) in accesses.enumerated() {
        for offset in [UInt32(0), 5] {
            for plus in [false, true] {
                let address = W.get(0) + (plus ? W.i32(3) + [0x6A] : [])
                let memarg = W.u(0) + W.u(UInt64(offset))
                // Loads the value and stores it back one access lower, so both trap or neither.
                let value = address + a.load + memarg
                let lower = W.get(0) + W.i32(Int32(a.size)) + [0x6B] + (plus ? W.i32(3) + [0x6A] : [])
                let body: [UInt8] = i == 4
                    ? lower + value + a.store + memarg + W.i32(1)
                    : value + [0x1A] + W.i32(1)
                b.function("access\(i)_\(offset)_\(plus)", [.i32], [.i32], body)
            }
        }
    }
    let inst = try instantiate(b)
    for pages in 0...2 {
        if pages > 0 { #expect(run(inst.function("grow")!, []) == .value(UInt64(pages - 1))) }
        let bytes = UInt64(pages) * 65536
        for (i, a) in accesses.enumerated() {
            for offset in [UInt64(0), 5] {
                for plus in [false, true] {
                    for ea in [bytes &- a.size, bytes &- a.size &+ 1, bytes, 0, 0xFFFF_FFFF] {
                        let address = ea &- offset &- (plus ? 3 : 0)
                        guard address < 1 << 32, ea >= offset + (plus ? 3 : 0) else { continue }
                        let fits = ea + a.size <= bytes && (i != 4 || ea >= a.size)
                        let expected: Outcome = fits ? .value(1) : .trap("out of bounds memory access")
                        #expect(run(inst.function("access\(i)_\(offset)_\(plus)")!, [.i32(UInt32(address))]) == expected,
                                "size \(a.size) offset \(offset) plus \(plus) at \(ea) in \(pages) pages")
                    }
                }
            }
        }
    }
}

@Test func globalSetOfEveryOperandShapeStoresTheValueOnce() throws {
    // global.set takes a slot or a constant in its own node, and an operation with a statement
    // form in its slot first; anything else stays a child. Each function sets the global and
    // returns it; one whose value traps leaves the global as it was.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    b.globals = [(.i32, true, W.i32(5)), (.i64, true, W.i64(0))]
    let set = W.globalSet(0), get = W.globalGet(0)
    let values: [(String, [UInt8], UInt32)] = [
        ("slot", W.get(0), 41),
        ("const", W.i32(-3), 0xFFFF_FFFD),
        ("sum", W.get(0) + W.i32(32) + [0x6A], 73),
        ("difference", get + W.i32(16) + [0x6B], 0),  // computed from the global itself
        ("select", W.get(0) + W.i32(9) + W.get(0) + W.select, 41),
        ("load", W.get(0) + W.load(0x28, offset: 0), 0),
    ]
    for (name, value, _) in values {
        b.function(name, [.i32], [.i32], value + set + get)
    }
    b.function("peek", [], [.i32], get)
    // A wide global: i64 of a sum.
    b.function("wide", [.i64], [.i64], W.get(0) + W.i64(1) + [0x7C] + W.globalSet(1) + W.globalGet(1))
    let inst = try instantiate(b)
    for (name, _, expected) in values {
        let before = run(inst.function("slot")!, [.i32(21)])  // reset the global to 21
        #expect(before == .value(21))
        let want: UInt64 = name == "difference" ? 5 : UInt64(expected)
        #expect(run(inst.function(name)!, [.i32(41)]) == .value(want), "\(name)")
    }
    _ = run(inst.function("slot")!, [.i32(21)])
    #expect(run(inst.function("load")!, [.i32(65534)]) == .trap("out of bounds memory access"))
    #expect(run(inst.function("peek")!, []) == .value(21))
    #expect(run(inst.function("select")!, [.i32(0)]) == .value(9))
    #expect(run(inst.function("wide")!, [.i64(0xFFFF_FFFF)]) == .value(0x1_0000_0000))
}

@Test func fusedFloatPairsRoundLikeTwoOperations() throws {
    // `(x op1 y) op2 z` and `z op2 (x op1 y)` of three locals, op1 and op2 each an f32/f64
    // add, sub or mul, are one node (`chainNodes`). Each must give the bits the two operations
    // give unfused (the inner one behind a select, which nothing fuses), NaNs, infinities,
    // signed zeros and rounding included, as an expression and as a local.set.
    let ops: [(String, UInt8, UInt8)] = [("add", 0x92, 0xA0), ("sub", 0x93, 0xA1), ("mul", 0x94, 0xA2)]
    for t in [ValueType.f32, .f64] {
        var b = ModuleBuilder()
        var cases: [String] = []
        for (innerName, i32op, i64op) in ops {
            let inner = t == .f32 ? i32op : i64op
            for (outerName, o32, o64) in ops {
                let outer = t == .f32 ? o32 : o64
                let pair = W.get(0) + W.get(1) + [inner]
                for left in [true, false] {
                    let name = "\(innerName)\(outerName)\(left ? "L" : "R")"
                    cases.append(name)
                    func body(_ p: [UInt8]) -> [UInt8] { left ? p + W.get(2) + [outer] : W.get(2) + p + [outer] }
                    b.function(name, [t, t, t], [t], body(pair))
                    b.function(name + "Set", [t, t, t], [t], locals: [t], body(pair) + W.set(3) + W.get(3))
                    b.function(name + "Plain", [t, t, t], [t], body(asExpr(pair)))
                }
            }
        }
        let inst = try instantiate(b)
        let fused: [UnsafeRawPointer] = chainNodeList.flatMap { [fnWord($0.left), fnWord($0.right)] }
            .compactMap { setVariants[UInt(bitPattern: $0)].map { fnWord($0.fn) } }
        let xs = samples(t)
        for name in cases {
            for x in xs {
                for y in xs.prefix(6) {
                    for z in [xs[2], xs[5], xs[xs.count - 1]] {
                        let args = [value(t, x), value(t, y), value(t, z)]
                        let plain = run(inst.function(name + "Plain")!, args)
                        #expect(run(inst.function(name)!, args) == plain, "\(t) \(name) \(x) \(y) \(z)")
                        #expect(run(inst.function(name + "Set")!, args) == plain, "\(t) \(name)Set \(x) \(y) \(z)")
                    }
                }
            }
            #expect(fused.contains(inst.function(name + "Set")!.record.pointee.entry.pointee.a.node.pointee.fn), "\(t) \(name)")
            #expect(!fused.contains(inst.function(name + "Plain")!.record.pointee.entry.pointee.a.node.pointee.fn), "\(t) \(name)")
        }
    }
}

@Test func fusedIntegerPairsComputeLikeTwoOperations() throws {
    // `(x op1 y) op2 z` and `z op2 (x op1 y)` with op1 an integer operation of two locals or of
    // a local and a constant, and op2 add, sub, and, or or xor, are one node (`chainNodes`),
    // also when z is a pending expression that is evaluated into its slot first. Each must
    // give what the two operations give unfused (the inner one behind a select, which nothing
    // fuses): wrapping, shift and rotate counts modulo the width, signed shifts, as an
    // expression and as a local.set. An i32 sum that is an indexed address (`z + (x << k)`,
    // `z + (x + y)`) stays one for the loads and stores that take it.
    let outers: [(String, UInt8, UInt8)] = [("add", 0x6A, 0x7C), ("sub", 0x6B, 0x7D), ("and", 0x71, 0x83),
                                           ("or", 0x72, 0x84), ("xor", 0x73, 0x85)]
    let inners: [(String, UInt8, UInt8)] = [
        ("add", 0x6A, 0x7C), ("sub", 0x6B, 0x7D), ("mul", 0x6C, 0x7E), ("and", 0x71, 0x83), ("or", 0x72, 0x84),
        ("xor", 0x73, 0x85), ("shl", 0x74, 0x86), ("shrS", 0x75, 0x87), ("shrU", 0x76, 0x88), ("rotl", 0x77, 0x89),
        ("rotr", 0x78, 0x8A)]
    let slotInners: Set = ["add", "sub", "mul", "and", "or", "xor"]
    let constantInners: Set = ["add", "mul", "and", "or", "xor", "shl", "shrS", "shrU", "rotl", "rotr"]
    let constants: [Int64] = [1, 33, 64, -1, 0x1234_5678]
    for t in [ValueType.i32, .i64] {
        var b = ModuleBuilder()
        var cases: [(name: String, fuses: Bool)] = []
        for (innerName, i32op, i64op) in inners {
            let inner = t == .i32 ? i32op : i64op
            for (outerName, o32, o64) in outers {
                let outer = t == .i32 ? o32 : o64
                // The inner operation of two locals, then of a local and each constant; z a
                // local, or for two of them an expression of its own that can trap (`z / y`),
                // evaluated first.
                var shapes: [(name: String, pair: [UInt8], z: [UInt8], fuses: Bool)] = []
                let indexed = t == .i32 && outerName == "add" && (innerName == "add" || innerName == "shl")
                let zExpr = W.get(2) + W.get(1) + [t == .i32 ? 0x6E : 0x80]
                let ss = W.get(0) + W.get(1) + [inner]
                shapes.append(("ss", ss, W.get(2), slotInners.contains(innerName) && !indexed))
                shapes.append(("ssE", ss, zExpr, slotInners.contains(innerName) && !indexed))
                for (i, k) in constants.enumerated() {
                    let sc = W.get(0) + (t == .i32 ? W.i32(Int32(truncatingIfNeeded: k)) : W.i64(k)) + [inner]
                    shapes.append(("c\(i)", sc, W.get(2), constantInners.contains(innerName) && !indexed))
                    if i == constants.count - 1 { shapes.append(("c\(i)E", sc, zExpr, constantInners.contains(innerName) && !indexed)) }
                }
                for shape in shapes {
                    for left in [true, false] {
                        let name = "\(innerName)\(outerName)\(shape.name)\(left ? "L" : "R")"
                        cases.append((name, shape.fuses))
                        func body(_ p: [UInt8]) -> [UInt8] { left ? p + shape.z + [outer] : shape.z + p + [outer] }
                        b.function(name, [t, t, t], [t], body(shape.pair))
                        b.function(name + "Set", [t, t, t], [t], locals: [t], body(shape.pair) + W.set(3) + W.get(3))
                        b.function(name + "Plain", [t, t, t], [t], body(asExpr(shape.pair)))
                    }
                }
            }
        }
        let inst = try instantiate(b)
        let fused: Set<UInt> = Set(chainNodeList.flatMap { [fnWord($0.left), fnWord($0.right)] }
            .compactMap { setVariants[UInt(bitPattern: $0)].map { UInt(bitPattern: fnWord($0.fn)) } })
        // Whether one of the function's first two statements is a fused pair.
        func hasFusedPair(_ f: Function) -> Bool {
            statementFunctions(f).contains { fused.contains(UInt(bitPattern: $0)) }
        }
        let xs = samples(t)
        for (name, fuses) in cases {
            for x in xs {
                for y in [xs[0], xs[3], xs[6]] {
                    for z in [xs[2], xs[7]] {
                        let args = [value(t, x), value(t, y), value(t, z)]
                        let plain = run(inst.function(name + "Plain")!, args)
                        #expect(run(inst.function(name)!, args) == plain, "\(t) \(name) \(x) \(y) \(z)")
                        #expect(run(inst.function(name + "Set")!, args) == plain, "\(t) \(name)Set \(x) \(y) \(z)")
                    }
                }
            }
            #expect(hasFusedPair(inst.function(name + "Set")!) == fuses, "\(t) \(name)")
            #expect(!hasFusedPair(inst.function(name + "Plain")!), "\(t) \(name)")
        }
    }
}

@Test func slotPlusConstantAddressesWrapAt32BitsBeforeTheOffset() throws {
    // Address kind p, `local + constant`, keeps the constant in the wide word and adds it with
    // 32-bit wrapping before the whole offset is added (`i32.add` then the memarg offset). Each
    // load, store and read-modify-write in kind p must do what the same access does with its
    // address hidden behind a select (kind e): the same value, the same bytes written, the
    // same trap, for sums that wrap to a low address, sums past the end, and large offsets.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    let constants: [Int32] = [3, -16, 65536, Int32.min]
    let offsets: [UInt64] = [0, 5, 0xFFFF_0000]
    // (load, store, size): i32.load8_u / i32.store8, i32.load / i32.store, i64.load / i64.store.
    let accesses: [(load: UInt8, store: UInt8, t: ValueType)] = [(0x2D, 0x3A, .i32), (0x28, 0x36, .i32), (0x29, 0x37, .i64)]
    var names: [String] = []
    for (ai, a) in accesses.enumerated() {
        let add: UInt8 = a.t == .i32 ? 0x6A : 0x7C
        let value = a.t == .i32 ? W.i32(0x5A5A_5A5A) : W.i64(0x1234_5678_9ABC_DEF0)
        let extend: [UInt8] = a.t == .i32 ? [0xAD] : []  // i64.extend_i32_u
        for (ki, k) in constants.enumerated() {
            for (oi, offset) in offsets.enumerated() {
                let memarg = W.u(0) + W.u(offset)
                for hidden in [false, true] {
                    let p = W.get(0) + W.i32(k) + [0x6A]
                    let address = hidden ? asExpr(p) : p
                    let tag = "\(ai)_\(ki)_\(oi)_\(hidden ? "e" : "p")"
                    b.function("load" + tag, [.i32], [.i64], address + [a.load] + memarg + extend)
                    b.function("store" + tag, [.i32], [], address + value + [a.store] + memarg)
                    b.function("rmw" + tag, [.i32], [], address + address + [a.load] + memarg + value + [add] + [a.store] + memarg)
                    if !hidden { names.append(tag) }
                }
            }
        }
    }
    b.function("sum", [], [.i64], {
        // The sum of the memory's words, to compare what the stores wrote.
        var code = W.i64(0)
        for i in stride(from: 0, to: 65536, by: 8) { code += W.i32(Int32(i)) + [0x29] + W.u(3) + W.u(0) + [0x7C] }
        return code
    }())
    let inst = try instantiate(b)
    let pInst = try instantiate(b)
    let xs: [UInt32] = [0, 1, 8, 0xFFFF_FFFD, 0xFFFF_FFFE, 0xFFFF_FFF0, 65_530, 65_528, 0x7FFF_FFFF, 0x8000_0008, 0xFFFF_0000, 0x0001_0010]
    for tag in names {
        let plainTag = String(tag.dropLast()) + "e"
        for x in xs {
            for op in ["load", "store", "rmw"] {
                let got = run(pInst.function(op + tag)!, [.i32(x)])
                let want = run(inst.function(op + plainTag)!, [.i32(x)])
                #expect(got == want, "\(op)\(tag) at \(x)")
            }
            #expect(run(pInst.function("sum")!, []) == run(inst.function("sum")!, []), "\(tag) at \(x)")
        }
    }
}

@Test func readModifyWriteTakesAnOperatorValueFromItsSlot() throws {
    // `mem[a] = mem[a] op v` with v an operator or a load is evaluated as a statement into a
    // slot first and the node reads the slot (value kind s, or r for a float with the load on
    // the right), where that cannot be seen: v only computes or reads memory, or the load is
    // on the right, where v comes first anyway. A v that may trap otherwise (an integer division) stays
    // a child of a left load, so an out-of-bounds address still traps before v's division by
    // zero. Each form must leave memory and return what the unfused access does.
    let i32Add: UInt8 = 0x6A
    // (type, store, load, ops (name, opcode, commutative), v forms (name, code, moves, float)).
    let kinds: [(ValueType, UInt8, UInt8, [(String, UInt8, Bool)])] = [
        (.i32, 0x36, 0x28, [("Add", 0x6A, true), ("Sub", 0x6B, false), ("Xor", 0x73, true)]),
        (.f64, 0x39, 0x2B, [("F64Add", 0xA0, true), ("F64Sub", 0xA1, false), ("F64Mul", 0xA2, true)]),
    ]
    for (t, storeOp, loadOp, ops) in kinds {
        var b = ModuleBuilder()
        b.memoryPages = (1, 1)
        let mul: UInt8 = t == .i32 ? 0x6C : 0xA2, div: UInt8 = t == .i32 ? 0x6D : 0xA3
        // v: a product of two locals, a load from address 512 + y, a division by the third local.
        let values: [(String, [UInt8], Bool)] = [
            ("mul", W.get(2) + W.get(2) + [mul], true),
            ("load", W.get(1) + W.i32(512) + [i32Add] + W.load(loadOp), true),
            // An f64 division cannot trap: it moves like the product.
            ("div", W.const(t, bits: t == .i32 ? 1000 : Double(1000).bitPattern) + W.get(2) + [div], t == .f64),
        ]
        var cases: [(name: String, fusedFirst: Bool)] = []
        for (opName, op, commutative) in ops {
            for (vName, v, moves) in values {
                let a = W.get(0)
                let back = a + W.load(loadOp, offset: 4)
                for right in commutative ? [false, true] : [false] {
                    let load = a + W.load(loadOp, offset: 4)
                    func body(_ l: [UInt8]) -> [UInt8] {
                        a + (right ? v + l : l + v) + [op] + W.store(storeOp, offset: 4) + back
                    }
                    let name = "\(opName)\(vName)\(right ? "R" : "L")"
                    b.function(name, [.i32, .i32, t], [t], body(load))
                    b.function(name + "Unfused", [.i32, .i32, t], [t], body(asExpr(load)))
                    // With the value in a slot first, the node is the second statement.
                    cases.append((name, moves || right))
                }
            }
        }
        let inst = try instantiate(b)
        let memory = inst.memories[0].state.pointee.base
        let pattern = (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 5) }
        func runFresh(_ name: String, _ args: [Value]) -> (Outcome, [UInt8]) {
            memory.copyMemory(from: pattern, byteCount: pattern.count)
            let r = run(inst.function(name)!, args)
            return (r, Array(UnsafeRawBufferPointer(start: memory, count: pattern.count)))
        }
        let slotForms: Set<UInt> = Set(ops.flatMap { op in ["ss", "sr"].compactMap { rmwNode(size: t == .i32 ? 4 : 8, op: op.0, kinds: $0) } }
            .map { UInt(bitPattern: fnWord($0)) })
        let vs: [UInt64] = t == .i32 ? [0, 3, 0xFFFF_FFFF] : [Double(0).bitPattern, Double(-1.5).bitPattern, Double.infinity.bitPattern]
        var traps: Set<String> = []
        for (name, slotFirst) in cases {
            for x: UInt32 in [16, 1000, 65_533, 0xFFFF_FFF0] {
                for y: UInt32 in [0, 8, 70_000] {
                    for v in vs {
                        let args = [Value.i32(x), .i32(y), value(t, v)]
                        let (got, gotMemory) = runFresh(name, args)
                        let (want, wantMemory) = runFresh(name + "Unfused", args)
                        #expect(got == want && gotMemory == wantMemory, "\(t) \(name) at (\(x), \(y)), v \(v): \(got) vs \(want)")
                        if case .trap(let m) = want { traps.insert(m) }
                    }
                }
            }
            let statements = statementFunctions(inst.function(name)!)
            if t == .f64, name.hasPrefix("F64Add") || name.hasPrefix("F64Sub"), name.contains("mul") {
                // A float product of slots: the node multiplies (floatReadModifyWriteOfAProduct...).
                #expect(statements[0] == fnWord(rmwProductNode(size: 8, op: String(name.prefix(6)), factors: 2, loadLeft: name.hasSuffix("L"), kind: "s")!),
                        "\(t) \(name)")
                continue
            }
            #expect(slotForms.contains(UInt(bitPattern: statements[1])) == slotFirst, "\(t) \(name)")
        }
        #expect(traps.contains("out of bounds memory access"))
        if t == .i32 { #expect(traps.contains("integer divide by zero")) }
    }
}

@Test func countDownLoopsAgreeWithTheUnfusedPath() throws {
    // `x += step; br_if loop (x)` with the counter's tee as the condition (clang's
    // `while (--n)`) is one counter node on the updated slot, or a self-looping one when the
    // counter is the whole loop. Every step kind must leave x where the unfused loop (its
    // condition an expression) does, and endless loops must run out of fuel in every form.
    var b = ModuleBuilder()
    // Parameters: x, stride; local 2 is a second counter.
    let steps: [[UInt8]] = [W.i32(1), W.i32(-1), W.i32(3), W.get(1)]
    let other = W.get(2) + W.i32(1) + [0x6A] + W.set(2)
    for step in steps {
        let fused = W.get(0) + step + [0x6A] + W.tee(0) + W.brIf(0)
        let unfused = W.get(0) + step + [0x6A] + W.set(0) + asExpr(W.get(0)) + W.brIf(0)
        for body in [fused, other + fused, unfused] {
            b.function("f\(b.functions.count)", [.i32, .i32], [.i32], locals: [.i32], W.loop() + body + W.end + W.get(0))
        }
    }
    var config = StoreConfig()
    config.consumeFuel = true
    let store = keptStore(config)
    let inst = try instantiate(b, store: store)
    let counters: [NodeFn] = [incSelfLoop_nonzero_s, addSelfLoop_nonzero_s, incBrIfLoop_nonzero_s, addBrIfLoop_nonzero_s,
                              addSlotBrIfLoop_nonzero_s]
    func usesCounter(_ f: Function) -> Bool {
        statementFunctions(f).contains { fn in counters.contains { fnWord($0) == fn } }
    }
    for x: UInt32 in [0, 1, 7, 1000, 0xFFFF_FFF9, 0x8000_0005] {
        for strideValue: UInt32 in [1, 0xFFFF_FFFF, 2] {
            for f in stride(from: 0, to: b.functions.count, by: 3) {
                var got: [Outcome] = []
                for k in 0..<3 {
                    try store.setFuel(20_000)
                    got.append(run(inst.function("f\(f + k)")!, [.i32(x), .i32(strideValue)]))
                }
                #expect(got[0] == got[2] && got[1] == got[2], "form \(f) on (\(x), \(strideValue)): \(got)")
            }
        }
    }
    for f in stride(from: 0, to: b.functions.count, by: 3) {
        #expect(usesCounter(inst.function("f\(f)")!) && usesCounter(inst.function("f\(f + 1)")!), "form \(f)")
        #expect(!usesCounter(inst.function("f\(f + 2)")!), "form \(f)")
    }
}

@Test func branchesOnALoadedValueAgreeWithTheLoadInASlot() throws {
    // `br_if` and `if` on a load, or on i32.eqz / i64.eqz of one, at an address of kind s, p, x,
    // y or k are one node that loads and branches (`brIfLoad8_p`, ...). Each load width and
    // extension, each polarity and each address kind must branch, or trap, as the same code
    // with its address hidden behind a select (kind e: the load goes into a slot and a second
    // node tests it), over memory with zero and nonzero bytes and addresses in and out of bounds.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    var bytes = [UInt8](repeating: 0, count: 65536)
    for i in 0..<65536 where (i / 16) % 3 != 0 && i % 4 != 1 { bytes[i] = UInt8(0x80 | (i & 0x7F)) }
    b.data = [(0, bytes)]
    let addresses = addressForms(plus: 5, shift: 2, indexPlus: 7, constant: 1000).map { $0.1 }
    // (load opcode, the condition's tail after the load): i32 loads as they are and under
    // i32.eqz, i64 loads under i64.eqz.
    var conditions: [(UInt8, [UInt8])] = []
    for op: UInt8 in [0x28, 0x2C, 0x2D, 0x2E, 0x2F] { conditions += [(op, []), (op, [0x45])] }
    for op: UInt8 in [0x29, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35] { conditions.append((op, [0x50])) }
    var fusedNames: [String] = []
    for (ai, address) in addresses.enumerated() {
        for (ci, (op, tail)) in conditions.enumerated() {
            for offset: UInt32 in [0, 3, 65533] {
                for hidden in [false, true] {
                    let cond = (hidden ? asExpr(address) : address) + W.load(op, offset: offset) + tail
                    let tag = "\(ai)_\(ci)_\(offset)_\(hidden ? "e" : "f")"
                    b.function("brIf" + tag, [.i32, .i32], [.i32],
                               W.block() + cond + W.brIf(0) + W.i32(1) + [0x0F] + W.end + W.i32(2))
                    b.function("if" + tag, [.i32, .i32], [.i32],
                               cond + W.if(.i32) + W.i32(1) + [0x05] + W.i32(2) + W.end)
                    if !hidden { fusedNames += ["brIf" + tag, "if" + tag] }
                }
            }
        }
    }
    let inst = try instantiate(b)
    let xs: [UInt32] = [0, 1, 5, 4093, 65528, 65531, 65535, 65536, 0xFFFF_FFFF, 0x8000_0000]
    let ys: [UInt32] = [0, 3, 16383, 0x4000_0000, 0xFFFF_FFFF]
    var outcomes = Set<Outcome>()
    for name in fusedNames {
        let plain = String(name.dropLast()) + "e"
        for x in xs {
            for y in ys {
                let got = run(inst.function(name)!, [.i32(x), .i32(y)])
                #expect(got == run(inst.function(plain)!, [.i32(x), .i32(y)]), "\(name) at (\(x), \(y))")
                outcomes.insert(got)
            }
        }
    }
    // Both ways and the trap were exercised.
    #expect(outcomes == [.value(1), .value(2), .trap("out of bounds memory access")], "\(outcomes)")
    var loadBranches: Set<UnsafeRawPointer> = []
    for size in [1, 2, 4, 8] {
        for kind: Character in ["s", "p", "x", "y", "k"] {
            let nodes = loadBranchNodes(size: size, kind: kind)!
            loadBranches.formUnion([fnWord(nodes.brIf), fnWord(nodes.brUnless)])
        }
    }
    for name in fusedNames {
        #expect(loadBranches.contains(statementFunctions(inst.function(name)!, count: 1)[0]), "\(name)")
        let plain = String(name.dropLast()) + "e"
        #expect(!loadBranches.contains(statementFunctions(inst.function(plain)!, count: 1)[0]), "\(plain)")
    }
}

@Test func anOperationsExpressionOperandGoesIntoItsTargetFirst() throws {
    // An operation evaluated into a slot (a local.set, a spill) whose one expression operand
    // stayed a child (a load kept for a read-modify-write that did not come; the operand of a
    // unary operation) evaluates that operand into the same slot first, as a statement, and
    // reads it there: unless the operation's other operand is that slot. Every shape must give
    // what the same code gives with the operand hidden behind a select (no statement form, so
    // it stays a child), traps included, and the shapes that may move must move.
    let f64Load: [UInt8] = W.load(0x2B), i32Load: [UInt8] = W.load(0x28)
    let mul: UInt8 = 0xA2, add: UInt8 = 0xA0, i32Add: UInt8 = 0x6A
    // (name, parameter and local types, the load (hidden or not) -> body, the statement the
    // operation becomes: its slot form when its operand moves, else its own set_ form).
    typealias Shape = (String, [ValueType], [ValueType], ([UInt8]) -> [UInt8], NodeFn)
    let shapes: [Shape] = [
        // Below the operation, the address a store of its result would take: its load stays whole.
        ("mulConst", [.i32, .f64], [.f64], { W.get(0) + $0 + W.f64(2.5) + [mul] + W.set(2) + W.drop + W.get(2) }, set_f64Mul_sc),
        ("mulSlotOther", [.i32, .f64], [.f64], { W.get(0) + $0 + W.get(1) + [mul] + W.set(2) + W.drop + W.get(2) }, set_f64Mul_ss),
        ("mulSlotSame", [.i32, .f64], [], { W.get(0) + $0 + W.get(1) + [mul] + W.set(1) + W.drop + W.get(1) }, set_f64Mul_es),
        ("addRightOther", [.i32, .f64], [.f64], { W.get(0) + W.get(1) + $0 + [add] + W.set(2) + W.drop + W.get(2) }, set_f64Add_ss),
        ("addRightSame", [.i32, .f64], [], { W.get(0) + W.get(1) + $0 + [add] + W.set(1) + W.drop + W.get(1) }, set_f64Add_se),
        // Spilled when local 0, which its load reads, is overwritten.
        ("i32AddSpill", [.i32, .i32], [], { W.get(0) + $0 + W.get(1) + [i32Add] + W.get(1) + W.set(0) + W.set(1) + W.drop + W.get(1) }, set_i32Add_ss),
        // A unary operation keeps any operand as a child when it is made.
        ("sqrt", [.i32, .f64], [.f64], { $0 + [0x9F] + W.set(2) + W.get(2) }, set_f64Sqrt_s),
        ("extend", [.i32, .f64], [.i64], { $0 + [0xAC] + W.set(2) + W.get(2) }, set_i64ExtendI32S_s),
    ]
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    b.data = [(0, (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }), (65528, [1, 2, 3, 4, 5, 6, 7, 0xC0])]
    for (name, params, locals, body, _) in shapes {
        let load = name.hasPrefix("i32") || name == "extend" ? i32Load : f64Load
        let results: [ValueType] = [locals.last ?? params[1]]
        b.function(name, params, results, locals: locals, body(W.get(0) + load))
        b.function(name + "Hidden", params, results, locals: locals, body(asExpr(W.get(0) + load)))
    }
    let inst = try instantiate(b)
    for (name, params, _, _, statement) in shapes {
        for x: UInt32 in [0, 8, 13, 65524, 65528, 65529, 65536, 0xFFFF_FFFF] {
            for y: UInt64 in params[1] == .f64 ? [Double(1.5).bitPattern, (-0.0).bitPattern, 0x7FF8_0000_0000_0001] : [0, 5, 0xFFFF_FFFF] {
                let args = [Value.i32(x), value(params[1], y)]
                let got = run(inst.function(name)!, args)
                #expect(got == run(inst.function(name + "Hidden")!, args), "\(name) at (\(x), \(y))")
            }
        }
        // The operation is the first or second statement; three for the spill (a copy of local 0 first).
        let count = name == "i32AddSpill" ? 3 : 2
        #expect(statementFunctions(inst.function(name)!, count: count).contains(fnWord(statement)), "\(name)")
    }
}

@Test func aLocalSetLeavesThePendingExpressionsItCannotReachPending() throws {
    // A local.set or local.tee evaluates its value into the local ahead of the pending
    // expressions below it when none of them reads that local and the order cannot be seen
    // (`setKeepsPending`); they stay pending. Every pair of a pending operand and a set value,
    // into a local the operand reads or not and with a read of that local pending between
    // them, must give what the same code gives with the
    // operand forced into its slot before the value (a global.set between them flushes it):
    // the result or trap, and the memory and global a call in the value writes.
    let i32Load: [UInt8] = W.load(0x28)
    var base = ModuleBuilder()
    base.memoryPages = (1, 1)
    base.data = [(0, (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })]
    base.globals = [(.i32, true, W.i32(100)), (.i32, true, W.i32(0))]
    // Writes 77 at its argument, bumps global 0 and returns 5.
    let writer = base.function(nil, [.i32], [.i32], W.get(0) + W.i32(77) + W.store(0x36) + W.globalGet(0) + W.i32(1) + [0x6A]
                               + W.globalSet(0) + W.i32(5))
    base.function("state", [], [.i32], W.i32(8) + i32Load + W.globalGet(0) + [0x73])
    // Parameters 0 and 1 are numbers, 2 an address in bounds, 3 one out of bounds; local 4 is
    // one no operand reads.
    let pending: [(String, [UInt8])] = [
        ("pure", W.get(0) + W.get(1) + [0x6C]),
        ("readsL0", W.get(0) + W.i32(1) + [0x6A]),
        ("load", W.get(2) + i32Load),
        ("loadOut", W.get(3) + i32Load),
        ("div", W.get(0) + W.get(1) + [0x6D]),
        ("global", W.globalGet(0) + W.get(1) + [0x6A]),
        ("loadOfL0", W.get(0) + W.i32(8) + [0x71] + i32Load),
        // rotl(l1, l2 - l0): the subtraction goes into the spill slot above, where the read of
        // the target local (pending above it) must not be copied before it is used.
        ("spillAbove", W.get(1) + W.get(2) + W.get(0) + [0x6B] + [0x77]),
    ]
    let values: [(String, [UInt8])] = [
        ("const", W.i32(11)),
        ("pure", W.get(1) + W.i32(3) + [0x6B]),
        ("load", W.get(2) + W.load(0x28, offset: 4)),
        ("loadOut", W.get(3) + i32Load),
        ("div", W.get(1) + W.get(0) + [0x6D]),
        ("call", W.get(2) + W.call(writer)),
        ("eqzLoad", W.get(2) + i32Load + [0x45]),
    ]
    for (pn, p) in pending {
        var b = base
        for (vn, v) in values {
            for target: UInt32 in [0, 1, 4] {
                for tee in [false, true] {
                    for flushed in [false, true] {
                        let set = tee ? W.tee(target) : W.set(target) + W.get(target)
                        let body = p + W.get(target) + (flushed ? W.i32(0) + W.globalSet(1) : []) + v + set
                            + [0x6A, 0x6A] + W.get(target) + [0x73] + W.get(0) + [0x6A]
                        b.function("\(vn)_\(target)_\(tee)_\(flushed)", [.i32, .i32, .i32, .i32], [.i32], locals: [.i32], body)
                    }
                }
            }
        }
        let module = try Module.load(b.build())
        for (vn, _) in values {
            for target: UInt32 in [0, 1, 4] {
                for tee in [false, true] {
                    for (x, y): (Int32, Int32) in [(5, 3), (0, 3), (5, 0), (-7, 2), (8, 1)] {
                        let args: [Value] = [.i32(UInt32(bitPattern: x)), .i32(UInt32(bitPattern: y)), .i32(8), .i32(70000)]
                        var outcomes: [[Outcome]] = []
                        for flushed in [false, true] {
                            // A fresh instance each (the call writes memory and a global);
                            // its store lives for these two calls.
                            let store = Store()
                            let inst = try Linker(store: store).instantiate(module)
                            let got = run(inst.function("\(vn)_\(target)_\(tee)_\(flushed)")!, args)
                            outcomes.append([got, run(inst.function("state")!, [])])
                            withExtendedLifetime(store) {}
                        }
                        #expect(outcomes[0] == outcomes[1], "\(pn) under \(vn) into \(target) (tee \(tee)) at (\(x), \(y))")
                    }
                }
            }
        }
    }
    // The shape that needs it (nbody's `a->vx -= dx * b->mass * mag` with `dx` a tee inside
    // the value): the load below the tee stays whole, so the store becomes a read-modify-write,
    // of the product `b->mass * dx` here.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    b.function("rmw", [.i32, .f64, .f64, .i32], [.f64], locals: [.f64],
               W.get(0) + W.get(0) + W.load(0x2B) + W.get(1) + W.get(2) + W.get(3) + W.load(0x2B, offset: 8) + [0xA1]
               + W.tee(4) + [0xA2] + [0xA1] + W.store(0x39) + W.get(4))
    let inst = try instantiate(b)
    #expect(run(inst.function("rmw")!, [.i32(16), value(.f64, Double(2).bitPattern), value(.f64, Double(3).bitPattern), .i32(0)])
            == .value(Double(3).bitPattern))
    #expect(statementFunctions(inst.function("rmw")!, count: 3).contains(fnWord(i64StoreF64SubProd2L_s)))
}

@Test func floatOperationsOfASlotAndALoadAgreeWithTheUnfusedPath() throws {
    // A float add, sub or mul of a slot and a load at an address of kind s, p, x, y or k is one
    // node that loads and computes (`f64SubLoadR_p`, ...), as an expression and as a
    // local.set. Each must give the bits (NaN payloads in operand order included) and traps of
    // the same code with the load hidden behind a select, and a reinterpreted narrower load must
    // not be taken for a float load.
    var b = ModuleBuilder()
    b.memoryPages = (1, 1)
    var bytes = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    bytes.replaceSubrange(16..<24, with: withUnsafeBytes(of: UInt64(0x7FF8_0000_0000_0BAD).littleEndian, Array.init))
    bytes.replaceSubrange(24..<28, with: withUnsafeBytes(of: UInt32(0x7FC0_0BAD).littleEndian, Array.init))
    b.data = [(0, bytes), (65528, [1, 2, 3, 4, 5, 6, 7, 0x40])]
    let addresses = addressForms(plus: 5, shift: 2, indexPlus: 7, constant: 1000).map { $0.1 }
    // (type, load, reinterpreted narrower load, ops)
    let types: [(ValueType, UInt8, [UInt8], [UInt8])] = [
        (.f32, 0x2A, [0x2F, 0x01, 0x00, 0xBE], [0x92, 0x93, 0x94]),   // i32.load16_u, f32.reinterpret_i32
        (.f64, 0x2B, [0x35, 0x02, 0x00, 0xBF], [0xA0, 0xA1, 0xA2]),   // i64.load32_u, f64.reinterpret_i64
    ]
    var fused: [(tag: String, fullWidth: Bool)] = []
    for (t, loadOp, narrow, ops) in types {
        for (oi, op) in ops.enumerated() {
            for (ai, address) in addresses.enumerated() {
                for offset: UInt32 in [0, 65530] {
                    for (li, load) in [W.load(loadOp, offset: offset), narrow].enumerated() where li == 0 || offset == 0 {
                        for loadLeft in [true, false] {
                            for hidden in [false, true] {
                                let operand = hidden ? asExpr(address + load) : address + load
                                let value = loadLeft ? operand + W.get(2) + [op] : W.get(2) + operand + [op]
                                let tag = "\(t)_\(oi)_\(ai)_\(offset)_\(li)_\(loadLeft)_\(hidden ? "e" : "f")"
                                b.function("ret" + tag, [.i32, .i32, t], [t], value)
                                b.function("set" + tag, [.i32, .i32, t], [t], locals: [t], value + W.set(3) + W.get(3))
                                if !hidden { fused.append((tag, li == 0)) }
                            }
                        }
                    }
                }
            }
        }
    }
    let inst = try instantiate(b)
    var outcomes = Set<Outcome>()
    for (tag, fullWidth) in fused {
        let t: ValueType = tag.hasPrefix("f32") ? .f32 : .f64
        let plain = String(tag.dropLast()) + "e"
        let vs: [UInt64] = t == .f32 ? [UInt64(Float(1.5).bitPattern), UInt64(Float(-0.0).bitPattern), 0x7FC0_0001]
            : [Double(1.5).bitPattern, Double(-0.0).bitPattern, 0x7FF8_0000_0000_0001]
        for x: UInt32 in [0, 8, 13, 16, 24, 65528, 65532, 65536, 0xFFFF_FFFF] {
            for y: UInt32 in [0, 4, 16382, 0x4000_0000] {
                for v in vs {
                    let args = [Value.i32(x), .i32(y), value(t, v)]
                    for form in ["ret", "set"] {
                        let got = run(inst.function(form + tag)!, args)
                        #expect(got == run(inst.function(form + plain)!, args), "\(form)\(tag) at (\(x), \(y), \(v))")
                        outcomes.insert(got)
                    }
                }
            }
        }
        // The full-width load fuses; the reinterpreted narrow one does not.
        let first = statementFunctions(inst.function("set" + tag)!, count: 1)[0]
        let isLoadOperand = loadOperandSetVariants.contains { fnWord($0.1.fn) == first }
        #expect(isLoadOperand == fullWidth, "set\(tag)")
    }
    #expect(outcomes.contains(.trap("out of bounds memory access")) && outcomes.count > 100)
}
