import CSwvmSupport
import Glibc
import SwvmCore

// The standard WebAssembly C API (include/wasm.h) over the same core as swvm.h. Every
// wasm_xxx_t is a retained Swift object like the swvm.h handles: WEngine, WStore, WValType,
// WType (function, global, table, memory and extern types: one class, so the extern-type
// conversions return the same pointer), WImportType, WExportType, WFrame, WSharedModule, and
// WRef for every runtime object (ref, func, global, table, memory, extern, instance, module,
// trap, foreign), whose conversions also return the same pointer. Copies of these immutable
// objects are further references to them. Host info belongs to the object (WEntity), so
// every reference to it sees the same.

// MARK: - Objects

final class WConfig {
    var config = StoreConfig()
}

final class WEngine {
    let config: StoreConfig
    init(_ config: StoreConfig) { self.config = config }
}

/// A store: an swvm store of its own, plus the objects given to Wasm code as externrefs.
final class WStore {
    let store: Store
    /// An externref is the address of its WEntity; Wasm tables and globals may hold it where
    /// reference counting cannot see, so the store keeps every entity it gave out.
    private var externrefs: [ObjectIdentifier: WEntity] = [:]

    init(_ config: StoreConfig) {
        store = Store(config: config)
        store.collectsInstances = true
    }

    func externref(_ e: WEntity) -> UInt64 {
        externrefs[ObjectIdentifier(e)] = e
        return UInt64(UInt(bitPattern: Unmanaged.passUnretained(e).toOpaque()))
    }

    func entity(externref payload: UInt64) -> WEntity? {
        guard let p = UnsafeRawPointer(bitPattern: UInt(payload)) else { return nil }
        let e = Unmanaged<WEntity>.fromOpaque(p).takeUnretainedValue()
        return externrefs[ObjectIdentifier(e)] === e ? e : nil
    }
}

/// What a trap says: its message and the frames it unwound, innermost first.
struct WTrapInfo {
    var message: [UInt8]
    var frames: [(instance: Instance?, index: Int)]
}

/// A runtime object as the C API sees it, with the host info attached to it.
final class WEntity {
    enum Payload {
        case function(Function), global(Global), table(Table), memory(Memory)
        case instance(Instance), module(Module), trap(WTrapInfo), foreign
    }
    enum Kind { case function, global, table, memory, instance, module, trap, foreign, extern }

    let payload: Payload
    var hostInfo: UnsafeMutableRawPointer?
    var finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?

    init(_ payload: Payload) { self.payload = payload }

    /// Runs the host's finalizer once the object is gone: no reference remains.
    deinit { finalizer?(hostInfo) }

    func `is`(_ kind: Kind) -> Bool {
        switch (kind, payload) {
        case (.function, .function), (.global, .global), (.table, .table), (.memory, .memory),
             (.instance, .instance), (.module, .module), (.trap, .trap), (.foreign, .foreign): return true
        case (.extern, .function), (.extern, .global), (.extern, .table), (.extern, .memory): return true
        default: return false
        }
    }

    /// The Swift object this entity stands for (its identity for wasm_xxx_same).
    var identity: AnyObject {
        switch payload {
        case .function(let f): return f
        case .global(let g): return g
        case .table(let t): return t
        case .memory(let m): return m
        case .instance(let i): return i
        case .module(let m): return m
        case .trap, .foreign: return self
        }
    }

    var extern: Extern? {
        switch payload {
        case .function(let f): return .function(f)
        case .global(let g): return .global(g)
        case .table(let t): return .table(t)
        case .memory(let m): return .memory(m)
        default: return nil
        }
    }
}

/// A reference to an entity. It pins the object in its store (see Store.pin) while it lives.
final class WRef {
    let entity: WEntity
    let wstore: WStore?

    init(_ entity: WEntity, _ wstore: WStore?) {
        self.entity = entity
        self.wstore = wstore
        wstore?.store.pin(entity.identity)
    }

    convenience init(_ payload: WEntity.Payload, _ wstore: WStore?) { self.init(WEntity(payload), wstore) }

    deinit { wstore?.store.unpin(entity.identity) }
}

final class WValType {
    let type: ValueType
    init(_ type: ValueType) { self.type = type }
}

/// A function, global, table, memory or extern type, with the C views its accessors return.
final class WType {
    let type: ExternType
    private var params: UnsafeMutablePointer<wasm_valtype_vec_t>?
    private var results: UnsafeMutablePointer<wasm_valtype_vec_t>?
    private(set) var content: OpaquePointer?
    let limits = UnsafeMutablePointer<wasm_limits_t>.allocate(capacity: 1)

    init(_ type: ExternType) {
        self.type = type
        limits.initialize(to: wasm_limits_t(min: 0, max: 0))
        switch type {
        case .function(let f):
            params = valtypeVec(f.params)
            results = valtypeVec(f.results)
        case .global(let g): content = retained(WValType(g.valueType))
        case .table(let t):
            content = retained(WValType(t.elementType))
            limits.pointee = wasmLimits(t.limits)
        case .memory(let m):
            limits.pointee = wasmLimits(m.limits)
        case .tag(let f):
            // wasm.h has no tags: the payload's types show as a function type's parameters.
            params = valtypeVec(f.params)
            results = valtypeVec([])
        }
    }

    var paramsVec: UnsafePointer<wasm_valtype_vec_t>? { params.map { UnsafePointer($0) } }
    var resultsVec: UnsafePointer<wasm_valtype_vec_t>? { results.map { UnsafePointer($0) } }

    private func valtypeVec(_ types: [ValueType]) -> UnsafeMutablePointer<wasm_valtype_vec_t> {
        let v = UnsafeMutablePointer<wasm_valtype_vec_t>.allocate(capacity: 1)
        v.initialize(to: wasm_valtype_vec_t())
        PointerVec.newUninitialized(v, types.count)
        for (i, t) in types.enumerated() { v.pointee.data[i] = retained(WValType(t)) }
        return v
    }

    deinit {
        for v in [params, results].compactMap({ $0 }) {
            PointerVec.delete(v)
            v.deallocate()
        }
        release(content)
        limits.deallocate()
    }
}

