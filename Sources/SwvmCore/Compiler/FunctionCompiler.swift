/// Where a value on the compile-time (virtual) operand stack comes from.
enum Operand: Equatable {
    /// Frame slot `index`: a local (index < local count) or the spill slot of a stack height.
    case slot(Int)
    /// A constant, as its slot word.
    case const(UInt64)
    /// A child expression node, not evaluated yet.
    case expr(NodeP)
}

/// A label being compiled: a block, loop, if, or the function body itself.
struct ControlFrame {
    enum Kind { case function, block, loop, ifThen, ifElse }
    var kind: Kind
    /// Identifies the label for branch-code patching.
    var id: Int = 0
    /// Some branch targets this label. A block or loop no branch targets needs no node: its
    /// statements are spliced into the enclosing list (see `CodePatch`).
    var targeted = false
    /// Operand stack height below the label's parameters.
    var base: Int
    var params: Int
    var results: Int
    var statements: [UInt64] = []
    var thenStatements: [UInt64] = []
    var condition: Operand?
    /// The rest of the body cannot be reached (after br, return, unreachable...).
    var unreachable = false
    /// Fuel units of one run of a loop body or function body: its instructions, less those
    /// of nested loops, which charge their own iterations.
    var cost = 0
    /// Values a branch to this label carries: a loop's parameters, otherwise its results.
    var branchArity: Int { kind == .loop ? params : results }
}

/// A branch code written before the labels it crosses were known to be elided: `word` gets
/// 1 + the number of labels in `crossed` (between the branch and its target) that became nodes.
struct CodePatch {
    var word: UnsafeMutablePointer<UInt64>
    var crossed: [Int]
}

/// Compiles one validated function body into nodes, in one pass over its instructions.
///
/// Values stay virtual (`Operand`) until something forces them into their frame slot: the slot
/// of stack height h is `localCount + h`. The compiler relies on a few invariants, which is
/// where register-IR engines have shipped miscompilations (DESIGN.md, "the folding trap"):
/// - Before any statement runs, every pending `.expr` is evaluated into its slot, bottom to
///   top (`flushExpressions`): expressions may read memory, globals or locals, or trap, so
///   they must not move past a statement's side effect. Expressions that only feed further
///   expressions keep Wasm's order because nodes evaluate their operands left to right.
/// - Before `local.set/tee i`, every pending read of local i is copied to its slot.
/// - At block, loop and if boundaries everything but constants is spilled, so code inside
///   a label (a loop body in particular, which runs many times) never depends on virtual
///   operands from outside it.
final class FunctionCompiler {
    let instance: Instance
    let module: Module
    let arena: Arena
    let functionIndex: Int
    let type: FuncType
    let localCount: Int
    var stack: [Operand] = []
    /// Expression-tree depth of each stack entry (0 for slots and constants).
    var depths: [Int] = []
    /// Deepest operand popped since the last push: the children of the next expression.
    var childDepth = 0
    var control: [ControlFrame] = []
    var maxHeight = 0
    /// Nesting of blocks inside unreachable code being skipped.
    var deadDepth = 0
    var nextLabelID = 0
    var elided = Set<Int>()
    var patches: [CodePatch] = []
    /// Control indices of the enclosing loops and the function: who pays for an instruction.
    var costOwners: [Int] = [0]
    let memoryState: UInt64
    let instanceWord: UInt64

    init(instance: Instance, functionIndex: Int) {
        self.instance = instance
        module = instance.module
        arena = instance.arena
        self.functionIndex = functionIndex
        type = module.functionType(functionIndex)
        let body = module.codes[functionIndex - module.importedFunctionCount]
        localCount = type.params.count + body.localCount
        memoryState = instance.memories.first.map { UInt64(pointer: $0.state) } ?? 0
        instanceWord = UInt64(pointer: Unmanaged.passUnretained(instance).toOpaque())
    }

    // MARK: - Operand stack

    func slot(ofHeight h: Int) -> Int { localCount + h }

    /// Evaluating an expression recurses natively once per tree level with no stack check in
    /// between; deeper trees are cut by evaluating them into slots.
    static let maxExpressionDepth = 100
    /// Nested labels recurse natively too; every this many levels a block re-checks the stack.
    static let labelsPerStackCheck = 32

