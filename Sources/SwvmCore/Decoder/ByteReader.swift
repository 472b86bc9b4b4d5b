/// Reads the primitive encodings of the binary format from a range of a module's bytes,
/// reporting every error as `.malformed` with the offset where it was found.
public struct ByteReader {
    let bytes: [UInt8]
    public private(set) var offset: Int
    public let end: Int

    public init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        offset = range.lowerBound
        end = range.upperBound
    }

    public var isAtEnd: Bool { offset >= end }
    public var remaining: Int { end - offset }

    func malformed(_ message: String, at position: Int? = nil) -> WasmError {
        WasmError(.malformed, message, offset: position ?? offset)
    }

    public mutating func byte() throws(WasmError) -> UInt8 {
        guard offset < end else { throw malformed("unexpected end") }
        let b = bytes[offset]
        offset += 1
        return b
    }

    public mutating func bytes(_ count: Int) throws(WasmError) -> Range<Int> {
        guard count >= 0, count <= end - offset else { throw malformed("unexpected end") }
        defer { offset += count }
        return offset..<(offset + count)
    }

    /// Unsigned LEB128 of at most `bits` bits: at most ceil(bits/7) bytes, and the unused bits
    /// of the last byte must be zero. Most indices and immediates fit one byte: that case is
    /// inlined (it is valid for any `bits` of 7 or more).
    @inline(__always)
    mutating func unsigned(bits: Int) throws(WasmError) -> UInt64 {
        if offset < end {
            let b = bytes[offset]
            if b < 0x80 {
                offset += 1
                return UInt64(b)
            }
        }
        return try unsignedSlow(bits: bits)
    }

    @inline(never)
    mutating func unsignedSlow(bits: Int) throws(WasmError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift = 0
        while true {
            let b = try byte()
            let payload = UInt64(b & 0x7F)
            if shift + 7 > bits {
                if b & 0x80 != 0 { throw malformed("integer representation too long", at: start) }
                if payload >> UInt64(bits - shift) != 0 { throw malformed("integer too large", at: start) }
            }
            result |= payload << UInt64(shift)
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Signed LEB128 of at most `bits` bits; the unused bits of the last byte must be the sign
    /// extension of the value. One byte (-64...63) is inlined, as for `unsigned`.
    @inline(__always)
    mutating func signed(bits: Int) throws(WasmError) -> Int64 {
        if offset < end {
            let b = bytes[offset]
            if b < 0x80 {
                offset += 1
                return b & 0x40 != 0 ? Int64(b) - 128 : Int64(b)
            }
        }
        return try signedSlow(bits: bits)
    }

    @inline(never)
    mutating func signedSlow(bits: Int) throws(WasmError) -> Int64 {
        let start = offset
        var result: Int64 = 0
        var shift = 0
        while true {
            let b = try byte()
            let payload = Int64(b & 0x7F)
            if shift + 7 > bits {
                if b & 0x80 != 0 { throw malformed("integer representation too long", at: start) }
                // The bits beyond `bits` (including the sign bit position) must all equal the sign.
                let used = bits - shift  // value bits carried by this byte
                let signAndRest = payload >> Int64(used - 1)  // the sign bit and the unused bits
                let allOnes = (Int64(1) << Int64(7 - used + 1)) - 1
                if signAndRest != 0 && signAndRest != allOnes { throw malformed("integer too large", at: start) }
            }
            result |= payload << Int64(shift)
            shift += 7
            if b & 0x80 == 0 {
                if shift < 64 && payload & 0x40 != 0 { result |= -1 << Int64(shift) }
                return result
            }
        }
    }

    public mutating func u32() throws(WasmError) -> UInt32 { UInt32(try unsigned(bits: 32)) }
    public mutating func u64() throws(WasmError) -> UInt64 { try unsigned(bits: 64) }
    public mutating func s32() throws(WasmError) -> Int32 { Int32(try signed(bits: 32)) }
    public mutating func s33() throws(WasmError) -> Int64 { try signed(bits: 33) }
    public mutating func s64() throws(WasmError) -> Int64 { try signed(bits: 64) }

    public mutating func fixed32() throws(WasmError) -> UInt32 {
        let r = try bytes(4)
        return UInt32(bytes[r.lowerBound]) | UInt32(bytes[r.lowerBound + 1]) << 8
            | UInt32(bytes[r.lowerBound + 2]) << 16 | UInt32(bytes[r.lowerBound + 3]) << 24
    }

    public mutating func fixed64() throws(WasmError) -> UInt64 {
        let lo = UInt64(try fixed32())
        let hi = UInt64(try fixed32())
        return lo | hi << 32
    }

    /// A value type. Type indices in it are resolved in `types`.
    public mutating func valueType(_ types: TypeSpace) throws(WasmError) -> ValueType {
        let at = offset
        let b = try byte()
        switch b {
        case 0x7F: return .i32
        case 0x7E: return .i64
        case 0x7D: return .f32
        case 0x7C: return .f64
        case 0x7B: return .v128
        default:
            offset = at
            return try referenceType(types, malformedMessage: "malformed value type")
        }
    }

    /// A reference type: a shorthand byte, or 0x63 / 0x64 (`ref null` / `ref`) and a heap
    /// type. Without typed function references only Wasm 2.0's shorthands (and exnref) exist.
    public mutating func referenceType(_ types: TypeSpace, malformedMessage: String = "malformed reference type") throws(WasmError) -> ValueType {
        let at = offset
        let b = try byte()
        switch b {
        case 0x70: return .funcref
        case 0x6F: return .externref
        case 0x69: return .exnref
        case 0x73 where types.typedReferences: return ValueType(ref: .noFunc, nullable: true)
        case 0x72 where types.typedReferences: return ValueType(ref: .noExtern, nullable: true)
        case 0x74 where types.typedReferences: return ValueType(ref: .noExn, nullable: true)
        case 0x63 where types.typedReferences, 0x64 where types.typedReferences:
            return ValueType(ref: try heapType(types), nullable: b == 0x63)
        default:
            if types.typedReferences, let feature = ByteReader.unsupportedReferenceType(b) {
                throw malformed("unsupported: \(feature)", at: at)
            }
            throw malformed(malformedMessage, at: at)
        }
    }

    /// A heap type: an abstract one (a negative s33, one byte) or a type index.
    public mutating func heapType(_ types: TypeSpace) throws(WasmError) -> HeapType {
        let at = offset
        let b = try byte()
        switch b {
        case 0x70: return .func
        case 0x6F: return .extern
        case 0x69: return .exn
        case _ where !types.typedReferences: throw malformed("malformed reference type", at: at)
        case 0x73: return .noFunc
        case 0x72: return .noExtern
        case 0x74: return .noExn
        default:
            if let feature = ByteReader.unsupportedReferenceType(b) { throw malformed("unsupported: \(feature)", at: at) }
            offset = at
            let index = try s33()
            guard index >= 0 else { throw malformed("malformed heap type", at: at) }
            return .defined(try types.id(UInt32(truncatingIfNeeded: index), at: at))
        }
    }

    /// The GC heap types' encodings (Wasm 3.0 GC, not implemented), for a clear error rather
    /// than "malformed value type".
    static func unsupportedReferenceType(_ b: UInt8) -> String? {
        switch b {
        case 0x6E, 0x6D, 0x6C, 0x6B, 0x6A, 0x71: return "GC (anyref, eqref, i31ref, structref, arrayref, nullref) is not implemented"
        default: return nil
        }
    }
}

/// What type indices mean where a value type is read: the module's canonical type ids, and,
/// while the type section reads a recursion group, the positions of the group's own types
/// (`TypeRegistry.recursive`).
public struct TypeSpace {
    var ids: [TypeID]
    var group: Range<Int> = 0..<0
    /// Typed function references (Wasm 3.0): `(ref null? ht)` and the bottom shorthands.
    var typedReferences: Bool

    init(ids: [TypeID], features: Features) {
        self.ids = ids
        typedReferences = features.contains(.functionReferences)
    }

    func id(_ index: UInt32, at offset: Int) throws(WasmError) -> TypeID {
        let i = Int(index)
        if group.contains(i) { return TypeRegistry.recursive(i - group.lowerBound) }
        guard i < ids.count else { throw WasmError(.invalid, "unknown type \(index)", offset: offset) }
        return ids[i]
    }
}
