/// One decoded instruction: the opcode and whichever immediates it has. Plain data (no
/// arrays), so reading instructions costs no reference counting; br_table's target vector is
/// decoded on demand with `InstructionReader.targets(of:)`.
public struct Instruction {
    public var op: Opcode
    /// Byte offset of the opcode in `Module.bytes`.
    public var offset: Int
    /// First index immediate: local, global, function, type, label (br, br_if), table, element
    /// or data segment; the lane of a SIMD lane instruction; br_table's number of targets
    /// (the default not counted); the length of select's type vector.
    public var index: UInt32 = 0
    /// Second index immediate: call_indirect's table, table.copy's source, table.init's table.
    public var index2: UInt32 = 0
    /// memarg alignment exponent and offset.
    public var memAlign: UInt32 = 0
    public var memOffset: UInt64 = 0
    /// Constants: i32 (as its 32-bit pattern, zero-extended), i64, f32/f64 bits, v128 low half,
    /// shuffle lanes 0-7.
    public var value: UInt64 = 0
    /// v128 high half, shuffle lanes 8-15.
    public var valueHigh: UInt64 = 0
    public var blockType: BlockType = .empty
    /// ref.null's type; select's type when its vector has one entry (the only valid length).
    public var valueType: ValueType = .i32
    /// br_table: offset in `Module.bytes` of its target vector.
    public var vectorOffset: Int = 0

    public init(op: Opcode, offset: Int) {
        self.op = op
        self.offset = offset
    }
}

/// Decodes the instructions of one function body, one at a time. Shared by the validator and
/// the compiler; malformed encodings are reported as `.malformed` with their offset.
public struct InstructionReader {
    var reader: ByteReader

    public init(module: Module, body: FunctionBody) {
        reader = ByteReader(bytes: module.bytes, range: body.code)
    }

    public init(bytes: [UInt8], range: Range<Int>) {
        reader = ByteReader(bytes: bytes, range: range)
    }

    public var offset: Int { reader.offset }
    public var isAtEnd: Bool { reader.isAtEnd }

    public mutating func next() throws(WasmError) -> Instruction {
        let at = reader.offset
        let first = try reader.byte()
        let raw: UInt16
        switch first {
        case 0xFC: raw = 0x100 + UInt16(try subopcode(at))
        case 0xFD: raw = 0x1000 + UInt16(try subopcode(at))
        default: raw = UInt16(first)
        }
        guard let op = Opcode(rawValue: raw) else {
            // try, catch, rethrow, delegate, catch_all: the pre-standard exception encoding,
            // which Wasm 3.0 replaced with try_table (supported) and does not include.
            if [0x06, 0x07, 0x09, 0x18, 0x19].contains(raw) {
                throw WasmError(.malformed, "illegal opcode 0x\(String(first, radix: 16)) (legacy exception handling is not supported; use try_table)", offset: at)
            }
            throw WasmError(.malformed, "illegal opcode 0x\(String(first, radix: 16))\(raw > 0xFF ? " \(raw & 0xFFF)" : "")", offset: at)
        }
        var ins = Instruction(op: op, offset: at)
        switch op.immediate {
        case .none: break
        case .block: ins.blockType = try blockType()
        case .labelIndex, .functionIndex, .localIndex, .globalIndex, .tableIndex, .dataIndex, .elemIndex, .tagIndex:
            ins.index = try reader.u32()
        case .brTable:
            ins.index = try reader.u32()
            ins.vectorOffset = reader.offset
            for _ in 0...ins.index { _ = try reader.u32() }
        case .tryTable:
            ins.blockType = try blockType()
            ins.index = try reader.u32()
            ins.vectorOffset = reader.offset
            for _ in 0..<ins.index {
                let kindAt = reader.offset
                let kind = try reader.byte()
                guard kind <= 3 else { throw WasmError(.malformed, "malformed catch clause", offset: kindAt) }
                if kind < 2 { _ = try reader.u32() }
                _ = try reader.u32()
            }
        case .callIndirect:
            ins.index = try reader.u32()
            ins.index2 = try reader.u32()
        case .memarg:
            try memarg(&ins)
        case .memargLane:
            try memarg(&ins)
            ins.index = UInt32(try reader.byte())
        case .zeroByte:
            try zeroByte()
        case .twoZeroBytes:
            try zeroByte()
            try zeroByte()
        case .memoryInit:
            ins.index = try reader.u32()
            try zeroByte()
        case .tableInit:
            ins.index = try reader.u32()  // element segment
            ins.index2 = try reader.u32()  // table
        case .tableCopy:
            ins.index = try reader.u32()  // destination
            ins.index2 = try reader.u32()  // source
        case .i32Const: ins.value = UInt64(UInt32(bitPattern: try reader.s32()))
        case .i64Const: ins.value = UInt64(bitPattern: try reader.s64())
        case .f32Const: ins.value = UInt64(try reader.fixed32())
        case .f64Const: ins.value = try reader.fixed64()
        case .v128Const, .shuffle:
            ins.value = try reader.fixed64()
            ins.valueHigh = try reader.fixed64()
        case .lane: ins.index = UInt32(try reader.byte())
        case .selectT:
            ins.index = try reader.u32()
            for i in 0..<ins.index {
                let t = try reader.valueType()
                if i == 0 { ins.valueType = t }
            }
        case .refType: ins.valueType = try reader.referenceType()
        }
        return ins
    }

