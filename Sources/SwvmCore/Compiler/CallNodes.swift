// Calls. The callee's frame starts at the caller's slot `base`: where the first argument sits
// on the operand stack. Arguments are either already in those slots (callNode) or evaluated
// straight into them (the 1- and 2-argument fast paths). A nested call made while evaluating
// argument k has its frame above slot base + k, so it cannot clobber arguments already written.

@inline(__always) func record(_ word: UInt64) -> UnsafeMutablePointer<FuncRecord> {
    UnsafeMutablePointer<FuncRecord>(bitPattern: UInt(truncatingIfNeeded: word)).unsafelyUnwrapped
}

@inline(__always) func invoke(_ rec: UnsafeMutablePointer<FuncRecord>, _ fp: Frame, _ c: Ctx) throws(Trap) -> UInt64 {
    let entry = rec.pointee.entry
    do {
        return try unsafeBitCast(entry.pointee.fn, to: ExprFn.self)(entry, fp, c)
    } catch {
        // The error path only: the trap's backtrace gets the function it left.
        c.pointee.unwound(through: rec)
        throw error
    }
}

/// a = callee record, b = base slot; arguments already in place.
func callNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> UInt64 {
    try invoke(record(n.pointee.a), fp + n.pointee.b.int, c)
}

/// a = callee record, b = base slot, c = argument expression.
func call1Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> UInt64 {
    let callee = fp + n.pointee.b.int
    callee[0] = try eval(n.pointee.c, fp, c)
    return try invoke(record(n.pointee.a), callee, c)
}

/// a = callee record, b = base slot, c, d = argument expressions.
func call2Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> UInt64 {
    let callee = fp + n.pointee.b.int
    callee[0] = try eval(n.pointee.c, fp, c)
    callee[1] = try eval(n.pointee.d, fp, c)
    return try invoke(record(n.pointee.a), callee, c)
}

/// call_indirect: a = table state, b = expected type id, c = element index expression,
/// d = base slot; arguments already in place.
func callIndirectNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> UInt64 {
    let i = UInt64(UInt32(truncatingIfNeeded: try eval(n.pointee.c, fp, c)))
    let table = UnsafeMutablePointer<TableState>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    guard i < table.pointee.size else { throw .undefinedElement }
    let word = table.pointee.elements[Int(i)]
    guard word != 0 else {
        c.pointee.trapIndex = i
        throw .uninitializedElement
    }
    let rec = record(word)
    guard rec.pointee.typeID == n.pointee.b.int else { throw .indirectCallTypeMismatch }
    return try invoke(rec, fp + n.pointee.d.int, c)
}
