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
        func checkLimits(_ l: Limits, maxAllowed: UInt64?) throws(WasmError) {
            try l.validate(maxAllowed: maxAllowed)
        }
        /// The type of a constant expression. In Wasm 2.0, `global.get` may only name an
        /// imported, immutable global.
        func constType(_ e: ConstExpr) throws(WasmError) -> ValueType {
            switch e {
            case .i32: return .i32
            case .i64: return .i64
            case .f32: return .f32
            case .f64: return .f64
            case .v128: return .v128
            case .refNull(let t): return t
            case .refFunc(let f):
                guard Int(f) < totalFunctionCount else { throw invalid("unknown function \(f)") }
                return .funcref
            case .globalGet(let g):
                guard Int(g) < importedGlobalCount else { throw invalid("unknown global \(g)") }
                let t = importedGlobals[Int(g)]
                guard !t.mutable else { throw invalid("constant expression required") }
                return t.valueType
            }
        }
        func checkConst(_ e: ConstExpr, _ expected: ValueType) throws(WasmError) {
            let t = try constType(e)
            guard t == expected else { throw invalid("type mismatch: constant expression of \(t), expected \(expected)") }
        }

        for imp in imports {
            switch imp.descriptor {
            case .function(let t): try checkType(t)
            case .table(let t): try checkLimits(t.limits, maxAllowed: nil)
            case .memory(let m): try checkLimits(m.limits, maxAllowed: 65536)
            case .global: break
            case .tag(let t): try checkTagType(t)
            }
        }
        for t in tags { try checkTagType(t) }
        for t in functions { try checkType(t) }
        for t in tables { try checkLimits(t.limits, maxAllowed: nil) }
        for m in memories { try checkLimits(m.limits, maxAllowed: 65536) }
        if totalMemoryCount > 1 { throw invalid("multiple memories") }

        for g in globals {
            try checkConst(g.initializer, g.type.valueType)
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
                guard t.elementType == seg.type else { throw invalid("type mismatch: \(seg.type) segment for a \(t.elementType) table") }
                try checkConst(offset, .i32)
            }
        }
        for seg in data {
            if case .active(let memory, let offset) = seg.mode {
                guard Int(memory) < totalMemoryCount else { throw invalid("unknown memory \(memory)") }
                try checkConst(offset, .i32)
            }
        }
        for i in 0..<codes.count {
            var v = try FunctionValidator(module: self, context: context, functionIndex: importedFunctionCount + i)
            try v.validate()
        }
    }
}

extension Limits {
    /// The validation rule of limits: minimum at most maximum, both within `maxAllowed` (65536
    /// pages for memories). Also applied to types a host builds (`Store.makeMemory`...).
    func validate(maxAllowed: UInt64?) throws(WasmError) {
        if let max, min > max { throw WasmError(.invalid, "size minimum must not be greater than maximum") }
        if let cap = maxAllowed, UInt64(min) > cap || UInt64(max ?? 0) > cap {
            throw WasmError(.invalid, "memory size must be at most 65536 pages (4GiB)")
        }
    }
}

extension MemoryType {
    /// Validates a memory type as the validator does a module's.
    public func validate() throws(WasmError) { try limits.validate(maxAllowed: 65536) }
}

extension TableType {
    /// Validates a table type as the validator does a module's.
    public func validate() throws(WasmError) {
        guard elementType.isRef else { throw WasmError(.invalid, "a table holds references, not \(elementType)") }
        try limits.validate(maxAllowed: nil)
    }
}
