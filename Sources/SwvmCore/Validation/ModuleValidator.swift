/// What function bodies need to know of the module beyond its index spaces.
struct ModuleContext {
    /// Functions that `ref.func` may name: those referenced outside function bodies (element
    /// segments, exports, global initialisers).
    var declaredFunctions: Set<UInt32> = []
}

extension Module {
    /// Validates the decoded module: every definition, then every function body. Errors are
    /// `.invalid`, with the offset and function index where they apply.
    public func validate() throws(WasmError) {
        var context = ModuleContext()
        func invalid(_ message: String) -> WasmError { WasmError(.invalid, message) }

        func checkType(_ index: UInt32) throws(WasmError) {
            guard Int(index) < types.count else { throw invalid("unknown type \(index)") }
        }
        /// An exception tag's type is a function type without results.
        func checkTagType(_ index: UInt32) throws(WasmError) {
            try checkType(index)
            guard types[Int(index)].results.isEmpty else { throw invalid("non-empty tag result type") }
        }
        /// The type of a constant expression. `global.get` may name an immutable global: in
        /// Wasm 2.0 an imported one; with extended constant expressions (3.0) any of the first
        /// `visibleGlobals` (those defined before the global being initialised; all of them
        /// for segment offsets).
        func constType(_ e: ConstExpr, visibleGlobals: Int = totalGlobalCount) throws(WasmError) -> ValueType {
            switch e {
            case .i32: return .i32
            case .i64: return .i64
            case .f32: return .f32
            case .f64: return .f64
            case .v128: return .v128
            case .refNull(let t): return t
            case .refFunc(let f):
                guard Int(f) < totalFunctionCount else { throw invalid("unknown function \(f)") }
                return functionRefType(Int(f))
            case .globalGet(let g):
                let limit = features.contains(.extendedConst) ? visibleGlobals : importedGlobalCount
                guard Int(g) < limit else { throw invalid("unknown global \(g)") }
                let t = globalType(Int(g))
                guard !t.mutable else { throw invalid("constant expression required") }
                return t.valueType
            case .binary(let op, let a, let b):
                let t: ValueType = op == .i32Add || op == .i32Sub || op == .i32Mul ? .i32 : .i64
                for operand in [a, b] {
                    let ot = try constType(operand, visibleGlobals: visibleGlobals)
                    guard ot == t else { throw invalid("type mismatch: \(op.name) of \(ot)") }
                }
                return t
            }
        }
        func checkConst(_ e: ConstExpr, _ expected: ValueType, visibleGlobals: Int? = nil) throws(WasmError) {
            let t = try constType(e, visibleGlobals: visibleGlobals ?? totalGlobalCount)
            guard t.isSubtype(of: expected) else { throw invalid("type mismatch: constant expression of \(t), expected \(expected)") }
        }

        for imp in imports {
            switch imp.descriptor {
            case .function(let t): try checkType(t)
            case .table(let t): try t.validate()
            case .memory(let m): try m.validate()
            case .global: break
            case .tag(let t): try checkTagType(t)
            }
        }
        for t in tags { try checkTagType(t) }
        for t in functions { try checkType(t) }
        for (t, initializer) in zip(tables, tableInitializers) {
            try t.validate()
            if let initializer {
                try checkConst(initializer, t.elementType, visibleGlobals: importedGlobalCount)
                if case .refFunc(let f) = initializer { context.declaredFunctions.insert(f) }
            } else if !t.elementType.nullable {
                throw invalid("type mismatch: a table of \(t.elementType) needs an initialiser")
            }
        }
        for m in memories { try m.validate() }
        if totalMemoryCount > 1 && !features.contains(.multiMemory) { throw invalid("multiple memories") }

        for (i, g) in globals.enumerated() {
            try checkConst(g.initializer, g.type.valueType, visibleGlobals: importedGlobalCount + i)
            if case .refFunc(let f) = g.initializer { context.declaredFunctions.insert(f) }
        }
        var names = Set<[UInt8]>()
        for e in exports {
            guard names.insert(Array(e.name.utf8)).inserted else { throw invalid("duplicate export name \"\(e.name)\"") }
            switch e.kind {
            case .function:
                guard Int(e.index) < totalFunctionCount else { throw invalid("unknown function \(e.index)") }
                context.declaredFunctions.insert(e.index)
            case .table: guard Int(e.index) < totalTableCount else { throw invalid("unknown table \(e.index)") }
            case .memory: guard Int(e.index) < totalMemoryCount else { throw invalid("unknown memory \(e.index)") }
            case .global: guard Int(e.index) < totalGlobalCount else { throw invalid("unknown global \(e.index)") }
            case .tag: guard Int(e.index) < totalTagCount else { throw invalid("unknown tag \(e.index)") }
            }
        }
        if let s = start {
            guard Int(s) < totalFunctionCount else { throw invalid("unknown function \(s)") }
            let t = functionType(Int(s))
            guard t.params.isEmpty && t.results.isEmpty else { throw invalid("start function must have type [] -> []") }
        }
        for seg in elements {
            for item in seg.items {
                try checkConst(item, seg.type)
                if case .refFunc(let f) = item { context.declaredFunctions.insert(f) }
            }
            if case .active(let table, let offset) = seg.mode {
                guard Int(table) < totalTableCount else { throw invalid("unknown table \(table)") }
                let t = tableType(Int(table))
                guard seg.type.isSubtype(of: t.elementType) else { throw invalid("type mismatch: \(seg.type) segment for a \(t.elementType) table") }
                try checkConst(offset, t.addressType)
            }
        }
        for seg in data {
            if case .active(let memory, let offset) = seg.mode {
                guard Int(memory) < totalMemoryCount else { throw invalid("unknown memory \(memory)") }
                try checkConst(offset, memoryType(Int(memory)).addressType)
            }
        }
        for i in 0..<codes.count {
            var v = try FunctionValidator(module: self, context: context, functionIndex: importedFunctionCount + i)
            try v.validate()
        }
    }
}

extension Limits {
    /// The validation rule of limits: minimum at most maximum, both within `maxAllowed`.
    /// Also applied to types a host builds (`Store.makeMemory`...).
    func validate(maxAllowed: UInt64, what: String) throws(WasmError) {
        if let max, min > max { throw WasmError(.invalid, "size minimum must not be greater than maximum") }
        if min > maxAllowed || (max ?? 0) > maxAllowed { throw WasmError(.invalid, what) }
    }
}

extension MemoryType {
    /// Validates a memory type as the validator does a module's: at most 2^16 pages (4 GiB)
    /// for a 32-bit memory, 2^48 pages (2^64 bytes) for a 64-bit one.
    public func validate() throws(WasmError) {
        if is64 {
            try limits.validate(maxAllowed: 1 << 48, what: "memory size must be at most 2^48 pages (16 EiB)")
        } else {
            try limits.validate(maxAllowed: 65536, what: "memory size must be at most 65536 pages (4GiB)")
        }
    }
}

extension TableType {
    /// Validates a table type as the validator does a module's: a 32-bit table's limits fit
    /// in 32 bits.
    public func validate() throws(WasmError) {
        guard elementType.isRef else { throw WasmError(.invalid, "a table holds references, not \(elementType)") }
        try limits.validate(maxAllowed: is64 ? UInt64.max : UInt64(UInt32.max), what: "table size must be at most 2^32-1 elements")
    }
}