    func push(_ o: Operand) {
        var depth = 0
        if case .expr = o { depth = childDepth + 1 }
        childDepth = 0
        stack.append(o)
        depths.append(depth)
        if stack.count > maxHeight { maxHeight = stack.count }
        if depth > FunctionCompiler.maxExpressionDepth { flushExpressions() }
    }

    func pop() -> Operand {
        childDepth = max(childDepth, depths.removeLast())
        return stack.removeLast()
    }

    func truncate(to height: Int) {
        stack.removeLast(stack.count - height)
        depths.removeLast(depths.count - height)
        childDepth = 0
    }

    func node(_ fn: ExprFn, _ a: UInt64 = 0, _ b: UInt64 = 0, _ c: UInt64 = 0, _ d: UInt64 = 0) -> NodeP {
        arena.node(fnWord(fn), a, b, c, d)
    }
    func node(_ fn: StmtFn, _ a: UInt64 = 0, _ b: UInt64 = 0, _ c: UInt64 = 0, _ d: UInt64 = 0) -> NodeP {
        arena.node(fnWord(fn), a, b, c, d)
    }

    /// The operand as an expression node.
    func expr(_ o: Operand) -> NodeP {
        switch o {
        case .slot(let i): return node(slotNode, UInt64(i))
        case .const(let v): return node(constNode, v)
        case .expr(let n): return n
        }
    }

    func word(_ n: NodeP) -> UInt64 { UInt64(pointer: n) }

    func emit(_ n: NodeP) {
        control[control.count - 1].statements.append(word(n))
    }

    /// A statement storing `o` in frame slot `target`.
    func store(_ o: Operand, to target: Int) {
        switch o {
        case .slot(let s): if s != target { emit(node(setSlotSlotNode, UInt64(target), UInt64(s))) }
        case .const(let v): emit(node(setSlotConstNode, UInt64(target), v))
        case .expr(let n):
            if let v = setVariants[UInt(bitPattern: n.pointee.fn)] {
                // The op writes the slot itself: one node, one call fewer per execution. The
                // expression node had one user (this operand), so it is rewritten in place.
                let m = UnsafeMutablePointer(mutating: n)
                m.pointee.fn = fnWord(v.fn)
                switch v.slotField {
                case .b: m.pointee.b = UInt64(target)
                case .c: m.pointee.c = UInt64(target)
                }
                emit(n)
            } else {
                emit(node(setSlotExprNode, UInt64(target), word(n)))
            }
        }
    }

    /// Puts the operand at height h into its own slot.
    func materialize(_ h: Int) {
        let target = slot(ofHeight: h)
        if stack[h] == .slot(target) { return }
        store(stack[h], to: target)
        stack[h] = .slot(target)
        depths[h] = 0
    }

    func flushExpressions(below height: Int? = nil) {
        for h in 0..<(height ?? stack.count) { if case .expr = stack[h] { materialize(h) } }
    }

    func flushReads(ofLocal i: Int) {
        for h in stack.indices where stack[h] == .slot(i) { materialize(h) }
    }

    /// Everything but constants into slots (label boundaries).
    func spillAll() {
        for h in stack.indices {
            switch stack[h] {
            case .const: break
            case .slot(let s) where s >= localCount: break
            default: materialize(h)
            }
        }
    }

    // MARK: - Driver

    func compile() throws(Trap) -> NodeP {
        let body = module.codes[functionIndex - module.importedFunctionCount]
        control.append(ControlFrame(kind: .function, base: 0, params: 0, results: type.results.count))
        var reader = InstructionReader(module: module, body: body)
        while !reader.isAtEnd {
            let ins: Instruction
            do { ins = try reader.next() } catch { throw .unsupported }  // validated: cannot happen
            if let entry = try translate(ins, reader) { return entry }
        }
        throw .unsupported
    }

    func blockSignature(_ bt: BlockType) -> (Int, Int) {
        switch bt {
        case .empty: return (0, 0)
        case .value: return (0, 1)
        case .typeIndex(let i):
            let t = module.types[Int(i)]
            return (t.params.count, t.results.count)
        }
    }

