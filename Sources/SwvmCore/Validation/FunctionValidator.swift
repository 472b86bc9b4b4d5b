/// Type-checks one function body with the spec's validation algorithm (appendix "Validation
/// Algorithm"): an operand stack of types, where `nil` is the unknown type of unreachable
/// code, and a stack of control frames.
struct FunctionValidator {
    struct Control {
        var opcode: Opcode
        var params: [ValueType]
        var results: [ValueType]
        var height: Int
        /// Where this block's entries in `inits` start: they are undone at its end.
        var initHeight: Int
        var unreachable = false
        var labelTypes: [ValueType] { opcode == .loop ? params : results }
    }

    let module: Module
    let context: ModuleContext
    let functionIndex: Int
    var locals: [ValueType]
    var results: [ValueType]
    var values: [ValueType?] = []
    var controls: [Control] = []
    var offset = 0
    /// Local initialisation (typed function references): a local of a non-defaultable type
    /// (a non-nullable reference) must be set before it is read, within the block that sets
    /// it. `localInit` says which locals are readable; `inits` lists those a `local.set`
    /// made readable, innermost block last. All true when no local needs it.
    var localInit: [Bool]
    var inits: [Int] = []
    let everyLocalInit: Bool

    init(module: Module, context: ModuleContext, functionIndex: Int) throws(WasmError) {
        self.module = module
        self.context = context
        self.functionIndex = functionIndex
        let type = module.functionType(functionIndex)
        let body = module.codes[functionIndex - module.importedFunctionCount]
        locals = type.params
        for decl in body.locals { locals += Array(repeating: decl.type, count: Int(decl.count)) }
        results = type.results
        // Most functions have no local to track: no array for them.
        everyLocalInit = body.locals.allSatisfy { $0.type.isDefaultable }
        if everyLocalInit {
            localInit = []
        } else {
            let all = locals, paramCount = type.params.count
            localInit = all.indices.map { $0 < paramCount || all[$0].isDefaultable }
        }
    }

    func error(_ message: String) -> WasmError {
        WasmError(.invalid, message, offset: offset, functionIndex: functionIndex)
    }

    // MARK: - The algorithm's stack operations

    mutating func push(_ t: ValueType?) { values.append(t) }
    mutating func push(_ ts: [ValueType]) { for t in ts { values.append(t) } }

    mutating func pop() throws(WasmError) -> ValueType? {
        // The frame's fields, not a copy of it (which would retain its type arrays).
        let top = controls.count - 1
        if values.count == controls[top].height {
            if controls[top].unreachable { return nil }
            throw error("type mismatch: expected a value, found an empty stack")
        }
        return values.removeLast()
    }

    @discardableResult
    mutating func pop(_ expected: ValueType?) throws(WasmError) -> ValueType? {
        // Returns the actual type, which stays unknown in unreachable code (br_table relies on it).
        let actual = try pop()
        if let actual, let expected, !actual.isSubtype(of: expected) {
            throw error("type mismatch: expected \(expected), found \(actual)")
        }
        return actual
    }

    /// Pops a reference of any type (unknown in unreachable code).
    mutating func popRef() throws(WasmError) -> ValueType? {
        let t = try pop()
        if let t, !t.isRef { throw error("type mismatch: expected a reference, found \(t)") }
        return t
    }

    /// Pops the expected types (the last one first).
    mutating func pop(_ expected: [ValueType]) throws(WasmError) {
        var i = expected.count
        while i > 0 {
            i -= 1
            try pop(expected[i])
        }
    }

    /// Pops the expected types and returns what was actually there (unknown in unreachable code).
    mutating func popActual(_ expected: [ValueType]) throws(WasmError) -> [ValueType?] {
        var popped: [ValueType?] = []
        for t in expected.reversed() { popped.append(try pop(t)) }
        return popped.reversed()
    }

    mutating func pushControl(_ op: Opcode, _ params: [ValueType], _ results: [ValueType]) {
        controls.append(Control(opcode: op, params: params, results: results, height: values.count, initHeight: inits.count))
        push(params)
    }

    mutating func popControl() throws(WasmError) -> Control {
        guard let frame = controls.last else { throw error("unexpected end") }
        try pop(frame.results)
        if values.count != frame.height { throw error("type mismatch: values left on the stack at the end of a block") }
        controls.removeLast()
        while inits.count > frame.initHeight { localInit[inits.removeLast()] = false }
        return frame
    }

