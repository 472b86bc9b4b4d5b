// Operand leaves and slot writes: the nodes a virtual operand entry becomes when it must be
// an expression node or must be stored in its frame slot.

/// a = slot index.
func slotNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { fp[n.pointee.a.int] }
/// a = value.
func constNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { n.pointee.a }

/// fp[a] = eval(b)
func setSlotExprNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let v = eval(n.pointee.b, fp, c)
    if trapped(c) { return 0 }
    fp[n.pointee.a.int] = v
    return proceed(n, fp, c)
}
/// fp[a] = fp[b]
func setSlotSlotNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    fp[n.pointee.a.int] = fp[n.pointee.b.int]
    return proceed(n, fp, c)
}
/// fp[a] = fp[b]; fp[c] = fp[d], in that order: two consecutive copies (the moves that close
/// a loop iteration: `a, b = b, a + b`) as one statement.
func setSlotSlot2Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    fp[n.pointee.a.int] = fp[n.pointee.b.int]
    fp[n.pointee.c.int] = fp[n.pointee.d.int]
    return proceed(n, fp, c)
}
/// fp[a] = b
func setSlotConstNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    fp[n.pointee.a.int] = n.pointee.b
    return proceed(n, fp, c)
}

/// a = global cell.
func globalGetNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    UnsafeMutablePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped.pointee
}
/// cell(a) = fp[b]: the usual global.set (clang's stack pointer, restored from a local or
/// from a sum the translator has put in its slot) without a child node call.
func globalSetSlotNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    UnsafeMutablePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped.pointee = fp[n.pointee.b.int]
    return proceed(n, fp, c)
}
/// cell(a) = b
func globalSetConstNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    UnsafeMutablePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped.pointee = n.pointee.b
    return proceed(n, fp, c)
}
/// cell(a) = eval(b)
func globalSetNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let v = eval(n.pointee.b, fp, c)
    if trapped(c) { return 0 }
    UnsafeMutablePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped.pointee = v
    return proceed(n, fp, c)
}

// select of scalars is generated in every shape of its two values (select_<kinds>,
// Generated/NumericNodes.swift): a = first, b = second, c = the condition's expression.
