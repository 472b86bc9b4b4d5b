/// The decoded form of a module binary: immutable, produced by `ModuleDecoder`, checked by
/// `ModuleValidator`. Function bodies and data segments are byte ranges into `bytes`; nothing
/// of the code section is copied.
public final class Module: @unchecked Sendable {
    /// The module's binary, owned by the module. Never mutated after decoding.
    public let bytes: [UInt8]
    /// The proposals it was decoded and validated with.
    public let features: Features

    // The decoder fills these once; afterwards they are only read (validation reads them per
    // instruction). `@exclusivity(unchecked)` drops the dynamic exclusivity checks on those
    // reads, which cost 4.6 % of validating a large module (docs/design.md, "Exclusivity").

    /// The function type of each type index: its references carry canonical ids.
    @exclusivity(unchecked) public internal(set) var types: [FuncType] = []
    /// The canonical id of each type index (`TypeRegistry`): equal ids, equivalent types.
    @exclusivity(unchecked) public internal(set) var typeIDs: [TypeID] = []
    @exclusivity(unchecked) public internal(set) var imports: [Import] = []
    /// Type index of each function defined in the module (imports not included).
    @exclusivity(unchecked) public internal(set) var functions: [UInt32] = []
    @exclusivity(unchecked) public internal(set) var tables: [TableType] = []
    /// Each defined table's initial element (Wasm 3.0 `(table ... expr)`); nil: null.
    @exclusivity(unchecked) public internal(set) var tableInitializers: [ConstExpr?] = []
    @exclusivity(unchecked) public internal(set) var memories: [MemoryType] = []
    @exclusivity(unchecked) public internal(set) var globals: [GlobalDef] = []
    /// Defined exception tags, as type indices (the tag's payload is the type's parameters).
    @exclusivity(unchecked) public internal(set) var tags: [UInt32] = []
    @exclusivity(unchecked) public internal(set) var exports: [Export] = []
    @exclusivity(unchecked) public internal(set) var start: UInt32?
    @exclusivity(unchecked) public internal(set) var elements: [ElementSegment] = []
    @exclusivity(unchecked) public internal(set) var dataCount: UInt32?
    @exclusivity(unchecked) public internal(set) var codes: [FunctionBody] = []
    @exclusivity(unchecked) public internal(set) var data: [DataSegment] = []
    @exclusivity(unchecked) public internal(set) var customSections: [CustomSection] = []
    /// Function names from the `name` custom section, by function index (imports included).
    @exclusivity(unchecked) public internal(set) var functionNames: [UInt32: String] = [:]
    @exclusivity(unchecked) public internal(set) var moduleName: String?
    /// Offset of the first memory.init or data.drop in the code, if any (set by the decoder's
    /// instruction check).
    @exclusivity(unchecked) var firstDataIndexUse: Int?
    @exclusivity(unchecked) var hasDataSection = false
    /// Code that names a data segment needs the data count section when there is a data
    /// section (code precedes data); this module has one and not the other.
    var lacksDataCount: Bool { dataCount == nil && hasDataSection }

    // Index spaces: imports first, then definitions.
    @exclusivity(unchecked) public internal(set) var importedFunctionCount = 0
    @exclusivity(unchecked) public internal(set) var importedTableCount = 0
    @exclusivity(unchecked) public internal(set) var importedMemoryCount = 0
    @exclusivity(unchecked) public internal(set) var importedGlobalCount = 0
    @exclusivity(unchecked) public internal(set) var importedTagCount = 0

    init(bytes: [UInt8], features: Features) {
        self.bytes = bytes
        self.features = features
    }

    public var totalFunctionCount: Int { importedFunctionCount + functions.count }
    public var totalTableCount: Int { importedTableCount + tables.count }
    public var totalMemoryCount: Int { importedMemoryCount + memories.count }
    public var totalGlobalCount: Int { importedGlobalCount + globals.count }
    public var totalTagCount: Int { importedTagCount + tags.count }

    /// The type index of tag `index` in the tag index space (imports first).
    public func tagTypeIndex(_ index: Int) -> UInt32 {
        if index >= importedTagCount { return tags[index - importedTagCount] }
        var seen = 0
        for imp in imports {
            if case .tag(let t) = imp.descriptor {
                if seen == index { return t }
                seen += 1
            }
        }
        preconditionFailure("tag index out of range")
    }