    mutating func markUnreachable() {
        values.removeLast(values.count - controls[controls.count - 1].height)
        controls[controls.count - 1].unreachable = true
    }

    func label(_ depth: UInt32) throws(WasmError) -> Control {
        guard Int(depth) < controls.count else { throw error("unknown label \(depth)") }
        return controls[controls.count - 1 - Int(depth)]
    }

    // MARK: - Context lookups

    func blockType(_ bt: BlockType) throws(WasmError) -> ([ValueType], [ValueType]) {
        switch bt {
        case .empty: return ([], [])
        case .value(let t): return ([], [t])
        case .typeIndex(let i):
            guard Int(i) < module.types.count else { throw error("unknown type \(i)") }
            return (module.types[Int(i)].params, module.types[Int(i)].results)
        }
    }

    func local(_ i: UInt32) throws(WasmError) -> ValueType {
        guard Int(i) < locals.count else { throw error("unknown local \(i)") }
        return locals[Int(i)]
    }

    func global(_ i: UInt32) throws(WasmError) -> GlobalType {
        guard Int(i) < module.totalGlobalCount else { throw error("unknown global \(i)") }
        return module.globalType(Int(i))
    }

    func table(_ i: UInt32) throws(WasmError) -> TableType {
        guard Int(i) < module.totalTableCount else { throw error("unknown table \(i)") }
        return module.tableType(Int(i))
    }

    func memory(_ i: UInt32) throws(WasmError) -> MemoryType {
        guard Int(i) < module.totalMemoryCount else { throw error("unknown memory \(i)") }
        return module.memoryType(Int(i))
    }

    /// The payload type of tag `i`.
    func tag(_ i: UInt32) throws(WasmError) -> FuncType {
        guard Int(i) < module.totalTagCount else { throw error("unknown tag \(i)") }
        return module.types[Int(module.tagTypeIndex(Int(i)))]
    }

    /// The length operand of a copy between two address types: i64 only if both are.
    func copyLength(_ a: ValueType, _ b: ValueType) -> ValueType { a == .i64 && b == .i64 ? .i64 : .i32 }

    func function(_ i: UInt32) throws(WasmError) -> FuncType {
        guard Int(i) < module.totalFunctionCount else { throw error("unknown function \(i)") }
        return module.functionType(Int(i))
    }

    func elementSegment(_ i: UInt32) throws(WasmError) -> ElementSegment {
        guard Int(i) < module.elements.count else { throw error("unknown elem segment \(i)") }
        return module.elements[Int(i)]
    }

    func dataSegment(_ i: UInt32) throws(WasmError) {
        // Code precedes data: naming a segment needs the data count section (a malformed
        // module; with no data section either, the segment is unknown instead).
        if module.lacksDataCount {
            throw WasmError(.malformed, "data count section required", offset: offset, functionIndex: functionIndex)
        }
        let count = module.dataCount ?? UInt32(module.data.count)
        guard i < count else { throw error("unknown data segment \(i)") }
    }

    /// A tail call returns the callee's results as the caller's own: they must match.
    mutating func checkTailCall(_ t: FuncType) throws(WasmError) {
        guard FunctionValidator.matches(t.results, results) else {
            throw error("type mismatch: tail call to \(t) in a function returning \(results)")
        }
        try pop(t.params)
        markUnreachable()
    }

    // MARK: - Driver

    mutating func validate() throws(WasmError) {
        let body = module.codes[functionIndex - module.importedFunctionCount]
        var reader = InstructionReader(module: module, body: body)
        controls.append(Control(opcode: .block, params: [], results: results, height: 0, initHeight: 0))
        while !reader.isAtEnd {
            let ins = try reader.next()
            offset = ins.offset
            if controls.isEmpty { throw error("operators remaining after the end of the function") }
            try check(ins, reader)
        }
        if !controls.isEmpty { throw WasmError(.malformed, "unexpected end", offset: reader.offset, functionIndex: functionIndex) }
    }