/// Names are byte vectors the import/export type owns.
final class WImportType {
    let module: UnsafeMutablePointer<wasm_name_t>
    let name: UnsafeMutablePointer<wasm_name_t>
    let type: OpaquePointer
    init(module: String, name: String, type: OpaquePointer) {
        self.module = newName(module)
        self.name = newName(name)
        self.type = type
    }
    deinit {
        freeName(module)
        freeName(name)
        release(type)
    }
}

final class WExportType {
    let name: UnsafeMutablePointer<wasm_name_t>
    let type: OpaquePointer
    init(name: String, type: OpaquePointer) {
        self.name = newName(name)
        self.type = type
    }
    deinit {
        freeName(name)
        release(type)
    }
}

final class WFrame {
    weak var instance: Instance?
    let index: Int
    let wstore: WStore?
    /// The reference wasm_frame_instance returns, owned by the frame.
    private var instanceRef: OpaquePointer?

    init(instance: Instance?, index: Int, wstore: WStore?) {
        self.instance = instance
        self.index = index
        self.wstore = wstore
    }

    func instanceHandle() -> OpaquePointer? {
        if instanceRef == nil, let instance { instanceRef = retained(WRef(.instance(instance), wstore)) }
        return instanceRef
    }

    deinit { release(instanceRef) }
}

/// A module handed between threads: modules are immutable.
final class WSharedModule {
    let module: Module
    init(_ module: Module) { self.module = module }
}

// MARK: - Helpers shared by the generated functions

/// Another reference to an immutable object: the same pointer, retained once more.
func retainCopy(_ p: OpaquePointer?) -> OpaquePointer? {
    guard let p else { return nil }
    _ = Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(p)).retain()
    return p
}

func sameRef(_ a: OpaquePointer?, _ b: OpaquePointer?) -> Bool {
    guard let x = object(a, as: WRef.self), let y = object(b, as: WRef.self) else { return false }
    return x.entity.identity === y.entity.identity
}

func setHostInfo(_ p: OpaquePointer?, _ info: UnsafeMutableRawPointer?,
                 _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) {
    guard let r = object(p, as: WRef.self) else { return }
    r.entity.hostInfo = info
    r.entity.finalizer = finalizer
}

/// The same reference if it is of the kind, else NULL.
func refAs(_ p: OpaquePointer?, _ kind: WEntity.Kind) -> OpaquePointer? {
    guard let r = object(p, as: WRef.self), r.entity.is(kind) else { return nil }
    return p
}

func typeAs(_ p: OpaquePointer?, _ kind: ExternalKind) -> OpaquePointer? {
    guard let t = object(p, as: WType.self), t.type.kind == kind else { return nil }
    return p
}

func newName(_ s: String) -> UnsafeMutablePointer<wasm_name_t> {
    let n = UnsafeMutablePointer<wasm_name_t>.allocate(capacity: 1)
    n.initialize(to: wasm_name_t())
    let bytes = Array(s.utf8)
    wasm_byte_vec_new_uninitialized(n, bytes.count)
    if !bytes.isEmpty { memcpy(n.pointee.data, bytes, bytes.count) }
    return n
}

func freeName(_ n: UnsafeMutablePointer<wasm_name_t>) {
    wasm_byte_vec_delete(n)
    n.deallocate()
}

func bytes(_ v: UnsafePointer<wasm_byte_vec_t>?) -> [UInt8] {
    guard let v, v.pointee.size > 0, let d = v.pointee.data else { return [] }
    return Array(UnsafeRawBufferPointer(start: d, count: v.pointee.size))
}

func string(_ v: UnsafePointer<wasm_byte_vec_t>?) -> String { String(decoding: bytes(v), as: UTF8.self) }

/// Vectors of object pointers, all laid out as { size_t size; T **data; }.
enum PointerVec {
    private typealias Raw = (size: Int, data: UnsafeMutablePointer<OpaquePointer?>?)

    private static func raw(_ p: UnsafeRawPointer) -> Raw { p.load(as: Raw.self) }
    private static func set(_ p: UnsafeMutableRawPointer, _ size: Int, _ data: UnsafeMutablePointer<OpaquePointer?>?) {
        p.storeBytes(of: size, as: Int.self)
        p.storeBytes(of: data, toByteOffset: MemoryLayout<Int>.stride, as: UnsafeMutablePointer<OpaquePointer?>?.self)
    }

    static func newEmpty(_ out: UnsafeMutableRawPointer?) {
        guard let out else { return }
        set(out, 0, nil)
    }

    static func newUninitialized(_ out: UnsafeMutableRawPointer?, _ size: Int) {
        guard let out else { return }
        guard size > 0 else { return set(out, 0, nil) }
        let data = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: size)
        data.initialize(repeating: nil, count: size)
        set(out, size, data)
    }

    /// Takes over the elements.
    static func new(_ out: UnsafeMutableRawPointer?, _ size: Int, _ elements: UnsafePointer<OpaquePointer?>?) {
        newUninitialized(out, elements == nil ? 0 : size)
        guard let out, let elements, size > 0 else { return }
        raw(out).data!.update(from: elements, count: size)
    }

    static func copy(_ out: UnsafeMutableRawPointer?, _ src: UnsafeRawPointer?) {
        guard let src else { return newEmpty(out) }
        let s = raw(src)
        newUninitialized(out, s.size)
        guard let out, let d = raw(out).data, let from = s.data else { return }
        for i in 0..<s.size { d[i] = retainCopy(from[i]) }
    }

    static func delete(_ v: UnsafeMutableRawPointer?) {
        guard let v else { return }
        let s = raw(v)
        if let d = s.data {
            for i in 0..<s.size { release(d[i]) }
            d.deallocate()
        }
        set(v, 0, nil)
    }

    /// A vector taking over new references.
    static func make(_ out: UnsafeMutableRawPointer?, _ elements: [OpaquePointer]) {
        newUninitialized(out, elements.count)
        guard let out, let d = raw(out).data else { return }
        for (i, e) in elements.enumerated() { d[i] = e }
    }
}

