// A counted loop whose body is a single store (docs/engine.md, "Store loops"): `a[i] = v;
// i += k; br_if loop (i cmp n)`, clang's fills and a sieve's `composite[j] = 1`. As two
// statements each iteration dispatches twice and carries the counter through its frame slot
// (a store and a reload on the loop's critical path); the node below keeps the counter, the
// budget and everything loop-invariant in registers and runs both statements inside itself.

/// What a store loop's node needs besides its counter (field a), limit (b), head (c) and cost
/// (d): the store's memory, offset, address, value and the counter's step. The node's wide
/// field e points at it (in the instance's arena). Every field is one word.
///
/// The address is `(counter << counterShift) + addend`, wrapping at 32 bits, where `addend` is
/// a constant plus, unless `addendSlot` is `noSlot`, another slot shifted by `addendShift`: the
/// store nodes' address kinds s (`x`), p (`x + k`), x (`base + (index << k) + c`, the counter
/// either of the two slots) and y (`(index << k) + c`). The static offset is added after, as
/// for every 32-bit access.
struct StoreLoop {
    static let noSlot = UInt64.max
    /// How the stored value is found: a constant, a slot read once (it cannot change in the
    /// loop), or the counter itself (`a[i] = i`).
    enum ValueKind: UInt64 { case constant, slot, counter }

    var memory: UInt64
    var offset: UInt64
    var size: UInt64
    var counterShift: UInt64
    var addend: UInt64
    var addendSlot: UInt64
    var addendShift: UInt64
    var valueKind: UInt64
    var value: UInt64
    var stepIsSlot: UInt64
    var step: UInt64

    /// The record as words, for `Arena.words`.
    var words: [UInt64] {
        [memory, offset, size, counterShift, addend, addendSlot, addendShift, valueKind, value, stepIsSlot, step]
    }
}

/// Runs a store loop; `holds` is the loop's condition on the counter after its update. The
/// order is the two statements' own: store (an out-of-bounds address traps before the
/// update), update, test, and only on the way back the loop's cost, as `backEdge` charges it.
/// The counter and the budget are written back whenever the node leaves (done, trap, budget
/// exhausted); after a budget check that lets the call go on, `exhaustedOnBackEdge` re-enters
/// this node at its head (field c is the node itself).
@inline(__always)
func storeSelfLoop(_ n: NodeP, _ fp: Frame, _ c: Ctx, _ holds: (UInt32) -> Bool) -> UInt64 {
    let r = n.e.raw.assumingMemoryBound(to: StoreLoop.self)
    switch r.pointee.size {
    case 1: return storeLoop(UInt8.self, n, fp, c, r, holds)
    case 2: return storeLoop(UInt16.self, n, fp, c, r, holds)
    case 4: return storeLoop(UInt32.self, n, fp, c, r, holds)
    default: return storeLoop(UInt64.self, n, fp, c, r, holds)
    }
}

@inline(__always)
private func storeLoop<T: FixedWidthInteger>(_: T.Type, _ n: NodeP, _ fp: Frame, _ c: Ctx,
                                              _ r: UnsafeMutablePointer<StoreLoop>,
                                              _ holds: (UInt32) -> Bool) -> UInt64 {
    let kind = r.pointee.valueKind
    if kind == StoreLoop.ValueKind.counter.rawValue {
        return storeLoop(n, fp, c, r, holds) { a in T(truncatingIfNeeded: a) }
    }
    let fixed = T(truncatingIfNeeded: kind == StoreLoop.ValueKind.slot.rawValue ? fp[r.pointee.value.int] : r.pointee.value)
    return storeLoop(n, fp, c, r, holds) { _ in fixed }
}

@inline(__always)
private func storeLoop<T: FixedWidthInteger>(_ n: NodeP, _ fp: Frame, _ c: Ctx, _ r: UnsafeMutablePointer<StoreLoop>,
                                              _ holds: (UInt32) -> Bool, _ value: (UInt32) -> T) -> UInt64 {
    let mem = UnsafeMutablePointer<MemoryState>(bitPattern: UInt(truncatingIfNeeded: r.pointee.memory)).unsafelyUnwrapped
    // Nothing in the loop can grow the memory, so its base and end stay as they are. The
    // 32-bit address is in bounds when address + offset < end, that is address < end - offset.
    let offset = r.pointee.offset
    let end = mem.pointee.end(forSize: UInt64(MemoryLayout<T>.size))
    let limit = end > offset ? end - offset : 0
    let base = mem.pointee.base + Int(truncatingIfNeeded: offset)
    let shift = UInt32(truncatingIfNeeded: r.pointee.counterShift)
    var addend = UInt32(truncatingIfNeeded: r.pointee.addend)
    if r.pointee.addendSlot != StoreLoop.noSlot {
        addend &+= UInt32(truncatingIfNeeded: fp[r.pointee.addendSlot.int]) &<< UInt32(truncatingIfNeeded: r.pointee.addendShift)
    }
    let step = UInt32(truncatingIfNeeded: r.pointee.stepIsSlot != 0 ? fp[r.pointee.step.int] : r.pointee.step)
    let cost = Int(truncatingIfNeeded: n.pointee.d)
    // An i32 slot's upper half is never read: the counter nodes write the low half only.
    let x = UnsafeMutableRawPointer(fp + n.pointee.a.int)
    var a = x.load(as: UInt32.self)
    // (a << shift) + addend, kept up to date by adding step << shift: shifts and adds wrap at
    // 32 bits, so ((a + step) << shift) + addend is the same sum.
    var address = (a &<< shift) &+ addend
    let stride = step &<< shift
    var budget = c.pointee.budget
    while true {
        guard UInt64(address) < limit else {
            x.storeBytes(of: a, as: UInt32.self)
            c.pointee.budget = budget
            return raise(.outOfBoundsMemoryAccess, c)
        }
        (base + Int(address)).storeBytes(of: value(a), as: T.self)
        a &+= step
        address &+= stride
        if !holds(a) {
            x.storeBytes(of: a, as: UInt32.self)
            c.pointee.budget = budget
            return proceed(n, fp, c)
        }
        budget &-= cost
        if budget < 0 {
            x.storeBytes(of: a, as: UInt32.self)
            c.pointee.budget = budget
            return exhaustedOnBackEdge(n, fp, c)
        }
    }
}
