import Glibc

/// What compiled code knows of a function: its entry node and calling convention. The call
/// node of a caller holds the record's address; a funcref is that address.
struct FuncRecord {
    /// The entry expression node: receives the frame with the arguments in its first slots,
    /// returns the first result in a register and leaves all results in the first slots.
    /// Before the first call it is a stub that compiles the function and patches this field.
    var entry: NodeP
    /// The canonical id of the function's type (`TypeID.raw`), compared by `call_indirect`.
    var typeID: Int
    var paramCount: Int
    var resultCount: Int
    var owner: Unmanaged<Function>
}

/// The calling context handed to a host function.
public struct Caller {
    /// The instance that imported the host function (nil when called directly by the host).
    public let instance: Instance?
    public let store: Store
}

/// A host function body. Throwing any error traps the calling Wasm code with the error's
/// description as the trap message.
public typealias HostFunction = (Caller, [Value]) throws -> [Value]

/// A host function working on the engine's slots, with no arrays: the arguments are in
/// `slots[0..<params]` (i32/f32 in the low bits, externref as payload + 1, 0 for null, a v128
/// in two slots, low half first) and the results go to the first slots in the same encoding.
/// Throwing traps, as above.
public typealias RawHostFunction = (_ slots: UnsafeMutablePointer<UInt64>, Caller) throws -> Void

public final class Function {
    public let type: FuncType
    /// The canonical identity of the type: with recursion groups, more than `type` says.
    public var typeID: TypeID { TypeID(raw: UInt32(truncatingIfNeeded: record.pointee.typeID)) }
    let record: UnsafeMutablePointer<FuncRecord>
    unowned let store: Store
    /// Defining instance of a Wasm function; importing instance of a host binding.
    weak var instance: Instance?
    let functionIndex: Int
    let host: HostFunction?
    let rawHost: RawHostFunction?

    /// `typeID` is the type's canonical id when it comes from a module (by default, the id of
    /// `type` defined alone, as a host function's is).
    init(type: FuncType, typeID: TypeID? = nil, store: Store, instance: Instance?, functionIndex: Int, host: HostFunction?,
         rawHost: RawHostFunction? = nil, entry: (UnsafeMutablePointer<FuncRecord>) -> NodeP) {
        self.type = type
        self.store = store
        self.instance = instance
        self.functionIndex = functionIndex
        self.host = host
        self.rawHost = rawHost
        record = .allocate(capacity: 1)
        record.initialize(to: FuncRecord(
            entry: NodeP(bitPattern: 1)!, typeID: Int((typeID ?? TypeRegistry.id(type)).raw),
            paramCount: type.params.count, resultCount: type.results.count, owner: .passUnretained(self)))
        record.pointee.entry = entry(record)
    }

    deinit {
        // A host function's entry node is its own allocation (see hostEntryNode); a Wasm
        // function's nodes belong to its instance's arena.
        if isHost { UnsafeMutablePointer(mutating: record.pointee.entry).deallocate() }
        record.deallocate()
    }

    static func from(word: UInt64) -> Function? {
        guard word != 0 else { return nil }
        let rec = UnsafeMutablePointer<FuncRecord>(bitPattern: UInt(truncatingIfNeeded: word)).unsafelyUnwrapped
        return rec.pointee.owner.takeUnretainedValue()
    }