// MARK: - Values

/// wasm.h's kinds (numbers 0-3, references 128 and 129).
func wasmKind(_ t: ValueType) -> UInt8 {
    switch t.kind {
    case .i32: return UInt8(WASM_I32.rawValue)
    case .i64: return UInt8(WASM_I64.rawValue)
    case .f32: return UInt8(WASM_F32.rawValue)
    case .f64: return UInt8(WASM_F64.rawValue)
    case .externref: return UInt8(WASM_EXTERNREF.rawValue)
    case .funcref: return UInt8(WASM_FUNCREF.rawValue)
    case .v128, .exnref: return 0xFF  // not in wasm.h
    }
}

func valueType(wasmKind k: UInt8) -> ValueType? {
    switch UInt32(k) {
    case WASM_I32.rawValue: return .i32
    case WASM_I64.rawValue: return .i64
    case WASM_F32.rawValue: return .f32
    case WASM_F64.rawValue: return .f64
    case WASM_EXTERNREF.rawValue: return .externref
    case WASM_FUNCREF.rawValue: return .funcref
    default: return nil
    }
}

/// A reference as a Wasm value of reference type `t`: a funcref must be a function; any
/// object goes as an externref (its entity, kept by the store). nil if it does not fit.
func refValue(_ p: OpaquePointer?, _ t: ValueType, _ wstore: WStore) -> Value? {
    guard let p else { return t.kind == .funcref ? .funcref(nil) : .externref(nil) }
    guard let r = object(p, as: WRef.self) else { return nil }
    switch t.kind {
    case .funcref:
        if case .function(let f) = r.entity.payload { return .funcref(f) }
        return nil
    case .externref: return .externref(wstore.externref(r.entity))
    default: return nil
    }
}

/// A C value as a Wasm value of type `t`, or nil if its kind is not `t`'s.
func wasmValue(_ v: wasm_val_t, _ t: ValueType, _ wstore: WStore) -> Value? {
    guard valueType(wasmKind: v.kind)?.kind == t.kind else { return nil }
    switch t.kind {
    case .i32: return .i32(UInt32(bitPattern: v.of.i32))
    case .i64: return .i64(UInt64(bitPattern: v.of.i64))
    case .f32: return .f32(v.of.f32.bitPattern)
    case .f64: return .f64(v.of.f64.bitPattern)
    case .funcref, .externref: return refValue(v.of.ref, t, wstore)
    case .v128, .exnref: return nil
    }
}

/// A new reference to what a reference value holds (NULL for null).
func cRef(_ v: Value, _ wstore: WStore) -> OpaquePointer? {
    switch v {
    case .funcref(let f): return f.map { retained(WRef(.function($0), wstore)) }
    case .externref(let payload):
        guard let payload, let e = wstore.entity(externref: payload) else { return nil }
        return retained(WRef(e, wstore))
    default: return nil
    }
}

/// A Wasm value as a C value owning its reference.
func cVal(_ v: Value, _ wstore: WStore) -> wasm_val_t {
    var out = wasm_val_t()
    out.kind = wasmKind(v.type)
    switch v {
    case .i32(let x): out.of.i32 = Int32(bitPattern: x)
    case .i64(let x): out.of.i64 = Int64(bitPattern: x)
    case .f32(let x): out.of.f32 = Float(bitPattern: x)
    case .f64(let x): out.of.f64 = Double(bitPattern: x)
    case .funcref, .externref: out.of.ref = cRef(v, wstore)
    case .v128, .exnref: break
    }
    return out
}

func isRefKind(_ k: UInt8) -> Bool { k >= UInt8(WASM_EXTERNREF.rawValue) }

@_cdecl("wasm_val_delete")
public func wasm_val_delete(_ v: UnsafeMutablePointer<wasm_val_t>?) {
    guard let v, isRefKind(v.pointee.kind) else { return }
    release(v.pointee.of.ref)
    v.pointee.of.ref = nil
}

@_cdecl("wasm_val_copy")
public func wasm_val_copy(_ out: UnsafeMutablePointer<wasm_val_t>?, _ v: UnsafePointer<wasm_val_t>?) {
    guard let out, let v else { return }
    out.pointee = v.pointee
    if isRefKind(v.pointee.kind) { out.pointee.of.ref = retainCopy(v.pointee.of.ref) }
}

// Value and byte vectors hold their elements inline.

@_cdecl("wasm_val_vec_new_empty")
public func wasm_val_vec_new_empty(_ out: UnsafeMutablePointer<wasm_val_vec_t>?) { out?.pointee = wasm_val_vec_t() }

@_cdecl("wasm_val_vec_new_uninitialized")
public func wasm_val_vec_new_uninitialized(_ out: UnsafeMutablePointer<wasm_val_vec_t>?, _ size: Int) {
    guard let out else { return }
    guard size > 0 else { return out.pointee = wasm_val_vec_t() }
    let d = UnsafeMutablePointer<wasm_val_t>.allocate(capacity: size)
    d.initialize(repeating: wasm_val_t(), count: size)
    out.pointee = wasm_val_vec_t(size: size, data: d)
}

@_cdecl("wasm_val_vec_new")
public func wasm_val_vec_new(_ out: UnsafeMutablePointer<wasm_val_vec_t>?, _ size: Int, _ data: UnsafePointer<wasm_val_t>?) {
    wasm_val_vec_new_uninitialized(out, data == nil ? 0 : size)
    guard let out, let data, size > 0 else { return }
    out.pointee.data.update(from: data, count: size)
}

@_cdecl("wasm_val_vec_copy")
public func wasm_val_vec_copy(_ out: UnsafeMutablePointer<wasm_val_vec_t>?, _ src: UnsafePointer<wasm_val_vec_t>?) {
    guard let src else { return wasm_val_vec_new_empty(out) }
    wasm_val_vec_new_uninitialized(out, src.pointee.size)
    guard let out else { return }
    for i in 0..<src.pointee.size { wasm_val_copy(out.pointee.data + i, src.pointee.data + i) }
}