    /// Translates one instruction; returns the entry node once the function's final `end` is seen.
    func translate(_ ins: Instruction, _ reader: InstructionReader) throws(Trap) -> NodeP? {
        if control[control.count - 1].unreachable {
            switch ins.op {
            case .block, .loop, .if:
                deadDepth += 1
                return nil
            case .else where deadDepth == 0: break
            case .end where deadDepth == 0: break
            case .end:
                deadDepth -= 1
                return nil
            default: return nil
            }
        }
        control[costOwners[costOwners.count - 1]].cost += 1
        switch ins.op {
        case .nop: break
        case .unreachable:
            flushExpressions()
            emit(node(unreachableNode))
            markUnreachable()
        case .block, .loop, .if: enterLabel(ins)
        case .else: enterElse()
        case .end: return endLabel()
        case .br: branch(depth: Int(ins.index))
        case .return: branch(depth: control.count - 1)
        case .brIf: branchIf(depth: Int(ins.index))
        case .brTable: branchTable(reader.targets(of: ins))
        case .call: call(Int(ins.index))
        case .callIndirect: callIndirect(typeIndex: Int(ins.index), table: Int(ins.index2))
        case .drop:
            let v = pop()
            if case .expr(let n) = v {
                flushExpressions()
                emit(node(evalNode, word(n)))
            }
        case .select, .selectT:
            let cond = pop(), b = pop(), a = pop()
            push(.expr(node(selectNode, word(expr(a)), word(expr(b)), word(expr(cond)))))
        case .localGet: push(.slot(Int(ins.index)))
        case .localSet, .localTee:
            let i = Int(ins.index)
            let v = pop()
            flushExpressions()
            flushReads(ofLocal: i)
            store(v, to: i)
            if ins.op == .localTee { push(.slot(i)) }
        case .globalGet:
            push(.expr(node(globalGetNode, UInt64(pointer: instance.globals[Int(ins.index)].cell))))
        case .globalSet:
            let v = pop()
            flushExpressions()
            emit(node(globalSetNode, UInt64(pointer: instance.globals[Int(ins.index)].cell), word(expr(v))))
        case .i32Const: push(.const(UInt64(UInt32(truncatingIfNeeded: ins.value))))
        case .f32Const: push(.const(UInt64(UInt32(truncatingIfNeeded: ins.value))))
        case .i64Const, .f64Const: push(.const(ins.value))
        case .memorySize: push(.expr(node(memorySizeNode, memoryState)))
        case .memoryGrow:
            let delta = pop()
            push(.expr(node(memoryGrowNode, instanceWord, 0, word(expr(delta)))))
        case .memoryFill:
            let n = pop(), v = pop(), d = pop()
            flushExpressions()
            emit(node(memoryFillNode, memoryState, word(expr(d)), word(expr(v)), word(expr(n))))
        case .memoryCopy:
            let n = pop(), s = pop(), d = pop()
            flushExpressions()
            emit(node(memoryCopyNode, memoryState, word(expr(d)), word(expr(s)), word(expr(n))))
        case .memoryInit:
            bulk(memoryInitNode, UInt64(ins.index), 0)
        case .dataDrop:
            flushExpressions()
            emit(node(dataDropNode, instanceWord, UInt64(ins.index)))
        case .tableInit:
            bulk(tableInitNode, UInt64(ins.index), UInt64(ins.index2))
        case .elemDrop:
            flushExpressions()
            emit(node(elemDropNode, instanceWord, UInt64(ins.index)))
        case .tableCopy:
            bulk(tableCopyNode, UInt64(ins.index), UInt64(ins.index2))
        case .tableFill:
            bulk(tableFillNode, UInt64(ins.index), 0)
        case .tableGet:
            let i = pop()
            push(.expr(node(tableGetNode, tableState(ins.index), word(expr(i)))))
        case .tableSet:
            let v = pop(), i = pop()
            flushExpressions()
            emit(node(tableSetNode, tableState(ins.index), word(expr(i)), word(expr(v))))
        case .tableSize: push(.expr(node(tableSizeNode, tableState(ins.index))))
        case .tableGrow:
            let delta = pop(), initial = pop()
            push(.expr(node(tableGrowNode, instanceWord, UInt64(ins.index), word(expr(initial)), word(expr(delta)))))
        case .refNull: push(.const(0))
        case .refIsNull:
            let v = pop()
            push(.expr(node(refIsNullNode, word(expr(v)))))
        case .refFunc: push(.const(UInt64(pointer: instance.functions[Int(ins.index)].record)))
        default:
            if let nodes = binaryNodes(ins.op) { binary(nodes) }
            else if let nodes = unaryNodes(ins.op) { unary(nodes) }
            else if isReinterpret(ins.op) { break }  // same bits, other type
            else if let nodes = loadNodes(ins.op) { load(nodes, ins.memOffset) }
            else if let nodes = storeNodes(ins.op) { storeInstruction(nodes, ins.memOffset) }
            else { throw .unsupported }  // SIMD is decoded and validated, not executed yet
        }
        return nil
    }