    mutating func check(_ ins: Instruction, _ reader: InstructionReader) throws(WasmError) {
        let op = ins.op
        let shape = op.numericShape
        if shape != 0 {
            if op.immediate == .lane { try checkLane(op, ins.index) }
            if op == .i8x16Shuffle {
                for i in 0..<8 where (ins.value >> UInt64(8 * i)) & 0xFF >= 32 || (ins.valueHigh >> UInt64(8 * i)) & 0xFF >= 32 {
                    throw error("invalid lane index")
                }
            }
            // Parameters are popped last first.
            var k = Int(shape & 0xF)
            while k > 0 {
                k -= 1
                try pop(ValueType(ValueKind(rawValue: UInt8(truncatingIfNeeded: shape >> UInt32(4 + 4 * k)) & 0xF).unsafelyUnwrapped))
            }
            push(ValueType(ValueKind(rawValue: UInt8(truncatingIfNeeded: shape >> 16) & 0xF).unsafelyUnwrapped))
            return
        }
        switch op {
        case .unreachable: markUnreachable()
        case .nop: break
        case .block, .loop:
            let (params, results) = try blockType(ins.blockType)
            try pop(params)
            pushControl(op, params, results)
        case .if:
            let (params, results) = try blockType(ins.blockType)
            try pop(.i32)
            try pop(params)
            pushControl(op, params, results)
        case .else:
            let frame = try popControl()
            guard frame.opcode == .if else { throw error("else without a matching if") }
            pushControl(.else, frame.params, frame.results)
        case .end:
            let frame = try popControl()
            if frame.opcode == .if && !FunctionValidator.matches(frame.params, frame.results) {
                throw error("type mismatch: if without else must leave its parameters as results")
            }
            push(frame.results)
        case .br:
            try pop(try label(ins.index).labelTypes)
            markUnreachable()
        case .brIf:
            try pop(.i32)
            let types = try label(ins.index).labelTypes
            try pop(types)
            push(types)
        case .brTable:
            try pop(.i32)
            let targets = reader.targets(of: ins)
            let arity = try label(targets.last!).labelTypes.count
            for target in targets {
                let types = try label(target).labelTypes
                guard types.count == arity else { throw error("type mismatch: br_table targets have different arities") }
                let popped = try popActual(types)
                for t in popped { push(t) }
            }
            try pop(try label(targets.last!).labelTypes)
            markUnreachable()
        case .return:
            try pop(results)
            markUnreachable()
        case .call:
            let t = try function(ins.index)
            try pop(t.params)
            push(t.results)
        case .callIndirect:
            let table = try table(ins.index2)
            guard table.elementType.isSubtype(of: .funcref) else { throw error("type mismatch: call_indirect through a table of \(table.elementType)") }
            guard Int(ins.index) < module.types.count else { throw error("unknown type \(ins.index)") }
            let t = module.types[Int(ins.index)]
            try pop(table.addressType)
            try pop(t.params)
            push(t.results)
        case .throw:
            try pop(try tag(ins.index).params)
            markUnreachable()
        case .throwRef:
            try pop(.exnref)
            markUnreachable()
        case .tryTable:
            let (params, results) = try blockType(ins.blockType)
            // Catch labels are resolved outside the try_table: depth 0 is its enclosing label.
            for clause in reader.catches(of: ins) {
                var carried: [ValueType] = []
                if let x = clause.tag { carried = try tag(x).params }
                if clause.ref { carried.append(ValueType(ref: .exn, nullable: false)) }  // (ref exn): never null
                let types = try label(clause.label).labelTypes
                guard FunctionValidator.matches(carried, types) else {
                    throw error("type mismatch: catch carries \(carried) to a label of \(types)")
                }
            }
            try pop(params)
            pushControl(op, params, results)
        case .returnCall:
            let t = try function(ins.index)
            try checkTailCall(t)
        case .returnCallIndirect:
            let table = try table(ins.index2)
            guard table.elementType.isSubtype(of: .funcref) else { throw error("type mismatch: return_call_indirect through a table of \(table.elementType)") }
            guard Int(ins.index) < module.types.count else { throw error("unknown type \(ins.index)") }
            try pop(table.addressType)
            try checkTailCall(module.types[Int(ins.index)])
        case .drop: _ = try pop()
        case .select:
            try pop(.i32)
            let t1 = try pop(), t2 = try pop()
            for t in [t1, t2] {
                if let t, !(t.isNum || t == .v128) { throw error("type mismatch: select without types needs numeric operands") }
            }
            if let t1, let t2, t1 != t2 { throw error("type mismatch: select operands \(t2) and \(t1)") }
            push(t1 ?? t2)
        case .selectT:
            guard ins.index == 1 else { throw error("invalid result arity") }
            let t = ins.valueType
            try pop(.i32)
            try pop(t)
            try pop(t)
            push(t)
        case .localGet:
            let t = try local(ins.index)
            guard everyLocalInit || localInit[Int(ins.index)] else { throw error("uninitialized local \(ins.index)") }
            push(t)
        case .localSet:
            try pop(try local(ins.index))
            initialize(ins.index)
        case .localTee:
            let t = try local(ins.index)
            try pop(t)
            initialize(ins.index)
            push(t)
        case .globalGet: push(try global(ins.index).valueType)
        case .globalSet:
            let g = try global(ins.index)
            guard g.mutable else { throw error("global is immutable") }
            try pop(g.valueType)
        case .tableGet:
            let t = try table(ins.index)
            try pop(t.addressType)
            push(t.elementType)
        case .tableSet:
            let t = try table(ins.index)
            try pop(t.elementType)
            try pop(t.addressType)
        case .tableSize:
            push(try table(ins.index).addressType)
        case .tableGrow:
            let t = try table(ins.index)
            try pop(t.addressType)
            try pop(t.elementType)
            push(t.addressType)
        case .tableFill:
            let t = try table(ins.index)
            try pop(t.addressType)
            try pop(t.elementType)
            try pop(t.addressType)
        case .tableCopy:
            let dst = try table(ins.index), src = try table(ins.index2)
            guard src.elementType.isSubtype(of: dst.elementType) else { throw error("type mismatch: table.copy between \(src.elementType) and \(dst.elementType)") }
            try pop([dst.addressType, src.addressType, copyLength(dst.addressType, src.addressType)])
        case .tableInit:
            let seg = try elementSegment(ins.index)
            let t = try table(ins.index2)
            guard seg.type.isSubtype(of: t.elementType) else { throw error("type mismatch: table.init of \(seg.type) into \(t.elementType)") }
            try pop([t.addressType, .i32, .i32])
        case .elemDrop: _ = try elementSegment(ins.index)
        case .memorySize:
            push(try memory(ins.memIndex).addressType)
        case .memoryGrow:
            let at = try memory(ins.memIndex).addressType
            try pop(at)
            push(at)
        case .memoryFill:
            let at = try memory(ins.memIndex).addressType
            try pop([at, .i32, at])
        case .memoryCopy:
            let dst = try memory(ins.memIndex).addressType, src = try memory(ins.index2).addressType
            try pop([dst, src, copyLength(dst, src)])
        case .memoryInit:
            let at = try memory(ins.memIndex).addressType
            try dataSegment(ins.index)
            try pop([at, .i32, .i32])
        case .dataDrop: try dataSegment(ins.index)
        case .i32Const: push(.i32)
        case .i64Const: push(.i64)
        case .f32Const: push(.f32)
        case .f64Const: push(.f64)
        case .v128Const: push(.v128)
        case .refNull: push(ins.valueType)
        case .refIsNull:
            _ = try popRef()
            push(.i32)
        case .refFunc:
            _ = try function(ins.index)
            guard context.declaredFunctions.contains(ins.index) else { throw error("undeclared function reference \(ins.index)") }
            push(module.functionRefType(Int(ins.index)))
        case .refAsNonNull:
            let t = try popRef()
            push(t?.nonNull)
        case .brOnNull:
            let t = try popRef()
            let types = try label(ins.index).labelTypes
            try pop(types)
            push(types)
            push(t?.nonNull)
        case .brOnNonNull:
            let t = try popRef()
            var types = try label(ins.index).labelTypes
            guard let last = types.popLast(), last.isRef else {
                throw error("type mismatch: br_on_non_null's label must take a reference last")
            }
            if let t, !t.nonNull.isSubtype(of: last) { throw error("type mismatch: expected \(last), found \(t.nonNull)") }
            try pop(types)
            push(types)
        case .callRef, .returnCallRef:
            guard Int(ins.index) < module.types.count else { throw error("unknown type \(ins.index)") }
            try pop(ValueType(ref: .defined(module.typeIDs[Int(ins.index)]), nullable: true))
            let t = module.types[Int(ins.index)]
            if op == .returnCallRef {
                try checkTailCall(t)
            } else {
                try pop(t.params)
                push(t.results)
            }
        default:
            try checkMemoryAccess(ins)
        }
    }

