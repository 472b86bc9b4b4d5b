// Tail calls (return_call, return_call_indirect). A tail call is a jump: the callee's frame
// replaces the caller's at the same base. The arguments move down to the frame's first slots,
// then the statement continues into the callee's body the way a branch continues into its
// target, so a chain of tail calls runs in constant native stack (a sibling call in an
// optimised build; `next` to the trampoline of the running `runBody` in an unoptimised one).
// The callee's return node then returns to whoever called the first function of the chain.
//
// The callee's entry work is done here rather than by its entry node, which would start a
// trampoline of its own: the same limit check (the value stack must hold the callee's frame,
// which may be larger than the caller's), zeroed locals, and the fuel charge of its body, so
// an endless loop of tail calls runs out of fuel and sees interrupts. Depth is unchanged: one
// frame leaves, one enters.

/// Enters the function of `rec` in place of the running one; its arguments are in fp[0...].
@inline(__always)
func tailEnter(_ rec: UnsafeMutablePointer<FuncRecord>, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let entry = rec.pointee.entry
    if entry.pointee.fn == fnWord(functionEntryNode) || entry.pointee.fn == fnWord(functionEntryLocalsNode) {
        return tailEntry(entry, fp, c)
    }
    return tailEnterSlow(rec, fp, c)
}

/// The entry nodes' work for a tail call (its record: a = first statement, b = frame
/// size, c = parameter count | declared local count << 32, d = cost), continuing in the
/// current statement chain. The native stack needs no check (a tail call does not grow it),
/// nor does a pending trap (the tail call nodes test the flag before coming here): only the
/// value stack, which must hold the callee's frame.
func tailEntry(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    if fp + n.pointee.b.int > c.pointee.stackEnd { return raise(.callStackExhausted, c) }
    let locals = n.pointee.c
    let declared = Int(truncatingIfNeeded: locals >> 32)
    if declared != 0 {
        (fp + Int(truncatingIfNeeded: locals & 0xFFFF_FFFF)).update(repeating: 0, count: declared)
    }
    c.pointee.budget &-= Int(truncatingIfNeeded: n.pointee.d)
    if c.pointee.budget < 0 { return tailEntryExhausted(n, fp, c) }
    return next(n.pointee.a, fp, c)
}

@inline(never)
func tailEntryExhausted(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    if budgetExhausted(c) { return 0 }
    return next(n.pointee.a, fp, c)
}

/// A callee that is not compiled yet is compiled first; a host function is called as usual
/// (it cannot recurse into this chain) and its results become the running frame's results.
@inline(never)
func tailEnterSlow(_ rec: UnsafeMutablePointer<FuncRecord>, _ fp: Frame, _ c: Ctx) -> UInt64 {
    if rec.pointee.entry.pointee.fn == fnWord(lazyCompileEntry) {
        if !compile(rec, c) { return 0 }
        return tailEntry(rec.pointee.entry, fp, c)
    }
    let r = invoke(rec, fp, c)
    if trapped(c) { return 0 }
    c.pointee.callsLeft &+= 1
    return r
}

/// return_call: a = callee record, b = first argument slot, c = argument count; the
/// arguments are already in their slots.
func returnCallNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    moveSlots(fp, 0, n.pointee.b.int, n.pointee.c.int)
    return tailEnter(record(n.pointee.a), fp, c)
}

// The same for one, two and three arguments: fixed copies (the general loop costs a few
// times more for a single slot).

func returnCall1Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let src = fp + n.pointee.b.int
    fp[0] = src[0]
    return tailEnter(record(n.pointee.a), fp, c)
}

func returnCall2Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let src = fp + n.pointee.b.int
    let x = src[0], y = src[1]
    fp[0] = x
    fp[1] = y
    return tailEnter(record(n.pointee.a), fp, c)
}

func returnCall3Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let src = fp + n.pointee.b.int
    let x = src[0], y = src[1], z = src[2]
    fp[0] = x
    fp[1] = y
    fp[2] = z
    return tailEnter(record(n.pointee.a), fp, c)
}

/// return_call_indirect: a = table state, b = expected type id, c = element index
/// expression, d = first argument slot | argument slot count << 32. The 64 form is for a
/// table64, whose index is an i64 (an i32 index's upper half is not part of its value).
func returnCallIndirectNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { returnCallIndirect(n, fp, c, wide: false) }
func returnCallIndirect64Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { returnCallIndirect(n, fp, c, wide: true) }

@inline(__always)
func returnCallIndirect(_ n: NodeP, _ fp: Frame, _ c: Ctx, wide: Bool) -> UInt64 {
    guard let rec = indirectCallee(n, fp, c, wide: wide) else { return 0 }
    let d = n.pointee.d
    moveSlots(fp, 0, Int(d & 0xFFFF_FFFF), Int(d >> 32))
    return tailEnter(rec, fp, c)
}

/// return_call_ref: c = function reference expression, d = first argument slot | argument
/// slot count << 32 (see `referencedCallee`).
func returnCallRefNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    guard let rec = referencedCallee(n, fp, c) else { return 0 }
    let d = n.pointee.d
    moveSlots(fp, 0, Int(d & 0xFFFF_FFFF), Int(d >> 32))
    return tailEnter(rec, fp, c)
}