    func tableState(_ index: UInt32) -> UInt64 { UInt64(pointer: instance.tables[Int(index)].state) }

    /// A three-operand bulk statement whose node needs [instance, immediate, immediate].
    func bulk(_ fn: StmtFn, _ imm1: UInt64, _ imm2: UInt64) {
        let n = pop(), s = pop(), d = pop()
        flushExpressions()
        let record = arena.words([instanceWord, imm1, imm2])
        emit(node(fn, UInt64(pointer: record), word(expr(d)), word(expr(s)), word(expr(n))))
    }

    // MARK: - Numeric operators and memory access

    func binary(_ nodes: BinaryNodes) {
        var b = pop(), a = pop()
        if case .const = a, nodes.commutative { swap(&a, &b) }
        if case .const = a { a = .expr(expr(a)) }
        let n: NodeP
        switch (a, b) {
        case (.slot(let x), .slot(let y)): n = node(nodes.ss, UInt64(x), UInt64(y))
        case (.slot(let x), .const(let y)): n = node(nodes.sc, UInt64(x), y)
        case (.slot(let x), .expr(let y)): n = node(nodes.se, UInt64(x), word(y))
        case (.expr(let x), .slot(let y)): n = node(nodes.es, word(x), UInt64(y))
        case (.expr(let x), .const(let y)): n = node(nodes.ec, word(x), y)
        case (.expr(let x), .expr(let y)): n = node(nodes.ee, word(x), word(y))
        case (.const, _): preconditionFailure("constant left operand was turned into an expression")
        }
        push(.expr(n))
    }

    func unary(_ nodes: UnaryNodes) {
        switch pop() {
        case .slot(let x): push(.expr(node(nodes.s, UInt64(x))))
        case let o: push(.expr(node(nodes.e, word(expr(o)))))
        }
    }

    func load(_ nodes: UnaryNodes, _ offset: UInt64) {
        switch pop() {
        case .slot(let x): push(.expr(node(nodes.s, UInt64(x), 0, memoryState, offset)))
        case let o: push(.expr(node(nodes.e, word(expr(o)), 0, memoryState, offset)))
        }
    }

    func storeInstruction(_ nodes: StoreNodes, _ offset: UInt64) {
        let v = pop()
        var a = pop()
        flushExpressions()
        if case .const = a { a = .expr(expr(a)) }
        let fn: StmtFn
        var aw: UInt64 = 0, vw: UInt64 = 0
        switch a {
        case .slot(let x):
            aw = UInt64(x)
            switch v {
            case .slot(let y): fn = nodes.ss; vw = UInt64(y)
            case .const(let y): fn = nodes.sc; vw = y
            case .expr(let y): fn = nodes.se; vw = word(y)
            }
        default:
            aw = word(expr(a))
            switch v {
            case .slot(let y): fn = nodes.es; vw = UInt64(y)
            case .const(let y): fn = nodes.ec; vw = y
            case .expr(let y): fn = nodes.ee; vw = word(y)
            }
        }
        emit(node(fn, aw, vw, memoryState, offset))
    }

    // MARK: - Calls

    /// Pushes a call's result(s): one result stays a deferred expression; none or several
    /// make the call a statement, with several results left in the slots from `base` on.
    func finishCall(_ call: NodeP, results: Int, height: Int) {
        switch results {
        case 1: push(.expr(call))
        default:
            flushExpressions()
            emit(node(evalNode, word(call)))
            for i in 0..<results { push(.slot(slot(ofHeight: height + i))) }
            if results > 0 { maxHeight = max(maxHeight, stack.count) }
        }
    }