@_cdecl("wasm_val_vec_delete")
public func wasm_val_vec_delete(_ v: UnsafeMutablePointer<wasm_val_vec_t>?) {
    guard let v else { return }
    if let d = v.pointee.data {
        for i in 0..<v.pointee.size { wasm_val_delete(d + i) }
        d.deallocate()
    }
    v.pointee = wasm_val_vec_t()
}

@_cdecl("wasm_byte_vec_new_empty")
public func wasm_byte_vec_new_empty(_ out: UnsafeMutablePointer<wasm_byte_vec_t>?) { out?.pointee = wasm_byte_vec_t() }

@_cdecl("wasm_byte_vec_new_uninitialized")
public func wasm_byte_vec_new_uninitialized(_ out: UnsafeMutablePointer<wasm_byte_vec_t>?, _ size: Int) {
    guard let out else { return }
    guard size > 0 else { return out.pointee = wasm_byte_vec_t() }
    let d = UnsafeMutablePointer<wasm_byte_t>.allocate(capacity: size)
    d.initialize(repeating: 0, count: size)
    out.pointee = wasm_byte_vec_t(size: size, data: d)
}

@_cdecl("wasm_byte_vec_new")
public func wasm_byte_vec_new(_ out: UnsafeMutablePointer<wasm_byte_vec_t>?, _ size: Int, _ data: UnsafePointer<wasm_byte_t>?) {
    wasm_byte_vec_new_uninitialized(out, data == nil ? 0 : size)
    guard let out, let data, size > 0 else { return }
    out.pointee.data.update(from: data, count: size)
}

@_cdecl("wasm_byte_vec_copy")
public func wasm_byte_vec_copy(_ out: UnsafeMutablePointer<wasm_byte_vec_t>?, _ src: UnsafePointer<wasm_byte_vec_t>?) {
    wasm_byte_vec_new(out, src?.pointee.size ?? 0, src?.pointee.data)
}

@_cdecl("wasm_byte_vec_delete")
public func wasm_byte_vec_delete(_ v: UnsafeMutablePointer<wasm_byte_vec_t>?) {
    guard let v else { return }
    v.pointee.data?.deallocate()
    v.pointee = wasm_byte_vec_t()
}

// MARK: - Engine, store

@_cdecl("wasm_config_new")
public func wasm_config_new() -> OpaquePointer? { retained(WConfig()) }

@_cdecl("wasm_engine_new")
public func wasm_engine_new() -> OpaquePointer? { retained(WEngine(StoreConfig())) }

@_cdecl("wasm_engine_new_with_config")
public func wasm_engine_new_with_config(_ config: OpaquePointer?) -> OpaquePointer? {
    let c = object(config, as: WConfig.self)?.config ?? StoreConfig()
    release(config)
    return retained(WEngine(c))
}

@_cdecl("wasm_store_new")
public func wasm_store_new(_ engine: OpaquePointer?) -> OpaquePointer? {
    guard let e = object(engine, as: WEngine.self) else { return nil }
    return retained(WStore(e.config))
}

// MARK: - Types

@_cdecl("wasm_valtype_new")
public func wasm_valtype_new(_ kind: UInt8) -> OpaquePointer? {
    valueType(wasmKind: kind).map { retained(WValType($0)) }
}

@_cdecl("wasm_valtype_kind")
public func wasm_valtype_kind(_ t: OpaquePointer?) -> UInt8 {
    object(t, as: WValType.self).map { wasmKind($0.type) } ?? 0
}

/// The value types of a valtype vector the caller passes over to us (deleted here).
private func takeValtypes(_ v: UnsafeMutablePointer<wasm_valtype_vec_t>?) -> [ValueType]? {
    guard let v else { return [] }
    defer { PointerVec.delete(v) }
    var out: [ValueType] = []
    for i in 0..<v.pointee.size {
        guard let t = object(v.pointee.data[i], as: WValType.self) else { return nil }
        out.append(t.type)
    }
    return out
}

@_cdecl("wasm_functype_new")
public func wasm_functype_new(_ params: UnsafeMutablePointer<wasm_valtype_vec_t>?,
                              _ results: UnsafeMutablePointer<wasm_valtype_vec_t>?) -> OpaquePointer? {
    let p = takeValtypes(params), r = takeValtypes(results)
    guard let p, let r else { return nil }
    return retained(WType(.function(FuncType(params: p, results: r))))
}

@_cdecl("wasm_functype_params")
public func wasm_functype_params(_ t: OpaquePointer?) -> UnsafePointer<wasm_valtype_vec_t>? {
    object(t, as: WType.self)?.paramsVec
}

@_cdecl("wasm_functype_results")
public func wasm_functype_results(_ t: OpaquePointer?) -> UnsafePointer<wasm_valtype_vec_t>? {
    object(t, as: WType.self)?.resultsVec
}

/// The value type a valtype pointer the caller passes over to us holds (deleted here).
private func takeValtype(_ p: OpaquePointer?) -> ValueType? {
    defer { release(p) }
    return object(p, as: WValType.self)?.type
}

private func limits(_ l: UnsafePointer<wasm_limits_t>?) -> Limits? {
    guard let l else { return nil }
    return Limits(min: UInt64(l.pointee.min), max: l.pointee.max == UInt32.max ? nil : UInt64(l.pointee.max))
}

/// wasm.h's limits are 32-bit: a 64-bit memory's or table's larger bounds read as 0xFFFFFFFF
/// (no maximum, or a minimum beyond what the standard API can express).
private func wasmLimits(_ l: Limits) -> wasm_limits_t {
    wasm_limits_t(min: UInt32(clamping: l.min), max: l.max.map { UInt32(clamping: $0) } ?? UInt32.max)
}

@_cdecl("wasm_globaltype_new")
public func wasm_globaltype_new(_ content: OpaquePointer?, _ mutability: UInt8) -> OpaquePointer? {
    guard let t = takeValtype(content) else { return nil }
    return retained(WType(.global(GlobalType(valueType: t, mutable: mutability == UInt8(WASM_VAR.rawValue)))))
}

@_cdecl("wasm_globaltype_content")
public func wasm_globaltype_content(_ t: OpaquePointer?) -> OpaquePointer? {
    guard let w = object(t, as: WType.self), case .global = w.type else { return nil }
    return w.content
}