    /// br_table's label targets, the default last.
    public func targets(of ins: Instruction) -> [UInt32] {
        var r = ByteReader(bytes: reader.bytes, range: ins.vectorOffset..<reader.end)
        var out: [UInt32] = []
        out.reserveCapacity(Int(ins.index) + 1)
        // Read once already by next(), so these reads cannot fail.
        for _ in 0...ins.index { out.append((try? r.u32()) ?? 0) }
        return out
    }

    /// A try_table catch clause: catch (tag, label), catch_ref, catch_all (label),
    /// catch_all_ref. `tag` is nil for the catch_all forms.
    public struct Catch {
        public var tag: UInt32?
        public var ref: Bool
        public var label: UInt32
    }

    /// try_table's catch clauses, in order.
    public func catches(of ins: Instruction) -> [Catch] {
        var r = ByteReader(bytes: reader.bytes, range: ins.vectorOffset..<reader.end)
        var out: [Catch] = []
        // Read once already by next(), so these reads cannot fail.
        for _ in 0..<ins.index {
            let kind = (try? r.byte()) ?? 0
            let tag: UInt32? = kind < 2 ? ((try? r.u32()) ?? 0) : nil
            out.append(Catch(tag: tag, ref: kind == 1 || kind == 3, label: (try? r.u32()) ?? 0))
        }
        return out
    }

    mutating func subopcode(_ at: Int) throws(WasmError) -> UInt32 {
        let sub = try reader.u32()
        guard sub < 0x1000 else { throw WasmError(.malformed, "illegal opcode", offset: at) }
        return sub
    }

    mutating func memarg(_ ins: inout Instruction) throws(WasmError) {
        let at = reader.offset
        ins.memAlign = try reader.u32()
        // Wasm 2.0 has one memory: flags of 32 and above (3.0's memory-index bit) are malformed.
        guard ins.memAlign < 32 else { throw WasmError(.malformed, "malformed memop flags", offset: at) }
        ins.memOffset = UInt64(try reader.u32())
    }

    mutating func zeroByte() throws(WasmError) {
        let at = reader.offset
        if try reader.byte() != 0 { throw WasmError(.malformed, "zero byte expected", offset: at) }
    }

    mutating func blockType() throws(WasmError) -> BlockType {
        let at = reader.offset
        let b = try reader.byte()
        if b == 0x40 { return .empty }
        if let t = ValueType(rawValue: b) { return .value(t) }
        reader = ByteReader(bytes: reader.bytes, range: at..<reader.end)
        let index = try reader.s33()
        guard index >= 0 else { throw WasmError(.malformed, "malformed block type", offset: at) }
        return .typeIndex(UInt32(truncatingIfNeeded: index))
    }
}