    /// Makes the top `count` operands live in their own slots.
    func argumentsToSlots(_ count: Int) {
        flushExpressions()
        for h in (stack.count - count)..<stack.count { materialize(h) }
    }

    func call(_ index: Int) {
        let callee = instance.functions[index]
        let params = callee.type.params.count
        let height = stack.count - params
        let base = UInt64(slot(ofHeight: height))
        let rec = UInt64(pointer: callee.record)
        let n: NodeP
        switch params {
        case 1:
            let a0 = pop()
            n = node(call1Node, rec, base, word(expr(a0)))
        case 2:
            let a1 = pop(), a0 = pop()
            n = node(call2Node, rec, base, word(expr(a0)), word(expr(a1)))
        default:
            argumentsToSlots(params)
            truncate(to: stack.count - params)
            n = node(callNode, rec, base)
        }
        // The callee's frame overlaps ours from `base`: reserve room for its results.
        maxHeight = max(maxHeight, height + callee.type.results.count)
        finishCall(n, results: callee.type.results.count, height: height)
    }

    func callIndirect(typeIndex: Int, table: Int) {
        let t = module.types[typeIndex]
        let index = pop()
        argumentsToSlots(t.params.count)
        let height = stack.count - t.params.count
        truncate(to: height)
        let n = node(callIndirectNode, tableState(UInt32(table)), UInt64(TypeRegistry.id(t)),
                     word(expr(index)), UInt64(slot(ofHeight: height)))
        maxHeight = max(maxHeight, height + t.results.count)
        finishCall(n, results: t.results.count, height: height)
    }

    // MARK: - Labels and branches

    func markUnreachable() {
        control[control.count - 1].unreachable = true
        truncate(to: control[control.count - 1].base)
    }

    func enterLabel(_ ins: Instruction) {
        let (params, results) = blockSignature(ins.blockType)
        var condition: Operand?
        if ins.op == .if { condition = pop() }
        spillAll()
        for h in (stack.count - params)..<stack.count { materialize(h) }
        let kind: ControlFrame.Kind = ins.op == .block ? .block : ins.op == .loop ? .loop : .ifThen
        nextLabelID += 1
        control.append(ControlFrame(kind: kind, id: nextLabelID, base: stack.count - params, params: params,
                                    results: results, condition: condition))
        if kind == .loop { costOwners.append(control.count - 1) }
        if control.count % FunctionCompiler.labelsPerStackCheck == 0 { emit(node(stackCheckNode)) }
    }

    /// Puts a label's results, on top of the stack, into the label's result slots.
    func settleResults(_ frame: ControlFrame) {
        if frame.unreachable { return }
        flushExpressions()
        for h in frame.base..<(frame.base + frame.results) { materialize(h) }
    }

    func enterElse() {
        settleResults(control[control.count - 1])
        var frame = control.removeLast()
        frame.thenStatements = frame.statements
        frame.statements = []
        frame.kind = .ifElse
        frame.unreachable = false
        truncate(to: frame.base)
        for i in 0..<frame.params { push(.slot(slot(ofHeight: frame.base + i))) }
        control.append(frame)
    }

    func statementList(_ words: [UInt64]) -> (UInt64, UInt64) {
        (UInt64(pointer: arena.words(words)), UInt64(words.count))
    }

    /// A statement list preceded by its length and its fuel cost: loops and function entries
    /// read the cost at `list[-1]`, where it shares a cache line with the first statements;
    /// nodes with no field left for the length read it at `list[-2]`.
    func costedList(_ words: [UInt64], cost: Int) -> (UInt64, UInt64) {
        let p = arena.words([UInt64(words.count), UInt64(Swift.max(cost, 1))] + words)
        return (UInt64(pointer: p + 2), UInt64(words.count))
    }

