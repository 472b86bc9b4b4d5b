/// How a value is represented: the four numeric types, v128, and the top of each reference
/// hierarchy (a reference of any type in the function hierarchy is a function, and so on).
/// Code that only moves or converts values switches on this; typing rules use `ValueType`.
public enum ValueKind: UInt8, Sendable {
    case i32, i64, f32, f64, v128, funcref, externref, exnref
}

/// The canonical identity of a defined (function) type, the same in every module that
/// defines an equivalent type: two type indices denote the same type exactly when their ids
/// are equal (Wasm 3.0 type equivalence, including recursion groups; see `TypeRegistry`).
public struct TypeID: Hashable, Sendable, CustomStringConvertible {
    public let raw: UInt32
    public init(raw: UInt32) { self.raw = raw }
    public var description: String { "type#\(raw)" }
}

/// The heap type of a reference: an abstract one, or a defined function type. GC heap types
/// (any, eq, i31, struct, array, none) are not implemented; the decoder rejects them.
public enum HeapType: Hashable, Sendable, CustomStringConvertible {
    case `func`, extern, exn
    /// The bottom types of the three hierarchies: only null has them.
    case noFunc, noExtern, noExn
    case defined(TypeID)

    /// The representation of references to this heap type.
    public var kind: ValueKind {
        switch self {
        case .func, .noFunc, .defined: return .funcref
        case .extern, .noExtern: return .externref
        case .exn, .noExn: return .exnref
        }
    }

    public var description: String {
        switch self {
        case .func: return "func"
        case .extern: return "extern"
        case .exn: return "exn"
        case .noFunc: return "nofunc"
        case .noExtern: return "noextern"
        case .noExn: return "noexn"
        case .defined(let id): return "\(id)"
        }
    }
}

/// A Wasm value type: a number, v128, or a reference `(ref null? heaptype)` (Wasm 3.0 typed
/// function references). `.funcref`, `.externref` and `.exnref` are the nullable references to
/// the tops of the hierarchies, Wasm 2.0's reference types.
public struct ValueType: Hashable, Sendable, CustomStringConvertible {
    /// Packed into one word, so that comparing two types (the validator does it for every
    /// operand) is one integer compare: bits 0-7 the kind, bit 8 nullability, bits 16-23 the
    /// heap type's tag (0 for none, see `heapTag`), bits 32-63 a defined type's id.
    let bits: UInt64

    private init(bits: UInt64) { self.bits = bits }

    public var kind: ValueKind { ValueKind(rawValue: UInt8(truncatingIfNeeded: bits)).unsafelyUnwrapped }
    /// Whether null is a value of the type (references only).
    public var nullable: Bool { bits & 0x100 != 0 }
    /// References only; nil for numbers and v128.
    public var heap: HeapType? {
        switch (bits >> 16) & 0xFF {
        case 1: return .func
        case 2: return .extern
        case 3: return .exn
        case 4: return .noFunc
        case 5: return .noExtern
        case 6: return .noExn
        case 7: return .defined(TypeID(raw: UInt32(truncatingIfNeeded: bits >> 32)))
        default: return nil
        }
    }

    private static func heapTag(_ heap: HeapType) -> UInt64 {
        switch heap {
        case .func: return 1
        case .extern: return 2
        case .exn: return 3
        case .noFunc: return 4
        case .noExtern: return 5
        case .noExn: return 6
        case .defined(let id): return 7 | UInt64(id.raw) << 16
        }
    }

    public init(ref heap: HeapType, nullable: Bool) {
        bits = UInt64(heap.kind.rawValue) | (nullable ? 0x100 : 0) | ValueType.heapTag(heap) << 16
    }

