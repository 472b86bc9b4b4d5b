import CSwvmSupport
import Glibc
import SwvmCore

// Every conversion between C and the engine's values and types: swvm_val_t, swvm_valkind_t,
// swvm_extern_t, C strings, and the 64-bit slots libffi reads and writes. The rules (which
// value fits which type, bounds, limits) are the core's; this file only changes representation.

/// A NUL-terminated C string argument as a Swift string (its bytes kept as they are).
func string(_ p: UnsafePointer<CChar>) -> String {
    String(decoding: UnsafeRawBufferPointer(start: p, count: strlen(p)), as: UTF8.self)
}

/// A value type's kind: every reference type is the kind of its hierarchy.
func cKind(_ t: ValueType) -> swvm_valkind_t {
    switch t.kind {
    case .i32: return SWVM_I32
    case .i64: return SWVM_I64
    case .f32: return SWVM_F32
    case .f64: return SWVM_F64
    case .funcref: return SWVM_FUNCREF
    case .externref: return SWVM_EXTERNREF
    case .v128: return SWVM_V128
    case .exnref: return SWVM_EXNREF
    }
}

func kindCode(_ t: ValueType) -> Int32 { Int32(cKind(t).rawValue) }

/// The value type of a swvm_valkind_t, or nil for an unknown kind.
func valueType(kind: UInt32) -> ValueType? {
    switch kind {
    case SWVM_I32.rawValue: return .i32
    case SWVM_I64.rawValue: return .i64
    case SWVM_F32.rawValue: return .f32
    case SWVM_F64.rawValue: return .f64
    case SWVM_FUNCREF.rawValue: return .funcref
    case SWVM_EXTERNREF.rawValue: return .externref
    case SWVM_V128.rawValue: return .v128
    case SWVM_EXNREF.rawValue: return .exnref
    default: return nil
    }
}

/// A C value as the engine's. Its kind must be `expected` (the core checks types, but a
/// swvm_val_t of the wrong kind cannot even be read: its union member would be wrong).
func wasmValue(_ v: swvm_val_t, expected: ValueType, position: Int? = nil) throws(WasmError) -> Value {
    let what = position.map { "argument \($0)" } ?? "the value"
    guard Int32(bitPattern: v.kind) == kindCode(expected) else {
        throw WasmError(.usage, "\(what) must be \(expected), got kind \(v.kind)")
    }
    switch expected.kind {
    case .i32: return .i32(UInt32(bitPattern: v.of.i32))
    case .i64: return .i64(UInt64(bitPattern: v.of.i64))
    case .f32: return .f32(v.of.f32.bitPattern)
    case .f64: return .f64(v.of.f64.bitPattern)
    case .externref: return .externref(v.of.ref.map { UInt64(UInt(bitPattern: $0)) })
    case .funcref:
        // An opaque funcref handed out by swvm (see cValue); NULL is ref.null.
        return .funcref(v.of.ref.map { Unmanaged<Function>.fromOpaque($0).takeUnretainedValue() })
    case .v128:
        let (lo, hi) = v128Words(v.of.v128)
        return .v128(lo, hi)
    case .exnref:
        // An opaque exnref handed out by swvm (see cValue); NULL is ref.null.
        return .exnref(v.of.ref.map { Unmanaged<Exception>.fromOpaque($0).takeUnretainedValue() })
    }
}

/// A swvm_v128_t's bytes as the engine's two little-endian words (low half first).
func v128Words(_ v: swvm_v128_t) -> (UInt64, UInt64) {
    withUnsafeBytes(of: v) { ($0.loadUnaligned(as: UInt64.self).littleEndian, $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian) }
}

func cV128(_ lo: UInt64, _ hi: UInt64) -> swvm_v128_t {
    var out = swvm_v128_t()
    withUnsafeMutableBytes(of: &out) {
        $0.storeBytes(of: lo.littleEndian, as: UInt64.self)
        $0.storeBytes(of: hi.littleEndian, toByteOffset: 8, as: UInt64.self)
    }
    return out
}

