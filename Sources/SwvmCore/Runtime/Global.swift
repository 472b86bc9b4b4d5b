/// A global variable. The value lives in a stable two-word cell that compiled code reads and
/// writes directly (two words so a v128 fits; other types use the first).
public final class Global {
    public let type: GlobalType
    let cell: UnsafeMutablePointer<UInt64>

    init(type: GlobalType, word: UInt64, high: UInt64 = 0) {
        self.type = type
        cell = .allocate(capacity: 2)
        cell[0] = word
        cell[1] = high
    }

    deinit { cell.deallocate() }

    public var value: Value { Value.fromSlots(cell[0], cell[1], type: type.valueType) }

    /// Sets the value of a mutable global; the value's type must match.
    public func set(_ value: Value) throws(WasmError) {
        guard type.mutable else { throw WasmError(.usage, "global is immutable") }
        guard value.matches(type.valueType) else {
            throw WasmError(.usage, "global of type \(type.valueType) cannot hold \(value.typeDescription)")
        }
        (cell[0], cell[1]) = value.slots
    }
}

extension Value {
    /// The engine's slot encoding of a value (see `TableState` for references).
    var slots: (UInt64, UInt64) {
        switch self {
        case .i32(let v): return (UInt64(v), 0)
        case .i64(let v): return (v, 0)
        case .f32(let v): return (UInt64(v), 0)
        case .f64(let v): return (v, 0)
        case .v128(let lo, let hi): return (lo, hi)
        case .funcref(let f): return (f.map { UInt64(pointer: $0.record) } ?? 0, 0)
        case .externref(let e): return (e.map { $0 &+ 1 } ?? 0, 0)
        case .exnref(let e): return (e?.word ?? 0, 0)
        }
    }

    static func fromSlots(_ w: UInt64, _ hi: UInt64 = 0, type: ValueType) -> Value {
        switch type.kind {
        case .i32: return .i32(UInt32(truncatingIfNeeded: w))
        case .i64: return .i64(w)
        case .f32: return .f32(UInt32(truncatingIfNeeded: w))
        case .f64: return .f64(w)
        case .v128: return .v128(w, hi)
        case .funcref: return .funcref(Function.from(word: w))
        case .externref: return .externref(w == 0 ? nil : w - 1)
        case .exnref:
            let e = Exception.from(word: w)
            e?.captured = true
            e?.handedToHost = true
            return .exnref(e)
        }
    }
}
