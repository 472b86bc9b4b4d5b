extension Module {
    /// Decodes a module binary. Every error is `.malformed`, with the offset where it was found
    /// (and the function index inside a code entry). Bodies are checked instruction by
    /// instruction for malformed encodings but kept as ranges of `bytes`, not copied.
    public static func decode(_ bytes: [UInt8], features: Features = .all) throws(WasmError) -> Module {
        var decoder = ModuleDecoder(bytes: bytes, features: features, checksCode: true)
        return try decoder.decode()
    }

    /// Decodes without reading the function bodies' instructions, for `load`, whose
    /// validation reads each of them anyway (see `load`).
    static func decodeForValidation(_ bytes: [UInt8], features: Features) throws(WasmError) -> Module {
        var decoder = ModuleDecoder(bytes: bytes, features: features, checksCode: false)
        return try decoder.decode()
    }

    /// The error the decoder reports for malformed code when it reads every instruction
    /// (`decode`): the first malformed body, in order, or code naming a data segment without
    /// the data count section. nil if there is none.
    func codeEncodingError() -> WasmError? {
        for (i, body) in codes.enumerated() {
            do throws(WasmError) {
                try ModuleDecoder.checkInstructions(self, body.code)
            } catch {
                var e = error
                e.functionIndex = importedFunctionCount + i
                return e
            }
        }
        if let at = firstDataIndexUse, lacksDataCount {
            return WasmError(.malformed, "data count section required", offset: at)
        }
        return nil
    }
}

/// Section ids in the order the binary format requires (custom sections may appear anywhere).
/// The tag section (13, exception handling) comes between memory and global.
private let sectionOrder: [UInt8: Int] = [1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13]

struct ModuleDecoder {
    let module: Module
    var r: ByteReader
    /// Whether each function body's instructions are read for malformed encodings here.
    let checksCode: Bool
    /// The module's type ids once the type section is read (before it: none).
    var space: TypeSpace
    /// Upper bound on declared locals per function: far above real code, low enough that a
    /// hostile count cannot make frames unallocatable.
    static let maxLocals = 50_000

    init(bytes: [UInt8], features: Features, checksCode: Bool) {
        self.checksCode = checksCode
        module = Module(bytes: bytes, features: features)
        r = ByteReader(bytes: bytes, range: 0..<bytes.count)
        space = TypeSpace(ids: [], features: features)
    }

    func malformed(_ message: String, at offset: Int? = nil) -> WasmError {
        WasmError(.malformed, message, offset: offset ?? r.offset)
    }

    mutating func decode() throws(WasmError) -> Module {
        let magic = r.remaining >= 4 ? try r.fixed32() : 0
        guard magic == 0x6D73_6100 else { throw malformed("magic header not detected", at: 0) }
        guard r.remaining >= 4 else { throw malformed("unexpected end", at: 4) }
        guard try r.fixed32() == 1 else { throw malformed("unknown binary version", at: 4) }
        var lastOrder = 0
        var functionCount: Int?
        while !r.isAtEnd {
            let idAt = r.offset
            let id = try r.byte()
            let size = Int(try r.u32())
            let contentStart = r.offset
            guard size <= r.remaining else { throw malformed("unexpected end of section or function", at: contentStart) }
            let range = contentStart..<(contentStart + size)
            if id != 0 {
                guard let order = sectionOrder[id] else { throw malformed("malformed section id", at: idAt) }
                guard order > lastOrder else { throw malformed("unexpected content after last section", at: idAt) }
                lastOrder = order
            }
            var s = ByteReader(bytes: module.bytes, range: range)
            switch id {
            case 0: try customSection(&s, range)
            case 1: try typeSection(&s)
            case 2: try importSection(&s)
            case 3: functionCount = try functionSection(&s)
            case 4: try tableSection(&s)
            case 5:
                let features = module.features
                module.memories = try vector(&s) { (s: inout ByteReader) throws(WasmError) in try ModuleDecoder.memoryType(&s, features) }
            case 13: module.tags = try vector(&s) { (s: inout ByteReader) throws(WasmError) in try ModuleDecoder.tagType(&s) }
            case 6: try globalSection(&s)
            case 7: try exportSection(&s)
            case 8: module.start = try s.u32()
            case 9: try elementSection(&s)
            case 12: module.dataCount = try s.u32()
            case 10: try codeSection(&s, expected: functionCount ?? 0)
            case 11:
                try dataSection(&s)
                module.hasDataSection = true
            default: throw malformed("malformed section id", at: idAt)
            }
            guard s.isAtEnd else { throw malformed("section size mismatch", at: s.offset) }
            r = ByteReader(bytes: module.bytes, range: range.upperBound..<module.bytes.count)
        }
        if (functionCount ?? 0) != module.codes.count {
            throw malformed("function and code section have inconsistent lengths")
        }
        if let n = module.dataCount, Int(n) != module.data.count {
            throw malformed("data count and data section have inconsistent lengths")
        }
        // Code naming a data segment needs the data count section (code precedes data). With no
        // data section either, the validator reports the unknown segment instead.
        if let at = module.firstDataIndexUse, module.lacksDataCount {
            throw malformed("data count section required", at: at)
        }
        return module
    }

