/// The type of something importable or exportable, as embedders see it: the decoder's index
/// spaces resolved to full types.
public enum ExternType: Hashable, Sendable {
    case function(FuncType)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    /// An exception tag, by its payload's function type.
    case tag(FuncType)

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

extension Module {
    /// The module's imports in declaration order, with their types: what a host must supply.
    public var importTypes: [(module: String, name: String, type: ExternType)] {
        imports.map { imp in
            let t: ExternType
            switch imp.descriptor {
            case .function(let index): t = .function(types[Int(index)])
            case .table(let tt): t = .table(tt)
            case .memory(let mt): t = .memory(mt)
            case .global(let gt): t = .global(gt)
            case .tag(let index): t = .tag(types[Int(index)])
            }
            return (imp.module, imp.name, t)
        }
    }

    /// The module's exports in declaration order, with their types.
    public var exportTypes: [(name: String, type: ExternType)] {
        exports.map { e in
            let i = Int(e.index)
            switch e.kind {
            case .function: return (e.name, .function(functionType(i)))
            case .table: return (e.name, .table(tableType(i)))
            case .memory: return (e.name, .memory(memoryType(i)))
            case .global: return (e.name, .global(globalType(i)))
            case .tag: return (e.name, .tag(types[Int(tagTypeIndex(i))]))
            }
        }
    }
}

extension Extern {
    /// The current type of a runtime object: a table's or memory's minimum is its current size.
    public var type: ExternType {
        switch self {
        case .function(let f): return .function(f.type)
        case .table(let t):
            return .table(TableType(elementType: t.type.elementType, limits: Limits(min: t.size, max: t.type.limits.max),
                                    is64: t.type.is64))
        case .memory(let m):
            return .memory(MemoryType(limits: Limits(min: m.pageCount, max: m.type.limits.max), is64: m.type.is64))
        case .global(let g): return .global(g.type)
        case .tag(let t): return .tag(t.type)
        }
    }
}
