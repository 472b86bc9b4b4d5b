// Exception handling (Wasm 3.0): tags, exception objects, and how an exception travels.
//
// An exception unwinds like a trap (docs/engine.md, "Exceptions"): `throw` records the
// exception in the execution context and raises the trap code `.exception`, so every statement
// and call node returns as for a trap; a `try_table` node, which runs its body as a nested
// chain, is the handler point that looks at the flag when its body returns.

/// An exception tag: the identity a `catch` matches, with the payload's types (the parameters
/// of its function type). Tags are compared by identity: an imported tag is the exporter's.
public final class Tag: Hashable, @unchecked Sendable {
    public let type: FuncType
    /// The canonical id of the type, which import matching compares.
    public let typeID: TypeID

    /// A tag made by the host (to import into modules, or to throw from host functions). Its
    /// type must have no results.
    public init(type: FuncType) throws(WasmError) {
        guard type.results.isEmpty else { throw WasmError(.usage, "a tag's type has no results, not \(type.results)") }
        self.type = type
        typeID = TypeRegistry.id(type)
    }

    init(checkedType: FuncType, typeID: TypeID) {
        type = checkedType
        self.typeID = typeID
    }

    var word: UInt64 { UInt64(pointer: Unmanaged.passUnretained(self).toOpaque()) }

    public static func == (a: Tag, b: Tag) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}

/// An exception: its tag and payload. Thrown by Wasm code (`throw`) or by a host function
/// (throw an `Exception` from its body); an `exnref` is a reference to one. One that leaves
/// the outermost Wasm call comes back as a `WasmError` of kind `.exception` carrying it.
public final class Exception: Error, Hashable, CustomStringConvertible, @unchecked Sendable {
    public let tag: Tag
    /// The payload in the engine's slot encoding, laid out as a frame lays out
    /// `tag.type.params` (a v128 takes two slots); `count` is the number of slots.
    let slots: UnsafeMutablePointer<UInt64>
    let count: Int
    /// Set once an exnref to it exists (catch_ref, catch_all_ref, or passed to the host): a
    /// plain catch of an exception nothing else refers to frees it at once.
    var captured = false
    /// Set once it reached the host as an `exnref` value: kept while the store lives, since a
    /// C host holds it as a raw pointer (swvm.h, SWVM_EXNREF).
    var handedToHost = false

    init(tag: Tag, copying from: UnsafePointer<UInt64>) {
        self.tag = tag
        count = tag.type.params.slotCount
        slots = .allocate(capacity: Swift.max(count, 1))
        slots.update(from: from, count: count)
    }

    /// An exception for a host function to throw; the payload must match the tag's type.
    public init(tag: Tag, payload: [Value]) throws(WasmError) {
        guard payload.count == tag.type.params.count,
              zip(payload, tag.type.params).allSatisfy({ $0.matches($1) }) else {
            throw WasmError(.usage, "exception payload \(payload.map(\.type)) does not match the tag's \(tag.type.params)")
        }
        self.tag = tag
        count = tag.type.params.slotCount
        slots = .allocate(capacity: Swift.max(count, 1))
        for (v, offset) in zip(payload, tag.type.params.slotOffsets) { v.store(to: slots + offset) }
    }

    deinit { slots.deallocate() }

    public var payload: [Value] {
        zip(tag.type.params, tag.type.params.slotOffsets).map { Value.load(from: slots + $1, type: $0) }
    }

    var word: UInt64 { UInt64(pointer: Unmanaged.passUnretained(self).toOpaque()) }

    static func from(word: UInt64) -> Exception? {
        guard word != 0 else { return nil }
        return Unmanaged<Exception>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(truncatingIfNeeded: word))!).takeUnretainedValue()
    }

    public var description: String { "exception \(tag.type.params) \(payload)" }

    public static func == (a: Exception, b: Exception) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}

extension Store {
    /// Keeps `e` alive while Wasm code may hold its address (an exnref is a raw word): it is
    /// captured, so a plain catch no longer frees it.
    func keep(_ e: Exception) {
        e.captured = true
        exceptions[e.word] = e
    }