@_cdecl("wasm_globaltype_mutability")
public func wasm_globaltype_mutability(_ t: OpaquePointer?) -> UInt8 {
    guard let w = object(t, as: WType.self), case .global(let g) = w.type else { return 0 }
    return UInt8(g.mutable ? WASM_VAR.rawValue : WASM_CONST.rawValue)
}

@_cdecl("wasm_tabletype_new")
public func wasm_tabletype_new(_ element: OpaquePointer?, _ l: UnsafePointer<wasm_limits_t>?) -> OpaquePointer? {
    guard let t = takeValtype(element), let lim = limits(l) else { return nil }
    return retained(WType(.table(TableType(elementType: t, limits: lim))))
}

@_cdecl("wasm_tabletype_element")
public func wasm_tabletype_element(_ t: OpaquePointer?) -> OpaquePointer? {
    guard let w = object(t, as: WType.self), case .table = w.type else { return nil }
    return w.content
}

@_cdecl("wasm_tabletype_limits")
public func wasm_tabletype_limits(_ t: OpaquePointer?) -> UnsafePointer<wasm_limits_t>? {
    guard let w = object(t, as: WType.self), case .table = w.type else { return nil }
    return UnsafePointer(w.limits)
}

@_cdecl("wasm_memorytype_new")
public func wasm_memorytype_new(_ l: UnsafePointer<wasm_limits_t>?) -> OpaquePointer? {
    guard let lim = limits(l) else { return nil }
    return retained(WType(.memory(MemoryType(limits: lim))))
}

@_cdecl("wasm_memorytype_limits")
public func wasm_memorytype_limits(_ t: OpaquePointer?) -> UnsafePointer<wasm_limits_t>? {
    guard let w = object(t, as: WType.self), case .memory = w.type else { return nil }
    return UnsafePointer(w.limits)
}

func wasmExternKind(_ k: ExternalKind) -> UInt8 {
    switch k {
    case .function: return UInt8(WASM_EXTERN_FUNC.rawValue)
    case .global: return UInt8(WASM_EXTERN_GLOBAL.rawValue)
    case .table: return UInt8(WASM_EXTERN_TABLE.rawValue)
    case .memory: return UInt8(WASM_EXTERN_MEMORY.rawValue)
    case .tag: return 0xFF  // not in wasm.h (exception handling); the swvm.h API has tags
    }
}

@_cdecl("wasm_externtype_kind")
public func wasm_externtype_kind(_ t: OpaquePointer?) -> UInt8 {
    object(t, as: WType.self).map { wasmExternKind($0.type.kind) } ?? 0
}

@_cdecl("wasm_importtype_new")
public func wasm_importtype_new(_ module: UnsafeMutablePointer<wasm_name_t>?, _ name: UnsafeMutablePointer<wasm_name_t>?,
                                _ type: OpaquePointer?) -> OpaquePointer? {
    defer {
        wasm_byte_vec_delete(module)
        wasm_byte_vec_delete(name)
    }
    guard let type, object(type, as: WType.self) != nil else { release(type); return nil }
    return retained(WImportType(module: string(module), name: string(name), type: type))
}

@_cdecl("wasm_importtype_module")
public func wasm_importtype_module(_ t: OpaquePointer?) -> UnsafePointer<wasm_name_t>? {
    object(t, as: WImportType.self).map { UnsafePointer($0.module) }
}

@_cdecl("wasm_importtype_name")
public func wasm_importtype_name(_ t: OpaquePointer?) -> UnsafePointer<wasm_name_t>? {
    object(t, as: WImportType.self).map { UnsafePointer($0.name) }
}

@_cdecl("wasm_importtype_type")
public func wasm_importtype_type(_ t: OpaquePointer?) -> OpaquePointer? { object(t, as: WImportType.self)?.type }

@_cdecl("wasm_exporttype_new")
public func wasm_exporttype_new(_ name: UnsafeMutablePointer<wasm_name_t>?, _ type: OpaquePointer?) -> OpaquePointer? {
    defer { wasm_byte_vec_delete(name) }
    guard let type, object(type, as: WType.self) != nil else { release(type); return nil }
    return retained(WExportType(name: string(name), type: type))
}

@_cdecl("wasm_exporttype_name")
public func wasm_exporttype_name(_ t: OpaquePointer?) -> UnsafePointer<wasm_name_t>? {
    object(t, as: WExportType.self).map { UnsafePointer($0.name) }
}

@_cdecl("wasm_exporttype_type")
public func wasm_exporttype_type(_ t: OpaquePointer?) -> OpaquePointer? { object(t, as: WExportType.self)?.type }

// MARK: - Traps and frames

func makeTrap(_ message: String, frames: [Store.TrapFrame] = [], _ wstore: WStore?) -> OpaquePointer {
    let info = WTrapInfo(message: Array(message.utf8),
                         frames: frames.filter { $0.functionIndex >= 0 }.map { ($0.instance, $0.functionIndex) })
    return retained(WRef(.trap(info), wstore))
}

private func trapInfo(_ p: OpaquePointer?) -> (WTrapInfo, WStore?)? {
    guard let r = object(p, as: WRef.self), case .trap(let info) = r.entity.payload else { return nil }
    return (info, r.wstore)
}

@_cdecl("wasm_trap_new")
public func wasm_trap_new(_ store: OpaquePointer?, _ message: UnsafePointer<wasm_byte_vec_t>?) -> OpaquePointer? {
    var m = bytes(message)
    if m.last == 0 { m.removeLast() }
    return retained(WRef(.trap(WTrapInfo(message: m, frames: [])), object(store, as: WStore.self)))
}

@_cdecl("wasm_trap_message")
public func wasm_trap_message(_ trap: OpaquePointer?, _ out: UnsafeMutablePointer<wasm_byte_vec_t>?) {
    let m = (trapInfo(trap)?.0.message ?? []) + [0]
    m.withUnsafeBufferPointer { b in
        b.withMemoryRebound(to: wasm_byte_t.self) { wasm_byte_vec_new(out, $0.count, $0.baseAddress) }
    }
}

