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

    /// Whether the value is of type `t`: for a reference, of `t`'s hierarchy, null only if
    /// `t` is nullable, and a function of a defined type only if its type is that one or a
    /// declared subtype. What the host hands to Wasm is checked with this: a typed reference
    /// that lied about its function would let `call_ref` call it with the wrong signature.
    public func matches(_ t: ValueType) -> Bool {
        guard let heap = t.heap else { return type.kind == t.kind }
        switch self {
        case .funcref(let f):
            guard let f else { return t.kind == .funcref && t.nullable }
            switch heap {
            case .func: return true
            case .defined(let id): return TypeRegistry.isSubtype(f.typeID, of: id)
            default: return false
            }
        case .externref(let e): return e == nil ? t.kind == .externref && t.nullable : heap == .extern
        case .exnref(let e): return e == nil ? t.kind == .exnref && t.nullable : heap == .exn
        default: return false
        }
    }

    /// What a value is, for messages that say why it does not match a type: its type, or for
    /// a reference whether it is null and a function's type.
    public var typeDescription: String {
        switch self {
        case .funcref(let f?): return "a function of type \(f.type)"
        case _ where isNull: return "a null \(type)"
        default: return "a value of type \(type)"
        }
    }

    /// A null reference.
    public var isNull: Bool {
        switch self {
        case .funcref(nil), .externref(nil), .exnref(nil): return true
        default: return false
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
        case .v128(let lo, let hi):
            // The 128-bit integer whose bytes, little-endian, are the vector's.
            func hex(_ w: UInt64) -> String {
                let digits = String(w, radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            }
            return "v128:0x\(hex(hi))\(hex(lo))"
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

// Frame layout: every value takes one 64-bit slot, except a v128, which takes two consecutive
// slots (low half first). A function's parameters, locals and results are laid out in order
// with these widths, so a layout depends only on the types (docs/engine.md, "v128 values").
extension ValueType {
    /// Frame slots a value of this type occupies.
    public var slotWidth: Int { self == .v128 ? 2 : 1 }
}

extension Array where Element == ValueType {
    /// Frame slots the values take, laid out in order.
    public var slotCount: Int { reduce(0) { $0 + $1.slotWidth } }
    /// The first slot of each value.
    public var slotOffsets: [Int] {
        var offsets: [Int] = []
        offsets.reserveCapacity(count)
        var s = 0
        for t in self {
            offsets.append(s)
            s += t.slotWidth
        }
        return offsets
    }
}

extension FuncType {
    /// A single scalar or reference result comes back in the call's return register; none, a
    /// v128 or several are left in the callee frame's first slots.
    var resultInRegister: Bool { results.count == 1 && results[0] != .v128 }
}

extension Value {
    /// Writes the value into the frame slot(s) at `p` (two for a v128).
    func store(to p: UnsafeMutablePointer<UInt64>) {
        let (lo, hi) = slots
        p[0] = lo
        if case .v128 = self { p[1] = hi }
    }

    /// Reads a value of type `type` from the frame slot(s) at `p`.
    static func load(from p: UnsafeMutablePointer<UInt64>, type: ValueType) -> Value {
        fromSlots(p[0], type == .v128 ? p[1] : 0, type: type)
    }
}
