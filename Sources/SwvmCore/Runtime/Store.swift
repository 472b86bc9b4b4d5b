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
/// the execution state; all of it is freed together with the store. The store must outlive
/// the objects created in it (as in wasmtime and WasmKit): they refer back to it unowned, so a
/// use after the store is gone stops with a fatal error instead of touching freed memory.
/// A store is used by one thread at a time.
public final class Store {
    public let config: StoreConfig
    let ctx: Ctx
    /// Keeps every object reachable by raw pointers alive as long as the store.
    var instances: [Instance] = []
    var hostObjects: [AnyObject] = []
    /// Message of the last `.host` trap.
    var hostTrapMessage: String?
    /// Stops running calls from other threads.
    public let interruptHandle = InterruptHandle()

    public init(config: StoreConfig = StoreConfig()) {
        self.config = config
        let slots = max(config.valueStackSlots, 1024)
        let stack = UnsafeMutablePointer<UInt64>.allocate(capacity: slots)
        ctx = Ctx.allocate(capacity: 1)
        ctx.initialize(to: ExecContext(
            stackBase: stack, stackEnd: stack + slots, entryTop: stack,
            nativeLimit: 0, depth: 0, maxDepth: config.maxCallDepth,
            trace: .allocate(capacity: ExecContext.traceCapacity), interruptFlag: interruptHandle.flag))
        ctx.pointee.fuelEnabled = config.consumeFuel
        ctx.pointee.regrant()
    }

    /// Fuel left (0 when fuel is not enabled).
    public var fuel: UInt64 { ctx.pointee.fuelEnabled ? ctx.pointee.fuelLeft : 0 }

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