@_cdecl("wasm_trap_origin")
public func wasm_trap_origin(_ trap: OpaquePointer?) -> OpaquePointer? {
    guard let (info, wstore) = trapInfo(trap), let f = info.frames.first else { return nil }
    return retained(WFrame(instance: f.instance, index: f.index, wstore: wstore))
}

@_cdecl("wasm_trap_trace")
public func wasm_trap_trace(_ trap: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    guard let (info, wstore) = trapInfo(trap) else { return PointerVec.newEmpty(out) }
    PointerVec.make(out, info.frames.map { retained(WFrame(instance: $0.instance, index: $0.index, wstore: wstore)) })
}

@_cdecl("wasm_frame_instance")
public func wasm_frame_instance(_ frame: OpaquePointer?) -> OpaquePointer? { object(frame, as: WFrame.self)?.instanceHandle() }

@_cdecl("wasm_frame_func_index")
public func wasm_frame_func_index(_ frame: OpaquePointer?) -> UInt32 {
    UInt32(truncatingIfNeeded: object(frame, as: WFrame.self)?.index ?? 0)
}

@_cdecl("wasm_frame_func_offset")
public func wasm_frame_func_offset(_ frame: OpaquePointer?) -> Int { 0 }

@_cdecl("wasm_frame_module_offset")
public func wasm_frame_module_offset(_ frame: OpaquePointer?) -> Int { 0 }

@_cdecl("wasm_foreign_new")
public func wasm_foreign_new(_ store: OpaquePointer?) -> OpaquePointer? {
    guard let s = object(store, as: WStore.self) else { return nil }
    return retained(WRef(.foreign, s))
}

// MARK: - Modules

@_cdecl("wasm_module_new")
public func wasm_module_new(_ store: OpaquePointer?, _ binary: UnsafePointer<wasm_byte_vec_t>?) -> OpaquePointer? {
    guard let s = object(store, as: WStore.self), binary != nil else { return nil }
    guard let m = try? Module.load(bytes(binary)) else { return nil }
    return retained(WRef(.module(m), s))
}

@_cdecl("wasm_module_validate")
public func wasm_module_validate(_ store: OpaquePointer?, _ binary: UnsafePointer<wasm_byte_vec_t>?) -> Bool {
    guard binary != nil else { return false }
    return (try? Module.load(bytes(binary))) != nil
}

func module(_ p: OpaquePointer?) -> Module? {
    guard let r = object(p, as: WRef.self), case .module(let m) = r.entity.payload else { return nil }
    return m
}

@_cdecl("wasm_module_imports")
public func wasm_module_imports(_ m: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    let types = module(m)?.importTypes ?? []
    PointerVec.make(out, types.map { retained(WImportType(module: $0.module, name: $0.name, type: retained(WType($0.type)))) })
}

@_cdecl("wasm_module_exports")
public func wasm_module_exports(_ m: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    let types = module(m)?.exportTypes ?? []
    PointerVec.make(out, types.map { retained(WExportType(name: $0.name, type: retained(WType($0.type)))) })
}

/// The serialized form: this magic, a format version (little-endian u32), then the module's
/// binary, which is decoded and validated again on the way back.
private let serialMagic = Array("swvm-module\0".utf8)
private let serialVersion: UInt32 = 1

@_cdecl("wasm_module_serialize")
public func wasm_module_serialize(_ m: OpaquePointer?, _ out: UnsafeMutablePointer<wasm_byte_vec_t>?) {
    guard let module = module(m) else { return wasm_byte_vec_new_empty(out) }
    let data = serialMagic + withUnsafeBytes(of: serialVersion.littleEndian) { Array($0) } + module.bytes
    data.withUnsafeBufferPointer { b in
        b.withMemoryRebound(to: wasm_byte_t.self) { wasm_byte_vec_new(out, $0.count, $0.baseAddress) }
    }
}

@_cdecl("wasm_module_deserialize")
public func wasm_module_deserialize(_ store: OpaquePointer?, _ data: UnsafePointer<wasm_byte_vec_t>?) -> OpaquePointer? {
    guard let s = object(store, as: WStore.self) else { return nil }
    let b = bytes(data)
    let header = serialMagic.count + 4
    guard b.count >= header, Array(b[..<serialMagic.count]) == serialMagic else { return nil }
    let version = b[serialMagic.count..<header].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    guard version == serialVersion, let m = try? Module.load(Array(b[header...])) else { return nil }
    return retained(WRef(.module(m), s))
}

@_cdecl("wasm_module_share")
public func wasm_module_share(_ m: OpaquePointer?) -> OpaquePointer? { module(m).map { retained(WSharedModule($0)) } }

@_cdecl("wasm_module_obtain")
public func wasm_module_obtain(_ store: OpaquePointer?, _ shared: OpaquePointer?) -> OpaquePointer? {
    guard let s = object(store, as: WStore.self), let sh = object(shared, as: WSharedModule.self) else { return nil }
    return retained(WRef(.module(sh.module), s))
}

// MARK: - Functions

/// The host's environment of wasm_func_new_with_env; its finalizer runs when the last
/// function holding it is freed: the definition, which its store keeps, and each binding.
private final class HostEnv {
    let env: UnsafeMutableRawPointer?
    let finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?
    init(_ env: UnsafeMutableRawPointer?, _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) {
        self.env = env
        self.finalizer = finalizer
    }
    deinit { finalizer?(env) }
}

