/// Wasm value types, with their binary encodings as raw values.
public enum ValueType: UInt8, Sendable, CustomStringConvertible {
    case i32 = 0x7F, i64 = 0x7E, f32 = 0x7D, f64 = 0x7C, v128 = 0x7B
    case funcref = 0x70, externref = 0x6F
    /// A caught exception (Wasm 3.0 exception handling), `(ref null exn)`.
    case exnref = 0x69

    public var isRef: Bool { self == .funcref || self == .externref || self == .exnref }
    public var isNum: Bool { self == .i32 || self == .i64 || self == .f32 || self == .f64 }

    public var description: String {
        switch self {
        case .i32: return "i32"
        case .i64: return "i64"
        case .f32: return "f32"
        case .f64: return "f64"
        case .v128: return "v128"
        case .funcref: return "funcref"
        case .externref: return "externref"
        case .exnref: return "exnref"
        }
    }
}

public struct FuncType: Hashable, Sendable, CustomStringConvertible {
    public var params: [ValueType]
    public var results: [ValueType]
    public init(params: [ValueType], results: [ValueType]) {
        self.params = params
        self.results = results
    }
    public var description: String {
        "(\(params.map(\.description).joined(separator: " "))) -> (\(results.map(\.description).joined(separator: " ")))"
    }
}

/// Limits of a table or memory. `max == nil` means unbounded. 64 bits wide for memory64 and
/// table64 (Wasm 3.0); a 32-bit memory or table has limits below 2^32.
public struct Limits: Hashable, Sendable {
    public var min: UInt64
    public var max: UInt64?
    public init(min: UInt64, max: UInt64?) {
        self.min = min
        self.max = max
    }
}

public struct TableType: Hashable, Sendable {
    public var elementType: ValueType  // funcref or externref
    public var limits: Limits
    /// table64: indices, sizes and limits are i64 (else i32).
    public var is64: Bool
    public init(elementType: ValueType, limits: Limits, is64: Bool = false) {
        self.elementType = elementType
        self.limits = limits
        self.is64 = is64
    }
    /// The type of the table's indices and sizes.
    public var addressType: ValueType { is64 ? .i64 : .i32 }
}

public struct MemoryType: Hashable, Sendable {
    public var limits: Limits  // in 64 KiB pages
    /// memory64: addresses, sizes and limits are i64 (else i32).
    public var is64: Bool
    public init(limits: Limits, is64: Bool = false) {
        self.limits = limits
        self.is64 = is64
    }
    /// The type of the memory's addresses and sizes.
    public var addressType: ValueType { is64 ? .i64 : .i32 }
}

public struct GlobalType: Hashable, Sendable {
    public var valueType: ValueType
    public var mutable: Bool
    public init(valueType: ValueType, mutable: Bool) {
        self.valueType = valueType
        self.mutable = mutable
    }
}

/// The type of a block, loop or if.
public enum BlockType: Hashable, Sendable {
    case empty
    case value(ValueType)
    case typeIndex(UInt32)
}

public enum ExternalKind: UInt8, Sendable, CustomStringConvertible {
    case function = 0, table = 1, memory = 2, global = 3, tag = 4
    public var description: String {
        switch self {
        case .tag: return "tag"
        case .function: return "func"
        case .table: return "table"
        case .memory: return "memory"
        case .global: return "global"
        }
    }
}
