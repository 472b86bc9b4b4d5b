import Testing
@testable import SwvmCore

// Typed function references (Wasm 3.0). The spec suite covers the instructions and the
// validation rules; these tests cover what it cannot see: what a host hands to Wasm must be
// of the declared type (a function of the wrong type behind a `(ref $t)` would be called by
// `call_ref` with the wrong signature), tail calls through references in constant native
// stack, declared subtypes at `call_indirect` and at link time, and local initialisation.

/// A module from raw sections: the type section's entries are given as bytes (so tests can
/// write `rec` and `sub`), the rest by the usual encoders.
struct RawModule {
    var types: [[UInt8]] = []
    var imports: [[UInt8]] = []
    /// (type index, locals as encoded groups, body without the final end, export name)
    var functions: [(type: UInt32, locals: [[UInt8]], body: [UInt8], export: String?)] = []
    var tables: [[UInt8]] = []
    var globals: [[UInt8]] = []
    var exports: [[UInt8]] = []
    var elements: [[UInt8]] = []

    func build() -> [UInt8] {
        var out: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
        func section(_ id: UInt8, _ items: [[UInt8]]) {
            guard !items.isEmpty else { return }
            let payload = W.u(UInt64(items.count)) + items.flatMap { $0 }
            out += [id] + W.u(UInt64(payload.count)) + payload
        }
        section(1, types)
        section(2, imports)
        section(3, functions.map { W.u(UInt64($0.type)) })
        section(4, tables)
        section(6, globals)
        let importedFunctions = imports.count  // the tests import functions only
        var allExports = exports
        for (i, f) in functions.enumerated() {
            if let name = f.export { allExports.append(W.name(name) + [0x00] + W.u(UInt64(importedFunctions + i))) }
        }
        section(7, allExports)
        section(9, elements)
        section(10, functions.map { f in
            let body = W.u(UInt64(f.locals.count)) + f.locals.flatMap { $0 } + f.body + [0x0B]
            return W.u(UInt64(body.count)) + body
        })
        return out
    }
}

/// `(func (param p*) (result r*))` with the value types given as encodings.
func funcType(_ params: [[UInt8]], _ results: [[UInt8]]) -> [UInt8] {
    [0x60] + W.u(UInt64(params.count)) + params.flatMap { $0 } + W.u(UInt64(results.count)) + results.flatMap { $0 }
}
func ref(_ type: UInt32, null: Bool = false) -> [UInt8] { [null ? 0x63 : 0x64] + W.s(Int64(type)) }
private let i32: [UInt8] = [0x7F], i64: [UInt8] = [0x7E]
func callRef(_ type: UInt32) -> [UInt8] { [0x14] + W.u(UInt64(type)) }
private func returnCallRef(_ type: UInt32) -> [UInt8] { [0x15] + W.u(UInt64(type)) }
private func refFunc(_ f: UInt32) -> [UInt8] { [0xD2] + W.u(UInt64(f)) }
func refNull(_ type: UInt32) -> [UInt8] { [0xD0] + W.s(Int64(type)) }

private func load(_ m: RawModule) throws -> Module { try Module.load(m.build()) }
private func instantiate(_ m: RawModule, store: Store? = nil) throws -> Instance {
    try Linker(store: store ?? keptStore()).instantiate(try load(m))
}
private func failure(_ body: () throws -> Void) -> WasmError? {
    do { try body() } catch let e as WasmError { return e } catch { return nil }
    return nil
}

/// Types: 0 = () -> i32, 1 = ((ref 0)) -> i32, 2 = (i64) -> i32 (unrelated to 0).
/// answer: type 0, 42; apply(f): call_ref f; other: type 2; a global and a table of (ref null 0).
func applyModule() -> RawModule {
    var m = RawModule()
    m.types = [funcType([], [i32]), funcType([ref(0)], [i32]), funcType([i64], [i32])]
    m.functions = [(0, [], W.i32(42), "answer"),
                   (1, [], W.get(0) + callRef(0), "apply"),
                   (2, [], W.i32(7), "other")]
    m.globals = [ref(0, null: true) + [0x01] + refNull(0) + [0x0B]]
    m.tables = [ref(0, null: true) + [0x00, 0x02]]
    m.exports = [W.name("g") + [0x03, 0x00], W.name("t") + [0x01, 0x00]]
    return m
}