    /// After the outermost call from the host: no frame holds an exnref any more, so unless a
    /// global or table could hold one, the store lets go of its exceptions, but for those the
    /// host was given as exnref values.
    func dropExceptions() {
        if !exceptions.isEmpty && !exnrefStorage { exceptions = exceptions.filter { $0.value.handedToHost } }
    }

    /// Puts `e` in flight: the running call unwinds to the nearest matching handler.
    func raiseException(_ e: Exception, _ c: Ctx) -> UInt64 {
        keep(e)
        c.pointee.exception = e.word
        return raise(.exception, c)
    }
}

/// `throw`: a = instance, b = tag index, c = first payload slot (the payload's values are in
/// their slots, laid out by type).
func throwNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let instance = Unmanaged<Instance>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(truncatingIfNeeded: n.pointee.a))!).takeUnretainedValue()
    let e = Exception(tag: instance.tags[n.pointee.b.int], copying: fp + n.pointee.c.int)
    return instance.store.raiseException(e, c)
}

/// `throw_ref`: a = instance, b = exnref expression. A null reference traps.
func throwRefNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let w = eval(n.pointee.b, fp, c)
    if trapped(c) { return 0 }
    guard w != 0 else { return raise(.nullExceptionReference, c) }
    c.pointee.exception = w
    return raise(.exception, c)
}

/// A jump out of a try_table body: hands the target to the try_table node, which continues
/// there once its nested chain has returned. a = target (possibly another exit, when the jump
/// leaves several try_tables).
func tryExitNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    c.pointee.tryExit = n.pointee.a
    c.pointee.pending = 0
    return 0
}

/// try_table: a = first statement of the body, b = handler table (per catch clause: tag word
/// or 0 for catch_all, 1 if it carries the exnref, target node, first destination slot),
/// c = clause count, d = instance. The body runs as a nested chain; it ends in a `tryExitNode`
/// (falling off its end or branching out), a return (a function return inside the body: its
/// result is handed on), or a trap or exception.
func tryTableNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let callsLeft = c.pointee.callsLeft
    let traceCount = c.pointee.traceCount
    let limit = c.pointee.nativeLimit
    let r = runBody(n.pointee.a, fp, c)
    if trapped(c) { return handle(n, fp, c, callsLeft, traceCount, limit) }
    let exit = c.pointee.tryExit
    if exit == 0 { return r }
    c.pointee.tryExit = 0
    return next(exit, fp, c)
}

/// An exception (or trap) came out of a try_table body: the first matching clause takes it,
/// with the state the unwinding left behind restored; otherwise it travels on.
@inline(never)
func handle(_ n: NodeP, _ fp: Frame, _ c: Ctx, _ callsLeft: Int, _ traceCount: Int, _ limit: UInt) -> UInt64 {
    guard c.pointee.raisedTrap == .exception, let e = Exception.from(word: c.pointee.exception) else { return 0 }
    let table = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.b)).unsafelyUnwrapped
    let tag = e.tag.word
    for k in 0..<n.pointee.c.int {
        let clause = table + 4 * k
        guard clause[0] == 0 || clause[0] == tag else { continue }
        c.pointee.trap = 0
        c.pointee.exception = 0
        c.pointee.refusedCall = false
        c.pointee.pending = 0
        c.pointee.tryExit = 0
        c.pointee.callsLeft = callsLeft
        c.pointee.traceCount = traceCount
        c.pointee.nativeLimit = limit
        var dst = fp + clause[3].int
        if clause[0] != 0 {
            dst.update(from: e.slots, count: e.count)
            dst += e.count
        }
        if clause[1] != 0 {
            dst[0] = e.word
            e.captured = true
        } else if !e.captured {
            // Nothing refers to it any more: the payload was copied out.
            let instance = Unmanaged<Instance>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(truncatingIfNeeded: n.pointee.d))!).takeUnretainedValue()
            instance.store.exceptions[e.word] = nil
        }
        return next(clause[2], fp, c)
    }
    return 0
}
