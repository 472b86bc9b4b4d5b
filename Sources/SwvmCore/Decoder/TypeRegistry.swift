import Glibc

/// Process-wide canonical ids for defined (function) types: Wasm 3.0 type equivalence made
/// into equality of one word (docs/design.md, "Type identity").
///
/// Types are defined in recursion groups. Two groups are equivalent when they have the same
/// number of types and the types are pairwise the same structure, where a reference to a type
/// of the group itself counts by its position in the group, and a reference outside it by that
/// type's canonical id. So the registry interns a group under a key in which inner references
/// are written as positions (`recursive(_:)`), and gives its types consecutive ids; a type
/// defined outside a `rec` is a group of one. A module's type indices then map to ids
/// (`Module.typeIDs`), and every `ValueType` carries ids, so `==` on value types, function
/// types and `call_indirect`'s check is type equivalence, across modules and for host
/// functions alike.
///
/// Declared subtyping (`sub`) is kept per id: the supertype's id and finality. Ids are never
/// freed: the registry holds one entry per distinct type a process has seen.
public enum TypeRegistry {
    /// One type of a group as interned: its function type and supertype, with references to
    /// the group's own types written as positions.
    struct SubType: Hashable {
        var type: FuncType
        var final: Bool
        var supertype: TypeID?
    }

    struct Entry {
        var type: FuncType
        var final: Bool
        var supertype: TypeID?
        /// The supertype chain's length, to walk up only as far as needed.
        var depth: Int
    }

    @exclusivity(unchecked) nonisolated(unsafe) private static var groups: [[SubType]: UInt32] = [:]
    /// By `raw - 1`.
    @exclusivity(unchecked) nonisolated(unsafe) private static var entries: [Entry] = []
    @exclusivity(unchecked) nonisolated(unsafe) private static var lock = pthread_mutex_t()
    nonisolated(unsafe) private static var lockReady: Bool = {
        pthread_mutex_init(&lock, nil)
        return true
    }()

    private static func locked<T>(_ body: () -> T) -> T {
        _ = lockReady
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return body()
    }

    /// Marks a reference to the type at `position` of the group being defined. Real ids
    /// start at 1 and stay far below this bit.
    static let recursiveBit: UInt32 = 1 << 31
    static func recursive(_ position: Int) -> TypeID { TypeID(raw: recursiveBit | UInt32(position)) }

    /// Interns a recursion group whose inner references are `recursive(_:)` positions;
    /// returns the ids of its types, in order.
    static func intern(group: [SubType]) -> [TypeID] {
        locked {
            if let first = groups[group] { return (0..<group.count).map { TypeID(raw: first + UInt32($0)) } }
            let first = UInt32(entries.count + 1)
            func resolve(_ id: TypeID) -> TypeID {
                id.raw & recursiveBit != 0 ? TypeID(raw: first + (id.raw & ~recursiveBit)) : id
            }
            for sub in group {
                let type = sub.type.mapDefined(resolve)
                let supertype = sub.supertype.map(resolve)
                let depth = supertype.map { s in s.raw >= first ? 0 : entries[Int(s.raw) - 1].depth + 1 } ?? 0
                entries.append(Entry(type: type, final: sub.final, supertype: supertype, depth: depth))
            }
            // A supertype inside the group is earlier in it: fix the depths in order.
            for i in 0..<group.count {
                let k = Int(first) - 1 + i
                if let s = entries[k].supertype, s.raw >= first { entries[k].depth = entries[Int(s.raw) - 1].depth + 1 }
            }
            groups[group] = first
            return (0..<group.count).map { TypeID(raw: first + UInt32($0)) }
        }
    }

    /// The id of a function type defined alone, final and without supertype: what a module's
    /// `(type (func ...))` is, and the type of a host function.
    public static func id(_ type: FuncType) -> TypeID {
        intern(group: [SubType(type: type, final: true, supertype: nil)])[0]
    }

    /// The function type of an id, its references as ids.
    public static func funcType(_ id: TypeID) -> FuncType { locked { entries[Int(id.raw) - 1].type } }

    static func entry(_ id: TypeID) -> Entry { locked { entries[Int(id.raw) - 1] } }

    /// Whether type `a` is `b` or declared (transitively) a subtype of it.
    public static func isSubtype(_ a: TypeID, of b: TypeID) -> Bool {
        if a == b { return true }
        return locked {
            var e = entries[Int(a.raw) - 1]
            let target = entries[Int(b.raw) - 1].depth
            while e.depth > target, let s = e.supertype {
                if s == b { return true }
                e = entries[Int(s.raw) - 1]
            }
            return false
        }
    }
}

extension FuncType {
    /// The same type with each defined heap type mapped.
    func mapDefined(_ f: (TypeID) -> TypeID) -> FuncType {
        func map(_ t: ValueType) -> ValueType {
            guard case .defined(let id)? = t.heap else { return t }
            return ValueType(ref: .defined(f(id)), nullable: t.nullable)
        }
        return FuncType(params: params.map(map), results: results.map(map))
    }

    /// Function subtyping: parameters contravariant, results covariant.
    public func isSubtype(of other: FuncType) -> Bool {
        guard params.count == other.params.count, results.count == other.results.count else { return false }
        for (a, b) in zip(other.params, params) where !a.isSubtype(of: b) { return false }
        for (a, b) in zip(results, other.results) where !a.isSubtype(of: b) { return false }
        return true
    }
}

extension HeapType {
    /// Heap subtyping for the function, extern and exception hierarchies: the bottom type is
    /// below everything in its hierarchy, a defined function type below `func` and below its
    /// declared supertypes.
    public func isSubtype(of other: HeapType) -> Bool {
        if self == other { return true }
        switch (self, other) {
        case (.noFunc, .func), (.noFunc, .defined), (.defined, .func): return true
        case (.noExtern, .extern), (.noExn, .exn): return true
        case (.defined(let a), .defined(let b)): return TypeRegistry.isSubtype(a, of: b)
        default: return false
        }
    }
}

extension ValueType {
    /// Value subtyping: numbers and v128 only match themselves; a reference matches when its
    /// heap type does and it is nullable only if the other is.
    public func isSubtype(of other: ValueType) -> Bool {
        if self == other { return true }
        guard let h = heap, let o = other.heap else { return false }
        if nullable && !other.nullable { return false }
        return h.isSubtype(of: o)
    }
}
