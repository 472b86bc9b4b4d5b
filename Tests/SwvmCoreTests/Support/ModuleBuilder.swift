import Glibc
@testable import SwvmCore

/// Assembles Wasm binaries for tests, so engine tests need no external tools.
struct ModuleBuilder {
    struct Func {
        var type: FuncType
        var locals: [ValueType] = []
        var body: [UInt8]
        var export: String?
    }
    var functions: [Func] = []
    var imports: [(module: String, name: String, type: FuncType)] = []
    var memoryPages: (min: UInt32, max: UInt32?)?
    var globals: [(type: ValueType, mutable: Bool, initial: [UInt8])] = []
    var data: [(offset: UInt32, bytes: [UInt8])] = []
    var table: (min: UInt32, elements: [UInt32])?
    /// Exception tags: imported ones (after the function imports) come first in the tag index
    /// space, then defined ones, optionally exported.
    var tagImports: [(module: String, name: String, params: [ValueType])] = []
    var tags: [(params: [ValueType], export: String?)] = []
    /// Types for blocks with parameters or several results: block type i is type index i.
    var blockTypes: [FuncType] = []

    @discardableResult
    mutating func function(_ name: String?, _ params: [ValueType], _ results: [ValueType],
                           locals: [ValueType] = [], _ body: [UInt8]) -> UInt32 {
        functions.append(Func(type: FuncType(params: params, results: results), locals: locals, body: body, export: name))
        return UInt32(imports.count + functions.count - 1)
    }

    func build() -> [UInt8] {
        var types: [FuncType] = []
        func typeIndex(_ t: FuncType) -> UInt32 {
            if let i = types.firstIndex(of: t) { return UInt32(i) }
            types.append(t)
            return UInt32(types.count - 1)
        }
        for t in blockTypes { _ = typeIndex(t) }
        let importTypes = imports.map { typeIndex($0.type) }
        let funcTypes = functions.map { typeIndex($0.type) }
        let tagImportTypes = tagImports.map { typeIndex(FuncType(params: $0.params, results: [])) }
        let tagTypes = tags.map { typeIndex(FuncType(params: $0.params, results: [])) }
        var out: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
        func section(_ id: UInt8, _ items: [[UInt8]]) {
            guard !items.isEmpty else { return }
            let payload = W.u(UInt64(items.count)) + items.flatMap { $0 }
            out += [id] + W.u(UInt64(payload.count)) + payload
        }
        section(1, types.map { t in [0x60] + W.u(UInt64(t.params.count)) + t.params.flatMap(\.encoding) + W.u(UInt64(t.results.count)) + t.results.flatMap(\.encoding) })
        section(2, zip(imports, importTypes).map { imp, t in W.name(imp.module) + W.name(imp.name) + [0x00] + W.u(UInt64(t)) }
                   + zip(tagImports, tagImportTypes).map { imp, t in W.name(imp.module) + W.name(imp.name) + [0x04, 0x00] + W.u(UInt64(t)) })
        section(3, funcTypes.map { W.u(UInt64($0)) })
        if let t = table { section(4, [[0x70, 0x00] + W.u(UInt64(t.min))]) }
        if let m = memoryPages {
            section(5, [m.max.map { [0x01] + W.u(UInt64(m.min)) + W.u(UInt64($0)) } ?? ([0x00] + W.u(UInt64(m.min)))])
        }
        section(13, tagTypes.map { [0x00] + W.u(UInt64($0)) })
        section(6, globals.map { $0.type.encoding + [$0.mutable ? 1 : 0] + $0.initial + [0x0B] })
        var exports: [[UInt8]] = []
        for (i, f) in functions.enumerated() {
            if let name = f.export { exports.append(W.name(name) + [0x00] + W.u(UInt64(imports.count + i))) }
        }
        if memoryPages != nil { exports.append(W.name("memory") + [0x02, 0x00]) }
        for (i, t) in tags.enumerated() {
            if let name = t.export { exports.append(W.name(name) + [0x04] + W.u(UInt64(tagImports.count + i))) }
        }
        section(7, exports)
        if let t = table, !t.elements.isEmpty {
            section(9, [[0x00, 0x41, 0x00, 0x0B] + W.u(UInt64(t.elements.count)) + t.elements.flatMap { W.u(UInt64($0)) }])
        }
        section(10, functions.map { f in
            var groups: [[UInt8]] = []
            for t in f.locals { groups.append([0x01] + t.encoding) }
            let body = W.u(UInt64(groups.count)) + groups.flatMap { $0 } + f.body + [0x0B]
            return W.u(UInt64(body.count)) + body
        })
        section(11, data.map { [0x00, 0x41] + W.s(Int64($0.offset)) + [0x0B] + W.u(UInt64($0.bytes.count)) + $0.bytes })
        return out
    }
}

