/// Resolves imports by module and field name and instantiates modules in a store.
public final class Linker {
    public let store: Store
    /// Keyed by the bytes of module and field names (see `Instance.export`).
    private var definitions: [[UInt8]: [[UInt8]: Extern]] = [:]

    public init(store: Store) { self.store = store }

    /// Makes `extern` importable as `module`.`name`, replacing an earlier definition.
    public func define(module: String, name: String, _ extern: Extern) {
        definitions[Array(module.utf8), default: [:]][Array(name.utf8)] = extern
    }

    /// Defines a host function. Each instance importing it gets its own binding, whose
    /// `Caller.instance` is that instance.
    public func defineFunction(module: String, name: String, type: FuncType, _ body: @escaping HostFunction) {
        define(module: module, name: name, .function(hostFunction(type, host: body)))
    }

    /// Defines a host function on the raw slot interface (see `RawHostFunction`): no arrays
    /// are built per call, for hosts that convert values themselves (the C API's libffi path).
    public func defineRawFunction(module: String, name: String, type: FuncType, _ body: @escaping RawHostFunction) {
        define(module: module, name: name, .function(hostFunction(type, rawHost: body)))
    }

    /// A host function; `instance` is the importing instance of a binding. A binding is owned
    /// by its importing instance, which frees it with itself. A definition is owned by the
    /// store, unless the store `collectsInstances`: then by the linker, so a host making a
    /// linker per request does not grow the store (nothing else can hold a definition: an
    /// importing instance gets a binding of its own).
    private func hostFunction(_ type: FuncType, instance: Instance? = nil, host: HostFunction? = nil,
                              rawHost: RawHostFunction? = nil) -> Function {
        let f = Function(type: type, store: store, instance: instance, functionIndex: -1, host: host, rawHost: rawHost) { rec in
            hostEntryNode(for: rec)
        }
        if instance == nil && !store.collectsInstances { store.retain(f) }
        return f
    }

    /// Makes every export of `instance` importable under the module name `name`.
    public func register(_ name: String, instance: Instance) {
        for (field, ext) in instance.exports { define(module: name, name: field, ext) }
    }

    public func resolve(module: String, name: String) -> Extern? { definitions[Array(module.utf8)]?[Array(name.utf8)] }

    /// Resolves the module's imports, checks their types and instantiates it.
    public func instantiate(_ module: Module) throws(WasmError) -> Instance {
        var resolved: [Extern] = []
        for imp in module.imports {
            guard let ext = resolve(module: imp.module, name: imp.name) else {
                throw WasmError(.link, "unknown import: \(imp.module).\(imp.name) (\(imp.descriptor.kind)) is not defined")
            }
            try checkImport(imp, ext, module: module)
            resolved.append(ext)
        }
        return try create(module, imports: resolved)
    }

    /// Instantiates the module with its imports given in order (as the standard C API does),
    /// checking their count and types.
    public func instantiate(_ module: Module, imports: [Extern]) throws(WasmError) -> Instance {
        guard imports.count == module.imports.count else {
            throw WasmError(.link, "the module has \(module.imports.count) import(s), \(imports.count) given")
        }
        for (imp, ext) in zip(module.imports, imports) { try checkImport(imp, ext, module: module) }
        return try create(module, imports: imports)
    }

    /// Instantiates the module with its imports resolved and checked.
    private func create(_ module: Module, imports: [Extern]) throws(WasmError) -> Instance {
        var resolved = imports
        store.collectIfPending()
        let instance = Instance(module: module, store: store)
        // In the store before initialisation: a trapping start function or element segment
        // may already have put the instance's functions into imported tables.
        store.instances.append(instance)
        // Host functions are bound per importing instance so the host sees its caller.
        resolved = resolved.map { ext in
            guard case .function(let f) = ext, f.isHost, f.instance == nil else { return ext }
            return .function(hostFunction(f.type, instance: instance, host: f.host, rawHost: f.rawHost))
        }
        try instance.initialize(imports: resolved)
        return instance
    }

    private func checkImport(_ imp: Import, _ ext: Extern, module: Module) throws(WasmError) {
        func mismatch(_ expected: String, _ actual: String) -> WasmError {
            WasmError(.link, "incompatible import type for \(imp.module).\(imp.name): expected \(expected), found \(actual)")
        }
        switch (imp.descriptor, ext) {
        case (.function(let t), .function(let f)):
            // A function of the wanted type or a declared subtype of it.
            let want = module.types[Int(t)]
            if !TypeRegistry.isSubtype(f.typeID, of: module.typeIDs[Int(t)]) { throw mismatch("func \(want)", "func \(f.type)") }
        case (.table(let want), .table(let t)):
            // Tables are read and written: their element types must be the same.
            if want.elementType != t.type.elementType || want.is64 != t.type.is64 || !Linker.limits(actual: UInt64(t.size), t.type.limits.max, match: want.limits) {
                throw mismatch("table \(want.is64 ? "i64 " : "")\(want.elementType) \(want.limits)", "table \(t.type.is64 ? "i64 " : "")\(t.type.elementType) size \(t.size) max \(t.type.limits.max.map(String.init) ?? "none")")
            }
        case (.memory(let want), .memory(let m)):
            if want.is64 != m.type.is64 || !Linker.limits(actual: m.pageCount, m.type.limits.max, match: want.limits) {
                throw mismatch("memory \(want.is64 ? "i64 " : "")\(want.limits)", "\(m.type.is64 ? "i64 " : "")memory of \(m.pageCount) pages, max \(m.type.limits.max.map(String.init) ?? "none")")
            }
        case (.global(let want), .global(let g)):
            // An immutable global may be of a subtype; a mutable one is read and written.
            if want.mutable != g.type.mutable || !(want.mutable ? g.type.valueType == want.valueType : g.type.valueType.isSubtype(of: want.valueType)) {
                throw mismatch("global \(want.mutable ? "mut " : "")\(want.valueType)", "global \(g.type.mutable ? "mut " : "")\(g.type.valueType)")
            }
        case (.tag(let t), .tag(let tag)):
            let want = module.types[Int(t)]
            if tag.typeID != module.typeIDs[Int(t)] { throw mismatch("tag \(want)", "tag \(tag.type)") }
        default:
            throw mismatch("\(imp.descriptor.kind)", "\(ext.kind)")
        }
    }

    /// Import matching of limits: the current size is at least the wanted minimum, and a
    /// wanted maximum is matched by a declared maximum no larger.
    static func limits(actual: UInt64, _ actualMax: UInt64?, match want: Limits) -> Bool {
        if actual < want.min { return false }
        guard let wmax = want.max else { return true }
        guard let amax = actualMax else { return false }
        return amax <= wmax
    }
}

func hostEntryNode(for record: UnsafeMutablePointer<FuncRecord>) -> NodeP {
    // Host entry nodes are tiny and live as long as the function; allocate them individually.
    let p = UnsafeMutablePointer<Node>.allocate(capacity: 1)
    p.initialize(to: Node(fn: fnWord(hostEntry), a: UInt64(pointer: record), b: 0, c: 0, d: 0))
    return NodeP(p)
}