    /// Type index of function `index` in the function index space (imports first).
    public func functionTypeIndex(_ index: Int) -> UInt32 {
        if index < importedFunctionCount {
            var seen = 0
            for imp in imports {
                if case .function(let t) = imp.descriptor {
                    if seen == index { return t }
                    seen += 1
                }
            }
            preconditionFailure("function index out of range")
        }
        return functions[index - importedFunctionCount]
    }

    public func functionType(_ index: Int) -> FuncType { types[Int(functionTypeIndex(index))] }

    /// The type of `ref.func` of function `index`: a non-null reference to its type.
    public func functionRefType(_ index: Int) -> ValueType {
        ValueType(ref: .defined(typeIDs[Int(functionTypeIndex(index))]), nullable: false)
    }

    /// All imports of one kind, in index-space order.
    public var importedFunctionTypeIndices: [UInt32] {
        imports.compactMap { if case .function(let t) = $0.descriptor { return t } else { return nil } }
    }
    public var importedTables: [TableType] {
        imports.compactMap { if case .table(let t) = $0.descriptor { return t } else { return nil } }
    }
    public var importedMemories: [MemoryType] {
        imports.compactMap { if case .memory(let t) = $0.descriptor { return t } else { return nil } }
    }
    public var importedGlobals: [GlobalType] {
        imports.compactMap { if case .global(let t) = $0.descriptor { return t } else { return nil } }
    }

    /// Type of every global in the index space.
    public func globalType(_ index: Int) -> GlobalType {
        if index < importedGlobalCount { return importedGlobals[index] }
        return globals[index - importedGlobalCount].type
    }
    public func tableType(_ index: Int) -> TableType {
        if index < importedTableCount { return importedTables[index] }
        return tables[index - importedTableCount]
    }
    public func memoryType(_ index: Int) -> MemoryType {
        if index < importedMemoryCount { return importedMemories[index] }
        return memories[index - importedMemoryCount]
    }
}

public enum ImportDescriptor: Hashable, Sendable {
    case function(typeIndex: UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    /// An exception tag, by type index.
    case tag(typeIndex: UInt32)

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

public struct Import: Hashable, Sendable {
    public var module: String
    public var name: String
    public var descriptor: ImportDescriptor
}

public struct Export: Hashable, Sendable {
    public var name: String
    public var kind: ExternalKind
    public var index: UInt32
}

/// A constant expression. Wasm 2.0 allows exactly one instruction followed by `end`;
/// extended constant expressions (3.0) add `i32/i64.add/sub/mul`, kept as a tree.
public indirect enum ConstExpr: Hashable, Sendable {
    case i32(UInt32)
    case i64(UInt64)
    case f32(UInt32)  // bit pattern
    case f64(UInt64)  // bit pattern
    case v128(UInt64, UInt64)  // low, high
    case refNull(ValueType)
    case refFunc(UInt32)
    case globalGet(UInt32)
    /// `i32.add`, `i32.sub`, `i32.mul`, `i64.add`, `i64.sub` or `i64.mul` of two expressions.
    case binary(Opcode, ConstExpr, ConstExpr)
}

public struct GlobalDef: Hashable, Sendable {
    public var type: GlobalType
    public var initializer: ConstExpr
}

public enum ElementMode: Hashable, Sendable {
    case passive
    case active(table: UInt32, offset: ConstExpr)
    case declarative
}

public struct ElementSegment: Hashable, Sendable {
    /// A reference type: `(ref func)` for a vector of function indices.
    public var type: ValueType
    public var mode: ElementMode
    /// Each item as a constant expression (`funcidx` vectors are decoded as `.refFunc`).
    public var items: [ConstExpr]
}

public enum DataMode: Hashable, Sendable {
    case passive
    case active(memory: UInt32, offset: ConstExpr)
}

public struct DataSegment: Hashable, Sendable {
    public var mode: DataMode
    /// The segment's bytes as a range of `Module.bytes`.
    public var range: Range<Int>
}

public struct LocalDecl: Hashable, Sendable {
    public var count: UInt32
    public var type: ValueType
}

public struct FunctionBody: Hashable, Sendable {
    public var locals: [LocalDecl]
    /// Total number of declared locals (not counting parameters); the decoder bounds it.
    public var localCount: Int
    /// The instruction bytes (after the local declarations, up to and including the final
    /// `end`) as a range of `Module.bytes`.
    public var code: Range<Int>
}

public struct CustomSection: Hashable, Sendable {
    public var name: String
    public var range: Range<Int>
}