    /// Reads a vector whose count is checked against the bytes left (each element takes at
    /// least one byte) before anything is allocated.
    func vector<T>(_ s: inout ByteReader, _ element: (inout ByteReader) throws(WasmError) -> T) throws(WasmError) -> [T] {
        let count = Int(try s.u32())
        guard count <= s.remaining else { throw malformed("unexpected end", at: s.offset) }
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&s)) }
        return out
    }

    static func name(_ s: inout ByteReader) throws(WasmError) -> String {
        let length = Int(try s.u32())
        let at = s.offset
        let range = try s.bytes(length)
        guard let text = String(validating: s.bytes[range], as: UTF8.self) else {
            throw WasmError(.malformed, "malformed UTF-8 encoding", offset: at)
        }
        return text
    }

    /// Limits, and whether they are 64-bit (flag bit 2, memory64 and table64): 0x00 / 0x01
    /// without / with a maximum, 0x04 / 0x05 the same with u64 bounds.
    static func limits(_ s: inout ByteReader, _ features: Features) throws(WasmError) -> (Limits, is64: Bool) {
        let at = s.offset
        let flag = try s.byte()
        // Wasm 3.0 reads every bound as a u64 and leaves the range to validation (a 32-bit
        // memory of 2^32 pages is invalid, not malformed); 2.0 reads 32-bit bounds as u32.
        let wide = features.contains(.memory64)
        switch flag {
        case 0: return (Limits(min: wide ? try s.u64() : UInt64(try s.u32()), max: nil), false)
        case 1:
            let min = wide ? try s.u64() : UInt64(try s.u32())
            return (Limits(min: min, max: wide ? try s.u64() : UInt64(try s.u32())), false)
        case 4 where features.contains(.memory64): return (Limits(min: try s.u64(), max: nil), true)
        case 5 where features.contains(.memory64):
            let min = try s.u64()
            return (Limits(min: min, max: try s.u64()), true)
        default:
            // Wasm 2.0 reads the flag as a u32 that must be 0 or 1; 3.0 names it.
            throw WasmError(.malformed, features.contains(.memory64) ? "malformed limits flags" : "integer too large", offset: at)
        }
    }

    static func tableType(_ s: inout ByteReader, _ space: TypeSpace, _ features: Features) throws(WasmError) -> TableType {
        let t = try s.referenceType(space)
        let (limits, is64) = try limits(&s, features)
        return TableType(elementType: t, limits: limits, is64: is64)
    }

    /// Tables: a table type, or (typed function references) 0x40 0x00, a table type and the
    /// expression that initialises its elements.
    mutating func tableSection(_ s: inout ByteReader) throws(WasmError) {
        let features = module.features, space = space
        let defs = try vector(&s) { (s: inout ByteReader) throws(WasmError) -> (TableType, ConstExpr?) in
            let at = s.offset
            if space.typedReferences, try s.byte() == 0x40 {
                guard try s.byte() == 0x00 else { throw WasmError(.malformed, "malformed table", offset: at + 1) }
                let type = try ModuleDecoder.tableType(&s, space, features)
                return (type, try ModuleDecoder.constExpr(&s, space, features))
            }
            s = ByteReader(bytes: s.bytes, range: at..<s.end)
            return (try ModuleDecoder.tableType(&s, space, features), nil)
        }
        module.tables = defs.map(\.0)
        module.tableInitializers = defs.map(\.1)
    }

    static func memoryType(_ s: inout ByteReader, _ features: Features) throws(WasmError) -> MemoryType {
        let (limits, is64) = try limits(&s, features)
        return MemoryType(limits: limits, is64: is64)
    }

    static func globalType(_ s: inout ByteReader, _ space: TypeSpace) throws(WasmError) -> GlobalType {
        let t = try s.valueType(space)
        let at = s.offset
        let m = try s.byte()
        guard m <= 1 else { throw WasmError(.malformed, "malformed mutability", offset: at) }
        return GlobalType(valueType: t, mutable: m == 1)
    }

    mutating func customSection(_ s: inout ByteReader, _ range: Range<Int>) throws(WasmError) {
        let name = try ModuleDecoder.name(&s)
        let payload = s.offset..<range.upperBound
        _ = try s.bytes(payload.count)
        module.customSections.append(CustomSection(name: name, range: payload))
        if name == "name" { NameSection.parse(module, payload) }
    }

    /// Types: each entry a recursion group (0x4E and its types) or one type; a type is a
    /// function type, possibly declared `sub` (0x50, open to subtypes) or `sub final` (0x4F)
    /// with its supertypes. Each group is canonicalised as it is read (`TypeRegistry`), so
    /// later groups refer to it by id.
    mutating func typeSection(_ s: inout ByteReader) throws(WasmError) {
        let count = Int(try s.u32())
        guard count <= s.remaining else { throw malformed("unexpected end", at: s.offset) }
        var types: [FuncType] = [], ids: [TypeID] = []
        var supertypes: [(index: Int, super: Int, at: Int)] = []
        for _ in 0..<count {
            let at = s.offset
            var size = 1
            if try s.byte() == 0x4E, space.typedReferences {
                size = Int(try s.u32())
                guard size <= s.remaining else { throw malformed("unexpected end", at: s.offset) }
            } else {
                s = ByteReader(bytes: s.bytes, range: at..<s.end)
            }
            let start = ids.count
            var group = space
            group.ids = ids
            group.group = start..<(start + size)
            var subs: [TypeRegistry.SubType] = []
            for i in 0..<size {
                let subAt = s.offset
                let form = try s.byte()
                var final = true
                var supertype: TypeID?
                if (form == 0x50 || form == 0x4F) && space.typedReferences {
                    final = form == 0x4F
                    let n = try s.u32()
                    guard n <= 1 else { throw WasmError(.invalid, "multiple supertypes", offset: subAt) }
                    if n == 1 {
                        let superAt = s.offset
                        let x = Int(try s.u32())
                        guard x < start + i else { throw WasmError(.invalid, "unknown type \(x)", offset: superAt) }
                        supertype = try group.id(UInt32(x), at: superAt)
                        supertypes.append((start + i, x, subAt))
                    }
                } else {
                    s = ByteReader(bytes: s.bytes, range: subAt..<s.end)
                }
                let formAt = s.offset
                switch try s.byte() {
                case 0x60: break
                case 0x5F, 0x5E: throw WasmError(.malformed, "unsupported: GC (struct and array types) is not implemented", offset: formAt)
                case 0x4E, 0x50, 0x4F: throw WasmError(.malformed, "malformed function type", offset: formAt)
                default: throw WasmError(.malformed, "integer representation too long", offset: formAt)
                }
                let params = try ModuleDecoder.valueTypes(&s, group)
                let results = try ModuleDecoder.valueTypes(&s, group)
                subs.append(TypeRegistry.SubType(type: FuncType(params: params, results: results), final: final, supertype: supertype))
            }
            let groupIDs = TypeRegistry.intern(group: subs)
            ids += groupIDs
            for id in groupIDs { types.append(TypeRegistry.funcType(id)) }
        }
        // A declared supertype is open (not final) and the subtype's function type matches it.
        for (index, x, at) in supertypes {
            guard !TypeRegistry.entry(ids[x]).final else { throw WasmError(.invalid, "sub type \(index) does not match super type \(x): it is final", offset: at) }
            guard types[index].isSubtype(of: types[x]) else {
                throw WasmError(.invalid, "sub type \(index) does not match super type \(x)", offset: at)
            }
        }
        module.types = types
        module.typeIDs = ids
        space.ids = ids
    }

    static func valueTypes(_ s: inout ByteReader, _ space: TypeSpace) throws(WasmError) -> [ValueType] {
        let count = Int(try s.u32())
        guard count <= s.remaining else { throw WasmError(.malformed, "unexpected end", offset: s.offset) }
        var out: [ValueType] = []
        for _ in 0..<count { out.append(try s.valueType(space)) }
        return out
    }

    mutating func importSection(_ s: inout ByteReader) throws(WasmError) {
        let features = module.features, space = space
        module.imports = try vector(&s) { (s: inout ByteReader) throws(WasmError) in
            let moduleName = try ModuleDecoder.name(&s)
            let name = try ModuleDecoder.name(&s)
            let at = s.offset
            let kind = try s.byte()
            let descriptor: ImportDescriptor
            switch kind {
            case 0: descriptor = .function(typeIndex: try s.u32())
            case 1: descriptor = .table(try ModuleDecoder.tableType(&s, space, features))
            case 2: descriptor = .memory(try ModuleDecoder.memoryType(&s, features))
            case 3: descriptor = .global(try ModuleDecoder.globalType(&s, space))
            case 4: descriptor = .tag(typeIndex: try ModuleDecoder.tagType(&s))
            default: throw WasmError(.malformed, "malformed import kind", offset: at)
            }
            return Import(module: moduleName, name: name, descriptor: descriptor)
        }
        for imp in module.imports {
            switch imp.descriptor {
            case .function: module.importedFunctionCount += 1
            case .table: module.importedTableCount += 1
            case .memory: module.importedMemoryCount += 1
            case .global: module.importedGlobalCount += 1
            case .tag: module.importedTagCount += 1
            }
        }
    }

    /// A tag type: attribute 0 (exception), then the type index of its payload.
    static func tagType(_ s: inout ByteReader) throws(WasmError) -> UInt32 {
        let at = s.offset
        guard try s.byte() == 0 else { throw WasmError(.malformed, "malformed tag attribute", offset: at) }
        return try s.u32()
    }

    mutating func functionSection(_ s: inout ByteReader) throws(WasmError) -> Int {
        module.functions = try vector(&s) { (s: inout ByteReader) throws(WasmError) in try s.u32() }
        return module.functions.count
    }

    mutating func globalSection(_ s: inout ByteReader) throws(WasmError) {
        let features = module.features, space = space
        module.globals = try vector(&s) { (s: inout ByteReader) throws(WasmError) in
            let type = try ModuleDecoder.globalType(&s, space)
            return GlobalDef(type: type, initializer: try ModuleDecoder.constExpr(&s, space, features))
        }
    }

    mutating func exportSection(_ s: inout ByteReader) throws(WasmError) {
        module.exports = try vector(&s) { (s: inout ByteReader) throws(WasmError) in
            let name = try ModuleDecoder.name(&s)
            let at = s.offset
            guard let kind = ExternalKind(rawValue: try s.byte()) else {
                throw WasmError(.malformed, "malformed export kind", offset: at)
            }
            return Export(name: name, kind: kind, index: try s.u32())
        }
    }

    /// A constant expression, up to its `end`: one constant instruction in Wasm 2.0; with
    /// extended constant expressions, a sequence whose `i32/i64.add/sub/mul` combine the two
    /// values before them (the validator checks their types). Instructions that are
    /// well-formed but not constant are reported as invalid, as the spec's validation does.
    static func constExpr(_ s: inout ByteReader, _ space: TypeSpace, _ features: Features) throws(WasmError) -> ConstExpr {
        var reader = InstructionReader(bytes: s.bytes, range: s.offset..<s.end, features: features, types: space.ids)
        var stack: [ConstExpr] = []
        while true {
            let ins = try reader.next()
            switch ins.op {
            case .i32Const: stack.append(.i32(UInt32(truncatingIfNeeded: ins.value)))
            case .i64Const: stack.append(.i64(ins.value))
            case .f32Const: stack.append(.f32(UInt32(truncatingIfNeeded: ins.value)))
            case .f64Const: stack.append(.f64(ins.value))
            case .v128Const: stack.append(.v128(ins.value, ins.valueHigh))
            case .refNull: stack.append(.refNull(ins.valueType))
            case .refFunc: stack.append(.refFunc(ins.index))
            case .globalGet: stack.append(.globalGet(ins.index))
            case .i32Add, .i32Sub, .i32Mul, .i64Add, .i64Sub, .i64Mul:
                // Extended constant expressions (3.0); in Wasm 2.0 these are not constant.
                guard features.contains(.extendedConst) else {
                    throw WasmError(.invalid, "constant expression required", offset: ins.offset)
                }
                guard stack.count >= 2 else {
                    throw WasmError(.invalid, "type mismatch: \(ins.op.name) in a constant expression needs two operands", offset: ins.offset)
                }
                let b = stack.removeLast(), a = stack.removeLast()
                stack.append(.binary(ins.op, a, b))
            case .end:
                guard let expr = stack.first else {
                    throw WasmError(.invalid, "type mismatch: constant expression is empty", offset: ins.offset)
                }
                guard stack.count == 1 else {
                    throw WasmError(.invalid, "type mismatch: constant expression leaves \(stack.count) values", offset: ins.offset)
                }
                _ = try s.bytes(reader.offset - s.offset)
                return expr
            default: throw WasmError(.invalid, "constant expression required", offset: ins.offset)
            }
            // Wasm 2.0: one instruction, then `end`.
            if !features.contains(.extendedConst) && stack.count == 1 {
                let endAt = reader.offset
                guard try reader.next().op == .end else { throw WasmError(.invalid, "constant expression required", offset: endAt) }
                _ = try s.bytes(reader.offset - s.offset)
                return stack[0]
            }
        }
    }

    mutating func elementSection(_ s: inout ByteReader) throws(WasmError) {
        let features = module.features, space = space
        module.elements = try vector(&s) { (s: inout ByteReader) throws(WasmError) in
            let at = s.offset
            let flags = try s.u32()
            guard flags <= 7 else { throw WasmError(.malformed, "malformed elements segment kind", offset: at) }
            let passiveOrDeclarative = flags & 1 != 0
            let explicitTable = flags & 2 != 0
            let usesExpressions = flags & 4 != 0
            let mode: ElementMode
            if passiveOrDeclarative {
                mode = explicitTable ? .declarative : .passive
            } else {
                let table = explicitTable ? try s.u32() : 0
                mode = .active(table: table, offset: try ModuleDecoder.constExpr(&s, space, features))
            }
            // Function indices are `(ref func)` (Wasm 3.0; 2.0 said funcref, a supertype).
            var type = usesExpressions ? ValueType.funcref : ValueType(ref: .func, nullable: !space.typedReferences)
            if passiveOrDeclarative || explicitTable {
                if usesExpressions {
                    type = try s.referenceType(space)
                } else {
                    let kindAt = s.offset
                    guard try s.byte() == 0x00 else { throw WasmError(.malformed, "malformed element kind", offset: kindAt) }
                }
            }
            let count = Int(try s.u32())
            guard count <= s.remaining else { throw WasmError(.malformed, "unexpected end", offset: s.offset) }
            var items: [ConstExpr] = []
            items.reserveCapacity(count)
            for _ in 0..<count {
                items.append(usesExpressions ? try ModuleDecoder.constExpr(&s, space, features) : .refFunc(try s.u32()))
            }
            return ElementSegment(type: type, mode: mode, items: items)
        }
    }

    mutating func codeSection(_ s: inout ByteReader, expected: Int) throws(WasmError) {
        let count = Int(try s.u32())
        guard count == expected else { throw malformed("function and code section have inconsistent lengths", at: s.offset) }
        guard count <= s.remaining else { throw malformed("unexpected end", at: s.offset) }
        module.codes.reserveCapacity(count)
        for i in 0..<count {
            let functionIndex = module.importedFunctionCount + i
            let size = Int(try s.u32())
            let start = s.offset
            guard size <= s.remaining else {
                throw WasmError(.malformed, "unexpected end of section or function", offset: start, functionIndex: functionIndex)
            }
            let range = try s.bytes(size)
            var b = ByteReader(bytes: module.bytes, range: range)
            do throws(WasmError) {
                let groups = Int(try b.u32())
                guard groups <= b.remaining else { throw WasmError(.malformed, "unexpected end", offset: b.offset) }
                var locals: [LocalDecl] = []
                var total = 0
                for _ in 0..<groups {
                    let n = try b.u32()
                    total += Int(n)
                    guard total <= ModuleDecoder.maxLocals else { throw WasmError(.malformed, "too many locals", offset: b.offset) }
                    locals.append(LocalDecl(count: n, type: try b.valueType(space)))
                }
                let code = b.offset..<range.upperBound
                if checksCode { try ModuleDecoder.checkInstructions(module, code) }
                module.codes.append(FunctionBody(locals: locals, localCount: total, code: code))
            } catch {
                var e = error
                e.functionIndex = functionIndex
                throw e
            }
        }
    }

    /// Reads every instruction once so malformed encodings are found at decode time, and
    /// checks the body ends with the `end` that closes the function.
    static func checkInstructions(_ module: Module, _ code: Range<Int>) throws(WasmError) {
        var reader = InstructionReader(bytes: module.bytes, range: code, features: module.features, types: module.typeIDs)
        var depth = 1
        var last = Opcode.nop
        while !reader.isAtEnd {
            let ins = try reader.next()
            last = ins.op
            switch ins.op {
            case .block, .loop, .if, .tryTable: depth += 1
            case .memoryInit, .dataDrop:
                if module.firstDataIndexUse == nil { module.firstDataIndexUse = ins.offset }
            case .end:
                depth -= 1
                if depth == 0 && !reader.isAtEnd {
                    throw WasmError(.malformed, "section size mismatch", offset: reader.offset)
                }
            default: break
            }
        }
        guard depth == 0, last == .end else { throw WasmError(.malformed, "unexpected end", offset: code.upperBound) }
    }

    mutating func dataSection(_ s: inout ByteReader) throws(WasmError) {
        let features = module.features, space = space
        module.data = try vector(&s) { (s: inout ByteReader) throws(WasmError) in
            let at = s.offset
            let flags = try s.u32()
            let mode: DataMode
            switch flags {
            case 0: mode = .active(memory: 0, offset: try ModuleDecoder.constExpr(&s, space, features))
            case 1: mode = .passive
            case 2:
                let memory = try s.u32()
                mode = .active(memory: memory, offset: try ModuleDecoder.constExpr(&s, space, features))
            default: throw WasmError(.malformed, "malformed data segment kind", offset: at)
            }
            let length = Int(try s.u32())
            return DataSegment(mode: mode, range: try s.bytes(length))
        }
    }
}

/// The `name` custom section: read leniently, since a broken one must not fail the module.
enum NameSection {
    static func parse(_ module: Module, _ range: Range<Int>) {
        var s = ByteReader(bytes: module.bytes, range: range)
        while !s.isAtEnd {
            guard let id = try? s.byte(), let size = try? s.u32(), let sub = try? s.bytes(Int(size)) else { return }
            var p = ByteReader(bytes: module.bytes, range: sub)
            switch id {
            case 0: module.moduleName = try? ModuleDecoder.name(&p)
            case 1:
                guard let count = try? p.u32() else { return }
                for _ in 0..<count {
                    guard let index = try? p.u32(), let name = try? ModuleDecoder.name(&p) else { return }
                    module.functionNames[index] = name
                }
            default: break
            }
        }
    }
}
