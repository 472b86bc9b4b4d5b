/// Where a value on the compile-time (virtual) operand stack comes from.
enum Operand: Equatable {
    /// Frame slot `index`: a local (index < local count) or the spill slot of a stack height.
    case slot(Int)
    /// A constant, as its slot word.
    case const(UInt64)
    /// A child expression node, not evaluated yet.
    case expr(NodeP)
}

/// A branch target: a label (bound later to a position in the statement sequence, or to an
/// out-of-line node) or a node.
enum Target: Equatable {
    case label(Int)
    case node(NodeP)
}

/// One entry of a function's statement sequence, in Wasm order. A node that falls through
/// continues with the entry after it; a jump (`br`, the end of an if's then-arm) emits no node:
/// whatever continues into it continues at its target instead.
enum SequenceEntry {
    case node(NodeP, fallsThrough: Bool)
    case jump(Target)
}

/// A label being translated: a block, loop, if, or the function body itself.
struct ControlFrame {
    enum Kind { case function, block, loop, ifThen, ifElse, tryTable }
    var kind: Kind
    /// Where a branch to this label goes: the statement after a block or if, a loop's first.
    var label: Int
    /// An if's else arm (or its end, when it has none).
    var elseLabel = 0
    /// The if's branch node, while its then-arm is still empty: `if (cond) return x` fuses
    /// into it.
    var ifBranch: (node: NodeP, fused: BranchNodes)?
    /// Operand stack height below the label's parameters.
    var base: Int
    var params: Int
    var results: Int
    var paramTypes: [ValueType] = []
    var resultTypes: [ValueType] = []
    /// The rest of the body cannot be reached (after br, return, unreachable...).
    var unreachable = false
    /// Fuel units of one run of a loop body or function body: its instructions, less those
    /// of nested loops, which charge their own iterations.
    var cost = 0
    /// A loop's back edge for branches without a fused condition: charges the cost, then
    /// continues at the head. Made on first use.
    var backEdge: NodeP?
    /// Fields that receive a loop's cost when its end is reached.
    var costFields: [UnsafeMutablePointer<UInt64>] = []
    /// Values a branch to this label carries: a loop's parameters, otherwise its results.
    var branchArity: Int { kind == .loop ? params : results }
}

/// Translates one validated function body into a node graph, in one pass over its
/// instructions (docs/engine.md).
///
/// Values stay virtual (`Operand`) until something forces them into their frame slot: the
/// stack's slots follow the locals', one per value and two per v128 (`slotAt`). A v128 is never
/// a constant or a pending expression: SIMD operations are statements that write their
/// result's slot pair (docs/engine.md, "v128 values"). The translator relies on a few
/// invariants, which is where register-IR engines have shipped miscompilations (docs/engine.md,
/// "the folding trap"):
/// - Before any statement runs, every pending `.expr` is evaluated into its slot, bottom to
///   top (`flushExpressions`): expressions may read memory, globals or locals, or trap, so
///   they must not move past a statement's side effect. Expressions that only feed further
///   expressions keep Wasm's order because nodes evaluate their operands left to right.
///   An operand may be evaluated into its slot ahead of the pending expressions below it only
///   where no entry reads that slot and the move is unobservable (`evaluatesEarly`).
/// - Before `local.set/tee i`, every pending read of local i is copied to its slot. The set
///   itself is a statement, but its value may be evaluated ahead of pending expressions that
///   do not read local i when the move is unobservable (`setKeepsPending`); they stay pending.
/// - At block, loop and if boundaries everything but constants is spilled, so code inside
///   a label (a loop body in particular, which runs many times) never depends on virtual
///   operands from outside it.
///
/// Statements are appended to one sequence; labels are positions in it. At the end every
/// fall-through and branch field is patched with its target node's address. The translator's
/// state is private to one translation: `@exclusivity(unchecked)` drops the dynamic checks a
/// class's stored properties would otherwise get on every access.
/// The frame slots a stack entry reads (`FunctionTranslator.reads`): spill slots as a range
/// (`lo...hi`, which `overlaps` compares), locals' slots as bits `slot % 64` (`locals`, which
/// `readsLocal` compares; two locals may share a bit, which only makes the check more careful).
struct SlotSpan {
    var lo: Int
    var hi: Int
    var locals: UInt64 = 0
    static let none = SlotSpan(lo: Int.max, hi: Int.min)
    /// The slot a value starts at: two slots for a v128.
    init(slot: Int, wide: Bool) { self.init(lo: slot, hi: slot + (wide ? 1 : 0)) }
    init(lo: Int, hi: Int) { self.lo = lo; self.hi = hi }
    /// A local's slot (two for a v128), as bits only.
    init(local slot: Int, wide: Bool) {
        self.init(lo: Int.max, hi: Int.min)
        locals = 1 << UInt64(slot & 63) | (wide ? 1 << UInt64((slot + 1) & 63) : 0)
    }
    func union(_ o: SlotSpan) -> SlotSpan {
        var u = SlotSpan(lo: Swift.min(lo, o.lo), hi: Swift.max(hi, o.hi))
        u.locals = locals | o.locals
        return u
    }
    func overlaps(_ o: SlotSpan) -> Bool { lo <= o.hi && o.lo <= hi }
    func readsLocal(of o: SlotSpan) -> Bool { locals & o.locals != 0 }
}

final class FunctionTranslator {
    let instance: Instance
    let module: Module
    let arena: Arena
    let functionIndex: Int
    let type: FuncType
    let localCount: Int
    /// Frame slots of the parameters and locals, and where each local starts.
    let localSlots: Int
    let localSlot: [Int]
    let localWide: [Bool]
    @exclusivity(unchecked) var stack: [Operand] = []
    /// For each stack entry: whether it is a v128, and its first frame slot.
    @exclusivity(unchecked) var wide: [Bool] = []
    @exclusivity(unchecked) var slotAt: [Int] = []
    /// Expression-tree depth of each stack entry (0 for slots and constants).
    @exclusivity(unchecked) var depths: [Int] = []
    /// Deepest operand popped since the last push: the children of the next expression.
    @exclusivity(unchecked) var childDepth = 0
    /// For each stack entry: the slots it reads when it is evaluated (a pending expression's
    /// tree, or a slot entry's own slot; spill slots as a range, locals as bits), and what its
    /// evaluation may do besides (`evaluatesEarly`, `setKeepsPending`).
    @exclusivity(unchecked) var reads: [SlotSpan] = []
    @exclusivity(unchecked) var effects: [Effect] = []
    /// The same for the operands popped since the last push.
    @exclusivity(unchecked) var childReads = SlotSpan.none
    @exclusivity(unchecked) var childEffect = Effect.pure
    @exclusivity(unchecked) var control: [ControlFrame] = []
    /// Most operand-stack slots in use at once (above the locals).
    @exclusivity(unchecked) var maxSlots = 0
    /// Nesting of blocks inside unreachable code being skipped.
    @exclusivity(unchecked) var deadDepth = 0
    /// The statement sequence, and the position or node each label is bound to.
    @exclusivity(unchecked) var sequence: [SequenceEntry] = []
    @exclusivity(unchecked) var labels: [Int?] = []
    /// The position the last label was bound to (positions only grow, so no label lies beyond
    /// it): statements on either side of it cannot merge.
    @exclusivity(unchecked) var lastBound = -1
    /// The last store statement of a 32-bit memory with a slot or constant value and an
    /// address of slots and constants, for a counted loop to absorb (`storeLoop`).
    @exclusivity(unchecked) var lastStore: LoopStore?
    /// Node of each sequence position, filled while resolving.
    @exclusivity(unchecked) var resolved: [NodeP?] = []
    /// Where `layOut` places the node of each sequence position.
    @exclusivity(unchecked) var placed: [NodeP?] = []
    /// Node fields to receive the address of a target's node.
    @exclusivity(unchecked) var fixups: [(field: UnsafeMutablePointer<UInt64>, target: Target)] = []
    /// Control indices of the enclosing loops and the function: who pays for an instruction.
    @exclusivity(unchecked) var costOwners: [Int] = [0]
    let memory0State: UInt64
    let instanceWord: UInt64

    init(instance: Instance, functionIndex: Int) {
        self.instance = instance
        module = instance.module
        arena = instance.arena
        self.functionIndex = functionIndex
        type = module.functionType(functionIndex)
        let body = module.codes[functionIndex - module.importedFunctionCount]
        localCount = type.params.count + body.localCount
        var types = type.params
        types.reserveCapacity(localCount)
        for d in body.locals { types.append(contentsOf: repeatElement(d.type, count: Int(d.count))) }
        localSlot = types.slotOffsets
        localWide = types.map { $0 == .v128 }
        localSlots = types.slotCount
        memory0State = instance.memories.first.map { UInt64(pointer: $0.state) } ?? 0
        instanceWord = UInt64(pointer: Unmanaged.passUnretained(instance).toOpaque())
    }

    // MARK: - Operand stack

    /// The first slot of the value at stack height h; for h equal to the height, where the next
    /// pushed value goes.
    func slot(ofHeight h: Int) -> Int {
        if h < stack.count { return slotAt[h] }
        guard let last = slotAt.last else { return localSlots }
        return last + (wide[wide.count - 1] ? 2 : 1)
    }

    /// Evaluating an expression recurses natively once per tree level with no stack check in
    /// between; deeper trees are cut by evaluating them into slots.
    static let maxExpressionDepth = 100

    func push(_ o: Operand, wide isWide: Bool = false) {
        var depth = 0
        switch o {
        case .expr(let n):
            depth = childDepth + 1
            reads.append(childReads)
            effects.append(max(childEffect, effect(of: n)))
        case .slot(let s):
            reads.append(s >= localSlots ? SlotSpan(slot: s, wide: isWide) : SlotSpan(local: s, wide: isWide))
            effects.append(.pure)
        case .const:
            reads.append(.none)
            effects.append(.pure)
        }
        childDepth = 0
        childReads = .none
        childEffect = .pure
        let at = slot(ofHeight: stack.count)
        stack.append(o)
        depths.append(depth)
        wide.append(isWide)
        slotAt.append(at)
        reserve(slotsTo: at + (isWide ? 2 : 1))
        if depth > FunctionTranslator.maxExpressionDepth { flushExpressions() }
    }

    /// The frame must have room up to slot `end` (exclusive).
    func reserve(slotsTo end: Int) {
        if end - localSlots > maxSlots { maxSlots = end - localSlots }
    }

    func pop() -> Operand {
        childDepth = max(childDepth, depths.removeLast())
        childReads = childReads.union(reads.removeLast())
        childEffect = max(childEffect, effects.removeLast())
        wide.removeLast()
        slotAt.removeLast()
        return stack.removeLast()
    }

    /// Pops a v128 operand: always a slot pair (never a constant or an expression).
    func popSlot() -> Int {
        guard case .slot(let s) = pop() else { preconditionFailure("v128 operands live in slots") }
        return s
    }

    func truncate(to height: Int) {
        stack.removeLast(stack.count - height)
        depths.removeLast(depths.count - height)
        reads.removeLast(reads.count - height)
        effects.removeLast(effects.count - height)
        childReads = .none
        childEffect = .pure
        wide.removeLast(wide.count - height)
        slotAt.removeLast(slotAt.count - height)
        childDepth = 0
    }

    /// Pushes values of the given types that are in their slots from the current height on.
    func pushSlots(_ types: [ValueType]) {
        for t in types { push(.slot(slot(ofHeight: stack.count)), wide: t == .v128) }
    }

