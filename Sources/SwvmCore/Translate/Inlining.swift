/// Calls to small pure functions are translated as their body (docs/engine.md, "Inlining small pure functions").
///
/// A call costs about sixty instructions of its own (the call node's saved registers, the
/// callee's limit checks and fuel charge, the return), more than a body such as libc's
/// `isalnum` or `tolower`: a few compares and `or`s of the parameter. A function qualifies
/// when its body is one expression of its parameters that can neither trap nor have an effect:
/// no locals besides the parameters, no control flow, memory, globals or calls, only
/// constants, `local.get` of a parameter, `select`, and operators whose effect is `pure`
/// (`Effect`; division and float-to-int truncation trap, so they do not qualify). Such a call
/// is unobservable except for its time: no trap can come out of it, so no backtrace loses the
/// frame, and its depth of one frame cannot exhaust anything. Fuel is charged as if the body's
/// instructions were the caller's own.
extension FunctionTranslator {
    /// Bodies longer than this are not inlined (bytes of code, and instructions): the gain is
    /// the call's fixed cost, which a long body would not notice, while each call site
    /// translates the body again.
    static let maxInlinedBytes = 64
    static let maxInlinedInstructions = 24

    /// The body of function `index` if a call to it may be translated in place: its
    /// instructions, the final `end` excluded.
    func inlinableBody(_ index: Int) -> [Instruction]? {
        guard index >= module.importedFunctionCount else { return nil }
        let t = instance.functions[index].type
        guard t.results.count == 1, t.results[0] != .v128, !t.params.contains(.v128) else { return nil }
        let body = module.codes[index - module.importedFunctionCount]
        guard body.localCount == 0, body.code.count <= FunctionTranslator.maxInlinedBytes else { return nil }
        var reader = InstructionReader(module: module, body: body)
        var instructions: [Instruction] = []
        while !reader.isAtEnd {
            guard let ins = try? reader.next(), instructions.count <= FunctionTranslator.maxInlinedInstructions else { return nil }
            if ins.op == .end { return reader.isAtEnd ? instructions : nil }
            guard FunctionTranslator.isInlinable(ins) else { return nil }
            instructions.append(ins)
        }
        return nil
    }

    /// Whether an instruction may appear in an inlined body: it reads nothing but its operands
    /// and cannot trap.
    static func isInlinable(_ ins: Instruction) -> Bool {
        switch ins.op {
        case .localGet, .i32Const, .i64Const, .f32Const, .f64Const, .nop: return true
        case .select: return true
        case .selectT: return ins.valueType != .v128
        default:
            if isReinterpret(ins.op) { return true }
            if let nodes = binaryNodes(ins.op) { return setVariants[UInt(bitPattern: fnWord(nodes.ee))]?.effect == .pure }
            if let nodes = unaryNodes(ins.op) { return setVariants[UInt(bitPattern: fnWord(nodes.e))]?.effect == .pure }
            return false
        }
    }

    /// Translates a call to function `index` as its body if it qualifies (`inlinableBody`);
    /// false leaves the call to be translated as a call.
    ///
    /// The arguments stay on the operand stack while the body is translated above them, so
    /// the spill slots the body's operands may be flattened into cannot overlap an argument's.
    /// An argument that is a pending expression is evaluated into its slot first: the body
    /// may read a parameter more than once, or in another order than the arguments were
    /// given. `local.get` of a parameter then pushes the argument's slot or constant. At the
    /// end the result replaces the arguments; the spill slots it reads are in its `reads`, so
    /// nothing overwrites them before it is evaluated (`evaluatesEarly`).
    func inlinedCall(_ index: Int) throws(Trap) -> Bool {
        guard let body = inlinableBody(index) else { return false }
        let params = instance.functions[index].type.params.count
        let height = stack.count - params
        for h in height..<stack.count {
            if case .expr = stack[h] { materializeInOrder(h) }
        }
        let arguments = Array(stack[height...])
        let callee = InstructionReader(module: module, body: module.codes[index - module.importedFunctionCount])
        for ins in body {
            if ins.op == .localGet {
                control[costOwners[costOwners.count - 1]].cost += 1
                push(arguments[Int(ins.index)])
            } else {
                _ = try translate(ins, callee)
            }
        }
        let result = pop()
        for _ in 0..<params { _ = pop() }
        push(result)
        // A spill-slot result must be in its own slot: label boundaries keep such operands
        // where they are (`spillAll`), and code inside a label may reuse the others.
        if case .slot(let s) = result, s >= localSlots, s != slot(ofHeight: height) { materializeInOrder(height) }
        return true
    }

    /// Puts the entry at height h into its slot, after the pending expressions below it unless
    /// it may go ahead of them (`evaluatesEarly`).
    func materializeInOrder(_ h: Int) {
        if !evaluatesEarly(h) { flushExpressions(below: h) }
        materialize(h)
    }
}
