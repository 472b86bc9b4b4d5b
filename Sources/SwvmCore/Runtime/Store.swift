import CSwvmSupport

/// Limits a store applies to everything that runs in it.
public struct StoreConfig: Sendable {
    /// Slots (8 bytes each) of the value stack shared by all Wasm frames of the store.
    public var valueStackSlots: Int = 1 << 20
    /// Maximum nesting of Wasm calls.
    public var maxCallDepth: Int = 100_000
    /// Native stack kept free below the deepest Wasm frame, for host code and trap unwinding.
    public var nativeStackReserve: Int = 64 * 1024
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

    public init(config: StoreConfig = StoreConfig()) {
        self.config = config
        let slots = max(config.valueStackSlots, 1024)
        let stack = UnsafeMutablePointer<UInt64>.allocate(capacity: slots)
        ctx = Ctx.allocate(capacity: 1)
        ctx.initialize(to: ExecContext(
            stackBase: stack, stackEnd: stack + slots, entryTop: stack,
            nativeLimit: 0, depth: 0, maxDepth: config.maxCallDepth,
            trace: .allocate(capacity: ExecContext.traceCapacity)))
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
    /// this store is already running on it.
    func withEntry<R>(_ body: () throws(Trap) -> R) throws(Trap) -> R {
        let outermost = ctx.pointee.depth == 0
        if outermost {
            var low: UInt = 0
            var size: Int = 0
            if swvm_thread_stack_bounds(&low, &size) != 0 {
                ctx.pointee.nativeLimit = low + UInt(config.nativeStackReserve)
            } else {
                // Unknown stack: assume 512 KiB below here.
                ctx.pointee.nativeLimit = swvm_frame_address() &- 512 * 1024 &+ UInt(config.nativeStackReserve)
            }
        }
        return try body()
    }
}
