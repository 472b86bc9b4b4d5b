import CSwvmSupport
import Glibc
import SwvmCore
import SwvmWASI

// Every C handle is a retained Swift object: `passRetained` when handed out, `release` in the
// matching *_free. A handle retains what it depends on (the store above all), so C code may
// free handles in any order. This file holds all the pointer conversions of the C ABI.
//
// A handle to an instance, function, table or global also pins it in its store (Store.pin):
// the store frees an instance once no handle pins it or anything it reaches, so a host can
// instantiate and free modules indefinitely in one engine (Store.collect has the rules).

final class EngineHandle {
    let store: Store
    init(config: StoreConfig = StoreConfig()) {
        store = Store(config: config)
        store.collectsInstances = true
    }
}

/// Engine settings collected before the engine exists (swvm_config_*).
final class ConfigHandle {
    var config = StoreConfig()
}

final class InterruptHandleBox {
    let handle: InterruptHandle
    init(_ handle: InterruptHandle) { self.handle = handle }
}

final class ModuleHandle {
    let module: Module
    /// Imports and exports in C form, made here rather than on first use: a module may be
    /// read from several threads at once.
    let imports: [CExternEntry]
    let exports: [CExternEntry]
    init(_ module: Module) {
        self.module = module
        imports = module.importTypes.map { CExternEntry(module: $0.module, name: $0.name, type: $0.type) }
        exports = module.exportTypes.map { CExternEntry(module: nil, name: $0.name, type: $0.type) }
    }
}

final class InstanceHandle {
    let store: Store
    let instance: Instance
    /// NUL-terminated export names, made on first use and owned by the handle.
    private var names: [UnsafeMutablePointer<CChar>]?

    init(store: Store, instance: Instance) {
        self.store = store
        self.instance = instance
        store.pin(instance)
    }

    func exportName(_ index: Int) -> UnsafePointer<CChar>? {
        if names == nil { names = instance.exports.map { strdup($0.name)! } }
        guard index >= 0, index < names!.count else { return nil }
        return UnsafePointer(names![index])
    }

    deinit {
        names?.forEach { free($0) }
        store.unpin(instance)
    }
}

final class FuncHandle {
    let store: Store
    let function: Function
    /// The native function pointer handed out for this function, kept alive with the handle.
    var native: NativeExport?

    init(store: Store, function: Function) {
        self.store = store
        self.function = function
        store.pin(function)
    }

    deinit { store.unpin(function) }
}

/// A handle to a memory, global or table: keeps its store alive with it.
final class StoreObjectHandle<Object: AnyObject> {
    let store: Store
    let object: Object
    init(store: Store, _ object: Object) {
        self.store = store
        self.object = object
        store.pin(object)
    }

    deinit { store.unpin(object) }
}

typealias MemoryHandle = StoreObjectHandle<Memory>
typealias GlobalHandle = StoreObjectHandle<Global>
typealias TableHandle = StoreObjectHandle<Table>

final class LinkerHandle {
    let store: Store
    let linker: Linker
    var wasi: WASI?
    /// What the linker's definitions hold, pinned for as long as the linker lives.
    private var pinned: [AnyObject] = []
    init(store: Store) {
        self.store = store
        linker = Linker(store: store)
    }

    func pin(_ object: AnyObject) {
        store.pin(object)
        pinned.append(object)
    }

    deinit { pinned.forEach(store.unpin) }
}

/// An export as a swvm_extern_t holding a new handle of its kind.
func cExtern(_ ext: Extern, store: Store) -> swvm_extern_t {
    var out = swvm_extern_t()
    out.kind = Int32(ext.kind.rawValue)
    switch ext {
    case .function(let f): out.of.func = retained(FuncHandle(store: store, function: f))
    case .table(let t): out.of.table = retained(TableHandle(store: store, t))
    case .memory(let m): out.of.memory = retained(MemoryHandle(store: store, m))
    case .global(let g): out.of.global = retained(GlobalHandle(store: store, g))
    }
    return out
}

