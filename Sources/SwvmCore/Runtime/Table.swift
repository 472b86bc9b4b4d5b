import Glibc

/// The raw view of a table that compiled code reads. Each element is one word: a funcref is
/// the address of a `FuncRecord` (0 for null); an externref is the host's opaque payload + 1
/// (0 for null), so that payload 0 stays distinct from null.
struct TableState {
    var elements: UnsafeMutablePointer<UInt64>
    var size: UInt64
    var capacity: UInt64
    var maxSize: UInt64
}

public final class Table {
    public let type: TableType
    let state: UnsafeMutablePointer<TableState>
    /// The store the funcrefs of this table belong to (for turning words back into `Function`s).
    unowned let store: Store

    init(type: TableType, store: Store, initial: UInt64 = 0) throws(WasmError) {
        self.type = type
        self.store = store
        if type.elementType.kind == .exnref { store.exnrefStorage = true }
        let maxSize = Swift.min(type.limits.max ?? (type.is64 ? UInt64.max : UInt64(UInt32.max)), store.config.maxTableElements)
        if type.limits.min > maxSize {
            throw WasmError(.limit, "table minimum of \(type.limits.min) elements exceeds the limit of \(maxSize)")
        }
        let cap = Swift.max(type.limits.min, 1)
        // The store's cap bounds maxSize, but a host may raise it to anything: the byte count
        // must not overflow.
        guard cap <= UInt64(Int.max / 8), let raw = malloc(Int(cap) * 8) else {
            throw WasmError(.limit, "cannot allocate a table of \(type.limits.min) elements")
        }
        let elems = raw.bindMemory(to: UInt64.self, capacity: Int(cap))
        elems.initialize(repeating: initial, count: Int(cap))
        state = .allocate(capacity: 1)
        state.initialize(to: TableState(elements: elems, size: UInt64(type.limits.min), capacity: cap, maxSize: maxSize))
    }

    deinit {
        free(state.pointee.elements)
        state.deallocate()
    }

    public var size: UInt64 { state.pointee.size }

    /// Grows by `delta` elements filled with `word`; returns the old size or nil.
    func grow(by delta: UInt64, word: UInt64) -> UInt64? {
        let old = state.pointee.size
        guard delta <= state.pointee.maxSize, old <= state.pointee.maxSize - delta else { return nil }
        let newSize = old + delta
        if newSize > state.pointee.capacity {
            let newCap = Swift.min(Swift.max(newSize, state.pointee.capacity * 2), state.pointee.maxSize)
            // Growth that cannot be allocated fails like growth past the maximum.
            guard newCap <= UInt64(Int.max / 8), let raw = realloc(state.pointee.elements, Int(newCap) * 8) else { return nil }
            state.pointee.elements = raw.bindMemory(to: UInt64.self, capacity: Int(newCap))
            state.pointee.capacity = newCap
        }
        (state.pointee.elements + Int(old)).initialize(repeating: word, count: Int(delta))
        state.pointee.size = newSize
        return old
    }

    /// Grows by `delta` elements set to `initial`; returns the old size. Errors: `.usage` for
    /// a value of the wrong type, `.limit` past the maximum (the table is then unchanged).
    public func grow(by delta: UInt64, initial: Value) throws(WasmError) -> UInt64 {
        let w = try word(for: initial)
        guard let old = grow(by: delta, word: w) else {
            throw WasmError(.limit, "table of \(size) elements cannot grow by \(delta) (maximum \(state.pointee.maxSize))")
        }
        return old
    }

    /// Element `index`. Errors: `.usage` for an index out of bounds (the embedder asked for
    /// it; Wasm code's own accesses trap instead).
    public func get(_ index: UInt64) throws(WasmError) -> Value {
        try checkIndex(index)
        return value(of: state.pointee.elements[Int(index)])
    }

    /// Writes element `index`. Errors: `.usage` for an index out of bounds or a value of the
    /// wrong type.
    public func set(_ index: UInt64, _ value: Value) throws(WasmError) {
        try checkIndex(index)
        state.pointee.elements[Int(index)] = try word(for: value)
    }

    private func checkIndex(_ index: UInt64) throws(WasmError) {
        guard index < size else { throw WasmError(.usage, "table index \(index) is out of bounds (size \(size))") }
    }

    func value(of word: UInt64) -> Value {
        switch type.elementType.kind {
        case .funcref: return .funcref(Function.from(word: word))
        case .exnref: return Value.fromSlots(word, type: .exnref)
        default: return .externref(word == 0 ? nil : word - 1)
        }
    }

    func word(for value: Value) throws(WasmError) -> UInt64 {
        guard value.matches(type.elementType) else {
            throw WasmError(.usage, "\(value.typeDescription) cannot be stored in a \(type.elementType) table")
        }
        switch value {
        case .funcref(let f): return f.map { UInt64(pointer: $0.record) } ?? 0
        case .externref(let e): return e.map { $0 &+ 1 } ?? 0
        case .exnref(let e):
            // The host's exception must outlive its use by Wasm code.
            if let e {
                store.keep(e)
            }
            return e.map(\.word) ?? 0
        default: throw WasmError(.usage, "a \(value.type) value cannot be stored in a \(type.elementType) table")
        }
    }
}
