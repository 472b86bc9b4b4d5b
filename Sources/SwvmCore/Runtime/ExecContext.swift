import CSwvmSupport

/// Per-store execution state, reached by every node through one raw pointer.
struct ExecContext {
    /// The value stack that holds every Wasm frame.
    var stackBase: UnsafeMutablePointer<UInt64>
    var stackEnd: UnsafeMutablePointer<UInt64>
    /// Where a call entering Wasm from the host places its frame; moves up while a host
    /// function runs so that re-entrant calls do not overwrite the frames below.
    var entryTop: UnsafeMutablePointer<UInt64>
    /// Native recursion stops with `call stack exhausted` once the frame address drops below.
    var nativeLimit: UInt
    /// Wasm calls that may still begin before the call depth reaches `maxDepth` (a
    /// configurable limit independent of stacks): a countdown, so that a function's entry
    /// checks it with one decrement and a sign test, and a return adds one back.
    var callsLeft: Int
    var maxDepth: Int
    /// The current Wasm call depth.
    var depth: Int { maxDepth &- callsLeft }
    /// The element index of the last `uninitialized element` trap, for its message.
    var trapIndex: UInt64 = 0
    /// Functions a trap unwound through, innermost first (FuncRecord addresses), recorded by
    /// call nodes on their error path only; at most `traceCapacity`, then just counted.
    var trace: UnsafeMutablePointer<UInt64>
    var traceCount: Int = 0

    /// Units left before the next fuel/interrupt check, and the size of the last grant
    /// (see Budget.swift).
    var budget: Int = 0
    var budgetGranted: Int = 0
    var fuelEnabled = false
    /// Fuel as of the last grant.
    var fuel: UInt64 = 0
    /// Set by another thread to stop the running call (InterruptHandle).
    var interruptFlag: UnsafeMutablePointer<Int32>
    /// The raised trap's raw value + 1, 0 while none was raised (see `raise` in Node.swift).
    var trap: Int = 0
    /// Set when a call was attempted after a trap and refused at its entry: that callee is
    /// not part of the trap's backtrace (see `invoke`).
    var refusedCall = false
    /// The next statement, in unoptimised builds only (`next` in Node.swift).
    var pending: UInt64 = 0
    /// The exception in flight while `trap` is `.exception` (an `Exception` address).
    var exception: UInt64 = 0
    /// Where a try_table continues after its body left through a `tryExitNode`.
    var tryExit: UInt64 = 0

    static let traceCapacity = 64

    /// Called while a trap unwinds out of a call to `record`.
    mutating func unwound(through record: UnsafeMutablePointer<FuncRecord>) {
        if traceCount < ExecContext.traceCapacity { trace[traceCount] = UInt64(UInt(bitPattern: record)) }
        traceCount &+= 1
    }

    /// The trap raised in the running call, if any.
    var raisedTrap: Trap? { trap == 0 ? nil : Trap(rawValue: UInt8(trap - 1)) }
}