private func newHostFunc(_ store: OpaquePointer?, _ type: OpaquePointer?,
                         _ call: @escaping (UnsafePointer<wasm_val_vec_t>, UnsafeMutablePointer<wasm_val_vec_t>) -> OpaquePointer?)
    -> OpaquePointer? {
    guard let s = object(store, as: WStore.self), let t = object(type, as: WType.self),
          case .function(let ft) = t.type else { return nil }
    let f = s.store.makeFunction(ft) { [unowned s] _, args throws(WasmError) -> [Value] in
        var argv = wasm_val_vec_t()
        wasm_val_vec_new_uninitialized(&argv, args.count)
        for (i, a) in args.enumerated() { argv.data[i] = cVal(a, s) }
        var results = wasm_val_vec_t()
        wasm_val_vec_new_uninitialized(&results, ft.results.count)
        for (i, r) in ft.results.enumerated() { results.data[i].kind = wasmKind(r) }
        defer {
            wasm_val_vec_delete(&argv)
            wasm_val_vec_delete(&results)
        }
        if let trap = call(&argv, &results) {
            defer { release(trap) }
            throw WasmError(.trap, String(decoding: trapInfo(trap)?.0.message ?? [], as: UTF8.self))
        }
        var out: [Value] = []
        for (i, r) in ft.results.enumerated() {
            guard let v = wasmValue(results.data[i], r, s) else {
                throw WasmError(.trap, "host function result \(i) is not a \(r)")
            }
            out.append(v)
        }
        return out
    }
    return retained(WRef(.function(f), s))
}

@_cdecl("wasm_func_new")
public func wasm_func_new(_ store: OpaquePointer?, _ type: OpaquePointer?,
                          _ callback: (@convention(c) (UnsafePointer<wasm_val_vec_t>?, UnsafeMutablePointer<wasm_val_vec_t>?) -> OpaquePointer?)?)
    -> OpaquePointer? {
    guard let callback else { return nil }
    return newHostFunc(store, type) { callback($0, $1) }
}

@_cdecl("wasm_func_new_with_env")
public func wasm_func_new_with_env(_ store: OpaquePointer?, _ type: OpaquePointer?,
                                   _ callback: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<wasm_val_vec_t>?, UnsafeMutablePointer<wasm_val_vec_t>?) -> OpaquePointer?)?,
                                   _ env: UnsafeMutableRawPointer?,
                                   _ finalizer: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?) -> OpaquePointer? {
    let box = HostEnv(env, finalizer)
    guard let callback else { return nil }
    return newHostFunc(store, type) { callback(box.env, $0, $1) }
}

func function(_ p: OpaquePointer?) -> (Function, WStore)? {
    guard let r = object(p, as: WRef.self), case .function(let f) = r.entity.payload, let s = r.wstore else { return nil }
    return (f, s)
}

@_cdecl("wasm_func_type")
public func wasm_func_type(_ f: OpaquePointer?) -> OpaquePointer? {
    function(f).map { retained(WType(.function($0.0.type))) }
}

@_cdecl("wasm_func_param_arity")
public func wasm_func_param_arity(_ f: OpaquePointer?) -> Int { function(f)?.0.type.params.count ?? 0 }

@_cdecl("wasm_func_result_arity")
public func wasm_func_result_arity(_ f: OpaquePointer?) -> Int { function(f)?.0.type.results.count ?? 0 }

@_cdecl("wasm_func_call")
public func wasm_func_call(_ fp: OpaquePointer?, _ args: UnsafePointer<wasm_val_vec_t>?,
                           _ results: UnsafeMutablePointer<wasm_val_vec_t>?) -> OpaquePointer? {
    guard let (f, s) = function(fp) else { return makeTrap("wasm_func_call: func is NULL or not a function", nil) }
    let type = f.type
    let nargs = args?.pointee.data == nil ? 0 : args!.pointee.size
    guard nargs == type.params.count else {
        return makeTrap("wasm_func_call: function \(type) takes \(type.params.count) argument(s), got \(nargs)", s)
    }
    var values: [Value] = []
    for (i, t) in type.params.enumerated() {
        guard let v = wasmValue(args!.pointee.data[i], t, s) else {
            return makeTrap("wasm_func_call: argument \(i) must be \(t)", s)
        }
        values.append(v)
    }
    switch Result(catching: { () throws(WasmError) -> [Value] in try f.call(values) }) {
    case .success(let out):
        // Room for the results is checked after the call, as other engines do: a caller
        // expecting a trap may pass no room at all.
        guard let results, results.pointee.data != nil || out.isEmpty, results.pointee.size >= out.count else {
            return makeTrap("wasm_func_call: function \(type) returns \(type.results.count) result(s), room given for \(results?.pointee.size ?? 0)", s)
        }
        for (i, v) in out.enumerated() { results.pointee.data[i] = cVal(v, s) }
        return nil
    case .failure(let e):
        return makeTrap(e.message, frames: e.kind == .trap ? s.store.lastTrapFrames : [], s)
    }
}

// MARK: - Globals, tables, memories

private func payload(_ p: OpaquePointer?) -> (WEntity.Payload, WStore)? {
    guard let r = object(p, as: WRef.self), let s = r.wstore else { return nil }
    return (r.entity.payload, s)
}

@_cdecl("wasm_global_new")
public func wasm_global_new(_ store: OpaquePointer?, _ type: OpaquePointer?, _ val: UnsafePointer<wasm_val_t>?) -> OpaquePointer? {
    guard let s = object(store, as: WStore.self), let t = object(type, as: WType.self), case .global(let gt) = t.type,
          let val, let v = wasmValue(val.pointee, gt.valueType, s),
          let g = try? s.store.makeGlobal(gt, value: v) else { return nil }
    return retained(WRef(.global(g), s))
}

@_cdecl("wasm_global_type")
public func wasm_global_type(_ g: OpaquePointer?) -> OpaquePointer? {
    guard let (p, _) = payload(g), case .global(let global) = p else { return nil }
    return retained(WType(.global(global.type)))
}

@_cdecl("wasm_global_get")
public func wasm_global_get(_ g: OpaquePointer?, _ out: UnsafeMutablePointer<wasm_val_t>?) {
    guard let (p, s) = payload(g), case .global(let global) = p, let out else { return }
    out.pointee = cVal(global.value, s)
}

@_cdecl("wasm_global_set")
public func wasm_global_set(_ g: OpaquePointer?, _ val: UnsafePointer<wasm_val_t>?) {
    guard let (p, s) = payload(g), case .global(let global) = p, let val,
          let v = wasmValue(val.pointee, global.type.valueType, s) else { return }
    try? global.set(v)
}