/// The engine's value as C sees it. A funcref is the function's address, valid while its
/// instance lives (swvm.h: "Instance lifetime").
func cValue(_ v: Value) -> swvm_val_t {
    var out = swvm_val_t()
    switch v {
    case .i32(let x): out.kind = SWVM_I32.rawValue; out.of.i32 = Int32(bitPattern: x)
    case .i64(let x): out.kind = SWVM_I64.rawValue; out.of.i64 = Int64(bitPattern: x)
    case .f32(let x): out.kind = SWVM_F32.rawValue; out.of.f32 = Float(bitPattern: x)
    case .f64(let x): out.kind = SWVM_F64.rawValue; out.of.f64 = Double(bitPattern: x)
    case .externref(let x):
        out.kind = SWVM_EXTERNREF.rawValue
        out.of.ref = x.flatMap { UnsafeMutableRawPointer(bitPattern: UInt($0)) }
    case .funcref(let f):
        out.kind = SWVM_FUNCREF.rawValue
        out.of.ref = f.map { Unmanaged.passUnretained($0).toOpaque() }
    case .exnref(let e):
        out.kind = SWVM_EXNREF.rawValue
        out.of.ref = e.map { Unmanaged.passUnretained($0).toOpaque() }
    case .v128(let lo, let hi):
        out.kind = SWVM_V128.rawValue
        out.of.v128 = cV128(lo, hi)
    }
    return out
}

/// An export as a swvm_extern_t holding a new handle of its kind.
func cExtern(_ ext: Extern, store: Store) -> swvm_extern_t {
    var out = swvm_extern_t()
    out.kind = Int32(ext.kind.rawValue)
    switch ext {
    case .function(let f): out.of.func = retained(FuncHandle(store: store, function: f))
    case .table(let t): out.of.table = retained(TableHandle(store: store, t))
    case .memory(let m): out.of.memory = retained(MemoryHandle(store: store, m))
    case .global(let g): out.of.global = retained(GlobalHandle(store: store, g))
    case .tag(let t): out.of.tag = retained(TagHandle(t))
    }
    return out
}

extension Value {
    /// The value as libffi reads it from a 64-bit slot.
    var cSlot: UInt64 {
        switch self {
        case .i32(let v): return UInt64(v)
        case .i64(let v): return v
        case .f32(let v): return UInt64(v)
        case .f64(let v): return v
        case .externref(let e): return e ?? 0
        case .exnref(let e): return e.map { UInt64(UInt(bitPattern: Unmanaged.passUnretained($0).toOpaque())) } ?? 0
        case .funcref, .v128: return 0
        }
    }

    /// A value of type `t` from a slot libffi wrote.
    static func fromCSlot(_ w: UInt64, _ t: ValueType) -> Value {
        switch t.kind {
        case .i32: return .i32(UInt32(truncatingIfNeeded: w))
        case .i64: return .i64(w)
        case .f32: return .f32(UInt32(truncatingIfNeeded: w))
        case .f64: return .f64(w)
        case .externref: return .externref(w == 0 ? nil : w)
        default: return .funcref(nil)
        }
    }

    /// Loads an ffi closure argument of type `t` (i32 and f32 are 4 bytes, the rest 8).
    static func fromCArgument(_ p: UnsafeMutableRawPointer, _ t: ValueType) -> Value {
        switch t {
        case .v128: return .v128(p.loadUnaligned(as: UInt64.self), p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        case .i32, .f32: return fromCSlot(UInt64(p.load(as: UInt32.self)), t)
        default: return fromCSlot(p.load(as: UInt64.self), t)
        }
    }

    /// Stores `v` as an ffi closure's return value of type `t`: integral results narrower
    /// than a word are returned as a full ffi_arg; a v128 is 16 bytes.
    static func storeCResult(_ v: Value?, _ t: ValueType, to ret: UnsafeMutableRawPointer) {
        if t == .v128 {
            var lo: UInt64 = 0, hi: UInt64 = 0
            if case .v128(let l, let h)? = v { (lo, hi) = (l, h) }
            ret.storeBytes(of: lo, as: UInt64.self)
            ret.storeBytes(of: hi, toByteOffset: 8, as: UInt64.self)
            return
        }
        let w = v?.cSlot ?? 0
        switch t {
        case .i32: ret.storeBytes(of: Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: w))), as: Int64.self)
        case .f32: ret.storeBytes(of: UInt32(truncatingIfNeeded: w), as: UInt32.self)
        default: ret.storeBytes(of: w, as: UInt64.self)
        }
    }
}