    /// A local set for the first time in this block becomes readable until its end.
    mutating func initialize(_ index: UInt32) {
        if everyLocalInit || localInit[Int(index)] { return }
        localInit[Int(index)] = true
        inits.append(Int(index))
    }

    /// Whether values of types `a` can stand where types `b` are expected.
    static func matches(_ a: [ValueType], _ b: [ValueType]) -> Bool {
        a.count == b.count && !zip(a, b).contains { !$0.isSubtype(of: $1) }
    }

    func checkLane(_ op: Opcode, _ lane: UInt32) throws(WasmError) {
        let lanes: UInt32
        switch op {
        case .i8x16ExtractLaneS, .i8x16ExtractLaneU, .i8x16ReplaceLane: lanes = 16
        case .i16x8ExtractLaneS, .i16x8ExtractLaneU, .i16x8ReplaceLane: lanes = 8
        case .i32x4ExtractLane, .i32x4ReplaceLane, .f32x4ExtractLane, .f32x4ReplaceLane: lanes = 4
        default: lanes = 2
        }
        guard lane < lanes else { throw error("invalid lane index") }
    }

    /// Loads and stores, scalar and SIMD: (the operand after the address, if any; the result,
    /// if any; the natural alignment exponent). No arrays: this runs for every access, and an
    /// array per access was a sixth of validating a large program.
    mutating func checkMemoryAccess(_ ins: Instruction) throws(WasmError) {
        let access: (value: ValueType?, result: ValueType?, align: UInt32)
        switch ins.op {
        case .i32Load: access = (nil, .i32, 2)
        case .i64Load: access = (nil, .i64, 3)
        case .f32Load: access = (nil, .f32, 2)
        case .f64Load: access = (nil, .f64, 3)
        case .i32Load8S, .i32Load8U: access = (nil, .i32, 0)
        case .i32Load16S, .i32Load16U: access = (nil, .i32, 1)
        case .i64Load8S, .i64Load8U: access = (nil, .i64, 0)
        case .i64Load16S, .i64Load16U: access = (nil, .i64, 1)
        case .i64Load32S, .i64Load32U: access = (nil, .i64, 2)
        case .i32Store: access = (.i32, nil, 2)
        case .i64Store: access = (.i64, nil, 3)
        case .f32Store: access = (.f32, nil, 2)
        case .f64Store: access = (.f64, nil, 3)
        case .i32Store8: access = (.i32, nil, 0)
        case .i32Store16: access = (.i32, nil, 1)
        case .i64Store8: access = (.i64, nil, 0)
        case .i64Store16: access = (.i64, nil, 1)
        case .i64Store32: access = (.i64, nil, 2)
        case .v128Load: access = (nil, .v128, 4)
        case .v128Load8x8S, .v128Load8x8U, .v128Load16x4S, .v128Load16x4U, .v128Load32x2S, .v128Load32x2U:
            access = (nil, .v128, 3)
        case .v128Load8Splat: access = (nil, .v128, 0)
        case .v128Load16Splat: access = (nil, .v128, 1)
        case .v128Load32Splat, .v128Load32Zero: access = (nil, .v128, 2)
        case .v128Load64Splat, .v128Load64Zero: access = (nil, .v128, 3)
        case .v128Store: access = (.v128, nil, 4)
        case .v128Load8Lane: access = (.v128, .v128, 0)
        case .v128Load16Lane: access = (.v128, .v128, 1)
        case .v128Load32Lane: access = (.v128, .v128, 2)
        case .v128Load64Lane: access = (.v128, .v128, 3)
        case .v128Store8Lane: access = (.v128, nil, 0)
        case .v128Store16Lane: access = (.v128, nil, 1)
        case .v128Store32Lane: access = (.v128, nil, 2)
        case .v128Store64Lane: access = (.v128, nil, 3)
        default:
            throw error("unsupported instruction \(ins.op.name)")
        }
        let m = try memory(ins.memIndex)
        guard ins.memAlign <= access.align else { throw error("alignment must not be larger than natural") }
        // A 32-bit memory's offsets are u32 (the memarg reads u64 when memory64 is enabled).
        guard m.is64 || ins.memOffset <= UInt64(UInt32.max) else { throw error("offset out of range") }
        if ins.op.immediate == .memargLane {
            guard ins.index < 16 >> access.align else { throw error("invalid lane index") }
        }
        if let v = access.value { try pop(v) }
        try pop(m.addressType)
        if let r = access.result { push(r) }
    }
}