    func endLabel() -> NodeP? {
        if control[control.count - 1].kind == .function { return finishFunction(control[0]) }
        settleResults(control[control.count - 1])
        let frame = control.removeLast()
        if frame.kind == .loop {
            costOwners.removeLast()
            // A loop nothing branches back to runs once: its enclosing owner pays for it.
            if !frame.targeted { control[costOwners[costOwners.count - 1]].cost += frame.cost }
        }
        if (frame.kind == .block || frame.kind == .loop) && !frame.targeted {
            // Nothing branches here: run the statements in place, with no label of their own.
            elided.insert(frame.id)
            control[control.count - 1].statements += frame.statements
            truncate(to: frame.base)
            for i in 0..<frame.results { push(.slot(slot(ofHeight: frame.base + i))) }
            return nil
        }
        let (list, count) = frame.kind == .loop ? costedList(frame.statements, cost: frame.cost)
                                                 : statementList(frame.statements)
        let n: NodeP
        switch frame.kind {
        case .block:
            if let first = frame.statements.first, let inner = chainSegments(first) {
                let rest = statementList(Array(frame.statements.dropFirst()))
                let segments = inner + [rest.0, rest.1]
                n = node(blockChainNode, UInt64(pointer: arena.words(segments)), UInt64(segments.count / 2))
            } else {
                n = node(blockNode, list, count)
            }
        case .loop:
            if let last = frame.statements.last, let whileFn = loopWhile(closing: last) {
                // `loop ... br_if 0 (cond)`: the loop node tests the condition itself.
                let (body, _) = costedList(Array(frame.statements.dropLast()), cost: frame.cost)
                n = node(whileFn, body, last.node.pointee.a, last.node.pointee.b)
            } else {
                n = node(loopNode, list, count)
            }
        case .ifThen:
            if let (fused, a, b) = fusedBranch(frame.condition!) {
                n = node(fused.ifThen, a, b, list, count)
            } else {
                n = node(ifThenNode, list, count, word(expr(frame.condition!)))
            }
        case .ifElse:
            let (thenList, thenCount) = statementList(frame.thenStatements)
            if let (fused, a, b) = fusedBranch(frame.condition!) {
                n = node(fused.ifElse, a, b, thenList, UInt64(pointer: arena.words([thenCount, list, count])))
            } else {
                let elseRecord = arena.words([list, count])
                n = node(ifNode, thenList, thenCount, word(expr(frame.condition!)), UInt64(pointer: elseRecord))
            }
        case .function: preconditionFailure()
        }
        emit(n)
        truncate(to: frame.base)
        for i in 0..<frame.results { push(.slot(slot(ofHeight: frame.base + i))) }
        return nil
    }

    /// The loopWhile node for a loop whose last statement is `word`, if that is a fused br_if
    /// back to the loop itself (code 1: before patching, only a branch to depth 0 has it).
    func loopWhile(closing word: UInt64) -> StmtFn? {
        let n = word.node
        guard n.pointee.c == 1, let fn = loopWhileByBrIf[UInt(bitPattern: n.pointee.fn)] else { return nil }
        return fn
    }

    /// The [list, count] segments of a block statement (see blockChainNode), or nil if the
    /// statement is not a block.
    func chainSegments(_ word: UInt64) -> [UInt64]? {
        let n = word.node
        if n.pointee.fn == fnWord(blockNode) { return [n.pointee.a, n.pointee.b] }
        if n.pointee.fn == fnWord(blockChainNode) {
            let table = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
            return Array(UnsafeBufferPointer(start: table, count: 2 * n.pointee.b.int))
        }
        return nil
    }

    func finishFunction(_ frame: ControlFrame) -> NodeP {
        applyPatches()
        let results = type.results.count
        let fn: ExprFn
        var statements: [UInt64]
        let count: Int
        if !frame.unreachable && results == 1, case .expr(let e) = stack[0] {
            // The usual shape: the body ends computing its one result, which the entry node
            // returns straight from the expression (the only operand left on the stack).
            statements = control[0].statements
            count = statements.count
            statements.append(word(e))
            fn = functionEntryExprNode
        } else {
            settleResults(frame)
            statements = control[0].statements
            count = statements.count
            fn = functionEntryNode
        }
        let (list, _) = costedList(statements, cost: control[0].cost)
        let frameSize = UInt64(localCount + maxHeight + 1)
        let declared = UInt64(localCount - type.params.count)
        return node(fn, list, UInt64(count), frameSize | UInt64(results) << 32, UInt64(type.params.count) | declared << 32)
    }

    func branchTarget(_ depth: Int) -> (code: UInt64, dst: Int, arity: Int) {
        control[control.count - 1 - depth].targeted = true
        let target = control[control.count - 1 - depth]
        return (UInt64(depth + 1), slot(ofHeight: target.base), target.branchArity)
    }

