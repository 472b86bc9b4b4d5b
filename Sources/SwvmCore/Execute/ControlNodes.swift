import CSwvmSupport

// Control flow as continuations (docs/engine.md): a block's label is the statement after it,
// a loop's label is its first statement, and a branch is a tail call to its target. Nothing
// runs on entering or leaving a block. A branch back to a loop charges the loop body's fuel
// cost, which is where fuel and interruption are checked.

/// A branch back to a loop head that carries no fused condition: `br` to a loop, and the
/// loop targets of `br_table` and unfused `br_if`. c = the head, d = the loop body's cost.
func backEdgeNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    backEdge(n, fp, c)
}

/// br_if on a computed condition: a = condition expression, c = taken target; the next
/// statement otherwise.
func brIfNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let v = UInt32(truncatingIfNeeded: eval(n.pointee.a, fp, c))
    if trapped(c) { return 0 }
    if v != 0 { return next(n.pointee.c, fp, c) }
    return proceed(n, fp, c)
}

/// if on a computed condition: a = condition expression, c = the else arm (or the end), taken
/// when the condition is zero; the then-arm is the next statement.
func brUnlessNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let v = UInt32(truncatingIfNeeded: eval(n.pointee.a, fp, c))
    if trapped(c) { return 0 }
    if v == 0 { return next(n.pointee.c, fp, c) }
    return proceed(n, fp, c)
}

/// A fall-through whose successor is not laid out after it (the end of an if's then-arm, a
/// `br` reached by falling into it): c = the target.
func gotoNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    next(n.pointee.c, fp, c)
}

/// Copies `count` slots from `src` to `dst` (the operands of a taken branch to their label).
@inline(__always) func moveSlots(_ fp: Frame, _ dst: Int, _ src: Int, _ count: Int) {
    if dst == src { return }
    var i = 0
    while i < count {
        fp[dst &+ i] = fp[src &+ i]
        i &+= 1
    }
}

/// br_if carrying values: a = condition, b = source slot | count << 32, c = taken target,
/// d = destination slot.
func brIfMoveNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let v = UInt32(truncatingIfNeeded: eval(n.pointee.a, fp, c))
    if trapped(c) { return 0 }
    if v == 0 { return proceed(n, fp, c) }
    let b = n.pointee.b
    moveSlots(fp, n.pointee.d.int, Int(b & 0xFFFF_FFFF), Int(b >> 32))
    return next(n.pointee.c, fp, c)
}

/// br_table: a = index expression, b = table of [target, destination slot] pairs (default
/// last), c = number of non-default targets, d = source slot | count << 32. One indexed jump,
/// whatever the nesting depth of the targets.
func brTableNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let i = UInt64(UInt32(truncatingIfNeeded: eval(n.pointee.a, fp, c)))
    if trapped(c) { return 0 }
    let k = Int(Swift.min(i, n.pointee.c))
    let table = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.b)).unsafelyUnwrapped
    let d = n.pointee.d
    let count = Int(d >> 32)
    if count > 0 { moveSlots(fp, table[2 &* k &+ 1].int, Int(d & 0xFFFF_FFFF), count) }
    return next(table[2 &* k], fp, c)
}

/// br_table whose taken branch moves no values (none carried, or all already in their label's
/// slots): a = index expression, b = table of targets (default last), c = number of non-default
/// targets. With no moves, only the table is needed after the index's evaluation, and it has
/// one word per target.
func brTableJumpNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let i = UInt64(UInt32(truncatingIfNeeded: eval(n.pointee.a, fp, c)))
    if trapped(c) { return 0 }
    let table = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.b)).unsafelyUnwrapped
    return next(table[Int(Swift.min(i, n.pointee.c))], fp, c)
}

/// brTableJumpNode with the index in a slot (`switch` on a local): a = the slot. Nothing is
/// called before the jump, so the node saves no registers.
func brTableSlotNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let i = UInt64(UInt32(truncatingIfNeeded: fp[n.pointee.a.int]))
    let table = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.b)).unsafelyUnwrapped
    return next(table[Int(Swift.min(i, n.pointee.c))], fp, c)
}

func unreachableNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    raise(.unreachable, c)
}

/// A statement that only evaluates an expression (drop, a call whose results are not one
/// value, an expression with side effects whose value is unused): a = expression.
func evalNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    _ = eval(n.pointee.a, fp, c)
    if trapped(c) { return 0 }
    return proceed(n, fp, c)
}