@_cdecl("wasm_table_new")
public func wasm_table_new(_ store: OpaquePointer?, _ type: OpaquePointer?, _ initial: OpaquePointer?) -> OpaquePointer? {
    guard let s = object(store, as: WStore.self), let t = object(type, as: WType.self), case .table(let tt) = t.type,
          let v = refValue(initial, tt.elementType, s),
          let table = try? s.store.makeTable(tt, initial: v) else { return nil }
    return retained(WRef(.table(table), s))
}

private func table(_ p: OpaquePointer?) -> (Table, WStore)? {
    guard let (pl, s) = payload(p), case .table(let t) = pl else { return nil }
    return (t, s)
}

@_cdecl("wasm_table_type")
public func wasm_table_type(_ t: OpaquePointer?) -> OpaquePointer? {
    table(t).map { retained(WType(Extern.table($0.0).type)) }
}

@_cdecl("wasm_table_get")
public func wasm_table_get(_ t: OpaquePointer?, _ index: UInt32) -> OpaquePointer? {
    guard let (tab, s) = table(t), let v = try? tab.get(UInt64(index)) else { return nil }
    return cRef(v, s)
}

@_cdecl("wasm_table_set")
public func wasm_table_set(_ t: OpaquePointer?, _ index: UInt32, _ ref: OpaquePointer?) -> Bool {
    guard let (tab, s) = table(t), let v = refValue(ref, tab.type.elementType, s) else { return false }
    return (try? tab.set(UInt64(index), v)) != nil
}

@_cdecl("wasm_table_size")
public func wasm_table_size(_ t: OpaquePointer?) -> UInt32 { UInt32(truncatingIfNeeded: table(t)?.0.size ?? 0) }

@_cdecl("wasm_table_grow")
public func wasm_table_grow(_ t: OpaquePointer?, _ delta: UInt32, _ initial: OpaquePointer?) -> Bool {
    guard let (tab, s) = table(t), let v = refValue(initial, tab.type.elementType, s) else { return false }
    return (try? tab.grow(by: UInt64(delta), initial: v)) != nil
}

@_cdecl("wasm_memory_new")
public func wasm_memory_new(_ store: OpaquePointer?, _ type: OpaquePointer?) -> OpaquePointer? {
    guard let s = object(store, as: WStore.self), let t = object(type, as: WType.self), case .memory(let mt) = t.type,
          let m = try? s.store.makeMemory(mt) else { return nil }
    return retained(WRef(.memory(m), s))
}

private func memory(_ p: OpaquePointer?) -> Memory? {
    guard let (pl, _) = payload(p), case .memory(let m) = pl else { return nil }
    return m
}

@_cdecl("wasm_memory_type")
public func wasm_memory_type(_ m: OpaquePointer?) -> OpaquePointer? {
    memory(m).map { retained(WType(Extern.memory($0).type)) }
}

@_cdecl("wasm_memory_data")
public func wasm_memory_data(_ m: OpaquePointer?) -> UnsafeMutablePointer<CChar>? {
    memory(m)?.baseAddress.assumingMemoryBound(to: CChar.self)
}

@_cdecl("wasm_memory_data_size")
public func wasm_memory_data_size(_ m: OpaquePointer?) -> Int { memory(m)?.byteCount ?? 0 }

@_cdecl("wasm_memory_size")
public func wasm_memory_size(_ m: OpaquePointer?) -> UInt32 { UInt32(truncatingIfNeeded: memory(m)?.pageCount ?? 0) }

@_cdecl("wasm_memory_grow")
public func wasm_memory_grow(_ m: OpaquePointer?, _ delta: UInt32) -> Bool {
    guard let mem = memory(m) else { return false }
    return (try? mem.grow(pages: UInt64(delta))) != nil
}

// MARK: - Externs and instances

@_cdecl("wasm_extern_kind")
public func wasm_extern_kind(_ e: OpaquePointer?) -> UInt8 {
    object(e, as: WRef.self)?.entity.extern.map { wasmExternKind($0.kind) } ?? 0
}

@_cdecl("wasm_extern_type")
public func wasm_extern_type(_ e: OpaquePointer?) -> OpaquePointer? {
    object(e, as: WRef.self)?.entity.extern.map { retained(WType($0.type)) }
}

@_cdecl("wasm_instance_new")
public func wasm_instance_new(_ store: OpaquePointer?, _ m: OpaquePointer?, _ imports: UnsafePointer<wasm_extern_vec_t>?,
                              _ trap: UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer? {
    trap?.pointee = nil
    guard let s = object(store, as: WStore.self), let module = module(m) else {
        trap?.pointee = makeTrap("wasm_instance_new: store or module is NULL or of the wrong kind", nil)
        return nil
    }
    var externs: [Extern] = []
    let count = imports?.pointee.data == nil ? 0 : imports!.pointee.size
    for i in 0..<count {
        guard let e = object(imports!.pointee.data[i], as: WRef.self)?.entity.extern else {
            trap?.pointee = makeTrap("wasm_instance_new: import \(i) is NULL or not an extern", s)
            return nil
        }
        externs.append(e)
    }
    switch Result(catching: { () throws(WasmError) -> Instance in try Linker(store: s.store).instantiate(module, imports: externs) }) {
    case .success(let instance): return retained(WRef(.instance(instance), s))
    case .failure(let e):
        trap?.pointee = makeTrap(e.message, frames: e.kind == .trap ? s.store.lastTrapFrames : [], s)
        return nil
    }
}

@_cdecl("wasm_instance_exports")
public func wasm_instance_exports(_ i: OpaquePointer?, _ out: UnsafeMutableRawPointer?) {
    guard let (p, s) = payload(i), case .instance(let instance) = p else { return PointerVec.newEmpty(out) }
    PointerVec.make(out, instance.exports.map { e in
        switch e.extern {
        case .function(let f): return retained(WRef(.function(f), s))
        case .global(let g): return retained(WRef(.global(g), s))
        case .table(let t): return retained(WRef(.table(t), s))
        case .memory(let m): return retained(WRef(.memory(m), s))
        case .tag: return retained(WRef(.foreign, s))  // no tags in wasm.h
        }
    })
}