    /// Registers the code word of a branch to label `depth` for patching.
    func patchCode(_ n: NodeP, field: KeyPath<Node, UInt64>, depth: Int) {
        let offset = MemoryLayout<Node>.offset(of: field)!
        let word = (UnsafeMutableRawPointer(mutating: n) + offset).assumingMemoryBound(to: UInt64.self)
        patchCode(word, depth: depth)
    }

    func patchCode(_ word: UnsafeMutablePointer<UInt64>, depth: Int) {
        let crossed = (0..<depth).map { control[control.count - 1 - $0].id }
        patches.append(CodePatch(word: word, crossed: crossed))
    }

    func applyPatches() {
        for p in patches {
            p.word.pointee = UInt64(1 + p.crossed.filter { !elided.contains($0) }.count)
        }
    }

    func branch(depth: Int) {
        let (code, dst, arity) = branchTarget(depth)
        let first = stack.count - arity
        if arity == 1 {
            // One value (return x, br with a result): the move and the branch are one node.
            flushExpressions(below: first)
            let n: NodeP
            switch stack[first] {
            case .slot(let s) where s == dst: n = node(brNode, code)
            case .slot(let s): n = node(brMoveSlotNode, UInt64(dst), UInt64(s), code)
            case .const(let v): n = node(brMoveConstNode, UInt64(dst), v, code)
            case .expr(let e): n = node(brMoveExprNode, UInt64(dst), word(e), code)
            }
            patchCode(n, field: n.pointee.fn == fnWord(brNode) ? \Node.a : \Node.c, depth: depth)
            emit(n)
        } else {
            flushExpressions()
            for i in 0..<arity { store(stack[first + i], to: dst + i) }
            let n = node(brNode, code)
            patchCode(n, field: \Node.a, depth: depth)
            emit(n)
        }
        markUnreachable()
    }

    func branchIf(depth: Int) {
        let (code, dst, arity) = branchTarget(depth)
        let condition = pop()
        flushExpressions()
        let first = stack.count - arity
        for h in first..<stack.count { materialize(h) }
        let src = slot(ofHeight: first)
        let n: NodeP
        if arity == 0 || src == dst {
            if let (fused, a, b) = fusedBranch(condition) {
                n = node(fused.brIf, a, b, code)
                patchCode(n, field: \Node.c, depth: depth)
            } else {
                n = node(brIfNode, word(expr(condition)), code)
                patchCode(n, field: \Node.b, depth: depth)
            }
        } else {
            n = node(brIfMoveNode, word(expr(condition)), code, UInt64(src), UInt64(dst) | UInt64(arity) << 32)
            patchCode(n, field: \Node.b, depth: depth)
        }
        emit(n)
    }

    /// A branch condition that is a compare of slot/constant operands (or a plain slot) runs
    /// inside the branch node itself: the fused node reads the compare's operand words.
    func fusedBranch(_ condition: Operand) -> (BranchNodes, UInt64, UInt64)? {
        switch condition {
        case .slot(let s): return (slotBranchNodes, UInt64(s), 0)
        case .expr(let n):
            guard let fused = branchNodes(condition: n.pointee.fn) else { return nil }
            return (fused, n.pointee.a, n.pointee.b)
        case .const: return nil
        }
    }

    func branchTable(_ targets: [UInt32]) {
        let index = expr(pop())
        flushExpressions()
        let arity = branchTarget(Int(targets.last!)).arity
        let first = stack.count - arity
        for h in first..<stack.count { materialize(h) }
        var table: [UInt64] = []
        for t in targets {
            let (code, dst, _) = branchTarget(Int(t))
            table.append(code)
            table.append(UInt64(dst))
        }
        let words = arena.words(table)
        for (k, t) in targets.enumerated() { patchCode(words + 2 * k, depth: Int(t)) }
        let list = UInt64(pointer: words)
        emit(node(brTableNode, word(index), list, UInt64(targets.count - 1),
                  UInt64(slot(ofHeight: first)) | UInt64(arity) << 32))
        markUnreachable()
    }
}

extension Instance {
    /// Compiles function `index` of the function index space to its entry node.
    func compileFunction(_ index: Int) throws(Trap) -> NodeP {
        try FunctionCompiler(instance: self, functionIndex: index).compile()
    }
}
