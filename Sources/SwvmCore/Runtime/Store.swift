import CSwvmSupport

/// Limits a store applies to everything that runs in it.
public struct StoreConfig: Sendable {
    /// Slots (8 bytes each) of the value stack shared by all Wasm frames of the store.
    public var valueStackSlots: Int = 1 << 20
    /// Maximum nesting of Wasm calls.
    public var maxCallDepth: Int = 100_000
    /// Native stack kept free below the deepest Wasm frame, for host code and trap unwinding.
    /// Recursion is bounded by the calling thread's real stack minus this reserve, so small
    /// host threads (256 KiB) get `call stack exhausted` rather than a crash.
    public var nativeStackReserve: Int = 64 * 1024
    /// Largest size of each linear memory in 64 KiB pages (nil: the type's maximum). Growth
    /// beyond it fails as `memory.grow` fails (-1); a module whose memory minimum exceeds it
    /// fails to instantiate with a `.limit` error.
    public var maxMemoryPages: UInt64?
    /// Largest size of each table in elements, enforced like `maxMemoryPages`.
    public var maxTableElements: UInt64 = 10_000_000
    /// Charge execution against a fuel tank (`Store.setFuel`): when it runs dry, the call traps
    /// with `fuel exhausted`. A unit is about one executed Wasm instruction: each loop iteration
    /// is charged its body's size, each call its body's size outside loops.
    public var consumeFuel = false
    public init() {}
}

/// Owns everything instantiated in it (instances, functions, memories, tables, globals) and
/// the execution state. By default an instance lives as long as its store; a store that
/// `collectsInstances` (the C API's) instead drops an instance once nothing pins or reaches it
/// (see `collect()`), so a host can instantiate and free modules indefinitely in one store.
/// The store must outlive
/// the objects created in it (as in wasmtime and WasmKit): they refer back to it unowned, so a
/// use after the store is gone stops with a fatal error instead of touching freed memory.
/// A store is used by one thread at a time.
public final class Store {
    public let config: StoreConfig
    let ctx: Ctx
    /// The instances compiled code may still reach through raw pointers: a call node holds the
    /// address of a callee's record, a table or global holds funcrefs as addresses, and those
    /// point into the defining instance's arena. Every instance stays here until `collect()`
    /// proves it unreachable (or, without `collectsInstances`, until the store goes).
    var instances: [Instance] = []
    var hostObjects: [AnyObject] = []
    /// Drop instances that nothing pins or reaches (see `collect()`). Off by default: Swift
    /// code holding an `Instance` does not pin it, so it must not be collected under it.
    public var collectsInstances = false
    /// External references (C handles, linker definitions) by object, with their counts.
    private var roots: [ObjectIdentifier: (object: AnyObject, count: Int)] = [:]
    /// A collection was asked for while Wasm code ran; it runs at the next safe point.
    private var collectPending = false
    /// Message of the last `.host` trap.
    var hostTrapMessage: String?
    /// Exceptions Wasm code may still refer to, by address (see `keep`).
    var exceptions: [UInt64: Exception] = [:]
    /// Set once a global or table that can hold an exnref exists in the store: exceptions then
    /// stay until the store goes (see `dropExceptions`).
    var exnrefStorage = false
    /// Stops running calls from other threads.
    public let interruptHandle = InterruptHandle()

    public init(config: StoreConfig = StoreConfig()) {
        self.config = config
        let slots = max(config.valueStackSlots, 1024)
        let stack = UnsafeMutablePointer<UInt64>.allocate(capacity: slots)
        ctx = Ctx.allocate(capacity: 1)
        ctx.initialize(to: ExecContext(
            stackBase: stack, stackEnd: stack + slots, entryTop: stack,
            nativeLimit: 0, callsLeft: config.maxCallDepth, maxDepth: config.maxCallDepth,
            trace: .allocate(capacity: ExecContext.traceCapacity), interruptFlag: interruptHandle.flag))
        ctx.pointee.fuelEnabled = config.consumeFuel
        ctx.pointee.regrant()
    }

    /// Fuel left (0 when fuel is not enabled).
    public var fuel: UInt64 { ctx.pointee.fuelEnabled ? ctx.pointee.fuelLeft : 0 }

    /// Fuel left; needs `StoreConfig.consumeFuel` (an embedder asking otherwise made a mistake).
    public func fuelLeft() throws(WasmError) -> UInt64 {
        guard ctx.pointee.fuelEnabled else { throw WasmError(.usage, "fuel is not enabled for this store (consumeFuel)") }
        return ctx.pointee.fuelLeft
    }

    /// Sets the fuel tank; needs `StoreConfig.consumeFuel`.
    public func setFuel(_ units: UInt64) throws(WasmError) {
        guard ctx.pointee.fuelEnabled else { throw WasmError(.usage, "fuel is not enabled for this store (consumeFuel)") }
        ctx.pointee.fill(units)
    }

    /// Adds to the fuel tank (saturating); needs `StoreConfig.consumeFuel`.
    public func addFuel(_ units: UInt64) throws(WasmError) {
        guard ctx.pointee.fuelEnabled else { throw WasmError(.usage, "fuel is not enabled for this store (consumeFuel)") }
        let (sum, overflow) = ctx.pointee.fuelLeft.addingReportingOverflow(units)
        try setFuel(overflow ? UInt64.max : sum)
    }