@Test func hostValuesMustBeOfTheDeclaredReferenceType() throws {
    let store = keptStore()
    let inst = try instantiate(applyModule(), store: store)
    let answer = inst.function("answer")!, apply = inst.function("apply")!, other = inst.function("other")!
    #expect(try apply.call([.funcref(answer)]) == [.i32(42)])
    // Null where the parameter is non-nullable, and a function of another type: refused
    // before any Wasm code runs.
    #expect(failure { _ = try apply.call([.funcref(nil)]) }?.kind == .usage)
    #expect(failure { _ = try apply.call([.funcref(other)]) }?.kind == .usage)
    #expect(failure { _ = try apply.call([.externref(1)]) }?.kind == .usage)
    // A host function of an equivalent type is a function of that type.
    let host = store.makeFunction(FuncType(params: [], results: [.i32])) { _, _ in [.i32(5)] }
    #expect(try apply.call([.funcref(host)]) == [.i32(5)])

    guard case .global(let g)? = inst.export("g"), case .table(let t)? = inst.export("t") else {
        Issue.record("exports missing")
        return
    }
    #expect(failure { try g.set(.funcref(other)) }?.kind == .usage)
    try g.set(.funcref(answer))
    try g.set(.funcref(nil))
    #expect(g.value == .funcref(nil))
    #expect(failure { try t.set(0, .funcref(other)) }?.kind == .usage)
    try t.set(1, .funcref(answer))
    #expect(try t.get(1) == .funcref(answer))
    #expect(failure { _ = try t.grow(by: 1, initial: .funcref(other)) }?.kind == .usage)

    // A host table of non-nullable references starts full of a function of the right type.
    let typed = TableType(elementType: ValueType(ref: .defined(answer.typeID), nullable: false), limits: Limits(min: 2, max: nil))
    #expect(failure { _ = try store.makeTable(typed) }?.kind == .usage)
    #expect(failure { _ = try store.makeTable(typed, initial: .funcref(nil)) }?.kind == .usage)
    #expect(failure { _ = try store.makeTable(typed, initial: .funcref(other)) }?.kind == .usage)
    #expect(try store.makeTable(typed, initial: .funcref(answer)).get(1) == .funcref(answer))
}

@Test func callRefOfNullTrapsAndRefAsNonNullToo() throws {
    var m = RawModule()
    m.types = [funcType([], [i32]), funcType([ref(0, null: true)], [i32])]
    m.functions = [(1, [], W.get(0) + callRef(0), "apply"),
                   (1, [], W.get(0) + [0xD4] + [0x1A] + W.i32(1), "check"),
                   (0, [], W.i32(3), "three")]
    let inst = try instantiate(m)
    #expect(failure { _ = try inst.function("apply")!.call([.funcref(nil)]) }?.trap == .nullFunctionReference)
    #expect(failure { _ = try inst.function("check")!.call([.funcref(nil)]) }?.trap == .nullReference)
    #expect(try inst.function("check")!.call([.funcref(inst.function("three")!)]) == [.i32(1)])
}

/// even(n) = n == 0 ? 1 : odd(n - 1) and odd likewise, each a return_call_ref through a
/// reference the other's ref.func made.
@Test func tenMillionTailCallsThroughReferencesRunOnA256KiBThread() throws {
    var m = RawModule()
    m.types = [funcType([i64], [i64])]
    func step(other: UInt32, base: Int64) -> [UInt8] {
        W.get(0) + [0x50] + W.if(.i64) + W.i64(base) + W.else
            + W.get(0) + W.i64(1) + [0x7D] + refFunc(other) + returnCallRef(0) + W.end
    }
    m.functions = [(0, [], step(other: 1, base: 1), "even"), (0, [], step(other: 0, base: 0), "odd")]
    try onSmallStack {
        let inst = try instantiate(m)
        #expect(try inst.function("even")!.call([.i64(10_000_000)]) == [.i64(1)])
        #expect(try inst.function("even")!.call([.i64(10_000_001)]) == [.i64(0)])
    }
}

