/// An instantiated module: its index spaces resolved to runtime objects, its exports, and the
/// arena holding its compiled code. Functions are compiled on their first call.
public final class Instance {
    public let module: Module
    unowned let store: Store
    let arena = Arena()
    var functions: [Function] = []
    var tables: [Table] = []
    var memories: [Memory] = []
    var globals: [Global] = []
    var tags: [Tag] = []
    /// Element segments as engine words; `nil` once dropped (an empty segment from then on).
    var elementSegments: [[UInt64]?] = []
    /// Data segment byte ranges of `module.bytes`; empty once dropped.
    var dataSegments: [Range<Int>] = []
    /// Exports by the bytes of their names: Wasm compares names byte for byte, while Swift's
    /// String equality would merge canonically equivalent names ("\u{C5}" and "A\u{30A}").
    private var exportsByName: [[UInt8]: Extern] = [:]
    /// Exports in declaration order.
    public private(set) var exports: [(name: String, extern: Extern)] = []
    public var exportNames: [String] { exports.map(\.name) }

    init(module: Module, store: Store) {
        self.module = module
        self.store = store
    }

    public func export(_ name: String) -> Extern? { exportsByName[Array(name.utf8)] }

    public func function(_ name: String) -> Function? {
        if case .function(let f)? = export(name) { return f }
        return nil
    }
    public func memory(_ name: String) -> Memory? {
        if case .memory(let m)? = export(name) { return m }
        return nil
    }
    public func global(_ name: String) -> Global? {
        if case .global(let g)? = export(name) { return g }
        return nil
    }
    public func tag(_ name: String) -> Tag? {
        if case .tag(let t)? = export(name) { return t }
        return nil
    }
    public func table(_ name: String) -> Table? {
        if case .table(let t)? = export(name) { return t }
        return nil
    }

    /// Evaluates a constant expression to its slot word.
    func evaluate(_ expr: ConstExpr) -> (UInt64, UInt64) {
        switch expr {
        case .i32(let v): return (UInt64(v), 0)
        case .i64(let v): return (v, 0)
        case .f32(let v): return (UInt64(v), 0)
        case .f64(let v): return (v, 0)
        case .v128(let lo, let hi): return (lo, hi)
        case .refNull: return (0, 0)
        case .refFunc(let i): return (UInt64(pointer: functions[Int(i)].record), 0)
        case .globalGet(let i): return (globals[Int(i)].cell[0], globals[Int(i)].cell[1])
        case .binary(let op, let a, let b):
            let x = evaluate(a).0, y = evaluate(b).0
            switch op {
            case .i32Add: return (UInt64(UInt32(truncatingIfNeeded: x) &+ UInt32(truncatingIfNeeded: y)), 0)
            case .i32Sub: return (UInt64(UInt32(truncatingIfNeeded: x) &- UInt32(truncatingIfNeeded: y)), 0)
            case .i32Mul: return (UInt64(UInt32(truncatingIfNeeded: x) &* UInt32(truncatingIfNeeded: y)), 0)
            case .i64Add: return (x &+ y, 0)
            case .i64Sub: return (x &- y, 0)
            default: return (x &* y, 0)  // i64.mul, the only other operator the decoder admits
            }
        }
    }

    /// An address-typed value (an offset, index or size) from its slot word: an i32 is the
    /// word's low half, an i64 the whole word.
    @inline(__always) static func address(_ word: UInt64, is64: Bool) -> UInt64 {
        is64 ? word : UInt64(UInt32(truncatingIfNeeded: word))
    }

