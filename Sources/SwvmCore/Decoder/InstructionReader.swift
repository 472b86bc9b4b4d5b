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
    /// memarg alignment exponent and offset; the memory of a memarg or memory instruction
    /// (memory.copy's destination; its source is `index2`).
    public var memAlign: UInt32 = 0
    public var memOffset: UInt64 = 0
    public var memIndex: UInt32 = 0
    /// Constants: i32 (as its 32-bit pattern, zero-extended), i64, f32/f64 bits, v128 low half,
    /// shuffle lanes 0-7.
    public var value: UInt64 = 0
    /// v128 high half, shuffle lanes 8-15.
    public var valueHigh: UInt64 = 0
    public var blockType: BlockType = .empty
    /// ref.null's type (a nullable reference); select's type when its vector has one entry
    /// (the only valid length).
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
    /// Encodings differ with multi-memory (memory indices where 2.0 has zero bytes, the
    /// memarg's index bit) and memory64 (64-bit memarg offsets).
    let features: Features
    /// Type indices in value types (block types, select, ref.null) resolve to these ids.
    let types: TypeSpace

    public init(module: Module, body: FunctionBody) {
        reader = ByteReader(bytes: module.bytes, range: body.code)
        features = module.features
        types = TypeSpace(ids: module.typeIDs, features: module.features)
    }

    public init(bytes: [UInt8], range: Range<Int>, features: Features, types: [TypeID]) {
        reader = ByteReader(bytes: bytes, range: range)
        self.features = features
        self.types = TypeSpace(ids: types, features: features)
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
        case .labelIndex, .functionIndex, .localIndex, .globalIndex, .tableIndex, .dataIndex, .elemIndex, .tagIndex, .typeIndex:
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
        case .memoryIndex:
            ins.memIndex = try memoryIndex()
        case .memoryCopy:
            ins.memIndex = try memoryIndex()  // destination
            ins.index2 = try memoryIndex()  // source
        case .memoryInit:
            ins.index = try reader.u32()
            ins.memIndex = try memoryIndex()
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
                let t = try reader.valueType(types)
                if i == 0 { ins.valueType = t }
            }
        case .refType: ins.valueType = ValueType(ref: try reader.heapType(types), nullable: true)
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

    /// The memarg: alignment flags, the memory index when flag bit 6 is set (multi-memory),
    /// and the offset (64 bits wide with memory64; the validator bounds it for 32-bit memories).
    mutating func memarg(_ ins: inout Instruction) throws(WasmError) {
        let at = reader.offset
        let flags = try reader.u32()
        if features.contains(.multiMemory) {
            guard flags < 128 else { throw WasmError(.malformed, "malformed memop flags", offset: at) }
            if flags & 64 != 0 { ins.memIndex = try reader.u32() }
            ins.memAlign = flags & 63
        } else {
            // Wasm 2.0 has one memory: flags of 32 and above are malformed.
            guard flags < 32 else { throw WasmError(.malformed, "malformed memop flags", offset: at) }
            ins.memAlign = flags
        }
        ins.memOffset = features.contains(.memory64) ? try reader.u64() : UInt64(try reader.u32())
    }

    /// A memory index (multi-memory), or Wasm 2.0's zero byte in its place.
    mutating func memoryIndex() throws(WasmError) -> UInt32 {
        if features.contains(.multiMemory) { return try reader.u32() }
        let at = reader.offset
        if try reader.byte() != 0 { throw WasmError(.malformed, "zero byte expected", offset: at) }
        return 0
    }

    mutating func blockType() throws(WasmError) -> BlockType {
        let at = reader.offset
        let b = try reader.byte()
        if b == 0x40 { return .empty }
        reader = ByteReader(bytes: reader.bytes, range: at..<reader.end)
        // A value type is a negative s33 (one byte, or 0x63/0x64 and a heap type).
        if b & 0xC0 == 0x40 { return .value(try reader.valueType(types)) }
        let index = try reader.s33()
        guard index >= 0 else { throw WasmError(.malformed, "malformed block type", offset: at) }
        return .typeIndex(UInt32(truncatingIfNeeded: index))
    }
}