/// Instruction encoders for test bodies.
enum W {
    static func u(_ v: UInt64) -> [UInt8] {
        var v = v, out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }
    static func s(_ v: Int64) -> [UInt8] {
        var v = v, out: [UInt8] = []
        while true {
            let b = UInt8(v & 0x7F)
            v >>= 7
            if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) { out.append(b); return out }
            out.append(b | 0x80)
        }
    }
    static func vec(_ bytes: [UInt8]) -> [UInt8] { u(UInt64(bytes.count)) + bytes }
    static func name(_ s: String) -> [UInt8] { vec(Array(s.utf8)) }

    static func get(_ i: UInt32) -> [UInt8] { [0x20] + u(UInt64(i)) }
    static func set(_ i: UInt32) -> [UInt8] { [0x21] + u(UInt64(i)) }
    static func tee(_ i: UInt32) -> [UInt8] { [0x22] + u(UInt64(i)) }
    static func globalGet(_ i: UInt32) -> [UInt8] { [0x23] + u(UInt64(i)) }
    static func globalSet(_ i: UInt32) -> [UInt8] { [0x24] + u(UInt64(i)) }
    static func i32(_ v: Int32) -> [UInt8] { [0x41] + s(Int64(v)) }
    static func i64(_ v: Int64) -> [UInt8] { [0x42] + s(v) }
    static func f32(_ v: Float) -> [UInt8] { [0x43] + withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
    static func f64(_ v: Double) -> [UInt8] { [0x44] + withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
    static func const(_ t: ValueType, bits: UInt64) -> [UInt8] {
        switch t {
        case .i32: return i32(Int32(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case .i64: return i64(Int64(bitPattern: bits))
        case .f32: return [0x43] + withUnsafeBytes(of: UInt32(truncatingIfNeeded: bits).littleEndian, Array.init)
        default: return [0x44] + withUnsafeBytes(of: bits.littleEndian, Array.init)
        }
    }
    static func call(_ f: UInt32) -> [UInt8] { [0x10] + u(UInt64(f)) }
    static func br(_ d: UInt32) -> [UInt8] { [0x0C] + u(UInt64(d)) }
    static func brIf(_ d: UInt32) -> [UInt8] { [0x0D] + u(UInt64(d)) }
    static func block(_ result: ValueType? = nil) -> [UInt8] { [0x02] + (result?.encoding ?? [0x40]) }
    static func loop(_ result: ValueType? = nil) -> [UInt8] { [0x03] + (result?.encoding ?? [0x40]) }
    static func `if`(_ result: ValueType? = nil) -> [UInt8] { [0x04] + (result?.encoding ?? [0x40]) }
    /// A block, loop or if (opcode `op`) of type index `type`.
    static func typed(_ op: UInt8, _ type: UInt32) -> [UInt8] { [op] + s(Int64(type)) }
    static func brTable(_ targets: [UInt32], _ otherwise: UInt32) -> [UInt8] {
        [0x0E] + u(UInt64(targets.count)) + targets.flatMap { u(UInt64($0)) } + u(UInt64(otherwise))
    }
    /// A SIMD (0xFD-prefixed) instruction and its immediate bytes.
    static func simd(_ op: UInt32, _ immediates: [UInt8] = []) -> [UInt8] { [0xFD] + u(UInt64(op)) + immediates }
    /// v128.const of four i32 lanes.
    static func v128(_ lanes: [UInt32]) -> [UInt8] {
        simd(0x0C, lanes.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) })
    }
    static let `else`: [UInt8] = [0x05]
    static let end: [UInt8] = [0x0B]
    static let ret: [UInt8] = [0x0F]
    static let drop: [UInt8] = [0x1A]
    static let select: [UInt8] = [0x1B]
    static let unreachable: [UInt8] = [0x00]
    static func load(_ op: UInt8, offset: UInt32 = 0, align: UInt32 = 0) -> [UInt8] { [op] + u(UInt64(align)) + u(UInt64(offset)) }
    static func store(_ op: UInt8, offset: UInt32 = 0, align: UInt32 = 0) -> [UInt8] { [op] + u(UInt64(align)) + u(UInt64(offset)) }
}

/// Stores must outlive what is created in them; tests that make a store per instance keep
/// them here.
nonisolated(unsafe) private var liveStores: [Store] = []
private let liveStoresLock = TestLock()

/// A store with `config`, kept alive for the test run.
func keptStore(_ config: StoreConfig = StoreConfig()) -> Store {
    liveStoresLock.withLock {
        let s = Store(config: config)
        liveStores.append(s)
        return s
    }
}

/// Instantiates a built module with no imports, in a fresh store kept alive for the test run.
func instantiate(_ b: ModuleBuilder, store: Store? = nil) throws -> Instance {
    let store = store ?? liveStoresLock.withLock { () -> Store in
        let s = Store()
        liveStores.append(s)
        return s
    }
    let module = try Module.load(b.build())
    return try Linker(store: store).instantiate(module)
}

/// A minimal lock (tests run in parallel; Foundation is not a dependency of the core).
final class TestLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