    /// Creates every object of the instance from resolved imports, then runs the spec's
    /// initialisation: element segments, data segments, start function, in that order. A trap
    /// there fails the instantiation but leaves the writes already made (Wasm 2.0 semantics).
    func initialize(imports: [Extern]) throws(WasmError) {
        for ext in imports {
            switch ext {
            case .function(let f): functions.append(f)
            case .table(let t): tables.append(t)
            case .memory(let m): memories.append(m)
            case .global(let g): globals.append(g)
            case .tag(let t): tags.append(t)
            }
        }
        for t in module.tags { tags.append(Tag(checkedType: module.types[Int(t)], typeID: module.typeIDs[Int(t)])) }
        // Globals may refer to functions (ref.func), so functions come first.
        for (i, typeIndex) in module.functions.enumerated() {
            let index = module.importedFunctionCount + i
            let f = Function(type: module.types[Int(typeIndex)], typeID: module.typeIDs[Int(typeIndex)], store: store, instance: self,
                             functionIndex: index, host: nil) { rec in
                self.arena.node(fnWord(lazyCompileEntry), UInt64(pointer: rec))
            }
            functions.append(f)
        }
        // A table initialiser may read imported globals only: those are in place.
        for (t, initializer) in zip(module.tables, module.tableInitializers) {
            tables.append(try Table(type: t, store: store, initial: initializer.map { evaluate($0).0 } ?? 0))
        }
        for m in module.memories { memories.append(try Memory(type: m, limitPages: store.config.maxMemoryPages)) }
        if module.globals.contains(where: { $0.type.valueType.kind == .exnref }) { store.exnrefStorage = true }
        // In order: an initialiser may read the globals before it (extended constants).
        for g in module.globals {
            let (lo, hi) = evaluate(g.initializer)
            globals.append(Global(type: g.type, word: lo, high: hi))
        }
        for e in module.exports {
            let ext: Extern
            switch e.kind {
            case .function: ext = .function(functions[Int(e.index)])
            case .table: ext = .table(tables[Int(e.index)])
            case .memory: ext = .memory(memories[Int(e.index)])
            case .global: ext = .global(globals[Int(e.index)])
            case .tag: ext = .tag(tags[Int(e.index)])
            }
            exportsByName[Array(e.name.utf8)] = ext
            exports.append((e.name, ext))
        }
        elementSegments = module.elements.map { seg in seg.items.map { evaluate($0).0 } }
        dataSegments = module.data.map(\.range)

        for (i, seg) in module.elements.enumerated() {
            switch seg.mode {
            case .passive: break
            case .declarative: elementSegments[i] = nil
            case .active(let table, let offset):
                let dst = Instance.address(evaluate(offset).0, is64: tables[Int(table)].type.is64)
                do { try tableInit(table: Int(table), segment: i, dst: dst, src: 0, count: UInt64(seg.items.count)) }
                catch { throw WasmError(.trap, error.description) }
                elementSegments[i] = nil
            }
        }
        for (i, seg) in module.data.enumerated() {
            guard case .active(let mem, let offset) = seg.mode else { continue }
            let dst = Instance.address(evaluate(offset).0, is64: memories[Int(mem)].type.is64)
            do { try memoryInit(memory: Int(mem), segment: i, dst: dst, src: 0, count: UInt64(seg.range.count)) }
            catch { throw WasmError(.trap, error.description) }
            dataSegments[i] = 0..<0
        }
        if let start = module.start {
            _ = try functions[Int(start)].call([])
        }
    }

    // Bulk operations shared by instantiation and the compiled instructions.

    func tableInit(table: Int, segment: Int, dst: UInt64, src: UInt64, count: UInt64) throws(Trap) {
        let items = elementSegments[segment] ?? []
        let t = tables[table].state
        guard inBounds(src, count, UInt64(items.count)), inBounds(dst, count, t.pointee.size) else { throw .outOfBoundsTableAccess }
        for k in 0..<Int(count) { t.pointee.elements[Int(dst) + k] = items[Int(src) + k] }
    }

    func memoryInit(memory: Int, segment: Int, dst: UInt64, src: UInt64, count: UInt64) throws(Trap) {
        let range = dataSegments[segment]
        let m = memories[memory].state
        guard inBounds(src, count, UInt64(range.count)), inBounds(dst, count, m.pointee.byteSize) else { throw .outOfBoundsMemoryAccess }
        if count == 0 { return }
        module.bytes.withUnsafeBytes { b in
            (m.pointee.base + Int(dst)).copyMemory(from: b.baseAddress! + range.lowerBound + Int(src), byteCount: Int(count))
        }
    }
}

/// The entry of a function not compiled yet: compiles it, patches the record, runs it. Like
/// every entry, it refuses a call attempted after a trap (see `refuseEntry`).
let lazyCompileEntry: NodeFn = { n, fp, c in
    if trapped(c) { return refuseEntry(c) }
    let record = UnsafeMutablePointer<FuncRecord>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    if !compile(record, c) { return 0 }
    return eval(UInt64(pointer: record.pointee.entry), fp, c)
}

/// Compiles the function of `record` and patches its entry; false after raising a trap.
func compile(_ record: UnsafeMutablePointer<FuncRecord>, _ c: Ctx) -> Bool {
    let function = record.pointee.owner.takeUnretainedValue()
    guard let instance = function.instance else {
        _ = raise(.unsupported, c)
        return false
    }
    do throws(Trap) { record.pointee.entry = try instance.compileFunction(function.functionIndex) } catch {
        _ = raise(error, c)
        return false
    }
    return true
}

/// The entry of a host function.
let hostEntry: NodeFn = { n, fp, c in
    if trapped(c) { return refuseEntry(c) }
    let record = UnsafeMutablePointer<FuncRecord>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    return record.pointee.owner.takeUnretainedValue().invokeHost(fp, c)
}

/// Whether `count` items from `start` lie within `size`, for any 64-bit operands: 64-bit
/// memories and tables take start and count up to 2^64 - 1, where `start + count` would wrap.
@inline(__always) func inBounds(_ start: UInt64, _ count: UInt64, _ size: UInt64) -> Bool {
    count <= size && start <= size - count
}
