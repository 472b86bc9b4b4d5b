/// Memories, tables and globals created by the host (to define imports with a `Linker`).
/// The store owns them like everything instantiated in it, unless it `collectsInstances`: then
/// they are reference counted like an instance's own (whoever uses one holds it), so a host
/// creating one per request does not grow the store.
extension Store {
    public func makeMemory(_ type: MemoryType) throws(WasmError) -> Memory {
        let m = try Memory(type: type, limitPages: config.maxMemoryPages)
        if !collectsInstances { retain(m) }
        return m
    }

    public func makeTable(_ type: TableType, initial: Value? = nil) throws(WasmError) -> Table {
        let t = try Table(type: type, store: self)
        if let initial {
            let w = try t.word(for: initial)
            t.state.pointee.elements.update(repeating: w, count: Int(t.size))
        }
        if !collectsInstances { retain(t) }
        return t
    }

    public func makeGlobal(_ type: GlobalType, value: Value) throws(WasmError) -> Global {
        guard value.type == type.valueType else {
            throw WasmError(.usage, "a global of type \(type.valueType) cannot hold a \(value.type)")
        }
        let (lo, hi) = value.slots
        let g = Global(type: type, word: lo, high: hi)
        if !collectsInstances { retain(g) }
        return g
    }
}
