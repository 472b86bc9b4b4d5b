/// A Wasm value as the embedding API sees it. Floats are carried as bit patterns so that NaN
/// payloads survive a round trip.
public enum Value: Hashable, CustomStringConvertible {
    case i32(UInt32)
    case i64(UInt64)
    case f32(UInt32)
    case f64(UInt64)
    case v128(UInt64, UInt64)  // low, high
    /// A function reference; `nil` is `ref.null func`.
    case funcref(Function?)
    /// A host reference; `nil` is `ref.null extern`. The payload is opaque to swvm.
    case externref(UInt64?)
    /// An exception reference; `nil` is `ref.null exn`.
    case exnref(Exception?)

    public var type: ValueType {
        switch self {
        case .i32: return .i32
        case .i64: return .i64
        case .f32: return .f32
        case .f64: return .f64
        case .v128: return .v128
        case .funcref: return .funcref
        case .externref: return .externref
        case .exnref: return .exnref
        }
    }

    public static func float(_ v: Float) -> Value { .f32(v.bitPattern) }
    public static func double(_ v: Double) -> Value { .f64(v.bitPattern) }

    public var description: String {
        switch self {
        case .i32(let v): return "i32:\(Int32(bitPattern: v))"
        case .i64(let v): return "i64:\(Int64(bitPattern: v))"
        case .f32(let v): return "f32:\(Float(bitPattern: v))"
        case .f64(let v): return "f64:\(Double(bitPattern: v))"
        case .v128(let lo, let hi): return "v128:0x\(String(hi, radix: 16))\(String(lo, radix: 16))"
        case .funcref(let f): return f == nil ? "funcref:null" : "funcref"
        case .externref(let e): return e.map { "externref:\($0)" } ?? "externref:null"
        case .exnref(let e): return e == nil ? "exnref:null" : "exnref"
        }
    }
}

/// Something an instance can import or export.
public enum Extern {
    case function(Function)
    case table(Table)
    case memory(Memory)
    case global(Global)
    case tag(Tag)

    public var kind: ExternalKind {
        switch self {
        case .function: return .function
        case .table: return .table
        case .memory: return .memory
        case .global: return .global
        case .tag: return .tag
        }
    }
}
