/// Memories, tables and globals created by the host (to define imports with a `Linker`).
/// The store owns them like everything instantiated in it, unless it `collectsInstances`: then
/// they are reference counted like an instance's own (whoever uses one holds it), so a host
/// creating one per request does not grow the store.
extension Store {
    /// Errors: `.invalid` for a type the validator would reject, `.limit` past the store's caps.
    public func makeMemory(_ type: MemoryType) throws(WasmError) -> Memory {
        try type.validate()
        let m = try Memory(type: type, limitPages: config.maxMemoryPages)
        if !collectsInstances { retain(m) }
        return m
    }

    /// `initial` fills the table (null if not given); a table of a non-nullable type needs
    /// one, of its type. Errors: also `.usage` for a missing or mistyped initial value.
    public func makeTable(_ type: TableType, initial: Value? = nil) throws(WasmError) -> Table {
        try type.validate()
        guard initial != nil || type.elementType.nullable else {
            throw WasmError(.usage, "a table of \(type.elementType) needs an initial value")
        }
        let t = try Table(type: type, store: self)
        if let initial {
            let w = try t.word(for: initial)
            t.state.pointee.elements.update(repeating: w, count: Int(t.size))
        }
        if !collectsInstances { retain(t) }
        return t
    }

    /// A host function not bound to a linker (the standard C API's wasm_func_new). Like a
    /// linker's, each instance importing it gets its own binding. The store keeps it for its
    /// whole life, whether it collects instances or not: a table or global may hold its
    /// address, and unlike a Wasm function it has no instance whose collection would see that.
    public func makeFunction(_ type: FuncType, _ body: @escaping HostFunction) -> Function {
        let f = Function(type: type, store: self, instance: nil, functionIndex: -1, host: body) { rec in
            hostEntryNode(for: rec)
        }
        retain(f)
        return f
    }

    public func makeGlobal(_ type: GlobalType, value: Value) throws(WasmError) -> Global {
        guard value.matches(type.valueType) else {
            throw WasmError(.usage, "a global of type \(type.valueType) cannot hold \(value.typeDescription)")
        }
        if type.valueType.kind == .exnref {
            exnrefStorage = true
            if case .exnref(let e?) = value {
                e.captured = true
                keep(e)
            }
        }
        let (lo, hi) = value.slots
        let g = Global(type: type, word: lo, high: hi)
        if !collectsInstances { retain(g) }
        return g
    }
}

extension Memory {
    /// Grows by `delta` pages for an embedder: `memory.grow`'s rule (the type's maximum and the
    /// store's cap), with a failure explained as a `.limit` error; returns the old page count.
    public func grow(pages delta: UInt64) throws(WasmError) -> UInt64 {
        guard let old = grow(by: delta) else {
            throw WasmError(.limit, "memory of \(pageCount) pages cannot grow by \(delta) (maximum \(state.pointee.maxPages))")
        }
        return old
    }
}