    deinit {
        // Instances go first: their arenas hold nodes pointing into memories, tables and globals.
        instances.removeAll()
        ctx.pointee.stackBase.deallocate()
        ctx.pointee.trace.deallocate()
        ctx.deallocate()
    }

    func retain(_ object: AnyObject) { hostObjects.append(object) }

    /// Counts an external reference to an instance, function, table or global: while pinned, it
    /// and everything it reaches stay alive (see `collect()`). Other objects are ignored.
    public func pin(_ object: AnyObject) {
        guard object is Instance || object is Function || object is Table || object is Global else { return }
        let id = ObjectIdentifier(object)
        if let r = roots[id] { roots[id] = (r.object, r.count + 1) } else { roots[id] = (object, 1) }
    }

    /// Drops a reference counted by `pin`; the last one lets the store collect.
    public func unpin(_ object: AnyObject) {
        let id = ObjectIdentifier(object)
        guard let r = roots[id] else { return }
        if r.count > 1 {
            roots[id] = (r.object, r.count - 1)
            return
        }
        roots[id] = nil
        collect()
    }

    /// Drops the instances that are neither pinned nor reachable from a pinned object. An
    /// instance reaches the defining instances of the functions it imports and of every funcref
    /// in its tables and globals (the raw pointers its code follows); a pinned function reaches
    /// its instance, a pinned table or global its funcrefs. A dropped instance is freed with
    /// its code, and its memories, tables and globals unless something else holds them (they
    /// are reference counted on their own). While Wasm code of the store runs, the collection
    /// waits until the next instantiation or unpin: frames of the running code may belong to
    /// an instance a host function just let go of.
    public func collect() {
        guard collectsInstances else { return }
        guard ctx.pointee.depth == 0 else {
            collectPending = true
            return
        }
        collectPending = false
        var live = Set<ObjectIdentifier>()
        var scanned = Set<ObjectIdentifier>()
        var work: [Instance] = []
        func reach(_ i: Instance) {
            if live.insert(ObjectIdentifier(i)).inserted { work.append(i) }
        }
        func reach(_ f: Function) {
            if let i = f.instance { reach(i) }
        }
        func reach(word: UInt64) {
            if let f = Function.from(word: word) { reach(f) }
        }
        func scan(_ t: Table) {
            guard t.type.elementType.kind == .funcref, scanned.insert(ObjectIdentifier(t)).inserted else { return }
            let s = t.state.pointee
            for k in 0..<Int(s.size) { reach(word: s.elements[k]) }
        }
        func scan(_ g: Global) {
            if g.type.valueType.kind == .funcref { reach(word: g.cell[0]) }
        }
        for (_, root) in roots {
            switch root.object {
            case let i as Instance: reach(i)
            case let f as Function: reach(f)
            case let t as Table: scan(t)
            case let g as Global: scan(g)
            default: break
            }
        }
        while let i = work.popLast() {
            i.functions.forEach(reach)
            i.tables.forEach(scan)
            i.globals.forEach(scan)
        }
        instances.removeAll { !live.contains(ObjectIdentifier($0)) }
    }

    /// A frame of the stack the last trap unwound: the function's instance (nil for a host
    /// function) and its index in the module's function index space.
    public struct TrapFrame {
        public let instance: Instance?
        public let functionIndex: Int
    }

    /// The frames of the last trap, innermost first; valid until the next call into the store
    /// (the engine records them as the trap unwinds, up to its trace capacity).
    public var lastTrapFrames: [TrapFrame] {
        let c = ctx.pointee
        return (0..<min(c.traceCount, ExecContext.traceCapacity)).compactMap { i in
            guard let f = Function.from(word: c.trace[i]) else { return nil }
            return TrapFrame(instance: f.instance, functionIndex: f.functionIndex)
        }
    }

    /// Runs a collection deferred while Wasm code ran (see `collect()`).
    func collectIfPending() {
        if collectPending { collect() }
    }

    /// Runs `body` with the native stack limit set for the calling thread, if no Wasm code of
    /// this store is already running on it. The limit is restored afterwards: a trap poisons
    /// it (see `raise`).
    func withEntry<R>(_ body: () -> R) -> R {
        if ctx.pointee.depth == 0 {
            // An interrupt requested while nothing ran was meant for an earlier call.
            swvm_atomic_store(interruptHandle.flag, 0)
            var low: UInt = 0
            var size: Int = 0
            if swvm_thread_stack_bounds(&low, &size) != 0 {
                ctx.pointee.nativeLimit = low + UInt(config.nativeStackReserve)
            } else {
                // Unknown stack: assume 512 KiB below here.
                ctx.pointee.nativeLimit = swvm_frame_address() &- 512 * 1024 &+ UInt(config.nativeStackReserve)
            }
        }
        let limit = ctx.pointee.nativeLimit
        let r = body()
        ctx.pointee.nativeLimit = limit
        return r
    }
}