    /// Calls the function with typed arguments; traps come back as `WasmError` of kind `.trap`.
    public func call(_ args: [Value]) throws(WasmError) -> [Value] {
        guard args.count == type.params.count else {
            throw WasmError(.usage, "function expects \(type.params.count) argument(s) \(type), got \(args.count)")
        }
        for (i, (a, t)) in zip(args, type.params).enumerated() where !a.matches(t) {
            throw WasmError(.usage, "argument \(i) must be \(t), got \(a.typeDescription)")
        }
        let ctx = store.ctx
        let fp = ctx.pointee.entryTop
        let need = Swift.max(type.params.slotCount, type.results.slotCount, 1)
        guard fp + need <= ctx.pointee.stackEnd else { throw WasmError(.trap, Trap.callStackExhausted.description) }
        for (a, offset) in zip(args, type.params.slotOffsets) {
            if case .exnref(let e?) = a {
                store.keep(e)
            }
            a.store(to: fp + offset)
        }
        let savedCallsLeft = ctx.pointee.callsLeft
        // No Wasm code of this store runs below this call: its exceptions may go afterwards.
        let outermost = ctx.pointee.depth == 0
        let record = self.record
        ctx.pointee.traceCount = 0
        let first = store.withEntry { invoke(record, fp, ctx) }
        if let trap = ctx.pointee.raisedTrap {
            // The chain returned early: reset what the trapped frames left behind.
            ctx.pointee.trap = 0
            ctx.pointee.refusedCall = false
            ctx.pointee.pending = 0
            ctx.pointee.callsLeft = savedCallsLeft
            ctx.pointee.entryTop = fp
            ctx.pointee.tryExit = 0
            if trap == .exception {
                let w = ctx.pointee.exception
                ctx.pointee.exception = 0
                var e = WasmError(.exception, "uncaught exception")
                e.exception = Exception.from(word: w)
                e.exception?.captured = true
                e.trap = .exception
                e.backtrace = store.backtrace()
                if outermost { store.dropExceptions() }
                throw e
            }
            var e = store.wasmError(for: trap)
            e.backtrace = store.backtrace()
            if outermost { store.dropExceptions() }
            throw e
        }
        // One scalar result comes back in a register; a v128 or several are left in the
        // frame's first slots.
        let results = type.resultInRegister ? [Value.fromSlots(first, type: type.results[0])]
            : zip(type.results, type.results.slotOffsets).map { Value.load(from: fp + $1, type: $0) }
        if outermost { store.dropExceptions() }
        return results
    }

    var isHost: Bool { host != nil || rawHost != nil }

    /// Called by the host-function entry node: converts slots to values and back. A thrown
    /// error becomes a `.host` trap carrying the error's message.
    func invokeHost(_ fp: Frame, _ c: Ctx) -> UInt64 {
        let savedTop = c.pointee.entryTop
        c.pointee.entryTop = fp + Swift.max(type.params.slotCount, type.results.slotCount, 1)
        defer { c.pointee.entryTop = savedTop }
        do {
            if let rawHost {
                try rawHost(fp, Caller(instance: instance, store: store))
            } else {
                let args = zip(type.params, type.params.slotOffsets).map { Value.load(from: fp + $1, type: $0) }
                let results = try host!(Caller(instance: instance, store: store), args)
                guard results.count == type.results.count,
                      zip(results, type.results).allSatisfy({ $0.matches($1) })
                else {
                    store.hostTrapMessage = "host function returned \(results.map(\.type)) but its type is \(type)"
                    return raise(.host, c)
                }
                for (r, offset) in zip(results, type.results.slotOffsets) {
                    if case .exnref(let e?) = r {
                        store.keep(e)
                    }
                    r.store(to: fp + offset)
                }
            }
        } catch let e as Exception {
            return store.raiseException(e, c)
        } catch let e as WasmError {
            // An exception that left a Wasm call made by this host function travels on.
            if e.kind == .exception, let exn = e.exception { return store.raiseException(exn, c) }
            store.hostTrapMessage = e.message
            return raise(.host, c)
        } catch {
            store.hostTrapMessage = "\(error)"
            return raise(.host, c)
        }
        return type.results.isEmpty ? 0 : fp[0]
    }
}

extension Store {
    /// The recorded frames of the last trap, as names.
    func backtrace() -> [String] {
        let c = ctx.pointee
        var names: [String] = []
        for i in 0..<min(c.traceCount, ExecContext.traceCapacity) {
            let f = Function.from(word: c.trace[i])!
            names.append(f.displayName)
        }
        if c.traceCount > ExecContext.traceCapacity {
            names.append("... \(c.traceCount - ExecContext.traceCapacity) more")
        }
        return names
    }

    func wasmError(for trap: Trap) -> WasmError {
        var e = WasmError(.trap, trap.description)
        if trap == .host, let m = hostTrapMessage {
            hostTrapMessage = nil
            e.message = m
        }
        if trap == .uninitializedElement { e.message = "\(trap) \(ctx.pointee.trapIndex)" }
        e.trap = trap
        return e
    }
}

extension Function {
    /// The function's name from its module's `name` section, else `func[N]`; host functions
    /// are `<host>`.
    public var displayName: String {
        guard !isHost, let instance else { return "<host>" }
        return instance.module.functionNames[UInt32(functionIndex)] ?? "func[\(functionIndex)]"
    }
}

extension Function: Hashable {
    public static func == (a: Function, b: Function) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}