/// Type 0: `sub (func)`, open; type 1: `sub 0 (func)`; type 2: `(func)`, final, another type
/// although its structure is the same as 0's.
private func subtypeModule() -> RawModule {
    var m = RawModule()
    m.types = [[0x50, 0x00] + funcType([], []), [0x50, 0x01, 0x00] + funcType([], []), funcType([], [])]
    m.functions = [(1, [], [], "sub"),
                   (2, [], W.i32(0) + [0x11, 0x00, 0x00], "viaSuper"),
                   (2, [], W.i32(0) + [0x11, 0x02, 0x00], "viaFinal")]
    m.tables = [[0x70, 0x00, 0x01]]
    m.elements = [[0x00, 0x41, 0x00, 0x0B, 0x01, 0x00]]  // table 0 at 0: function 0
    return m
}

@Test func callIndirectAcceptsADeclaredSubtype() throws {
    let inst = try instantiate(subtypeModule())
    #expect(try inst.function("viaSuper")!.call([]) == [])
    #expect(failure { _ = try inst.function("viaFinal")!.call([]) }?.trap == .indirectCallTypeMismatch)
}

@Test func importsMatchByCanonicalTypeAndSubtyping() throws {
    let store = keptStore()
    let linker = Linker(store: store)
    let exporter = try linker.instantiate(try load(subtypeModule()))
    linker.register("m", instance: exporter)
    // Importing "sub" (type 1) as type 0, its declared supertype, links; as the structurally
    // equal but final type it does not.
    for (importType, links) in [(UInt32(0), true), (UInt32(2), false)] {
        var m = RawModule()
        m.types = [[0x50, 0x00] + funcType([], []), [0x50, 0x01, 0x00] + funcType([], []), funcType([], [])]
        m.imports = [W.name("m") + W.name("sub") + [0x00] + W.u(UInt64(importType))]
        let error = failure { _ = try linker.instantiate(try load(m)) }
        #expect(links ? error == nil : error?.kind == .link)
    }
    // A recursion group of one `sub final` type is the same type as a plain one.
    var m = RawModule()
    m.types = [[0x4E, 0x01, 0x4F, 0x00] + funcType([], [i32])]
    m.imports = [W.name("host") + W.name("f") + [0x00, 0x00]]
    linker.define(module: "host", name: "f", .function(store.makeFunction(FuncType(params: [], results: [.i32])) { _, _ in [.i32(1)] }))
    #expect(failure { _ = try linker.instantiate(try load(m)) } == nil)
}

@Test func subtypeDeclarationsAreChecked() {
    // The supertype is final.
    var m = RawModule()
    m.types = [funcType([], []), [0x50, 0x01, 0x00] + funcType([], [])]
    #expect(failure { _ = try load(m) }?.kind == .invalid)
    // The subtype's results are not the supertype's.
    m.types = [[0x50, 0x00] + funcType([], []), [0x50, 0x01, 0x00] + funcType([], [i32])]
    #expect(failure { _ = try load(m) }?.kind == .invalid)
    // A supertype declared after the type.
    m.types = [[0x50, 0x01, 0x01] + funcType([], []), [0x50, 0x00] + funcType([], [])]
    #expect(failure { _ = try load(m) }?.kind == .invalid)
}

@Test func nonNullableLocalsMustBeSetInTheirBlockBeforeUse() throws {
    var m = RawModule()
    m.types = [funcType([], [i32]), funcType([], [])]
    let local = [[0x01] + ref(0)]
    // Set, then read: valid.
    m.functions = [(0, [], W.i32(1), nil),
                   (1, local, refFunc(0) + W.set(0) + W.get(0) + [0x1A], "ok")]
    m.elements = [[0x03, 0x00, 0x01, 0x00]]  // declarative: function 0
    _ = try load(m)
    // Read before any set.
    m.functions[1].body = W.get(0) + [0x1A]
    #expect(failure { _ = try load(m) }?.message.contains("uninitialized local") == true)
    // Set inside a block, read after it.
    m.functions[1].body = W.block() + refFunc(0) + W.set(0) + W.end + W.get(0) + [0x1A]
    #expect(failure { _ = try load(m) }?.message.contains("uninitialized local") == true)
    // A nullable local needs no set.
    m.functions[1].locals = [[0x01] + ref(0, null: true)]
    _ = try load(m)
}

@Test func wasm2ModeRejectsTypedReferenceEncodings() {
    var m = RawModule()
    m.types = [funcType([], []), funcType([ref(0, null: true)], [])]
    #expect(failure { _ = try Module.load(m.build(), features: .wasm2) }?.kind == .malformed)
    #expect(failure { _ = try Module.load(m.build()) } == nil)
}
