import CSwvmSupport
import Glibc

// Fuel and interruption share one countdown on the hot path. Loop iterations and function
// entries subtract their cost (about one unit per Wasm instruction, computed at compile time)
// from `ExecContext.budget`; only when it drops below zero does `budgetExhausted` look at the
// interrupt flag and the fuel tank. Without fuel the budget is refilled in chunks, so an
// interrupt request is seen within one chunk of execution.

/// Units granted between two checks when fuel is off (with fuel, at most this many). A loop
/// body is charged whole on every iteration, including branches not taken, so a bytecode
/// interpreter's dispatch loop spends units about ten times faster than it runs instructions:
/// Lua ran out of a 50,000-unit chunk 300,000 times in one second, 1.4 % of its instructions.
/// A million units is about a millisecond of compiled C code, the time an interrupt may take.
let budgetChunk = 1_000_000

extension ExecContext {
    /// Fuel left, counting what the running code has used of the current grant.
    var fuelLeft: UInt64 {
        let used = budgetGranted &- budget
        return used <= 0 ? fuel : (UInt64(used) >= fuel ? 0 : fuel - UInt64(used))
    }

    /// Folds the used part of the grant into `fuel` and grants afresh.
    mutating func regrant() { fill(fuelLeft) }

    /// Sets the tank to `units` and grants from it.
    mutating func fill(_ units: UInt64) {
        fuel = units
        budgetGranted = fuelEnabled ? Int(Swift.min(fuel, UInt64(budgetChunk))) : budgetChunk
        budget = budgetGranted
    }
}

/// The slow path of a charge that took the budget below zero; true when it raised a trap.
@inline(never)
func budgetExhausted(_ c: Ctx) -> Bool {
    if swvm_atomic_load(c.pointee.interruptFlag) != 0 {
        c.pointee.regrant()
        _ = raise(.interrupted, c)
        return true
    }
    if c.pointee.fuelEnabled && UInt64(c.pointee.budgetGranted &- c.pointee.budget) > c.pointee.fuel {
        c.pointee.fill(0)
        _ = raise(.fuelExhausted, c)
        return true
    }
    c.pointee.regrant()
    return false
}

/// A back edge: charges the loop's cost (field d of the branching node) and continues at its
/// head (field c). The rare slow path is a tail call of its own that re-reads the node, so the
/// fast path saves no registers and keeps nothing live across the budget test.
@inline(__always)
func backEdge(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    c.pointee.budget &-= Int(truncatingIfNeeded: n.pointee.d)
    if c.pointee.budget < 0 { return exhaustedOnBackEdge(n, fp, c) }
    return next(n.pointee.c, fp, c)
}

@inline(never)
func exhaustedOnBackEdge(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    if budgetExhausted(c) { return 0 }
    return next(n.pointee.c, fp, c)
}

/// Stops the calls running in a store from any thread. Holds the flag itself, so it stays
/// valid after the store is gone (then interrupting does nothing).
public final class InterruptHandle: @unchecked Sendable {
    let flag: UnsafeMutablePointer<Int32>

    init() {
        flag = .allocate(capacity: 1)
        flag.initialize(to: 0)
    }

    deinit { flag.deallocate() }

    /// Makes the call running in the store trap with `interrupted` at its next loop iteration
    /// or function call (within milliseconds). A request made while no call runs is dropped
    /// when the next call from the host starts. Safe to call from any thread.
    public func interrupt() { swvm_atomic_store(flag, 1) }
}

/// As `backEdge`, at a function entry: charges the body's cost outside loops, then runs it
/// through `runBody`.
@inline(__always)
func chargeThenRun(_ cost: UInt64, _ first: UInt64, _ fp: Frame, _ c: Ctx) -> UInt64 {
    c.pointee.budget &-= Int(truncatingIfNeeded: cost)
    if c.pointee.budget < 0 { return exhaustedThenRun(first, fp, c) }
    return runBody(first, fp, c)
}

@inline(never)
func exhaustedThenRun(_ first: UInt64, _ fp: Frame, _ c: Ctx) -> UInt64 {
    if budgetExhausted(c) { return 0 }
    return runBody(first, fp, c)
}