/// The entry of a compiled function that declares no locals besides its parameters: one
/// combined limit check (native stack, value stack, call depth; a raised trap poisons the
/// native limit, so it fails here too), the fuel charge of the body outside loops, then the
/// body. a = first statement, b = frame size, c = parameter count | declared local count
/// << 32, d = cost.
func functionEntryNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    if !entryAllowed(n, fp, c) { return refuseEntry(c) }
    return chargeThenRun(n.pointee.d, n.pointee.a, fp, c)
}

/// The same for a function that declares locals: they are zeroed first. Separate, so that a
/// function without any (small helpers, recursive leaves) does not test for them on every
/// call.
func functionEntryLocalsNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    if !entryAllowed(n, fp, c) { return refuseEntry(c) }
    let locals = n.pointee.c
    let declared = Int(truncatingIfNeeded: locals >> 32)
    // Up to 16 locals are zeroed here, two slots per 16-byte store: an odd count also
    // zeroes the slot after the last local, the operand stack's first, which the frame
    // always has (its size is one more than locals and operands need) and which holds
    // nothing yet. Straight-line stores, because the optimiser turns a loop into a memset
    // call, and a call makes the node save registers: that path (`enterZeroingLocals`, for
    // more locals) cost 50 instructions and memset's own for a dozen locals (Lua's
    // interpreter functions).
    if declared > 16 { return enterZeroingLocals(n, fp, c) }
    let p = UnsafeMutableRawPointer(fp + Int(truncatingIfNeeded: locals & 0xFFFF_FFFF))
    let zero = SIMD2<UInt64>(repeating: 0)
    p.storeBytes(of: zero, as: SIMD2<UInt64>.self)
    if declared > 2 { p.storeBytes(of: zero, toByteOffset: 16, as: SIMD2<UInt64>.self) }
    if declared > 4 { p.storeBytes(of: zero, toByteOffset: 32, as: SIMD2<UInt64>.self) }
    if declared > 6 { p.storeBytes(of: zero, toByteOffset: 48, as: SIMD2<UInt64>.self) }
    if declared > 8 { p.storeBytes(of: zero, toByteOffset: 64, as: SIMD2<UInt64>.self) }
    if declared > 10 { p.storeBytes(of: zero, toByteOffset: 80, as: SIMD2<UInt64>.self) }
    if declared > 12 { p.storeBytes(of: zero, toByteOffset: 96, as: SIMD2<UInt64>.self) }
    if declared > 14 { p.storeBytes(of: zero, toByteOffset: 112, as: SIMD2<UInt64>.self) }
    return chargeThenRun(n.pointee.d, n.pointee.a, fp, c)
}

/// The entry nodes' limit check, which also counts the call: the call depth (`callsLeft`), the
/// native stack against the calling thread's bounds, and the value stack against the callee's
/// frame size (field b). Three branches to one cold path: combined into one condition, they
/// compiled to flag arithmetic. A refused call keeps its count: the refusal is a trap, and
/// where a trap is caught (`Function.call`) the count saved before the call is restored.
@inline(__always)
func entryAllowed(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> Bool {
    c.pointee.callsLeft &-= 1
    if _slowPath(c.pointee.callsLeft < 0) { return false }
    if _slowPath(swvm_frame_address() < c.pointee.nativeLimit) { return false }
    return _fastPath(fp + n.pointee.b.int <= c.pointee.stackEnd)
}

@inline(never)
func enterZeroingLocals(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let locals = n.pointee.c
    (fp + Int(truncatingIfNeeded: locals & 0xFFFF_FFFF)).update(repeating: 0, count: Int(truncatingIfNeeded: locals >> 32))
    return chargeThenRun(n.pointee.d, n.pointee.a, fp, c)
}

// Returns end the statement chain of a call: they leave the frame (depth) and hand the first
// result back in a register; several results are left in the frame's first slots.

func returnVoidNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    c.pointee.callsLeft &+= 1
    return 0
}
/// a = slot of the result.
func returnSlotNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    c.pointee.callsLeft &+= 1
    return fp[n.pointee.a.int]
}
/// a = the result.
func returnConstNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    c.pointee.callsLeft &+= 1
    return n.pointee.a
}
/// a = the result's expression. A trap in it needs no test here: the caller's call node
/// and statement see the flag.
func returnExprNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    c.pointee.callsLeft &+= 1
    return eval(n.pointee.a, fp, c)
}
/// a = slot of the first result, b = result count.
func returnMultiNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    c.pointee.callsLeft &+= 1
    moveSlots(fp, 0, n.pointee.a.int, n.pointee.b.int)
    return fp[0]
}