    public static var i32: ValueType { ValueType(bits: UInt64(ValueKind.i32.rawValue)) }
    public static var i64: ValueType { ValueType(bits: UInt64(ValueKind.i64.rawValue)) }
    public static var f32: ValueType { ValueType(bits: UInt64(ValueKind.f32.rawValue)) }
    public static var f64: ValueType { ValueType(bits: UInt64(ValueKind.f64.rawValue)) }
    public static var v128: ValueType { ValueType(bits: UInt64(ValueKind.v128.rawValue)) }
    public static var funcref: ValueType { ValueType(bits: UInt64(ValueKind.funcref.rawValue) | 0x100 | 1 << 16) }
    public static var externref: ValueType { ValueType(bits: UInt64(ValueKind.externref.rawValue) | 0x100 | 2 << 16) }
    /// A caught exception (Wasm 3.0 exception handling), `(ref null exn)`.
    public static var exnref: ValueType { ValueType(bits: UInt64(ValueKind.exnref.rawValue) | 0x100 | 3 << 16) }

    /// The nullable reference type of a value kind's hierarchy, or the number type itself.
    public init(_ kind: ValueKind) {
        switch kind {
        case .funcref: self = .funcref
        case .externref: self = .externref
        case .exnref: self = .exnref
        default: self.init(bits: UInt64(kind.rawValue))
        }
    }

    public var isRef: Bool { bits & 0xFF_0000 != 0 }
    public var isNum: Bool { kind == .i32 || kind == .i64 || kind == .f32 || kind == .f64 }
    /// Has a default value (zero or null): everything but non-nullable references. A local of
    /// a type without one must be set before it is read.
    public var isDefaultable: Bool { !isRef || nullable }

    /// The same reference type without null (`ref.as_non_null`, `br_on_null`).
    public var nonNull: ValueType { ValueType(bits: bits & ~0x100) }

    /// The binary encoding: one byte for numbers and the shorthands, else 0x63/0x64 followed
    /// by the heap type. A defined heap type is written as its canonical id, which is only
    /// meaningful to `TypeRegistry`; encoders that need a module's type index map it first.
    public var encoding: [UInt8] {
        guard let heap else {
            switch kind {
            case .i32: return [0x7F]
            case .i64: return [0x7E]
            case .f32: return [0x7D]
            case .f64: return [0x7C]
            default: return [0x7B]
            }
        }
        let h: [UInt8]
        switch heap {
        case .func: h = [0x70]
        case .extern: h = [0x6F]
        case .exn: h = [0x69]
        case .noFunc: h = [0x73]
        case .noExtern: h = [0x72]
        case .noExn: h = [0x74]
        case .defined(let id):
            // s33 LEB128 of a non-negative index.
            var out: [UInt8] = [], v = Int64(id.raw)
            while true {
                let byte = UInt8(v & 0x7F)
                v >>= 7
                if v == 0 && byte & 0x40 == 0 {
                    out.append(byte)
                    break
                }
                out.append(byte | 0x80)
            }
            return [nullable ? 0x63 : 0x64] + out
        }
        return nullable ? h : [0x64] + h
    }

    public var description: String {
        guard let heap else {
            switch kind {
            case .i32: return "i32"
            case .i64: return "i64"
            case .f32: return "f32"
            case .f64: return "f64"
            default: return "v128"
            }
        }
        switch (heap, nullable) {
        case (.func, true): return "funcref"
        case (.extern, true): return "externref"
        case (.exn, true): return "exnref"
        case (.noFunc, true): return "nullfuncref"
        case (.noExtern, true): return "nullexternref"
        case (.noExn, true): return "nullexnref"
        case (.defined(let id), _):
            // The function type spelled out one level deep (a type may refer to itself).
            let t = TypeRegistry.funcType(id)
            func shallow(_ ts: [ValueType]) -> String {
                ts.map { v in
                    guard case .defined(let inner)? = v.heap else { return v.description }
                    return "(ref \(v.nullable ? "null " : "")\(inner))"
                }.joined(separator: " ")
            }
            return "(ref \(nullable ? "null " : "")\(id) = (\(shallow(t.params))) -> (\(shallow(t.results))))"
        default: return "(ref \(nullable ? "null " : "")\(heap))"
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