    func node(_ fn: NodeFn, _ a: UInt64 = 0, _ b: UInt64 = 0, _ c: UInt64 = 0, _ d: UInt64 = 0) -> NodeP {
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

    /// The kind letters (s slot, c constant, e expression) and node words of operands that a
    /// node reads itself (`select_<kinds>`, `call_<kinds>`).
    func operandWords(_ operands: some Collection<Operand>) -> (kinds: String, words: [UInt64]) {
        var kinds = "", words: [UInt64] = []
        for o in operands {
            switch o {
            case .slot(let s): kinds += "s"; words.append(UInt64(s))
            case .const(let v): kinds += "c"; words.append(v)
            case .expr(let e): kinds += "e"; words.append(word(e))
            }
        }
        return (kinds, words)
    }

    /// Appends a statement that continues with the next entry of the sequence. A slot copy
    /// right after another one (no label between them) joins it in one node.
    func emit(_ n: NodeP) {
        control[control.count - 1].ifBranch = nil
        if n.pointee.fn == fnWord(setSlotSlotNode), case .node(let prev, true)? = sequence.last,
           prev.pointee.fn == fnWord(setSlotSlotNode), lastBound != sequence.count {
            let m = UnsafeMutablePointer(mutating: prev)
            m.pointee.fn = fnWord(setSlotSlot2Node)
            m.pointee.c = n.pointee.a
            m.pointee.d = n.pointee.b
            return
        }
        sequence.append(.node(n, fallsThrough: true))
    }

    /// Appends a statement whose successors are all set by fixups (branches, returns, traps).
    func emitTerminal(_ n: NodeP) {
        sequence.append(.node(n, fallsThrough: false))
        control[control.count - 1].ifBranch = nil
    }

    func emitJump(_ t: Target) {
        sequence.append(.jump(t))
        control[control.count - 1].ifBranch = nil
    }

    func newLabel() -> Int {
        labels.append(nil)
        return labels.count - 1
    }

    /// Binds a label to the next entry of the sequence.
    func bind(_ label: Int) {
        labels[label] = sequence.count
        lastBound = sequence.count
    }

    /// A statement storing `o` in frame slot `target` (and the next one for a v128, which is
    /// always a slot pair; the copy order is safe for overlapping pairs).
    func store(_ o: Operand, to target: Int, wide isWide: Bool = false) {
        if isWide {
            guard case .slot(let s) = o else { preconditionFailure("v128 operands live in slots") }
            if s == target { return }
            if target < s {
                emit(node(setSlotSlotNode, UInt64(target), UInt64(s)))
                emit(node(setSlotSlotNode, UInt64(target + 1), UInt64(s + 1)))
            } else {
                emit(node(setSlotSlotNode, UInt64(target + 1), UInt64(s + 1)))
                emit(node(setSlotSlotNode, UInt64(target), UInt64(s)))
            }
            return
        }
        switch o {
        case .slot(let s): if s != target { emit(node(setSlotSlotNode, UInt64(target), UInt64(s))) }
        case .const(let v): emit(node(setSlotConstNode, UInt64(target), v))
        case .expr(let n):
            if FunctionTranslator.indexedAddressRoots.contains(n.pointee.fn), let ix = indexedAddress(o) {
                // An address kept for later (`p = base + (i << 2)`): one node computes it.
                emit(arena.node(fnWord(ix.hasBase ? setIndexedAddress_x : setIndexedAddress_y), ix.a, UInt64(target), 0,
                                ix.constant << 32, extra: [ix.shift]))
            } else if var v = setVariants[UInt(bitPattern: n.pointee.fn)] {
                var n = n
                if let form = v.slotForm, let m = operandFirst(n, form, into: target) {
                    n = m
                    v = setVariants[UInt(bitPattern: m.pointee.fn)]!
                }
                // The op writes the slot itself: one node, one call fewer per execution. The
                // expression node had one user (this operand), so it is rewritten in place.
                let m = UnsafeMutablePointer(mutating: n)
                m.pointee.fn = fnWord(v.fn)
                switch v.slotField {
                case .b: m.pointee.b = UInt64(target)
                case .d: m.pointee.d = UInt64(target)
                case .c: m.pointee.c = UInt64(target)
                case .bHigh: m.pointee.b |= UInt64(target) << 32
                }
                emit(n)
            } else {
                emit(node(setSlotExprNode, UInt64(target), word(n)))
            }
        }
    }

    /// An operation about to be evaluated into `target` whose one expression operand has a
    /// statement form, as the operation's slot form (`SlotForm`) reading that operand from
    /// `target`, after a statement evaluating the operand into `target` (emitted here). The
    /// operand is evaluated right before the operation either way, so nothing can tell; the
    /// operation's other operand must not be `target`, which the operand's statement
    /// overwrites. This catches the children that stayed whole when their parent was made
    /// (`c * mem[k]`, kept for a read-modify-write that did not come: nbody's `set_f64Mul_ec`,
    /// 23 instructions of its own against 8 for `_sc`, since a child is called with the node's
    /// registers saved; the operand of a unary operation). Nil when `n` has no slot form or its
    /// operand no statement form.
    func operandFirst(_ n: NodeP, _ form: SlotForm, into target: Int) -> NodeP? {
        let p = n.pointee
        let operand = form.operandInB ? p.b : p.a
        let other = form.operandInB ? p.a : p.b
        guard setVariants[UInt(bitPattern: operand.node.pointee.fn)] != nil,
              !(form.otherIsSlot && other == UInt64(target)) else { return nil }
        store(.expr(operand.node), to: target)
        return form.operandInB ? node(form.fn, p.a, UInt64(target), p.c, p.d)
            : node(form.fn, UInt64(target), p.b, p.c, p.d)
    }

    /// Puts the operand at height h into its own slot.
    func materialize(_ h: Int) {
        let target = slot(ofHeight: h)
        if stack[h] == .slot(target) { return }
        store(stack[h], to: target, wide: wide[h])
        stack[h] = .slot(target)
        depths[h] = 0
        reads[h] = SlotSpan(slot: target, wide: wide[h])
        effects[h] = .pure
    }

    /// Whether the pending expression at height h may be evaluated into its slot now, ahead of
    /// pending expressions below it, which the invariant would otherwise evaluate first: when
    /// no other entry reads that slot (a parent below may read a spill slot above its own
    /// height, from an operand flattened earlier) and the move is unobservable (`Effect`:
    /// a pure expression moves past anything, a load past other loads and pure expressions).
    /// This lets an operand become a statement without forcing the expressions below into
    /// slots too, which would undo their own fusion (a read-modify-write's load, say).
    func evaluatesEarly(_ h: Int) -> Bool {
        let span = SlotSpan(slot: slot(ofHeight: h), wide: wide[h])
        for j in stack.indices where j != h {
            if reads[j].overlaps(span) { return false }
            if j < h, case .expr = stack[j], !effects[h].commutes(with: effects[j]) { return false }
        }
        return true
    }

    /// What evaluating node `n` itself may do besides computing its value (its children are
    /// accounted for by the operands they were made from).
    func effect(of n: NodeP) -> Effect {
        if let v = setVariants[UInt(bitPattern: n.pointee.fn)] { return v.effect }
        switch n.pointee.fn {
        case fnWord(slotNode), fnWord(constNode): return .pure
        case fnWord(globalGetNode): return .read
        default: return .other
        }
    }

    /// Whether a `local.set` of the local at `slot`, whose value (just popped) has effect
    /// `valueEffect`, may be evaluated ahead of the pending expressions on the stack, leaving
    /// them pending: none of them reads that local, the value's evaluation commutes with each
    /// (`Effect`), and each pending read of the local may be copied to its slot ahead of them
    /// (`evaluatesEarly`). A `local.tee` inside an expression (nbody's `dx`, `d2`) then no longer
    /// forces the operands below it into slots, which would split their trees and the
    /// read-modify-write that a load below may still become.
    func setKeepsPending(_ slot: Int, wide: Bool, valueEffect: Effect) -> Bool {
        let local = SlotSpan(local: slot, wide: wide)
        for j in stack.indices {
            switch stack[j] {
            case .expr:
                if reads[j].readsLocal(of: local) || !valueEffect.commutes(with: effects[j]) { return false }
            case .slot(let s) where s == slot:
                if !evaluatesEarly(j) { return false }
            default: break
            }
        }
        return true
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
            case .slot(let s) where s >= localSlots: break
            default: materialize(h)
            }
        }
    }

    // MARK: - Driver

    func compile() throws(Trap) -> NodeP {
        let body = module.codes[functionIndex - module.importedFunctionCount]
        control.append(ControlFrame(kind: .function, label: newLabel(), base: 0, params: 0, results: type.results.count))
        var reader = InstructionReader(module: module, body: body)
        while !reader.isAtEnd {
            let ins: Instruction
            do { ins = try reader.next() } catch { throw .unsupported }  // validated: cannot happen
            if let entry = try translate(ins, reader) { return entry }
        }
        throw .unsupported
    }

    func blockSignature(_ bt: BlockType) -> ([ValueType], [ValueType]) {
        switch bt {
        case .empty: return ([], [])
        case .value(let t): return ([], [t])
        case .typeIndex(let i):
            let t = module.types[Int(i)]
            return (t.params, t.results)
        }
    }

    /// Translates one instruction; returns the entry node once the function's final `end` is seen.
    func translate(_ ins: Instruction, _ reader: InstructionReader) throws(Trap) -> NodeP? {
        if control[control.count - 1].unreachable {
            switch ins.op {
            case .block, .loop, .if, .tryTable:
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
            emitTerminal(node(unreachableNode))
            markUnreachable()
        case .block, .loop, .if: enterLabel(ins)
        case .else: enterElse()
        case .end: return endLabel()
        case .br: branch(depth: Int(ins.index))
        case .return: returnValues()
        case .brIf: branchIf(depth: Int(ins.index))
        case .brTable: branchTable(reader.targets(of: ins))
        case .call: if try !inlinedCall(Int(ins.index)) { call(Int(ins.index)) }
        case .callIndirect: callIndirect(typeIndex: Int(ins.index), table: Int(ins.index2))
        case .tryTable: enterTryTable(ins, reader.catches(of: ins))
        case .throw:
            let count = module.types[Int(module.tagTypeIndex(Int(ins.index)))].params.count
            argumentsToSlots(count)
            let height = stack.count - count
            truncate(to: height)
            emitTerminal(node(throwNode, instanceWord, UInt64(ins.index), UInt64(slot(ofHeight: height)), UInt64(count)))
            markUnreachable()
        case .throwRef:
            let v = pop()
            flushExpressions()
            emitTerminal(node(throwRefNode, instanceWord, word(expr(v))))
            markUnreachable()
        case .returnCall: returnCall(Int(ins.index))
        case .returnCallIndirect: returnCallIndirect(typeIndex: Int(ins.index), table: Int(ins.index2))
        case .callRef: callRef(typeIndex: Int(ins.index))
        case .returnCallRef: returnCallRef(typeIndex: Int(ins.index))
        case .brOnNull:
            // The reference gets its own slot: the branch tests it there and, not taken,
            // leaves it on the stack as a non-null reference.
            argumentsToSlots(1)
            let r = pop()
            push(.expr(node(refIsNullNode, word(expr(r)))))
            branchIf(depth: Int(ins.index))
            push(r)
        case .brOnNonNull:
            // Taken, the reference is the last value the label receives; not taken, it is dropped.
            argumentsToSlots(1)
            let r = pop()
            push(r)
            push(.expr(node(refIsNonNullNode, word(expr(r)))))
            branchIf(depth: Int(ins.index))
            _ = pop()
        case .drop:
            let v = pop()
            if case .expr(let n) = v {
                flushExpressions()
                emitDiscarding(n)
            }
        case .select, .selectT:
            let cond = pop()
            if wide[wide.count - 1] { selectV128(cond); break }
            let b = pop(), a = pop()
            // A slot or constant value is read by the node itself, not by a child node.
            let (kinds, words) = operandWords([a, b])
            push(.expr(node(selectVariant(kinds)!, words[0], words[1], word(expr(cond)))))
        case .localGet: push(.slot(localSlot[Int(ins.index)]), wide: localWide[Int(ins.index)])
        case .localSet, .localTee:
            let i = Int(ins.index)
            let valueEffect = effects[effects.count - 1]
            let v = pop()
            if !setKeepsPending(localSlot[i], wide: localWide[i], valueEffect: valueEffect) { flushExpressions() }
            flushReads(ofLocal: localSlot[i])
            store(v, to: localSlot[i], wide: localWide[i])
            if ins.op == .localTee { push(.slot(localSlot[i]), wide: localWide[i]) }
        case .globalGet:
            let g = instance.globals[Int(ins.index)]
            if g.type.valueType == .v128 { globalGetV128(g); break }
            push(.expr(node(globalGetNode, UInt64(pointer: g.cell))))
        case .globalSet:
            let g = instance.globals[Int(ins.index)]
            if g.type.valueType == .v128 { globalSetV128(g); break }
            // An expression with a statement form goes into its slot first: that statement
            // and a slot copy cost less than a node evaluating a child (docs/engine.md).
            if case .expr(let e) = stack[stack.count - 1], setVariants[UInt(bitPattern: e.pointee.fn)] != nil {
                flushExpressions()
            }
            let v = pop()
            flushExpressions()
            switch v {
            case .slot(let s): emit(node(globalSetSlotNode, UInt64(pointer: g.cell), UInt64(s)))
            case .const(let k): emit(node(globalSetConstNode, UInt64(pointer: g.cell), k))
            case .expr(let e): emit(node(globalSetNode, UInt64(pointer: g.cell), word(e)))
            }
        case .i32Const: push(.const(UInt64(UInt32(truncatingIfNeeded: ins.value))))
        case .f32Const: push(.const(UInt64(UInt32(truncatingIfNeeded: ins.value))))
        case .i64Const, .f64Const: push(.const(ins.value))
        case .memorySize: push(.expr(node(memorySizeNode, memoryState(ins.memIndex))))
        case .memoryGrow:
            let delta = pop()
            let fn = width(memoryIs64(ins.memIndex), memoryGrowNode, memoryGrow64Node)
            push(.expr(node(fn, instanceWord, UInt64(ins.memIndex), word(expr(delta)))))
        case .memoryFill:
            let n = pop(), v = pop(), d = pop()
            flushExpressions()
            let fn = width(memoryIs64(ins.memIndex), memoryFillNode, memoryFill64Node)
            emit(node(fn, memoryState(ins.memIndex), word(expr(d)), word(expr(v)), word(expr(n))))
        case .memoryCopy:
            let n = pop(), s = pop(), d = pop()
            flushExpressions()
            let dst = ins.memIndex, src = ins.index2
            if dst == src && !memoryIs64(dst) {
                emit(node(memoryCopyNode, memoryState(dst), word(expr(d)), word(expr(s)), word(expr(n))))
            } else {
                let record = arena.words([memoryState(dst), memoryState(src), memoryIs64(dst) ? 1 : 0, memoryIs64(src) ? 1 : 0])
                emit(node(memoryCopyAnyNode, UInt64(pointer: record), word(expr(d)), word(expr(s)), word(expr(n))))
            }
        case .memoryInit:
            bulk(width(memoryIs64(ins.memIndex), memoryInitNode, memoryInit64Node), UInt64(ins.index), UInt64(ins.memIndex))
        case .dataDrop:
            flushExpressions()
            emit(node(dataDropNode, instanceWord, UInt64(ins.index)))
        case .tableInit:
            bulk(width(tableIs64(ins.index2), tableInitNode, tableInit64Node), UInt64(ins.index), UInt64(ins.index2))
        case .elemDrop:
            flushExpressions()
            emit(node(elemDropNode, instanceWord, UInt64(ins.index)))
        case .tableCopy:
            bulk(tableCopyNode, UInt64(ins.index), UInt64(ins.index2))
        case .tableFill:
            bulk(width(tableIs64(ins.index), tableFillNode, tableFill64Node), UInt64(ins.index), 0)
        case .tableGet:
            let i = pop()
            push(.expr(node(width(tableIs64(ins.index), tableGetNode, tableGet64Node), tableState(ins.index), word(expr(i)))))
        case .tableSet:
            let v = pop(), i = pop()
            flushExpressions()
            emit(node(width(tableIs64(ins.index), tableSetNode, tableSet64Node), tableState(ins.index), word(expr(i)), word(expr(v))))
        case .tableSize: push(.expr(node(tableSizeNode, tableState(ins.index))))
        case .tableGrow:
            let delta = pop(), initial = pop()
            push(.expr(node(width(tableIs64(ins.index), tableGrowNode, tableGrow64Node), instanceWord, UInt64(ins.index), word(expr(initial)), word(expr(delta)))))
        case .refNull: push(.const(0))
        case .refIsNull:
            let v = pop()
            push(.expr(node(refIsNullNode, word(expr(v)))))
        case .refFunc: push(.const(UInt64(pointer: instance.functions[Int(ins.index)].record)))
        case .refAsNonNull:
            let v = pop()
            push(.expr(node(refAsNonNullNode, word(expr(v)))))
        default:
            if let nodes = binaryNodes(ins.op) { binary(nodes, ins.op) }
            else if let nodes = unaryNodes(ins.op) { unary(nodes) }
            else if isReinterpret(ins.op) { break }  // same bits, other type
            else if let nodes = loadNodes(ins.op) { load(nodes, ins.memOffset, memory: ins.memIndex) }
            else if let nodes = storeNodes(ins.op) { storeInstruction(nodes, ins.memOffset, memory: ins.memIndex, size: ins.op.storeSize) }
            else if try simd(ins) {}
            else { throw .unsupported }  // validated: cannot happen
        }
        return nil
    }

    func tableState(_ index: UInt32) -> UInt64 { UInt64(pointer: instance.tables[Int(index)].state) }
    /// The node for a 32-bit or a 64-bit memory or table.
    func width(_ is64: Bool, _ narrow: NodeFn, _ wide: NodeFn) -> NodeFn { is64 ? wide : narrow }
    func tableIs64(_ index: UInt32) -> Bool { instance.tables[Int(index)].type.is64 }
    /// Memory 0's state is kept in `memory0State`; every memory's nodes are the same code,
    /// given the memory's state pointer.
    func memoryState(_ index: UInt32) -> UInt64 {
        index == 0 ? memory0State : UInt64(pointer: instance.memories[Int(index)].state)
    }
    func memoryIs64(_ index: UInt32) -> Bool { instance.memories[Int(index)].type.is64 }
    /// Bit 63 of a SIMD access node's wide field: set for a 64-bit memory (`simdAddress`).
    func simdWide(_ index: UInt32) -> UInt64 { memoryIs64(index) ? 1 << 63 : 0 }

    /// A three-operand bulk statement whose node needs [instance, immediate, immediate].
    func bulk(_ fn: NodeFn, _ imm1: UInt64, _ imm2: UInt64) {
        let n = pop(), s = pop(), d = pop()
        flushExpressions()
        let record = arena.words([instanceWord, imm1, imm2])
        emit(node(fn, UInt64(pointer: record), word(expr(d)), word(expr(s)), word(expr(n))))
    }

    // MARK: - Numeric operators and memory access

    func binary(_ nodes: BinaryNodes, _ op: Opcode) {
        let top = stack.count - 1
        if let fused = shiftAnd(nodes) { return push(.expr(fused)) }
        if let fused = fusedPair(nodes) { return push(.expr(fused)) }
        if let fused = loadOperand(op) { return push(.expr(fused)) }
        let l: NodeP? = if case .expr(let n) = stack[top - 1] { n } else { nil }
        let r: NodeP? = if case .expr(let n) = stack[top] { n } else { nil }
        if flattens(nodes, left: l, right: r) {
            switch (l, r) {
            case (.some, .some):
                if evaluatesEarly(top - 1) {
                    materialize(top - 1)
                    if evaluatesEarly(top) { materialize(top) } else { flushExpressions() }
                } else {
                    flushExpressions()
                }
            case (.some, nil): if evaluatesEarly(top - 1) { materialize(top - 1) }
            case (nil, .some): if evaluatesEarly(top) { materialize(top) }
            case (nil, nil): break
            }
        }
        var b = pop(), a = pop()
        if case .const = a, nodes.commutative { swap(&a, &b) }
        if case .const(let k) = a, case .slot(let y) = b, let cs = nodes.cs { return push(.expr(node(cs, k, UInt64(y)))) }
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

    /// A float add, sub or mul of a slot and a pending load at an address an address kind
    /// takes (`x - p->x`), as one node that loads and computes (`f64SubLoadR_p`, ...;
    /// gen-nodes.py), popping both operands; nil for any other operation or shape. The load
    /// is evaluated where the operation is, as a child would be. A load a read-modify-write
    /// may take (it reads the address below, where the result may be stored) is left to it.
    func loadOperand(_ op: Opcode) -> NodeP? {
        let size: Int
        switch op {
        case .f32Add, .f32Sub, .f32Mul: size = 4
        case .f64Add, .f64Sub, .f64Mul: size = 8
        default: return nil
        }
        let top = stack.count - 1
        let (left, right): (Operand, Operand) = (stack[top - 1], stack[top])
        // A reinterpreted narrower load (`f64.reinterpret_i64 (i64.load32_u)`) is the load's own
        // node: only a load of the float's full width is taken.
        for (l, s, loadLeft) in [(left, right, true), (right, left, false)] {
            guard case .expr(let n) = l, case .slot(let slot) = s, let shape = FunctionTranslator.loadShape(of: n),
                  shape.size == size, let fn = loadOperandNode(op, loadLeft: loadLeft, kind: shape.kind),
                  !readsStoreAddress(n) else { continue }
            _ = pop()
            _ = pop()
            return arena.node(fnWord(fn), n.pointee.a, UInt64(slot), n.pointee.c, n.pointee.d,
                              extra: FunctionTranslator.wideWords(of: n, shape))
        }
        return nil
    }

    /// `(x >> k) & m` of a slot and two constants as one bit-field node (scripts/gen-nodes.py,
    /// SHIFT_AND), popping both operands; nil for any other operation or shape.
    func shiftAnd(_ nodes: BinaryNodes) -> NodeP? {
        let op = fnWord(nodes.ee)
        guard op == fnWord(i32And_ee) || op == fnWord(i64And_ee) else { return nil }
        let shr = op == fnWord(i32And_ee) ? fnWord(i32ShrU_sc) : fnWord(i64ShrU_sc)
        let top = stack.count - 1
        let (e, m): (Operand, Operand) = if case .const = stack[top] { (stack[top - 1], stack[top]) } else { (stack[top], stack[top - 1]) }
        guard case .expr(let n) = e, n.pointee.fn == shr, case .const(let mask) = m else { return nil }
        _ = pop(); _ = pop()
        return node(op == fnWord(i32And_ee) ? i32ShrUAnd_s : i64ShrUAnd_s, n.pointee.a, n.pointee.b, mask)
    }

    /// `(x op1 y) op2 z` or `z op2 (x op1 y)` with z a slot and op1 an operation of slots, or
    /// of a slot and a constant, that has a fused pair with op2 (`chainNodes`: float add, sub
    /// and mul; integer add, sub, and, or, xor around the common integer operations): one node
    /// where the inner operation would be flattened into its slot and read back. The inner
    /// operation is still pending, so it is evaluated where the pair is, as it would have been
    /// as a child: it reads only slots and constants and has no effect, so that is the same.
    /// When both operands are pending expressions and one of them is such an inner operation,
    /// the other is evaluated into its slot first if that move cannot be seen (as `binary`
    /// would flatten it) and becomes z.
    func fusedPair(_ nodes: BinaryNodes) -> NodeP? {
        let top = stack.count - 1
        func pair(_ inner: NodeP) -> (left: NodeFn, right: NodeFn)? {
            guard let pair = chainNodes[ChainKey(outer: fnWord(nodes.ss), inner: inner.pointee.fn)] else { return nil }
            // A sum that is an indexed address stays one for the load or store that takes it.
            if fnWord(nodes.ss) == fnWord(i32Add_ss), indexedAddress(summing: [word(inner)]) != nil { return nil }
            return pair
        }
        if case .expr(let l) = stack[top - 1], case .expr(let r) = stack[top] {
            guard flattens(nodes, left: l, right: r) else { return nil }
            if pair(r) != nil, evaluatesEarly(top - 1) { materialize(top - 1) }
            else if pair(l) != nil, evaluatesEarly(top) { materialize(top) }
            else { return nil }
        }
        let (inner, z, onLeft): (NodeP, Int, Bool)
        switch (stack[top - 1], stack[top]) {
        case (.expr(let n), .slot(let s)): (inner, z, onLeft) = (n, s, true)
        case (.slot(let s), .expr(let n)): (inner, z, onLeft) = (n, s, false)
        default: return nil
        }
        guard let fused = pair(inner) else { return nil }
        _ = pop(); _ = pop()
        return node(onLeft ? fused.left : fused.right, inner.pointee.a, inner.pointee.b, UInt64(z))
    }

    /// Whether an operation evaluates its pending expression operands (`left`, `right`; nil
    /// for a slot or constant) into their slots first, as statements, rather than calling them
    /// as children. A child call keeps the node, frame and context (and a first result) across
    /// a native call: an `_ee` node saves and restores four registers, 21 instructions of its
    /// own, an `_se` statement 23 to 29; a `set_` statement over slots is about 9 and ends in
    /// a threaded jump, and the operation then reads slots itself (`_ss`). Long operator chains
    /// (hashes, checksums, bit packing) run measurably faster this way (docs/engine.md,
    /// "Specialisation"); so do the public programs measured for it (Lua, SQLite, sightglass),
    /// although a chain of one-cycle integer operations can be faster with its values passed
    /// in registers (sha256). A single operand next to a slot or constant is flattened when
    /// the move cannot be seen (`evaluatesEarly`); two are, or else every pending expression
    /// is evaluated first. Only operands that have a statement form (`setVariants`:
    /// operators, loads, direct calls of one to three arguments) count: any other one would
    /// be a set node calling it, no cheaper. Two kinds of tree stay whole, because a parent
    /// fuses them better: a load operand of an operation that has a read-modify-write form
    /// (a store at the load's address may take both), and the terms of an `i32.add` that is
    /// an indexed address (a load or store takes it as address kind x or y).
    func flattens(_ nodes: BinaryNodes, left l: NodeP?, right r: NodeP?) -> Bool {
        func hasStatementForm(_ n: NodeP?) -> Bool { n.map { setVariants[UInt(bitPattern: $0.pointee.fn)] != nil } ?? true }
        guard l != nil || r != nil, hasStatementForm(l), hasStatementForm(r) else { return false }
        let op = fnWord(nodes.ee)
        if l.map(readsStoreAddress) == true || nodes.commutative && r.map(readsStoreAddress) == true,
           FunctionTranslator.rmwOperations.contains(where: { $0.fn == op }) { return false }
        if op == fnWord(i32Add_ee), indexedAddress(summing: [l, r].compactMap { $0.map(word) }) != nil { return false }
        return true
    }

    /// Whether `n` is a load from the address that a store of the operation's result would
    /// take: the operand below the operation's two (for a constant address, any constant).
    func readsStoreAddress(_ n: NodeP) -> Bool {
        guard stack.count >= 3, let shape = FunctionTranslator.loadShape(of: n) else { return false }
        let address = stack[stack.count - 3]
        if shape.kind == "k" { if case .const = address { return true } else { return false } }
        guard let f = addressFields(address, offset: n.pointee.d & 0xFFFF_FFFF) else { return false }
        return FunctionTranslator.load(n, shape, reads: f)
    }

    func unary(_ nodes: UnaryNodes) {
        switch pop() {
        case .slot(let x): push(.expr(node(nodes.s, UInt64(x))))
        case let o: push(.expr(node(nodes.e, word(expr(o)))))
        }
    }

    func load(_ nodes: LoadNodes, _ offset: UInt64, memory: UInt32) {
        let state = memoryState(memory)
        if memoryIs64(memory) {
            push(.expr(node(nodes.w, word(expr(pop())), 0, state, offset)))
            return
        }
        let top = stack.count - 1
        var fields = addressFields(stack[top], offset: offset)
        // An address that no address kind takes (a load, an and) but that has a statement form
        // goes into its slot when that cannot be seen (`evaluatesEarly`): `set_<load>_s` reads
        // the slot, where the `_e` form calls the address with its registers saved (31
        // instructions of its own against 16; Lua's pointer chasing).
        if fields == nil, case .expr(let n) = stack[top], setVariants[UInt(bitPattern: n.pointee.fn)] != nil,
           evaluatesEarly(top) {
            materialize(top)
            fields = addressFields(stack[top], offset: offset)
        }
        let a = pop()
        guard let f = fields else {
            push(.expr(node(nodes.e, word(expr(a)), 0, state, offset)))
            return
        }
        let fn: NodeFn
        switch f.kind {
        case "s": fn = nodes.s
        case "p": fn = nodes.p
        case "k": fn = nodes.k
        case "x": fn = nodes.x
        default: fn = nodes.y
        }
        push(.expr(arena.node(fnWord(fn), f.a, 0, state, f.d, extra: FunctionTranslator.wideWords(f))))
    }

    /// An address operand `slot + constant` (an unevaluated i32Add_sc): its slot and constant,
    /// for the memory nodes of address kind p, which add them (wrapping at 32 bits) themselves.
    func slotPlusConstant(_ o: Operand) -> (UInt64, UInt64)? {
        guard case .expr(let n) = o, n.pointee.fn == fnWord(i32Add_sc) else { return nil }
        return (n.pointee.a, UInt64(UInt32(truncatingIfNeeded: n.pointee.b)))
    }

    /// An address `base + (index << k) + constant` or `(index << k) + constant`, for the memory
    /// nodes of address kinds x and y, which compute it themselves (scripts/gen-nodes.py).
    struct IndexedAddress {
        var hasBase: Bool
        /// Kind x: the base slot, and the index slot in the high half; kind y: the index slot.
        var a: UInt64
        var shift: UInt64
        var constant: UInt64
    }

    /// The address operand as an indexed address, if it is a tree of i32.add and i32.shl nodes
    /// not evaluated yet whose leaves are at most two slots (at most one of them shifted by a
    /// constant) and constants. Every step of such a tree wraps at 32 bits, so the sum in any
    /// order is the same; reading the slots in one node instead of several changes nothing,
    /// as slot reads have no effect and cannot trap.
    func indexedAddress(_ o: Operand) -> IndexedAddress? {
        guard case .expr(let root) = o else { return nil }
        return indexedAddress(summing: [word(root)])
    }

    /// The roots of indexed-address trees that `setIndexedAddress_x/y` computes better than the
    /// root's own statement form: sums with a child (a plain `slot + slot`, `slot + constant` or
    /// `slot << k` is one leaf node anyway).
    static let indexedAddressRoots: [UnsafeRawPointer] = [fnWord(i32Add_se), fnWord(i32Add_es), fnWord(i32Add_ec), fnWord(i32Add_ee)]

    /// The indexed address that is the 32-bit sum of these expression trees, if it is one.
    func indexedAddress(summing roots: [UInt64]) -> IndexedAddress? {
        var terms: [(slot: UInt64, shift: UInt64)] = []
        var constant: UInt32 = 0
        func slot(_ s: UInt64, shift: UInt64 = 0) -> Bool {
            terms.append((s, shift & 31))
            return terms.count <= 2 && s <= UInt64(UInt32.max)
        }
        func tree(_ w: UInt64, _ depth: Int) -> Bool {
            guard depth < 8 else { return false }
            let p = w.node.pointee
            switch p.fn {
            case fnWord(i32Add_ss): return slot(p.a) && slot(p.b)
            case fnWord(i32Add_sc):
                constant &+= UInt32(truncatingIfNeeded: p.b)
                return slot(p.a)
            case fnWord(i32Add_se): return slot(p.a) && tree(p.b, depth + 1)
            case fnWord(i32Add_es): return tree(p.a, depth + 1) && slot(p.b)
            case fnWord(i32Add_ec):
                constant &+= UInt32(truncatingIfNeeded: p.b)
                return tree(p.a, depth + 1)
            case fnWord(i32Add_ee): return tree(p.a, depth + 1) && tree(p.b, depth + 1)
            case fnWord(i32Shl_sc): return slot(p.a, shift: p.b)
            case fnWord(slotNode): return slot(p.a)
            case fnWord(constNode):
                constant &+= UInt32(truncatingIfNeeded: p.a)
                return true
            default: return false
            }
        }
        guard roots.allSatisfy({ tree($0, 0) }) else { return nil }
        let k = UInt64(constant)
        switch terms.count {
        case 1: return IndexedAddress(hasBase: false, a: terms[0].slot, shift: terms[0].shift, constant: k)
        case 2:
            // The base is a term that is not shifted; the other one is the index.
            let (base, index) = terms[0].shift == 0 ? (terms[0], terms[1]) : (terms[1], terms[0])
            guard base.shift == 0 else { return nil }
            return IndexedAddress(hasBase: true, a: base.slot | index.slot << 32, shift: index.shift, constant: k)
        default: return nil
        }
    }

    /// The slots a 32-bit address operand reads, if it reads nothing but slots and constants
    /// (kinds s, k, p, x, y).
    func addressSlots(_ a: Operand) -> [UInt64]? {
        guard let f = addressFields(a, offset: 0) else { return nil }
        switch f.kind {
        case "k": return []
        case "x": return [f.a & 0xFFFF_FFFF, f.a >> 32]
        default: return [f.a]
        }
    }

    /// The address operand as a memory node's address kind and fields (a; d, the offset word;
    /// e, the wide word of kinds p, x and y): the kinds loads and read-modify-write nodes take.
    func addressFields(_ a: Operand, offset: UInt64) -> (kind: Character, a: UInt64, d: UInt64, e: UInt64)? {
        if case .const(let k) = a { return ("k", 0, UInt64(UInt32(truncatingIfNeeded: k)) + offset, 0) }
        if case .slot(let s) = a { return ("s", UInt64(s), offset, 0) }
        if let (x, k) = slotPlusConstant(a) { return ("p", x, offset, k) }
        if let ix = indexedAddress(a) { return (ix.hasBase ? "x" : "y", ix.a, offset | ix.constant << 32, ix.shift) }
        return nil
    }

    /// A load's node function, the bytes it reads and its address kind (s, p, x, y or k).
    struct LoadShape {
        var fn: UnsafeRawPointer
        var size: Int
        var kind: Character
    }

    /// An operation a read-modify-write node applies: the function of its node with the load
    /// as one operand, its name, the kind of the other operand (v) and which operand the load
    /// is (`loadLeft`; false only for commutative operations: the node's value kind is then
    /// `f` for an expression v, which the node evaluates before loading, and `r` for a float
    /// operation's slot v; see gen-nodes.py).
    struct RMWOperation {
        var fn: UnsafeRawPointer
        var op: String
        var kind: Character
        var loadLeft = true
    }

    /// Small tables searched in order (a few dozen entries; only for a store whose value is
    /// an expression): no hashing to build them.
    static let loadShapes: [LoadShape] = {
        let sizes: [(Opcode, Int)] = [(.i32Load, 4), (.i64Load, 8), (.f32Load, 4), (.f64Load, 8), (.i32Load8S, 1),
                                      (.i32Load8U, 1), (.i32Load16S, 2), (.i32Load16U, 2), (.i64Load8S, 1), (.i64Load8U, 1),
                                      (.i64Load16S, 2), (.i64Load16U, 2), (.i64Load32S, 4), (.i64Load32U, 4)]
        var shapes: [LoadShape] = []
        for (op, size) in sizes {
            let n = loadNodes(op)!
            shapes.append(LoadShape(fn: fnWord(n.s), size: size, kind: "s"))
            shapes.append(LoadShape(fn: fnWord(n.p), size: size, kind: "p"))
            shapes.append(LoadShape(fn: fnWord(n.x), size: size, kind: "x"))
            shapes.append(LoadShape(fn: fnWord(n.y), size: size, kind: "y"))
            shapes.append(LoadShape(fn: fnWord(n.k), size: size, kind: "k"))
        }
        return shapes
    }()

    static let loadShapeTable = [UInt: LoadShape](loadShapes.map { (UInt(bitPattern: $0.fn), $0) }, uniquingKeysWith: { first, _ in first })
    static func loadShape(of n: NodeP) -> LoadShape? { loadShapeTable[UInt(bitPattern: n.pointee.fn)] }

    /// Whether a load of this shape reads the address of these memory-node fields (kind, a, d,
    /// and e for kinds x and y; `addressFields`): the same slots, constants and offset.
    static func load(_ n: NodeP, _ shape: LoadShape, reads f: (kind: Character, a: UInt64, d: UInt64, e: UInt64)) -> Bool {
        shape.kind == f.kind && n.pointee.a == f.a && n.pointee.d == f.d && wideWords(f).allSatisfy { n.e == $0 }
    }

    /// The wide word of a memory node with these address fields: `e` for kinds p, x and y
    /// (`addressFields`), none for s and k.
    static func wideWords(_ f: (kind: Character, a: UInt64, d: UInt64, e: UInt64)) -> [UInt64] {
        f.kind == "s" || f.kind == "k" ? [] : [f.e]
    }

    /// The wide word of a load node of this shape, for a node that takes over its address
    /// fields (a, c, d and this).
    static func wideWords(of load: NodeP, _ shape: LoadShape) -> [UInt64] {
        shape.kind == "s" || shape.kind == "k" ? [] : [load.e]
    }

    static let rmwOperations: [RMWOperation] = {
        var ops: [RMWOperation] = []
        for (code, name) in [(Opcode.i32Add, "Add"), (.i64Add, "Add"), (.i32Sub, "Sub"), (.i64Sub, "Sub"), (.i32And, "And"),
                             (.i64And, "And"), (.i32Or, "Or"), (.i64Or, "Or"), (.i32Xor, "Xor"), (.i64Xor, "Xor"),
                             (.f32Add, "F32Add"), (.f32Sub, "F32Sub"), (.f32Mul, "F32Mul"),
                             (.f64Add, "F64Add"), (.f64Sub, "F64Sub"), (.f64Mul, "F64Mul")] {
            let n = binaryNodes(code)!
            ops.append(RMWOperation(fn: fnWord(n.es), op: name, kind: "s"))
            ops.append(RMWOperation(fn: fnWord(n.ec), op: name, kind: "c"))
            ops.append(RMWOperation(fn: fnWord(n.ee), op: name, kind: "e"))
            if n.commutative {
                // A float operation keeps its operand order (NaN payloads): its own kind r.
                ops.append(RMWOperation(fn: fnWord(n.se), op: name, kind: name.hasPrefix("F") ? "r" : "s", loadLeft: false))
                ops.append(RMWOperation(fn: fnWord(n.ee), op: name, kind: "f", loadLeft: false))
            }
        }
        return ops
    }()

    /// `store (a) (op (load (a)) v)`, the load reading the store's bytes at the store's own
    /// address (the same kind and fields: slots, constants, offset, memory): one node that checks
    /// the address once, loads, applies op and stores (scripts/gen-nodes.py). v is evaluated
    /// where the unfused code evaluates it: after a left load, before a right one (kind f, see
    /// `RMWOperation`). The store keeps the low bytes
    /// only, which the operation computes the same from a narrow load, however it extended.
    /// An expression v that has a statement form is evaluated into a slot first, as a
    /// statement, where that keeps the order that can be seen: always for a right load (v
    /// comes first anyway), and for a left load when v only computes or reads memory
    /// (`valueEffect`, the whole value tree's effect), which commutes with the node's load.
    /// The node then reads v's slot instead of calling it with its registers saved (nbody's
    /// `v -= dx * mag`: 39 instructions of its own against 13 for a slot).
    func readModifyWrite(size: Int, address: Operand, value: Operand, offset: UInt64, state: UInt64,
                         valueEffect: Effect, valueReads: SlotSpan) -> NodeP? {
        guard case .expr(let opNode) = value, let f = addressFields(address, offset: offset) else { return nil }
        /// The load operand reads the store's own bytes.
        func matches(_ load: NodeP) -> Bool {
            guard let shape = FunctionTranslator.loadShape(of: load) else { return false }
            return shape.size == size && load.pointee.c == state && FunctionTranslator.load(load, shape, reads: f)
        }
        let extra = FunctionTranslator.wideWords(f)
        for operation in FunctionTranslator.rmwOperations where operation.fn == opNode.pointee.fn {
            let (load, v) = operation.loadLeft ? (opNode.pointee.a, opNode.pointee.b) : (opNode.pointee.b, opNode.pointee.a)
            guard matches(load.node), let fn = rmwNode(size: size, op: operation.op, kinds: String([f.kind, operation.kind]))
            else { continue }
            // A float value that is a product of slots (`v += a * b`, `v -= x * y * z`): the node
            // multiplies. The product is pure, so it may run after a left load or before a right one.
            if operation.kind == "e" || operation.kind == "f", let factors = FunctionTranslator.slotProduct(v.node, op: operation.op),
               let product = rmwProductNode(size: size, op: operation.op, factors: factors.count, loadLeft: operation.loadLeft, kind: f.kind) {
                var packed: UInt64 = 0
                for (i, s) in factors.enumerated() { packed |= s << (UInt64(i) * UInt64(rmwProductSlotBits)) }
                return arena.node(fnWord(product), f.a, packed, state, f.d, extra: extra)
            }
            let slotKind: Character = operation.loadLeft || !operation.op.hasPrefix("F") ? "s" : "r"
            if operation.kind == "e" && valueEffect.commutes(with: .read) || operation.kind == "f",
               let target = storeValueSlot(v.node, address: address),
               !valueReads.overlaps(SlotSpan(slot: target, wide: false)),
               let slotFn = rmwNode(size: size, op: operation.op, kinds: String([f.kind, slotKind])) {
                evaluate(v.node, into: target)
                return arena.node(fnWord(slotFn), f.a, UInt64(target), state, f.d, extra: extra)
            }
            return arena.node(fnWord(fn), f.a, v, state, f.d, extra: extra)
        }
        return nil
    }

    /// The slots whose product expression `e` is, left to right, if it is `x * y` or `(x * y) * z`
    /// of slots of the float type of read-modify-write operation `op` (F32... or F64...), each
    /// slot small enough to pack (`rmwProductSlotBits`).
    static func slotProduct(_ e: NodeP, op: String) -> [UInt64]? {
        let p = e.pointee
        let wide = op.hasPrefix("F64")
        guard op.hasPrefix("F") else { return nil }
        let factors: [UInt64]
        if p.fn == fnWord(wide ? f64Mul_ss : f32Mul_ss) {
            factors = [p.a, p.b]
        } else if p.fn == fnWord(wide ? f64MulMul_l : f32MulMul_l) {
            factors = [p.a, p.b, p.c]
        } else {
            return nil
        }
        return factors.allSatisfy({ $0 < 1 << UInt64(rmwProductSlotBits) }) ? factors : nil
    }

    /// The slot a store's value expression `e` is evaluated into ahead of the store, as a
    /// statement: the one above the address's slot, when `e` has a statement form and the
    /// address (slots and constants only) does not read that slot; nil otherwise.
    func storeValueSlot(_ e: NodeP, address: Operand) -> Int? {
        let target = slot(ofHeight: stack.count) + 1
        guard setVariants[UInt(bitPattern: e.pointee.fn)] != nil, let reads = addressSlots(address),
              !reads.contains(UInt64(target)) else { return nil }
        return target
    }

    /// Evaluates expression `e` into frame slot `target` (above the operand stack) as a statement.
    func evaluate(_ e: NodeP, into target: Int) {
        reserve(slotsTo: target + 1)
        store(.expr(e), to: target)
    }

    func storeInstruction(_ nodes: StoreNodes, _ offset: UInt64, memory: UInt32, size: Int) {
        let valueEffect = effects[effects.count - 1], valueReads = reads[reads.count - 1]
        var v = pop()
        var a = pop()
        flushExpressions()
        if !memoryIs64(memory), let n = readModifyWrite(size: size, address: a, value: v, offset: offset, state: memoryState(memory),
                                                        valueEffect: valueEffect, valueReads: valueReads) {
            return emit(n)
        }
        // A value expression with a statement form is evaluated into its slot first, as an
        // operation's operands are (`flattens`), when that keeps the program's order: the
        // address only reads slots and constants, none of them the value's slot (which may
        // be a spilled operand of the address). interp -5 % instructions.
        if !memoryIs64(memory), case .expr(let e) = v, let target = storeValueSlot(e, address: a) {
            evaluate(e, into: target)
            v = .slot(target)
        }
        let fn: NodeFn
        var aw: UInt64 = 0, vw: UInt64 = 0
        let state = memoryState(memory)
        if case .const(let k) = a, !memoryIs64(memory) {
            // A constant address: its sum with the offset (both below 2^32) is the access's.
            switch v {
            case .slot(let y): fn = nodes.ks; vw = UInt64(y)
            case .const(let y): fn = nodes.kc; vw = y
            case .expr(let y): fn = nodes.ke; vw = word(y)
            }
            return emit(node(fn, 0, vw, state, UInt64(UInt32(truncatingIfNeeded: k)) + offset))
        }
        if case .const = a { a = .expr(expr(a)) }
        if memoryIs64(memory) {
            aw = word(expr(a))
            switch v {
            case .slot(let y): fn = nodes.ws; vw = UInt64(y)
            case .const(let y): fn = nodes.wc; vw = y
            case .expr(let y): fn = nodes.we; vw = word(y)
            }
            return emit(node(fn, aw, vw, state, offset))
        }
        if let (x, k) = slotPlusConstant(a) {
            switch v {
            case .slot(let y): fn = nodes.ps; vw = UInt64(y)
            case .const(let y): fn = nodes.pc; vw = y
            case .expr(let y): fn = nodes.pe; vw = word(y)
            }
            let n = arena.node(fnWord(fn), x, vw, state, offset, extra: [k])
            emit(n)
            return noteStore(n, kind: "p", size: size, value: v)
        }
        if let ix = indexedAddress(a) {
            switch v {
            case .slot(let y): fn = ix.hasBase ? nodes.xs : nodes.ys; vw = UInt64(y)
            case .const(let y): fn = ix.hasBase ? nodes.xc : nodes.yc; vw = y
            case .expr(let y): fn = ix.hasBase ? nodes.xe : nodes.ye; vw = word(y)
            }
            let n = arena.node(fnWord(fn), ix.a, vw, state, offset | ix.constant << 32, extra: [ix.shift])
            emit(n)
            return noteStore(n, kind: ix.hasBase ? "x" : "y", size: size, value: v)
        }
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
        let n = node(fn, aw, vw, state, offset)
        emit(n)
        if case .slot = a { noteStore(n, kind: "s", size: size, value: v) }
    }

    /// A store statement as a counted loop may absorb it (`storeLoop`): its node, whose fields
    /// hold the address as `addressFields` describes them for its kind (s, p, x or y), the
    /// memory state (c) and the offset, and the bytes and value it stores.
    struct LoopStore {
        var node: NodeP
        var kind: Character
        var size: Int
        var value: Operand
    }

    /// Remembers the store just emitted for `storeLoop`, when its value is a slot or a constant.
    func noteStore(_ n: NodeP, kind: Character, size: Int, value: Operand) {
        if case .expr = value { return }
        lastStore = LoopStore(node: n, kind: kind, size: size, value: value)
    }

    /// A loop that is one store and its counter, `a[i] = v; i += k; br_if loop (i cmp n)` (a
    /// fill, a sieve's strided `composite[j] = 1`), as one node running both inside itself
    /// (`storeSelfLoop_<cond>`, Execute/LoopNodes.swift), in place of the store statement just
    /// before: the loop's first statement, with no label after it. The store's address must be
    /// linear in the counter x, once, and nothing else the loop reads may be x (the limit, the
    /// step, the other slot of the address), so that they are read once. The value may be x.
    func storeLoop(_ counter: CounterNodes, counter x: UInt64, limit: UInt64, update: Operand, head: Int) -> NodeP? {
        guard let fn = counter.storeSelf, let s = lastStore, labels[head] == sequence.count - 1,
              lastBound != sequence.count, case .node(let prev, true)? = sequence.last, prev == s.node,
              [1, 2, 4, 8].contains(s.size), !(counter.limitIsSlot && limit == x) else { return nil }
        let step: UInt64, stepIsSlot: UInt64
        switch update {
        case .const(let k): step = k; stepIsSlot = 0
        case .slot(let k) where UInt64(k) != x: step = UInt64(k); stepIsSlot = 1
        default: return nil
        }
        // The address as `(x << shift) + constant + (other << otherShift)`, read from the
        // store's fields (`addressFields`): kinds s and p are `a + e` (e = 0 for s) with the
        // offset in d; kinds x and y are `base + (index << e)` and `index << e` plus d's high
        // half, with base and index the halves of a (the index alone for y) and the offset in
        // d's low half.
        let f = s.node.pointee
        var shift: UInt64 = 0, constant: UInt64 = 0, offset = f.d, other: (slot: UInt64, shift: UInt64)?
        switch s.kind {
        case "s", "p":
            guard f.a == x else { return nil }
            if s.kind == "p" { constant = s.node.e }
        default:
            let (base, index) = s.kind == "x" ? (f.a & 0xFFFF_FFFF, f.a >> 32) : (StoreLoop.noSlot, f.a)
            guard (base == x) != (index == x) else { return nil }
            if index == x {
                shift = s.node.e
                if base != StoreLoop.noSlot { other = (base, 0) }
            } else {
                other = (index, s.node.e)
            }
            constant = f.d >> 32
            offset = f.d & 0xFFFF_FFFF
        }
        var valueKind = StoreLoop.ValueKind.constant, value: UInt64 = 0
        switch s.value {
        case .const(let v): value = v
        case .slot(let v): valueKind = UInt64(v) == x ? .counter : .slot; value = UInt64(v)
        case .expr: return nil
        }
        let record = StoreLoop(memory: f.c, offset: offset, size: UInt64(s.size), counterShift: shift,
                               addend: constant, addendSlot: other?.slot ?? StoreLoop.noSlot,
                               addendShift: other?.shift ?? 0, valueKind: valueKind.rawValue, value: value,
                               stepIsSlot: stepIsSlot, step: step)
        sequence.removeLast()
        lastStore = nil
        return arena.node(fnWord(fn), x, limit, extra: [UInt64(UInt(bitPattern: arena.words(record.words)))])
    }

    // MARK: - Calls

    /// Pushes a call's result(s): one result stays a deferred expression; none or several
    /// make the call a statement, with several results left in the slots from `base` on.
    func finishCall(_ call: NodeP, results: [ValueType]) {
        if results.count == 1 && results[0] != .v128 {
            push(.expr(call))
        } else {
            flushExpressions()
            emitDiscarding(call)
            pushSlots(results)
        }
    }

    /// A statement evaluating expression `n` for its effects: its own discarding form where it
    /// has one (a call, `discardVariants`; the node had one user and is rewritten in place, as
    /// `store` does), else an `evalNode` calling it.
    func emitDiscarding(_ n: NodeP) {
        if let s = discardVariants[UInt(bitPattern: n.pointee.fn)] {
            UnsafeMutablePointer(mutating: n).pointee.fn = fnWord(s)
            emit(n)
        } else {
            emit(node(evalNode, word(n)))
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
        // The fast paths write each argument into one slot: a slot copied, a constant stored, an
        // expression evaluated (call_<kinds>, one letter per argument); v128 arguments are in slots.
        switch callee.type.params.contains(.v128) ? -1 : params {
        case 1...3:
            let (kinds, words) = operandWords(stack[(stack.count - params)...])
            for _ in 0..<params { _ = pop() }
            n = arena.node(fnWord(directCallNode(arguments: kinds)!), rec, base, words[0], params > 1 ? words[1] : 0,
                           extra: params > 2 ? [words[2]] : [])
        default:
            argumentsToSlots(params)
            truncate(to: stack.count - params)
            n = node(callNode, rec, base)
        }
        // The callee's frame overlaps ours from `base`: reserve room for its results.
        reserve(slotsTo: Int(base) + callee.type.results.slotCount)
        finishCall(n, results: callee.type.results)
    }

    func callIndirect(typeIndex: Int, table: Int) {
        computedCall(typeIndex: typeIndex) { index, base in
            node(width(tableIs64(UInt32(table)), callIndirectNode, callIndirect64Node), tableState(UInt32(table)),
                 UInt64(module.typeIDs[typeIndex].raw), index, UInt64(base))
        }
    }

    /// call_ref: the callee is the reference; validation guarantees its type.
    func callRef(typeIndex: Int) {
        computedCall(typeIndex: typeIndex) { ref, base in node(callRefNode, 0, 0, ref, UInt64(base)) }
    }

    /// A call whose callee is computed (call_indirect's index, call_ref's reference): the
    /// arguments go to their slots, then `makeNode` gets the callee's expression word and the
    /// callee frame's base slot; the node evaluates the callee after the arguments.
    func computedCall(typeIndex: Int, _ makeNode: (UInt64, Int) -> NodeP) {
        let t = module.types[typeIndex]
        let callee = pop()
        argumentsToSlots(t.params.count)
        let height = stack.count - t.params.count
        truncate(to: height)
        let base = slot(ofHeight: height)
        let n = makeNode(word(expr(callee)), base)
        reserve(slotsTo: base + t.results.slotCount)
        finishCall(n, results: t.results)
    }

    /// return_call: the arguments go to their slots, the node moves them to the frame's base
    /// and continues into the callee (Execute/TailCallNodes.swift). Nothing follows it.
    func returnCall(_ index: Int) {
        let types = instance.functions[index].type.params
        let params = types.count
        // The arguments move down as slots (a v128 takes two): the fixed-count nodes are for
        // one to three scalar arguments.
        let slots = types.slotCount
        argumentsToSlots(params)
        let height = stack.count - params
        truncate(to: height)
        let fn: NodeFn
        switch slots == params ? params : 0 {
        case 1: fn = returnCall1Node
        case 2: fn = returnCall2Node
        case 3: fn = returnCall3Node
        default: fn = returnCallNode
        }
        emitTailCall(node(fn, UInt64(pointer: instance.functions[index].record), UInt64(slot(ofHeight: height)), UInt64(slots)))
    }

    /// Inside a try_table a tail call leaves the try_tables first (its frame replaces this
    /// one, handlers included): the node runs at the end of a chain of exits.
    func emitTailCall(_ n: NodeP) {
        let target = leaving(from: 1, to: .node(n))
        if target == .node(n) { emitTerminal(n) } else { emitJump(target) }
        markUnreachable()
    }

    func returnCallIndirect(typeIndex: Int, table: Int) {
        computedTailCall(typeIndex: typeIndex) { index, args in
            node(width(tableIs64(UInt32(table)), returnCallIndirectNode, returnCallIndirect64Node),
                 tableState(UInt32(table)), UInt64(module.typeIDs[typeIndex].raw), index, args)
        }
    }

    func returnCallRef(typeIndex: Int) {
        computedTailCall(typeIndex: typeIndex) { ref, args in node(returnCallRefNode, 0, 0, ref, args) }
    }

    /// A tail call whose callee is computed: `makeNode` gets the callee's expression word and
    /// the first argument slot | argument slot count << 32.
    func computedTailCall(typeIndex: Int, _ makeNode: (UInt64, UInt64) -> NodeP) {
        let t = module.types[typeIndex]
        // In a try_table the node runs after leaving it: its callee must be computed inside.
        if control.contains(where: { $0.kind == .tryTable }) { argumentsToSlots(1) }
        let callee = pop()
        argumentsToSlots(t.params.count)
        let height = stack.count - t.params.count
        truncate(to: height)
        emitTailCall(makeNode(word(expr(callee)), UInt64(slot(ofHeight: height)) | UInt64(t.params.slotCount) << 32))
    }

    // MARK: - Labels and branches

    func markUnreachable() {
        control[control.count - 1].unreachable = true
        truncate(to: control[control.count - 1].base)
    }

    func field(_ n: NodeP, _ key: KeyPath<Node, UInt64>) -> UnsafeMutablePointer<UInt64> {
        let offset = MemoryLayout<Node>.offset(of: key)!
        return (UnsafeMutableRawPointer(mutating: n) + offset).assumingMemoryBound(to: UInt64.self)
    }

    /// `key` of `n` gets the address of `target`'s node once the function is translated.
    func fix(_ n: NodeP, _ key: KeyPath<Node, UInt64>, _ target: Target) {
        fixups.append((field(n, key), target))
    }

    func enterLabel(_ ins: Instruction) {
        let (paramTypes, resultTypes) = blockSignature(ins.blockType)
        let params = paramTypes.count, results = resultTypes.count
        var condition: Operand?
        if ins.op == .if { condition = pop() }
        spillAll()
        for h in (stack.count - params)..<stack.count { materialize(h) }
        let base = stack.count - params
        switch ins.op {
        case .block:
            control.append(ControlFrame(kind: .block, label: newLabel(), base: base, params: params, results: results,
                                        paramTypes: paramTypes, resultTypes: resultTypes))
        case .loop:
            let head = newLabel()
            bind(head)
            control.append(ControlFrame(kind: .loop, label: head, base: base, params: params, results: results,
                                        paramTypes: paramTypes, resultTypes: resultTypes))
            costOwners.append(control.count - 1)
        default:
            // if: a branch to the else label when the condition is zero; the then-arm is laid
            // out right after it.
            var frame = ControlFrame(kind: .ifThen, label: newLabel(), base: base, params: params, results: results,
                                     paramTypes: paramTypes, resultTypes: resultTypes)
            frame.elseLabel = newLabel()
            if let n = loadBranch(condition!, takenWhenNonzero: false) {
                fix(n, \.b, .label(frame.elseLabel))
                emit(n)
                control.append(frame)
                return
            }
            let n: NodeP
            condition = branchCondition(condition!)
            let fused = fusedBranch(condition!)
            if let (nodes, a, b) = fused { n = node(nodes.brUnless, a, b) } else { n = node(brUnlessNode, word(expr(condition!))) }
            fix(n, \.c, .label(frame.elseLabel))
            emit(n)
            if let fused { frame.ifBranch = (n, fused.0) }
            control.append(frame)
        }
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
        if !frame.unreachable { emitJump(.label(frame.label)) }
        bind(frame.elseLabel)
        frame.kind = .ifElse
        frame.unreachable = false
        frame.ifBranch = nil
        truncate(to: frame.base)
        pushSlots(frame.paramTypes)
        control.append(frame)
    }

    func endLabel() -> NodeP? {
        if control[control.count - 1].kind == .function { return finishFunction() }
        settleResults(control[control.count - 1])
        let frame = control.removeLast()
        switch frame.kind {
        case .loop:
            // Back edges charge each further iteration; the first is paid by the enclosing loop
            // or function, with the rest of its body.
            costOwners.removeLast()
            for f in frame.costFields { f.pointee = UInt64(Swift.max(frame.cost, 1)) }
            control[costOwners[costOwners.count - 1]].cost += frame.cost
        case .ifThen:
            bind(frame.elseLabel)
            bind(frame.label)
        case .block, .ifElse:
            bind(frame.label)
        case .tryTable:
            // Falling off the body's end leaves the try_table.
            if !frame.unreachable {
                let exit = node(tryExitNode)
                fix(exit, \.a, .label(frame.label))
                emitJump(.node(exit))
            }
            bind(frame.label)
        case .function:
            preconditionFailure()
        }
        truncate(to: frame.base)
        pushSlots(frame.resultTypes)
        return nil
    }

    /// The back edge of the loop at control index `index`: charges the body's cost, then goes
    /// to the head.
    func backEdge(_ index: Int) -> Target {
        if let n = control[index].backEdge { return .node(n) }
        let n = node(backEdgeNode)
        fix(n, \.c, .label(control[index].label))
        control[index].costFields.append(field(n, \.d))
        control[index].backEdge = n
        return .node(n)
    }

    /// Where a branch to the label at control index `index` continues, the first slot of the
    /// values it carries there, and how many.
    func branchTarget(_ index: Int) -> (target: Target, dst: Int, arity: Int) {
        let frame = control[index]
        let target = frame.kind == .loop ? backEdge(index) : .label(frame.label)
        return (leaving(from: index, to: target), slot(ofHeight: frame.base), frame.branchArity)
    }

    /// A jump to `target` from the current position, which lies inside every label from
    /// control index `index` on: for each try_table among them (whose body runs as a nested
    /// chain, Execute/Exceptions.swift), one exit node that hands the rest of the way to it.
    func leaving(from index: Int, to target: Target) -> Target {
        var t = target
        for i in index..<control.count where control[i].kind == .tryTable {
            let exit = node(tryExitNode)
            fix(exit, \.a, t)
            t = .node(exit)
        }
        return t
    }

    /// True when a branch to control index `index` leaves a try_table.
    func crossesTry(_ index: Int) -> Bool {
        control[index...].contains { $0.kind == .tryTable }
    }

    /// try_table: a statement that runs the body as a nested chain, then continues where the
    /// body left to, or at the first catch clause matching an exception that came out of it.
    func enterTryTable(_ ins: Instruction, _ catches: [InstructionReader.Catch]) {
        let (paramTypes, resultTypes) = blockSignature(ins.blockType)
        let params = paramTypes.count, results = resultTypes.count
        spillAll()
        for h in (stack.count - params)..<stack.count { materialize(h) }
        let base = stack.count - params
        // Catch labels are outside the try_table: resolved before its frame is pushed.
        var words: [UInt64] = []
        var targets: [Target] = []
        for clause in catches {
            let index = control.count - 1 - Int(clause.label)
            let tagWord = clause.tag.map { instance.tags[Int($0)].word } ?? 0
            if index == 0 {
                // To the function's label: the values go above the stack and are returned.
                let dst = slot(ofHeight: stack.count)
                reserve(slotsTo: dst + type.results.slotCount)
                targets.append(.node(returnNode(from: dst)))
                words += [tagWord, clause.ref ? 1 : 0, 0, UInt64(dst)]
            } else {
                let (target, dst, _) = branchTarget(index)
                targets.append(target)
                words += [tagWord, clause.ref ? 1 : 0, 0, UInt64(dst)]
            }
        }
        let table = arena.words(words)
        for (k, t) in targets.enumerated() { fixups.append((table + 4 * k + 2, t)) }
        let n = node(tryTableNode, 0, UInt64(pointer: table), UInt64(catches.count), instanceWord)
        let body = newLabel()
        fix(n, \.a, .label(body))
        emitTerminal(n)
        bind(body)
        control.append(ControlFrame(kind: .tryTable, label: newLabel(), base: base, params: params, results: results,
                                    paramTypes: paramTypes, resultTypes: resultTypes))
    }

    /// A return node for values already in the slots from `src` on.
    func returnNode(from src: Int) -> NodeP {
        if type.results.isEmpty { return node(returnVoidNode) }
        if type.resultInRegister { return node(returnSlotNode, UInt64(src)) }
        return node(returnMultiNode, UInt64(src), UInt64(type.results.slotCount))
    }

    /// Stores the top `count` operands to the slots from `dst` on, laid out as on the stack.
    func storeTop(_ count: Int, to dst: Int) {
        let first = stack.count - count
        let from = slot(ofHeight: first)
        for h in first..<stack.count { store(stack[h], to: dst + slotAt[h] - from, wide: wide[h]) }
    }

    /// Slots taken by the top `count` operands.
    func slotsOfTop(_ count: Int) -> Int { slot(ofHeight: stack.count) - slot(ofHeight: stack.count - count) }

    /// A statement that continues at `taken` when `condition` holds, otherwise with the next
    /// entry. The condition runs inside the node when it is a compare of slots and constants.
    func conditionalBranch(_ condition: Operand, taken: Target) {
        let n: NodeP
        if let (nodes, a, b) = fusedBranch(condition) { n = node(nodes.brIf, a, b) } else { n = node(brIfNode, word(expr(condition))) }
        fix(n, \.c, taken)
        emit(n)
    }

    /// `return`, and `br` to the function's label.
    func returnValues() {
        let results = type.results.count
        if tryFusingIfReturn() { return }
        let first = stack.count - results
        if type.resultInRegister {
            flushExpressions(below: first)
            switch stack[first] {
            case .slot(let s): emitTerminal(node(returnSlotNode, UInt64(s)))
            case .const(let v): emitTerminal(node(returnConstNode, v))
            case .expr(let e): emitTerminal(node(returnExprNode, word(e)))
            }
        } else {
            flushExpressions()
            let dst = slot(ofHeight: 0)
            storeTop(results, to: dst)
            emitTerminal(results == 0 ? node(returnVoidNode) : node(returnMultiNode, UInt64(dst), UInt64(type.results.slotCount)))
        }
        markUnreachable()
    }

    /// `if (cond) return x` with a fused condition and x a slot or constant: the if's branch
    /// node becomes one statement that returns x when the condition holds.
    func tryFusingIfReturn() -> Bool {
        let top = control.count - 1
        guard type.resultInRegister, control[top].kind == .ifThen, let (n, fused) = control[top].ifBranch,
              let value = stack.last,
              !stack.contains(where: { if case .expr = $0 { return true } else { return false } })
        else { return false }
        let m = UnsafeMutablePointer(mutating: n)
        switch value {
        case .slot(let s): m.pointee.fn = fnWord(fused.returnIfSlot); m.pointee.c = UInt64(s)
        case .const(let v): m.pointee.fn = fnWord(fused.returnIfConst); m.pointee.c = v
        case .expr: return false
        }
        // Field c holds the value now, not the then-arm's address.
        let c = field(n, \.c)
        fixups.removeAll { $0.field == c }
        control[top].ifBranch = nil
        markUnreachable()
        return true
    }

    func finishFunction() -> NodeP {
        if !control[0].unreachable { returnValues() }
        // A label bound after the last statement cannot be reached (see endLabel); keep every
        // position resolvable anyway.
        if lastBound == sequence.count { emitTerminal(node(unreachableNode)) }
        let first = layOut()
        let frameSize = UInt64(localSlots + maxSlots + 1)
        let paramSlots = type.params.slotCount
        let declared = UInt64(localSlots - paramSlots)
        return node(declared == 0 ? functionEntryNode : functionEntryLocalsNode, UInt64(pointer: first), frameSize,
                    UInt64(paramSlots) | declared << 32, UInt64(Swift.max(control[0].cost, 1)))
    }

    /// Lays the statements out in one block, in sequence order, so that each falls through to
    /// the one after it (`proceed`): a node that falls through into a jump gets a `gotoNode`
    /// after it. Branch fields and tables receive the laid-out addresses; nodes made out of
    /// line (back edges, returns of branches) stay where they are. Returns the first statement.
    func layOut() -> NodeP {
        // Each node's place, in statements from the block's start; one more after a node that
        // needs its own successor.
        var index = [Int](repeating: -1, count: sequence.count)
        var count = 0
        for (i, entry) in sequence.enumerated() {
            guard case .node = entry else { continue }
            index[i] = count
            count += fallsIntoJump(i) ? 2 : 1
        }
        let block = arena.allocate(bytes: count * statementStride)
        placed = index.map { $0 < 0 ? nil : NodeP((block + $0 * statementStride).assumingMemoryBound(to: Node.self)) }
        resolved = Array(repeating: nil, count: sequence.count)
        // Fields are patched in the nodes as built, which are then copied to their places.
        for (f, target) in fixups { f.pointee = UInt64(pointer: resolve(target)) }
        for (i, entry) in sequence.enumerated() {
            guard case .node(let n, _) = entry else { continue }
            let to = UnsafeMutableRawPointer(mutating: placed[i]!)
            to.copyMemory(from: n, byteCount: statementStride)
            if fallsIntoJump(i) {
                // A jump to a statement that does not fall through (a return, a back edge, a
                // br_table) runs a copy of it there instead of a goto to it.
                if let t = terminalTarget(ofJumpAt: i + 1) {
                    (to + statementStride).copyMemory(from: t, byteCount: statementStride)
                } else {
                    (to + statementStride).bindMemory(to: Node.self, capacity: 1).initialize(to:
                        Node(fn: fnWord(gotoNode), a: 0, b: 0, c: UInt64(pointer: resolve(position: i + 1)), d: 0))
                }
            }
        }
        return resolve(position: 0)
    }

    /// The node (as built, with its fields patched) that the jump at position `p` ends at, if
    /// that node never falls through: then a copy of it can stand in for the jump.
    func terminalTarget(ofJumpAt p: Int) -> NodeP? {
        var p = p
        for _ in 0..<sequence.count {
            switch sequence[p] {
            case .node(let n, let fallsThrough): return fallsThrough ? nil : n
            case .jump(.node(let n)): return n  // made out of line: a back edge or a return
            case .jump(.label(let l)): p = labels[l]!
            }
        }
        return nil
    }

    /// True when the entry at position `i` is a node that falls through into a jump: the
    /// statement laid out after it is not its successor, so it needs one of its own.
    func fallsIntoJump(_ i: Int) -> Bool {
        guard case .node(_, true) = sequence[i], i + 1 < sequence.count, case .jump = sequence[i + 1] else { return false }
        return true
    }

    func resolve(_ target: Target) -> NodeP {
        switch target {
        case .node(let n): return n
        case .label(let l): return resolve(position: labels[l]!)
        }
    }

    /// The node at sequence position `p`, following jumps. Jumps only lead forward or to an
    /// out-of-line back-edge node, so this ends; chains of jumps (the then-arms of nested ifs
    /// ending together) are followed iteratively and remembered, so deep nesting costs linear
    /// time and no native stack.
    func resolve(position p: Int) -> NodeP {
        var path: [Int] = []
        var p = p
        var found: NodeP
        while true {
            if let n = resolved[p] { found = n; break }
            switch sequence[p] {
            case .node:
                found = placed[p]!
            case .jump(.node(let n)):
                found = n
            case .jump(.label(let l)):
                path.append(p)
                p = labels[l]!
                continue
            }
            resolved[p] = found
            break
        }
        for q in path { resolved[q] = found }
        return found
    }

    func branch(depth: Int) {
        let index = control.count - 1 - depth
        if index == 0 { return returnValues() }
        let (target, dst, arity) = branchTarget(index)
        let first = stack.count - arity
        if arity == 1 && !wide[first] {
            // One value: the move is one statement (an expression writes the slot itself).
            flushExpressions(below: first)
            store(stack[first], to: dst)
        } else {
            flushExpressions()
            storeTop(arity, to: dst)
        }
        emitJump(target)
        markUnreachable()
    }

    func branchIf(depth: Int) {
        let index = control.count - 1 - depth
        var condition = pop()
        flushExpressions()
        if index == 0 { return conditionalReturn(branchCondition(condition)) }
        let (target, dst, arity) = branchTarget(index)
        let first = stack.count - arity
        let src = slot(ofHeight: first)
        let inPlace = arity == 0 || src == dst
        let onLoad = inPlace && control[index].kind != .loop ? loadBranch(condition, takenWhenNonzero: true) : nil
        if inPlace, onLoad == nil { condition = branchCondition(condition) }
        for h in first..<stack.count { materialize(h) }
        if let n = onLoad {
            fix(n, \.b, target)
            return emit(n)
        }
        if inPlace {
            if control[index].kind == .loop, !crossesTry(index), let (fused, a, b) = fusedBranch(condition) {
                // A back edge on a fused condition charges the loop's cost itself; with the
                // counter update before it, it is one node (see `counterUpdate`).
                let n: NodeP
                if let counter = fused.counter, let update = counterUpdate(slot: a, width32: counter.width32) {
                    // Nothing else in the loop: the node is its own head.
                    let alone = labels[control[index].label] == sequence.count
                    // Or nothing but one store: that store and this node are one node, its own head.
                    if !alone, let loop = storeLoop(counter, counter: a, limit: b, update: update, head: control[index].label) {
                        n = loop
                    } else {
                        switch update {
                        case .const(1): n = node(alone ? counter.incSelf : counter.inc, a, b)
                        case .const(let k): n = arena.node(fnWord(alone ? counter.addSelf : counter.add), a, b, extra: [k])
                        case .slot(let s): n = arena.node(fnWord(counter.addSlot), a, b, extra: [UInt64(s)])
                        case .expr: preconditionFailure("a counter update adds a constant or a slot")
                        }
                    }
                } else {
                    n = node(fused.brIfLoop, a, b)
                }
                fix(n, \.c, .label(control[index].label))
                control[index].costFields.append(field(n, \.d))
                emit(n)
            } else {
                conditionalBranch(condition, taken: target)
            }
        } else {
            let n = node(brIfMoveNode, word(expr(condition)), UInt64(src) | UInt64(slotsOfTop(arity)) << 32, 0, UInt64(dst))
            fix(n, \.c, target)
            emit(n)
        }
    }

    /// If the last statement is `x = x + k` with k a constant or another slot (a
    /// set_i32Add_sc/_ss or set_i64Add_sc/_ss writing slot x) and no label lies between it and
    /// the statement about to be emitted, removes it and returns k, for a counter branch to
    /// absorb it.
    func counterUpdate(slot x: UInt64, width32: Bool) -> Operand? {
        guard case .node(let prev, true)? = sequence.last, lastBound != sequence.count,
              prev.pointee.c == x else { return nil }
        let p = prev.pointee
        if p.fn == fnWord(width32 ? set_i32Add_sc : set_i64Add_sc), p.a == x {
            sequence.removeLast()
            return .const(p.b)
        }
        if p.fn == fnWord(width32 ? set_i32Add_ss : set_i64Add_ss), p.a == x || p.b == x {
            sequence.removeLast()
            return .slot(Int(p.a == x ? p.b : p.a))
        }
        return nil
    }

    /// br_if to the function's label: returns the values on top of the stack if the
    /// condition holds (expressions below were evaluated by the caller).
    func conditionalReturn(_ condition: Operand) {
        let results = type.results.count
        if type.resultInRegister, let (fused, a, b) = fusedBranch(condition) {
            let n: NodeP
            switch stack[stack.count - 1] {
            case .slot(let s): n = node(fused.returnIfSlot, a, b, UInt64(s))
            case .const(let v): n = node(fused.returnIfConst, a, b, v)
            case .expr: preconditionFailure("expressions were evaluated into slots")
            }
            return emit(n)
        }
        let first = stack.count - results
        for h in first..<stack.count { materialize(h) }
        conditionalBranch(condition, taken: .node(returnNode(from: slot(ofHeight: first))))
    }

    /// The condition of a two-way branch about to be emitted, after every pending expression
    /// below it was evaluated. An expression that is not a fusable compare but has a statement
    /// form (a load, an `and`, ...) is evaluated into its own slot, the one above the stack,
    /// and the branch tests that slot (`brIf_s`): a statement and a slot test thread, where
    /// `brIfNode` would call the expression and keep its registers across the call (sieve's
    /// `if (!composite[i])`: -8 % instructions).
    func branchCondition(_ condition: Operand) -> Operand {
        guard case .expr(let n) = condition else { return condition }
        if n.pointee.fn == fnWord(i32Eqz_e) {
            // `if (!x)` on a load or an operator: x into its slot, the branch fuses eqz of a slot
            // (`brIf_i32Eqz_s`, 6 instructions) instead of calling x (21 and x's own).
            if case .slot(let s) = intoSlotAbove(.expr(n.pointee.a.node)) { return .expr(node(i32Eqz_s, UInt64(s))) }
            return condition
        }
        if branchVariants[UInt(bitPattern: n.pointee.fn)] != nil { return condition }
        return intoSlotAbove(condition)
    }

    /// The node for a forward branch whose condition is a load, or i32.eqz / i64.eqz of one, at
    /// an address an address kind takes: it loads and branches itself (`brIfLoad8_p`, ...;
    /// scripts/gen-nodes.py), where the load would be a statement writing a slot and the branch
    /// a second one testing it (sieve's `if (composite[i])`, `if (!node->next)`). Taken (to
    /// field b, left for the caller to fix) when the loaded value is nonzero if
    /// `takenWhenNonzero`, else when it is zero; eqz flips that.
    func loadBranch(_ condition: Operand, takenWhenNonzero: Bool) -> NodeP? {
        guard case .expr(var n) = condition else { return nil }
        var nonzero = takenWhenNonzero
        if n.pointee.fn == fnWord(i32Eqz_e) || n.pointee.fn == fnWord(i64Eqz_e) {
            n = n.pointee.a.node
            nonzero.toggle()
        }
        guard let shape = FunctionTranslator.loadShape(of: n),
              let nodes = loadBranchNodes(size: shape.size, kind: shape.kind) else { return nil }
        return arena.node(fnWord(nonzero ? nodes.brIf : nodes.brUnless), n.pointee.a, 0, n.pointee.c, n.pointee.d,
                          extra: FunctionTranslator.wideWords(of: n, shape))
    }

    /// A branch's operand (a condition, a `br_table` index) as a slot when it is an expression
    /// with a statement form: evaluated into the slot above the stack, after everything below.
    func intoSlotAbove(_ o: Operand) -> Operand {
        guard case .expr(let n) = o, setVariants[UInt(bitPattern: n.pointee.fn)] != nil else { return o }
        let target = slot(ofHeight: stack.count)
        reserve(slotsTo: target + 1)
        store(o, to: target)
        return .slot(target)
    }

    /// A branch condition that is a compare of slot/constant operands (or a plain slot) runs
    /// inside the branch node itself: the fused node reads the compare's operand words.
    func fusedBranch(_ condition: Operand) -> (BranchNodes, UInt64, UInt64)? {
        switch condition {
        case .slot(let s): return (slotBranchNodes, UInt64(s), 0)
        case .expr(let n):
            guard let fused = branchVariants[UInt(bitPattern: n.pointee.fn)] else { return nil }
            return (fused, n.pointee.a, n.pointee.b)
        case .const: return nil
        }
    }

    func branchTable(_ targets: [UInt32]) {
        let index = pop()
        flushExpressions()
        let arity = control[control.count - 1 - Int(targets.last!)].branchArity
        let first = stack.count - arity
        for h in first..<stack.count { materialize(h) }
        let src = slot(ofHeight: first)
        var words: [UInt64] = []
        var resolved: [Target] = []
        var ret: NodeP?
        for t in targets {
            let i = control.count - 1 - Int(t)
            if i == 0 {
                // To the function's label: a return of the values where they are.
                if ret == nil { ret = returnNode(from: src) }
                resolved.append(.node(ret!))
                words += [0, UInt64(src)]
            } else {
                let (target, dst, _) = branchTarget(i)
                resolved.append(target)
                words += [0, UInt64(dst)]
            }
        }
        // No value moves when none are carried or every target's slots are where they are.
        let moves = slotsOfTop(arity) > 0 && stride(from: 1, to: words.count, by: 2).contains { words[$0] != UInt64(src) }
        if !moves {
            let table = arena.words([UInt64](repeating: 0, count: resolved.count))
            for (k, t) in resolved.enumerated() { fixups.append((table + k, t)) }
            // An index with a statement form (a bytecode interpreter's `op & 0x7F`, a load)
            // goes into its slot: a statement and `brTableSlotNode` (17 instructions with an
            // `and`) instead of `brTableJumpNode` calling it (27).
            if case .slot(let s) = intoSlotAbove(index) {
                emitTerminal(node(brTableSlotNode, UInt64(s), UInt64(pointer: table), UInt64(targets.count - 1)))
            } else {
                emitTerminal(node(brTableJumpNode, word(expr(index)), UInt64(pointer: table), UInt64(targets.count - 1)))
            }
            return markUnreachable()
        }
        let table = arena.words(words)
        for (k, t) in resolved.enumerated() { fixups.append((table + 2 * k, t)) }
        emitTerminal(node(brTableNode, word(expr(index)), UInt64(pointer: table), UInt64(targets.count - 1),
                          UInt64(src) | UInt64(slotsOfTop(arity)) << 32))
        markUnreachable()
    }
}

extension Instance {
    /// Compiles function `index` of the function index space to its entry node.
    func compileFunction(_ index: Int) throws(Trap) -> NodeP {
        try FunctionTranslator(instance: self, functionIndex: index).compile()
    }
}

// MARK: - SIMD

extension FunctionTranslator {
    /// Emits `n` as a statement producing a v128 in slot pair `dst` and pushes that pair. The
    /// operands were popped; pending expressions below them are evaluated first, as before any
    /// statement (a v128 operation writes a stack slot, which a pending expression may read).
    func emitV128(_ n: NodeP, dst: Int) {
        emit(n)
        push(.slot(dst), wide: true)
    }

    /// Pops the operands of a v128 statement and evaluates what is pending below them; returns
    /// where the result goes (the first operand's slot pair).
    func v128Destination() -> Int {
        flushExpressions()
        return slot(ofHeight: stack.count)
    }

    /// Translates a SIMD instruction; false if `ins` is not one.
    func simd(_ ins: Instruction) throws(Trap) -> Bool {
        let op = ins.op
        if op == .v128Const {
            let dst = v128Destination()
            emitV128(node(v128ConstNode, UInt64(dst), ins.value, ins.valueHigh), dst: dst)
        } else if let fn = simdBinaryNode(op) {
            let y = popSlot(), x = popSlot()
            let dst = v128Destination()
            emitV128(node(fn, UInt64(x), UInt64(y), UInt64(dst)), dst: dst)
        } else if let fn = simdUnaryNode(op) {
            let x = popSlot()
            let dst = v128Destination()
            emitV128(node(fn, UInt64(x), UInt64(dst)), dst: dst)
        } else if let fn = simdTernaryNode(op) {
            let z = popSlot(), y = popSlot(), x = popSlot()
            let dst = v128Destination()
            emitV128(node(fn, UInt64(x), UInt64(y), UInt64(z), UInt64(dst)), dst: dst)
        } else if let fn = simdToScalarNode(op) {
            // An expression reading the pair; its value is an ordinary scalar operand.
            let x = popSlot()
            push(.expr(node(fn, UInt64(x), UInt64(ins.index))))
        } else if let fn = simdSplatNode(op) {
            let s = pop()
            let dst = v128Destination()
            emitV128(node(fn, word(expr(s)), UInt64(dst)), dst: dst)
        } else if let fn = simdWithScalarNode(op) {
            let s = pop(), x = popSlot()
            let dst = v128Destination()
            emitV128(node(fn, UInt64(x), word(expr(s)), UInt64(dst), UInt64(ins.index)), dst: dst)
        } else if op == .i8x16Shuffle {
            let y = popSlot(), x = popSlot()
            let dst = v128Destination()
            if let (fn, from, keep) = widening(ins.value, ins.valueHigh) {
                // Lane indices 0-15 are the first operand's bytes, 16-31 the second's.
                let slotOf = { (operand: Int) in UInt64(operand == 0 ? x : y) }
                emitV128(node(fn, slotOf(from), slotOf(keep), UInt64(dst)), dst: dst)
            } else {
                emitV128(arena.node(fnWord(shuffleNode), UInt64(x), UInt64(y), UInt64(dst), ins.value, extra: [ins.valueHigh]),
                         dst: dst)
            }
        } else if let fn = simdLoadNode(op) {
            let a = pop()
            let dst = v128Destination()
            emitV128(arena.node(fnWord(fn), word(expr(a)), UInt64(dst), memoryState(ins.memIndex), ins.memOffset,
                                extra: [simdWide(ins.memIndex)]), dst: dst)
        } else if let fn = simdLoadLaneNode(op) {
            let v = popSlot(), a = pop()
            let dst = v128Destination()
            emitV128(arena.node(fnWord(fn), word(expr(a)), UInt64(dst), memoryState(ins.memIndex), ins.memOffset,
                                extra: [UInt64(v) | UInt64(ins.index) << 32 | simdWide(ins.memIndex)]), dst: dst)
        } else if op == .v128Store {
            let v = popSlot(), a = pop()
            flushExpressions()
            emit(arena.node(fnWord(v128StoreNode), word(expr(a)), UInt64(v), memoryState(ins.memIndex), ins.memOffset,
                            extra: [simdWide(ins.memIndex)]))
        } else if let fn = simdStoreLaneNode(op) {
            let v = popSlot(), a = pop()
            flushExpressions()
            emit(arena.node(fnWord(fn), word(expr(a)), UInt64(v), memoryState(ins.memIndex), ins.memOffset,
                            extra: [UInt64(ins.index) | simdWide(ins.memIndex)]))
        } else {
            return false
        }
        return true
    }

    /// A shuffle of one of the byte-widening shapes that have SSE2 forms (see the nodes in
    /// SIMDNodes.swift): its node, the operand (0 or 1) whose bytes are widened and the one
    /// whose bytes stay in place. nil for any other shuffle.
    func widening(_ lo: UInt64, _ hi: UInt64) -> (NodeFn, Int, Int)? {
        let idx = (0..<16).map { i in Int(((i < 8 ? lo : hi) >> UInt64(8 * (i % 8))) & 0xFF) }
        // Every byte at a position not in `moved` must be byte i of one operand.
        func match(_ moved: [Int: Int]) -> (Int, Int)? {
            guard let first = moved.keys.min() else { return nil }
            let from = idx[first] / 16
            var keep: Int?
            for i in 0..<16 {
                if let k = moved[i] {
                    if idx[i] != from * 16 + k { return nil }
                } else {
                    let operand = idx[i] / 16
                    if idx[i] % 16 != i || (keep != nil && keep != operand) { return nil }
                    keep = operand
                }
            }
            return keep.map { (from, $0) }
        }
        let low8 = Dictionary(uniqueKeysWithValues: (0..<8).map { (2 * $0, $0) })
        let high8 = Dictionary(uniqueKeysWithValues: (0..<8).map { (2 * $0, 8 + $0) })
        let low8To32 = Dictionary(uniqueKeysWithValues: (0..<4).map { (4 * $0, $0) })
        if let (f, k) = match(low8) { return (shuffleWidenLow8Node, f, k) }
        if let (f, k) = match(high8) { return (shuffleWidenHigh8Node, f, k) }
        if let (f, k) = match(low8To32) { return (shuffleWidenLow8To32Node, f, k) }
        return nil
    }

    /// select of two v128 operands (the condition is already popped).
    func selectV128(_ cond: Operand) {
        let y = popSlot(), x = popSlot()
        let dst = v128Destination()
        emitV128(node(selectV128Node, UInt64(x), UInt64(y), word(expr(cond)), UInt64(dst)), dst: dst)
    }

    func globalGetV128(_ g: Global) {
        let dst = v128Destination()
        emitV128(node(globalGetV128Node, UInt64(pointer: g.cell), UInt64(dst)), dst: dst)
    }

    func globalSetV128(_ g: Global) {
        let x = popSlot()
        flushExpressions()
        emit(node(globalSetV128Node, UInt64(pointer: g.cell), UInt64(x)))
    }
}

extension Opcode {
    /// Bytes written by a scalar store.
    var storeSize: Int {
        switch self {
        case .i32Store8, .i64Store8: return 1
        case .i32Store16, .i64Store16: return 2
        case .i32Store, .f32Store, .i64Store32: return 4
        default: return 8
        }
    }
}