/// A NUL-terminated C string argument as a Swift string (its bytes kept as they are).
func string(_ p: UnsafePointer<CChar>) -> String {
    String(decoding: UnsafeRawBufferPointer(start: p, count: strlen(p)), as: UTF8.self)
}

final class ErrorHandle {
    let kind: WasmError.Kind
    let trap: Trap?
    /// NUL-terminated copy of the message, owned by the handle.
    let message: UnsafeMutablePointer<CChar>

    init(_ error: WasmError) {
        kind = error.kind
        trap = error.trap
        message = strdup(error.description)!
    }

    deinit { free(message) }
}

/// Hands a new handle to C, with one reference owned by the caller.
func retained<T: AnyObject>(_ object: T) -> OpaquePointer {
    OpaquePointer(Unmanaged.passRetained(object).toOpaque())
}

/// The object behind a handle, if the handle is non-NULL and of the expected type.
func object<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) -> T? {
    guard let handle else { return nil }
    return Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue() as? T
}

/// Drops the caller's reference (the *_free functions). NULL is ignored.
func release(_ handle: OpaquePointer?) {
    guard let handle else { return }
    Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle)).release()
}

/// An error handle for C, or NULL for success.
func errorHandle(_ error: WasmError) -> OpaquePointer { retained(ErrorHandle(error)) }

func usage(_ message: String) -> OpaquePointer { errorHandle(WasmError(.usage, message)) }

func cKind(_ t: ValueType) -> swvm_valkind_t {
    switch t {
    case .i32: return SWVM_I32
    case .i64: return SWVM_I64
    case .f32: return SWVM_F32
    case .f64: return SWVM_F64
    case .funcref: return SWVM_FUNCREF
    case .externref: return SWVM_EXTERNREF
    case .v128: return SWVM_V128
    }
}

func kindCode(_ t: ValueType) -> Int32 { Int32(cKind(t).rawValue) }

/// Converts a C value to the engine's, checking it has the kind the function expects.
func value(_ v: swvm_val_t, expected: ValueType, position: Int) throws(WasmError) -> Value {
    guard Int32(bitPattern: v.kind) == kindCode(expected) else {
        throw WasmError(.usage, "argument \(position) must be \(expected), got kind \(v.kind)")
    }
    switch expected {
    case .i32: return .i32(UInt32(bitPattern: v.of.i32))
    case .i64: return .i64(UInt64(bitPattern: v.of.i64))
    case .f32: return .f32(v.of.f32.bitPattern)
    case .f64: return .f64(v.of.f64.bitPattern)
    case .externref: return .externref(v.of.ref.map { UInt64(UInt(bitPattern: $0)) })
    case .funcref:
        // An opaque funcref handed out by swvm (see cValue); NULL is ref.null.
        return .funcref(v.of.ref.map { Unmanaged<Function>.fromOpaque($0).takeUnretainedValue() })
    default: throw WasmError(.usage, "argument \(position): \(expected) values are not supported by this API yet")
    }
}

func cValue(_ v: Value) -> swvm_val_t {
    var out = swvm_val_t()
    switch v {
    case .i32(let x): out.kind = SWVM_I32.rawValue; out.of.i32 = Int32(bitPattern: x)
    case .i64(let x): out.kind = SWVM_I64.rawValue; out.of.i64 = Int64(bitPattern: x)
    case .f32(let x): out.kind = SWVM_F32.rawValue; out.of.f32 = Float(bitPattern: x)
    case .f64(let x): out.kind = SWVM_F64.rawValue; out.of.f64 = Double(bitPattern: x)
    case .externref(let x):
        out.kind = SWVM_EXTERNREF.rawValue
        out.of.ref = x.flatMap { UnsafeMutableRawPointer(bitPattern: UInt($0)) }
    case .funcref(let f):
        out.kind = SWVM_FUNCREF.rawValue
        out.of.ref = f.map { Unmanaged.passUnretained($0).toOpaque() }
    case .v128:
        out.kind = UInt32.max
    }
    return out
}
