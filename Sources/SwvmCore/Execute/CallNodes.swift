// Calls. The callee's frame starts at the caller's slot `base`: where the first argument sits
// on the operand stack. Arguments are either already in those slots (callNode) or evaluated
// straight into them (the 1- and 2-argument fast paths). A nested call made while evaluating
// argument k has its frame above slot base + k, so it cannot clobber arguments already written.
// A call is an expression: the callee's statement chain returns its first result here.

@inline(__always) func record(_ word: UInt64) -> UnsafeMutablePointer<FuncRecord> {
    UnsafeMutablePointer<FuncRecord>(bitPattern: UInt(truncatingIfNeeded: word)).unsafelyUnwrapped
}

@inline(__always) func invoke(_ rec: UnsafeMutablePointer<FuncRecord>, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let r = enter(rec, fp, c)
    if trapped(c) { unwound(rec, c) }
    return r
}

/// Runs the callee's chain with its frame at `fp`; the caller tests for a trap.
@inline(__always) func enter(_ rec: UnsafeMutablePointer<FuncRecord>, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let entry = rec.pointee.entry
    return unsafeBitCast(entry.pointee.fn, to: NodeFn.self)(entry, fp, c)
}

/// The error path of a call: the backtrace gets the callee the trap came out of, not one
/// that was only attempted after the trap and refused at its entry (see `refuseEntry`).
@inline(never) func unwound(_ rec: UnsafeMutablePointer<FuncRecord>, _ c: Ctx) {
    if c.pointee.refusedCall {
        c.pointee.refusedCall = false
        return
    }
    c.pointee.unwound(through: rec)
}

/// The error path of a direct call node (callee record in field a), as a tail call that
/// returns 0: the node keeps only itself, the frame and the context across the call, where
/// `invoke` would also keep the record and the result (two saved registers more per call).
@inline(never) func unwoundDirect(_ n: NodeP, _ c: Ctx) -> UInt64 {
    unwound(record(n.pointee.a), c)
    return 0
}

/// A function entry that failed its limit check: after a trap (the poisoned native limit)
/// the call is refused quietly; otherwise the stack is exhausted.
@inline(never) func refuseEntry(_ c: Ctx) -> UInt64 {
    if trapped(c) {
        c.pointee.refusedCall = true
        return 0
    }
    return raise(.callStackExhausted, c)
}

/// a = callee record, b = base slot; arguments already in place.
func callNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    invoke(record(n.pointee.a), fp + n.pointee.b.int, c)
}

// Statement forms of the calls whose result is discarded (`discardVariants`), in place of an
// `evalNode` calling the call node.

func do_callNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    _ = callNode(n, fp, c)
    if trapped(c) { return 0 }
    return proceed(n, fp, c)
}
func do_callIndirectNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    _ = callIndirect(n, fp, c, wide: false)
    if trapped(c) { return 0 }
    return proceed(n, fp, c)
}
func do_callIndirect64Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    _ = callIndirect(n, fp, c, wide: true)
    if trapped(c) { return 0 }
    return proceed(n, fp, c)
}
func do_callRefNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    _ = callRefNode(n, fp, c)
    if trapped(c) { return 0 }
    return proceed(n, fp, c)
}

/// The discarding forms above, beside those of the direct calls (`callDiscardVariants`).
let computedCallDiscardVariants: [(NodeFn, NodeFn)] = [
    (callNode, do_callNode), (callIndirectNode, do_callIndirectNode),
    (callIndirect64Node, do_callIndirect64Node), (callRefNode, do_callRefNode),
]

// The direct calls of one to three scalar arguments written into the callee's frame, in every
// argument shape (`call_<kinds>`), are generated: Generated/DirectCallNodes.swift.

/// The callee of call_indirect and return_call_indirect (a = table state, b = expected type
/// id, c = element index expression; `wide` for a table64's i64 index), or nil once a trap is
/// raised: an index out of bounds, a null element, a function of another type.
@inline(__always) func indirectCallee(_ n: NodeP, _ fp: Frame, _ c: Ctx, wide: Bool) -> UnsafeMutablePointer<FuncRecord>? {
    let w = eval(n.pointee.c, fp, c)
    let i = wide ? w : UInt64(UInt32(truncatingIfNeeded: w))
    if trapped(c) { return nil }
    let table = UnsafeMutablePointer<TableState>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    guard i < table.pointee.size else {
        _ = raise(.undefinedElement, c)
        return nil
    }
    let word = table.pointee.elements[Int(i)]
    guard word != 0 else {
        c.pointee.trapIndex = i
        _ = raise(.uninitializedElement, c)
        return nil
    }
    let rec = record(word)
    guard rec.pointee.typeID == n.pointee.b.int || calleeSubtypes(rec, n.pointee.b) else {
        _ = raise(.indirectCallTypeMismatch, c)
        return nil
    }
    return rec
}

/// A callee whose type is not the expected one may still be a declared subtype of it
/// (`sub`): the exact match is the fast path.
@inline(never) func calleeSubtypes(_ rec: UnsafeMutablePointer<FuncRecord>, _ expected: UInt64) -> Bool {
    TypeRegistry.isSubtype(TypeID(raw: UInt32(truncatingIfNeeded: rec.pointee.typeID)), of: TypeID(raw: UInt32(truncatingIfNeeded: expected)))
}

/// The callee of call_ref and return_call_ref (c = function reference expression), or nil
/// once a trap is raised. Validation guarantees the reference's type, so only null is checked.
@inline(__always) func referencedCallee(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UnsafeMutablePointer<FuncRecord>? {
    let w = eval(n.pointee.c, fp, c)
    if trapped(c) { return nil }
    guard w != 0 else {
        _ = raise(.nullFunctionReference, c)
        return nil
    }
    return record(w)
}

/// call_indirect: d = base slot, the rest as `indirectCallee`; arguments already in place.
/// The 64 form is for a table64.
@inline(__always) func callIndirect(_ n: NodeP, _ fp: Frame, _ c: Ctx, wide: Bool) -> UInt64 {
    guard let rec = indirectCallee(n, fp, c, wide: wide) else { return 0 }
    return invoke(rec, fp + n.pointee.d.int, c)
}
func callIndirectNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { callIndirect(n, fp, c, wide: false) }
func callIndirect64Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { callIndirect(n, fp, c, wide: true) }

/// call_ref: c = function reference expression, d = base slot; arguments already in place.
func callRefNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    guard let rec = referencedCallee(n, fp, c) else { return 0 }
    return invoke(rec, fp + n.pointee.d.int, c)
}
